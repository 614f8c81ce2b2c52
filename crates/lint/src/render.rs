//! Output: compiler-style text (default), JSON, and an HTML page showing the report with each finding's
//! span highlighted and its message on hover.

use crate::LintReport;
use crate::finding::{DocumentFinding, Severity};
use minijinja::HtmlEscape;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Html,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(OutputFormat::Text),
            "json" => Ok(OutputFormat::Json),
            "html" => Ok(OutputFormat::Html),
            other => Err(format!("未知的输出格式「{other}」：可选 text、json、html")),
        }
    }
}

pub fn render(report: &LintReport, format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => text(report),
        OutputFormat::Json => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
        OutputFormat::Html => html_page(std::slice::from_ref(report)),
    }
}

/// Several reports in one output: texts one after another, a JSON array, one HTML page.
pub fn render_many(reports: &[LintReport], format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => reports.iter().map(text).collect(),
        OutputFormat::Json => serde_json::to_string_pretty(reports).unwrap_or_default() + "\n",
        OutputFormat::Html => html_page(reports),
    }
}

fn count(findings: &[DocumentFinding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

fn summary(report: &LintReport) -> String {
    let year = report.report_year.map_or_else(|| "年度未知".to_string(), |y| format!("{y}年度"));
    let signed = match (&report.signed_by, &report.signed_on) {
        (Some(u), Some(d)) => format!("，落款 {u} {d}"),
        (None, Some(d)) => format!("，落款日期 {d}"),
        _ => String::new(),
    };
    if report.findings.is_empty() {
        return format!("{}：{year}{signed}，读取金额 {} 笔，未发现问题", report.name, report.amount_count);
    }
    format!(
        "{}：{year}{signed}，读取金额 {} 笔，发现 {} 项（错误 {}，警告 {}，提示 {}）",
        report.name,
        report.amount_count,
        report.findings.len(),
        count(&report.findings, Severity::Error),
        count(&report.findings, Severity::Warning),
        count(&report.findings, Severity::Info)
    )
}

fn text(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(out, "{}:{}:{}: {} [{}] {}", report.name, f.span.line, f.span.column, f.severity.label(), f.rule, f.message);
        if !f.quote.is_empty() {
            let quote = f.quote.replace('\n', "⏎");
            let _ = writeln!(out, "    | {quote}");
        }
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;max-width:60em}\
pre.report{white-space:pre-wrap;line-height:1.7;border:1px solid #ccc;padding:1em;background:#fafafa}\
mark{border-radius:2px;cursor:help}mark.error{background:#f8c4c4}mark.warning{background:#fbe7a1}mark.info{background:#cfe3fb}\
li.error{color:#a40000}li.warning{color:#8a5a00}li.info{color:#1d4f91}code{font-size:.9em}";

fn html_page(reports: &[LintReport]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>jixiao lint</title><style>{STYLE}</style></head><body>\n"
    );
    for (r, report) in reports.iter().enumerate() {
        let _ = writeln!(out, "<section><h1>{}</h1>\n<p>{}</p>\n<ol>", HtmlEscape(&report.name), HtmlEscape(&summary(report)));
        for (i, f) in report.findings.iter().enumerate() {
            let _ = writeln!(
                out,
                "<li class=\"{}\"><a href=\"#r{r}f{i}\">第{}行</a> {} <code>{}</code> {}</li>",
                f.severity.id(),
                f.span.line,
                f.severity.label(),
                f.rule,
                HtmlEscape(&f.message)
            );
        }
        out.push_str("</ol>\n<pre class=\"report\">");
        out.push_str(&highlighted(report, r));
        out.push_str("</pre></section>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The report text cut at every span edge; each piece is wrapped in a `<mark>` naming every finding
/// that covers it, so overlapping findings both show on hover.
fn highlighted(report: &LintReport, r: usize) -> String {
    let text = &report.text;
    let mut edges: Vec<usize> = vec![0, text.len()];
    for f in &report.findings {
        edges.push(f.span.start.min(text.len()));
        edges.push(f.span.end.min(text.len()));
    }
    edges.retain(|e| text.is_char_boundary(*e));
    edges.sort_unstable();
    edges.dedup();
    let mut out = String::new();
    let mut anchored = vec![false; report.findings.len()];
    for w in edges.windows(2) {
        let (a, b) = (w[0], w[1]);
        let piece = HtmlEscape(&text[a..b]);
        let covering: Vec<usize> = (0..report.findings.len())
            .filter(|&i| report.findings[i].span.start <= a && b <= report.findings[i].span.end && a < b)
            .collect();
        if covering.is_empty() {
            let _ = write!(out, "{piece}");
            continue;
        }
        let worst = covering.iter().map(|&i| report.findings[i].severity).min().unwrap_or(Severity::Info);
        let title: Vec<String> =
            covering.iter().map(|&i| format!("[{}] {}", report.findings[i].rule, report.findings[i].message)).collect();
        let ids: Vec<String> =
            covering.iter().filter(|&&i| !std::mem::replace(&mut anchored[i], true)).map(|i| format!("<a id=\"r{r}f{i}\"></a>")).collect();
        let _ = write!(out, "{}<mark class=\"{}\" title=\"{}\">{piece}</mark>", ids.concat(), worst.id(), HtmlEscape(&title.join("\n")));
    }
    out
}
