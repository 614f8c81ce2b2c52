//! `jixiao lint A B …`: documents of one unit and year are compared figure by figure, 元 against 万元.
//! The 决算说明 is 大邑县's published 2022 text (tests/real-corpus/sichuan-2022-final-dayi-wenlv.txt)
//! under a title naming its unit; the 自评表 beside it is written for the test, in 元 with separators.

use jixiao_lint::{lint_file, run, OutputFormat};

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn final_accounts() -> String {
    let real = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/real-corpus/sichuan-2022-final-dayi-wenlv.txt"
    ))
    .unwrap();
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
    let mismatches: Vec<&jixiao_lint::Finding> = reports
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.rule == "cross-document-mismatch")
        .collect();
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
