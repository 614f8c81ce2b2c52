use super::*;
use crate::fixture::{books, date};

fn pay(no: &str, line: &str, amount: i64, reference: Option<&str>) -> Expenditure {
    Expenditure {
        voucher_no: no.into(),
        year: 2020,
        date: date("2020-07-01"),
        line_code: line.into(),
        amount: Fen(amount),
        payee: "某公司".into(),
        purpose: "用途".into(),
        procurement_ref: reference.map(Into::into),
        reverses: None,
        recorded_by: None,
        note: None,
    }
}

fn commit(no: &str, line: &str, amount: i64, reference: Option<&str>, reverses: Option<&str>) -> Commitment {
    Commitment {
        commitment_no: no.into(),
        year: 2020,
        date: date("2020-06-15"),
        line_code: line.into(),
        kind: CommitmentKind::Contract,
        amount: Fen(amount),
        procurement_ref: reference.map(Into::into),
        reverses: reverses.map(Into::into),
        recorded_by: None,
        note: None,
    }
}

fn setting(line: &str, mode: ControlMode, tolerance_bp: Option<i64>) -> LineControlSetting {
    LineControlSetting { line_code: line.into(), year: 2020, mode, tolerance_bp, note: None }
}

/// The fixture's B1 line: 1 000.00 元 budget, 800.00 元 spent, under 刚性控制.
fn stopped_books() -> Books {
    let mut b = books();
    b.records.line_controls.push(setting("B1", ControlMode::Stop, None));
    b
}

fn fresh(expenditures: Vec<Expenditure>, commitments: Vec<Commitment>) -> RecordSet {
    RecordSet { expenditures, commitments, ..RecordSet::default() }
}

#[test]
fn the_data_file_gives_the_most_specific_default() {
    // 财政拨款 lines: 刚性控制 nationally (预算管理一体化); own funds: not controlled at entry. Before: 不控制 for all.
    let national = default_control("430102", 2020, FundSource::GeneralBudget);
    assert_eq!((national.mode, national.tolerance_bp), (ControlMode::Stop, 0), "national default for 财政拨款");
    assert!(national.basis.contains("预算管理一体化"));
    assert_eq!(default_control("110101", 2024, FundSource::GovernmentFund).mode, ControlMode::Stop);
    assert_eq!(default_control("430102", 2020, FundSource::ServiceRevenue).mode, ControlMode::Ignore, "own funds");
    let sample = default_control("439901", 2021, FundSource::GeneralBudget);
    assert_eq!((sample.mode, sample.tolerance_bp), (ControlMode::Stop, 0));
    assert!(sample.basis.contains("439901"));
    assert!(
        default_control("439901", 2020, FundSource::GeneralBudget).basis.contains("预算管理一体化"),
        "the sample region's rule starts in 2021"
    );
    assert_eq!(
        default_control("439901", 2021, FundSource::OperatingRevenue).mode,
        ControlMode::Ignore,
        "the sample rule covers 财政拨款 only"
    );
}

#[test]
fn a_line_setting_overrides_the_default_and_keeps_the_default_tolerance_when_blank() {
    let b = stopped_books();
    let c = line_control(&b.unit, &b.records, 2020, "B1");
    assert_eq!((c.mode, c.tolerance_bp, c.basis.as_str()), (ControlMode::Stop, 0, "指标控制设置"));
    assert_eq!(line_control(&b.unit, &b.records, 2020, "P1").mode, ControlMode::Stop, "the national default of a 财政拨款 line");
    let mut own = b.clone();
    own.records.appropriation_lines[1].fund_source = FundSource::OperatingRevenue;
    assert_eq!(line_control(&own.unit, &own.records, 2020, "P1").mode, ControlMode::Ignore, "an own-fund line");
}

#[test]
fn tolerance_is_basis_points_of_the_annual_budget_rounded_down() {
    let c = LineControl { mode: ControlMode::Stop, tolerance_bp: 150, basis: String::new() };
    // 1.5% of 1 000.00 元 = 15.00 元; of 999.99 元 = 14.999 85 元 → 14.99 元.
    assert_eq!(c.tolerance(Fen(100_000)), Fen(1_500));
    assert_eq!(c.tolerance(Fen(99_999)), Fen(1_499));
}

#[test]
fn available_is_budget_less_commitments_less_spending_and_payment_releases_the_commitment() {
    let mut b = books();
    b.records.commitments.push(commit("ZY1", "B1", 15_000, Some("CG1"), None));
    assert_eq!(line_position(&b, "B1"), LinePosition { annual: Fen(100_000), committed: Fen(15_000), spent: Fen(80_000) });
    assert_eq!(line_position(&b, "B1").available(), Fen(5_000));
    // Paying 100.00 元 of the contract releases as much of the commitment: available does not move.
    b.records.expenditures.push(pay("ZC9", "B1", 10_000, Some("CG1")));
    let p = line_position(&b, "B1");
    assert_eq!((p.committed, p.spent, p.available()), (Fen(5_000), Fen(90_000), Fen(5_000)));
    // Cancelling (reversing) the commitment releases the rest of it... and an over-payment never makes it negative.
    b.records.commitments.push(commit("ZY1-C", "B1", -15_000, Some("CG1"), Some("ZY1")));
    let p = line_position(&b, "B1");
    assert_eq!((p.committed, p.available()), (Fen(0), Fen(10_000)));
    // A commitment without 采购编号 is released only by cancellation.
    b.records.commitments.push(commit("ZY2", "B1", 3_000, None, None));
    b.records.expenditures.push(pay("ZC10", "B1", 3_000, None));
    assert_eq!(line_position(&b, "B1").committed, Fen(3_000));
}

