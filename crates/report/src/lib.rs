//! Renders the report model (jixiao-core `report_model`), the evaluation and the consolidated report to
//! Markdown or HTML: each is laid out as the blocks of `jixiao_documents::outline` — the same the DOCX and
//! PDF lay out — and written by `jixiao_documents::text`.

use jixiao_core::consolidated::ConsolidatedModel;
use jixiao_core::evaluation::Evaluation;
use jixiao_core::report_model::ReportModel;
use jixiao_documents::Outline;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }
}

/// A report that could not be written. Writing an outline cannot fail today; the type stays so that callers
/// keep one error path for every report format.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {}

/// Writes an outline in `format`.
pub fn write(outline: &Outline, format: Format) -> String {
    match format {
        Format::Markdown => jixiao_documents::text::markdown(outline),
        Format::Html => jixiao_documents::text::html(outline),
    }
}

/// The self-evaluation report.
pub fn render(model: &ReportModel, format: Format) -> Result<String, RenderError> {
    Ok(write(&jixiao_documents::outline(model), format))
}

/// The evaluation on its own (`jixiao evaluate --format md|html`).
pub fn render_evaluation(evaluation: &Evaluation, format: Format) -> Result<String, RenderError> {
    Ok(write(&jixiao_documents::evaluation_outline(evaluation), format))
}

/// The consolidated report of a 主管部门 or a 财政局's region (`jixiao report --scope department|region`).
pub fn render_consolidated(model: &ConsolidatedModel, format: Format) -> Result<String, RenderError> {
    render_consolidated_for(model, format, false)
}

/// [`render_consolidated`] for the web application: where a unit's findings are detailed is its page, not a command.
pub fn render_consolidated_in_browser(model: &ConsolidatedModel, format: Format) -> Result<String, RenderError> {
    render_consolidated_for(model, format, true)
}

fn render_consolidated_for(model: &ConsolidatedModel, format: Format, in_browser: bool) -> Result<String, RenderError> {
    Ok(write(&jixiao_documents::consolidated_outline(model, in_browser), format))
}
