//! `jixiao report --kind project|targets|monitor` end to end on the demo database: the binary writes the
//! 项目支出绩效自评报告 and next year's 绩效目标申报表 in every format, refuses what it cannot write, and the
//! project prose entered as 报告文字 (章节 `project_problems.CODE`) reaches the report.

use std::io::{Cursor, Read};
use std::process::{Command, Output};

fn jixiao(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("--db").arg(db).args(args).env_remove("JIXIAO_DB").output().expect("runs")
}

fn ok(out: Output) -> Vec<u8> {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn refused(out: Output) -> String {
    assert!(!out.status.success(), "should have failed: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo_db() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("d.db").display());
    ok(jixiao(&db, &["demo"]));
    (tmp, db)
}

fn report(db: &str, args: &[&str]) -> Output {
    let mut all = vec!["report", "--year", "2020"];
    all.extend_from_slice(args);
    jixiao(db, &all)
}

/// `report --kind project --project XM2020-02 --format FORMAT` and `extra`.
fn demo_project(db: &str, format: &str, extra: &[&str]) -> Output {
    let mut args = vec!["--kind", "project", "--project", "XM2020-02", "--format", format];
    args.extend_from_slice(extra);
    report(db, &args)
}

#[test]
fn the_project_report_in_every_format() {
    let (tmp, db) = demo_db();
    let md = String::from_utf8(ok(demo_project(&db, "md", &[]))).unwrap();
    assert!(
        md.starts_with("# 芙蓉区科学技术协会2020年度全国科普日活动经费项目支出绩效自评报告"),
        "{}",
        md.chars().take(100).collect::<String>()
    );
    for part in ["## 一、项目概况", "## 二、资金投入和使用情况", "项目支出绩效自评表", "## 七、自评结果应用", "预算执行率"]
    {
        assert!(md.contains(part), "lacks {part}");
    }
    let html = String::from_utf8(ok(demo_project(&db, "html", &[]))).unwrap();
    assert!(html.contains("附：数字来源"));
    let docx = tmp.path().join("p.docx");
    ok(demo_project(&db, "docx", &["-o", docx.to_str().unwrap()]));
    let mut xml = String::new();
    zip::ZipArchive::new(Cursor::new(std::fs::read(&docx).unwrap()))
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("全国科普日活动经费"));
    let pdf = tmp.path().join("p.pdf");
    ok(demo_project(&db, "pdf", &["-o", pdf.to_str().unwrap()]));
    let text =
        String::from_utf8(Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext").stdout).unwrap().replace('\n', "");
    assert!(text.contains("项目支出绩效自评报告") && text.contains("偏差原因分析"), "{text}");
}

#[test]
fn the_target_draft_is_for_the_next_year() {
    let (tmp, db) = demo_db();
    let md = String::from_utf8(ok(report(&db, &["--kind", "targets", "--format", "md"]))).unwrap();
    assert!(md.starts_with("# 芙蓉区科学技术协会2021年度绩效目标申报表（草稿）"), "{}", md.chars().take(100).collect::<String>());
    assert!(md.contains("## 一、部门整体支出绩效目标申报表") && md.contains("## 二、项目支出绩效目标申报表"));
    let pdf = tmp.path().join("t.pdf");
    ok(report(&db, &["--kind", "targets", "--format", "pdf", "-o", pdf.to_str().unwrap()]));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn what_cannot_be_written_is_refused_clearly() {
    let (_tmp, db) = demo_db();
    assert!(refused(report(&db, &["--kind", "project", "--format", "md"])).contains("--project"));
    assert!(refused(report(&db, &["--kind", "project", "--project", "XM9", "--format", "md"])).contains("2020年度没有项目「XM9」"));
    assert!(refused(report(&db, &["--kind", "targets", "--format", "xlsx", "-o", "/dev/null"])).contains("xlsx 只用于部门整体报告"));
    // The monitoring table is written by monitor.rs (tests/monitor.rs); here only that the kind answers.
    let out = report(&db, &["--kind", "monitor", "--as-of", "2020-06-30", "--format", "md"]);
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("预算绩效运行监控表"));
    assert!(refused(report(&db, &["--kind", "targets", "--scope", "region", "--format", "md"])).contains("--kind 只用于单位报告"));
}

#[test]
fn project_prose_entered_as_narratives_reaches_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("d.db").display());
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
    let dir = tmp.path().join("demo");
    std::fs::create_dir(&dir).unwrap();
    for entry in std::fs::read_dir(&demo).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let mut narratives = std::fs::read_to_string(dir.join("narratives.csv")).unwrap();
    narratives.push_str("project_problems.XM2020-02,2020,科普日活动受场地限制，线下受众面有限。\n");
    std::fs::write(dir.join("narratives.csv"), narratives).unwrap();
    ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    let md = String::from_utf8(ok(demo_project(&db, "md", &[]))).unwrap();
    assert!(md.contains("科普日活动受场地限制，线下受众面有限。"));
    assert!(!md.contains("报告文字「存在的问题」未填写"));
    // A section that names no known id is still refused.
    let mut narratives = std::fs::read_to_string(dir.join("narratives.csv")).unwrap();
    narratives.push_str("project_typo.XM2020-02,2020,文字\n");
    std::fs::write(dir.join("narratives.csv"), narratives).unwrap();
    assert!(refused(jixiao(&db, &["import", dir.to_str().unwrap()])).contains("IMPORT_UNKNOWN_SECTION"));
}
