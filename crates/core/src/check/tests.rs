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
    let found = rule_findings(&b, "CODE_TABLE_MISSING");
    assert_eq!(found.len(), 1, "one error for the year, not one per record: {found:#?}");
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("jixiao codes import 科目表.xlsx --year 1999"), "{}", found[0].message);
    assert!(rule_findings(&b, "CODE_INVALID").is_empty());
}

#[test]
fn code_invalid_when_the_class_does_not_exist() {
    let mut b = books();
    b.records.appropriation_lines[1].function_code = "2350101".into();
    assert_fires(&b, "CODE_INVALID", Severity::Error, "功能科目 2350101 不是2020年度有效的项级科目（其类 235 在2020年度不存在）");
    let mut b = books();
    b.records.appropriation_lines[0].economic_code = "50198".into();
    assert_fires(&b, "CODE_INVALID", Severity::Error, "经济科目 50198");
    let mut b = books();
    b.records.appropriation_lines[0].function_code = "20607".into();
    assert_fires(&b, "CODE_INVALID", Severity::Error, "功能科目 20607 不是2020年度有效的项级科目（应为项级编码）");
}

#[test]
fn code_unconfirmed_warns_once_per_code_with_neighbours_and_the_import_command() {
    let mut b = books();
    // Two lines and a receipt carry the same code of a known 类 that the embedded edition does not list.
    b.records.appropriation_lines[0].function_code = "2060798".into();
    b.records.appropriation_lines[1].function_code = "2060798".into();
    b.records.appropriation_lines[1].reported_name = Some("某科普支出".into());
    b.records.receipts[0].function_code = "2060798".into();
    let found = rule_findings(&b, "CODE_UNCONFIRMED");
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.records.len(), 3);
    for needle in [
        "功能科目 2060798",
        "原报科目名称「某科普支出」",
        "未能核对：请导入本年度官方科目表",
        "2020 年度",
        "2060799 其他科学技术普及支出",
        "jixiao codes import 科目表.xlsx --year 2020",
    ] {
        assert!(f.message.contains(needle), "{needle}: {}", f.message);
    }
    assert!(!has_errors(&rule_findings(&b, "CODE_INVALID")));
    // Without a reported name, the message says the name is missing.
    let mut b = books();
    b.records.appropriation_lines[0].economic_code = "30198".into();
    assert_fires(&b, "CODE_UNCONFIRMED", Severity::Warning, "经济科目 30198（工资福利支出，科目名称缺失");
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

/// The fixture with an own-fund line (事业收入) that spent `spent` against a plan of `plan` (none when `None`),
/// and the receipt of what it spent.
fn with_own_funds(plan: Option<i64>, spent: i64) -> Books {
    let mut b = books();
    let mut line = b.records.appropriation_lines[0].clone();
    line.line_code = "DW1".into();
    line.fund_source = FundSource::ServiceRevenue;
    b.records.appropriation_lines.push(line);
    if let Some(plan) = plan {
        let mut v = b.records.budget_vouchers[0].clone();
        v.voucher_no = "DWYS1".into();
        v.line_code = "DW1".into();
        v.amount = Fen(plan);
        b.records.budget_vouchers.push(v);
    }
    let mut e = b.records.expenditures[0].clone();
    e.voucher_no = "DWZC1".into();
    e.line_code = "DW1".into();
    e.amount = Fen(spent);
    b.records.expenditures.push(e);
    let mut r = b.records.receipts[0].clone();
    r.voucher_no = "DWSR1".into();
    r.fund_source = FundSource::ServiceRevenue;
    r.amount = Fen(spent);
    b.records.receipts.push(r);
    b
}

#[test]
fn own_funds_without_a_plan_warn_and_never_count_as_overspending() {
    // Before income kinds: the own-fund line was a line of 0 overspent (an error) and its receipt unreconciled.
    let b = with_own_funds(None, 30_000);
    assert!(rule_findings(&b, "LINE_OVERSPENT").is_empty());
    assert!(rule_findings(&b, "RECEIPTS_UNRECONCILED").is_empty());
    assert_fires(&b, "OWN_FUNDS_BEYOND_PLAN", Severity::Warning, "其他资金指标「DW1」（事业收入）未编列计划数，本年支出 300.00 元");
    assert!(!has_errors(&check(&b)));
}

