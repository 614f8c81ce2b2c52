//! 绩效运行监控 (双监控) — the mid-year table a 财政局 asks for: per project and for the unit, the budget
//! executed to a date against 序时进度, each indicator's progress to that date, and what the unit states about
//! deviations (偏差原因, 纠偏措施) and the year's outcome (全年预计完成). Computed from one unit-year's books as
//! of a date; every figure carries its trace. What the unit must state and has not is 「缺少数据：…」, never made up.
//!
//! The rules (序时进度 in whole months, the deviation margin) and the documents the table follows are in
//! `data/monitoring.toml`.

use crate::books::Books;
use crate::books::LineBudget;
use crate::date::Date;
use crate::finding::RecordRef;
use crate::money::{BasisPoints, Fen};
use crate::records::*;
use crate::report_model::{Figure, Tracer};
use crate::schema::RecordKind;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The rules of `data/monitoring.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct MonitoringRules {
    pub time_progress: TimeProgressRule,
    pub deviation: DeviationRule,
    #[serde(rename = "source")]
    pub sources: Vec<RuleSource>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimeProgressRule {
    pub months_in_year: i64,
    /// The rule as the table states it.
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeviationRule {
    /// How far (basis points) 执行率 may fall short of 序时进度 before a row is behind.
    pub lag_tolerance_bp: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleSource {
    pub title: String,
    pub url: String,
}

pub fn rules() -> &'static MonitoringRules {
    static RULES: OnceLock<MonitoringRules> = OnceLock::new();
    RULES.get_or_init(|| toml::from_str(include_str!("../data/monitoring.toml")).expect("monitoring.toml is valid (checked by tests)"))
}

/// The whole months of fiscal `year` completed on or before `as_of` (0–12): a month counts once its last day is
/// reached.
pub fn completed_months(year: i32, as_of: Date) -> u32 {
    if as_of.year < year {
        0
    } else if as_of.year > year {
        12
    } else if Date::new(as_of.year, as_of.month, as_of.day + 1).is_none() {
        as_of.month
    } else {
        as_of.month - 1
    }
}

/// One row of 预算执行情况: the unit as a whole, its basic or project spending, or one project.
#[derive(Debug, Clone, Serialize)]
pub struct FundsRow {
    /// 部门整体（合计）, 其中：基本支出, 其中：项目支出, or the project's name.
    pub label: String,
    pub project_code: Option<String>,
    /// 年初预算数.
    pub initial: Figure,
    /// 全年预算数 as adjusted to the month end of the monitoring date.
    pub annual: Figure,
    /// Spent to that month end.
    pub spent: Figure,
    /// 执行率 = spent ÷ 全年预算数.
    pub execution_rate: Figure,
    /// 执行率 − 序时进度, in percentage points.
    pub gap: Figure,
    /// 执行率 below 序时进度 by more than the margin.
    pub behind: bool,
    /// 全年预计执行数, as the unit states it.
    pub expected: Figure,
    pub deviation_reason: Figure,
    pub corrective_action: Figure,
    /// The same amounts and rates as numbers, for spreadsheet cells.
    pub amounts: FundsAmounts,
}

/// A funds row's amounts (分) and rates (basis points); `None` where the figure is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FundsAmounts {
    pub initial: Fen,
    pub annual: Fen,
    pub spent: Fen,
    pub execution_rate: Option<BasisPoints>,
    pub gap: Option<BasisPoints>,
    pub expected: Option<Fen>,
}

/// One indicator's progress to the monitoring date.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorProgress {
    pub indicator_code: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    /// 年度指标值 with direction and unit.
    pub target: String,
    /// The latest 指标完成登记 on or before the date.
    pub progress: Figure,
    /// 全年预计完成值.
    pub expected: Figure,
    /// 完成目标可能性.
    pub likelihood: Figure,
    pub deviation_reason: Figure,
    pub corrective_action: Figure,
}

/// The 绩效目标 of the unit as a whole or of one project, with its indicators.
#[derive(Debug, Clone, Serialize)]
pub struct GoalBlock {
    /// 部门整体 or the project's name.
    pub subject: String,
    pub project_code: Option<String>,
    /// 年度总体目标, when recorded.
    pub goal: Option<String>,
    pub indicators: Vec<IndicatorProgress>,
}

/// The monitoring table of one unit-year as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct Monitoring {
    pub unit_name: String,
    pub unit_code: String,
    pub year: i32,
    pub as_of: Date,
    /// Whole months of the year counted (序时进度's numerator).
    pub months: u32,
    /// 序时进度.
    pub time_progress: Figure,
    pub time_progress_rule: String,
    pub funds: Vec<FundsRow>,
    pub goals: Vec<GoalBlock>,
    /// The documents the table follows (data/monitoring.toml).
    pub sources: Vec<RuleSource>,
    /// Every figure, in order, for the trace table.
    pub figures: Vec<Figure>,
}

impl Monitoring {
    /// 「1-6月执行数」, as the published forms head the column; 「截至监控日执行数」 before the first month end.
    pub fn spent_heading(&self) -> String {
        if self.months == 0 { "截至监控日执行数".into() } else { format!("1-{}月执行数", self.months) }
    }
}

/// The latest 绩效监控记录 (by date, then code) on or before `as_of` on this row: an indicator (by its code), or the
/// funds of a project or of the unit as a whole.
fn latest_note<'a>(books: &'a Books, as_of: Date, project: Option<&str>, indicator: Option<&str>) -> Option<&'a MonitoringNote> {
    books
        .records
        .monitoring_notes
        .iter()
        .filter(|n| {
            let note_project = n.project_code.as_deref().filter(|c| !c.is_empty());
            let note_indicator = n.indicator_code.as_deref().filter(|c| !c.is_empty());
            // An indicator's code identifies it: a note on it may leave the project code empty.
            let subject = match indicator {
                Some(_) => note_indicator == indicator && (note_project.is_none() || note_project == project),
                None => note_indicator.is_none() && note_project == project,
            };
            n.year == books.year.year && n.date <= as_of && subject
        })
        .max_by(|a, b| (a.date, &a.monitor_code).cmp(&(b.date, &b.monitor_code)))
}

fn note_ref(n: &MonitoringNote) -> Vec<RecordRef> {
    vec![RecordRef::new("monitoring_notes", n.monitor_code.clone())]
}

/// 偏差原因 and 纠偏措施 of a row: the note's; for 偏差原因 else the 指标完成登记's own 偏差原因分析 (`result`); else
/// 「缺少数据」 when the row needs them, else 「—」 with why not.
fn statements(
    t: &mut Tracer,
    note: Option<&MonitoringNote>,
    result: Option<&IndicatorResult>,
    label: &str,
    needed: bool,
    not_needed_why: &str,
) -> (Figure, Figure) {
    let trimmed = |text: Option<&String>| text.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let one = |t: &mut Tracer, text: Option<String>, what: &str, fallback: Option<(&IndicatorResult, String)>| {
        let label = format!("{label}{what}");
        match (note.zip(text), fallback) {
            (Some((n, s)), _) => t.add(s, &label, &format!("绩效监控记录「{}」（{}）的{what}", n.monitor_code, n.date), note_ref(n)),
            (None, Some((r, s))) => t.add(
                s,
                &label,
                &format!("指标完成登记「{}」的偏差原因分析", r.result_code),
                vec![RecordRef::new("indicator_results", r.result_code.clone())],
            ),
            (None, None) if needed => t.missing(what, &label),
            (None, None) => t.add("—".into(), &label, not_needed_why, vec![]),
        }
    };
    let fallback = result.and_then(|r| trimmed(r.deviation_reason.as_ref()).map(|d| (r, d)));
    let reason = one(t, note.and_then(|n| trimmed(n.deviation_reason.as_ref())), "偏差原因", fallback);
    let action = one(t, note.and_then(|n| trimmed(n.corrective_action.as_ref())), "纠偏措施", None);
    (reason, action)
}

struct Totals {
    budget: LineBudget,
    spent: Fen,
    vouchers: i64,
    lines: Vec<String>,
}

/// Budget and spending of the lines that satisfy `keep`, from the line-month totals dated to `cutoff` (yyyymm).
fn totals(books: &Books, cutoff: i32, keep: impl Fn(&AppropriationLine) -> bool) -> Totals {
    let lines: Vec<&AppropriationLine> =
        books.records.appropriation_lines.iter().filter(|l| l.year == books.year.year && keep(l)).collect();
    let mut out =
        Totals { budget: LineBudget::default(), spent: Fen(0), vouchers: 0, lines: lines.iter().map(|l| l.line_code.clone()).collect() };
    for ((year, line, p), m) in books.month_totals().iter() {
        if *year == books.year.year && *p <= cutoff && out.lines.contains(line) {
            out.budget.carry_over += m.budget.carry_over;
            out.budget.initial += m.budget.initial;
            out.budget.adjustments += m.budget.adjustments;
            out.spent += m.spending;
            out.vouchers += m.expenditures;
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn funds_row(
    t: &mut Tracer,
    books: &Books,
    as_of: Date,
    cutoff_text: &str,
    progress: BasisPoints,
    label: &str,
    project: Option<&str>,
    with_notes: bool,
    totals: Totals,
) -> FundsRow {
    let rules = rules();
    let line_refs = |kind: &'static str| totals.lines.iter().map(|l| RecordRef::new(kind, l.clone())).collect::<Vec<_>>();
    let initial = t.money(
        totals.budget.initial,
        &format!("{label}年初预算数（万元）"),
        "Σ 指标变动.金额（年初预算）",
        line_refs("appropriation_lines"),
    );
    let annual_fen = totals.budget.annual();
    let annual = t.money(
        annual_fen,
        &format!("{label}全年预算数（万元）"),
        &format!("Σ 指标变动（上年结转 + 年初预算 + 追加 − 调减 ± 调剂），日期至{cutoff_text}"),
        line_refs("appropriation_lines"),
    );
    let spent = t.money(
        totals.spent,
        &format!("{label}执行数（万元）"),
        &format!("Σ 支出凭证.金额（含冲销），日期至{cutoff_text}；{} 张凭证", totals.vouchers),
        line_refs("expenditures_by_line"),
    );
    let rate = BasisPoints::ratio(totals.spent.0, annual_fen.0);
    // No budget yet at that month end (a 追加 later in the year): there is no rate to compare, nothing is missing.
    let no_budget = format!("截至{cutoff_text}未下达预算，执行率不适用");
    let execution_rate = match rate {
        Some(_) => {
            t.rate(totals.spent, annual_fen, &format!("{label}执行率"), "执行数 ÷ 全年预算数 × 100%", line_refs("expenditures_by_line"))
        }
        None => t.add("—".into(), &format!("{label}执行率"), &no_budget, vec![]),
    };
    let gap = match rate {
        Some(r) => {
            let d = r.0 - progress.0;
            let sign = if d < 0 { "-" } else { "" };
            t.add(
                format!("{sign}{}.{:02}", d.abs() / 100, d.abs() % 100),
                &format!("{label}执行率较序时进度（百分点）"),
                &format!("执行率 {} − 序时进度 {}", r.percent_string(), progress.percent_string()),
                vec![],
            )
        }
        None => t.add("—".into(), &format!("{label}执行率较序时进度（百分点）"), &no_budget, vec![]),
    };
    let behind = rate.is_some_and(|r| r.0 + rules.deviation.lag_tolerance_bp < progress.0);
    let note = if with_notes { latest_note(books, as_of, project, None) } else { None };
    let amounts = FundsAmounts {
        initial: totals.budget.initial,
        annual: annual_fen,
        spent: totals.spent,
        execution_rate: rate,
        gap: rate.map(|r| BasisPoints(r.0 - progress.0)),
        expected: note.and_then(|n| n.expected_amount),
    };
    let (expected, deviation_reason, corrective_action) = if with_notes {
        let expected = match note.and_then(|n| n.expected_amount.map(|a| (n, a))) {
            Some((n, a)) => t.money(
                a,
                &format!("{label}全年预计执行数（万元）"),
                &format!("绩效监控记录「{}」（{}）的全年预计执行数", n.monitor_code, n.date),
                note_ref(n),
            ),
            None => t.missing("全年预计执行数", &format!("{label}全年预计执行数（万元）")),
        };
        let (reason, action) = statements(t, note, None, label, behind, "执行率不低于序时进度，无需说明偏差");
        (expected, reason, action)
    } else {
        let dash = |t: &mut Tracer, what: &str| t.add("—".into(), &format!("{label}{what}"), "分项小计：见部门整体（合计）行", vec![]);
        (dash(t, "全年预计执行数（万元）"), dash(t, "偏差原因"), dash(t, "纠偏措施"))
    };
    FundsRow {
        label: label.to_string(),
        project_code: project.map(String::from),
        initial,
        annual,
        spent,
        execution_rate,
        gap,
        behind,
        expected,
        deviation_reason,
        corrective_action,
        amounts,
    }
}

/// 年度指标值 as the 自评表 prints it: direction, value and unit; a qualitative target as written.
fn target_text(i: &ProjectIndicator) -> String {
    match i.direction {
        IndicatorDirection::Qualitative => i.target.clone(),
        d => format!("{}{}{}", d.label(), i.target, i.unit.as_deref().unwrap_or("")),
    }
}

fn indicator_row(
    t: &mut Tracer,
    books: &Books,
    as_of: Date,
    subject: &str,
    project: Option<&str>,
    i: &ProjectIndicator,
) -> IndicatorProgress {
    let label = format!("{subject}·{}", i.level3);
    let year_end = Date::new(books.year.year, 12, 31).expect("31 December is a date");
    let result = books
        .records
        .indicator_results
        .iter()
        .filter(|r| r.year == books.year.year && r.indicator_code == i.indicator_code && r.date <= as_of)
        .max_by(|a, b| (a.date, &a.result_code).cmp(&(b.date, &b.result_code)));
    let unit = if i.direction == IndicatorDirection::Qualitative { "" } else { i.unit.as_deref().unwrap_or("") };
    let progress = match (result, &i.actual) {
        (Some(r), _) => t.add(
            format!("{}{unit}（{}登记）", r.actual.trim(), r.date),
            &format!("{label}截至监控日完成情况"),
            &format!("指标完成登记「{}」：监控日期及以前最新的一条", r.result_code),
            vec![RecordRef::new("indicator_results", r.result_code.clone())],
        ),
        // The indicator's own 实际完成值 is undated: it stands for the year, so only at the year's end.
        (None, Some(actual)) if as_of >= year_end && !actual.trim().is_empty() => t.add(
            format!("{}{unit}", actual.trim()),
            &format!("{label}截至监控日完成情况"),
            "绩效指标.实际完成值（年末）",
            vec![RecordRef::new(if project.is_some() { "project_indicators" } else { "department_indicators" }, i.indicator_code.clone())],
        ),
        _ => t.missing(&format!("{as_of}前的指标完成登记"), &format!("{label}截至监控日完成情况")),
    };
    let no_progress = progress.missing;
    let note = latest_note(books, as_of, project, Some(&i.indicator_code));
    let expected = match note.and_then(|n| n.expected_value.as_ref().map(|v| (n, v.trim()))).filter(|(_, v)| !v.is_empty()) {
        Some((n, v)) => t.add(
            v.to_string(),
            &format!("{label}全年预计完成值"),
            &format!("绩效监控记录「{}」（{}）的全年预计完成值", n.monitor_code, n.date),
            note_ref(n),
        ),
        None => t.missing("全年预计完成值", &format!("{label}全年预计完成值")),
    };
    let likelihood = match note.and_then(|n| n.likelihood.map(|l| (n, l))) {
        Some((n, l)) => t.add(
            l.label().to_string(),
            &format!("{label}完成目标可能性"),
            &format!("绩效监控记录「{}」（{}）", n.monitor_code, n.date),
            note_ref(n),
        ),
        None => t.missing("完成目标可能性", &format!("{label}完成目标可能性")),
    };
    let (deviation_reason, corrective_action) = statements(t, note, result, &label, no_progress, "已登记完成进度，未记录偏差");
    IndicatorProgress {
        indicator_code: i.indicator_code.clone(),
        level1: i.level1.clone(),
        level2: i.level2.clone(),
        level3: i.level3.clone(),
        target: target_text(i),
        progress,
        expected,
        likelihood,
        deviation_reason,
        corrective_action,
    }
}

/// The monitoring table of `books` as of `as_of` (a date of the books' year; earlier or later dates count 0 or
/// 12 months).
pub fn build(books: &Books, as_of: Date) -> Monitoring {
    let rules = rules();
    let year = books.year.year;
    let months = completed_months(year, as_of);
    let cutoff = year * 100 + months as i32;
    let cutoff_text = if months == 0 { format!("{}年末", year - 1) } else { format!("{year}年{months}月末") };
    let mut t = Tracer::default();
    let progress = BasisPoints::ratio(i64::from(months), rules.time_progress.months_in_year).expect("months_in_year is not zero");
    let time_progress = t.add(
        progress.percent_string(),
        "序时进度",
        &format!("{months} ÷ {}（{}）", rules.time_progress.months_in_year, rules.time_progress.description),
        vec![],
    );

    let mut funds =
        vec![funds_row(&mut t, books, as_of, &cutoff_text, progress, "部门整体（合计）", None, true, totals(books, cutoff, |_| true))];
    funds.push(funds_row(
        &mut t,
        books,
        as_of,
        &cutoff_text,
        progress,
        "其中：基本支出",
        None,
        false,
        totals(books, cutoff, |l| l.spending_kind == SpendingKind::Basic),
    ));
    funds.push(funds_row(
        &mut t,
        books,
        as_of,
        &cutoff_text,
        progress,
        "其中：项目支出",
        None,
        false,
        totals(books, cutoff, |l| l.spending_kind == SpendingKind::Project),
    ));
    let projects: Vec<&Project> = books.records.projects.iter().filter(|p| p.year == year).collect();
    for p in &projects {
        let code = p.project_code.as_str();
        funds.push(funds_row(
            &mut t,
            books,
            as_of,
            &cutoff_text,
            progress,
            &p.name,
            Some(code),
            true,
            totals(books, cutoff, |l| l.project_code.as_deref() == Some(code)),
        ));
    }

    let mut goals = Vec::new();
    let department: Vec<ProjectIndicator> =
        books.records.department_indicators.iter().filter(|i| i.year == year).map(DepartmentIndicator::as_project_indicator).collect();
    let department_goal = books.records.department_goals.iter().find(|g| g.year == year).map(|g| g.goal.clone());
    if !department.is_empty() || department_goal.is_some() {
        let indicators = department.iter().map(|i| indicator_row(&mut t, books, as_of, "部门整体", None, i)).collect();
        goals.push(GoalBlock { subject: "部门整体".into(), project_code: None, goal: department_goal, indicators });
    }
    let project_indicators = &books.records.project_indicators;
    for p in &projects {
        let indicators = project_indicators
            .iter()
            .filter(|i| i.project_code == p.project_code && i.year == year)
            .map(|i| indicator_row(&mut t, books, as_of, &p.name, Some(&p.project_code), i))
            .collect();
        goals.push(GoalBlock {
            subject: p.name.clone(),
            project_code: Some(p.project_code.clone()),
            goal: Some(p.goal.clone()).filter(|g| !g.trim().is_empty()),
            indicators,
        });
    }

    Monitoring {
        unit_name: books.unit.name.clone(),
        unit_code: books.unit.code.clone(),
        year,
        as_of,
        months,
        time_progress,
        time_progress_rule: rules.time_progress.description.clone(),
        funds,
        goals,
        sources: rules.sources.clone(),
        figures: t.figures,
    }
}

/// Whether a unit's monitoring of a year is done, from its records — what the 财政局's area view lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonitoringStatus {
    /// 绩效监控记录 dated in the year.
    pub notes: usize,
    pub latest: Option<Date>,
    /// A note on the unit as a whole (部门整体, no project, no indicator).
    pub unit_covered: bool,
    pub projects: usize,
    /// Projects with at least one note (on their funds or any of their indicators).
    pub projects_covered: usize,
}

impl MonitoringStatus {
    /// Done: a note on the unit as a whole and on every project of the year, each dated in the year.
    pub fn done(&self) -> bool {
        self.unit_covered && self.projects_covered == self.projects
    }

    /// 已完成, 部分完成 (some notes, not all rows covered), 未开展 (no note dated in the year).
    pub fn label(&self) -> &'static str {
        if self.done() {
            "已完成"
        } else if self.notes > 0 {
            "部分完成"
        } else {
            "未开展"
        }
    }
}

/// The record kinds [`status`] reads, and all it reads: a view of many units' statuses needs only these of
/// each unit's books (the 财政局's list reads them for its whole area at once, `Store::scope_records`).
pub const STATUS_KINDS: [RecordKind; 3] = [RecordKind::MonitoringNotes, RecordKind::Projects, RecordKind::ProjectIndicators];

/// The monitoring status of a unit-year from its projects and 绩效监控记录 (only notes dated in the year count):
/// `records` are the unit's, of [`STATUS_KINDS`] at least.
pub fn status(year: i32, records: &RecordSet) -> MonitoringStatus {
    let notes: Vec<&MonitoringNote> = records.monitoring_notes.iter().filter(|n| n.year == year && n.date.year == year).collect();
    let project_of = |n: &MonitoringNote| n.project_code.clone().filter(|c| !c.is_empty());
    let projects: Vec<&Project> = records.projects.iter().filter(|p| p.year == year).collect();
    let indicator_project =
        |code: &str| records.project_indicators.iter().find(|i| i.indicator_code == code).map(|i| i.project_code.clone());
    let covered = |p: &Project| {
        notes.iter().any(|n| {
            project_of(n).as_deref() == Some(p.project_code.as_str())
                || n.indicator_code.as_deref().and_then(indicator_project).as_deref() == Some(p.project_code.as_str())
        })
    };
    MonitoringStatus {
        notes: notes.len(),
        latest: notes.iter().map(|n| n.date).max(),
        unit_covered: notes.iter().any(|n| project_of(n).is_none() && n.indicator_code.as_deref().is_none_or(|c| c.is_empty())),
        projects: projects.len(),
        projects_covered: projects.iter().filter(|p| covered(p)).count(),
    }
}

#[cfg(test)]
mod tests;
