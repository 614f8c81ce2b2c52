//! The 决算 workbook of the example datasets built from real units' published 部门决算 (examples/*/README.md):
//! the cells read back with calamine carry the published figures, and the tables add up to each other.

use calamine::{Data, Range, Reader, Xlsx};
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_testdata::examples::example_books;
use std::io::Cursor;

fn workbook(dataset: &str, year: i32) -> Xlsx<Cursor<Vec<u8>>> {
    let books = example_books(dataset, year);
    let findings = check(&books);
    let evaluation = evaluate(
        &EvaluationInput { books: &books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, year).unwrap(),
    );
    let bytes = jixiao_documents::workbook(&books, &evaluation).unwrap();
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

fn sheet(x: &mut Xlsx<Cursor<Vec<u8>>>, prefix: &str) -> Range<Data> {
    let names = x.sheet_names();
    let name = names.iter().find(|n| n.starts_with(prefix)).unwrap_or_else(|| panic!("no sheet {prefix} in {names:?}")).clone();
    x.worksheet_range(&name).unwrap()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

/// The amount (万元, two decimals) `offset` columns right of the first cell reading `label`.
fn amount(sheet: &Range<Data>, label: &str, offset: usize) -> String {
    for row in sheet.rows() {
        if let Some(pos) = row.iter().position(|c| cell_text(c) == label) {
            return match row.get(pos + offset) {
                Some(Data::Float(f)) => format!("{f:.2}"),
                Some(Data::Int(i)) => format!("{i}.00"),
                other => panic!("{label}: not a number: {other:?}"),
            };
        }
    }
    panic!("no row {label}")
}

/// The cells of each table (sheet name prefix): (row label, columns right of it, amount in 万元).
type Expected<'a> = &'a [(&'a str, &'a [(&'a str, usize, &'a str)])];

fn assert_tables(dataset: &str, year: i32, expected: Expected) {
    let mut x = workbook(dataset, year);
    for (prefix, cells) in expected {
        let table = sheet(&mut x, prefix);
        for (label, offset, value) in *cells {
            assert_eq!(amount(&table, label, *offset), *value, "{dataset} {prefix}「{label}」+{offset}");
        }
    }
}

const SUMMARY: &str = "01 ";
const INCOME: &str = "02 ";
const SPENDING: &str = "03 ";

/// 重庆市永川区农机推广站2024年度决算公开说明:
/// https://www.cqyc.gov.cn/bm/qnyncw_87648/zwgk_87667/fdzdgknr_87670/ysjs/js174166/202508/t20250820_14917006.html
/// 收支总计 832.82, all 财政拨款; 基本支出 146.89, so 项目支出 685.93; no carry-in, none left.
#[test]
fn nongji_workbook_carries_the_published_figures() {
    assert_tables(
        "yongchuan-nongji-2024",
        2024,
        &[
            (
                SUMMARY,
                &[
                    ("一、一般公共预算财政拨款收入", 1, "832.82"),
                    ("五、事业收入", 1, "0.00"),
                    ("八、其他收入", 1, "0.00"),
                    ("本年收入合计", 1, "832.82"),
                    ("本年支出合计", 1, "832.82"),
                    ("年初结转和结余", 1, "0.00"),
                    ("年末结转和结余", 1, "0.00"),
                    ("总计", 1, "832.82"),
                ],
            ),
            (SPENDING, &[("合计", 1, "832.82"), ("合计", 2, "146.89"), ("合计", 3, "685.93")]),
        ],
    );
}

/// 重庆市涪陵区增福镇卫生院2024年度决算公开说明:
/// http://www.fl.gov.cn/bm/wsjkw/zwgk_46504/fdzdgknr_46506/ysjs_46512/jsgk/202511/t20251105_15142924.html
/// 收入总计 1262.46, 本年收入合计 1184.79, 使用非财政拨款结余 60.86 (jixiao: in 年初结转和结余, with the
/// 财政拨款 carry-in 16.81 filled: 77.67). The amounts by income kind and the basic/project split are filled.
#[test]
fn zengfu_workbook_carries_the_published_figures() {
    assert_tables(
        "fuling-zengfu-wsy-2024",
        2024,
        &[
            (
                SUMMARY,
                &[
                    ("本年收入合计", 1, "1184.79"),
                    ("年初结转和结余", 1, "77.67"),
                    ("总计", 1, "1262.46"),
                    ("本年支出合计", 1, "1262.46"),
                    ("一、一般公共预算财政拨款收入", 1, "560.00"),
                    ("五、事业收入", 1, "600.00"),
                    ("八、其他收入", 1, "24.79"),
                ],
            ),
            (INCOME, &[("合计", 1, "1184.79")]),
            (SPENDING, &[("合计", 1, "1262.46"), ("合计", 2, "1055.65"), ("合计", 3, "206.81")]),
        ],
    );
}

/// 大英县文化广播电视和旅游局 2022年度单位决算: https://dyrmt.com/article-133619-2.html
/// 本年收入合计 4125.49 (一般公共预算 3859.16, 其他收入 266.33), 本年支出合计 4143.91 (基本 1140.27, 项目 3003.64).
#[test]
fn daying_workbook_carries_the_published_figures() {
    assert_tables(
        "daying-wenlv-2022",
        2022,
        &[
            (
                SUMMARY,
                &[
                    ("一、一般公共预算财政拨款收入", 1, "3859.16"),
                    ("二、政府性基金预算财政拨款收入", 1, "0.00"),
                    ("五、事业收入", 1, "0.00"),
                    ("八、其他收入", 1, "266.33"),
                    ("本年收入合计", 1, "4125.49"),
                    ("本年支出合计", 1, "4143.91"),
                ],
            ),
            (INCOME, &[("合计", 1, "4125.49")]),
            (SPENDING, &[("合计", 1, "4143.91"), ("合计", 2, "1140.27"), ("合计", 3, "3003.64")]),
        ],
    );
}

/// The 项 rows (7-digit codes) of a table by function code, each row's first amount.
fn item_rows(table: &Range<Data>) -> Vec<(String, f64)> {
    table
        .rows()
        .filter(|row| matches!(row.first(), Some(c) if cell_text(c).len() == 7 && cell_text(c).chars().all(|ch| ch.is_ascii_digit())))
        .map(|row| match row.get(2) {
            Some(Data::Float(f)) => (cell_text(&row[0]), *f),
            other => panic!("{:?}: not a number: {other:?}", row.first()),
        })
        .collect()
}

/// In every example, the 项 rows of 公开02表 and 公开03表 add up to the table's 合计, which is the published total.
#[test]
fn item_rows_add_up_to_the_published_totals() {
    for (dataset, year, income_total, spending_total) in [
        ("daying-wenlv-2022", 2022, "4125.49", "4143.91"),
        ("fuling-zengfu-wsy-2024", 2024, "1184.79", "1262.46"),
        ("yongchuan-nongji-2024", 2024, "832.82", "832.82"),
    ] {
        let mut x = workbook(dataset, year);
        for (prefix, total) in [(INCOME, income_total), (SPENDING, spending_total)] {
            let table = sheet(&mut x, prefix);
            let items = item_rows(&table);
            assert!(!items.is_empty(), "{dataset} {prefix}: no 项 rows");
            let sum: f64 = items.iter().map(|(_, a)| a).sum();
            assert_eq!(format!("{sum:.2}"), total, "{dataset} {prefix}: Σ 项 rows {items:?}");
            assert_eq!(amount(&table, "合计", 1), total, "{dataset} {prefix}: 合计");
        }
    }
}

/// The 三公 table (公开09表 from 2022, 公开07表 before) and 公开04表 (财政拨款) of 大英县文广旅局 2022: 公务接待费 7.80 万元 is published
/// (https://dyrmt.com/article-133619-7.html); 因公出国 and 公务用车 are filled as 0; the 财政拨款 carry-in 18.42 is filled.
#[test]
fn daying_sangong_and_fiscal_tables() {
    let mut x = workbook("daying-wenlv-2022", 2022);
    let sangong = sheet(&mut x, "09 ");
    assert!(x.sheet_names().iter().any(|n| n.starts_with("09 ") && n.contains("财政拨款“三公”经费")), "2022 edition: 三公 is 公开09表");
    let row: Vec<String> =
        sangong.rows().find(|r| r.iter().any(|c| matches!(c, Data::Float(_)))).expect("a row of amounts").iter().map(cell_text).collect();
    // 预算数: 合计, 因公出国, 公务用车小计, 购置, 运行, 公务接待; then 决算数 in the same order
    assert_eq!(row[6..12], ["7.80", "0.00", "0.00", "0.00", "0.00", "7.80"], "决算数 {row:?}");
    let fiscal = sheet(&mut x, "04 ");
    assert_eq!(amount(&fiscal, "本年收入合计", 1), "3859.16");
    assert_eq!(amount(&fiscal, "年初财政拨款结转和结余", 1), "18.42");
    assert_eq!(amount(&fiscal, "本年支出合计", 1), "3877.58", "1140.27 基本 + 2737.31 财政拨款项目");
}

/// The 决算说明 sheet of 大英县文广旅局 2022 computes what the publication says in words
/// (https://dyrmt.com/article-133619-7.html): 机关运行经费 73.73 万元, 政府采购 709.65 万元, 公务接待费 7.80 万元.
#[test]
fn daying_explanations_print_the_published_figures() {
    let mut x = workbook("daying-wenlv-2022", 2022);
    let notes = sheet(&mut x, "决算说明");
    let text: String = notes.rows().flatten().map(cell_text).collect();
    for published in ["机关运行经费支出73.73万元", "709.65万元", "7.80万元"] {
        assert!(text.contains(published), "{published}: {text}");
    }
}