#[test]
fn own_funds_beyond_their_plan_warn_and_within_it_are_silent() {
    let b = with_own_funds(Some(20_000), 30_000);
    assert_fires(&b, "OWN_FUNDS_BEYOND_PLAN", Severity::Warning, "超出计划数 200.00 元 100.00 元");
    assert!(rule_findings(&b, "LINE_OVERSPENT").is_empty());
    let b = with_own_funds(Some(30_000), 30_000);
    assert!(rule_findings(&b, "OWN_FUNDS_BEYOND_PLAN").is_empty());
    assert!(check(&b).iter().all(|f| f.severity == Severity::Info), "{:#?}", check(&b));
}

#[test]
fn an_appropriation_not_disbursed_is_a_warning_naming_the_line_and_the_record_to_add() {
    // Before: an error (差额 -10.00 元) that stopped the report and named no record to add.
    let mut b = books();
    b.records.receipts[0].amount = Fen(99_000);
    assert_fires(
        &b,
        "RECEIPTS_UNRECONCILED",
        Severity::Warning,
        "尚有 10.00 元年末未拨付也未处理：请为指标「B1」（余额 200.00 元）补录变动类型为「收回」",
    );
    assert!(!has_errors(&check(&b)));
    let found = rule_findings(&b, "RECEIPTS_UNRECONCILED");
    assert!(found[0].records.contains(&RecordRef::new("appropriation_lines", "B1")), "{found:#?}");
    // A 结转下年 (or 收回) voucher for the 10.00 元 settles it.
    for kind in [BudgetVoucherKind::CarryForward, BudgetVoucherKind::Recovery] {
        let mut settled = b.clone();
        let mut v = settled.records.budget_vouchers[0].clone();
        v.voucher_no = "NM1".into();
        v.kind = kind;
        v.amount = Fen(1_000);
        v.date = date("2020-12-31");
        settled.records.budget_vouchers.push(v);
        assert!(rule_findings(&settled, "RECEIPTS_UNRECONCILED").is_empty(), "{kind:?}");
        assert!(check(&settled).iter().all(|f| f.severity == Severity::Info), "{:#?}", check(&settled));
    }
}

#[test]
fn receipts_beyond_the_appropriation_stay_an_error() {
    let mut b = books();
    b.records.receipts[0].amount = Fen(101_000);
    assert_fires(&b, "RECEIPTS_UNRECONCILED", Severity::Error, "超过本年下达的预算指标（全年预算数减上年结转）1500.00 元，差额 10.00 元");
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
    // 绩效监控记录 naming an unknown project or indicator; a result for a department indicator is known.
    let mut b = books();
    let note = MonitoringNote {
        monitor_code: "JK1".into(),
        year: 2020,
        date: date("2020-07-05"),
        project_code: Some("XM9".into()),
        indicator_code: Some("BM-9".into()),
        deviation_reason: None,
        corrective_action: None,
        expected_amount: None,
        expected_value: None,
        likelihood: None,
        recorder: None,
    };
    b.records.monitoring_notes.push(note);
    assert_fires(&b, "REFERENCE_UNKNOWN", Severity::Error, "项目「XM9」");
    assert_fires(&b, "REFERENCE_UNKNOWN", Severity::Error, "绩效指标「BM-9」");
    let mut b = books();
    let mut department = b.records.project_indicators[0].clone();
    department.indicator_code = "BM-1".into();
    b.records.department_indicators.push(DepartmentIndicator {
        indicator_code: "BM-1".into(),
        year: 2020,
        level1: department.level1,
        level2: department.level2,
        level3: department.level3,
        direction: department.direction,
        target: department.target,
        actual: None,
        unit: department.unit,
        is_key: false,
        weight: None,
        evidence: None,
        deviation_reason: None,
    });
    b.records.indicator_results.push(result("JG1", "BM-1", "2020-07-01", "3"));
    assert!(check(&b).iter().all(|f| f.rule_id != "REFERENCE_UNKNOWN"), "{:?}", check(&b));
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
    // Named by the report's numbering, not an internal id (was 「报告文字「八、…」（章节 problems）」); the id is
    // the record reference, what the 报告文字 record's 章节 takes.
    let section = rule_findings(&b, "SECTION_DATA_MISSING").into_iter().find(|f| f.message.contains("存在的主要问题")).unwrap();
    assert_eq!(section.message, "缺少数据：报告文字「八、存在的主要问题及原因分析」");
    assert_eq!(section.records, vec![RecordRef::new("narratives", "problems")]);
}

