//! `jixiao backup --to FILE` and `jixiao restore --from FILE`. SQLite: an online, consistent copy of the
//! database file (`VACUUM INTO`); PostgreSQL: pg_dump's custom format, restored with pg_restore. Every backup
//! and every restore is verified before it is reported done: the copy's hash chain verifies and it holds the
//! same record counts and chain head as what it was copied from.

use crate::migrate::redact;
use anyhow::{Context, Result, bail};
use jixiao_store::Store;
use jixiao_store::schema::Backend;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a database holds, as compared between original and copy: the row count of every record table and
/// the chain's head (length and hash).
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    counts: Vec<(String, i64)>,
    head: (i64, String),
}

/// Verifies the chain of `store` and summarises it; fails naming the first broken record.
async fn verified_summary(store: &Store, what: &str) -> Result<Summary> {
    let report = store.verify_chain().await?;
    if let Some(first) = report.problems.first() {
        bail!("{what}的哈希链未通过校验（共 {} 处），第一处：{first} [chain-broken]", report.problems.len());
    }
    let counts = store.record_counts().await?.into_iter().filter(|(t, _)| t != "import_batch").collect();
    Ok(Summary { counts, head: (report.length, report.head) })
}

fn sqlite_path(url: &str) -> PathBuf {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

/// A PostgreSQL client program: from PATH, else the newest server installation's bin directory.
fn pg_tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    on_path.unwrap_or_else(|| {
        let mut versions: Vec<PathBuf> =
            std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten().map(|e| e.path()).collect();
        versions.sort();
        versions.last().map(|v| v.join("bin").join(name)).unwrap_or_else(|| PathBuf::from(name))
    })
}

