use super::*;
use crate::check::check;
use crate::fixture::{books, date};

fn asset(code: &str, category: &str, value: i64, acquired: &str, status: AssetStatus) -> FixedAsset {
    FixedAsset {
        asset_code: code.into(),
        year: 2020,
        name: format!("{code}名称"),
        category: category.into(),
        original_value: Fen(value),
        acquired_on: date(acquired),
        status,
        note: None,
    }
}

fn fired(b: &Books, rule: &str) -> Vec<Finding> {
    check(b).into_iter().filter(|f| f.rule_id == rule).collect()
}

#[test]
fn classes_match_by_class_then_by_category_default() {
    assert_eq!(asset_class("计算机设备").and_then(|c| c.years), Some(6));
    assert_eq!(asset_class("车辆").and_then(|c| c.years), Some(8));
    assert_eq!(asset_class("通用设备").map(|c| (c.class.as_str(), c.years)), Some(("办公设备", Some(6))));
    assert_eq!(asset_class("家具、用具及装具").and_then(|c| c.years), Some(15));
    assert_eq!(asset_class("砖混结构").and_then(|c| c.years), Some(30));
    assert!(!asset_class("图书档案").unwrap().depreciate);
    assert_eq!(asset_class("飞船"), None);
    assert_eq!(table_basis(), "财会〔2017〕4号 表1");
}

/// A 5 650.00 元 computer bought on 2020-06-18, 6 years (72 months) from June 2020, worked by hand:
/// accumulated after n months = ⌊565 000 × n ÷ 72⌋ 分; n = 7, 19, 31, 43, 55, 67, 72 at the years' ends.
#[test]
fn a_computer_schedule_equals_the_hand_computed_one() {
    let s = depreciation_schedule(Fen(565_000), date("2020-06-18"), 6);
    let expected = [
        // year, months, charge, accumulated, net (分)
        (2020, 7, 54_930, 54_930, 510_070),   // 565000×7/72 = 54930.56
        (2021, 12, 94_167, 149_097, 415_903), // 565000×19/72 = 149097.22
        (2022, 12, 94_166, 243_263, 321_737), // 565000×31/72 = 243263.89
        (2023, 12, 94_167, 337_430, 227_570), // 565000×43/72 = 337430.56
        (2024, 12, 94_167, 431_597, 133_403), // 565000×55/72 = 431597.22
        (2025, 12, 94_166, 525_763, 39_237),  // 565000×67/72 = 525763.89
        (2026, 5, 39_237, 565_000, 0),        // January–May 2026: fully depreciated
    ];
    let got: Vec<(i32, u32, i64, i64, i64)> = s.iter().map(|y| (y.year, y.months, y.charge.0, y.accumulated.0, y.net.0)).collect();
    assert_eq!(got, expected.to_vec());
    assert_eq!(s.iter().map(|y| y.charge).sum::<Fen>(), Fen(565_000));
}

/// The demo's 办公桌椅 (9 600.00 元, 2017-03-20, 家具 15 years = 180 months): 10 months in 2017, then 640.00 元 a year.
#[test]
fn furniture_by_category_default_equals_the_hand_computed_one() {
    let a = asset("ZC-2017-002", "家具、用具及装具", 960_000, "2017-03-20", AssetStatus::InUse);
    let s = asset_schedule(&a).unwrap();
    assert_eq!(s.len(), 16, "March 2017 to February 2032");
    let head: Vec<(i32, u32, i64, i64)> = s.iter().take(4).map(|y| (y.year, y.months, y.charge.0, y.net.0)).collect();
    // ⌊960000×10/180⌋ = 53333; then 64 000 a year (960000×12/180 exactly).
    assert_eq!(
        head,
        vec![(2017, 10, 53_333, 906_667), (2018, 12, 64_000, 842_667), (2019, 12, 64_000, 778_667), (2020, 12, 64_000, 714_667)]
    );
    let last = s.last().unwrap();
    assert_eq!((last.year, last.months, last.net), (2032, 2, Fen(0)));
    assert_eq!(asset_schedule(&asset("TS1", "图书档案", 100_000, "2020-01-01", AssetStatus::InUse)), None, "not depreciated");
}