#[test]
fn every_rule_has_a_test_here() {
    let source = include_str!("tests.rs");
    for (id, _) in RULES {
        assert!(source.matches(&format!("\"{id}\"")).count() >= 1, "{id} has no test");
    }
}

#[test]
fn budget_control_warn_counts_commitments_and_tolerance() {
    let mut b = books();
    // B1: 1 000.00 元 budget, 800.00 元 spent; a 300.00 元 contract on a 预警控制 line overdraws by 100.00 元.
    b.records.line_controls.push(LineControlSetting {
        line_code: "B1".into(),
        year: 2020,
        mode: ControlMode::Warn,
        tolerance_bp: None,
        note: None,
    });
    b.records.commitments.push(Commitment {
        commitment_no: "ZY1".into(),
        year: 2020,
        date: date("2020-06-01"),
        line_code: "B1".into(),
        kind: CommitmentKind::Contract,
        amount: Fen(30_000),
        procurement_ref: None,
        reverses: None,
        recorded_by: None,
        note: None,
    });
    assert_fires(
        &b,
        "BUDGET_CONTROL_WARN",
        Severity::Warning,
        "指标「B1」（预警控制）全年预算 1000.00 元，已占用 300.00 元、已支出 800.00 元，超出可用额度 100.00 元",
    );
    // A 10% tolerance (100.00 元) absorbs it; an uncontrolled line is never reported.
    b.records.line_controls[0].tolerance_bp = Some(1_000);
    assert!(rule_findings(&b, "BUDGET_CONTROL_WARN").is_empty());
    b.records.line_controls[0] =
        LineControlSetting { line_code: "B1".into(), year: 2020, mode: ControlMode::Ignore, tolerance_bp: None, note: None };
    assert!(rule_findings(&b, "BUDGET_CONTROL_WARN").is_empty());
}

#[test]
fn budget_control_overridden_lists_who_and_why() {
    let mut b = books();
    b.records.control_overrides.push(ControlOverride {
        override_no: "CK-ZC9".into(),
        year: 2020,
        date: date("2020-07-01"),
        voucher_no: "ZC9".into(),
        line_code: "B1".into(),
        shortfall: Fen(5_000),
        reason: "应急采购".into(),
        approved_by: "李审核".into(),
        role: "reviewer".into(),
    });
    assert_fires(
        &b,
        "BUDGET_CONTROL_OVERRIDDEN",
        Severity::Info,
        "凭证「ZC9」超出指标「B1」可用余额 50.00 元，由 李审核（reviewer）超控登记，理由：应急采购",
    );
}

/// The procurement rules at check level (their edge cases are in `procurement/tests.rs`).
#[test]
fn procurement_rules_fire_through_check() {
    let mut b = books();
    let p = |code: &str, day: &str, method, amount: i64, supplier: &str, government: bool| Procurement {
        procurement_code: code.into(),
        year: 2020,
        date: date(day),
        project_code: None,
        item: format!("{code}内容"),
        method,
        is_government_procurement: government,
        budget_amount: None,
        contract_amount: Fen(amount),
        supplier: Some(supplier.into()),
        contract_no: None,
        accepted_on: None,
        note: None,
    };
    b.records.procurements = vec![
        p("CG1", "2020-03-01", ProcurementMethod::CompetitiveNegotiation, 250_000_000, "甲公司", true),
        p("CG2", "2020-04-01", ProcurementMethod::ThreeQuotes, 20_000_000, "乙公司", false),
        p("CG3", "2020-04-20", ProcurementMethod::ThreeQuotes, 20_000_000, "乙公司", false),
    ];
    b.records.procurement_quotes = vec![ProcurementQuote {
        quote_code: "BJ1".into(),
        year: 2020,
        procurement_ref: "CG2".into(),
        supplier: "乙公司".into(),
        amount: Fen(20_000_000),
        date: None,
    }];
    assert_fires(&b, "PROCUREMENT_TENDER_REQUIRED", Severity::Warning, "采购「CG1」");
    assert_fires(&b, "PROCUREMENT_SPLIT", Severity::Warning, "（CG2、CG3）合计 400000.00 元");
    assert_fires(&b, "PROCUREMENT_QUOTES_MISSING", Severity::Warning, "采购「CG2」");
    assert_fires(&b, "PROCUREMENT_CONTRACT_MISSING", Severity::Warning, "没有合同和验收记录");
}

