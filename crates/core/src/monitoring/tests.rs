//! Hand-computed cases on the fixture unit: basic line B1 (年初预算 1 000.00 元, paid 800.00 on 1 June) and
//! project XM1's line P1 (年初预算 500.00 元, paid 500.00 on 1 June).

use super::*;
use crate::fixture::{books, date};

fn note(code: &str, day: &str, project: Option<&str>, indicator: Option<&str>) -> MonitoringNote {
    MonitoringNote {
        monitor_code: code.into(),
        year: 2020,
        date: date(day),
        project_code: project.map(Into::into),
        indicator_code: indicator.map(Into::into),
        deviation_reason: None,
        corrective_action: None,
        expected_amount: None,
        expected_value: None,
        likelihood: None,
        recorder: None,
    }
}

fn result(code: &str, day: &str, actual: &str) -> IndicatorResult {
    IndicatorResult {
        result_code: code.into(),
        year: 2020,
        indicator_code: "XM1-1".into(),
        date: date(day),
        actual: actual.into(),
        evidence: None,
        deviation_reason: None,
        recorder: None,
    }
}

fn row<'a>(m: &'a Monitoring, label: &str) -> &'a FundsRow {
    m.funds.iter().find(|r| r.label == label).unwrap_or_else(|| panic!("no row {label}"))
}

#[test]
fn the_rules_file_reads_and_names_its_sources() {
    let r = rules();
    assert_eq!(r.time_progress.months_in_year, 12);
    assert!(r.sources.iter().any(|s| s.url.starts_with("https://")));
}

#[test]
fn time_progress_counts_whole_months_completed() {
    for (day, months) in [
        ("2020-06-30", 6),
        ("2020-07-15", 6),
        ("2020-07-31", 7),
        ("2020-02-29", 2),
        ("2020-02-28", 1),
        ("2019-12-31", 0),
        ("2020-12-31", 12),
        ("2021-03-01", 12),
    ] {
        assert_eq!(completed_months(2020, date(day)), months, "{day}");
    }
    // 7 ÷ 12 = 58.333…% → 58.33%; 5 ÷ 12 = 41.666…% → 41.67% (half away from zero).
    assert_eq!(build(&books(), date("2020-07-31")).time_progress.text, "58.33%");
    assert_eq!(build(&books(), date("2020-05-31")).time_progress.text, "41.67%");
}

#[test]
fn execution_to_the_month_end_against_time_progress() {
    let m = build(&books(), date("2020-06-30"));
    assert_eq!(m.time_progress.text, "50.00%");
    assert_eq!(m.spent_heading(), "1-6月执行数");
    let unit = row(&m, "部门整体（合计）");
    // 1 300.00 of 1 500.00 元 = 86.67%, 36.67 points ahead of 50.00%.
    assert_eq!(
        (unit.annual.text.as_str(), unit.spent.text.as_str(), unit.execution_rate.text.as_str(), unit.gap.text.as_str()),
        ("0.15", "0.13", "86.67%", "36.67")
    );
    assert!(!unit.behind);
    assert_eq!(unit.deviation_reason.text, "—");
    assert_eq!(unit.expected.text, "「缺少数据：全年预计执行数」");
    assert_eq!(row(&m, "其中：基本支出").execution_rate.text, "80.00%");
    let project = row(&m, "科普活动");
    assert_eq!((project.execution_rate.text.as_str(), project.project_code.as_deref()), ("100.00%", Some("XM1")));

    // On 31 May nothing is paid yet (the vouchers are dated 1 June): 0.00%, 41.67 points behind, and the unit must say why.
    let m = build(&books(), date("2020-05-31"));
    let unit = row(&m, "部门整体（合计）");
    assert_eq!((unit.execution_rate.text.as_str(), unit.gap.text.as_str()), ("0.00%", "-41.67"));
    assert!(unit.behind);
    assert_eq!(unit.deviation_reason.text, "「缺少数据：偏差原因」");
    assert_eq!(unit.corrective_action.text, "「缺少数据：纠偏措施」");
    assert!(unit.deviation_reason.missing);
    // A subtotal row states nothing itself.
    assert_eq!(row(&m, "其中：项目支出").deviation_reason.text, "—");
}

#[test]
fn the_budget_counts_adjustments_dated_to_the_month_end() {
    let mut b = books();
    let mut addition = b.records.budget_vouchers[1].clone();
    addition.voucher_no = "ZJ1".into();
    addition.kind = BudgetVoucherKind::Addition;
    addition.date = date("2020-09-01");
    b.records.budget_vouchers.push(addition);
    // 30 June: the 追加 of September is not yet made — 500.00 budget, 500.00 paid.
    assert_eq!(row(&build(&b, date("2020-06-30")), "科普活动").execution_rate.text, "100.00%");
    // 31 December: 1 000.00 budget, 500.00 paid.
    let year_end = build(&b, date("2020-12-31"));
    assert_eq!(row(&year_end, "科普活动").execution_rate.text, "50.00%");
    assert_eq!(row(&year_end, "科普活动").initial.text, "0.05");
}

