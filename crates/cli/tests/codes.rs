//! `jixiao codes` and the checking of codes against an incomplete table, through the binary: list, diff,
//! import of an official table (SQLite and PostgreSQL), a 2024 unit with an unconfirmed code, a year
//! without any table, and templates.

use std::path::Path;

mod common;
use common::{copy_dir, databases, demo_dir, exits, jixiao};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo's books moved to `year` (every standalone 2020 becomes `year`), in `to`.
fn demo_as_year(to: &Path, year: i32) {
    copy_dir(&demo_dir(), to);
    let standalone_2020 = regex::Regex::new(r"(^|[^0-9])2020([^0-9]|$)").unwrap();
    for e in std::fs::read_dir(to).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Twice, since matches that share a separator ("2020-2020") are found one at a time.
        let once = standalone_2020.replace_all(&text, format!("${{1}}{year}${{2}}").as_str()).into_owned();
        std::fs::write(&path, standalone_2020.replace_all(&once, format!("${{1}}{year}${{2}}").as_str()).as_ref()).unwrap();
    }
}

fn set_line_function_code(dir: &Path, line: &str, code: &str) {
    let path = dir.join("appropriation_lines.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if cells[0] == line {
                cells[2] = code;
            }
            cells.join(",")
        })
        .collect();
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
}

#[test]
fn list_gives_every_class_of_2025_one_code_a_line() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("none.db").display());
    let out = exits(jixiao(&db, &["codes", "list", "--year", "2025", "--level", "class"]), 0);
    let codes: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    for class in [
        "201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215", "216", "217", "219", "220",
        "221", "222", "223", "224", "227", "229", "230", "231", "232", "233",
    ] {
        assert!(codes.contains(&class), "{class} missing:\n{out}");
    }
    assert!(out.lines().any(|l| l.starts_with("220\t自然资源海洋气象等支出\t")), "{out}");
    assert!(codes.iter().all(|c| c.len() == 3));
    assert!(!tmp.path().join("none.db").exists(), "listing creates no database");
    let items = exits(jixiao(&db, &["codes", "list", "--year", "2025", "--level", "item"]), 0);
    assert!(items.lines().any(|l| l.starts_with("2170404\t中央金融机构注资特别国债支出")), "{items}");
    assert!(items.lines().all(|l| l.split('\t').next().unwrap().len() == 7));
    let json: serde_json::Value =
        serde_json::from_str(&exits(jixiao(&db, &["codes", "list", "--year", "2024", "--format", "json"]), 0)).unwrap();
    let rows = json["codes"].as_array().unwrap();
    let row = rows.iter().find(|r| r["code"] == "22006").unwrap();
    assert_eq!(row["name"], "耕地保护考核奖惩基金支出");
    assert!(row["source"].as_str().unwrap().contains("财预〔2024〕22号"));
    assert_eq!(row["checked"], true);
    assert!(rows.iter().any(|r| r["code"] == "30217" && r["classification"] == "economic"));
}

#[test]
fn diff_shows_the_2024_amendment_and_renames() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("none.db").display());
    let out = exits(jixiao(&db, &["codes", "diff", "--from", "2023", "--to", "2024"]), 0);
    assert!(out.contains("~ 220\t国土海洋气象等支出 → 自然资源海洋气象等支出"), "{out}");
    assert!(out.contains("+ 22006\t耕地保护考核奖惩基金支出"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("- ")), "{out}");
}

#[test]
fn a_2024_unit_with_an_unconfirmed_205_code_imports_with_one_warning_and_checks_without_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unit2024");
    demo_as_year(&dir, 2024);
    set_line_function_code(&dir, "ZB2024-01", "2050201");
    set_line_function_code(&dir, "ZB2024-02", "2050201");
    let db = format!("sqlite://{}", tmp.path().join("t.db").display());
    let out = exits(jixiao(&db, &["import", dir.to_str().unwrap()]), 0);
    let warnings: Vec<&str> = out.lines().filter(|l| l.contains("CODE_UNCONFIRMED")).collect();
    assert_eq!(warnings.len(), 1, "{out}");
    for needle in [
        "功能科目 2050201（教育支出，科目名称缺失",
        "未能核对：请导入本年度官方科目表",
        "2024 年度",
        "相近的已知科目：无（内置科目表未列出 205 类的款、项）",
        "jixiao codes import 科目表.xlsx --year 2024",
    ] {
        assert!(warnings[0].contains(needle), "{needle}: {}", warnings[0]);
    }
    let check = jixiao(&db, &["check", "--year", "2024"]);
    let text = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(!text.contains("CODE_INVALID"), "{text}");
    assert_eq!(text.lines().filter(|l| l.contains("CODE_UNCONFIRMED")).count(), 1, "{text}");
}

#[test]
fn a_year_without_any_table_is_one_error_naming_the_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unit2031");
    demo_as_year(&dir, 2031);
    let db = format!("sqlite://{}", tmp.path().join("t.db").display());
    let out = jixiao(&db, &["import", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("IMPORT_NO_CODE_TABLE").count(), 1, "one error, not one per cell:\n{err}");
    assert!(err.contains("jixiao codes import 科目表.xlsx --year 2031"), "{err}");
    assert!(!err.contains("IMPORT_UNKNOWN_FUNCTION_CODE"), "{err}");
}

