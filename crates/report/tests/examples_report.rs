//! Golden tests of the example datasets built from real units' published 部门决算 (each directory's README.md
//! says which figures are published and which were filled in), read straight from the import files without a
//! database: the Markdown report prints the published totals, and its text is kept as a snapshot.

use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_core::finding::Severity;
use jixiao_core::report_model::{ReportModel, build};
use jixiao_report::{Format, render};
use jixiao_testdata::examples::example_books;

fn model(dataset: &str, year: i32) -> ReportModel {
    let books = example_books(dataset, year);
    let findings = check(&books);
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{dataset}: check finds errors: {errors:#?}");
    let evaluation = evaluate(
        &EvaluationInput { books: &books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, year).unwrap(),
    );
    build(&books, Some(&evaluation))
}

fn markdown(dataset: &str, year: i32) -> String {
    render(&model(dataset, year), Format::Markdown).unwrap()
}

/// The amount in 万元 printed right after `label` (e.g. 「本年支出合计」 → 1262.46).
fn wan_after(md: &str, label: &str) -> String {
    let rest = md.split_once(label).unwrap_or_else(|| panic!("report lacks {label:?}")).1;
    let number: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    assert!(rest[number.len()..].starts_with("万元"), "{label}: no 万元 amount after it");
    number
}

/// Each (label, amount): the report prints the amount in 万元 right after the label.
fn assert_printed(dataset: &str, md: &str, expected: &[(&str, &str)]) {
    for (label, amount) in expected {
        assert_eq!(wan_after(md, label), *amount, "{dataset}: 「{label}」");
    }
}

fn fen(wan: &str) -> i64 {
    let (whole, cents) = wan.split_once('.').unwrap();
    whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

const NONGJI: &str = "yongchuan-nongji-2024";
const ZENGFU: &str = "fuling-zengfu-wsy-2024";
const DAYING: &str = "daying-wenlv-2022";

/// 重庆市永川区农机推广站2024年度决算公开说明 (永川区农业农村委, 2025-08-20):
/// https://www.cqyc.gov.cn/bm/qnyncw_87648/zwgk_87667/fdzdgknr_87670/ysjs/js174166/202508/t20250820_14917006.html
/// 「2024年度收、支总计均为832.82万元……收入合计832.82万元……其中：财政拨款收入832.82万元，占100.00%；事业收入0.00万元……
/// 其他收入0.00万元……年初结转和结余0.00万元……支出合计832.82万元……其中：基本支出146.89万元」
#[test]
fn nongji_report_prints_the_published_totals() {
    let md = markdown(NONGJI, 2024);
    // 项目支出 = 832.82 − 146.89; 年末结转和结余 = 收支总计 − 支出合计
    let printed = [
        ("本级财政拨款收入合计", "832.82"),
        ("本年支出合计", "832.82"),
        ("其中基本支出", "146.89"),
        ("项目支出", "685.93"),
        ("上年结转", "0.00"),
        ("年末结转和结余", "0.00"),
    ];
    assert_printed(NONGJI, &md, &printed);
    assert!(!md.contains("其他资金收入"), "事业收入 and 其他收入 are 0");
    assert!(md.contains("| 合计 | 0.00 | 832.82 | 832.82 | 0.00 | 0.00 |"), "收支平衡");
}

/// 重庆市涪陵区增福镇卫生院2024年度决算公开说明 (涪陵区卫生健康委, 2025-11):
/// http://www.fl.gov.cn/bm/wsjkw/zwgk_46504/fdzdgknr_46506/ysjs_46512/jsgk/202511/t20251105_15142924.html
/// 「2024年度收入总计1262.46万元，支出总计1262.46万元……使用非财政拨款结余和专用结余60.86万元……
/// 2024年度收入合计1184.79万元」; 年初结转和结余 with the non-fiscal balance used = 1262.46 − 1184.79 = 77.67.
#[test]
fn zengfu_report_prints_the_published_totals() {
    let md = markdown(ZENGFU, 2024);
    let fiscal = fen(&wan_after(&md, "本级财政拨款收入合计"));
    let own_funds = fen(&wan_after(&md, "其他资金收入"));
    assert_eq!(fiscal + own_funds, 118_479, "本年收入合计 1184.79 万元 = 财政拨款 + 事业收入 + 其他收入");
    // 上年结转: 年初结转和结余 + 使用非财政拨款结余; 支出总计 1262.46 with 年末结转和结余 0 (filled)
    assert_printed(ZENGFU, &md, &[("上年结转", "77.67"), ("本年支出合计", "1262.46"), ("年末结转和结余", "0.00")]);
    assert!(md.contains("| 合计 | 77.67 | 1184.79 | 1262.46 | 0.00 | 0.00 |"), "收支平衡: 年初 + 本年收入 = 本年支出 + 年末");
}

/// 大英县文化广播电视和旅游局 2022年度单位决算 (大英县融媒体中心):
/// https://dyrmt.com/article-133619-2.html 「2022年本年收入合计4125.49万元，其中：一般公共预算财政拨款收入3859.16万元……
/// 其他收入266.33万元……2022年本年支出合计4143.91万元，其中：基本支出1140.27万元……项目支出3003.64万元」;
/// https://dyrmt.com/article-133619-7.html 「公务接待费支出7.8万元……机关运行经费支出73.73万元……政府采购支出总额709.65万元」.
#[test]
fn daying_report_prints_the_published_totals() {
    let md = markdown(DAYING, 2022);
    // 三公 = 公务接待费 (因公出国 and 公务用车 filled as 0); 日常公用经费 = 机关运行经费
    let printed = [
        ("本级财政拨款收入合计", "3859.16"),
        ("其他资金收入", "266.33"),
        ("本年支出合计", "4143.91"),
        ("其中基本支出", "1140.27"),
        ("项目支出", "3003.64"),
        ("其中公务接待费", "7.80"),
        ("“三公”经费支出", "7.80"),
        ("日常公用经费", "73.73"),
        ("其中政府采购", "709.65"),
    ];
    assert_printed(DAYING, &md, &printed);
    assert!(md.contains("| 合计 | 18.42 | 4125.49 | 4143.91 | 0.00 | 0.00 |"), "收支平衡, with the filled carry-in 18.42");
}

#[test]
fn golden_daying_markdown() {
    insta::assert_snapshot!("daying_wenlv_2022_md", markdown(DAYING, 2022));
}

#[test]
fn golden_nongji_markdown() {
    insta::assert_snapshot!("yongchuan_nongji_2024_md", markdown(NONGJI, 2024));
}

#[test]
fn golden_zengfu_markdown() {
    insta::assert_snapshot!("fuling_zengfu_wsy_2024_md", markdown(ZENGFU, 2024));
}
