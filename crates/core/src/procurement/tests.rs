use super::*;
use crate::check::check;
use crate::fixture::{books, date};

fn purchase(code: &str, day: &str, item: &str, method: ProcurementMethod, amount: i64, supplier: &str) -> Procurement {
    Procurement {
        procurement_code: code.into(),
        year: 2020,
        date: date(day),
        project_code: None,
        item: item.into(),
        method,
        is_government_procurement: false,
        budget_amount: None,
        contract_amount: Fen(amount),
        supplier: Some(supplier.into()),
        contract_no: Some(format!("HT-{code}")),
        accepted_on: Some(date(day)),
        note: None,
    }
}

fn quote(code: &str, procurement: &str, supplier: &str) -> ProcurementQuote {
    ProcurementQuote {
        quote_code: code.into(),
        year: 2020,
        procurement_ref: procurement.into(),
        supplier: supplier.into(),
        amount: Fen(100),
        date: None,
    }
}

fn fired(b: &Books, rule: &str) -> Vec<Finding> {
    check(b).into_iter().filter(|f| f.rule_id == rule).collect()
}

#[test]
fn the_data_file_picks_the_most_specific_region_and_year() {
    let national = rules_for("110101", 2020).unwrap();
    assert_eq!((national.open_tender(), national.split_threshold()), (Fen(200_000_000), Fen(100_000_000)));
    let hunan = rules_for("430102", 2020).unwrap();
    assert_eq!(hunan.split_threshold(), Fen(30_000_000));
    assert!(!hunan.quote_records_required);
    assert!(rules_for("439901", 2021).unwrap().quote_records_required);
    assert!(!rules_for("439901", 2020).unwrap().quote_records_required, "the sample region's own rule starts in 2021");
    assert!(rules_for("430102", 2019).is_none(), "no rule before 2020: the checks stay silent");
}

#[test]
fn tender_required_at_the_threshold_unless_tendered_or_approved() {
    let mut b = books();
    // Exactly 2 000 000.00 元 by 竞争性磋商: at the threshold, so reported.
    b.records.procurements.push(purchase(
        "CG1",
        "2020-05-01",
        "业务系统建设",
        ProcurementMethod::CompetitiveConsultation,
        200_000_000,
        "甲公司",
    ));
    b.records.procurements.push(purchase("CG2", "2020-05-01", "办公楼维修", ProcurementMethod::OpenTender, 300_000_000, "乙公司"));
    b.records.procurements.push(purchase("CG3", "2020-05-01", "软件", ProcurementMethod::SingleSource, 199_999_999, "丙公司"));
    let found = fired(&b, "PROCUREMENT_TENDER_REQUIRED");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("采购「CG1」（业务系统建设）金额 2000000.00 元，达到公开招标数额标准 2000000.00 元，但采购方式为竞争性磋商"),
        "{}",
        found[0].message
    );
    // A 采购预算 above the threshold counts even when the contract came in below it.
    b.records.procurements[2].budget_amount = Some(Fen(250_000_000));
    assert_eq!(fired(&b, "PROCUREMENT_TENDER_REQUIRED").len(), 2);
    // An approved change of method for that method clears it; one for another method does not.
    let exception = |method| ProcurementException {
        exception_code: "PF1".into(),
        year: 2020,
        procurement_ref: "CG1".into(),
        approved_method: method,
        document: "芙财采〔2020〕8号".into(),
        date: date("2020-04-20"),
    };
    b.records.procurement_exceptions.push(exception(ProcurementMethod::SingleSource));
    assert_eq!(fired(&b, "PROCUREMENT_TENDER_REQUIRED").len(), 2);
    b.records.procurement_exceptions[0] = exception(ProcurementMethod::CompetitiveConsultation);
    assert_eq!(fired(&b, "PROCUREMENT_TENDER_REQUIRED").iter().map(|f| f.records[0].key.as_str()).collect::<Vec<_>>(), vec!["CG3"]);
}

