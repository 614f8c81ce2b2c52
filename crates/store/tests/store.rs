//! Store tests, each run on SQLite and (when JIXIAO_TEST_PG_URL names a PostgreSQL server) on PostgreSQL.

use jixiao_core::records::Batch;
use jixiao_core::report_model::build;
use jixiao_core::{Fen, RecordSet};
use jixiao_store::{Store, StoreError};
use sqlx::any::AnyPoolOptions;
use std::path::Path;

mod common;
use common::stores;

fn demo_batch() -> Batch {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
    jixiao_import::read(&dir).unwrap().validate(&RecordSet::default(), &[]).unwrap()
}

#[tokio::test]
async fn demo_round_trips_and_reimport_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        let first = store.apply(&batch, "demo").await.unwrap();
        assert_eq!(first.added, batch.records.len(), "{backend}");
        let counts = store.record_counts().await.unwrap();
        let again = store.apply(&batch, "demo").await.unwrap();
        assert_eq!((again.added, again.unchanged), (0, batch.records.len()), "{backend}");
        let after: Vec<_> = store.record_counts().await.unwrap().into_iter().filter(|(t, _)| t != "import_batch").collect();
        let before: Vec<_> = counts.into_iter().filter(|(t, _)| t != "import_batch").collect();
        assert_eq!(before, after, "{backend}: re-import changed row counts");

        assert_eq!(store.records(&batch.unit.code).await.unwrap(), batch.records, "{backend}: records read back as written");
        assert_eq!(store.unit(&batch.unit.code).await.unwrap().as_ref(), Some(&batch.unit), "{backend}");
        assert_eq!(store.units().await.unwrap(), vec![(batch.unit.code.clone(), batch.unit.name.clone())], "{backend}");
        let books = store.books(&batch.unit.code, 2020).await.unwrap();
        let model = build(&books, None);
        assert_eq!(model.spending.execution_rate.text, "86.98%", "{backend}");
        assert_eq!(model.income.fiscal_total.text, "242.96", "{backend}");
    }
}

#[tokio::test]
async fn a_conflicting_record_aborts_the_whole_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        store.apply(&batch, "demo").await.unwrap();
        let counts = store.record_counts().await.unwrap();
        let mut changed = batch.clone();
        changed.records.expenditures[3].amount = Fen(1);
        // A new record in the same batch must not be written either.
        let mut extra = changed.records.receipts[0].clone();
        extra.voucher_no = "NEW-1".into();
        changed.records.receipts.push(extra);
        match store.apply(&changed, "changed").await {
            Err(StoreError::Conflicts(message)) => assert!(message.contains(&batch.records.expenditures[3].voucher_no), "{backend}: {message}"),
            other => panic!("{backend}: expected a conflict, got {other:?}"),
        }
        assert_eq!(store.record_counts().await.unwrap(), counts, "{backend}: nothing written");
    }
}

#[tokio::test]
async fn unknown_units_and_years_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    for (backend, store) in stores(tmp.path()).await {
        assert!(matches!(store.books("NOPE", 2020).await, Err(StoreError::UnknownUnit(_))), "{backend}");
        store.apply(&demo_batch(), "demo").await.unwrap();
        assert!(matches!(store.books("430102-KX", 2019).await, Err(StoreError::UnknownYear { year: 2019, .. })), "{backend}");
        assert!(store.records("NOPE").await.unwrap().is_empty(), "{backend}");
    }
}

#[tokio::test]
async fn urls_other_than_sqlite_and_postgres_are_refused() {
    assert!(matches!(Store::open("mysql://x").await, Err(StoreError::UnsupportedUrl(_))));
}

fn unit_in(code: &str, department: Option<&str>, bureau: Option<&str>) -> Batch {
    let mut batch = demo_batch();
    batch.unit.code = code.into();
    batch.unit.department_code = department.map(Into::into);
    batch.unit.bureau_code = bureau.map(Into::into);
    batch.unit.bureau_name = bureau.map(|b| format!("{b}财政局"));
    batch
}

