//! `jixiao lint`: checks a published 部门整体支出绩效自评报告 on its own, without the books.
//!
//! A finance-bureau reviewer receives dozens of hand-written reports. This crate reads one (.txt, .md,
//! .docx, .pdf text layer), recovers its outline and signature, extracts every amount with its unit,
//! and reports what a careful reader would circle: parts that do not add up to their total, rates that
//! do not follow from their amounts, duplicated or missing sections, classification names that are not
//! in the year's 支出功能分类, and dates that do not fit the fiscal year.
//!
//! Pipeline: [`read`] → [`document::Document`] (text + positions) → [`structure`] (headings, signature,
//! report year) and [`amounts`] (money and rates) → [`rules`] → [`render`].

pub mod amounts;
pub mod cjk;
pub mod compare;
pub mod document;
pub mod finding;
pub mod kind;
pub mod read;
pub mod render;
pub mod rules;
pub mod structure;

use std::path::{Path, PathBuf};

pub use document::Document;
pub use finding::{DocumentFinding, Severity, TextSpan};
pub use kind::DocumentKind;
pub use read::LintError;
pub use render::OutputFormat;

/// Everything the linter found in one report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LintReport {
    /// The file name (or the name given to [`lint_text`]).
    pub name: String,
    /// What the document is (`dept-report`, `project-form`, `final-accounts`, …), and its Chinese name.
    pub kind: DocumentKind,
    pub kind_label: &'static str,
    /// The unit the document is about, read from its title (for grouping several documents).
    pub unit_name: Option<String>,
    /// Headline figures (支出合计, 基本支出, 项目支出, 收入; a form's 全年预算数 and 全年执行数).
    pub figures: Vec<compare::StatedFigure>,
    /// The fiscal year the report is about, read from its title (`2020年度…`).
    pub report_year: Option<i32>,
    /// The unit that signed the report, and the signing date (`YYYY-MM-DD`).
    pub signed_by: Option<String>,
    pub signed_on: Option<String>,
    /// The recovered outline, one line per heading (`一、部门概况`), in reading order.
    pub outline: Vec<String>,
    /// How many amounts of money were read.
    pub amount_count: usize,
    /// Findings in reading order.
    pub findings: Vec<DocumentFinding>,
    /// The text that was checked; spans point into it. Not serialised: the HTML rendering shows it.
    #[serde(skip)]
    pub text: String,
}

impl LintReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Reads a report file and lints it. Fails only when the file cannot be read as text.
pub fn lint_file(path: &Path) -> Result<LintReport, LintError> {
    let text = read::read_report(path)?;
    let name = path.display().to_string();
    Ok(lint_text(&name, &text))
}

/// Lints report text. Never panics, whatever the text.
pub fn lint_text(name: &str, text: &str) -> LintReport {
    let doc = Document::new(name, text);
    let structure = structure::Structure::recover(&doc);
    let amounts = amounts::extract(&doc);
    let kind = DocumentKind::detect(&doc);
    let mut findings = rules::check_all(&doc, &structure, &amounts, kind);
    let figures = rules::headline_figures(&doc, &structure, &amounts, kind);
    let unit_name = structure.signature.as_ref().and_then(|s| s.unit.clone()).or_else(|| compare::unit_name(&doc, structure.title));
    findings.sort_by(|a, b| a.span.start.cmp(&b.span.start).then_with(|| a.rule.cmp(b.rule)));
    LintReport {
        name: name.to_string(),
        kind,
        kind_label: kind.label(),
        unit_name,
        figures,
        report_year: structure.report_year.map(|y| y.year),
        signed_by: structure.signature.as_ref().and_then(|s| s.unit.clone()),
        signed_on: structure.signature.as_ref().map(|s| s.date.to_string()),
        outline: structure.headings.iter().filter(|h| h.is_outline()).map(|h| h.display()).collect(),
        amount_count: amounts.money.len(),
        findings,
        text: doc.text,
    }
}

/// Renders one report in the given format.
pub fn render(report: &LintReport, format: OutputFormat) -> String {
    render::render(report, format)
}

/// Lints each file, prints the result to stdout (errors to stderr) and returns the exit code:
/// 0 when every report is clean, 1 when any has findings, 2 when any file cannot be read.
pub fn run(files: &[PathBuf], format: OutputFormat) -> i32 {
    let mut reports = Vec::new();
    let mut unreadable = false;
    for path in files {
        match lint_file(path) {
            Ok(report) => reports.push(report),
            Err(error) => {
                eprintln!("jixiao lint: {}: {error}", path.display());
                unreadable = true;
            }
        }
    }
    compare::compare(&mut reports);
    if !reports.is_empty() || format != OutputFormat::Text {
        print!("{}", render::render_many(&reports, format));
    }
    if unreadable {
        2
    } else if reports.iter().any(|r| !r.is_clean()) {
        1
    } else {
        0
    }
}
