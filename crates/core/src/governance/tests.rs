use super::*;
use crate::check::check;
use crate::fixture::{books, date};

fn fired(b: &Books, rule: &str) -> Vec<Finding> {
    check(b).into_iter().filter(|f| f.rule_id == rule).collect()
}

fn policy(threshold: i64, adopted: &str) -> MajorDecisionPolicy {
    MajorDecisionPolicy {
        policy_code: format!("BF-{adopted}"),
        year: 2020,
        threshold: Fen(threshold),
        document: "单位三重一大实施办法".into(),
        adopted_on: date(adopted),
    }
}

fn decision(code: &str, day: &str) -> MajorDecision {
    MajorDecision {
        decision_code: code.into(),
        year: 2020,
        date: date(day),
        kind: MajorDecisionKind::LargeFunds,
        subject: "事项".into(),
        amount: None,
        meeting: None,
    }
}

fn link(code: &str, decision: &str, kind: LinkedKind, key: &str) -> DecisionLink {
    DecisionLink { link_code: code.into(), year: 2020, decision_code: decision.into(), record_kind: kind, record_key: key.into() }
}

#[test]
fn the_threshold_is_the_units_own_latest_policy_else_the_regions_default() {
    let mut b = books();
    assert_eq!(major_decision_threshold(&b), None, "no national figure");
    b.unit.region_code = "439901".into();
    b.year.year = 2021;
    assert_eq!(major_decision_threshold(&b).map(|t| t.0), Some(Fen(10_000_000)));
    let mut b = books();
    b.records.major_decision_policies = vec![policy(60_000, "2019-12-01"), policy(50_000, "2020-03-01")];
    assert_eq!(major_decision_threshold(&b), Some((Fen(50_000), "单位三重一大实施办法".into())));
}

#[test]
fn above_the_threshold_needs_a_linked_decision_taken_before() {
    let mut b = books();
    // ZC1 800.00 元 and ZC2 500.00 元; the unit's threshold 500.00 元: only ZC1 is above it.
    b.records.major_decision_policies = vec![policy(50_000, "2020-01-01")];
    let found = fired(&b, "MAJOR_DECISION_MISSING");
    assert_eq!(found.iter().map(|f| f.records[0].key.as_str()).collect::<Vec<_>>(), vec!["ZC1"]);
    assert!(
        found[0].message.contains(
            "支出凭证「ZC1」（用途）金额 800.00 元，超过“三重一大”大额资金标准 500.00 元（单位三重一大实施办法），但没有关联的集体决策记录"
        ),
        "{}",
        found[0].message
    );
    // A decision dated after the payment is 事后补议; one before clears it.
    b.records.major_decisions = vec![decision("JC1", "2020-06-02")];
    b.records.decision_links = vec![link("GL1", "JC1", LinkedKind::Expenditure, "ZC1")];
    assert!(fired(&b, "MAJOR_DECISION_MISSING")[0].message.contains("关联的集体决策「JC1」（2020-06-02）晚于该事项，属事后补议"));
    b.records.major_decisions[0].date = date("2020-06-01");
    assert!(fired(&b, "MAJOR_DECISION_MISSING").is_empty());
}

#[test]
fn a_decision_on_the_procurement_covers_its_payments_and_reversed_payments_need_none() {
    let mut b = books();
    b.records.major_decision_policies = vec![policy(50_000, "2020-01-01")];
    b.records.expenditures[0].procurement_ref = Some("CG1".into());
    b.records.procurements.push(Procurement {
        procurement_code: "CG1".into(),
        year: 2020,
        date: date("2020-05-01"),
        project_code: None,
        item: "设备".into(),
        method: ProcurementMethod::ThreeQuotes,
        is_government_procurement: false,
        budget_amount: None,
        contract_amount: Fen(80_000),
        supplier: None,
        contract_no: None,
        accepted_on: None,
        note: None,
    });
    assert_eq!(fired(&b, "MAJOR_DECISION_MISSING").len(), 2, "the contract and its payment");
    b.records.major_decisions = vec![decision("JC1", "2020-04-20")];
    b.records.decision_links = vec![link("GL1", "JC1", LinkedKind::Procurement, "CG1")];
    assert!(fired(&b, "MAJOR_DECISION_MISSING").is_empty());
    // A reversed voucher needs no decision.
    let mut b = books();
    b.records.major_decision_policies = vec![policy(50_000, "2020-01-01")];
    let mut reversal = b.records.expenditures[0].clone();
    reversal.voucher_no = "ZC1-R".into();
    reversal.amount = -reversal.amount;
    reversal.reverses = Some("ZC1".into());
    b.records.expenditures.push(reversal);
    assert!(fired(&b, "MAJOR_DECISION_MISSING").is_empty());
}

#[test]
fn the_enterer_may_not_approve() {
    let mut b = books();
    let approval = |code: &str, entered: &str, approved: &str| VoucherApproval {
        approval_code: code.into(),
        year: 2020,
        voucher_no: "ZC1".into(),
        entered_by: entered.into(),
        approved_by: approved.into(),
        date: date("2020-06-02"),
    };
    b.records.voucher_approvals = vec![approval("SH1", "clerk", "reviewer")];
    assert!(fired(&b, "SEGREGATION_OF_DUTIES").is_empty());
    b.records.voucher_approvals.push(approval("SH2", "admin", "admin "));
    let found = fired(&b, "SEGREGATION_OF_DUTIES");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("支出凭证「ZC1」由录入人 admin 本人审核（审核记录「SH2」）"), "{}", found[0].message);
}
