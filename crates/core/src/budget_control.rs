//! 预算控制 (budget control at entry): what a line still has available, and what entry does with a voucher
//! or commitment that would overdraw it. One function, [`control_entries`], serves import, CLI, web and API.
//!
//! available = 全年预算数 − 已占用 (commitments not yet paid or cancelled) − 已支出.

use crate::books::Books;
use crate::date::Date;
use crate::money::Fen;
use crate::records::*;
use crate::regional::{most_specific, regional};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A line's control: the mode and the tolerance, and where they come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineControl {
    pub mode: ControlMode,
    /// 容差, basis points of the line's 全年预算数.
    pub tolerance_bp: i64,
    /// The rule's basis, or 「指标控制设置」 for a line's own setting.
    pub basis: String,
}

impl LineControl {
    /// The tolerance in 分 for a line with this 全年预算数, rounded down (never negative).
    pub fn tolerance(&self, annual: Fen) -> Fen {
        Fen((annual.0.max(0) * self.tolerance_bp.max(0)) / 10_000)
    }
}

#[derive(Deserialize)]
struct RawRules {
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
struct RawRule {
    region: String,
    from_year: Option<i32>,
    to_year: Option<i32>,
    /// `fiscal` (财政拨款 lines), `own` (own-fund lines) or absent (every line).
    funds: Option<String>,
    mode: String,
    tolerance_bp: i64,
    basis: String,
}

regional!(RawRule);

impl RawRule {
    fn covers(&self, fund: FundSource) -> bool {
        match self.funds.as_deref() {
            None => true,
            Some("fiscal") => fund.is_fiscal(),
            Some("own") => !fund.is_fiscal(),
            Some(other) => panic!("budget-control.toml: unknown funds {other}"),
        }
    }
}

fn rules() -> &'static [RawRule] {
    static RULES: OnceLock<Vec<RawRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let raw: RawRules =
            toml::from_str(include_str!("../data/budget-control.toml")).expect("budget-control.toml is valid (checked by tests)");
        raw.rule
    })
}

/// The default control of a region's lines of a fund source in a fiscal year, from `data/budget-control.toml`.
pub fn default_control(region_code: &str, year: i32, fund: FundSource) -> LineControl {
    let covering: Vec<&RawRule> = rules().iter().filter(|r| r.covers(fund)).collect();
    match most_specific(&covering, region_code, year) {
        Some(r) => LineControl {
            mode: ControlMode::parse(&r.mode).unwrap_or_else(|| panic!("budget-control.toml: unknown mode {}", r.mode)),
            tolerance_bp: r.tolerance_bp,
            basis: r.basis.clone(),
        },
        None => LineControl { mode: ControlMode::Ignore, tolerance_bp: 0, basis: "无控制规则".into() },
    }
}

/// A line's control: its own 指标控制设置 if it has one, else the region/year default.
/// `records` must hold the line (its fund source picks the default: 财政拨款 or own funds); a line it lacks is
/// taken as 财政拨款.
pub fn line_control(unit: &UnitProfile, records: &RecordSet, year: i32, line_code: &str) -> LineControl {
    let fund = records
        .appropriation_lines
        .iter()
        .find(|l| l.year == year && l.line_code == line_code)
        .map_or(FundSource::GeneralBudget, |l| l.fund_source);
    let default = default_control(&unit.region_code, year, fund);
    match records.line_controls.iter().find(|s| s.year == year && s.line_code == line_code) {
        Some(s) => {
            LineControl { mode: s.mode, tolerance_bp: s.tolerance_bp.unwrap_or(default.tolerance_bp), basis: "指标控制设置".into() }
        }
        None => default,
    }
}

/// Where a line stands: 全年预算数, 已占用 and 已支出.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LinePosition {
    pub annual: Fen,
    pub committed: Fen,
    pub spent: Fen,
}

impl LinePosition {
    /// 可用余额 = 全年预算数 − 已占用 − 已支出.
    pub fn available(&self) -> Fen {
        self.annual - self.committed - self.spent
    }
}

/// The running state of one line: commitments and payments grouped by 采购编号, so that a payment releases
/// the commitment it settles. Commitments without a 采购编号 are released only by cancellation.
#[derive(Debug, Clone, Default)]
struct LineState {
    annual: Fen,
    spent: Fen,
    /// 采购编号 → (committed, paid).
    groups: BTreeMap<Option<String>, (Fen, Fen)>,
}

impl LineState {
    fn position(&self) -> LinePosition {
        let committed = self
            .groups
            .iter()
            .map(|(reference, (committed, paid))| match reference {
                None => *committed,
                Some(_) => Fen((committed.0 - paid.0).max(0)),
            })
            .sum();
        LinePosition { annual: self.annual, committed, spent: self.spent }
    }

    fn commit(&mut self, amount: Fen, reference: Option<&String>) {
        self.groups.entry(reference.cloned()).or_default().0 += amount;
    }

    fn pay(&mut self, amount: Fen, reference: Option<&String>) {
        self.spent += amount;
        if let Some(r) = reference {
            self.groups.entry(Some(r.clone())).or_default().1 += amount;
        }
    }
}

