//! Renders the report model (jixiao-core `report_model`) to Markdown or HTML through the templates in
//! `templates/`: one outline (`report.j2`) and one macro file per format (`md.j2`, `html.j2`).

use jixiao_core::report_model::ReportModel;
use minijinja::{AutoEscape, Environment, Value};
use serde_json::json;

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

fn environment(format: Format) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).build().expect("default delimiters are valid"));
    env.add_template("report.j2", include_str!("../templates/report.j2")).expect("report.j2 parses (tested)");
    let macros = match format {
        Format::Markdown => include_str!("../templates/md.j2"),
        Format::Html => include_str!("../templates/html.j2"),
    };
    env.add_template("macros.j2", macros).expect("macro templates parse (tested)");
    env.set_auto_escape_callback(move |_| if format == Format::Html { AutoEscape::Html } else { AutoEscape::None });
    env
}

/// The template context: the model, plus table rows laid out for the `table` macro.
fn context(model: &ReportModel) -> serde_json::Value {
    let mut value = serde_json::to_value(model).unwrap_or_default();
    if let Some(projects) = value.get_mut("projects").and_then(|p| p.as_array_mut()) {
        for (p, summary) in projects.iter_mut().zip(&model.projects) {
            p["row"] = json!([summary.name, summary.function_paths.join("；"), summary.budget, summary.spent, summary.execution_rate]);
            p["indicator_rows"] = summary
                .indicators
                .iter()
                .map(|i| json!([i.level1, i.level2, i.level3, if i.direction == "定性" { i.target.clone() } else { format!("{}{}{}", i.direction, i.target, i.unit) }, if i.direction == "定性" { i.actual.clone() } else { format!("{}{}", i.actual, i.unit) }, i.deviation_reason]))
                .collect();
        }
    }
    value
}

pub fn render(model: &ReportModel, format: Format) -> Result<String, RenderError> {
    let env = environment(format);
    let text = env.get_template("report.j2")?.render(minijinja::context! { model => Value::from(minijinja::value::Serde(context(model))) })?;
    // Collapse the blank lines that template control flow leaves behind.
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out.trim_start().to_string())
}
