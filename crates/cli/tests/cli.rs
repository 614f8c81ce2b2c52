//! End-to-end tests of the `jixiao` binary: the CLI contract other tools rely on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn jixiao(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("--db").arg(db).args(args).env_remove("JIXIAO_DB").output().expect("runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020")
}

fn sqlite(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn import_then_report_prints_the_seed_figures_and_reimport_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    let demo = demo_dir();
    let first = ok(jixiao(&db, &["import", demo.to_str().unwrap()]));
    assert!(first.contains("新增 234 条记录"), "{first}");
    let report = ok(jixiao(&db, &["report", "--year", "2020", "--format", "md"]));
    for figure in ["242.96", "102.96", "108.37", "52.24", "2.00", "24.13", "30.00", "211.33", "86.98%", "1869", "17980"] {
        assert!(report.contains(figure), "{figure}");
    }
    let second = ok(jixiao(&db, &["import", demo.to_str().unwrap()]));
    assert!(second.contains("新增 0 条记录"), "{second}");
    assert_eq!(ok(jixiao(&db, &["report", "--year", "2020", "--format", "md"])), report, "re-import leaves the report byte-identical");

    assert_eq!(ok(jixiao(&db, &["units"])), "430102-KX\t芙蓉区科学技术协会\n");
    let check = ok(jixiao(&db, &["check", "--year", "2020"]));
    assert!(check.contains("错误 0 项"), "{check}");
    assert!(check.contains("CODE_NAME_MAPPED") && check.contains("2060799"), "check names the mapping of the seed's odd name: {check}");

    let html_path = tmp.path().join("r.html");
    ok(jixiao(&db, &["report", "--unit", "430102-KX", "--year", "2020", "--format", "html", "-o", html_path.to_str().unwrap()]));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("附：数字来源"));
}

#[test]
fn demo_command_loads_the_same_books_as_importing_the_example() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (sqlite(tmp.path(), "a.db"), sqlite(tmp.path(), "b.db"));
    ok(jixiao(&a, &["demo"]));
    ok(jixiao(&b, &["import", demo_dir().to_str().unwrap()]));
    let report = |db: &str| ok(jixiao(db, &["report", "--year", "2020", "--format", "md"]));
    assert_eq!(report(&a), report(&b));
}

#[test]
fn a_workbook_imports_to_the_same_report_as_the_csv_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let source = jixiao_import::read(&demo_dir()).unwrap();
    let batch = source.validate(&Default::default(), &[]).unwrap();
    let xlsx = tmp.path().join("demo.xlsx");
    jixiao_import::template::write_workbook(&xlsx, Some((&batch.unit, &batch.years)), &batch.records, 2020).unwrap();
    let (a, b) = (sqlite(tmp.path(), "a.db"), sqlite(tmp.path(), "b.db"));
    ok(jixiao(&a, &["import", demo_dir().to_str().unwrap()]));
    ok(jixiao(&b, &["import", xlsx.to_str().unwrap()]));
    let report = |db: &str| ok(jixiao(db, &["report", "--year", "2020", "--format", "html"]));
    assert_eq!(report(&a), report(&b));
    // and importing the workbook over the CSV import adds nothing
    let again = ok(jixiao(&a, &["import", xlsx.to_str().unwrap()]));
    assert!(again.contains("新增 0 条记录"), "{again}");
}

