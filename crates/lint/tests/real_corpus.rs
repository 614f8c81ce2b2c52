//! The linter against real published documents (`tests/real-corpus/`): every `NAME.txt` has a
//! `NAME.meta.json` with its URL, kind and the hard inconsistencies a person found in it (sums and rates
//! recomputed by `examples/recompute.rs`). Prints recall and error-level false alarms per document
//! kind, and holds the linter to the targets: recall ≥ 90% of the listed inconsistencies, at most one
//! error-level false alarm per ten documents.
//!
//! `LINT_REAL_CORPUS_VERBOSE=1 cargo nextest run -p jixiao-lint --test real_corpus --no-capture` lists
//! every finding.

use jixiao_lint::{DocumentFinding, Severity, lint_text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
struct Meta {
    url: String,
    kind: String,
    expected: Vec<Expected>,
}

#[derive(serde::Deserialize)]
struct Expected {
    rule: String,
    needle: String,
    note: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real-corpus")
}

/// 1-based line numbers of the first and last character of `needle` in `text`.
fn needle_lines(text: &str, needle: &str) -> Option<(usize, usize)> {
    let start = text.find(needle)?;
    let first = text[..start].matches('\n').count() + 1;
    Some((first, first + needle.trim_end().matches('\n').count()))
}

fn finding_lines(f: &DocumentFinding) -> (usize, usize) {
    (f.span.line, f.span.line + f.quote.matches('\n').count())
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[derive(Default)]
struct Tally {
    documents: usize,
    expected: usize,
    found: usize,
    error_false_alarms: usize,
    warnings: usize,
}

#[test]
fn real_documents_recall_and_false_alarms() {
    let verbose = std::env::var_os("LINT_REAL_CORPUS_VERBOSE").is_some();
    let mut metas: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".meta.json"))
        .collect();
    metas.sort();
    assert!(metas.len() >= 40, "at least 40 real documents");

    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut false_alarms = Vec::new();
    let mut wrong_kind = Vec::new();
    for meta_path in &metas {
        let name = meta_path.file_name().unwrap().to_string_lossy().trim_end_matches(".meta.json").to_string();
        let meta: Meta = serde_json::from_str(&std::fs::read_to_string(meta_path).unwrap()).unwrap();
        assert!(meta.url.starts_with("http"), "{name}: URL");
        let text = std::fs::read_to_string(corpus_dir().join(format!("{name}.txt"))).unwrap();
        let report = lint_text(&format!("{name}.txt"), &text);
        if report.kind.id() != meta.kind {
            wrong_kind.push(format!("{name}: read as {}, is {}", report.kind.id(), meta.kind));
        }
        let tally = by_kind.entry(meta.kind.clone()).or_default();
        tally.documents += 1;
        let mut explained = vec![false; report.findings.len()];
        for e in &meta.expected {
            let lines = needle_lines(&report.text, &e.needle).unwrap_or_else(|| panic!("{name}: needle 「{}」 not in the text", e.needle));
            tally.expected += 1;
            let mut hit = false;
            for (i, f) in report.findings.iter().enumerate() {
                if f.rule == e.rule && overlaps(finding_lines(f), lines) {
                    hit = true;
                    explained[i] = true;
                }
            }
            if hit {
                tally.found += 1;
            } else {
                missed.push(format!("{name}: [{}] 「{}」 — {}", e.rule, e.needle, e.note));
            }
        }
        for (i, f) in report.findings.iter().enumerate() {
            if f.severity == Severity::Warning {
                tally.warnings += 1;
            }
            if f.severity == Severity::Error && !explained[i] {
                tally.error_false_alarms += 1;
                false_alarms.push(format!("{name}:{}: [{}] {} | {}", f.span.line, f.rule, f.message, f.quote));
            }
            if verbose {
                println!("{name}:{}: {} [{}] {} | {}", f.span.line, f.severity.label(), f.rule, f.message, f.quote.replace('\n', "⏎"));
            }
        }
    }

    println!("\n{:<18} {:>4} {:>6} {:>6} {:>8} {:>10} {:>8}", "kind", "docs", "listed", "found", "recall", "error FA", "warnings");
    let mut total = Tally::default();
    for (kind, t) in &by_kind {
        println!(
            "{kind:<18} {:>4} {:>6} {:>6} {:>8} {:>10} {:>8}",
            t.documents,
            t.expected,
            t.found,
            if t.expected == 0 { "—".to_string() } else { format!("{:.0}%", 100.0 * t.found as f64 / t.expected as f64) },
            t.error_false_alarms,
            t.warnings
        );
        total.documents += t.documents;
        total.expected += t.expected;
        total.found += t.found;
        total.error_false_alarms += t.error_false_alarms;
        total.warnings += t.warnings;
    }
    println!(
        "{:<18} {:>4} {:>6} {:>6} {:>7.0}% {:>10} {:>8}",
        "all",
        total.documents,
        total.expected,
        total.found,
        100.0 * total.found as f64 / total.expected.max(1) as f64,
        total.error_false_alarms,
        total.warnings
    );
    for m in &missed {
        println!("missed: {m}");
    }
    for f in &false_alarms {
        println!("error-level false alarm: {f}");
    }
    assert!(wrong_kind.is_empty(), "document kinds: {wrong_kind:#?}");
    assert!(total.found * 10 >= total.expected * 9, "recall {}/{} is below 90%", total.found, total.expected);
    assert!(
        total.error_false_alarms * 10 <= total.documents,
        "{} error-level false alarms over {} documents (at most one per ten)",
        total.error_false_alarms,
        total.documents
    );
}
