use super::framework::Rules;
use super::*;
use crate::check::check;
use crate::fixture::{books, date};
use crate::money::Fen;
use crate::records::*;
use proptest::prelude::*;

fn run(b: &Books, prior: Option<&Books>) -> Evaluation {
    let findings = check(b);
    evaluate(&EvaluationInput { books: b, prior, findings: &findings }, &Rules::defaults())
}

fn indicator<'a>(e: &'a Evaluation, id: &str) -> &'a ScoredIndicator {
    e.indicators.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn total_is_the_sum_of_scores_and_grade_matches_the_band() {
    let e = run(&books(), None);
    let sum: i64 = e.indicators.iter().map(|i| i.score.0).sum();
    assert_eq!(e.total, Points(sum));
    let expected = match e.total.0 {
        9000.. => "优",
        8000..=8999 => "良",
        6000..=7999 => "中",
        _ => "差",
    };
    assert_eq!(e.grade, expected);
}

#[test]
fn rates_carry_numerator_denominator_and_records() {
    let e = run(&books(), None);
    let c = indicator(&e, "budget_completion_rate");
    assert_eq!(c.value, "86.67%");
    assert_eq!(c.numerator.as_deref(), Some("0.13万元"));
    assert_eq!(c.denominator.as_deref(), Some("0.15万元"));
    assert_eq!(c.evidence_count, 2);
    // 13.33 points short: two whole 5-point steps, each 25% of the 4 points.
    assert_eq!(c.score, Points(200));
    assert!(c.lost_reason.as_deref().unwrap().contains("86.67%"));
    let staff = indicator(&e, "staff_control_rate");
    assert_eq!((staff.value.as_str(), staff.score), ("100.00%", Points(300)));
}

#[test]
fn zero_denominators_are_unavailable_and_scored_as_the_rules_say() {
    let mut b = books();
    b.records.staffing.clear();
    b.records.budget_vouchers.clear();
    let e = run(&b, None);
    let staff = indicator(&e, "staff_control_rate");
    assert_eq!(staff.value, "无法计算");
    assert!(staff.unavailable.as_deref().unwrap().contains("编制数为0"));
    assert_eq!(staff.score, Points(0), "when_unavailable = zero");
    let sangong = indicator(&e, "sangong_control_rate");
    assert_eq!((sangong.value.as_str(), sangong.score), ("无法计算", sangong.weight), "no 三公 at all: full marks by the rules");
    assert_eq!(indicator(&e, "budget_completion_rate").value, "无法计算");
}

#[test]
fn prior_year_indicators_need_the_prior_year() {
    let b = books();
    let e = run(&b, None);
    assert!(indicator(&e, "carryover_change_rate").unavailable.as_deref().unwrap().contains("2019"));
    let change = indicator(&e, "sangong_change_rate");
    assert_eq!(change.score, Points(0), "missing prior year: when_missing = zero, even though 0/0 三公 would be full");
    let mut prior = books();
    prior.year.year = 2019;
    let with_prior = run(&b, Some(&prior));
    let change = indicator(&with_prior, "sangong_change_rate");
    assert_eq!(change.score, change.weight, "no 三公 budget in either year: nothing to cut, when_unavailable = full");
    let mut prior = books();
    prior.year.year = 2019;
    prior.records.expenditures[0].amount = Fen(90_000);
    // prior carry-over 100 元, this year 200 元: +100%
    let e = run(&b, Some(&prior));
    let c = indicator(&e, "carryover_change_rate");
    assert_eq!(c.value, "100.00%");
    assert_eq!(c.score, Points(0), "each whole point over 0 deducts 10%: floored at 0");
}

#[test]
fn sangong_spending_without_budget_fails_rather_than_full_marks() {
    let mut b = books();
    b.records.appropriation_lines[0].economic_code = "30217".into();
    b.records.budget_vouchers[0].amount = Fen(0);
    let e = run(&b, None);
    let s = indicator(&e, "sangong_control_rate");
    assert_eq!(s.score, Points(0));
    assert!(s.unavailable.as_deref().unwrap().contains("无“三公经费”预算却支出"));
}

#[test]
fn payment_progress_follows_the_quarters() {
    let mut b = books();
    // All 1 300 元 paid on 1 June: Q1 0 of 375, Q2 1 300 capped at 750, Q3 1 125 of 1 125, Q4 1 300 of 1 500.
    for e in &mut b.records.expenditures {
        e.date = date("2020-06-01");
    }
    let e = run(&b, None);
    let p = indicator(&e, "payment_progress_rate");
    assert_eq!(p.numerator.as_deref(), Some("0.32万元"));
    assert_eq!(p.value, "84.67%", "(0 + 750 + 1125 + 1300) ÷ (375 + 750 + 1125 + 1500)");
}

#[test]
fn outputs_are_counted_from_project_indicators() {
    let mut b = books();
    let e = run(&b, None);
    assert_eq!(indicator(&e, "output_completion_rate").value, "100.00%");
    b.records.project_indicators[0].actual = Some("5".into());
    let e = run(&b, None);
    let o = indicator(&e, "output_completion_rate");
    assert_eq!((o.numerator.as_deref(), o.denominator.as_deref()), (Some("0项"), Some("1项")));
    assert_eq!(o.score, Points(0));
    assert!(indicator(&e, "output_quality_rate").unavailable.as_deref().unwrap().contains("质量指标"));
}

