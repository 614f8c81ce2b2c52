//! `jixiao report --kind project|targets|monitor`: the unit-year's documents besides the 部门整体支出绩效自评报告,
//! each a core model (figures traced) laid out as outline blocks and written as md, html, docx or pdf.

use crate::ReportFormat;
use anyhow::{Result, bail};
use clap::ValueEnum;
use jixiao_core::MoneyUnit;
use jixiao_core::books::Books;
use jixiao_core::evaluation::Evaluation;
use jixiao_documents::Outline;

/// Which document `jixiao report` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportKind {
    /// 部门整体支出绩效自评报告 (the default).
    Department,
    /// 项目支出绩效自评报告 of one project (--project CODE).
    Project,
    /// 绩效运行监控表 (双监控) as of a date (--as-of YYYY-MM-DD).
    Monitor,
    /// Next year's 绩效目标申报表 (项目 and 部门整体), drafted from this year's projects and actuals.
    Targets,
}

/// The outline of `kind` (not `Department`, which the report command writes itself), and the name the PDF
/// carries as its document id.
pub(crate) fn outline(
    kind: ReportKind,
    books: &Books,
    evaluation: &Evaluation,
    project: Option<&str>,
    as_of: Option<&str>,
    money: MoneyUnit,
) -> Result<(Outline, String)> {
    Ok(match kind {
        ReportKind::Department => bail!("部门整体报告由 report 命令直接生成"),
        ReportKind::Project => {
            let Some(code) = project else { bail!("--kind project 需要 --project 项目编码") };
            let report = jixiao_core::project_report::build(books, evaluation, code, money)?;
            (jixiao_documents::outline::project_outline(&report), format!("project/{code}"))
        }
        ReportKind::Targets => {
            (jixiao_documents::outline::targets_outline(&jixiao_core::targets::build(books, money)), "targets".to_string())
        }
        ReportKind::Monitor => {
            let _ = as_of;
            bail!("绩效运行监控表由 report 命令直接生成（monitor.rs）")
        }
    })
}

/// The outline in `format`: text for md and html, bytes for docx and pdf.
pub(crate) fn write(books: &Books, outline: &Outline, ident: &str, format: ReportFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ReportFormat::Md => jixiao_documents::text::markdown(outline).into_bytes(),
        ReportFormat::Html => jixiao_documents::text::html(outline).into_bytes(),
        ReportFormat::Docx => jixiao_documents::docx(outline)?,
        ReportFormat::Pdf => jixiao_pdf::render_outline(books, outline, ident, &jixiao_pdf::FontSet::from_env()?)?.0,
        ReportFormat::Xlsx => bail!("xlsx 只用于部门整体报告（决算公开表及绩效自评表）；其他报告类型请用 md、html、docx 或 pdf"),
    })
}