#[test]
fn template_for_a_year_without_a_table_fails_and_works_once_one_is_loaded() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("t.db").display());
    let out = jixiao(&db, &["template", "--year", "1999", "--out", tmp.path().join("t1999").to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("jixiao codes import 科目表.xlsx --year 1999"), "{}", stderr(&out));
    assert!(!tmp.path().join("t1999/jixiao-import-template.xlsx").exists());
    let table = tmp.path().join("km.csv");
    std::fs::write(&table, "科目编码,科目名称\n205,教育支出\n20502,普通教育\n2050201,学前教育\n").unwrap();
    exits(jixiao(&db, &["codes", "import", table.to_str().unwrap(), "--year", "1999"]), 0);
    exits(jixiao(&db, &["template", "--year", "1999", "--out", tmp.path().join("t1999").to_str().unwrap()]), 0);
    assert!(tmp.path().join("t1999/jixiao-import-template.xlsx").exists());
}

/// An official table exported with title rows above its header (GB18030, as such exports often are):
/// loaded on SQLite and PostgreSQL, it becomes the 2031 edition of that database — listed, used by import
/// (a code it lacks is an error, not a warning) and named by check.
#[test]
fn an_imported_official_table_replaces_the_edition_and_makes_checking_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unit2031");
    demo_as_year(&dir, 2031);
    let demo_lines = std::fs::read_to_string(dir.join("appropriation_lines.csv")).unwrap();
    let mut codes: Vec<String> =
        demo_lines.lines().skip(1).flat_map(|l| l.split(',').skip(2).take(2).map(str::to_string).collect::<Vec<_>>()).collect();
    codes.extend(
        std::fs::read_to_string(dir.join("receipts.csv")).unwrap().lines().skip(1).filter_map(|l| l.split(',').nth(4).map(str::to_string)),
    );
    let mut table = String::from("预算管理一体化系统 科目导出\n单位：元\n\n科目编码,科目名称,级次\n");
    let mut all: std::collections::BTreeSet<String> = Default::default();
    for c in codes.iter().filter(|c| c.len() == 7 || c.len() == 5) {
        all.insert(c.clone());
        all.insert(c[..3].to_string());
        if c.len() == 7 {
            all.insert(c[..5].to_string());
        }
    }
    for c in &all {
        table.push_str(&format!("{c},科目{c},{}\n", c.len()));
    }
    let (gbk, _, _) = encoding_rs::GB18030.encode(&table);
    let file = tmp.path().join("科目表2031.csv");
    std::fs::write(&file, &gbk).unwrap();
    for db in databases(tmp.path(), "codes_official") {
        let out = exits(jixiao(&db, &["codes", "import", file.to_str().unwrap(), "--year", "2031"]), 0);
        assert!(out.contains("已导入 2031 年度科目表 科目表2031.csv"), "{out}");
        let again = exits(jixiao(&db, &["codes", "import", file.to_str().unwrap(), "--year", "2031"]), 0);
        assert!(again.contains("未重复导入"), "{again}");
        let listed = exits(jixiao(&db, &["codes", "list", "--year", "2031"]), 0);
        assert_eq!(listed.lines().filter(|l| l.starts_with('2')).count(), all.iter().filter(|c| c.starts_with('2')).count(), "{listed}");
        // A code the official table lacks — even of a known 类 — is refused at import.
        let strict = tmp.path().join(format!("strict-{}", db.len()));
        copy_dir(&dir, &strict);
        set_line_function_code(&strict, "ZB2031-01", "2012999");
        let refused = jixiao(&db, &["import", strict.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(1), "{db}");
        let err = stderr(&refused);
        assert!(err.contains("IMPORT_UNKNOWN_FUNCTION_CODE") && err.contains("不在已导入的2031 年度官方科目表（科目表2031.csv"), "{err}");
        // The unit as it is imports, and check names the edition it used.
        exits(jixiao(&db, &["import", dir.to_str().unwrap()]), 0);
        let check = String::from_utf8_lossy(&jixiao(&db, &["check", "--year", "2031"]).stdout).into_owned();
        assert!(check.contains("核对科目所用：2031 年度官方科目表（科目表2031.csv"), "{check}");
        assert!(!check.contains("CODE_INVALID") && !check.contains("CODE_UNCONFIRMED"), "{check}");
    }
}

#[test]
fn codes_import_names_the_row_of_a_bad_code_and_a_missing_header() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("t.db").display());
    let file = tmp.path().join("bad.csv");
    std::fs::write(&file, "科目编码,科目名称\n205,教育支出\n20A02,普通教育\n").unwrap();
    let out = jixiao(&db, &["codes", "import", file.to_str().unwrap(), "--year", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("第3行") && stderr(&out).contains("CODES_BAD_CODE"), "{}", stderr(&out));
    std::fs::write(&file, "编码,名称\n205,教育支出\n").unwrap();
    let out = jixiao(&db, &["codes", "import", file.to_str().unwrap(), "--year", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("CODES_NO_HEADER"), "{}", stderr(&out));
}

#[test]
fn harvest_reports_confirmed_contradicted_and_missing_rows() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("a.txt"),
        "来源：https://example.invalid/a\n2080505 机关事业单位基本养老保险缴费支出 12.00\n2010101 人大行政运行\n2050201 学前教育\n",
    )
    .unwrap();
    let db = format!("sqlite://{}", tmp.path().join("none.db").display());
    let out = exits(jixiao(&db, &["codes", "harvest", tmp.path().to_str().unwrap(), "--year", "2022"]), 0);
    assert!(out.contains("确认\t2080505\t机关事业单位基本养老保险缴费支出\thttps://example.invalid/a"), "{out}");
    assert!(out.contains("矛盾\t2010101\t人大行政运行\t内置表：行政运行"), "{out}");
    assert!(out.contains("缺少\t2050201\t学前教育"), "{out}");
    assert!(out.contains("确认 1 行") && out.contains("矛盾 1 行") && out.contains("缺少 1 个科目"), "{out}");
}