#[test]
fn stop_refuses_a_voucher_that_overdraws_naming_line_available_and_shortfall() {
    let b = stopped_books();
    // 200.00 元 are available; 250.00 元 overdraw by 50.00 元.
    let out = control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 25_000, None)], vec![]));
    assert_eq!(out.len(), 1);
    let o = &out[0];
    assert_eq!(
        (o.decision, o.rule_id(), o.before.available(), o.shortfall),
        (Decision::Stop, "BUDGET_CONTROL_STOP", Fen(20_000), Fen(5_000))
    );
    let m = o.message();
    assert!(
        m.contains("指标「B1」可用余额 200.00 元")
            && m.contains("本笔支出 250.00 元")
            && m.contains("超出可用余额 50.00 元")
            && m.contains("刚性控制"),
        "{m}"
    );
    // Exactly the available amount passes.
    assert!(control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 20_000, None)], vec![])).is_empty());
}

#[test]
fn vouchers_in_one_entry_are_controlled_in_order_and_commitments_count() {
    let b = stopped_books();
    // A 150.00 元 contract leaves 50.00 元; the two payments of 30.00 元 each: the second overdraws by 10.00 元.
    let out = control_entries(
        &b.unit,
        &b.records,
        &fresh(vec![pay("ZC9", "B1", 3_000, None), pay("ZC10", "B1", 3_000, None)], vec![commit("ZY1", "B1", 15_000, Some("CG1"), None)]),
    );
    assert_eq!(out.iter().map(|o| (o.key.as_str(), o.shortfall)).collect::<Vec<_>>(), vec![("ZC10", Fen(1_000))]);
    // A commitment that overdraws is stopped like a payment, and paying a commitment never is.
    let out = control_entries(&b.unit, &b.records, &fresh(vec![], vec![commit("ZY1", "B1", 30_000, None, None)]));
    assert_eq!((out[0].kind, out[0].shortfall), ("commitments", Fen(10_000)));
    assert!(out[0].message().contains("本笔占用 300.00 元"));
    let mut with_contract = b.clone();
    with_contract.records.commitments.push(commit("ZY1", "B1", 20_000, Some("CG1"), None));
    assert!(control_entries(&b.unit, &with_contract.records, &fresh(vec![pay("ZC9", "B1", 20_000, Some("CG1"))], vec![])).is_empty());
}

#[test]
fn tolerance_warn_ignore_and_reversals() {
    let mut b = books();
    b.records.line_controls.push(setting("B1", ControlMode::Stop, Some(500)));
    // 5% of 1 000.00 元 = 50.00 元 of tolerance: 250.00 元 passes, 250.01 元 is stopped by 0.01 元.
    assert!(control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 25_000, None)], vec![])).is_empty());
    let out = control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 25_001, None)], vec![]));
    assert_eq!((out[0].shortfall, out[0].tolerance), (Fen(1), Fen(5_000)));
    assert!(out[0].message().contains("（容差 50.00 元）"));

    b.records.line_controls = vec![setting("B1", ControlMode::Warn, None)];
    let out = control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 25_000, None)], vec![]));
    assert_eq!((out[0].decision, out[0].rule_id()), (Decision::Warn, "BUDGET_CONTROL_WARN"));
    assert!(out[0].message().contains("预警控制"));

    b.records.line_controls = vec![setting("B1", ControlMode::Ignore, None)];
    assert!(control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 25_000, None)], vec![])).is_empty());

    // A reversal only gives money back.
    let mut over = stopped_books();
    over.records.expenditures.push(pay("ZC9", "B1", 25_000, None));
    let mut reversal = pay("ZC9-R", "B1", -25_000, None);
    reversal.reverses = Some("ZC9".into());
    assert!(control_entries(&over.unit, &over.records, &fresh(vec![reversal], vec![])).is_empty());
}

#[test]
fn an_override_passes_the_stop_and_becomes_a_record() {
    let b = stopped_books();
    let mut out = control_entries(&b.unit, &b.records, &fresh(vec![pay("ZC9", "B1", 25_000, None)], vec![]));
    let request = OverrideRequest {
        approved_by: "李审核".into(), role: "reviewer".into(), reason: "防汛应急采购，已报区政府同意".into()
    };
    let records = apply_override(&mut out, &request);
    assert_eq!((out[0].decision, out[0].overridden_now), (Decision::Overridden, true));
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(
        (r.override_no.as_str(), r.voucher_no.as_str(), r.line_code.as_str(), r.shortfall, r.approved_by.as_str()),
        ("CK-ZC9", "ZC9", "B1", Fen(5_000), "李审核")
    );
    // Once stored (or carried in the same entry), the override record passes the voucher.
    let mut stored = b.clone();
    stored.records.control_overrides = records;
    let again = control_entries(&b.unit, &stored.records, &fresh(vec![pay("ZC9", "B1", 25_000, None)], vec![]));
    assert_eq!((again[0].decision, again[0].overridden_now), (Decision::Overridden, false));
    assert!(again[0].message().contains("已按超控记录登记"));
}
