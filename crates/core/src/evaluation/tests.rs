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

/// One test per remaining formula, each with figures computed by hand from the fixture
/// (basic line B1: budget 1 000 元, spent 800 元; project line P1: budget 500 元, spent 500 元).
mod formulas {
    use super::*;

    fn value(b: &Books, id: &str) -> (String, Option<String>, Option<String>) {
        let e = run(b, None);
        let i = indicator(&e, id);
        (i.value.clone(), i.numerator.clone(), i.denominator.clone())
    }

    #[test]
    fn key_spending_rate() {
        // The one project is key: 500 of 500 元.
        assert_eq!(value(&books(), "key_spending_rate").0, "100.00%");
        let mut b = books();
        b.records.projects[0].is_key = false;
        assert_eq!(value(&b, "key_spending_rate").0, "0.00%");
        b.records.expenditures.retain(|e| e.line_code != "P1");
        assert_eq!(value(&b, "key_spending_rate").0, "无法计算", "no project spending: zero denominator");
    }

    #[test]
    fn budget_adjustment_rate_counts_absolute_adjustments_and_skips_reversed_pairs() {
        let mut b = books();
        let mut add = b.records.budget_vouchers[0].clone();
        add.voucher_no = "ZJ1".into();
        add.kind = BudgetVoucherKind::Addition;
        add.amount = Fen(30_000);
        let mut cut = add.clone();
        cut.voucher_no = "TJ1".into();
        cut.kind = BudgetVoucherKind::Reduction;
        cut.amount = Fen(15_000);
        let mut wrong = add.clone();
        wrong.voucher_no = "ZJ2".into();
        let mut reversal = add.clone();
        reversal.voucher_no = "ZJ2-HC".into();
        reversal.amount = Fen(-30_000);
        reversal.reverses = Some("ZJ2".into());
        b.records.budget_vouchers.extend([add, cut, wrong, reversal]);
        // (300 + 150) ÷ 年初 1 500 = 30%
        let (v, n, d) = value(&b, "budget_adjustment_rate");
        assert_eq!((v.as_str(), n.as_deref(), d.as_deref()), ("30.00%", Some("0.05万元"), Some("0.15万元")));
    }

    #[test]
    fn carryover_rate() {
        // (1 500 − 1 300) ÷ 1 500
        assert_eq!(value(&books(), "carryover_rate").0, "13.33%");
    }

    #[test]
    fn public_use_control_rate() {
        let mut b = books();
        assert_eq!(value(&b, "public_use_control_rate").0, "无法计算", "B1 is 人员经费: no 公用经费 budget");
        b.records.appropriation_lines[0].economic_code = "30201".into();
        assert_eq!(value(&b, "public_use_control_rate").0, "80.00%");
    }

    #[test]
    fn procurement_execution_rate() {
        let mut b = books();
        assert_eq!(value(&b, "procurement_execution_rate").0, "无法计算");
        let p = |code: &str, gov: bool, budget: Option<i64>, contract: i64| Procurement {
            procurement_code: code.into(),
            year: 2020,
            date: date("2020-05-01"),
            project_code: None,
            item: "设备".into(),
            method: ProcurementMethod::ElectronicMall,
            is_government_procurement: gov,
            budget_amount: budget.map(Fen),
            contract_amount: Fen(contract),
            supplier: None,
            contract_no: None,
            accepted_on: None,
            note: None,
        };
        b.records.procurements = vec![p("G1", true, Some(100_000), 90_000), p("G2", true, Some(50_000), 45_000), p("N1", false, None, 999_999)];
        assert_eq!(value(&b, "procurement_execution_rate").0, "90.00%", "(900 + 450) ÷ (1 000 + 500); non-government purchases left out");
        b.records.procurements.push(p("G3", true, None, 1));
        let e = run(&b, None);
        assert!(indicator(&e, "procurement_execution_rate").unavailable.as_deref().unwrap().contains("G3"));
    }

