//! 固定资产 (fixed assets): depreciation by class and useful life (`data/asset-classes.toml`), and the
//! lifecycle rules of `jixiao check` — disposal only with approval, inventory counts (盘点) with differences.
//! [`effective_status`] feeds the evaluation's 固定资产利用率 and 资产管理安全性: an approved disposal takes the
//! asset out of the held assets, a 盘亏 takes it out of use.

use crate::books::Books;
use crate::date::Date;
use crate::finding::{Finding, RecordRef, Severity};
use crate::money::Fen;
use crate::records::*;
use serde::Deserialize;
use std::sync::OnceLock;

/// One class of the depreciation table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AssetClass {
    pub category: String,
    pub class: String,
    /// 折旧年限 (minimum); absent when not depreciated.
    pub years: Option<u32>,
    #[serde(default = "yes")]
    pub depreciate: bool,
    #[serde(default)]
    pub default: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct RawFile {
    basis: String,
    class: Vec<AssetClass>,
}

fn table() -> &'static RawFile {
    static TABLE: OnceLock<RawFile> = OnceLock::new();
    TABLE
        .get_or_init(|| toml::from_str(include_str!("../data/asset-classes.toml")).expect("asset-classes.toml is valid (checked by tests)"))
}

/// The document the depreciation table follows.
pub fn table_basis() -> &'static str {
    &table().basis
}

/// The class of an asset's 资产类别: a class named so, else the default class of a category named so.
pub fn asset_class(category: &str) -> Option<&'static AssetClass> {
    let c = category.trim();
    let classes = &table().class;
    classes.iter().find(|k| k.class == c).or_else(|| classes.iter().find(|k| k.category == c && k.default))
}

/// One fiscal year of an asset's depreciation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepreciationYear {
    pub year: i32,
    /// Months depreciated in the year.
    pub months: u32,
    /// 本年折旧.
    pub charge: Fen,
    /// 累计折旧 at the year's end.
    pub accumulated: Fen,
    /// 净值 at the year's end.
    pub net: Fen,
}

/// Straight-line monthly depreciation, no residual value, from the month of acquisition (当月开始计提) for
/// `years` × 12 months. Rounding: the accumulated depreciation after n months is ⌊原值 × n ÷ total months⌋ 分, so
/// each month's charge differs by at most 1 分 and the last month brings the net value to exactly 0.
pub fn depreciation_schedule(original: Fen, acquired_on: Date, years: u32) -> Vec<DepreciationYear> {
    let total = i64::from(years) * 12;
    if total == 0 || original.0 <= 0 {
        return vec![];
    }
    let accumulated_after = |n: i64| Fen(original.0 * n.min(total) / total);
    let mut out = Vec::new();
    let mut done = 0i64;
    let mut year = acquired_on.year;
    let mut first_month = i64::from(acquired_on.month);
    while done < total {
        let months = (13 - first_month).min(total - done);
        let before = accumulated_after(done);
        done += months;
        let after = accumulated_after(done);
        out.push(DepreciationYear { year, months: months as u32, charge: after - before, accumulated: after, net: original - after });
        year += 1;
        first_month = 1;
    }
    out
}

/// An asset's depreciation schedule by its class, or None when its class is unknown or not depreciated.
pub fn asset_schedule(a: &FixedAsset) -> Option<Vec<DepreciationYear>> {
    let class = asset_class(&a.category)?;
    class.depreciate.then_some(())?;
    Some(depreciation_schedule(a.original_value, a.acquired_on, class.years?))
}

/// An asset's depreciation in fiscal `year`: (class, useful life, months, charge, accumulated, net at the year's
/// end). Before acquisition nothing is depreciated; after the last month the asset stays at net 0.
pub fn depreciation_in(a: &FixedAsset, year: i32) -> Option<(&'static AssetClass, u32, DepreciationYear)> {
    let class = asset_class(&a.category)?;
    let years = class.years.filter(|_| class.depreciate)?;
    let schedule = depreciation_schedule(a.original_value, a.acquired_on, years);
    let row = match schedule.iter().find(|d| d.year == year) {
        Some(d) => *d,
        None if year < a.acquired_on.year => {
            DepreciationYear { year, months: 0, charge: Fen(0), accumulated: Fen(0), net: a.original_value }
        }
        None => DepreciationYear { year, months: 0, charge: Fen(0), accumulated: a.original_value, net: Fen(0) },
    };
    Some((class, years, row))
}

