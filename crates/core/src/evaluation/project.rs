//! 项目支出绩效自评表 (财预〔2020〕10号): per project, the funds block (年初预算数 / 全年预算数 / 全年执行数 /
//! 执行率 / 得分), 年度总体目标 预期 vs 实际, and every indicator scored against its target.

use super::framework::{ProjectFramework, grade_of};
use super::measures::achievement;
use super::{AppliedOverride, Points, apply_override};
use crate::books::Books;
use crate::money::{BasisPoints, Fen};
use crate::records::*;
use serde::Serialize;

/// An amount with its printed 万元 form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub fen: i64,
    pub wan_yuan: String,
}

impl From<Fen> for Amount {
    fn from(f: Fen) -> Amount {
        Amount { fen: f.0, wan_yuan: f.wan_yuan_string() }
    }
}

/// One row of the funds block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundRow {
    pub label: String,
    pub initial: Amount,
    pub annual: Amount,
    /// 全年执行数; not split for 上年结转, which is spent through the same lines.
    pub spent: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectIndicatorScore {
    pub indicator_code: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub direction: String,
    pub target: String,
    pub actual: String,
    pub unit: String,
    pub weight: Points,
    pub computed_score: Points,
    pub score: Points,
    pub overridden: Option<AppliedOverride>,
    /// 偏差原因分析及改进措施: the unit's text, or why points were lost when it wrote none.
    pub deviation_reason: String,
}

impl ProjectIndicatorScore {
    fn new(
        i: &ProjectIndicator,
        weight: Points,
        computed_score: Points,
        score: Points,
        overridden: Option<AppliedOverride>,
        deviation_reason: String,
    ) -> ProjectIndicatorScore {
        ProjectIndicatorScore {
            indicator_code: i.indicator_code.clone(),
            level1: i.level1.clone(),
            level2: i.level2.clone(),
            level3: i.level3.clone(),
            direction: i.direction.label().to_string(),
            target: i.target.clone(),
            actual: i.actual.clone().unwrap_or_default(),
            unit: i.unit.clone().unwrap_or_default(),
            weight,
            computed_score,
            score,
            overridden,
            deviation_reason,
        }
    }

    /// 年度指标值 as printed: 「≥6场」, or a qualitative target as written.
    pub fn target_text(&self) -> String {
        target_text(&self.direction, &self.target, &self.unit)
    }

    /// 实际完成值 as printed: 「6场」, or 「缺少数据」 when the unit has not entered one.
    pub fn actual_text(&self) -> String {
        if self.actual.trim().is_empty() {
            "「缺少数据」".to_string()
        } else {
            actual_text(&self.direction, &self.actual, &self.unit)
        }
    }
}

/// A target with its direction and unit (「≥」「6」「场」 → 「≥6场」); a 定性 target is printed as written.
pub fn target_text(direction: &str, target: &str, unit: &str) -> String {
    if direction == IndicatorDirection::Qualitative.label() { target.to_string() } else { format!("{direction}{target}{unit}") }
}

