//! Issue 20, end to end through the binary: `jixiao import DIR --accept-profile-change` keeps a changed unit.toml
//! as a new version of the profile from the import's year; without the flag the import is refused, naming the
//! fields and the flag. The 2020 report, the demo's hash chain and re-imports are unchanged by it.

mod common;
use common::{copy_dir, databases, demo_dir, exits, jixiao};

/// The demo's unit.toml renamed, for 2021 only (a directory holding no CSV files).
fn renamed_2021(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("kx-2021");
    std::fs::create_dir_all(&out).unwrap();
    let toml = std::fs::read_to_string(demo_dir().join("unit.toml")).unwrap();
    let head = toml.split("[[years]]").next().unwrap();
    let renamed = head.replace("name = \"芙蓉区科学技术协会\"", "name = \"长沙市芙蓉区科学技术协会\"");
    assert_ne!(renamed, head, "the demo's name is replaced");
    std::fs::write(out.join("unit.toml"), format!("{renamed}[[years]]\nyear = 2021\n")).unwrap();
    out
}

/// How many profile versions the database holds.
fn versions(db: &str) -> i64 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db).await.unwrap();
        let n = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM unit_profile_version").fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    })
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_changed_unit_toml_is_refused_without_the_flag_and_kept_as_a_version_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    copy_dir(&demo_dir(), &demo);
    let changed = renamed_2021(tmp.path());
    let (demo, changed) = (demo.to_str().unwrap(), changed.to_str().unwrap());
    for db in databases(tmp.path(), "profile") {
        exits(jixiao(&db, &["import", demo]), 0);
        let report = exits(jixiao(&db, &["report", "--year", "2020", "--format", "md"]), 0);
        let verified = exits(jixiao(&db, &["verify"]), 0);

        let refused = jixiao(&db, &["import", changed]);
        let message = stderr(&refused);
        exits(refused, 1);
        assert!(
            message.contains("单位名称（已登记「芙蓉区科学技术协会」，导入「长沙市芙蓉区科学技术协会」）")
                && message.contains("--accept-profile-change"),
            "{db}: {message}"
        );
        assert_eq!(exits(jixiao(&db, &["units"]), 0), "430102-KX\t芙蓉区科学技术协会\n", "{db}: refused, nothing changed");

        let accepted = exits(jixiao(&db, &["import", changed, "--accept-profile-change"]), 0);
        assert!(accepted.contains("单位信息已变更：记为第 2 版，自 2021 年度起适用"), "{db}: {accepted}");
        assert_eq!(exits(jixiao(&db, &["units"]), 0), "430102-KX\t长沙市芙蓉区科学技术协会\n", "{db}");
        // Idempotent: the same files again, confirmed or not, add no version.
        let again = exits(jixiao(&db, &["import", changed, "--accept-profile-change"]), 0);
        assert!(!again.contains("单位信息已变更") && again.contains("新增 0 条记录"), "{db}: {again}");
        exits(jixiao(&db, &["import", changed]), 0);
        assert_eq!(versions(&db), 2, "{db}: versions 1 and 2 only");

        // The 2020 report keeps the 2020 name, byte for byte; the 2020 files still import under it.
        assert_eq!(exits(jixiao(&db, &["report", "--year", "2020", "--format", "md"]), 0), report, "{db}");
        exits(jixiao(&db, &["import", demo]), 0);
        assert_eq!(exits(jixiao(&db, &["verify"]), 0), verified, "{db}: the records' hash chain is unchanged");

        // Copied to another database, each year keeps its version: the copy's 2020 report is the same.
        let copy = format!("sqlite://{}", tmp.path().join(format!("copy-{}.db", db.starts_with("sqlite"))).display());
        exits(jixiao(&db, &["migrate", "--from", &db, "--to", &copy]), 0);
        assert_eq!(versions(&copy), 2, "{db}");
        assert_eq!(exits(jixiao(&copy, &["report", "--year", "2020", "--format", "md"]), 0), report, "{db}");
    }
}