#[test]
fn template_writes_a_workbook_and_csv_files_with_chinese_headers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(jixiao(&sqlite(tmp.path(), "x.db"), &["template", "--out", tmp.path().join("tpl").to_str().unwrap()]));
    assert!(out.contains("jixiao-import-template.xlsx"));
    let csv = std::fs::read_to_string(tmp.path().join("tpl/csv/expenditures.csv")).unwrap();
    assert_eq!(csv, "\u{feff}凭证号,年度,日期,指标编号,金额,收款人,用途,采购编号,冲销凭证号,经办人,备注\n");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(tmp.path().join("tpl/jixiao-import-template.xlsx")).unwrap();
    let names = book.sheet_names();
    for sheet in ["单位信息", "预算指标", "支出凭证", "绩效指标", "代码表"] {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let range = book.worksheet_range("支出凭证").unwrap();
    assert_eq!(range.get_value((0, 0)).map(|v| v.to_string()), Some("凭证号".to_string()));
    // The empty template itself is refused with a clear message, not imported half-way.
    let refused = jixiao(&sqlite(tmp.path(), "x.db"), &["import", tmp.path().join("tpl/jixiao-import-template.xlsx").to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("单位信息缺少「单位编码」"));
}

#[test]
fn check_errors_stop_the_report_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    copy_dir(&demo_dir(), &dir);
    // Pay 50 000 元 more out of the 院士工作站 line than it was given. A 财政拨款 line is under 刚性控制 by default
    // (预算管理一体化): the import refuses the voucher, naming the line and what is available.
    let path = dir.join("expenditures.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("ZC2020-999,2020,2020-12-30,ZB2020-29,50000,某公司,超支测试,,,,\n");
    std::fs::write(&path, text).unwrap();
    let db = sqlite(tmp.path(), "j.db");
    let refused = jixiao(&db, &["import", dir.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("BUDGET_CONTROL_STOP") && stderr.contains("ZB2020-29") && stderr.contains("刚性控制"), "{stderr}");
    // The line says 预警控制: the import accepts the voucher, the check does not.
    std::fs::write(dir.join("line_controls.csv"), "指标编号,年度,控制方式,容差（基点）,备注\nZB2020-29,2020,预警控制,,超支测试\n").unwrap();
    ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    let check = jixiao(&db, &["check", "--year", "2020"]);
    assert_eq!(check.status.code(), Some(1));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("LINE_OVERSPENT") && text.contains("ZB2020-29") && text.contains("超支 50000.00 元"), "{text}");
    let json = ok_or_code(jixiao(&db, &["check", "--year", "2020", "--format", "json"]), 1);
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(findings.as_array().unwrap().iter().any(|f| f["rule_id"] == "LINE_OVERSPENT" && f["severity"] == "error"));
    let refused = jixiao(&db, &["report", "--year", "2020", "--format", "md"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("LINE_OVERSPENT"));
    let forced = ok(jixiao(&db, &["report", "--year", "2020", "--format", "md", "--allow-errors"]));
    assert!(forced.contains("本年支出合计216.33万元"));
}

fn ok_or_code(out: Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn several_units_need_unit_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("other");
    copy_dir(&demo_dir(), &dir);
    let unit = std::fs::read_to_string(dir.join("unit.toml"))
        .unwrap()
        .replace("430102-KX", "430102-KX2")
        .replace("name = \"芙蓉区科学技术协会\"", "name = \"演示第二单位\"");
    std::fs::write(dir.join("unit.toml"), unit).unwrap();
    let db = sqlite(tmp.path(), "j.db");
    ok(jixiao(&db, &["demo"]));
    ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    assert_eq!(ok(jixiao(&db, &["units"])), "430102-KX\t芙蓉区科学技术协会\n430102-KX2\t演示第二单位\n");
    let refused = jixiao(&db, &["report", "--year", "2020", "--format", "md"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--unit"));
    assert!(ok(jixiao(&db, &["report", "--unit", "430102-KX2", "--year", "2020", "--format", "md"])).contains("演示第二单位"));
}

#[test]
fn jixiao_db_env_is_the_default_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("demo").env("JIXIAO_DB", &db).output().unwrap();
    assert!(out.status.success());
    assert!(ok(jixiao(&db, &["units"])).contains("430102-KX"));
}

/// The same commands on PostgreSQL give the same report (one schema, one code path).
#[test]
fn postgres_gives_the_same_report() {
    let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") else {
        assert!(std::env::var_os("CI").is_none(), "CI must set JIXIAO_TEST_PG_URL");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let name = format!("jixiao_cli_{}", std::process::id());
    let status = Command::new("psql").arg(&admin).args(["-q", "-c", &format!("CREATE DATABASE {name}")]).status().unwrap();
    assert!(status.success());
    let pg = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let lite = sqlite(tmp.path(), "j.db");
    for db in [&pg, &lite] {
        ok(jixiao(db, &["import", demo_dir().to_str().unwrap()]));
        ok(jixiao(db, &["import", demo_dir().to_str().unwrap()]));
    }
    let report = |db: &str| ok(jixiao(db, &["report", "--year", "2020", "--format", "md"]));
    assert_eq!(report(&pg), report(&lite));
}

#[test]
fn the_embedded_demo_lists_every_example_file() {
    let listed = include_str!("../../import/src/demo.rs");
    for e in std::fs::read_dir(demo_dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(listed.contains(&format!("\"{name}\"")), "{name} is not embedded in crates/import/src/demo.rs");
    }
}

#[test]
fn evaluate_lists_every_indicator_with_value_score_and_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    ok(jixiao(&db, &["demo"]));
    let json: serde_json::Value = serde_json::from_str(&ok(jixiao(&db, &["evaluate", "--year", "2020", "--format", "json"]))).unwrap();
    let indicators = json["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 26);
    let hundredths = |v: &serde_json::Value| -> i64 { jixiao_core::Fen::parse_yuan(v.as_str().unwrap()).unwrap().0 };
    let sum: i64 = indicators.iter().map(|i| hundredths(&i["score"])).sum();
    assert_eq!(hundredths(&json["total"]), sum, "total = Σ scores");
    let grade = match sum {
        9000.. => "优",
        8000..=8999 => "良",
        6000..=7999 => "中",
        _ => "差",
    };
    assert_eq!(json["grade"], grade);
    for i in indicators {
        let (score, weight) = (hundredths(&i["score"]), hundredths(&i["weight"]));
        assert!((0..=weight).contains(&score), "{i}");
        assert!(i["value"].is_string() && i["formula"].is_string(), "{i}");
    }
    let completion = indicators.iter().find(|i| i["id"] == "budget_completion_rate").unwrap();
    assert_eq!(completion["value"], "86.98%");
    assert_eq!(completion["numerator"], "211.33万元");
    assert_eq!(completion["denominator"], "242.96万元");
    // Traced to the lines whose vouchers it sums (each line's page lists them).
    assert!(completion["evidence_count"].as_u64().unwrap() >= 20, "the lines behind it");
    assert!(completion["evidence"].as_array().unwrap().iter().all(|r| r["kind"] == "expenditures_by_line"), "{}", completion["evidence"]);
    assert_eq!(indicators.iter().find(|i| i["id"] == "staff_control_rate").unwrap()["value"], "100.00%");
    assert_eq!(json["projects"].as_array().unwrap().len(), 8);

    let md = ok(jixiao(&db, &["report", "--year", "2020", "--format", "md"]));
    assert!(md.contains("（五）绩效自评结果") && md.contains(&format!("自评总分{}分", json["total"].as_str().unwrap())));
    assert!(md.contains("附件：项目支出绩效自评表") && md.contains("院士工作站项目（XM2020-08）项目支出绩效自评表"));
    assert!(md.contains("根据绩效自评，以下指标未得满分"), "存在的主要问题 lists lost points");
}

#[test]
fn a_rules_file_changes_weights_without_code() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    ok(jixiao(&db, &["demo"]));
    let rules = tmp.path().join("rules.toml");
    // Move 8 points from 满意度 (which the demo cannot evidence) to 社会效益 (12 under the national weights).
    std::fs::write(
        &rules,
        "name = \"测试规则\"\n[[department]]\nid = \"satisfaction_rate\"\nweight = 0\n[[department]]\nid = \"benefit_rate\"\nweight = 20\n",
    )
    .unwrap();
    let eval = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["evaluate", "--year", "2020", "--format", "json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&ok(jixiao(&db, &args))).unwrap()
    };
    let before = eval(&[]);
    let after = eval(&["--rules", rules.to_str().unwrap()]);
    let weight =
        |j: &serde_json::Value, id: &str| j["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()["weight"].clone();
    assert_eq!(weight(&before, "benefit_rate"), "12.00");
    assert_eq!(weight(&after, "benefit_rate"), "20.00");
    assert_eq!(after["framework"], "测试规则");
    assert!(after["applied"].as_array().unwrap().last().unwrap().as_str().unwrap().ends_with("rules.toml"));
    // A file that breaks the total is refused, naming itself.
    std::fs::write(&rules, "[[department]]\nid = \"benefit_rate\"\nweight = 30\n").unwrap();
    let refused = jixiao(&db, &["evaluate", "--year", "2020", "--rules", rules.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("rules.toml") && String::from_utf8_lossy(&refused.stderr).contains("应为 100")
    );
}

#[test]
fn lint_finds_the_seed_defects_and_names_unreadable_files() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lint/tests/corpus/seed-furong-2020.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao")).args(["lint", "--format", "json"]).arg(&seed).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    let text = String::from_utf8_lossy(&out.stdout);
    for rule in
        ["sum-mismatch", "basic-project-total", "duplicate-section", "missing-section", "misplaced-section", "unknown-classification"]
    {
        assert!(text.contains(rule), "{rule}");
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_jixiao")).args(["lint", "/nonexistent/report.txt"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&missing.stderr).is_empty() || !String::from_utf8_lossy(&missing.stdout).is_empty());
}

/// The demo copied with 指标 ZB2020-08 (32 000.00 元 budget, 29 800.00 元 spent → 2 200.00 元 available) under `mode`,
/// and one more voucher of 5 000.00 元 on it (2 800.00 元 past the available amount).
fn demo_with_controlled_line(tmp: &Path, mode: &str) -> PathBuf {
    let dir = tmp.join(format!("data-{mode}"));
    copy_dir(&demo_dir(), &dir);
    std::fs::write(dir.join("line_controls.csv"), format!("指标编号,年度,控制方式,容差（基点）,备注\nZB2020-08,2020,{mode},,\n")).unwrap();
    let path = dir.join("expenditures.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("ZC2020-900,2020,2020-12-30,ZB2020-08,5000.00,长沙市芙蓉区医疗保障事务中心,补缴医疗保险,,,周晓燕,\n");
    std::fs::write(&path, text).unwrap();
    dir
}

#[test]
fn budget_control_stop_refuses_the_import_naming_line_available_and_shortfall_until_overridden() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    let dir = demo_with_controlled_line(tmp.path(), "刚性控制");
    let refused = jixiao(&db, &["import", dir.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    for needle in [
        "expenditures.csv",
        "第69行",
        "BUDGET_CONTROL_STOP",
        "指标「ZB2020-08」可用余额 2200.00 元",
        "本笔支出 5000.00 元",
        "超出可用余额 2800.00 元",
    ] {
        assert!(stderr.contains(needle), "{needle} in {stderr}");
    }
    assert_eq!(ok(jixiao(&db, &["units"])), "", "nothing written");
    // An override needs both who and why.
    let half = jixiao(&db, &["import", dir.to_str().unwrap(), "--override-reason", "年末补缴"]);
    assert_eq!(half.status.code(), Some(2));
    let passed = ok(jixiao(
        &db,
        &["import", dir.to_str().unwrap(), "--override-by", "李审核", "--override-reason", "年末医保补缴，经主任办公会同意"],
    ));
    assert!(passed.contains("BUDGET_CONTROL_OVERRIDDEN") && passed.contains("ZC2020-900"), "{passed}");
    let json = ok_or_code(jixiao(&db, &["check", "--year", "2020", "--format", "json"]), 1);
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let overridden =
        findings.as_array().unwrap().iter().find(|f| f["rule_id"] == "BUDGET_CONTROL_OVERRIDDEN").expect("the override is reported");
    assert_eq!(overridden["severity"], "info");
    assert!(
        overridden["message"].as_str().unwrap().contains("由 李审核（cli）超控登记，理由：年末医保补缴，经主任办公会同意"),
        "{overridden}"
    );
    // Re-importing adds nothing: the voucher and its override record are both stored.
    assert!(ok(jixiao(&db, &["import", dir.to_str().unwrap()])).contains("新增 0 条记录"));
}

#[test]
fn budget_control_warn_accepts_and_check_reports_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    let dir = demo_with_controlled_line(tmp.path(), "预警控制");
    let out = ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    assert!(out.contains("BUDGET_CONTROL_WARN") && out.contains("超出可用余额 2800.00 元"), "{out}");
    let check = String::from_utf8(jixiao(&db, &["check", "--year", "2020"]).stdout).unwrap();
    assert!(
        check.contains("BUDGET_CONTROL_WARN")
            && check
                .contains("指标「ZB2020-08」（预警控制）全年预算 32000.00 元，已占用 0.00 元、已支出 34800.00 元，超出可用额度 2800.00 元"),
        "{check}"
    );
}

#[test]
fn commitments_reserve_funds_and_cancelling_releases_them() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    let dir = tmp.path().join("data");
    copy_dir(&demo_dir(), &dir);
    std::fs::write(dir.join("line_controls.csv"), "指标编号,年度,控制方式\nZB2020-08,2020,刚性控制\n").unwrap();
    std::fs::write(
        dir.join("commitments.csv"),
        "占用编号,年度,日期,指标编号,占用类型,金额,采购编号,冲销占用编号\nZY2020-01,2020,2020-12-01,ZB2020-08,合同,2000.00,,\n",
    )
    .unwrap();
    ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    // 2 200.00 元 available less the 2 000.00 元 contract: a 500.00 元 voucher is 300.00 元 short.
    let path = dir.join("expenditures.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("ZC2020-901,2020,2020-12-30,ZB2020-08,500.00,某单位,补缴,,,,\n");
    std::fs::write(&path, &text).unwrap();
    let refused = jixiao(&db, &["import", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr.contains("可用余额 200.00 元（全年预算 32000.00 − 已占用 2000.00 − 已支出 29800.00）")
            && stderr.contains("超出可用余额 300.00 元"),
        "{stderr}"
    );
    // Cancelling the contract (a reversal) releases its 2 000.00 元 and the voucher passes in the same import.
    std::fs::write(dir.join("commitments.csv"), "占用编号,年度,日期,指标编号,占用类型,金额,采购编号,冲销占用编号\nZY2020-01,2020,2020-12-01,ZB2020-08,合同,2000.00,,\nZY2020-01C,2020,2020-12-29,ZB2020-08,合同,-2000.00,,ZY2020-01\n").unwrap();
    let out = ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    assert!(out.contains("新增 2 条记录") && !out.contains("预算控制"), "{out}");
}

fn controls_sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/controls-sample")
}

/// The controls sample holds a deliberate violation of every control rule; `check` must report exactly the
/// findings in `expected-check.txt` (golden). To accept an intended change, rewrite the file with
/// `jixiao --db sqlite:///tmp/cs.db import examples/controls-sample && jixiao --db sqlite:///tmp/cs.db check --year 2021 > examples/controls-sample/expected-check.txt`
/// and review the diff.
#[test]
fn the_controls_sample_gives_exactly_the_expected_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "c.db");
    let imported = ok(jixiao(&db, &["import", controls_sample_dir().to_str().unwrap()]));
    assert!(imported.contains("[BUDGET_CONTROL_OVERRIDDEN]") && imported.contains("[BUDGET_CONTROL_WARN]"), "{imported}");
    let check = jixiao(&db, &["check", "--year", "2021"]);
    assert_eq!(check.status.code(), Some(1), "the sample has an error-level finding (segregation of duties)");
    let expected = std::fs::read_to_string(controls_sample_dir().join("expected-check.txt")).unwrap();
    assert_eq!(String::from_utf8(check.stdout).unwrap(), expected);
    let json = ok_or_code(jixiao(&db, &["check", "--year", "2021", "--format", "json"]), 1);
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rules: std::collections::BTreeSet<&str> = findings.as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap()).collect();
    for rule in [
        "BUDGET_CONTROL_WARN",
        "BUDGET_CONTROL_OVERRIDDEN",
        "PROCUREMENT_TENDER_REQUIRED",
        "PROCUREMENT_SPLIT",
        "PROCUREMENT_QUOTES_MISSING",
        "PROCUREMENT_CONTRACT_MISSING",
        "MAJOR_DECISION_MISSING",
        "SEGREGATION_OF_DUTIES",
        "ASSET_DISPOSAL_UNAPPROVED",
        "ASSET_COUNT_DIFFERENCE",
    ] {
        assert!(rules.contains(rule), "{rule} is exercised by the sample");
    }
    // The report's 资产管理情况 is written from the asset records: the disposal without approval does not count,
    // the approved one and the transfer do; the 盘亏 asset is idle, not in use. By hand from the CSVs: held 7 200 +
    // 9 500 + 6 000 + 6 000 元; depreciation 480.00 (家具, 15 y) + 1 583.33 (照相机, 办公设备 6 y) + 2 × 333.33
    // (computers, 4 months of 72) = 2 729.99 元; net 5 480.00 + 5 145.84 + 2 × 5 666.67 = 21 959.18 元.
    let report = ok(jixiao(&db, &["report", "--year", "2021", "--format", "md", "--allow-errors"]));
    assert!(
        report.contains("年末固定资产4件，原值2.87万元，其中在用1.92万元，固定资产利用率66.90%。本年计提折旧0.27万元，年末账面净值2.20万元。本年经批准处置资产1件、调拨1件；盘点4件，盘亏1件。"),
        "{report}"
    );
}

#[test]
fn the_demo_stays_clean_of_the_control_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "d.db");
    ok(jixiao(&db, &["demo"]));
    let json = ok(jixiao(&db, &["check", "--year", "2020", "--format", "json"]));
    let prefixes = [
        "BUDGET_CONTROL",
        "PROCUREMENT_TENDER",
        "PROCUREMENT_SPLIT",
        "PROCUREMENT_QUOTES",
        "PROCUREMENT_CONTRACT",
        "MAJOR_DECISION",
        "SEGREGATION",
        "ASSET_",
    ];
    assert!(!prefixes.iter().any(|p| json.contains(p)), "{json}");
}

