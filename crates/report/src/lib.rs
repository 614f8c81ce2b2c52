//! Renders the report model (jixiao-core `report_model`) and the evaluation to Markdown or HTML: both are
//! laid out as the blocks of `jixiao_documents::outline` — the same the DOCX and PDF lay out — and written
//! by `jixiao_documents::text`. The consolidated report still goes through the templates in `templates/`
//! (`consolidated.j2` with one macro file per format, `md.j2`, `html.j2`).

mod context;

use jixiao_core::consolidated::ConsolidatedModel;
use jixiao_core::evaluation::Evaluation;
use jixiao_core::report_model::ReportModel;
use jixiao_documents::Outline;
use minijinja::{AutoEscape, Environment, Value};

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

#[derive(Debug, thiserror::Error)]
#[error("报告模板渲染失败：{0:#}")]
pub struct RenderError(#[from] minijinja::Error);

/// The template environment of a format, compiled once.
fn environment(format: Format) -> &'static Environment<'static> {
    static MARKDOWN: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    static HTML: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    match format {
        Format::Markdown => MARKDOWN.get_or_init(|| new_environment(format)),
        Format::Html => HTML.get_or_init(|| new_environment(format)),
    }
}

fn new_environment(format: Format) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).build().expect("default delimiters are valid"));
    // Set before any template is added: minijinja fixes a template's escaping when it compiles it, and the
    // `.j2` names would otherwise get none. Markdown stays plain text.
    env.set_auto_escape_callback(move |_| if format == Format::Html { AutoEscape::Html } else { AutoEscape::None });
    let macros = match format {
        Format::Markdown => include_str!("../templates/md.j2"),
        Format::Html => include_str!("../templates/html.j2"),
    };
    env.add_template("macros.j2", macros).expect("macro templates parse (tested)");
    env.add_template("consolidated.j2", include_str!("../templates/consolidated.j2")).expect("consolidated.j2 parses (tested)");
    env
}

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
    let env = environment(format);
    let ctx = context::consolidated_context(model);
    let text = env.get_template("consolidated.j2")?.render(minijinja::context! { model => Value::from(minijinja::value::Serde(&ctx)), in_browser })?;
    Ok(jixiao_documents::text::tidy(&text))
}
