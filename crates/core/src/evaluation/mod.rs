//! The evaluation engine: the departmental indicators (财预〔2013〕53号) computed from records and scored by
//! the rules in `data/frameworks/`, and the 项目支出绩效自评表 of every project (财预〔2020〕10号).
//! Every value carries its numerator, denominator and records; what the records cannot give is 「无法计算」
//! with the reason, scored as the rules say — never guessed.

pub mod framework;
mod measures;
mod project;
pub mod reading;
mod scoring;
mod target_table;

use crate::books::Books;
use crate::finding::{Finding, RecordRef};
use crate::records::ScoreOverride;
use framework::{Rules, WhenUnavailable, grade_of};
pub use measures::{Achievement, Measured, achievement};
pub use project::{Amount, FundRow, ProjectEvaluation, ProjectIndicatorScore, actual_text, target_text};
use serde::{Serialize, Serializer};
use std::fmt;

/// Points in hundredths (2.5 points = `Points(250)`), so that scores add up exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

impl Points {
    pub const FULL: Points = Points(10_000);

    /// `share_bp` basis points of these points, rounded half away from zero to 0.01 point.
    pub fn share(self, share_bp: i64) -> Points {
        let n = i128::from(self.0) * i128::from(share_bp);
        let q = n / 10_000;
        let r = n % 10_000;
        Points((if 2 * r.abs() >= 10_000 { q + n.signum() } else { q }) as i64)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100)
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A reviewer's score that replaced the computed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedOverride {
    pub override_code: String,
    pub score: Points,
    pub reason: String,
    pub reviewer: String,
    pub date: String,
}

/// One checklist item and whether its evidence holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemResult {
    pub label: String,
    pub points: Points,
    pub met: bool,
    pub detail: String,
}

/// One scored departmental indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoredIndicator {
    pub id: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub weight: Points,
    pub standard: String,
    pub formula: String,
    /// The value as printed (`86.98%`, `4/4`), or 「无法计算」.
    pub value: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub rate_bp: Option<i64>,
    /// Why the records could not give a value.
    pub unavailable: Option<String>,
    pub checklist: Vec<ItemResult>,
    /// The score the rules give.
    pub computed_score: Points,
    /// The score that counts: the computed one, or a reviewer's override.
    pub score: Points,
    /// Left out of the total (when_unavailable = exclude).
    pub excluded: bool,
    pub overridden: Option<AppliedOverride>,
    /// Why points were lost, if any.
    pub lost_reason: Option<String>,
    pub evidence_count: usize,
    pub evidence: Vec<RecordRef>,
}

/// The whole evaluation of one unit-year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub unit_code: String,
    pub unit_name: String,
    pub year: i32,
    pub framework: String,
    /// The documents the evaluation follows, by title and number (评价依据): the departmental framework's, then
    /// the project rules'.
    pub basis: Vec<String>,
    /// The rules files applied, defaults first.
    pub applied: Vec<String>,
    pub indicators: Vec<ScoredIndicator>,
    /// Σ scores (rescaled to 100 when indicators are excluded).
    pub total: Points,
    pub grade: String,
    pub note: Option<String>,
    pub projects: Vec<ProjectEvaluation>,
    /// 审核提示: what the reviewer should look at though no point was lost — a target set below what the
    /// prior year already achieved.
    pub review_flags: Vec<String>,
}

impl Evaluation {
    /// Every indicator (departmental, then project) that lost points, with why — for 存在的主要问题.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .indicators
            .iter()
            .filter(|i| !i.excluded && i.score < i.weight)
            .map(|i| {
                format!(
                    "{}（{}-{}）得分 {}，满分 {}：{}",
                    i.level3,
                    i.level1,
                    i.level2,
                    i.score,
                    i.weight,
                    i.lost_reason.as_deref().unwrap_or("未达标准")
                )
            })
            .collect();
        for p in &self.projects {
            if p.execution_score < p.execution_weight {
                out.push(format!(
                    "项目「{}」预算执行率 {}，得分 {}，满分 {}",
                    p.name,
                    p.execution_rate.as_deref().unwrap_or("无法计算"),
                    p.execution_score,
                    p.execution_weight
                ));
            }
            for i in p.indicators.iter().filter(|i| i.score < i.weight) {
                out.push(format!("项目「{}」指标「{}」得分 {}，满分 {}：{}", p.name, i.level3, i.score, i.weight, i.deviation_reason));
            }
        }
        out
    }
}

/// What the evaluation reads: the year's books, the prior year's if held, and the books check's findings.
pub struct EvaluationInput<'a> {
    pub books: &'a Books,
    pub prior: Option<&'a Books>,
    pub findings: &'a [Finding],
}

/// The latest override for an indicator (by date, then code).
fn latest_override<'a>(overrides: &'a [ScoreOverride], indicator: &str) -> Option<&'a ScoreOverride> {
    overrides.iter().filter(|o| o.indicator == indicator).max_by(|a, b| a.date.cmp(&b.date).then(a.override_code.cmp(&b.override_code)))
}

