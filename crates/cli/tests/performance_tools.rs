//! End-to-end tests of `jixiao gen` (the synthetic dataset) and `jixiao export` (ledger journal, Fiscal Data
//! Package), running the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn jixiao(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("--db").arg(db).args(args).env_remove("JIXIAO_DB").output().expect("runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn sqlite(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

fn generate(db: &str, out: &Path, seed: &str) -> String {
    ok(jixiao(db, &["gen", "--units", "3", "--vouchers", "1500", "--seed", seed, "--out", out.to_str().unwrap()]))
}

#[test]
fn gen_is_deterministic_per_seed_and_its_output_imports_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "j.db");
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    let said = generate(&db, &a, "42");
    generate(&db, &b, "42");
    generate(&db, &c, "43");
    let (ta, tb, tc) = (tree(&a), tree(&b), tree(&c));
    assert_eq!(ta, tb, "same seed, same bytes");
    assert_ne!(ta, tc, "another seed, other books");
    // three unit directories, each a complete import with the money kinds and the adjustments and reversals
    let units: Vec<_> = std::fs::read_dir(&a).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(units.len(), 3, "{units:?}");
    assert!(said.contains("已生成 3 个单位"), "{said}");
    let all: String = ta.values().map(|v| String::from_utf8_lossy(v).into_owned()).collect();
    for word in ["年初预算", "ZC2020-", "BD2020-", "SR2020-"] {
        assert!(all.contains(word), "{word} missing from the generated files");
    }
    let expenditures: usize = ta.iter().filter(|(p, _)| p.ends_with("expenditures.csv")).map(|(_, t)| csv_rows(t)).sum();
    assert!((1200..1500).contains(&expenditures), "{expenditures} expenditures for 1500 money records");

    // a directory of unit directories imports unit by unit, then again adds nothing
    let first = ok(jixiao(&db, &["import", a.to_str().unwrap()]));
    assert_eq!(first.matches("已导入").count(), 3, "{first}");
    let again = ok(jixiao(&db, &["import", a.to_str().unwrap()]));
    assert_eq!(again.matches("新增 0 条记录").count(), 3, "{again}");
    let listed = ok(jixiao(&db, &["units"]));
    for u in &units {
        assert!(listed.contains(u.as_str()), "{u} not in {listed}");
        let check = ok(jixiao(&db, &["check", "--unit", u, "--year", "2020"]));
        assert!(check.contains("错误 0 项"), "{u}: {check}");
    }
    ok(jixiao(&db, &["report", "--unit", &units[0], "--year", "2020", "--format", "md"]));

    // a non-empty output directory is refused rather than mixed
    let refused = jixiao(&db, &["gen", "--units", "1", "--vouchers", "10", "--out", a.to_str().unwrap()]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("不是空的"));
}

fn csv_rows(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes).lines().count().saturating_sub(1)
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020")
}

/// 元 text with up to two decimals ("2113300", "-45.5", "12.00 CNY") in 分.
fn fen(text: &str) -> i64 {
    let t = text.trim().trim_end_matches("CNY").trim().replace(',', "");
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let frac = format!("{frac:0<2}");
    assert!(frac.len() == 2, "more than two decimals in {text:?}");
    let v = whole.parse::<i64>().unwrap_or_else(|_| panic!("not an amount: {text:?}")) * 100 + frac.parse::<i64>().unwrap();
    if neg { -v } else { v }
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (scripts/install-test-deps.sh): {e}"));
    assert!(out.status.success(), "{program} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{program} {args:?} warned: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The balance of the accounts matching any of `patterns` (regular expressions both tools understand; several
/// are or-ed by both), summed over the accounts each tool lists, as ledger and as hledger compute it.
fn balances(journal: &Path, patterns: &[&str]) -> (i64, i64) {
    let j = journal.to_str().unwrap();
    let ledger = tool(
        "ledger",
        &[&["-f", j, "bal"], patterns, &["--flat", "--no-total", "--format", "%(quantity(scrub(display_total)))\n"]].concat(),
    );
    let hledger = tool("hledger", &[&["-f", j, "bal"], patterns, &["--flat", "-O", "csv"]].concat());
    let ledger_sum = ledger.lines().filter(|l| !l.trim().is_empty()).map(fen).sum();
    let mut hledger_rows = csv::Reader::from_reader(hledger.as_bytes());
    let hledger_sum = hledger_rows.records().map(|r| r.unwrap()).filter(|r| &r[0] != "total").map(|r| fen(&r[1])).sum();
    (ledger_sum, hledger_sum)
}

/// Σ of a column of the exported budget.csv, by unit code when `unit` is given.
fn fdp_sum(csv_path: &Path, column: &str, unit: Option<&str>) -> i64 {
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    let headers = r.headers().unwrap().clone();
    let (col, admin) = (headers.iter().position(|h| h == column).unwrap(), headers.iter().position(|h| h == "admin_code").unwrap());
    r.records().map(|x| x.unwrap()).filter(|x| unit.is_none_or(|u| &x[admin] == u)).map(|x| fen(&x[col])).sum()
}

#[test]
fn ledger_and_hledger_read_the_exported_journal_and_agree_with_jixiao() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "demo.db");
    ok(jixiao(&db, &["import", demo_dir().to_str().unwrap()]));
    let journal = tmp.path().join("demo.journal");
    ok(jixiao(&db, &["export", "--format", "ledger", "-o", journal.to_str().unwrap()]));
    let stdout = ok(jixiao(&db, &["export", "--format", "ledger"]));
    assert_eq!(stdout.as_bytes(), std::fs::read(&journal).unwrap(), "-o and stdout carry the same journal");
    // one transaction per voucher: 指标变动 + 收入 + 支出 of the demo
    let vouchers: usize = ["budget_vouchers.csv", "receipts.csv", "expenditures.csv"]
        .iter()
        .map(|f| csv_rows(&std::fs::read(demo_dir().join(f)).unwrap()))
        .sum();
    assert_eq!(stdout.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count(), vouchers);

    let fdp = tmp.path().join("fdp");
    ok(jixiao(&db, &["export", "--format", "fdp", "-o", fdp.to_str().unwrap()]));
    let budget_csv = fdp.join("budget.csv");
    let (spent, annual) = (fdp_sum(&budget_csv, "executed", None), fdp_sum(&budget_csv, "adjusted", None));
    // the report's figures (万元) are these sums: 全年预算数 242.96, 支出 211.33
    assert_eq!((annual, spent), (242_960_000, 211_330_000));
    let report = ok(jixiao(&db, &["report", "--year", "2020", "--format", "md"]));
    assert!(report.contains("242.96") && report.contains("211.33"));

    // both tools: Σ 支出 = spending; Σ (指标 + 支出) = 全年预算数; everything balances to zero
    assert_eq!(balances(&journal, &["支出$"]), (spent, spent));
    assert_eq!(balances(&journal, &["指标$", "支出$"]), (annual, annual));
    assert_eq!(balances(&journal, &["财政拨款$"]), (-annual, -annual));
    assert_eq!(balances(&journal, &["."]), (0, 0));
}

