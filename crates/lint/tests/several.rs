//! `jixiao lint A B …`: documents of one unit and year are compared figure by figure, 元 against 万元.
//! The 决算说明 is 大邑县's published 2022 text (tests/real-corpus/sichuan-2022-final-dayi-wenlv.txt)
//! under a title naming its unit; the 自评表 beside it is written for the test, in 元 with separators.

use jixiao_lint::{OutputFormat, lint_file, run};

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn final_accounts() -> String {
    let real =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/real-corpus/sichuan-2022-final-dayi-wenlv.txt")).unwrap();
    format!("大邑县文体旅游局2022年度部门决算情况说明\n{real}")
}

fn form(executed: &str) -> String {
    format!(
        "大邑县文体旅游局2022年度部门整体支出绩效自评表\n金额单位：元\n项目资金\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n年度资金总额\t41,000,000.00\t41,500,000.00\t{executed}\t10\t99.85%\t9.99\n"
    )
}

#[test]
fn a_form_in_yuan_is_compared_with_the_final_accounts_in_wan_yuan() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "决算说明.txt", &final_accounts());
    let b = write(dir.path(), "自评表.txt", &form("41,349,100.00"));
    let report = lint_file(&b).unwrap();
    assert_eq!(report.unit_name.as_deref(), Some("大邑县文体旅游局"));
    assert!(report.amount_count > 0 || !report.figures.is_empty());

    let mut reports = vec![lint_file(&a).unwrap(), lint_file(&b).unwrap()];
    jixiao_lint::compare::compare(&mut reports);
    let mismatches: Vec<&jixiao_lint::DocumentFinding> =
        reports.iter().flat_map(|r| &r.findings).filter(|f| f.rule == "cross-document-mismatch").collect();
    assert_eq!(mismatches.len(), 2, "{mismatches:#?}");
    // Each document says what the other says, converted to its own unit.
    assert!(mismatches[0].message.contains("41349100.00元（= 4134.91万元）"), "{}", mismatches[0].message);
    assert!(mismatches[0].message.contains("差 9.00万元"), "{}", mismatches[0].message);
    assert!(mismatches[1].message.contains("4143.91万元（= 41439100.00元）"), "{}", mismatches[1].message);

    // The same figure in 元 is no mismatch; the exit code reports the other findings only.
    let c = write(dir.path(), "自评表2.txt", &form("41,439,100.00"));
    let mut agreeing = vec![lint_file(&a).unwrap(), lint_file(&c).unwrap()];
    jixiao_lint::compare::compare(&mut agreeing);
    assert!(agreeing.iter().flat_map(|r| &r.findings).all(|f| f.rule != "cross-document-mismatch"));
    assert_eq!(run(&[a, b], OutputFormat::Json), 1);
}

/// A 自评表 published as a spreadsheet reads like the text one: the cells of 池州市贵池区棠溪镇's 2022
/// 项目支出绩效自评表 (tests/real-corpus/anhui-2022-project-form-chizhou-tangxi.txt), one per cell.
#[test]
fn an_xlsx_form_reads_like_the_text_one() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评表.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows: Vec<Vec<&str>> = vec![
        vec!["项目支出绩效自评表", "(2022年度)"],
        vec!["项目名称", "委托业务项目"],
        vec!["项目资金 (万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        vec!["年度资金总额:"],
        vec!["其中:本年财政拨款"],
        vec!["上年结转资金"],
        vec!["其他资金"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    for (c, v) in [0.0, 0.0, 0.0, 10.0, 0.0, 0.0].iter().enumerate() {
        sheet.write_number(3, c as u16 + 1, *v).unwrap();
    }
    for (c, v) in [90.0, 89.974, 89.974].iter().enumerate() {
        sheet.write_number(4, c as u16 + 1, *v).unwrap();
    }
    book.save(&path).unwrap();
    let report = lint_file(&path).unwrap();
    assert_eq!(report.kind.id(), "project-form");
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, vec!["total-row-mismatch"], "{:#?}", report.findings);

    // 99.97% kept as the fraction 0.9997 by the spreadsheet; 10 × 99.97% = 9.997 → 10.00, not 9.99.
    let path = dir.path().join("自评表2.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "项目支出绩效自评表(2022年度)").unwrap();
    for (c, h) in ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"].iter().enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    sheet.write_string(2, 0, "年度资金总额").unwrap();
    for (c, v) in [90.0, 90.0, 89.974, 10.0, 0.9997, 9.99].iter().enumerate() {
        sheet.write_number(2, c as u16 + 1, *v).unwrap();
    }
    book.save(&path).unwrap();
    let report = lint_file(&path).unwrap();
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, vec!["score-truncated"], "{:#?}", report.findings);
}