#[test]
fn split_purchases_by_supplier_or_item_within_the_window() {
    let mut b = books();
    // Hunan: 300 000.00 元 within 90 days. 150 000 + 150 000 reach it exactly, 91 days apart do not.
    b.records.procurements.push(purchase("CG1", "2020-03-01", "宣传服务", ProcurementMethod::ThreeQuotes, 15_000_000, "甲公司"));
    b.records.procurements.push(purchase("CG2", "2020-05-30", "印刷", ProcurementMethod::ThreeQuotes, 15_000_000, "甲公司"));
    let found = fired(&b, "PROCUREMENT_SPLIT");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("供应商「甲公司」在 90 天内的 2 笔采购（CG1、CG2）合计 300000.00 元，达到分散采购限额标准 300000.00 元"),
        "{}",
        found[0].message
    );
    b.records.procurements[1].date = date("2020-05-31");
    assert!(fired(&b, "PROCUREMENT_SPLIT").is_empty(), "91 days apart");
    // The same item from different suppliers is found too, and a purchase at the threshold itself is not a split.
    b.records.procurements.push(purchase("CG3", "2020-06-01", "印刷", ProcurementMethod::ThreeQuotes, 15_000_000, "乙公司"));
    let found = fired(&b, "PROCUREMENT_SPLIT");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.starts_with("采购内容「印刷」") && found[0].message.contains("CG2、CG3"), "{}", found[0].message);
    b.records.procurements[2].contract_amount = Fen(30_000_000);
    assert!(fired(&b, "PROCUREMENT_SPLIT").is_empty());
}

#[test]
fn three_quotes_need_three_suppliers_recorded() {
    let mut b = books();
    b.records.procurements.push(purchase("CG1", "2020-03-01", "宣传服务", ProcurementMethod::ThreeQuotes, 5_000_000, "甲公司"));
    // Hunan does not require 询价记录: none recorded is not reported, two of three are.
    assert!(fired(&b, "PROCUREMENT_QUOTES_MISSING").is_empty());
    b.records.procurement_quotes = vec![quote("BJ1", "CG1", "甲公司"), quote("BJ2", "CG1", "乙公司"), quote("BJ3", "CG1", "乙公司 ")];
    let found = fired(&b, "PROCUREMENT_QUOTES_MISSING");
    assert!(found[0].message.contains("只登记了 2 家供应商的报价，应不少于 3 家"), "{}", found[0].message);
    b.records.procurement_quotes.push(quote("BJ4", "CG1", "丙公司"));
    assert!(fired(&b, "PROCUREMENT_QUOTES_MISSING").is_empty());
    // Where the region requires them, none recorded is reported.
    b.unit.region_code = "439901".into();
    b.year.year = 2021;
    for p in &mut b.records.procurements {
        p.year = 2021;
    }
    b.records.procurement_quotes.clear();
    assert!(fired(&b, "PROCUREMENT_QUOTES_MISSING")[0].message.contains("只登记了 0 家"));
}

#[test]
fn government_procurement_needs_contract_and_acceptance() {
    let mut b = books();
    let mut p = purchase("CG1", "2020-03-01", "计算机", ProcurementMethod::ElectronicMall, 1_458_000, "甲公司");
    p.is_government_procurement = true;
    b.records.procurements.push(p.clone());
    assert!(fired(&b, "PROCUREMENT_CONTRACT_MISSING").is_empty());
    b.records.procurements[0].accepted_on = None;
    b.records.procurements[0].contract_no = Some(" ".into());
    assert!(fired(&b, "PROCUREMENT_CONTRACT_MISSING")[0].message.contains("政府采购「CG1」（计算机，14580.00 元）没有合同和验收记录"));
    // Outside 政府采购 the rule does not apply.
    b.records.procurements[0].is_government_procurement = false;
    assert!(fired(&b, "PROCUREMENT_CONTRACT_MISSING").is_empty());
}
