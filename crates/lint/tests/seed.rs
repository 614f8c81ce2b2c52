//! The seed report (shared/seed, a real 2020 report of 芙蓉区科学技术协会) must yield the five defects
//! issue 9 names, each with its arithmetic shown.

use jixiao_lint::{DocumentFinding, lint_file};
use std::path::Path;

fn seed() -> jixiao_lint::LintReport {
    lint_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/seed-furong-2020.txt")).expect("seed reads")
}

fn by_rule<'a>(findings: &'a [DocumentFinding], rule: &str) -> Vec<&'a DocumentFinding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn recovers_year_signature_and_outline() {
    let r = seed();
    assert_eq!(r.report_year, Some(2020));
    assert_eq!(r.signed_by.as_deref(), Some("芙蓉区科学技术协会"));
    assert_eq!(r.signed_on.as_deref(), Some("2021-04-25"));
    assert!(r.outline.iter().any(|h| h == "一、部门概况"));
    assert!(r.outline.iter().any(|h| h == "部门整体支出绩效情况"));
}

#[test]
fn defect_1_income_parts_do_not_sum_to_total() {
    let r = seed();
    let f = by_rule(&r.findings, "sum-mismatch");
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("148.93 + 社会保障和就业支出 5.03 = 153.96万元"), "{}", f[0].message);
    assert!(f[0].message.contains("242.96") && f[0].message.contains("89.00万元"), "{}", f[0].message);
    assert!(f[0].quote.starts_with("242.96万元"));
    assert_eq!(f[0].span.line, 35);
}

#[test]
fn defect_2_basic_plus_project_against_income() {
    let r = seed();
    let f = by_rule(&r.findings, "basic-project-total");
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("基本支出 102.96万元（第49行）+ 项目支出 108.37万元（第52行） = 211.33万元"), "{}", f[0].message);
    assert!(f[0].message.contains("242.96万元") && f[0].message.contains("31.63万元"), "{}", f[0].message);
}

#[test]
fn defect_3_sections_repeated_after_the_signature() {
    let r = seed();
    let f = by_rule(&r.findings, "duplicate-section");
    assert_eq!(f.len(), 3);
    assert!(f[0].message.contains("三、部门项目组织实施情况") && f[0].message.contains("（一）") && f[0].message.contains("（二）"));
    assert!(f[1].message.contains("四、资产管理情况"));
    assert!(f[2].message.contains("部门整体支出绩效情况"));
    assert_eq!(by_rule(&r.findings, "content-after-signature").len(), 1);
}

#[test]
fn defect_4_missing_and_misplaced_sections() {
    let r = seed();
    let missing: Vec<&str> = by_rule(&r.findings, "missing-section").iter().map(|f| f.message.as_str()).collect();
    assert_eq!(missing.len(), 3);
    assert!(missing[0].contains("存在的主要问题"));
    assert!(missing[1].contains("改进措施"));
    assert!(missing[2].contains("结果应用"));
    let misplaced = by_rule(&r.findings, "misplaced-section");
    assert_eq!(misplaced.len(), 1);
    assert_eq!(misplaced[0].quote, "下一步工作计划");
    assert!(misplaced[0].message.contains("一、部门概况"));
}

#[test]
fn defect_5_classification_name_not_in_the_2020_tables() {
    let r = seed();
    let f = by_rule(&r.findings, "unknown-classification");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].quote, "其他社会科学普及支出");
    assert!(f[0].message.contains("2060799 其他科学技术普及支出"), "{}", f[0].message);
    let colloquial: Vec<&str> = by_rule(&r.findings, "colloquial-classification").iter().map(|f| f.quote.as_str()).collect();
    assert_eq!(colloquial, vec!["社会科学支出", "科普活动支出"]);
}

#[test]
fn spans_quote_the_text_they_point_at() {
    let r = seed();
    for f in &r.findings {
        let slice = &r.text[f.span.start..f.span.end];
        assert!(slice.starts_with(f.quote.trim_end_matches('…')), "{}: {:?} vs {:?}", f.rule, slice, f.quote);
        assert_eq!(r.text[..f.span.start].chars().count(), f.span.char_start);
    }
}
