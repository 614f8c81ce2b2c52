//! Runs every report in tests/corpus against its `NAME.expected.json` (rule id → count), and measures
//! false alarms: findings on clean reports, and findings beyond the planted ones on the others.

mod common;

use jixiao_lint::{LintReport, lint_file};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
struct Expected {
    clean: bool,
    findings: BTreeMap<String, usize>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// The report a `NAME.expected.json` describes: NAME.txt / NAME.md / NAME.pdf, or NAME.docx built from
/// NAME.docx-source.txt into `scratch`.
fn report_file(stem: &str, scratch: &Path) -> PathBuf {
    let dir = corpus_dir();
    if stem.ends_with(".docx") {
        let source = std::fs::read_to_string(dir.join(format!("{stem}-source.txt"))).expect("docx source");
        let path = scratch.join(stem);
        common::build_docx(&source, &path);
        return path;
    }
    ["txt", "md", "pdf"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no report file for {stem}.expected.json"))
}

fn counts(report: &LintReport) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for f in &report.findings {
        *map.entry(f.rule.to_string()).or_insert(0) += 1;
    }
    map
}

#[test]
fn every_corpus_report_yields_exactly_its_expected_findings() {
    let scratch = tempfile::tempdir().unwrap();
    let mut expected_files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    expected_files.sort();
    assert!(expected_files.len() >= 11, "the seed and at least 10 further reports");

    let mut failures = Vec::new();
    let (mut clean_reports, mut clean_alarms, mut planted_extra, mut planted_missed, mut planted_total) = (0, 0, 0, 0, 0);
    let mut formats = std::collections::BTreeSet::new();
    for expected_path in &expected_files {
        let name = expected_path.file_name().unwrap().to_string_lossy();
        let stem = name.trim_end_matches(".expected.json");
        let expected: Expected =
            serde_json::from_str(&std::fs::read_to_string(expected_path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = report_file(stem, scratch.path());
        formats.insert(file.extension().unwrap().to_string_lossy().to_string());
        let report = lint_file(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let got = counts(&report);
        if expected.clean {
            clean_reports += 1;
            clean_alarms += report.findings.len();
        } else {
            for (rule, n) in &expected.findings {
                planted_total += n;
                planted_missed += n.saturating_sub(*got.get(rule).unwrap_or(&0));
            }
            for (rule, n) in &got {
                planted_extra += n.saturating_sub(*expected.findings.get(rule).unwrap_or(&0));
            }
        }
        if got != expected.findings {
            let detail: Vec<String> =
                report.findings.iter().map(|f| format!("  {}:{} [{}] {}", f.span.line, f.span.column, f.rule, f.message)).collect();
            failures.push(format!("{stem}: expected {:?}, got {got:?}\n{}", expected.findings, detail.join("\n")));
        }
    }
    // The figure recorded in README.md.
    println!(
        "corpus: {} reports ({} clean); false alarms on clean reports: {clean_alarms} ({:.2} per clean report); \
         planted findings: {planted_total}, missed: {planted_missed}, extra findings on planted reports: {planted_extra}; formats: {formats:?}",
        expected_files.len(),
        clean_reports,
        clean_alarms as f64 / clean_reports.max(1) as f64,
    );
    assert!(formats.contains("md") && formats.contains("docx"), "the corpus covers .md and .docx: {formats:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
