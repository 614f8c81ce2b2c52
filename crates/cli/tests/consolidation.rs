//! `jixiao report --scope department|region` and `jixiao migrate`, end to end through the binary, on SQLite and
//! (when JIXIAO_TEST_PG_URL is set) PostgreSQL, with books from the seeded generator (crates/testdata).

use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use jixiao_testdata::harness::{consolidated_outputs, postgres_database, unit_outputs};
use jixiao_testdata::{Profile, Scenario, scenario};
use std::path::Path;
use std::process::{Command, Output};

fn jixiao(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("--db").arg(db).args(args).env_remove("JIXIAO_DB").output().expect("runs")
}

fn stdout(out: Output, codes: &[i32]) -> String {
    assert!(codes.contains(&out.status.code().unwrap_or(-1)), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn ok(out: Output) -> String {
    stdout(out, &[0])
}

/// A scenario with two years and at least two 主管部门.
fn rich_scenario() -> Scenario {
    (1..)
        .map(|seed| scenario(seed, &Profile::small()))
        .find(|s| s.years.len() == 2 && s.department_codes().len() >= 2 && s.units.len() >= 3)
        .unwrap()
}

/// Empty databases: a SQLite file, and a PostgreSQL database when a server is given.
fn databases(tmp: &Path, tag: &str) -> Vec<String> {
    let mut out = vec![format!("sqlite://{}/{tag}.db", tmp.display())];
    match std::env::var("JIXIAO_TEST_PG_URL") {
        Ok(admin) => {
            let name = format!("jixiao_{tag}_{}", std::process::id());
            out.push(runtime().block_on(postgres_database(&admin, &name)).unwrap());
        }
        Err(_) => assert!(std::env::var_os("CI").is_none(), "CI must set JIXIAO_TEST_PG_URL"),
    }
    out
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn import_all(db: &str, s: &Scenario, dir: &Path) {
    for u in &s.units {
        for (k, imp) in u.imports.iter().enumerate() {
            let d = dir.join(format!("{}-{k}", u.code));
            imp.write(&d).unwrap();
            ok(jixiao(db, &["import", d.to_str().unwrap()]));
        }
    }
}

#[test]
fn consolidated_and_unit_outputs_of_the_binary_equal_the_library_on_every_backend() {
    let s = rich_scenario();
    let tmp = tempfile::tempdir().unwrap();
    let rt = runtime();
    let mut per_backend: Vec<Vec<String>> = Vec::new();
    for db in databases(tmp.path(), "scope") {
        import_all(&db, &s, &tmp.path().join(db.split("://").next().unwrap()));
        let store = rt.block_on(Store::open(&db)).unwrap();
        let mut texts = Vec::new();
        for year in &s.years {
            let y = year.to_string();
            for u in &s.units {
                if !rt.block_on(store.years(&u.code)).unwrap().iter().any(|x| x.year == *year) {
                    continue;
                }
                let (lib, _, _) = rt.block_on(unit_outputs(&store, &u.code, *year)).unwrap();
                let run = |command: &str, extra: &[&str]| {
                    let mut args = vec![command, "--unit", u.code.as_str(), "--year", y.as_str()];
                    args.extend_from_slice(extra);
                    jixiao(&db, &args)
                };
                assert_eq!(stdout(run("check", &["--format", "json"]), &[0, 1]), lib.check_json, "{db} {} check", u.code);
                assert_eq!(ok(run("evaluate", &["--format", "json"])), lib.evaluate_json, "{db} {} evaluate", u.code);
                assert_eq!(ok(run("report", &["--format", "md", "--allow-errors"])), lib.report_md, "{db} {} md", u.code);
                assert_eq!(ok(run("report", &["--format", "html", "--allow-errors"])), lib.report_html, "{db} {} html", u.code);
                texts.push(lib.report_md);
            }
            let mut scopes = vec![
                (Scope::Region(Some(s.bureau_code.clone())), vec!["--scope", "region", "--bureau", s.bureau_code.as_str()]),
                (Scope::Region(None), vec!["--scope", "region"]),
            ];
            let departments = s.department_codes();
            for d in &departments {
                scopes.push((Scope::Department(d.clone()), vec!["--scope", "department", "--department", d.as_str()]));
            }
            for (scope, args) in scopes {
                let (md, html, input) = rt.block_on(consolidated_outputs(&store, &scope, *year)).unwrap();
                assert!(!input.units.is_empty());
                assert_eq!(
                    ok(jixiao(&db, &[&["report", "--year", y.as_str(), "--format", "md"][..], &args].concat())),
                    md,
                    "{db} {scope:?}"
                );
                assert_eq!(
                    ok(jixiao(&db, &[&["report", "--year", y.as_str(), "--format", "html"][..], &args].concat())),
                    html,
                    "{db} {scope:?}"
                );
                texts.push(md);
            }
        }
        // The default scope is still one unit: with several units, --unit is asked for.
        let refused = jixiao(&db, &["report", "--year", "2020", "--format", "md"]);
        assert_eq!(refused.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--unit"));
        per_backend.push(texts);
    }
    if per_backend.len() == 2 {
        assert_eq!(per_backend[0], per_backend[1], "SQLite and PostgreSQL print the same reports");
    }
}

#[test]
fn scope_arguments_are_checked_and_unknown_codes_name_the_known_ones() {
    let s = rich_scenario();
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/args.db", tmp.path().display());
    import_all(&db, &s, tmp.path());
    let err = |args: &[&str]| {
        let out = jixiao(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(err(&["report", "--year", "2020", "--format", "md", "--scope", "department"]).contains("--department"));
    let unknown = err(&["report", "--year", "2020", "--format", "md", "--scope", "department", "--department", "NOPE"]);
    assert!(unknown.contains("NOPE") && unknown.contains(&s.department_codes()[0]), "{unknown}");
    assert!(err(&["report", "--year", "2020", "--format", "md", "--scope", "region", "--bureau", "NOPE"]).contains(&s.bureau_code));
    assert!(err(&["report", "--year", "2020", "--format", "docx", "--scope", "region", "-o", "x.docx"]).contains("md 和 html"));
}

#[test]
fn migrate_copies_every_unit_losslessly_both_ways_and_refuses_a_different_target() {
    let s = rich_scenario();
    let tmp = tempfile::tempdir().unwrap();
    let source = format!("sqlite://{}/source.db", tmp.path().display());
    import_all(&source, &s, tmp.path());
    let dbs = databases(tmp.path(), "migrate");
    // To PostgreSQL when there is one (else to another SQLite file), and back to a fresh SQLite file.
    let middle = dbs.last().unwrap().clone();
    let back = format!("sqlite://{}/back.db", tmp.path().display());
    // The source's region reports read stored summaries; the copies hold none (not copied: a cache keyed by
    // import batch ids the copy does not keep) and compute them from the copied books.
    let summarize = |db: &str, y: &i32| ok(jixiao(db, &["summarize", "--year", &y.to_string()]));
    for y in &s.years {
        assert!(!summarize(&source, y).contains("计算并保存了 0 个"), "the source's summaries are computed");
    }
    let copied = ok(jixiao(&source, &["migrate", "--from", &source, "--to", &middle]));
    assert!(copied.contains(&format!("已迁移 {} 个单位", s.units.len())) && copied.contains("逐字节相同"), "{copied}");
    let again = ok(jixiao(&source, &["migrate", "--from", &source, "--to", &middle]));
    assert!(again.contains("无需迁移"), "running it twice is harmless: {again}");
    ok(jixiao(&middle, &["migrate", "--from", &middle, "--to", &back]));
    let rt = runtime();
    let stored = |db: &str| -> usize {
        let store = rt.block_on(Store::open(db)).unwrap();
        let states: Vec<_> = s.years.iter().map(|y| rt.block_on(store.summary_states(&Scope::Region(None), *y)).unwrap()).collect();
        states.iter().flat_map(|m| m.values()).filter(|state| state.stored.is_some()).count()
    };
    assert!(stored(&source) > 0);
    assert_eq!((stored(&middle), stored(&back)), (0, 0), "summaries are not copied");
    let reports = |db: &str| -> Vec<String> {
        let mut out = vec![ok(jixiao(db, &["units"]))];
        for y in &s.years {
            out.push(ok(jixiao(db, &["report", "--scope", "region", "--year", &y.to_string(), "--format", "html"])));
        }
        for u in &s.units {
            out.push(stdout(jixiao(db, &["check", "--unit", &u.code, "--year", "2020", "--format", "json"]), &[0, 1]));
        }
        out
    };
    assert_eq!(reports(&source), reports(&middle));
    assert_eq!(reports(&source), reports(&back));
    for y in &s.years {
        assert!(summarize(&back, y).contains("计算并保存了 0 个"), "the copy's first region report stored its summaries");
    }
    // A target holding other books is refused and left as it was.
    let other = format!("sqlite://{}/other.db", tmp.path().display());
    ok(jixiao(&other, &["demo"]));
    let refused = jixiao(&source, &["migrate", "--from", &source, "--to", &other]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不是空的"), "{}", String::from_utf8_lossy(&refused.stderr));
    assert_eq!(ok(jixiao(&other, &["units"])), "430102-KX\t芙蓉区科学技术协会\n");
}
