use super::*;
use crate::fixture::{books, date};

fn rule_findings(b: &Books, rule: &str) -> Vec<Finding> {
    check(b).into_iter().filter(|f| f.rule_id == rule).collect()
}

fn assert_fires(b: &Books, rule: &str, severity: Severity, needle: &str) {
    let found = rule_findings(b, rule);
    assert!(
        found.iter().any(|f| f.severity == severity && f.message.contains(needle)),
        "{rule} should report {needle:?} at {severity:?}; got {found:#?}"
    );
}

#[test]
fn clean_books_have_no_errors_or_warnings() {
    let found = check(&books());
    assert!(found.iter().all(|f| f.severity == Severity::Info), "{found:#?}");
    assert!(!has_errors(&found));
}

#[test]
fn code_table_missing() {
    let mut b = books();
    b.year.year = 1999;
    assert_fires(&b, "CODE_TABLE_MISSING", Severity::Error, "1999");
}

#[test]
fn code_invalid_suggests_neighbours() {
    let mut b = books();
    b.records.appropriation_lines[1].function_code = "2060798".into();
    assert_fires(&b, "CODE_INVALID", Severity::Error, "2060799");
    let mut b = books();
    b.records.appropriation_lines[0].economic_code = "30198".into();
    assert_fires(&b, "CODE_INVALID", Severity::Error, "经济科目 30198");
}

#[test]
fn code_name_mapped_names_the_official_code() {
    let mut b = books();
    b.records.appropriation_lines[1].function_code = "2060799".into();
    b.records.appropriation_lines[1].reported_name = Some("其他社会科学普及支出".into());
    assert_fires(&b, "CODE_NAME_MAPPED", Severity::Info, "2060799 其他科学技术普及支出");
}

#[test]
fn budget_stated_mismatch() {
    let mut b = books();
    b.records.appropriation_lines[0].stated_annual_budget = Some(Fen(100_000));
    assert!(rule_findings(&b, "BUDGET_STATED_MISMATCH").is_empty());
    b.records.appropriation_lines[0].stated_annual_budget = Some(Fen(90_000));
    assert_fires(&b, "BUDGET_STATED_MISMATCH", Severity::Error, "与填报的全年预算数 900.00 元不符");
}

#[test]
fn line_overspent() {
    let mut b = books();
    b.records.expenditures[0].amount = Fen(100_001);
    assert_fires(&b, "LINE_OVERSPENT", Severity::Error, "超支 0.01 元");
}

#[test]
fn receipts_unreconciled() {
    let mut b = books();
    b.records.receipts[0].amount = Fen(99_000);
    assert_fires(&b, "RECEIPTS_UNRECONCILED", Severity::Error, "差额 -10.00 元");
}

#[test]
fn carry_over_is_not_expected_as_a_receipt() {
    let mut b = books();
    let mut carry = b.records.budget_vouchers[0].clone();
    carry.voucher_no = "JZ1".into();
    carry.kind = BudgetVoucherKind::CarryOver;
    carry.amount = Fen(5_000);
    b.records.budget_vouchers.push(carry);
    assert!(rule_findings(&b, "RECEIPTS_UNRECONCILED").is_empty());
}

#[test]
fn split_inconsistent() {
    let mut b = books();
    b.records.appropriation_lines[0].project_code = Some("XM1".into());
    assert_fires(&b, "SPLIT_INCONSISTENT", Severity::Error, "不应挂项目");
    let mut b = books();
    b.records.appropriation_lines[1].project_code = None;
    assert_fires(&b, "SPLIT_INCONSISTENT", Severity::Error, "未填项目编码");
    let mut b = books();
    b.records.appropriation_lines[0].economic_code = "30701".into();
    assert_fires(&b, "SPLIT_INCONSISTENT", Severity::Error, "既非人员经费");
}

#[test]
fn sangong_is_computed_from_codes() {
    let mut b = books();
    b.records.appropriation_lines[0].economic_code = "30217".into();
    assert_fires(&b, "SANGONG_SUMMARY", Severity::Info, "支出 800.00 元");
    b.records.appropriation_lines[1].economic_code = "30231".into();
    assert_fires(&b, "SANGONG_SUMMARY", Severity::Warning, "项目支出指标「P1」使用三公经费科目 30231");
}

#[test]
fn date_outside_year() {
    let mut b = books();
    b.records.expenditures[0].date = date("2021-01-03");
    assert_fires(&b, "DATE_OUTSIDE_YEAR", Severity::Error, "2021-01-03");
    let mut b = books();
    b.records.budget_vouchers[0].date = date("2019-12-20");
    assert!(rule_findings(&b, "DATE_OUTSIDE_YEAR").is_empty(), "年初预算 approved in the prior December is fine");
}

