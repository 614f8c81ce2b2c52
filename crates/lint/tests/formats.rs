//! Reading every input format, the three output formats and the exit codes.

mod common;

use jixiao_lint::{LintError, OutputFormat, lint_file, lint_text, render, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(name)
}

fn rule_counts(findings: &[jixiao_lint::DocumentFinding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in findings {
        *m.entry(f.rule).or_insert(0) += 1;
    }
    m
}

#[test]
fn a_docx_of_the_seed_reads_like_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(corpus("seed-furong-2020.txt")).unwrap();
    let path = dir.path().join("seed.docx");
    common::build_docx(&source, &path);
    let from_docx = lint_file(&path).unwrap();
    let from_text = lint_file(&corpus("seed-furong-2020.txt")).unwrap();
    assert_eq!(rule_counts(&from_docx.findings), rule_counts(&from_text.findings));
    assert!(from_docx.text.contains("合计242.96万元，其中科学技术支出148.93万元"), "runs joined per paragraph");
}

#[test]
fn a_pdf_text_layer_reads_like_the_text() {
    if !common::pdftotext_available() {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(corpus("planted-rates-wangcheng-2020.txt")).unwrap();
    let path = dir.path().join("wangcheng.pdf");
    common::build_pdf(&source, &path);
    let from_pdf = lint_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let from_text = lint_file(&corpus("planted-rates-wangcheng-2020.txt")).unwrap();
    assert_eq!(from_pdf.report_year, Some(2020));
    assert_eq!(rule_counts(&from_pdf.findings), rule_counts(&from_text.findings), "{:#?}", from_pdf.findings);
}

#[test]
fn a_pdf_without_text_is_a_clear_error() {
    if !common::pdftotext_available() {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.pdf");
    common::build_pdf("", &path);
    assert!(matches!(lint_file(&path), Err(LintError::PdfNoText)));
    let broken = dir.path().join("broken.pdf");
    std::fs::write(&broken, "not a pdf").unwrap();
    assert!(matches!(lint_file(&broken), Err(LintError::Pdf(_) | LintError::PdfNoText)));
}

#[test]
fn unreadable_inputs_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(lint_file(&dir.path().join("missing.txt")), Err(LintError::Io(_))));
    let binary = dir.path().join("x.txt");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1]).unwrap();
    assert!(matches!(lint_file(&binary), Err(LintError::NotText)));
    let not_zip = dir.path().join("x.docx");
    std::fs::write(&not_zip, "plain text").unwrap();
    assert!(matches!(lint_file(&not_zip), Err(LintError::Docx(_))));
}

#[test]
fn gb18030_text_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(corpus("seed-furong-2020.txt")).unwrap();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let path = dir.path().join("seed-gbk.txt");
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(lint_file(&path).unwrap().findings.len(), lint_file(&corpus("seed-furong-2020.txt")).unwrap().findings.len());
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(&[corpus("clean-yuelu-wenlv-2020.txt")], OutputFormat::Text), 0);
    assert_eq!(run(&[corpus("clean-yuelu-wenlv-2020.txt"), corpus("seed-furong-2020.txt")], OutputFormat::Json), 1);
    assert_eq!(run(&[corpus("seed-furong-2020.txt"), dir.path().join("nope.txt")], OutputFormat::Text), 2);
}

#[test]
fn json_and_html_carry_every_finding() {
    let report = lint_file(&corpus("seed-furong-2020.txt")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&render(&report, OutputFormat::Json)).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), report.findings.len());
    assert_eq!(findings[0]["span"]["line"], report.findings[0].span.line);
    assert!(findings.iter().any(|f| f["rule"] == "sum-mismatch" && f["severity"] == "error"));

    let html = render(&report, OutputFormat::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<mark class=\"error\" title=\"[sum-mismatch] 分项之和与合计不符"));
    assert!(html.contains("其他社会科学普及支出</mark>"));
    assert_eq!(html.matches("<li class=").count(), report.findings.len());

    let text = render(&report, OutputFormat::Text);
    assert!(text.contains(":35:16: 错误 [sum-mismatch]"), "{text}");
}

#[test]
fn output_format_names() {
    assert_eq!("json".parse::<OutputFormat>(), Ok(OutputFormat::Json));
    assert_eq!("HTML".parse::<OutputFormat>(), Ok(OutputFormat::Html));
    assert!("xml".parse::<OutputFormat>().is_err());
}

#[test]
fn markup_in_the_report_is_escaped_in_html() {
    let report = lint_text("x.txt", "2020年度<script>报告</script>\"A'\n一、概况\n合计10万元，其中A 3万元、B 4万元。");
    let html = render(&report, OutputFormat::Html);
    assert!(!html.contains("<script>") && !html.contains("</script>"));
    // The escaping of the web pages' templates and the HTML report (minijinja's), `/` included.
    assert!(html.contains("&lt;script&gt;报告&lt;&#x2f;script&gt;&quot;A&#x27;"), "{html}");
}

/// A 自评表 published as PDF, each cell its own text object as PDF producers draw tables: the 资金
/// block of 池州市贵池区棠溪镇 2022 委托业务项目 (tests/real-corpus/anhui-2022-project-form-chizhou-tangxi.txt,
/// http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2), whose 年度资金总额 row reads 0
/// against its 其中 row's 90. Read with -layout and split on runs of blanks, the rows keep their cells
/// and the form checks run as on the tab-separated text.
#[test]
fn a_pdf_form_is_read_with_its_cells() {
    if !common::pdftotext_available() {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chizhou.pdf");
    let rows: Vec<Vec<&str>> = vec![
        vec!["项目支出绩效自评表（2022年度）"],
        vec!["项目名称", "委托业务项目"],
        vec!["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        vec!["年度资金总额：", "0", "0", "0", "10", "0", "0"],
        vec!["其中：本年财政拨款", "90", "89.974", "89.974"],
        vec!["上年结转资金"],
        vec!["其他资金"],
    ];
    common::build_table_pdf(&rows, &[20, 200, 300, 400, 500, 560, 620], &path);
    let report = lint_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let counts = rule_counts(&report.findings);
    assert!(report.text.contains("年度资金总额：\t0\t0\t0\t10\t0\t0"), "{}", report.text);
    assert_eq!(counts.get("total-row-mismatch"), Some(&1), "{counts:?}");
}