/// 三重一大 and segregation of duties at check level (edge cases in `governance/tests.rs`).
#[test]
fn governance_rules_fire_through_check() {
    let mut b = books();
    b.records.major_decision_policies.push(MajorDecisionPolicy {
        policy_code: "BF1".into(),
        year: 2020,
        threshold: Fen(50_000),
        document: "实施办法".into(),
        adopted_on: date("2020-01-01"),
    });
    assert_fires(&b, "MAJOR_DECISION_MISSING", Severity::Warning, "支出凭证「ZC1」");
    b.records.voucher_approvals.push(VoucherApproval {
        approval_code: "SH1".into(),
        year: 2020,
        voucher_no: "ZC1".into(),
        entered_by: "clerk".into(),
        approved_by: "clerk".into(),
        date: date("2020-06-02"),
    });
    assert_fires(&b, "SEGREGATION_OF_DUTIES", Severity::Error, "由录入人 clerk 本人审核");
}

/// The fixed-asset rules at check level (edge cases and depreciation in `assets/tests.rs`).
#[test]
fn asset_rules_fire_through_check() {
    let mut b = books();
    let asset = |code: &str, status| FixedAsset {
        asset_code: code.into(),
        year: 2020,
        name: "计算机".into(),
        category: "计算机设备".into(),
        original_value: Fen(500_000),
        acquired_on: date("2014-01-01"),
        status,
        note: None,
    };
    b.records.fixed_assets = vec![asset("ZC1", AssetStatus::Disposed), asset("ZC2", AssetStatus::InUse)];
    b.records.asset_counts = vec![AssetCount {
        count_code: "PD1".into(),
        year: 2020,
        date: date("2020-12-20"),
        asset_code: "ZC2".into(),
        found: false,
        note: None,
    }];
    assert_fires(&b, "ASSET_DISPOSAL_UNAPPROVED", Severity::Warning, "固定资产「ZC1」");
    assert_fires(&b, "ASSET_COUNT_DIFFERENCE", Severity::Warning, "（盘亏）");
}

#[test]
fn with_an_official_table_an_unknown_code_is_an_error_and_check_names_the_edition() {
    use crate::codes::{CodeTables, OfficialRow};
    let rows: Vec<OfficialRow> = ["206", "20601", "2060101", "20607", "2060702", "301", "30101", "302", "30201"]
        .iter()
        .map(|c| OfficialRow { code: c.to_string(), name: format!("科目{c}") })
        .collect();
    // A year no other test reads: installing is process-wide.
    CodeTables::install_official(CodeTables::official(2032, &rows, "一体化科目表.csv", "2026-12-07"));
    let mut b = books();
    b.year.year = 2032;
    b.records.appropriation_lines[0].function_code = "2060798".into();
    assert_fires(
        &b,
        "CODE_INVALID",
        Severity::Error,
        "2060798 不是2032年度有效的项级科目（不在已导入的2032 年度官方科目表（一体化科目表.csv",
    );
    assert!(rule_findings(&b, "CODE_UNCONFIRMED").is_empty());
    assert_fires(&b, "CODE_TABLE_MISSING", Severity::Info, "核对科目所用：2032 年度官方科目表");
}

#[test]
fn every_rule_has_a_chinese_name() {
    for (id, _) in RULES {
        let name = rule_name(id).unwrap_or_else(|| panic!("{id} has no name in check-rules.toml"));
        assert!(name.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{id}: {name}");
    }
    let listed: toml::Value = toml::from_str(include_str!("../../data/check-rules.toml")).unwrap();
    let listed = listed["rule"].as_array().unwrap();
    assert_eq!(listed.len(), RULES.len(), "check-rules.toml names exactly the rules of RULES");
    assert_eq!(rule_name("NO_SUCH_RULE"), None);
}