    #[test]
    fn asset_utilization_rate() {
        let mut b = books();
        assert_eq!(value(&b, "asset_utilization_rate").0, "无法计算");
        let asset = |code: &str, value: i64, status: AssetStatus| FixedAsset {
            asset_code: code.into(),
            year: 2020,
            name: "电脑".into(),
            category: "通用设备".into(),
            original_value: Fen(value),
            acquired_on: date("2019-01-01"),
            status,
            note: None,
        };
        b.records.fixed_assets = vec![asset("A1", 600_000, AssetStatus::InUse), asset("A2", 200_000, AssetStatus::Idle), asset("A3", 999_999, AssetStatus::Disposed)];
        assert_eq!(value(&b, "asset_utilization_rate").0, "75.00%", "6 000 ÷ 8 000; disposed assets left out");
    }

    fn with_indicators(levels: &[(&str, &str, Option<&str>)]) -> Books {
        let mut b = books();
        let template = b.records.project_indicators[0].clone();
        b.records.project_indicators = levels
            .iter()
            .enumerate()
            .map(|(k, (l1, l2, actual))| ProjectIndicator { indicator_code: format!("I{k}"), level1: (*l1).into(), level2: (*l2).into(), actual: actual.map(Into::into), ..template.clone() })
            .collect();
        b
    }

    #[test]
    fn timeliness_quality_key_work_and_benefit_rates() {
        // Targets are ≥6; "6" meets, "3" does not, None is missing.
        let b = with_indicators(&[
            ("产出指标", "时效指标", Some("6")),
            ("产出指标", "时效指标", Some("3")),
            ("产出指标", "质量指标", Some("6")),
            ("效益指标", "社会效益指标", Some("6")),
            ("效益指标", "社会效益指标", None),
            ("效益指标", "社会效益指标", Some("7")),
        ]);
        assert_eq!(value(&b, "output_timeliness_rate").0, "50.00%");
        assert_eq!(value(&b, "output_quality_rate").0, "100.00%");
        assert_eq!(value(&b, "key_work_completion_rate").0, "66.67%", "the key project's 产出 indicators: 2 of 3");
        assert_eq!(value(&b, "benefit_rate").0, "66.67%");
    }

    #[test]
    fn satisfaction_from_surveys_or_else_the_projects_indicators() {
        let b = with_indicators(&[("满意度指标", "服务对象满意度指标", Some("92%")), ("满意度指标", "服务对象满意度指标", Some("88"))]);
        assert_eq!(value(&b, "satisfaction_rate").0, "90.00%", "(92 + 88) ÷ 2");
        let mut b = b;
        b.records.surveys.push(Survey { survey_code: "S1".into(), year: 2020, subject: "居民".into(), project_code: None, date: None, sample_size: 200, satisfied: 171, evidence: None });
        let (v, n, d) = value(&b, "satisfaction_rate");
        assert_eq!((v.as_str(), n.as_deref(), d.as_deref()), ("85.50%", Some("171人"), Some("200人")), "a survey outranks the indicators");
        let none = with_indicators(&[("满意度指标", "服务对象满意度指标", None)]);
        assert_eq!(value(&none, "satisfaction_rate").0, "无法计算");
    }

    #[test]
    fn sangong_change_rate_against_the_prior_year() {
        // Code tables exist for 2020 and 2021: compare 2021 with 2020.
        let mut b = books();
        b.records.appropriation_lines[0].economic_code = "30217".into();
        let mut prior = b.clone();
        b.year.year = 2021;
        prior.records.budget_vouchers[0].amount = Fen(125_000);
        // (1 000 − 1 250) ÷ 1 250 = −20%: a cut, full marks.
        let e = run(&b, Some(&prior));
        let i = indicator(&e, "sangong_change_rate");
        assert_eq!((i.value.as_str(), i.score), ("-20.00%", i.weight));
        prior.records.budget_vouchers[0].amount = Fen(0);
        let e = run(&b, Some(&prior));
        assert_eq!(indicator(&e, "sangong_change_rate").score, Points(0), "a new 三公 budget where there was none");
    }
}