/// Applies a reviewer's override within [0, weight]; one outside it is not applied, and says so.
fn apply_override(
    overrides: &[ScoreOverride],
    indicator: &str,
    weight: Points,
    computed: Points,
    lost: &mut Option<String>,
) -> (Points, Option<AppliedOverride>) {
    match latest_override(overrides, indicator) {
        Some(o) if (0..=weight.0).contains(&o.score) => (
            Points(o.score),
            Some(AppliedOverride {
                override_code: o.override_code.clone(),
                score: Points(o.score),
                reason: o.reason.clone(),
                reviewer: o.reviewer.clone(),
                date: o.date.to_string(),
            }),
        ),
        Some(o) => {
            let note = format!("评分调整「{}」的得分 {} 超出 0–{}，未采用", o.override_code, Points(o.score), weight);
            *lost = Some(lost.take().map_or(note.clone(), |l| format!("{l}；{note}")));
            (computed, None)
        }
        None => (computed, None),
    }
}

pub fn evaluate(input: &EvaluationInput, rules: &Rules) -> Evaluation {
    let books = input.books;
    let overrides = &books.records.score_overrides;
    let mut indicators = Vec::new();
    if let framework::DepartmentForm::TargetTable { execution_weight } = rules.department.form {
        indicators = target_table::indicators(books, execution_weight, &rules.project.qualitative);
    }
    let common =
        if rules.department.form == framework::DepartmentForm::CommonIndicators { rules.department.indicators.as_slice() } else { &[] };
    for spec in common {
        let measured = measures::measure(spec, input, &rules.project.qualitative);
        let scored = scoring::score(spec, &measured);
        let mut lost = scored.lost_reason;
        let (score, overridden) = apply_override(overrides, &spec.id, spec.weight, scored.score, &mut lost);
        if let Some(o) = &overridden {
            lost = (o.score < spec.weight).then(|| format!("审核调整：{}（计算得分 {}）", o.reason, scored.score));
        }
        let (value, numerator, denominator, rate_bp, unavailable, checklist, evidence) = measured.parts();
        indicators.push(ScoredIndicator {
            id: spec.id.clone(),
            level1: spec.level1.clone(),
            level2: spec.level2.clone(),
            level3: spec.level3.clone(),
            weight: spec.weight,
            standard: spec.standard.clone(),
            formula: measures::formula(&spec.measure).to_string(),
            value,
            numerator,
            denominator,
            rate_bp,
            unavailable,
            checklist,
            computed_score: scored.score,
            score,
            excluded: scored.excluded && overridden.is_none(),
            overridden,
            lost_reason: lost,
            evidence_count: evidence.len(),
            evidence: evidence.into_iter().take(50).collect(),
        });
    }
    let included: Vec<&ScoredIndicator> = indicators.iter().filter(|i| !i.excluded).collect();
    let sum: i64 = included.iter().map(|i| i.score.0).sum();
    let included_weight: i64 = included.iter().map(|i| i.weight.0).sum();
    let (total, note) = if included.len() == indicators.len() {
        (Points(sum), None)
    } else if included_weight == 0 {
        (Points(0), Some("所有指标均无法计算".to_string()))
    } else {
        let excluded: Vec<&str> = indicators.iter().filter(|i| i.excluded).map(|i| i.level3.as_str()).collect();
        (
            // sum × 100 points ÷ included weight, in hundredths: the same arithmetic as a rate in basis points.
            Points(crate::BasisPoints::ratio(sum, included_weight).map_or(0, |b| b.0)),
            Some(format!(
                "{}无法计算，按规则不参与评分；其余指标得分 {} 按满分 {} 折算为百分制",
                excluded.join("、"),
                Points(sum),
                Points(included_weight)
            )),
        )
    };
    let projects = books.records.projects.iter().map(|p| project::evaluate_project(books, p, &rules.project, overrides)).collect();
    Evaluation {
        unit_code: books.unit.code.clone(),
        unit_name: books.unit.name.clone(),
        year: books.year.year,
        framework: rules.department.name.clone(),
        basis: [&rules.department.document, &rules.project.document].into_iter().filter(|d| !d.is_empty()).cloned().collect(),
        applied: rules.applied.clone(),
        grade: grade_of(&rules.department.grades, total),
        indicators,
        total,
        note,
        projects,
        review_flags: input.prior.map(|prior| measures::targets_below_prior_actuals(books, prior)).unwrap_or_default(),
    }
}

impl WhenUnavailable {
    pub fn label(self) -> &'static str {
        match self {
            WhenUnavailable::Zero => "按规则不得分",
            WhenUnavailable::Full => "按规则给满分",
            WhenUnavailable::Exclude => "按规则不参与评分",
        }
    }
}

#[cfg(test)]
mod published_forms;
#[cfg(test)]
mod tests;