#[test]
fn reversal_invalid() {
    let mut b = books();
    let mut r = b.records.expenditures[0].clone();
    r.voucher_no = "HC1".into();
    r.amount = Fen(-70_000);
    r.reverses = Some("ZC1".into());
    b.records.expenditures.push(r);
    assert_fires(&b, "REVERSAL_INVALID", Severity::Error, "LEDGER_REVERSAL_AMOUNT");
}

#[test]
fn reference_unknown() {
    let mut b = books();
    b.records.expenditures[0].procurement_ref = Some("CG9".into());
    assert_fires(&b, "REFERENCE_UNKNOWN", Severity::Error, "采购记录「CG9」");
    let mut b = books();
    b.records.expenditures[1].line_code = "P9".into();
    assert_fires(&b, "REFERENCE_UNKNOWN", Severity::Error, "预算指标「P9」");
    let mut b = books();
    b.records.indicator_results.push(result("JG1", "XM9-1", "2021-02-01", "12"));
    assert_fires(&b, "REFERENCE_UNKNOWN", Severity::Error, "绩效指标「XM9-1」");
}

fn result(code: &str, indicator: &str, on: &str, actual: &str) -> IndicatorResult {
    IndicatorResult {
        result_code: code.into(),
        year: 2020,
        indicator_code: indicator.into(),
        date: date(on),
        actual: actual.into(),
        evidence: Some("活动签到表".into()),
        deviation_reason: None,
        recorder: None,
    }
}

/// A result recorded later fills the indicator's missing 实际完成值; the latest one stands, by date then code.
#[test]
fn indicator_results_complete_the_actuals() {
    let mut b = books();
    b.records.project_indicators[0].actual = None;
    assert_fires(&b, "PROJECT_TARGETS_MISSING", Severity::Warning, "没有实际完成值");
    b.records.indicator_results.push(result("JG2", "XM1-1", "2021-01-10", "9"));
    b.records.indicator_results.push(result("JG1", "XM1-1", "2021-01-20", "11"));
    assert!(rule_findings(&b, "PROJECT_TARGETS_MISSING").is_empty());
    let now = b.project_indicators();
    assert_eq!(now[0].actual.as_deref(), Some("11"));
    assert_eq!(now[0].evidence.as_deref(), Some("活动签到表"));
    // The indicator's own record is unchanged: the result is a record beside it.
    assert_eq!(b.records.project_indicators[0].actual, None);
    b.records.indicator_results.push(result("JG3", "XM1-1", "2021-01-20", "12"));
    assert_eq!(b.project_indicators()[0].actual.as_deref(), Some("12"), "same date: the later code stands");
}

#[test]
fn procurement_overpaid() {
    let mut b = books();
    b.records.procurements.push(Procurement {
        procurement_code: "CG1".into(),
        year: 2020,
        date: date("2020-05-01"),
        project_code: Some("XM1".into()),
        item: "委托业务".into(),
        method: ProcurementMethod::ThreeQuotes,
        is_government_procurement: false,
        budget_amount: None,
        contract_amount: Fen(40_000),
        supplier: None,
        contract_no: None,
        accepted_on: None,
        note: None,
    });
    b.records.expenditures[1].procurement_ref = Some("CG1".into());
    assert_fires(&b, "PROCUREMENT_OVERPAID", Severity::Warning, "已付 500.00 元");
}

#[test]
fn project_targets_missing() {
    let mut b = books();
    b.records.project_indicators[0].actual = None;
    assert_fires(&b, "PROJECT_TARGETS_MISSING", Severity::Warning, "没有实际完成值");
    b.records.project_indicators.clear();
    assert_fires(&b, "PROJECT_TARGETS_MISSING", Severity::Error, "没有绩效指标");
}

#[test]
fn section_data_missing() {
    let mut b = books();
    b.records.narratives.retain(|n| n.section != "problems");
    b.year.report_date = None;
    assert_fires(&b, "SECTION_DATA_MISSING", Severity::Warning, "存在的主要问题及原因分析");
    assert_fires(&b, "SECTION_DATA_MISSING", Severity::Warning, "报告日期");
}

#[test]
fn every_rule_has_a_test_here() {
    let source = include_str!("tests.rs");
    for (id, _) in RULES {
        assert!(source.matches(&format!("\"{id}\"")).count() >= 1, "{id} has no test");
    }
}