/// An actual with its unit (「6」「场」 → 「6场」); a 定性 actual, or a 「缺少数据…」 marker, is printed as it is.
pub fn actual_text(direction: &str, actual: &str, unit: &str) -> String {
    if direction == IndicatorDirection::Qualitative.label() || actual.starts_with("「缺少数据") {
        actual.to_string()
    } else {
        format!("{actual}{unit}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectEvaluation {
    pub project_code: String,
    pub name: String,
    pub funds: Vec<FundRow>,
    pub execution_rate: Option<String>,
    pub execution_weight: Points,
    pub execution_score: Points,
    pub goal: String,
    pub outcome: Option<String>,
    pub indicators: Vec<ProjectIndicatorScore>,
    pub total: Points,
    pub grade: String,
    /// Levels without indicators whose weight went to others.
    pub note: Option<String>,
}

/// Splits `total` into `n` shares that add up exactly (the first ones get the leftover hundredths).
fn split(total: Points, n: usize) -> Vec<Points> {
    if n == 0 {
        return vec![];
    }
    let (base, extra) = (total.0 / n as i64, total.0 % n as i64);
    (0..n as i64).map(|i| Points(base + i64::from(i < extra))).collect()
}

/// A level's weight over its indicators: those with their own 分值 keep it, the others share equally what is left
/// (nothing, if the given ones already take it all).
fn level_shares(level_weight: Points, members: &[&ProjectIndicator]) -> Vec<Points> {
    let given: i64 = members.iter().filter_map(|i| i.weight).sum();
    let mut shares = split(Points((level_weight.0 - given).max(0)), members.iter().filter(|i| i.weight.is_none()).count()).into_iter();
    members.iter().map(|i| i.weight.map_or_else(|| shares.next().unwrap_or_default(), Points)).collect()
}

/// Level weights after giving the weight of levels without indicators away: to their `absent_to` level when it has
/// indicators (成本 → 产出), else to `redistribute_to`, in proportion to those levels' weights.
fn level_weights(framework: &ProjectFramework, present: &dyn Fn(&str) -> bool) -> (Vec<(String, Points)>, Option<String>) {
    let mut weights: Vec<(String, i64)> = framework.levels.iter().map(|(n, w)| (n.clone(), if present(n) { w.0 } else { 0 })).collect();
    let mut notes = Vec::new();
    let mut spare_levels = Vec::new();
    for (name, weight) in framework.levels.iter().filter(|(n, _)| !present(n)) {
        match framework.absent_to.get(name).filter(|to| present(to)) {
            Some(to) => {
                weights.iter_mut().filter(|(n, _)| n == to).for_each(|(_, w)| *w += weight.0);
                notes.push(format!("{name}没有指标，其 {weight} 分归入{to}"));
            }
            None => spare_levels.push((name.as_str(), weight.0)),
        }
    }
    let spare: i64 = spare_levels.iter().map(|(_, w)| w).sum();
    let receivers: Vec<usize> =
        weights.iter().enumerate().filter(|(_, (n, w))| *w > 0 && framework.redistribute_to.contains(n)).map(|(k, _)| k).collect();
    let receiving: i64 = receivers.iter().map(|&k| weights[k].1).sum();
    if spare > 0 && receiving > 0 {
        let mut given = 0;
        for (pos, &k) in receivers.iter().enumerate() {
            // The last receiver takes the remainder, so the weights still add up exactly.
            let share = if pos + 1 == receivers.len() { spare - given } else { spare * weights[k].1 / receiving };
            given += share;
            weights[k].1 += share;
        }
        // Name only the levels that received points: a receiver without indicators got nothing.
        let names: Vec<&str> = spare_levels.iter().map(|(n, _)| *n).collect();
        let given_to: Vec<&str> = receivers.iter().map(|&k| weights[k].0.as_str()).collect();
        notes.push(format!("{}没有指标，其 {} 分按权重分给{}", names.join("、"), Points(spare), given_to.join("、")));
    }
    (weights.into_iter().map(|(n, w)| (n, Points(w))).collect(), (!notes.is_empty()).then(|| notes.join("；")))
}

pub fn evaluate_project(books: &Books, project: &Project, framework: &ProjectFramework, overrides: &[ScoreOverride]) -> ProjectEvaluation {
    let lines: Vec<&AppropriationLine> = books.lines_where(|l| l.project_code.as_deref() == Some(project.project_code.as_str())).collect();
    let is_fiscal = |l: &AppropriationLine| l.fund_source.is_fiscal();
    let row = |label: &str, keep: &dyn Fn(&AppropriationLine) -> bool, with_carry: bool, with_spent: bool| {
        let (mut initial, mut annual, mut spent) = (Fen::ZERO, Fen::ZERO, Fen::ZERO);
        for l in lines.iter().filter(|l| keep(l)) {
            let b = books.line_budget(&l.line_code);
            initial += b.initial;
            annual += if with_carry { b.annual() } else { b.annual() - b.carry_over };
            spent += books.line_spending(&l.line_code);
        }
        FundRow { label: label.to_string(), initial: initial.into(), annual: annual.into(), spent: with_spent.then(|| spent.into()) }
    };
    let total_row = row("年度资金总额", &|_| true, true, true);
    let carry: Fen = lines.iter().map(|l| books.line_budget(&l.line_code).carry_over).sum();
    let funds = vec![
        total_row.clone(),
        row("其中：当年财政拨款", &|l| is_fiscal(l), false, carry.is_zero()),
        FundRow { label: "上年结转资金".into(), initial: Fen::ZERO.into(), annual: carry.into(), spent: None },
        row("其他资金", &|l| !is_fiscal(l), true, true),
    ];
    let spent = total_row.spent.as_ref().map_or(0, |a| a.fen);
    let rate = BasisPoints::ratio(spent, total_row.annual.fen);
    let execution_weight = framework.budget_execution_weight;
    let execution_score = rate.map_or(Points(0), |r| execution_weight.share(r.0.clamp(0, 10_000)));

    let all = books.project_indicators();
    let indicators: Vec<&ProjectIndicator> = all.iter().filter(|i| i.project_code == project.project_code).collect();
    // The form's own 分值 when every indicator has one (财预〔2020〕10号's 自评表: the unit sets them); else each
    // level's weight from the framework, shared by its indicators (see `level_shares`).
    let own_weights = !indicators.is_empty() && indicators.iter().all(|i| i.weight.is_some());
    let (levels, mut note) = if own_weights {
        (Vec::new(), None)
    } else {
        level_weights(framework, &|level: &str| indicators.iter().any(|i| i.level1 == level))
    };
    let weighted: Vec<(&ProjectIndicator, Points)> = if own_weights {
        indicators.iter().map(|i| (*i, Points(i.weight.unwrap_or(0)))).collect()
    } else {
        levels
            .iter()
            .flat_map(|(level, weight)| {
                let members: Vec<&ProjectIndicator> = indicators.iter().copied().filter(|i| &i.level1 == level).collect();
                members.iter().copied().zip(level_shares(*weight, &members)).collect::<Vec<_>>()
            })
            .collect()
    };
    if own_weights {
        let given = Points(weighted.iter().map(|(_, w)| w.0).sum::<i64>());
        if Points(given.0 + execution_weight.0) != Points::FULL {
            note = Some(format!("各指标分值合计 {given}，加预算执行率分值 {execution_weight}，不是 100 分"));
        }
    }
    let mut scored = Vec::new();
    for (i, w) in weighted {
        let a = achievement(i, &framework.qualitative);
        let computed = w.share(a.share_bp);
        let mut lost = a.reason.clone();
        let (score, overridden) = apply_override(overrides, &i.indicator_code, w, computed, &mut lost);
        let deviation_reason = match (&i.deviation_reason, &overridden) {
            (Some(text), _) if !text.trim().is_empty() => text.clone(),
            (_, Some(o)) => format!("审核调整：{}", o.reason),
            _ if score < w => lost.unwrap_or_default(),
            _ => String::new(),
        };
        scored.push(ProjectIndicatorScore::new(i, w, computed, score, overridden, deviation_reason));
    }
    // Indicators under a 一级指标 the framework does not know get no points, and say so (the form's own 分值
    // score whatever their level).
    for i in indicators.iter().filter(|i| !own_weights && !levels.iter().any(|(l, _)| &i.level1 == l)) {
        let why = format!(
            "一级指标「{}」不在评价框架中（应为：{}），不计分",
            i.level1,
            framework.levels.iter().map(|l| l.0.as_str()).collect::<Vec<_>>().join("、")
        );
        scored.push(ProjectIndicatorScore::new(i, Points(0), Points(0), Points(0), None, why));
    }
    let total = Points(execution_score.0 + scored.iter().map(|s| s.score.0).sum::<i64>());
    ProjectEvaluation {
        project_code: project.project_code.clone(),
        name: project.name.clone(),
        funds,
        execution_rate: rate.map(|r| r.percent_string()),
        execution_weight,
        execution_score,
        goal: project.goal.clone(),
        outcome: project.outcome.clone(),
        indicators: scored,
        grade: grade_of(&framework.grades, total),
        total,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redistribution_note_names_only_levels_that_received_points() {
        let framework = crate::evaluation::framework::Rules::defaults().project;
        // Only 产出 has indicators: 效益 (30) and 满意度 (10) go to 产出 alone, and the note says so.
        let (weights, note) = level_weights(&framework, &|level: &str| level == "产出指标");
        assert_eq!(weights[0], ("产出指标".to_string(), Points(9000)));
        assert_eq!(note.as_deref(), Some("效益指标、满意度指标没有指标，其 40.00 分按权重分给产出指标"), "was: …分给产出指标、效益指标");
    }

    #[test]
    fn shares_add_up_exactly() {
        assert_eq!(split(Points(5000), 3), vec![Points(1667), Points(1667), Points(1666)]);
        assert_eq!(split(Points(1000), 0), vec![]);
    }
}