#[test]
fn assets_lists_the_depreciation_of_the_year() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "a.db");
    ok(jixiao(&db, &["import", controls_sample_dir().to_str().unwrap()]));
    let out = ok(jixiao(&db, &["assets", "--year", "2021"]));
    // 6 000.00 元 computer from 2021-09-15, 72 months: ⌊600000×4/72⌋ = 33333 分 in September–December.
    assert!(out.contains("ZC-2021-001\t台式计算机\t计算机设备\t6\t6000.00\t333.33\t333.33\t5666.67\t在用"), "{out}");
    // 8 800.00 元 projector (通用设备 → 办公设备, 6 years) from 2015-07-01: 66 months to December 2020 are
    // ⌊880000×66/72⌋ = 806666 分, so January–June 2021 take the last 73334 分.
    assert!(out.contains("ZC-2015-003\t投影仪\t办公设备\t6\t8800.00\t733.34\t8800.00\t0.00\t已处置"), "{out}");
    // Transferred out during the year, and missing at the count.
    assert!(out.contains("ZC-2017-004") && out.contains("\t已处置\n") && out.contains("ZC-2019-002"), "{out}");
}

/// Issue 19's records through the binary: 部门整体绩效目标 and 上年决算摘要 imported beside the demo, a 调整原因 on
/// a budget voucher, and the unit's choice of framework in unit.toml.
#[test]
fn department_targets_prior_year_summary_and_the_chosen_framework_reach_the_evaluation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    copy_dir(&demo_dir(), &dir);
    std::fs::write(dir.join("department_goals.csv"), "目标编号,年度,年度总体目标\nMB2020,2020,普及科学知识，服务科技工作者\n").unwrap();
    std::fs::write(
        dir.join("department_indicators.csv"),
        "指标编码,年度,一级指标,二级指标,三级指标,指标方向,年度指标值,实际完成值,计量单位,重点工作\n\
         BM-01,2020,产出指标,数量指标,科普活动受众,≥,30000,3万余,人次,是\n\
         BM-02,2020,产出指标,质量指标,活动合格率,≥,95,近95,%,否\n\
         BM-03,2020,效益指标,社会效益指标,安全事故,定性,无安全事故,未发生安全事故,,否\n",
    )
    .unwrap();
    // 上年（2019）三公经费预算数 0 元 and 年末结转结余 20 万元: the demo has no 三公 budget either year (full marks);
    // this year's 结转结余 31.63 万元 against 20 万元 is +58.15%.
    std::fs::write(
        dir.join("prior_year_summaries.csv"),
        "数据来源,年度,上年三公经费预算数,上年年末结转结余\n2019年度部门决算,2020,0,200000.00\n",
    )
    .unwrap();
    let db = sqlite(tmp.path(), "j.db");
    ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    let eval: serde_json::Value = serde_json::from_str(&ok(jixiao(&db, &["evaluate", "--year", "2020", "--format", "json"]))).unwrap();
    let indicator = |id: &str| eval["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    // 数量 1/1 (3万余 ≥ 30000), 质量 0/1 (近95 < 95), 效益 1/1 (未发生安全事故 = 无安全事故), 重点工作 1/1.
    assert_eq!(indicator("output_completion_rate")["value"], "100.00%");
    assert_eq!(indicator("output_quality_rate")["value"], "0.00%");
    assert_eq!(indicator("benefit_rate")["value"], "100.00%");
    assert_eq!(indicator("key_work_completion_rate")["value"], "100.00%");
    assert_eq!(indicator("sangong_change_rate")["score"], indicator("sangong_change_rate")["weight"], "0 → 0: nothing to cut");
    assert_eq!(indicator("carryover_change_rate")["value"], "58.15%");
    assert_eq!(eval["basis"][0], "《预算绩效评价共性指标体系框架》（财预〔2013〕53号）");
    // The unit chooses the (unchecked) Hunan file: it applies, by name.
    let toml =
        std::fs::read_to_string(dir.join("unit.toml")).unwrap().replacen("region_code", "framework = \"hunan-2020\"\nregion_code", 1);
    std::fs::write(dir.join("unit.toml"), toml).unwrap();
    let other = sqlite(tmp.path(), "k.db");
    ok(jixiao(&other, &["import", dir.to_str().unwrap()]));
    let eval: serde_json::Value = serde_json::from_str(&ok(jixiao(&other, &["evaluate", "--year", "2020", "--format", "json"]))).unwrap();
    assert_eq!(eval["applied"].as_array().unwrap().last().unwrap(), "hunan-2020.toml");
}

