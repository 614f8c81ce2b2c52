//! "三重一大" (collective decisions on large amounts) and segregation of duties (不相容岗位分离): rules of
//! `jixiao check`. The 大额资金 amount comes from the unit's own 三重一大实施办法 record, else from
//! `data/major-decision.toml` per region and year.

use crate::books::Books;
use crate::date::Date;
use crate::finding::{Finding, RecordRef, Severity};
use crate::money::Fen;
use crate::records::*;
use crate::regional::{most_specific, regional};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct RawRule {
    region: String,
    from_year: Option<i32>,
    to_year: Option<i32>,
    threshold_yuan: Option<i64>,
    basis: String,
}

regional!(RawRule);

#[derive(Deserialize)]
struct RawFile {
    rule: Vec<RawRule>,
}

fn rules() -> &'static [RawRule] {
    static RULES: OnceLock<Vec<RawRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        toml::from_str::<RawFile>(include_str!("../data/major-decision.toml"))
            .expect("major-decision.toml is valid (checked by tests)")
            .rule
    })
}

/// The 大额资金 amount that applies to a unit-year, and where it comes from; None when neither the unit nor
/// the region sets one.
pub fn major_decision_threshold(b: &Books) -> Option<(Fen, String)> {
    if let Some(p) =
        b.records.major_decision_policies.iter().filter(|p| p.year == b.year.year).max_by_key(|p| (p.adopted_on, p.policy_code.clone()))
    {
        return Some((p.threshold, p.document.clone()));
    }
    most_specific(rules(), &b.unit.region_code, b.year.year).and_then(|r| r.threshold_yuan.map(|t| (Fen(t * 100), r.basis.clone())))
}

/// A record that may need a collective decision: its kind, key, date, amount, 采购编号 and a description.
struct Decidable<'a> {
    kind: LinkedKind,
    key: &'a str,
    date: Date,
    amount: Fen,
    procurement_ref: Option<&'a str>,
    what: String,
}

fn decidables(b: &Books) -> Vec<Decidable<'_>> {
    let r = &b.records;
    let reversed: std::collections::HashSet<&str> = r.expenditures.iter().filter_map(|e| e.reverses.as_deref()).collect();
    let mut out: Vec<Decidable> = r
        .expenditures
        .iter()
        .filter(|e| e.reverses.is_none() && !reversed.contains(e.voucher_no.as_str()))
        .map(|e| Decidable {
            kind: LinkedKind::Expenditure,
            key: &e.voucher_no,
            date: e.date,
            amount: e.amount,
            procurement_ref: e.procurement_ref.as_deref(),
            what: format!("支出凭证「{}」（{}）", e.voucher_no, e.purpose),
        })
        .collect();
    out.extend(r.procurements.iter().map(|p| Decidable {
        kind: LinkedKind::Procurement,
        key: &p.procurement_code,
        date: p.date,
        amount: p.contract_amount,
        procurement_ref: None,
        what: format!("采购合同「{}」（{}）", p.procurement_code, p.item),
    }));
    out.extend(r.commitments.iter().filter(|c| c.kind == CommitmentKind::Contract && c.reverses.is_none()).map(|c| Decidable {
        kind: LinkedKind::Commitment,
        key: &c.commitment_no,
        date: c.date,
        amount: c.amount,
        procurement_ref: c.procurement_ref.as_deref(),
        what: format!("合同占用「{}」", c.commitment_no),
    }));
    out
}

/// The decisions linked to a record, directly or through the procurement it settles.
fn linked<'a>(b: &'a Books, d: &Decidable) -> Vec<&'a MajorDecision> {
    b.records
        .decision_links
        .iter()
        .filter(|l| {
            (l.record_kind == d.kind && l.record_key == d.key)
                || (l.record_kind == LinkedKind::Procurement && Some(l.record_key.as_str()) == d.procurement_ref)
        })
        .filter_map(|l| b.records.major_decisions.iter().find(|m| m.decision_code == l.decision_code))
        .collect()
}

/// Above the 大额资金 amount without a linked collective decision, or with one dated after the record (事后补议).
pub fn major_decision_missing(b: &Books) -> Vec<Finding> {
    let Some((threshold, basis)) = major_decision_threshold(b) else { return vec![] };
    decidables(b)
        .into_iter()
        .filter(|d| d.amount > threshold)
        .filter_map(|d| {
            let decisions = linked(b, &d);
            let record = RecordRef::new(d.kind.id(), d.key);
            if decisions.is_empty() {
                return Some(Finding {
                    severity: Severity::Warning,
                    rule_id: "MAJOR_DECISION_MISSING",
                    message: format!(
                        "{}金额 {} 元，超过“三重一大”大额资金标准 {} 元（{}），但没有关联的集体决策记录",
                        d.what, d.amount, threshold, basis
                    ),
                    records: vec![record],
                });
            }
            (!decisions.iter().any(|m| m.date <= d.date)).then(|| Finding {
                severity: Severity::Warning,
                rule_id: "MAJOR_DECISION_MISSING",
                message: format!(
                    "{}金额 {} 元（{}），关联的集体决策「{}」（{}）晚于该事项，属事后补议",
                    d.what,
                    d.amount,
                    d.date,
                    decisions.iter().map(|m| m.decision_code.as_str()).collect::<Vec<_>>().join("、"),
                    decisions.iter().map(|m| m.date.to_string()).collect::<Vec<_>>().join("、")
                ),
                records: std::iter::once(record)
                    .chain(decisions.iter().map(|m| RecordRef::new("major_decisions", &m.decision_code)))
                    .collect(),
            })
        })
        .collect()
}

/// A voucher approved by the user who entered it.
pub fn segregation_of_duties(b: &Books) -> Vec<Finding> {
    b.records
        .voucher_approvals
        .iter()
        .filter(|a| a.entered_by.trim() == a.approved_by.trim())
        .map(|a| Finding {
            severity: Severity::Error,
            rule_id: "SEGREGATION_OF_DUTIES",
            message: format!(
                "支出凭证「{}」由录入人 {} 本人审核（审核记录「{}」），违反不相容岗位相互分离",
                a.voucher_no,
                a.approved_by.trim(),
                a.approval_code
            ),
            records: vec![RecordRef::new("voucher_approvals", &a.approval_code), RecordRef::new("expenditures", &a.voucher_no)],
        })
        .collect()
}

#[cfg(test)]
mod tests;
