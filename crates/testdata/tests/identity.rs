//! The 收支 identity (年初结转和结余 + 本年收入 = 本年支出 + 结余分配/缴回 + 年末结转和结余) is computed once,
//! by `jixiao_core::balance::fund_balances`; every output must print the same figures. Over seeded random books
//! with own funds (planned or not), carry-overs (上年结转) and year-end 收回 / 结转下年, this test reads the figures
//! back from the Markdown and HTML reports, the outline (what DOCX and PDF lay out), the DOCX itself, the
//! 部门决算 tables of the workbook (公开01表, 公开04表) and the 结转结余率 indicator, and requires them equal.

use jixiao_core::Fen;
use jixiao_core::balance::{FundBalance, fund_balances};
use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_core::finding::Severity;
use jixiao_core::records::{BudgetVoucherKind, FundSource, RecordSet};
use jixiao_core::report_model::build;
use jixiao_testdata::{Profile, scenario};

/// How many scenarios (each a few units, one or two years): `JIXIAO_IDENTITY_SCENARIOS` for more.
fn scenarios() -> u64 {
    std::env::var("JIXIAO_IDENTITY_SCENARIOS").ok().and_then(|s| s.parse().ok()).unwrap_or(25)
}

/// The five figures of a row as printed (万元).
fn printed(b: &FundBalance) -> [String; 5] {
    [b.opening, b.income, b.spending, b.returned, b.closing()].map(Fen::wan_yuan_string)
}

/// The cells of the Markdown table row that starts with `label`, after the 收支平衡 header.
fn markdown_row(md: &str, label: &str) -> Vec<String> {
    let table = &md[md.find("| 资金来源 | 年初结转和结余").expect("收支平衡 table in the Markdown")..];
    let line = table.lines().find(|l| l.starts_with(&format!("| {label} |"))).unwrap_or_else(|| panic!("row {label}"));
    line.trim_matches('|').split('|').skip(1).map(|c| c.trim().to_string()).collect()
}