type Lines = BTreeMap<(i32, String), LineState>;

fn budget_into(lines: &mut Lines, records: &RecordSet) {
    for v in &records.budget_vouchers {
        lines.entry((v.year, v.line_code.clone())).or_default().annual += v.budget_effect();
    }
}

fn draws_into(lines: &mut Lines, records: &RecordSet) {
    for c in &records.commitments {
        lines.entry((c.year, c.line_code.clone())).or_default().commit(c.amount, c.procurement_ref.as_ref());
    }
    for e in &records.expenditures {
        lines.entry((e.year, e.line_code.clone())).or_default().pay(e.amount, e.procurement_ref.as_ref());
    }
}

/// Where one line of a unit-year's books stands, spending read through the books' totals (what the line paid,
/// and what it paid per 采购编号 — the payments that release a commitment), so that books in summary form give
/// the same answer as books holding every voucher.
pub fn line_position(books: &Books, line_code: &str) -> LinePosition {
    let mut lines = Lines::new();
    budget_into(&mut lines, &books.records);
    let year = books.year.year;
    let state = lines.entry((year, line_code.to_string())).or_default();
    for c in books.records.commitments.iter().filter(|c| c.year == year && c.line_code == line_code) {
        state.commit(c.amount, c.procurement_ref.as_ref());
    }
    for ((y, line, reference), paid) in books.procurement_spending().iter() {
        if *y == year && line == line_code {
            state.groups.entry(Some(reference.clone())).or_default().1 += paid.amount;
        }
    }
    state.spent = books.line_spending(line_code);
    state.position()
}

/// What entry does with one draw on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Refused: the line is under 刚性控制 and nobody with the override role passed it.
    Stop,
    /// Accepted with a warning: the line is under 预警控制.
    Warn,
    /// Accepted over 刚性控制 by a control override record.
    Overridden,
}

/// A draw (an expenditure or a commitment) that would take its line past the available amount and tolerance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlOutcome {
    /// `expenditures` or `commitments`.
    pub kind: &'static str,
    /// Its 凭证号 or 占用编号.
    pub key: String,
    pub year: i32,
    pub date: Date,
    pub line_code: String,
    pub amount: Fen,
    /// The line before this draw.
    pub before: LinePosition,
    pub tolerance: Fen,
    /// 超出金额: how far past available + tolerance the line goes with this draw.
    pub shortfall: Fen,
    pub decision: Decision,
    pub control: LineControl,
    /// Whether this entry's override request passed it (its 超控记录 was added to the entry's records).
    pub overridden_now: bool,
}

impl ControlOutcome {
    /// The English rule id of the decision.
    pub fn rule_id(&self) -> &'static str {
        match self.decision {
            Decision::Stop => "BUDGET_CONTROL_STOP",
            Decision::Warn => "BUDGET_CONTROL_WARN",
            Decision::Overridden => "BUDGET_CONTROL_OVERRIDDEN",
        }
    }

    /// The Chinese message: the line, its available amount (and how it is made up) and the shortfall.
    pub fn message(&self) -> String {
        let b = &self.before;
        let tolerance = if self.tolerance.is_zero() { String::new() } else { format!("（容差 {} 元）", self.tolerance) };
        let what = if self.kind == "commitments" { "本笔占用" } else { "本笔支出" };
        let head = format!(
            "指标「{}」可用余额 {} 元（全年预算 {} − 已占用 {} − 已支出 {}），{what} {} 元，超出可用余额{tolerance} {} 元",
            self.line_code,
            b.available(),
            b.annual,
            b.committed,
            b.spent,
            self.amount,
            self.shortfall
        );
        match self.decision {
            Decision::Stop => format!("{head}；该指标为刚性控制，不予登记（审核员或单位管理员可填写理由超控）"),
            Decision::Warn => format!("{head}；该指标为预警控制，已登记并记入核对结果"),
            Decision::Overridden => format!("{head}；该指标为刚性控制，已按超控记录登记"),
        }
    }
}

/// A user's request to pass 刚性控制 stops: who, in what role, and why. Entry turns each stop it passes into
/// a [`ControlOverride`] record stored with the voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideRequest {
    pub approved_by: String,
    pub role: String,
    pub reason: String,
}

/// One draw on a line, as budget control sees it.
pub struct Draw<'a> {
    /// `expenditures` or `commitments`.
    pub kind: &'static str,
    pub key: &'a str,
    pub year: i32,
    pub date: &'a Date,
    pub line_code: &'a str,
    pub amount: Fen,
    pub reference: Option<&'a String>,
}