#[test]
fn the_journal_of_generated_books_with_reversals_balances_per_unit_in_both_tools() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "gen.db");
    let data = tmp.path().join("data");
    ok(jixiao(&db, &["gen", "--units", "2", "--vouchers", "800", "--seed", "5", "--out", data.to_str().unwrap()]));
    ok(jixiao(&db, &["import", data.to_str().unwrap()]));
    let journal = tmp.path().join("gen.journal");
    ok(jixiao(&db, &["export", "--format", "ledger", "-o", journal.to_str().unwrap()]));
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains("reverses: ZC2020-"), "the generated books have reversed expenditures");
    let fdp = tmp.path().join("fdp");
    ok(jixiao(&db, &["export", "--format", "fdp", "-o", fdp.to_str().unwrap()]));
    let units: Vec<String> = ok(jixiao(&db, &["units"])).lines().map(|l| l.split('\t').next().unwrap().to_string()).collect();
    assert_eq!(units.len(), 2);
    for u in &units {
        let spent = fdp_sum(&fdp.join("budget.csv"), "executed", Some(u));
        let annual = fdp_sum(&fdp.join("budget.csv"), "adjusted", Some(u));
        assert!(spent > 0 && annual >= spent, "{u}: {spent} of {annual}");
        assert_eq!(balances(&journal, &[&format!("^{u}:.*:支出$")]), (spent, spent), "{u}");
        assert_eq!(balances(&journal, &[&format!("^{u}:.*:指标$"), &format!("^{u}:.*:支出$")]), (annual, annual), "{u}");
    }
    // --unit selects one unit's books
    let one = ok(jixiao(&db, &["export", "--format", "ledger", "--unit", &units[1], "--year", "2020"]));
    assert!(one.contains(&units[1]) && !one.contains(&format!("{}:", units[0])));
}

#[test]
fn the_fiscal_data_package_describes_its_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let db = sqlite(tmp.path(), "demo.db");
    ok(jixiao(&db, &["demo"]));
    let fdp = tmp.path().join("fdp");
    let said = ok(jixiao(&db, &["export", "--format", "fdp", "-o", fdp.to_str().unwrap()]));
    let descriptor: serde_json::Value = serde_json::from_slice(&std::fs::read(fdp.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(descriptor["profile"], "fiscal-data-package");
    let resource = &descriptor["resources"][0];
    assert_eq!(resource["path"], "budget.csv");
    let fields: Vec<&str> = resource["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    let mut r = csv::Reader::from_path(fdp.join("budget.csv")).unwrap();
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), fields, "the schema names the CSV's columns in order");
    let lines = csv_rows(&std::fs::read(demo_dir().join("appropriation_lines.csv")).unwrap());
    assert_eq!(r.records().count(), lines, "one row per appropriation line");
    assert!(said.contains(&format!("{lines} 条预算指标")), "{said}");
    // every source the model names is a column; the phases and classifications are there
    let model = &descriptor["model"];
    for (name, m) in model["measures"].as_object().unwrap() {
        assert_eq!(m["phase"], name.as_str());
        assert!(fields.contains(&m["source"].as_str().unwrap()));
    }
    assert_eq!(model["measures"].as_object().unwrap().keys().collect::<Vec<_>>(), ["adjusted", "approved", "executed"]);
    let mut kinds = Vec::new();
    for d in model["dimensions"].as_object().unwrap().values() {
        kinds.extend(d["classificationType"].as_str());
        for a in d["attributes"].as_object().unwrap().values() {
            assert!(fields.contains(&a["source"].as_str().unwrap()), "{a}");
        }
    }
    kinds.sort();
    assert_eq!(kinds, ["administrative", "economic", "functional"]);
    // the approved phase is 年初预算: the demo's initial vouchers
    let initial: i64 = {
        let mut v = csv::Reader::from_path(demo_dir().join("budget_vouchers.csv")).unwrap();
        let h = v.headers().unwrap().clone();
        let (kind, amount) = (h.iter().position(|x| x == "变动类型").unwrap(), h.iter().position(|x| x == "金额").unwrap());
        v.records().map(|x| x.unwrap()).filter(|x| &x[kind] == "年初预算").map(|x| fen(&x[amount])).sum()
    };
    assert_eq!(fdp_sum(&fdp.join("budget.csv"), "approved", None), initial);
    // without -o there is nowhere to write the package
    let refused = jixiao(&db, &["export", "--format", "fdp"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("-o"));
}
