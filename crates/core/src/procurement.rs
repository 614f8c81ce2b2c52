//! 采购 (procurement) rules of `jixiao check`, driven by `data/procurement-rules.toml` per region and year:
//! 公开招标 at or above the 公开招标数额标准, split purchases (拆分采购), 三方询价 evidence, and 政府采购 contracts
//! and acceptance.

use crate::books::Books;
use crate::finding::{Finding, RecordRef, Severity};
use crate::money::Fen;
use crate::records::*;
use crate::regional::{most_specific, regional};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The procurement thresholds and method rules of one region and year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProcurementRules {
    #[serde(default)]
    pub region: String,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    /// 公开招标数额标准, whole 元.
    pub open_tender_yuan: i64,
    /// 分散采购限额标准, whole 元: the sum that split purchases must not reach.
    pub split_threshold_yuan: i64,
    pub split_window_days: i64,
    pub min_quotes: usize,
    pub quote_records_required: bool,
    pub basis: String,
}

impl ProcurementRules {
    pub fn open_tender(&self) -> Fen {
        Fen(self.open_tender_yuan * 100)
    }
    pub fn split_threshold(&self) -> Fen {
        Fen(self.split_threshold_yuan * 100)
    }
}

regional!(ProcurementRules);

#[derive(Deserialize)]
struct RawFile {
    rule: Vec<ProcurementRules>,
}

fn all_rules() -> &'static [ProcurementRules] {
    static RULES: OnceLock<Vec<ProcurementRules>> = OnceLock::new();
    RULES.get_or_init(|| {
        toml::from_str::<RawFile>(include_str!("../data/procurement-rules.toml"))
            .expect("procurement-rules.toml is valid (checked by tests)")
            .rule
    })
}

/// The rules of a region and year: the longest matching region prefix; among equals, the later one. None when
/// no rule covers the year (the procurement checks then stay silent rather than guess).
pub fn rules_for(region_code: &str, year: i32) -> Option<&'static ProcurementRules> {
    most_specific(all_rules(), region_code, year)
}

fn reference(p: &Procurement) -> RecordRef {
    RecordRef::new("procurements", &p.procurement_code)
}

/// The amount the thresholds apply to: the 采购预算 when stated, else the 合同金额.
fn purchase_value(p: &Procurement) -> Fen {
    p.budget_amount.unwrap_or(p.contract_amount).max(p.contract_amount)
}

/// At or above the 公开招标数额标准 without 公开招标 and without an approved change of method.
pub fn tender_required(b: &Books) -> Vec<Finding> {
    let Some(rules) = rules_for(&b.unit.region_code, b.year.year) else { return vec![] };
    b.records
        .procurements
        .iter()
        .filter(|p| p.method != ProcurementMethod::OpenTender && purchase_value(p) >= rules.open_tender())
        .filter(|p| {
            !b.records.procurement_exceptions.iter().any(|e| e.procurement_ref == p.procurement_code && e.approved_method == p.method)
        })
        .map(|p| Finding {
            // A compliance finding, not an inconsistency of the books: it does not stop the report.
            severity: Severity::Warning,
            rule_id: "PROCUREMENT_TENDER_REQUIRED",
            message: format!(
                "采购「{}」（{}）金额 {} 元，达到公开招标数额标准 {} 元，但采购方式为{}，且没有对应的采购方式变更批复（依据：{}）",
                p.procurement_code,
                p.item,
                purchase_value(p),
                rules.open_tender(),
                p.method.label(),
                rules.basis
            ),
            records: vec![reference(p)],
        })
        .collect()
}