#[test]
fn statements_come_from_the_latest_note_on_or_before_the_date() {
    let mut b = books();
    let mut early = note("JK1", "2020-06-20", Some("XM1"), None);
    early.deviation_reason = Some("场地未落实".into());
    early.corrective_action = Some("7月完成招标".into());
    early.expected_amount = Some(Fen(50_000));
    let mut late = note("JK2", "2020-07-10", Some("XM1"), None);
    late.deviation_reason = Some("招标延期".into());
    b.records.monitoring_notes = vec![late, early];
    let m = build(&b, date("2020-06-30"));
    let p = row(&m, "科普活动");
    assert_eq!(
        (p.deviation_reason.text.as_str(), p.corrective_action.text.as_str(), p.expected.text.as_str()),
        ("场地未落实", "7月完成招标", "0.05")
    );
    assert_eq!(p.deviation_reason.sources, vec![RecordRef::new("monitoring_notes", "JK1")]);
    let m = build(&b, date("2020-07-31"));
    let p = row(&m, "科普活动");
    assert_eq!(p.deviation_reason.text, "招标延期");
    // The later note gives no 纠偏措施, and the row is not behind: nothing is invented.
    assert_eq!(p.corrective_action.text, "—");
    // A note on the project is not a note on the unit.
    assert_eq!(row(&m, "部门整体（合计）").expected.text, "「缺少数据：全年预计执行数」");
}

#[test]
fn indicator_progress_is_the_latest_result_to_the_date() {
    let mut b = books();
    let m = build(&b, date("2020-06-30"));
    let i = &m.goals[0].indicators[0];
    assert_eq!((m.goals[0].subject.as_str(), i.target.as_str()), ("科普活动", "≥6场"));
    // No 指标完成登记: progress, and the reasons it calls for, are missing; the undated year-end actual does not count mid-year.
    assert_eq!(i.progress.text, "「缺少数据：2020-06-30前的指标完成登记」");
    assert_eq!(i.deviation_reason.text, "「缺少数据：偏差原因」");
    // At the year's end the indicator's own 实际完成值 stands.
    assert_eq!(build(&b, date("2020-12-31")).goals[0].indicators[0].progress.text, "6场");

    b.records.indicator_results = vec![result("JG2", "2020-08-01", "5"), result("JG1", "2020-06-15", "3")];
    // A note on an indicator may leave the project code empty.
    let mut n = note("JK3", "2020-06-28", None, Some("XM1-1"));
    n.expected_value = Some("6场".into());
    n.likelihood = Some(GoalLikelihood::Certain);
    b.records.monitoring_notes = vec![n];
    let m = build(&b, date("2020-06-30"));
    let i = &m.goals[0].indicators[0];
    assert_eq!(i.progress.text, "3场（2020-06-15登记）");
    assert_eq!((i.expected.text.as_str(), i.likelihood.text.as_str(), i.deviation_reason.text.as_str()), ("6场", "确定能", "—"));
    assert_eq!(build(&b, date("2020-08-31")).goals[0].indicators[0].progress.text, "5场（2020-08-01登记）");
    // Without a note's 偏差原因, the result's own 偏差原因分析 stands.
    b.records.indicator_results[0].deviation_reason = Some("暑期活动暂停".into());
    let i = &build(&b, date("2020-08-31")).goals[0].indicators[0];
    assert_eq!((i.deviation_reason.text.as_str(), i.deviation_reason.sources[0].kind), ("暑期活动暂停", "indicator_results"));
}

#[test]
fn summary_books_give_the_same_table() {
    let mut b = books();
    b.records.monitoring_notes = vec![note("JK1", "2020-06-20", None, None)];
    for day in ["2020-05-31", "2020-06-30", "2020-12-31"] {
        let (full, summary) = (build(&b, date(day)), build(&b.summarize(), date(day)));
        assert_eq!(serde_json::to_string(&full).unwrap(), serde_json::to_string(&summary).unwrap(), "{day}");
    }
}

#[test]
fn done_means_the_unit_and_every_project_noted_in_the_year() {
    let mut b = books();
    assert_eq!(status(b.year.year, &b.records).label(), "未开展");
    // A note dated in the next year does not count for this year.
    b.records.monitoring_notes = vec![note("JK0", "2021-01-05", None, None)];
    assert_eq!(status(b.year.year, &b.records).label(), "未开展");
    b.records.monitoring_notes.push(note("JK1", "2020-07-05", None, None));
    let s = status(b.year.year, &b.records);
    assert_eq!((s.label(), s.unit_covered, s.projects, s.projects_covered), ("部分完成", true, 1, 0));
    // A note on one of the project's indicators covers the project.
    b.records.monitoring_notes.push(note("JK2", "2020-07-05", Some("XM1"), Some("XM1-1")));
    let s = status(b.year.year, &b.records);
    assert_eq!((s.label(), s.latest), ("已完成", Some(date("2020-07-05"))));
    // The records of STATUS_KINDS alone give the same status: what the area's list reads of each unit.
    let mut only = RecordSet::default();
    for kind in STATUS_KINDS {
        for row in b.records.rows(kind.id()) {
            only.push_row(kind.id(), row).unwrap();
        }
    }
    assert_eq!(only.monitoring_notes.len(), 3);
    assert_eq!(status(b.year.year, &only), s);
}