/// The 分值 of a 项目支出绩效自评表 (schema 14) through import → store → evaluate: a project whose indicators all
/// carry one is scored on them (20, 30, 30, 10 instead of the national 25, 25, 30, 10); the others keep the split.
#[test]
fn the_project_forms_own_weights_reach_the_evaluation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    copy_dir(&demo_dir(), &dir);
    let path = dir.join("project_indicators.csv");
    let csv: String = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let weight = match line.split(',').next().unwrap() {
                _ if n == 0 => "分值",
                "XM2020-01-ZB01" => "20",
                "XM2020-01-ZB02" | "XM2020-01-ZB03" => "30",
                "XM2020-01-ZB04" => "10",
                _ => "",
            };
            format!("{line},{weight}\n")
        })
        .collect();
    std::fs::write(&path, csv).unwrap();
    let db = sqlite(tmp.path(), "j.db");
    ok(jixiao(&db, &["import", dir.to_str().unwrap()]));
    let eval: serde_json::Value = serde_json::from_str(&ok(jixiao(&db, &["evaluate", "--year", "2020", "--format", "json"]))).unwrap();
    let weights = |code: &str| -> Vec<String> {
        let project = eval["projects"].as_array().unwrap().iter().find(|p| p["project_code"] == code).unwrap();
        project["indicators"].as_array().unwrap().iter().map(|i| i["weight"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(weights("XM2020-01"), ["20.00", "30.00", "30.00", "10.00"]);
    // No 分值 given: 产出 50 and 效益 30, with 满意度's 10 shared 50:30 — 56.25 over three, 33.75.
    assert_eq!(weights("XM2020-02"), ["18.75", "18.75", "18.75", "33.75"]);
}
