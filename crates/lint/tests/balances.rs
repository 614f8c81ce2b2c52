//! `opening-balance-mismatch` and `receipts-above-budget` on real published text.
//! - 城口县财政预算评审中心 2022 决算说明 (tests/real-corpus/chongqing-2022-final-chengkou-pingshen.txt,
//!   http://cqck.gov.cn/zwgk_270/fdzdgknr/ysjs/jsgk/bmjs/202311/t20231120_12578145_wap.html) states
//!   「年初结转和结余128.86万元」; the sentence naming the prior year's closing and the 2021 document are
//!   written for the test (the corpus holds no page that states both).
//! - 红河州数据发展中心 2024 项目自评报告 (tests/real-corpus/yunnan-2024-project-report-honghe-shuju.txt,
//!   https://www.hh.gov.cn/info/11481/1179592.htm): 调整预算后项目预算861.46万元 … 实际到位资金334.67万元,
//!   below the budget; the test raises 到位 above it.

use jixiao_lint::{Severity, lint_file, lint_text};

fn corpus(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/real-corpus/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn found<'a>(report: &'a jixiao_lint::LintReport, rule: &str) -> Vec<&'a jixiao_lint::DocumentFinding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

fn rule_count(report: &jixiao_lint::LintReport, rule: &str) -> usize {
    found(report, rule).len()
}

#[test]
fn the_real_opening_balance_alone_is_not_flagged() {
    let text = corpus("chongqing-2022-final-chengkou-pingshen.txt");
    let report = lint_text("城口评审中心.txt", &text);
    assert_eq!(rule_count(&report, "opening-balance-mismatch"), 0);
    assert!(report.figures.iter().any(|f| f.name == "年初结转和结余" && f.fen == 128_860_000), "{:?}", report.figures);
}

#[test]
fn an_opening_balance_other_than_the_prior_closing_is_an_error() {
    let real = corpus("chongqing-2022-final-chengkou-pingshen.txt");
    let agreeing = format!("{real}\n上年年末结转和结余128.86万元。\n");
    assert_eq!(rule_count(&lint_text("a.txt", &agreeing), "opening-balance-mismatch"), 0);
    let differing = format!("{real}\n上年年末结转和结余131.20万元。\n");
    let report = lint_text("b.txt", &differing);
    let hits = found(&report, "opening-balance-mismatch");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].severity, Severity::Error);
    assert!(hits[0].message.contains("128.86"), "{}", hits[0].message);
    assert!(hits[0].message.contains("131.20"), "{}", hits[0].message);
    assert!(hits[0].message.contains("差 2.34万元"), "{}", hits[0].message);
    // An adjustment named next to it: still shown, as a warning.
    let explained = format!("{real}\n上年年末结转和结余131.20万元，差额为以前年度会计差错更正调整。\n");
    let report = lint_text("c.txt", &explained);
    let hits = found(&report, "opening-balance-mismatch");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
}

#[test]
fn the_opening_balance_is_compared_with_last_years_document() {
    let dir = tempfile::tempdir().unwrap();
    let this_year = dir.path().join("2022.txt");
    std::fs::write(
        &this_year,
        format!("重庆市城口县财政预算评审中心2022年度部门决算情况说明\n{}", corpus("chongqing-2022-final-chengkou-pingshen.txt")),
    )
    .unwrap();
    let last_year = dir.path().join("2021.txt");
    let prior = |closing: &str| {
        format!(
            "重庆市城口县财政预算评审中心2021年度部门决算情况说明\n一、收入支出决算总体情况说明\n2021年度年末结转和结余{closing}万元。\n"
        )
    };
    for (closing, expected) in [("128.86", 0), ("140.00", 1)] {
        std::fs::write(&last_year, prior(closing)).unwrap();
        let mut reports = vec![lint_file(&this_year).unwrap(), lint_file(&last_year).unwrap()];
        assert_eq!(reports[0].unit_name, reports[1].unit_name);
        jixiao_lint::compare::compare(&mut reports);
        let hits = found(&reports[0], "opening-balance-mismatch");
        assert_eq!(hits.len(), expected, "{closing}: {hits:?}");
        if let Some(f) = hits.first() {
            assert!(f.message.contains("140.00万元"), "{}", f.message);
            assert!(f.message.contains("差 11.14万元"), "{}", f.message);
        }
    }
}

#[test]
fn receipts_above_the_budget_without_a_word_are_flagged() {
    let real = corpus("yunnan-2024-project-report-honghe-shuju.txt");
    assert_eq!(rule_count(&lint_text("红河.txt", &real), "receipts-above-budget"), 0);
    let above = real.replacen("实际到位资金334.67万元", "实际到位资金934.67万元", 1);
    assert_ne!(above, real);
    let report = lint_text("红河.txt", &above);
    let hits = found(&report, "receipts-above-budget");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].severity, Severity::Warning);
    assert!(hits[0].message.contains("861.46"), "{}", hits[0].message);
    assert!(hits[0].message.contains("多 73.21万元"), "{}", hits[0].message);
    // With its reason in the next sentence: not flagged.
    let explained = real.replacen("实际到位资金334.67万元。", "实际到位资金934.67万元。超出部分为年中上级追加的专项资金。", 1);
    assert_eq!(rule_count(&lint_text("红河.txt", &explained), "receipts-above-budget"), 0);
}

/// 青神县发展和改革局 2023 工资性支出 自评表 (tests/real-corpus/sichuan-2023-project-form-qingshen-fagai.txt,
/// https://www.scqs.gov.cn/info/13206/211004.htm): 年初 238.93, 调整后 251.89, 执行 251.89 万元.
#[test]
fn a_form_executed_above_its_budget_without_a_reason_is_flagged() {
    let real = corpus("sichuan-2023-project-form-qingshen-fagai.txt");
    assert_eq!(rule_count(&lint_text("青神.txt", &real), "receipts-above-budget"), 0);
    let total = "总额 |\n238.93 |\n251.89 |\n251.89 |";
    assert!(real.contains(total));
    let above = real.replacen(total, "总额 |\n238.93 |\n251.89 |\n263.10 |", 1);
    let report = lint_text("青神.txt", &above);
    let hits = found(&report, "receipts-above-budget");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].message.contains("多 11.21"), "{}", hits[0].message);
}