#[tokio::test]
async fn the_hierarchy_is_stored_and_scopes_select_by_it() {
    use jixiao_core::consolidated::UnitExecution;
    use jixiao_store::consolidate::Scope;
    let tmp = tempfile::tempdir().unwrap();
    for (backend, store) in stores(tmp.path()).await {
        let a = unit_in("A", Some("D1"), Some("CZ"));
        store.apply(&a, "a").await.unwrap();
        store.apply(&unit_in("B", Some("D2"), Some("CZ")), "b").await.unwrap();
        store.apply(&unit_in("C", None, None), "c").await.unwrap();
        assert_eq!(store.unit("A").await.unwrap().as_ref(), Some(&a.unit), "{backend}: the profile round-trips with its hierarchy");
        let codes = |units: Vec<jixiao_core::UnitProfile>| units.into_iter().map(|u| u.code).collect::<Vec<_>>();
        assert_eq!(codes(store.directory(&Scope::Department("D1".into())).await.unwrap()), ["A"], "{backend}");
        assert_eq!(codes(store.directory(&Scope::Region(Some("CZ".into()))).await.unwrap()), ["A", "B"], "{backend}");
        assert_eq!(codes(store.directory(&Scope::Region(None)).await.unwrap()), ["A", "B", "C"], "{backend}");
        let totals = store.execution_totals(&Scope::Region(Some("CZ".into())), 2020).await.unwrap();
        let books = store.books("A", 2020).await.unwrap();
        assert_eq!(totals.keys().collect::<Vec<_>>(), ["A", "B"], "{backend}");
        assert_eq!(totals["A"], UnitExecution::of_books(&books), "{backend}: aggregate SQL equals the per-unit sums");
        assert_eq!((totals["A"].annual.wan_yuan_string(), totals["A"].spent.wan_yuan_string()), ("242.96".into(), "211.33".into()), "{backend}");
        assert!(store.execution_totals(&Scope::Region(Some("CZ".into())), 2019).await.unwrap().is_empty(), "{backend}");
        // The profile, hierarchy included, is fixed once stored.
        match store.apply(&unit_in("A", Some("D2"), Some("CZ")), "moved").await {
            Err(StoreError::Conflicts(m)) => assert!(m.contains("基本信息"), "{backend}: {m}"),
            other => panic!("{backend}: expected a conflict, got {other:?}"),
        }
    }
}

/// A database created before schema version 3 (already at 1, 2 and 4) gets the hierarchy columns on opening,
/// and a unit stored then still matches its unit.toml: a profile without hierarchy fingerprints as before.
#[tokio::test]
async fn a_database_from_before_version_3_is_upgraded_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let admin = std::env::var("JIXIAO_TEST_PG_URL").ok();
    let mut urls = vec![(format!("sqlite://{}/old.db?mode=rwc", tmp.path().display()), "sqlite")];
    if let Some(admin) = &admin {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(admin).await.unwrap();
        let name = format!("jixiao_old_{}", std::process::id());
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&pool).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
        urls.push((format!("{}/{name}", admin.rsplit_once('/').unwrap().0), "postgres"));
    }
    for (url, dir) in urls {
        // The migrations as released before version 3.
        let old = tmp.path().join(format!("old-{dir}"));
        std::fs::create_dir_all(&old).unwrap();
        for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir)).unwrap() {
            let e = e.unwrap();
            if !e.file_name().to_string_lossy().starts_with("0003") {
                std::fs::copy(e.path(), old.join(e.file_name())).unwrap();
            }
        }
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&pool).await.unwrap();
        // The unit as the store of version 2 wrote it: the fingerprint of the profile's fields of that time.
        let batch = demo_batch();
        let u = &batch.unit;
        let old_profile = serde_json::json!({ "code": u.code, "name": u.name, "region_code": u.region_code, "parent_department": u.parent_department, "duties": u.duties, "offices": u.offices });
        let hash = jixiao_core::schema::fingerprint(old_profile.as_object().unwrap());
        sqlx::query("INSERT INTO unit (code, name, region_code, parent_department, content_hash) VALUES ($1, $2, $3, $4, $5)")
            .bind(u.code.clone())
            .bind(u.name.clone())
            .bind(u.region_code.clone())
            .bind(u.parent_department.clone())
            .bind(hash)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let store = Store::open(&url).await.unwrap();
        let stored = store.unit(&u.code).await.unwrap().unwrap();
        assert_eq!((stored.department_code, stored.bureau_code, stored.bureau_name), (None, None, None), "{dir}");
        // Importing the same unit.toml again is no conflict: the records go in beside the old profile.
        let outcome = store.apply(&batch, "after upgrade").await.unwrap();
        assert_eq!(outcome.added, batch.records.len(), "{dir}");
        assert_eq!(build(&store.books(&u.code, 2020).await.unwrap(), None).spending.execution_rate.text, "86.98%", "{dir}");
    }
}