#[test]
fn disposal_needs_an_approved_disposal_record() {
    let mut b = books();
    b.records.fixed_assets = vec![asset("ZC1", "计算机设备", 500_000, "2014-01-01", AssetStatus::Disposed)];
    let found = fired(&b, "ASSET_DISPOSAL_UNAPPROVED");
    assert!(found[0].message.contains("固定资产「ZC1」（ZC1名称，原值 5000.00 元）登记为已处置，但没有经批准的处置记录"), "{found:#?}");
    let event = |approval: Option<&str>| AssetEvent {
        event_code: "BD1".into(),
        year: 2020,
        date: date("2020-11-01"),
        asset_code: "ZC1".into(),
        kind: AssetEventKind::Disposal,
        counterparty: Some("报废".into()),
        approval_document: approval.map(Into::into),
        proceeds: None,
        note: None,
    };
    b.records.asset_events = vec![event(Some(" "))];
    assert_eq!(fired(&b, "ASSET_DISPOSAL_UNAPPROVED").len(), 1, "a blank approval is no approval");
    b.records.asset_events = vec![event(Some("芙财资〔2020〕12号"))];
    assert!(fired(&b, "ASSET_DISPOSAL_UNAPPROVED").is_empty());
}

#[test]
fn inventory_differences_and_their_effect_on_the_status_counted() {
    let mut b = books();
    b.records.fixed_assets = vec![
        asset("ZC1", "计算机设备", 500_000, "2019-01-01", AssetStatus::InUse),
        asset("ZC2", "办公设备", 300_000, "2019-01-01", AssetStatus::InUse),
        asset("ZC3", "家具", 200_000, "2019-01-01", AssetStatus::InUse),
    ];
    assert!(fired(&b, "ASSET_COUNT_DIFFERENCE").is_empty(), "no count, nothing to compare");
    let count = |code: &str, asset: &str, found: bool| AssetCount {
        count_code: code.into(),
        year: 2020,
        date: date("2020-12-20"),
        asset_code: asset.into(),
        found,
        note: None,
    };
    b.records.asset_counts = vec![count("PD1", "ZC1", true), count("PD2", "ZC2", false), count("PD3", "ZC9", true)];
    let messages: Vec<String> = fired(&b, "ASSET_COUNT_DIFFERENCE").into_iter().map(|f| f.message).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(messages[0].contains("盘点「PD2」未见固定资产「ZC2」（ZC2名称，原值 3000.00 元）（盘亏）"));
    assert!(messages[1].contains("盘点「PD3」发现资产「ZC9」，固定资产账中没有该资产（盘盈）"));
    assert!(messages[2].contains("固定资产「ZC3」（ZC3名称）未列入本年盘点"));
    // The 盘亏 asset is not counted as in use.
    assert_eq!(effective_status(&b.records, &b.records.fixed_assets[1]), AssetStatus::Idle);
    assert_eq!(effective_status(&b.records, &b.records.fixed_assets[0]), AssetStatus::InUse);
}

#[test]
fn the_evaluation_counts_assets_by_their_effective_status() {
    use crate::evaluation::{EvaluationInput, evaluate, framework::Rules};
    let mut b = books();
    b.records.fixed_assets = vec![
        asset("ZC1", "计算机设备", 600_000, "2019-01-01", AssetStatus::InUse),
        asset("ZC2", "计算机设备", 400_000, "2019-01-01", AssetStatus::InUse),
    ];
    let rate = |b: &Books| {
        let findings = check(b);
        let e = evaluate(
            &EvaluationInput { books: b, prior: None, findings: &findings },
            &Rules::for_unit(&b.unit.region_code, b.year.year).unwrap(),
        );
        let i = e.indicators.iter().find(|i| i.id == "asset_utilization_rate").unwrap();
        i.value.clone()
    };
    assert_eq!(rate(&b), "100.00%");
    // ZC2 not found at the count (盘亏): 6 000 of 10 000 元 in use.
    b.records.asset_counts = vec![AssetCount {
        count_code: "PD1".into(),
        year: 2020,
        date: date("2020-12-20"),
        asset_code: "ZC2".into(),
        found: false,
        note: None,
    }];
    assert_eq!(rate(&b), "60.00%");
}

#[test]
fn depreciation_in_a_year_before_during_and_after_the_life() {
    let a = asset("ZC1", "计算机设备", 565_000, "2020-06-18", AssetStatus::InUse);
    let (class, years, d) = depreciation_in(&a, 2021).unwrap();
    assert_eq!((class.class.as_str(), years, d.charge, d.accumulated, d.net), ("计算机设备", 6, Fen(94_167), Fen(149_097), Fen(415_903)));
    assert_eq!(depreciation_in(&a, 2019).unwrap().2.net, Fen(565_000));
    assert_eq!(depreciation_in(&a, 2030).unwrap().2.accumulated, Fen(565_000));
    assert!(depreciation_in(&asset("TS1", "图书档案", 1, "2020-01-01", AssetStatus::InUse), 2020).is_none());
}