/// The linked figures of the HTML table row that starts with `label`.
fn html_row(html: &str, label: &str) -> Vec<String> {
    let start = html.find(&format!("<tr><td>{label}</td><td class=\"num\"><a class=\"fig\"")).unwrap_or_else(|| panic!("html row {label}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("</a>").filter_map(|part| part.rsplit_once('>').map(|(_, text)| text.to_string())).filter(|t| !t.is_empty()).collect()
}

/// The DOCX's paragraphs (a table cell is one) as the report linter reads them.
fn docx_lines(docx: &[u8]) -> Vec<String> {
    let file = tempfile::Builder::new().suffix(".docx").tempfile().unwrap();
    std::fs::write(file.path(), docx).unwrap();
    jixiao_lint::read::read_docx(file.path()).unwrap().lines().map(|l| l.trim().to_string()).collect()
}

#[test]
fn every_output_prints_the_same_identity_over_random_books() {
    let (mut books_seen, mut with_own, mut with_carry, mut with_recovery, mut with_carry_forward) = (0, 0, 0, 0, 0);
    let profile = Profile { faults: false, ..Profile::small() };
    for seed in 0..scenarios() {
        for unit in scenario(seed, &profile).units {
            for import in unit.imports {
                let dir = tempfile::tempdir().unwrap();
                import.write(dir.path()).unwrap();
                let batch = jixiao_import::read(dir.path())
                    .expect("generated books read")
                    .validate(&RecordSet::default(), &[])
                    .expect("generated books validate");
                for year in &batch.years {
                    let books = Books::new(batch.unit.clone(), year.clone(), batch.records.for_year(year.year));
                    books_seen += 1;
                    let r = &books.records;
                    with_own += usize::from(r.appropriation_lines.iter().any(|l| !l.fund_source.is_fiscal()));
                    with_carry += usize::from(r.budget_vouchers.iter().any(|v| v.kind == BudgetVoucherKind::CarryOver));
                    with_recovery += usize::from(r.budget_vouchers.iter().any(|v| v.kind == BudgetVoucherKind::Recovery));
                    with_carry_forward += usize::from(r.budget_vouchers.iter().any(|v| v.kind == BudgetVoucherKind::CarryForward));
                    same_everywhere(&books, seed);
                }
            }
        }
    }
    // The random books did exercise what the identity is about.
    assert!(
        books_seen >= 40 && with_own >= 5 && with_carry >= 5 && with_recovery >= 3 && with_carry_forward >= 3,
        "{books_seen} books: {with_own} own funds, {with_carry} carry-overs, {with_recovery} 收回, {with_carry_forward} 结转下年"
    );
}

fn same_everywhere(books: &Books, seed: u64) {
    let context = format!("seed {seed}, unit {} {}", books.unit.code, books.year.year);
    let balances = fund_balances(books);
    let total = balances.total();
    // The identity holds by source and in total.
    for (_, b) in balances.by_source() {
        assert_eq!(b.opening + b.income, b.spending + b.returned + b.closing(), "{context}");
    }
    let findings = check(books);
    assert!(findings.iter().all(|f| f.severity != Severity::Error), "{context}: normal books must report: {findings:#?}");
    let evaluation = evaluate(
        &EvaluationInput { books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, books.year.year).unwrap(),
    );
    let model = build(books, Some(&evaluation));

    // Markdown and HTML: each source's row and 合计.
    let md = jixiao_report::render(&model, jixiao_report::Format::Markdown).unwrap();
    let html = jixiao_report::render(&model, jixiao_report::Format::Html).unwrap();
    let mut rows: Vec<(String, FundBalance)> = balances.by_source().into_iter().map(|(s, b)| (s.label().to_string(), b)).collect();
    rows.push(("合计".into(), total));
    for (label, b) in &rows {
        assert_eq!(markdown_row(&md, label), printed(b), "{context}: md row {label}");
        assert_eq!(html_row(&html, label), printed(b), "{context}: html row {label}");
    }
    assert!(md.contains(&format!("年末结转和结余{}万元。", total.closing().wan_yuan_string())), "{context}");

    // The outline (DOCX and PDF lay it out) and the DOCX itself.
    let outline = jixiao_documents::outline(&model);
    let items = outline.text_items();
    let docx = docx_lines(&jixiao_documents::docx(&outline).unwrap());
    for (label, b) in &rows {
        let cells = printed(b);
        assert!(items.contains(&format!("{label} | {}", cells.join(" | "))), "{context}: outline row {label}");
        let row: Vec<String> = std::iter::once(label.clone()).chain(cells.iter().cloned()).collect();
        assert!(docx.windows(row.len()).any(|w| w == row.as_slice()), "{context}: docx row {label}");
    }

    // The 部门决算 workbook's tables.
    let accounts = jixiao_core::final_accounts::final_accounts(books);
    let table = |code: &str| accounts.tables.iter().find(|t| t.code == code).unwrap();
    let t01 = table("公开01表");
    assert_eq!(t01.amount("年初结转和结余", 1), Some(total.opening), "{context}: 01表");
    assert_eq!(t01.amount("本年收入合计", 1), Some(total.income), "{context}: 01表");
    assert_eq!(t01.amount("本年支出合计", 3), Some(total.spending), "{context}: 01表");
    assert_eq!(t01.amount("结余分配", 3), Some(total.returned), "{context}: 01表");
    assert_eq!(t01.amount("年末结转和结余", 3), Some(total.closing()), "{context}: 01表");
    let t04 = table("公开04表");
    let fiscal = balances.fiscal();
    assert_eq!(t04.amount("年末财政拨款结转和结余", 3), Some(fiscal.closing()), "{context}: 04表");
    assert_eq!(t04.amount("年末财政拨款结转和结余", 4), Some(balances.of(FundSource::GeneralBudget).closing()), "{context}: 04表");
    assert_eq!(t04.amount("本年收入合计", 1), Some(fiscal.income), "{context}: 04表");

    // 结转结余率: 年末结转和结余 ÷ 全年预算数.
    let rate = evaluation.indicators.iter().find(|i| i.id == "carryover_rate").expect("结转结余率");
    if let Some(n) = &rate.numerator {
        assert_eq!(n, &format!("{}万元", total.closing().wan_yuan_string()), "{context}: 结转结余率");
    }
}
