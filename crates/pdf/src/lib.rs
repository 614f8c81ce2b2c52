//! The self-evaluation report as PDF, typeset by typst used as a library. The embedded template
//! (`templates/report.typ`) lays out the report's blocks — the same outline as the DOCX and the Markdown
//! report — in 公文 style (GB/T 9704), with two charts as SVG. Fonts come from a directory (see `fonts`);
//! the date is fixed and nothing else is read, so the same books give a byte-identical PDF.
//!
//! typst is heavy to compile; it lives in this crate only, so that other crates rebuild without it.

mod charts;
pub mod fonts;
mod world;

use jixiao_core::books::Books;
use jixiao_core::report_model::ReportModel;
use jixiao_documents::Orientation;
use jixiao_documents::outline::{Chart, Outline};
use serde_json::json;
use std::path::PathBuf;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

pub use fonts::{DEFAULT_FONT_DIR, FONT_DIR_VARIABLE, FontRoles, FontSet};

const TEMPLATE: &str = include_str!("../templates/report.typ");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("字体目录 {dir} 不存在：请安装 fonts-noto-cjk，或用环境变量 JIXIAO_FONT_DIR 指定字体目录")]
    FontDir { dir: PathBuf },
    #[error(
        "字体目录 {dir} 中没有中文字体（如 Noto Serif CJK SC、Noto Sans CJK SC）：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk），或用环境变量 JIXIAO_FONT_DIR 指定含中文字体的目录"
    )]
    NoChineseFont { dir: PathBuf },
    #[error("PDF 排版失败：{0}")]
    Typeset(String),
}

fn diagnostics(errors: &[SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("；")
}

/// The date typst sees as today: the report's date, else the fiscal year's last day.
fn fixed_today(books: &Books) -> Datetime {
    let (y, m, d) = books.year.report_date.map_or((books.year.year, 12, 31), |d| (d.year, d.month, d.day));
    Datetime::from_ymd(y, m as u8, d as u8).or_else(|| Datetime::from_ymd(2000, 1, 1)).expect("2000-01-01 is a date")
}

/// The chart files the template draws, by the name its blocks use.
fn chart_files(books: &Books, model: &ReportModel, fonts: &FontSet) -> Vec<(&'static str, Vec<u8>)> {
    let mut files = vec![(
        "/charts/budget_by_function_class.svg",
        charts::budget_by_function_class(&jixiao_core::final_accounts::budget_by_function_class(books), &fonts.roles.chart).into_bytes(),
    )];
    if let Some(ev) = &model.evaluation {
        files.push(("/charts/indicator_scores.svg", charts::indicator_scores(ev, &fonts.roles.chart).into_bytes()));
    }
    files
}

fn chart_caption(chart: Chart) -> &'static str {
    match chart {
        Chart::BudgetByFunctionClass => "按支出功能分类（类）的全年预算数与本年支出",
        Chart::IndicatorScores => "部门整体支出绩效指标得分与分值",
    }
}

/// What the template reads as `data.json`.
fn report_data(books: &Books, model: &ReportModel, fonts: &FontSet) -> serde_json::Value {
    let outline = jixiao_documents::outline(model);
    let captions: serde_json::Map<String, serde_json::Value> = [Chart::BudgetByFunctionClass, Chart::IndicatorScores]
        .into_iter()
        .filter_map(|c| Some((serde_json::to_value(c).ok()?.as_str()?.to_string(), json!(chart_caption(c)))))
        .collect();
    json!({
        "title": outline.title,
        "unit": books.unit.name,
        "year": books.year.year,
        "fonts": fonts.roles,
        // Figure ids are links, which the PDF does not draw: the template reads the text as it always did.
        "blocks": outline.blocks.iter().map(jixiao_documents::outline::Block::untraced).collect::<Vec<_>>(),
        "captions": captions,
        "has_evaluation": model.evaluation.is_some(),
    })
}

/// The report as PDF bytes.
pub fn render(books: &Books, model: &ReportModel, fonts: &FontSet) -> Result<Vec<u8>, PdfError> {
    render_with_warnings(books, model, fonts).map(|(pdf, _)| pdf)
}

/// The PDF and typst's warnings (an unknown font family, say): tests require there are none.
pub fn render_with_warnings(books: &Books, model: &ReportModel, fonts: &FontSet) -> Result<(Vec<u8>, Vec<String>), PdfError> {
    let data = serde_json::to_vec(&report_data(books, model, fonts)).map_err(|e| PdfError::Typeset(e.to_string()))?;
    let mut files = vec![("/data.json", data)];
    files.extend(chart_files(books, model, fonts));
    typeset(files, fonts, fixed_today(books), format!("jixiao/{}/{}", books.unit.code, books.year.year))
}

/// Any other document of the unit-year laid out as blocks (the 项目支出绩效自评报告, the 绩效目标申报表) as PDF
/// bytes and typst's warnings, in the same 公文 layout; `ident` names the document in the PDF (same input, same
/// bytes). Such outlines carry no charts.
pub fn render_outline(
    books: &Books,
    outline: &jixiao_documents::Outline,
    ident: &str,
    fonts: &FontSet,
) -> Result<(Vec<u8>, Vec<String>), PdfError> {
    let data = json!({
        "title": outline.title,
        "unit": books.unit.name,
        "year": books.year.year,
        "fonts": fonts.roles,
        "blocks": outline.blocks.iter().map(jixiao_documents::outline::Block::untraced).collect::<Vec<_>>(),
        "captions": {},
        "has_evaluation": false,
    });
    let data = serde_json::to_vec(&data).map_err(|e| PdfError::Typeset(e.to_string()))?;
    typeset(vec![("/data.json", data)], fonts, fixed_today(books), format!("jixiao/{}/{}/{ident}", books.unit.code, books.year.year))
}

fn typeset(
    files: Vec<(&'static str, Vec<u8>)>,
    fonts: &FontSet,
    today: Datetime,
    ident: String,
) -> Result<(Vec<u8>, Vec<String>), PdfError> {
    let world = world::ReportWorld::new(TEMPLATE, files, fonts, today);
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(diagnostics(&errors)))?;
    let options = PdfOptions { ident: Smart::Custom(ident), ..PdfOptions::default() };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Typeset(diagnostics(&errors)))?;
    Ok((pdf, warnings.iter().map(|w| w.message.to_string()).collect()))
}

/// A wide form without charts (the 绩效运行监控表) as PDF bytes, with the same template and fonts as the report,
/// on pages turned as given: `unit` and `code` name the document's author and identifier, `today` is the date
/// typst sees (the monitoring date, so the same records and date give the same bytes).
pub fn render_outline_turned(
    outline: &Outline,
    unit: &str,
    code: &str,
    today: jixiao_core::Date,
    orientation: Orientation,
    fonts: &FontSet,
) -> Result<Vec<u8>, PdfError> {
    let data = json!({
        "title": outline.title,
        "unit": unit,
        "fonts": fonts.roles,
        "blocks": outline.blocks,
        "captions": {},
        "has_evaluation": false,
        "landscape": orientation == Orientation::Landscape,
    });
    let data = serde_json::to_vec(&data).map_err(|e| PdfError::Typeset(e.to_string()))?;
    let today = Datetime::from_ymd(today.year, today.month as u8, today.day as u8)
        .or_else(|| Datetime::from_ymd(2000, 1, 1))
        .expect("2000-01-01 is a date");
    typeset(vec![("/data.json", data)], fonts, today, format!("jixiao/{code}/{}", outline.title)).map(|(pdf, _)| pdf)
}