fn run(mut command: Command, what: &str) -> Result<()> {
    let out = command.output().with_context(|| format!("无法运行 {what}（需要 PostgreSQL 客户端程序）"))?;
    if !out.status.success() {
        bail!("{what} 失败：{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

/// A scratch database beside `url` (same server), for verifying a PostgreSQL dump before it is trusted.
async fn with_scratch_database<T>(url: &str, f: impl AsyncFnOnce(&str) -> Result<T>) -> Result<T> {
    let name = format!("jixiao_verify_{}", std::process::id());
    let base = url.split('?').next().unwrap_or(url);
    let admin = format!("{}/postgres", base.rsplit_once('/').map_or(base, |(b, _)| b));
    let psql = |sql: String| {
        let mut c = Command::new(pg_tool("psql"));
        c.arg(&admin).args(["-q", "-v", "ON_ERROR_STOP=1", "-c", &sql]);
        c
    };
    run(psql(format!("DROP DATABASE IF EXISTS {name}")), "psql")?;
    run(psql(format!("CREATE DATABASE {name}")), "psql（创建校验用的临时数据库）")?;
    let scratch = format!("{}/{name}", base.rsplit_once('/').map_or(base, |(b, _)| b));
    let result = f(&scratch).await;
    run(psql(format!("DROP DATABASE IF EXISTS {name}")), "psql")?;
    result
}

/// Restores a pg_dump file into the (PostgreSQL) database at `url`, replacing what it holds.
fn pg_restore(file: &Path, url: &str) -> Result<()> {
    let mut c = Command::new(pg_tool("pg_restore"));
    c.args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", url]).arg(file);
    run(c, "pg_restore")
}

/// Summarises a SQLite backup file, verified. It is opened as a scratch copy: opening runs the migrations
/// and sets up write-ahead logging, which must not touch the backup itself.
async fn sqlite_file_summary(file: &Path) -> Result<Summary> {
    let dir = tempfile::tempdir().context("无法创建临时目录")?;
    let scratch = dir.path().join("check.db");
    std::fs::copy(file, &scratch).with_context(|| format!("无法读取备份文件 {}", file.display()))?;
    let copy =
        Store::open(&format!("sqlite://{}", scratch.display())).await.with_context(|| format!("无法打开备份文件 {}", file.display()))?;
    let summary = verified_summary(&copy, "备份文件").await;
    copy.close().await;
    summary
}

/// A PostgreSQL dump restored into a scratch database, summarised, verified.
async fn pg_file_summary(file: &Path, near: &str) -> Result<Summary> {
    with_scratch_database(near, async |scratch| {
        pg_restore(file, scratch)?;
        let copy = Store::open(scratch).await?;
        let summary = verified_summary(&copy, "备份文件").await;
        copy.close().await;
        summary
    })
    .await
}

fn print(summary: &Summary) {
    let records: i64 = summary.counts.iter().filter(|(t, _)| !matches!(t.as_str(), "unit" | "unit_year")).map(|(_, n)| n).sum();
    println!("  {} 条记录，哈希链完好，链头 {}", records, summary.head.1);
}

pub async fn backup(db: &str, file: &Path) -> Result<()> {
    if file.exists() {
        bail!("备份文件 {} 已存在：请换一个文件名（备份从不覆盖已有文件）", file.display());
    }
    let store = crate::open(db).await?;
    let source = verified_summary(&store, "数据库").await?;
    let copy = match store.backend() {
        Backend::Sqlite => {
            store.vacuum_into(&file.display().to_string()).await?;
            store.close().await;
            sqlite_file_summary(file).await?
        }
        Backend::Postgres => {
            store.close().await;
            let mut c = Command::new(pg_tool("pg_dump"));
            c.args(["--format=custom", "--no-owner", "--file"]).arg(file).arg(db);
            run(c, "pg_dump")?;
            pg_file_summary(file, db).await?
        }
    };
    // Records written while the copy was taken may be missing from it; what it holds must be what the
    // database held at that moment: a head the database's chain passed through.
    if copy != source {
        let store = crate::open(db).await?;
        if !store.chain_had_head(&copy.head.1).await? {
            let _ = std::fs::remove_file(file);
            bail!("备份文件与数据库不一致（链头 {} 不在数据库的链中），已删除该文件", copy.head.1);
        }
    }
    println!("已备份 {} 到 {}，并已校验：", redact(db), file.display());
    print(&copy);
    Ok(())
}

pub async fn restore(db: &str, file: &Path, force: bool) -> Result<()> {
    if !file.is_file() {
        bail!("找不到备份文件 {}", file.display());
    }
    let target = crate::open(db).await?;
    let backend = target.backend();
    let holds_units = !target.units().await?.is_empty();
    target.close().await;
    if holds_units && !force {
        bail!("目标数据库 {} 已有数据：恢复会以备份替换其全部内容，确认请加 --force", redact(db));
    }
    let (expected, restored) = match backend {
        Backend::Sqlite => {
            let expected = sqlite_file_summary(file).await?;
            // Copy beside the target, verify the copy, then rename it over the target: never half a database.
            let path = sqlite_path(db);
            let partial = path.with_extension("restoring");
            std::fs::copy(file, &partial).with_context(|| format!("无法写入 {}", partial.display()))?;
            let restored = sqlite_file_summary(&partial).await?;
            // A journal left beside the old file belongs to it and must not be applied to the restored one.
            for suffix in ["-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            std::fs::rename(&partial, &path).with_context(|| format!("无法替换 {}", path.display()))?;
            (expected, restored)
        }
        Backend::Postgres => {
            let expected = pg_file_summary(file, db).await?;
            pg_restore(file, db)?;
            let store = crate::open(db).await?;
            let restored = verified_summary(&store, "恢复后的数据库").await?;
            store.close().await;
            (expected, restored)
        }
    };
    if restored != expected {
        bail!("恢复后的数据库与备份不一致：备份 {:?}，恢复后 {:?}", expected, restored);
    }
    println!("已从 {} 恢复 {}，并已校验：", file.display(), redact(db));
    print(&restored);
    Ok(())
}
