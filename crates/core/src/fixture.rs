//! A small, clean unit-year used by the core's tests: one basic line, one project line, balanced books.

use crate::books::Books;
use crate::date::Date;
use crate::money::Fen;
use crate::records::*;
use crate::sections::report_sections;

pub fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

pub fn books() -> Books {
    let line = |code: &str, f: &str, e: &str, kind: SpendingKind, project: Option<&str>| AppropriationLine {
        line_code: code.into(),
        year: 2020,
        function_code: f.into(),
        economic_code: e.into(),
        spending_kind: kind,
        project_code: project.map(Into::into),
        fund_source: FundSource::GeneralBudget,
        stated_annual_budget: None,
        reported_name: None,
        note: None,
    };
    let budget = |no: &str, line: &str, kind: BudgetVoucherKind, amount: i64| BudgetVoucher {
        voucher_no: no.into(),
        year: 2020,
        date: date("2020-01-10"),
        line_code: line.into(),
        kind,
        amount: Fen(amount),
        document: None,
        reverses: None,
        recorded_by: None,
        note: None,
        adjustment_cause: None,
    };
    let pay = |no: &str, line: &str, amount: i64| Expenditure {
        voucher_no: no.into(),
        year: 2020,
        date: date("2020-06-01"),
        line_code: line.into(),
        amount: Fen(amount),
        payee: "某公司".into(),
        purpose: "用途".into(),
        procurement_ref: None,
        reverses: None,
        recorded_by: None,
        note: None,
    };
    let receipt = |no: &str, f: &str, amount: i64| Receipt {
        voucher_no: no.into(),
        year: 2020,
        date: date("2020-02-01"),
        fund_source: FundSource::GeneralBudget,
        function_code: f.into(),
        amount: Fen(amount),
        payer: None,
        reverses: None,
        recorded_by: None,
        note: None,
    };
    let records = RecordSet {
        staffing: vec![Staffing { year: 2020, category: "行政编制".into(), authorized: 4, actual: 4 }],
        appropriation_lines: vec![
            line("B1", "2060101", "30101", SpendingKind::Basic, None),
            line("P1", "2060702", "30227", SpendingKind::Project, Some("XM1")),
        ],
        budget_vouchers: vec![
            budget("YS1", "B1", BudgetVoucherKind::Initial, 100_000),
            budget("YS2", "P1", BudgetVoucherKind::Initial, 50_000),
        ],
        receipts: vec![receipt("SR1", "2060101", 100_000), receipt("SR2", "2060702", 50_000)],
        expenditures: vec![pay("ZC1", "B1", 80_000), pay("ZC2", "P1", 50_000)],
        projects: vec![Project {
            project_code: "XM1".into(),
            year: 2020,
            name: "科普活动".into(),
            is_key: true,
            department: None,
            goal: "开展科普活动".into(),
            outcome: None,
            note: None,
        }],
        project_indicators: vec![ProjectIndicator {
            indicator_code: "XM1-1".into(),
            year: 2020,
            project_code: "XM1".into(),
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            level3: "科普活动场次".into(),
            direction: IndicatorDirection::AtLeast,
            target: "6".into(),
            actual: Some("6".into()),
            unit: Some("场".into()),
            evidence: None,
            deviation_reason: None,
            weight: None,
        }],
        activity_outputs: vec![ActivityOutput {
            output_code: "CC1".into(),
            year: 2020,
            date: None,
            activity: "科普日".into(),
            project_code: Some("XM1".into()),
            output: "科普活动".into(),
            quantity: 6,
            qualifier: QuantityQualifier::Exact,
            unit: "次".into(),
            evidence: None,
        }],
        narratives: report_sections()
            .iter()
            .map(|s| Narrative { section: s.id.clone(), year: 2020, text: format!("{}的文字", s.title) })
            .collect(),
        ..RecordSet::default()
    };
    Books {
        unit: UnitProfile {
            code: "U1".into(),
            name: "测试单位".into(),
            region_code: "430102".into(),
            parent_department: "区政府".into(),
            duties: vec!["职能一".into()],
            offices: vec![],
            department_code: None,
            bureau_code: None,
            bureau_name: None,
            framework: None,
        },
        year: UnitYear { year: 2020, report_date: Some(date("2021-04-25")) },
        records,
        expenditure_totals: None,
    }
}