#[test]
fn checklists_name_what_is_missing() {
    let e = run(&books(), None);
    let rules = indicator(&e, "budget_rules_sound");
    assert_eq!(rules.score, Points(0));
    assert!(rules.lost_reason.as_deref().unwrap().contains("内部控制"));
    let mut b = books();
    b.records.control_documents.push(ControlDocument { document_code: "D1".into(), year: 2020, name: "内部控制手册".into(), adopted_on: date("2019-01-01"), note: None });
    let e = run(&b, None);
    assert_eq!(indicator(&e, "budget_rules_sound").score, Points(100));
    let disclosure = indicator(&e, "disclosure_timely");
    assert!(disclosure.checklist.iter().all(|i| !i.met && i.detail.contains("没有")));
}

#[test]
fn a_reviewer_override_replaces_the_score_and_keeps_the_computed_one() {
    let mut b = books();
    b.records.score_overrides.push(ScoreOverride {
        override_code: "TZ1".into(),
        year: 2020,
        indicator: "budget_rules_sound".into(),
        score: 250,
        reason: "制度汇编已印发，未录入系统".into(),
        reviewer: "李审核".into(),
        date: date("2021-04-20"),
    });
    b.records.score_overrides.push(ScoreOverride { override_code: "TZ0".into(), score: 300, date: date("2021-04-01"), ..b.records.score_overrides[0].clone() });
    b.records.score_overrides.push(ScoreOverride { override_code: "TZ2".into(), indicator: "staff_control_rate".into(), score: 900, ..b.records.score_overrides[0].clone() });
    let e = run(&b, None);
    let i = indicator(&e, "budget_rules_sound");
    assert_eq!((i.computed_score, i.score), (Points(0), Points(250)), "the latest override applies");
    assert_eq!(i.overridden.as_ref().unwrap().override_code, "TZ1");
    let s = indicator(&e, "staff_control_rate");
    assert_eq!(s.score, s.computed_score, "an override above the weight is not applied");
    assert!(s.lost_reason.as_deref().unwrap().contains("未采用"));
}

#[test]
fn project_self_evaluation_follows_the_10_hao_layout() {
    let e = run(&books(), None);
    let p = &e.projects[0];
    assert_eq!(p.funds[0].annual.wan_yuan, "0.05");
    assert_eq!(p.execution_rate.as_deref(), Some("100.00%"));
    assert_eq!(p.execution_score, Points(1000));
    // One 产出 indicator only: 效益 has none, so 产出 gets its 30 and the absent 满意度's 10 (产出/效益 in proportion → all to 产出).
    assert_eq!(p.indicators.len(), 1);
    assert_eq!(p.indicators[0].weight, Points(9000));
    assert_eq!(p.total, Points(10_000));
    assert!(p.note.as_deref().unwrap().contains("满意度指标"));
}

#[test]
fn problems_list_every_indicator_that_lost_points() {
    let e = run(&books(), None);
    let problems = e.problems();
    for i in e.indicators.iter().filter(|i| i.score < i.weight) {
        assert!(problems.iter().any(|p| p.starts_with(&i.level3)), "{} missing from problems", i.level3);
    }
}

proptest! {
    /// Whatever the records say, every score stays within [0, weight] and the total within [0, 100].
    #[test]
    fn scores_stay_within_their_weights(
        spent in proptest::collection::vec(1i64..500_000, 0..6),
        budget in 0i64..400_000,
        actual_staff in 0i64..20,
        authorized in 0i64..20,
        actuals in proptest::collection::vec(proptest::option::of(0i64..20), 0..4),
        idle in any::<bool>(),
    ) {
        let mut b = books();
        b.records.budget_vouchers[0].amount = Fen(budget);
        b.records.expenditures.truncate(1);
        for (i, amount) in spent.iter().enumerate() {
            let mut e = b.records.expenditures[0].clone();
            e.voucher_no = format!("P{i}");
            e.amount = Fen(*amount);
            b.records.expenditures.push(e);
        }
        b.records.staffing[0].actual = actual_staff;
        b.records.staffing[0].authorized = authorized;
        for (k, a) in actuals.iter().enumerate() {
            let mut i = b.records.project_indicators[0].clone();
            i.indicator_code = format!("X{k}");
            i.actual = a.map(|v| v.to_string());
            b.records.project_indicators.push(i);
        }
        if idle {
            b.records.fixed_assets.push(FixedAsset { asset_code: "A".into(), year: 2020, name: "电脑".into(), category: "通用设备".into(), original_value: Fen(500_000), acquired_on: date("2019-01-01"), status: AssetStatus::Idle, note: None });
        }
        let e = run(&b, None);
        for i in &e.indicators {
            prop_assert!(i.score.0 >= 0 && i.score <= i.weight, "{} {} of {}", i.id, i.score, i.weight);
        }
        prop_assert!(e.total.0 >= 0 && e.total <= Points::FULL);
        for p in &e.projects {
            prop_assert!(p.total.0 >= 0 && p.total <= Points::FULL, "{}", p.total);
            for i in &p.indicators {
                prop_assert!(i.score.0 >= 0 && i.score <= i.weight);
            }
        }
    }
}
