//! Scores a measured value by its indicator's rule. Scores are hundredths of a point, within [0, weight].

use super::Points;
use super::framework::{IndicatorSpec, ScoringRule, Sides, WhenUnavailable};
use super::measures::Measured;

pub struct Scored {
    pub score: Points,
    pub excluded: bool,
    pub lost_reason: Option<String>,
}

/// The share of the weight (basis points, 0–10 000) a rate earns under a rule.
pub fn share_for_rate(rule: &ScoringRule, bp: i64) -> i64 {
    let share = match rule {
        ScoringRule::Proportional => bp,
        ScoringRule::RatioToTarget { target_bp } => crate::BasisPoints::ratio(bp, *target_bp).map_or(0, |r| r.0),
        ScoringRule::OverThresholdSteps { threshold_bp, step_bp, deduct_bp } => {
            if bp <= *threshold_bp {
                10_000
            } else {
                10_000 - (bp - threshold_bp) / step_bp * deduct_bp
            }
        }
        ScoringRule::ShortfallSteps { target_bp, step_bp, deduct_bp } => {
            if bp >= *target_bp {
                10_000
            } else {
                10_000 - (target_bp - bp) / step_bp * deduct_bp
            }
        }
        ScoringRule::RangeSteps { low_bp, high_bp, step_bp, deduct_bp, at_least_one_step } => {
            let (beyond, strict) = if bp < *low_bp {
                (low_bp - bp, *at_least_one_step != Sides::Above)
            } else {
                ((bp - high_bp).max(0), *at_least_one_step != Sides::Below)
            };
            let steps = beyond / step_bp;
            if beyond == 0 { 10_000 } else { 10_000 - if strict { steps.max(1) } else { steps } * deduct_bp }
        }
        ScoringRule::Bands { bands, beyond_bp } => bands.iter().find(|(upper, _)| bp <= *upper).map_or(*beyond_bp, |(_, share)| *share),
        // A checklist has no rate; its items are scored instead.
        ScoringRule::Checklist => 0,
    };
    share.clamp(0, 10_000)
}

pub fn score(spec: &IndicatorSpec, measured: &Measured) -> Scored {
    let weight = spec.weight;
    let full = |score: Points, lost: Option<String>| Scored { score, excluded: false, lost_reason: lost };
    match measured {
        Measured::Rate { rate_bp, text, .. } => {
            let share = share_for_rate(&spec.scoring, *rate_bp);
            let score = weight.share(share);
            full(
                score,
                (score < weight).then(|| format!("实际值 {text}，标准 {}", if spec.standard.is_empty() { "—" } else { &spec.standard })),
            )
        }
        Measured::Checklist { items } => {
            let earned: i64 = items.iter().filter(|i| i.met).map(|i| i.points.0).sum();
            let score = Points(earned.min(weight.0));
            let missing: Vec<String> = items.iter().filter(|i| !i.met).map(|i| format!("{}（{}）", i.label, i.detail)).collect();
            full(score, (score < weight).then(|| format!("未满足：{}", missing.join("；"))))
        }
        Measured::Failed { reason, .. } => full(Points(0), Some(reason.clone())),
        Measured::Unavailable { reason, not_applicable } => {
            let rule = if *not_applicable { spec.when_unavailable } else { spec.when_missing };
            match rule {
                WhenUnavailable::Zero => full(Points(0), Some(format!("无法计算：{reason}（{}）", rule.label()))),
                WhenUnavailable::Full => full(weight, None),
                WhenUnavailable::Exclude => {
                    Scored { score: Points(0), excluded: true, lost_reason: Some(format!("无法计算：{reason}（{}）", rule.label())) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_rules_count_whole_steps() {
        let over = ScoringRule::OverThresholdSteps { threshold_bp: 10_000, step_bp: 100, deduct_bp: 1_000 };
        assert_eq!(share_for_rate(&over, 10_000), 10_000);
        assert_eq!(share_for_rate(&over, 10_099), 10_000, "less than one whole point over");
        assert_eq!(share_for_rate(&over, 10_250), 8_000);
        assert_eq!(share_for_rate(&over, 30_000), 0, "floored at zero");
        let short = ScoringRule::ShortfallSteps { target_bp: 10_000, step_bp: 500, deduct_bp: 2_500 };
        assert_eq!(share_for_rate(&short, 8_698), 5_000, "13.02 points short: two whole steps of 5");
        assert_eq!(share_for_rate(&short, 10_500), 10_000);
    }

    #[test]
    fn range_steps_never_give_full_marks_outside_the_range() {
        // 预算完成率: 100%, each whole 5 points away deducts 25%, at least one step above 100%.
        let completion =
            ScoringRule::RangeSteps { low_bp: 10_000, high_bp: 10_000, step_bp: 500, deduct_bp: 2_500, at_least_one_step: Sides::Above };
        assert_eq!(share_for_rate(&completion, 10_000), 10_000);
        assert_eq!(share_for_rate(&completion, 11_057), 5_000, "110.57%: 10.57 points over, two whole steps (was full marks)");
        assert_eq!(share_for_rate(&completion, 10_001), 7_500, "any over-execution loses a step");
        assert_eq!(share_for_rate(&completion, 8_698), 5_000, "13.02 short: two whole steps, as before");
        assert_eq!(share_for_rate(&completion, 9_927), 10_000, "0.73 short: no whole 5-point step (was one step: 75%)");
        assert_eq!(share_for_rate(&completion, 9_499), 7_500);
        // 结转结余率 within [0, 10%]: −2.5% is 2 whole points below 0 → 80%; −0.3% still loses one step.
        let carry = ScoringRule::RangeSteps { low_bp: 0, high_bp: 1_000, step_bp: 100, deduct_bp: 1_000, at_least_one_step: Sides::Both };
        assert_eq!(share_for_rate(&carry, -250), 8_000);
        assert_eq!(share_for_rate(&carry, -30), 9_000);
        assert_eq!(share_for_rate(&carry, 1_333), 7_000, "13.33%: three whole steps over 10%");
        // 政府采购执行率 by its distance from 100%: 10% is 90 steps away → 0 (was full marks).
        let procurement =
            ScoringRule::RangeSteps { low_bp: 10_000, high_bp: 10_000, step_bp: 100, deduct_bp: 1_000, at_least_one_step: Sides::Both };
        assert_eq!(share_for_rate(&procurement, 1_000), 0);
        assert_eq!(share_for_rate(&procurement, 9_650), 7_000, "96.5%: three whole steps short");
    }

    #[test]
    fn bands_ratio_and_proportional() {
        let bands = ScoringRule::Bands { bands: vec![(0, 10_000), (1_000, 8_000), (2_000, 6_000)], beyond_bp: 0 };
        assert_eq!(share_for_rate(&bands, 0), 10_000);
        assert_eq!(share_for_rate(&bands, 1), 8_000);
        assert_eq!(share_for_rate(&bands, 1_500), 6_000);
        assert_eq!(share_for_rate(&bands, 2_001), 0);
        assert_eq!(share_for_rate(&ScoringRule::RatioToTarget { target_bp: 9_000 }, 8_100), 9_000);
        assert_eq!(share_for_rate(&ScoringRule::RatioToTarget { target_bp: 9_000 }, 9_500), 10_000);
        assert_eq!(share_for_rate(&ScoringRule::Proportional, 12_000), 10_000);
        assert_eq!(share_for_rate(&ScoringRule::Proportional, -5), 0);
    }
}
