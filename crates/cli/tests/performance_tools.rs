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
