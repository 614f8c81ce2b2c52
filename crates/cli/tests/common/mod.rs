//! Helpers shared by the reliability tests of the `jixiao` binary: running it, the databases to run on
//! (SQLite always, PostgreSQL when JIXIAO_TEST_PG_URL names a server), and SQL run behind jixiao's back.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn jixiao(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("--db").arg(db).args(args).env_remove("JIXIAO_DB").output().expect("runs")
}

/// Standard output of a run that must exit with `code`.
pub fn exits(out: Output, code: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A fresh SQLite database in `tmp` named `name`, and a fresh PostgreSQL database when a server is given.
pub fn databases(tmp: &Path, name: &str) -> Vec<String> {
    let mut out = vec![format!("sqlite://{}", tmp.join(format!("{name}.db")).display())];
    match std::env::var("JIXIAO_TEST_PG_URL") {
        Ok(admin) => {
            let db = format!("jixiao_{name}_{}", std::process::id());
            let status = Command::new("psql")
                .arg(&admin)
                .args(["-q", "-c", &format!("DROP DATABASE IF EXISTS {db}"), "-c", &format!("CREATE DATABASE {db}")])
                .status()
                .unwrap();
            assert!(status.success());
            out.push(format!("{}/{db}", admin.rsplit_once('/').unwrap().0));
        }
        Err(_) => assert!(std::env::var_os("CI").is_none(), "CI must set JIXIAO_TEST_PG_URL"),
    }
    out
}

/// Runs SQL directly against the database, as someone bypassing jixiao would; returns the rows changed.
pub fn sql(db: &str, statement: &str) -> u64 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db).await.unwrap();
        let n = sqlx::query(sqlx::AssertSqlSafe(statement.to_string())).execute(&pool).await.unwrap().rows_affected();
        pool.close().await;
        n
    })
}

/// The chain length `jixiao verify` reports: the number of records stored.
pub fn chain_length(db: &str) -> u64 {
    let out = exits(jixiao(db, &["verify"]), 0);
    out.split("哈希链完好：").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{out}"))
}
