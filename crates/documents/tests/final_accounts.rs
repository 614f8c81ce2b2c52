//! core's 部门决算公开 tables (`jixiao_core::final_accounts`) over the demo books. The tests live here because
//! reading the demo needs the importer, which core cannot depend on.

use jixiao_core::Fen;
use jixiao_core::books::Books;
use jixiao_core::final_accounts::{Value, final_accounts, sangong_amounts, sangong_coverage};
use jixiao_core::records::FundSource;
use jixiao_testdata::examples::demo_books;

#[test]
fn the_edition_of_the_year_orders_and_titles_the_tables() {
    let mut books = demo_books();
    let titles = |b: &Books| final_accounts(b).tables.iter().map(|t| format!("{} {}", t.code, t.name)).collect::<Vec<_>>();
    let set_2020 = titles(&books);
    assert_eq!(set_2020[6], "公开07表 一般公共预算财政拨款“三公”经费支出决算表");
    assert_eq!(set_2020[7], "公开08表 政府性基金预算财政拨款收入支出决算表");
    books.year.year = 2022;
    let set_2022 = titles(&books);
    assert_eq!(set_2022[6], "公开07表 政府性基金预算财政拨款收入支出决算表");
    assert_eq!(set_2022[8], "公开09表 财政拨款“三公”经费支出决算表");
    assert!(final_accounts(&books).tables[8].empty_note.as_deref().unwrap().contains("无财政拨款“三公”经费"));
}

/// A 公务接待费 line paid from 政府性基金: outside the 2019–2021 三公 table (一般公共预算 only), inside the 2022
/// one — and the 决算说明's 一般性支出 prints what the year's table prints (one definition of the coverage).
#[test]
fn from_2022_the_sangong_table_and_the_explanation_cover_every_fiscal_source() {
    let mut books = demo_books();
    let line = books.records.appropriation_lines.iter_mut().find(|l| l.line_code == "ZB2020-17").unwrap();
    line.economic_code = "30217".into();
    line.fund_source = FundSource::GovernmentFund;
    let spent = books.line_spending("ZB2020-17");
    assert!(spent > Fen::ZERO);
    let general_explanation =
        |b: &Books| jixiao_core::final_accounts::explanations(b, None).into_iter().find(|e| e.title == "一般性支出情况").unwrap().text;

    assert!(final_accounts(&books).tables[6].rows.is_empty(), "2020: 一般公共预算 only");
    assert_eq!(sangong_amounts(&books, sangong_coverage(2020)).spending_total(), Fen::ZERO);
    assert!(general_explanation(&books).contains("“三公”经费支出0.00万元"), "{}", general_explanation(&books));

    books.year.year = 2022;
    // 决算数 合计 is the 7th column (after the six 预算数 columns).
    assert_eq!(final_accounts(&books).tables[8].rows[0][6], Value::Money(spent));
    assert_eq!(sangong_amounts(&books, sangong_coverage(2022)).spending_total(), spent);
    assert!(
        general_explanation(&books).contains(&format!("“三公”经费支出{}万元", spent.wan_yuan_string())),
        "{}",
        general_explanation(&books)
    );
}