/// Purchases each below the 分散采购限额标准, from one supplier or of one item within the window, that together
/// reach it: one finding per supplier or item, naming the purchases of the first window that reaches it.
pub fn split_purchases(b: &Books) -> Vec<Finding> {
    let Some(rules) = rules_for(&b.unit.region_code, b.year.year) else { return vec![] };
    let small: Vec<&Procurement> = b.records.procurements.iter().filter(|p| purchase_value(p) < rules.split_threshold()).collect();
    let mut out = Vec::new();
    let mut reported: Vec<Vec<String>> = Vec::new();
    for (what, key) in [
        ("供应商", (|p: &Procurement| p.supplier.clone()) as fn(&Procurement) -> Option<String>),
        ("采购内容", |p: &Procurement| Some(p.item.clone())),
    ] {
        let mut groups: BTreeMap<String, Vec<&Procurement>> = BTreeMap::new();
        for p in &small {
            if let Some(k) = key(p).map(|k| k.trim().to_string()).filter(|k| !k.is_empty()) {
                groups.entry(k).or_default().push(p);
            }
        }
        for (name, mut ps) in groups {
            ps.sort_by_key(|p| (p.date, p.procurement_code.clone()));
            let window = (0..ps.len()).find_map(|start| {
                let first = ps[start].date.unix_days();
                let within: Vec<&Procurement> =
                    ps[start..].iter().copied().take_while(|p| p.date.unix_days() - first <= rules.split_window_days).collect();
                let sum: Fen = within.iter().map(|p| p.contract_amount).sum();
                (within.len() >= 2 && sum >= rules.split_threshold()).then_some((within, sum))
            });
            let Some((within, sum)) = window else { continue };
            let codes: Vec<String> = within.iter().map(|p| p.procurement_code.clone()).collect();
            // The same purchases found by supplier and by item are one finding.
            if reported.contains(&codes) {
                continue;
            }
            reported.push(codes.clone());
            out.push(Finding {
                severity: Severity::Warning,
                rule_id: "PROCUREMENT_SPLIT",
                message: format!(
                    "{what}「{name}」在 {} 天内的 {} 笔采购（{}）合计 {} 元，达到分散采购限额标准 {} 元，而每笔均低于该标准，疑似拆分采购（依据：{}）",
                    rules.split_window_days,
                    codes.len(),
                    codes.join("、"),
                    sum,
                    rules.split_threshold(),
                    rules.basis
                ),
                records: within.iter().map(|p| reference(p)).collect(),
            });
        }
    }
    out
}

/// 三方询价 without the quotes of enough different suppliers recorded.
pub fn quotes_missing(b: &Books) -> Vec<Finding> {
    let Some(rules) = rules_for(&b.unit.region_code, b.year.year) else { return vec![] };
    b.records
        .procurements
        .iter()
        .filter(|p| matches!(p.method, ProcurementMethod::ThreeQuotes | ProcurementMethod::RequestForQuotation))
        .filter_map(|p| {
            let quotes: Vec<&ProcurementQuote> =
                b.records.procurement_quotes.iter().filter(|q| q.procurement_ref == p.procurement_code).collect();
            let mut suppliers: Vec<&str> = quotes.iter().map(|q| q.supplier.trim()).collect();
            suppliers.sort();
            suppliers.dedup();
            let short = suppliers.len() < rules.min_quotes && (rules.quote_records_required || !quotes.is_empty());
            short.then(|| {
                let mut records = vec![reference(p)];
                records.extend(quotes.iter().map(|q| RecordRef::new("procurement_quotes", &q.quote_code)));
                Finding {
                    severity: Severity::Warning,
                    rule_id: "PROCUREMENT_QUOTES_MISSING",
                    message: format!(
                        "采购「{}」（{}）采用{}，只登记了 {} 家供应商的报价，应不少于 {} 家",
                        p.procurement_code,
                        p.item,
                        p.method.label(),
                        suppliers.len(),
                        rules.min_quotes
                    ),
                    records,
                }
            })
        })
        .collect()
}

/// 政府采购 without a contract number or without an acceptance date.
pub fn contract_or_acceptance_missing(b: &Books) -> Vec<Finding> {
    b.records
        .procurements
        .iter()
        .filter(|p| p.is_government_procurement)
        .filter_map(|p| {
            let missing: Vec<&str> =
                [(p.contract_no.as_deref().is_none_or(|c| c.trim().is_empty()), "合同"), (p.accepted_on.is_none(), "验收")]
                    .into_iter()
                    .filter(|(m, _)| *m)
                    .map(|(_, w)| w)
                    .collect();
            (!missing.is_empty()).then(|| Finding {
                severity: Severity::Warning,
                rule_id: "PROCUREMENT_CONTRACT_MISSING",
                message: format!(
                    "政府采购「{}」（{}，{} 元）没有{}记录",
                    p.procurement_code,
                    p.item,
                    p.contract_amount,
                    missing.join("和")
                ),
                records: vec![reference(p)],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