impl<'a> Draw<'a> {
    pub fn of_expenditure(e: &'a Expenditure) -> Draw<'a> {
        Draw {
            kind: "expenditures",
            key: &e.voucher_no,
            year: e.year,
            date: &e.date,
            line_code: &e.line_code,
            amount: e.amount,
            reference: e.procurement_ref.as_ref(),
        }
    }

    pub fn of_commitment(c: &'a Commitment) -> Draw<'a> {
        Draw {
            kind: "commitments",
            key: &c.commitment_no,
            year: c.year,
            date: &c.date,
            line_code: &c.line_code,
            amount: c.amount,
            reference: c.procurement_ref.as_ref(),
        }
    }
}

/// Budget control as a running state, so that draws can be offered one at a time (an import streams its
/// expenditures): built from the budget vouchers, line controls and overrides stored and about to be added,
/// then fed the stored draws (`add_stored_expenditure`, `commit_stored`) and the fresh ones in order (`draw`).
pub struct Control<'u> {
    unit: &'u UnitProfile,
    lines: Lines,
    overridden: BTreeSet<(i32, String)>,
    line_controls: RecordSet,
}

impl<'u> Control<'u> {
    /// The state before any draw: the budget of every line, stored and fresh. `existing` and `fresh` need hold
    /// only appropriation lines, budget vouchers, line controls and control overrides (other kinds are ignored here).
    pub fn new(unit: &'u UnitProfile, existing: &RecordSet, fresh: &RecordSet) -> Control<'u> {
        let mut lines = Lines::new();
        budget_into(&mut lines, existing);
        budget_into(&mut lines, fresh);
        let overridden =
            existing.control_overrides.iter().chain(&fresh.control_overrides).map(|o| (o.year, o.voucher_no.clone())).collect();
        let line_controls = RecordSet {
            line_controls: existing.line_controls.iter().chain(&fresh.line_controls).cloned().collect(),
            appropriation_lines: existing.appropriation_lines.iter().chain(&fresh.appropriation_lines).cloned().collect(),
            ..RecordSet::default()
        };
        Control { unit, lines, overridden, line_controls }
    }

    /// Adds the stored commitments and expenditures of `records`.
    pub fn stored(&mut self, records: &RecordSet) {
        draws_into(&mut self.lines, records);
    }

    /// Adds one stored expenditure (a payment), given by its fields.
    pub fn add_stored_expenditure(&mut self, year: i32, line_code: &str, amount: Fen, reference: Option<&String>) {
        self.lines.entry((year, line_code.to_string())).or_default().pay(amount, reference);
    }

    /// Offers one fresh draw: returns what entry must do when it would overdraw a controlled line.
    pub fn draw(&mut self, d: &Draw) -> Option<ControlOutcome> {
        let state = self.lines.entry((d.year, d.line_code.to_string())).or_default();
        let before = state.position();
        if d.kind == "commitments" {
            state.commit(d.amount, d.reference);
        } else {
            state.pay(d.amount, d.reference);
        }
        let after = state.position();
        if d.amount.0 <= 0 || after.available() >= before.available() {
            return None;
        }
        let control = line_control(self.unit, &self.line_controls, d.year, d.line_code);
        let tolerance = control.tolerance(after.annual);
        let shortfall = Fen(-after.available().0 - tolerance.0);
        if control.mode == ControlMode::Ignore || shortfall.0 <= 0 {
            return None;
        }
        let decision = match control.mode {
            ControlMode::Warn => Decision::Warn,
            _ if self.overridden.contains(&(d.year, d.key.to_string())) => Decision::Overridden,
            _ => Decision::Stop,
        };
        Some(ControlOutcome {
            kind: d.kind,
            key: d.key.to_string(),
            year: d.year,
            date: *d.date,
            line_code: d.line_code.to_string(),
            amount: d.amount,
            before,
            tolerance,
            shortfall,
            decision,
            control,
            overridden_now: false,
        })
    }
}

/// Runs budget control over the `fresh` records about to be added to `existing`: budget vouchers first, then
/// commitments, then expenditures, each in order. Returns the draws that would overdraw a controlled line,
/// with what entry must do. A draw already named by a control override (stored or fresh) is `Overridden`;
/// a reversal or a draw that leaves the available amount unchanged (a payment of a commitment) is never stopped.
pub fn control_entries(unit: &UnitProfile, existing: &RecordSet, fresh: &RecordSet) -> Vec<ControlOutcome> {
    let mut control = Control::new(unit, existing, fresh);
    control.stored(existing);
    fresh
        .commitments
        .iter()
        .map(Draw::of_commitment)
        .chain(fresh.expenditures.iter().map(Draw::of_expenditure))
        .filter_map(|d| control.draw(&d))
        .collect()
}

/// The override records that pass every stop in `outcomes` under `request` (their decision becomes `Overridden`).
pub fn apply_override(outcomes: &mut [ControlOutcome], request: &OverrideRequest) -> Vec<ControlOverride> {
    outcomes
        .iter_mut()
        .filter(|o| o.decision == Decision::Stop)
        .map(|o| {
            o.decision = Decision::Overridden;
            o.overridden_now = true;
            ControlOverride {
                override_no: format!("CK-{}", o.key),
                year: o.year,
                date: o.date,
                voucher_no: o.key.clone(),
                line_code: o.line_code.clone(),
                shortfall: o.shortfall,
                reason: request.reason.clone(),
                approved_by: request.approved_by.clone(),
                role: request.role.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