/// A disposal with its 批复文号.
pub fn is_approved_disposal(e: &AssetEvent) -> bool {
    e.kind == AssetEventKind::Disposal && e.approval_document.as_deref().is_some_and(|d| !d.trim().is_empty())
}

fn approved_disposal<'a>(r: &'a RecordSet, asset_code: &str) -> Option<&'a AssetEvent> {
    r.asset_events.iter().find(|e| e.asset_code == asset_code && is_approved_disposal(e))
}

/// The status the evaluation counts: 已处置 after an approved disposal or a transfer out, 闲置 when the year's
/// inventory count did not find it (盘亏), else the register's status.
pub fn effective_status(r: &RecordSet, a: &FixedAsset) -> AssetStatus {
    let gone = approved_disposal(r, &a.asset_code).is_some()
        || r.asset_events.iter().any(|e| e.asset_code == a.asset_code && e.kind == AssetEventKind::Transfer);
    if gone {
        AssetStatus::Disposed
    } else if r.asset_counts.iter().any(|c| c.asset_code == a.asset_code && c.year == a.year && !c.found)
        && a.status != AssetStatus::Disposed
    {
        AssetStatus::Idle
    } else {
        a.status
    }
}

/// Registered as 已处置 without an approved disposal.
pub fn disposal_unapproved(b: &Books) -> Vec<Finding> {
    b.records
        .fixed_assets
        .iter()
        .filter(|a| a.status == AssetStatus::Disposed && approved_disposal(&b.records, &a.asset_code).is_none())
        .map(|a| Finding {
            severity: Severity::Warning,
            rule_id: "ASSET_DISPOSAL_UNAPPROVED",
            message: format!(
                "固定资产「{}」（{}，原值 {} 元）登记为已处置，但没有经批准的处置记录（批复文号）",
                a.asset_code, a.name, a.original_value
            ),
            records: vec![RecordRef::new("fixed_assets", &a.asset_code)],
        })
        .collect()
}

/// Differences between the register and the year's inventory count: 盘亏 (counted absent), 盘盈 (counted but
/// not registered) and registered assets the count missed. Silent when the year has no count at all.
pub fn count_differences(b: &Books) -> Vec<Finding> {
    let r = &b.records;
    if r.asset_counts.is_empty() {
        return vec![];
    }
    let finding = |message: String, records: Vec<RecordRef>| Finding {
        severity: Severity::Warning,
        rule_id: "ASSET_COUNT_DIFFERENCE",
        message,
        records,
    };
    let mut out = Vec::new();
    for c in &r.asset_counts {
        let count_ref = RecordRef::new("asset_counts", &c.count_code);
        match r.fixed_assets.iter().find(|a| a.asset_code == c.asset_code) {
            None => out.push(finding(
                format!("盘点「{}」发现资产「{}」，固定资产账中没有该资产（盘盈），应查明来源并入账", c.count_code, c.asset_code),
                vec![count_ref],
            )),
            Some(a) if !c.found && a.status != AssetStatus::Disposed => out.push(finding(
                format!(
                    "盘点「{}」未见固定资产「{}」（{}，原值 {} 元）（盘亏），账实不符",
                    c.count_code, a.asset_code, a.name, a.original_value
                ),
                vec![count_ref, RecordRef::new("fixed_assets", &a.asset_code)],
            )),
            Some(_) => {}
        }
    }
    for a in r
        .fixed_assets
        .iter()
        .filter(|a| effective_status(r, a) != AssetStatus::Disposed && !r.asset_counts.iter().any(|c| c.asset_code == a.asset_code))
    {
        out.push(finding(
            format!("固定资产「{}」（{}）未列入本年盘点", a.asset_code, a.name),
            vec![RecordRef::new("fixed_assets", &a.asset_code)],
        ));
    }
    out
}

#[cfg(test)]
mod tests;
