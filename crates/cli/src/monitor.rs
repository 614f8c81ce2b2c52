//! `jixiao report --kind monitor --as-of DATE`: the 预算绩效运行监控表 of one unit-year as of a date, in every
//! report format (the model is core `monitoring`, the blocks documents `outline::monitor`).

use crate::ReportFormat;
use anyhow::Result;
use jixiao_core::Date;
use jixiao_core::books::Books;

/// What `report` writes: text (md, html) or bytes (docx, pdf, xlsx).
pub enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

/// Reads `--as-of`: `2020-06-30`, `2020/6/30` or `2020年6月30日`.
pub fn parse_as_of(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("监控日期「{text}」不是有效日期（应为 YYYY-MM-DD）"))
}

pub fn render(books: &Books, as_of: Date, format: ReportFormat) -> Result<Rendered> {
    let model = jixiao_core::monitoring::build(books, as_of);
    let outline = jixiao_documents::monitor_outline(&model);
    Ok(match format {
        ReportFormat::Md => Rendered::Text(jixiao_documents::text::markdown(&outline)),
        ReportFormat::Html => Rendered::Text(jixiao_documents::text::html(&outline)),
        ReportFormat::Docx => Rendered::Bytes(jixiao_documents::docx_in(&outline, jixiao_documents::Orientation::Landscape)?),
        ReportFormat::Pdf => Rendered::Bytes(jixiao_pdf::render_outline_turned(
            &outline,
            &model.unit_name,
            &model.unit_code,
            as_of,
            jixiao_documents::Orientation::Landscape,
            &jixiao_pdf::FontSet::from_env()?,
        )?),
        ReportFormat::Xlsx => Rendered::Bytes(jixiao_documents::monitor_workbook(&model)?),
    })
}
