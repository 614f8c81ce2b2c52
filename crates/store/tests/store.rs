//! Store tests, each run on SQLite and (when JIXIAO_TEST_PG_URL names a PostgreSQL server) on PostgreSQL.

use jixiao_core::records::Batch;
use jixiao_core::report_model::build;
use jixiao_core::{Fen, RecordSet};
use jixiao_store::{Store, StoreError};
use sqlx::any::AnyPoolOptions;
use std::path::Path;

fn demo_batch() -> Batch {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
    jixiao_import::read(&dir).unwrap().validate(&RecordSet::default(), &[]).unwrap()
}

/// A fresh, empty store per backend. The SQLite file lives in `tmp`; PostgreSQL gets a new database.
async fn stores(tmp: &Path) -> Vec<(&'static str, Store)> {
    let mut out = vec![("sqlite", Store::open(&format!("sqlite://{}/t.db", tmp.display())).await.unwrap())];
    match std::env::var("JIXIAO_TEST_PG_URL") {
        Ok(admin) => {
            sqlx::any::install_default_drivers();
            let name = format!("jixiao_test_{}", tmp.file_name().unwrap().to_string_lossy().to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
            let pool = AnyPoolOptions::new().max_connections(1).connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            out.push(("postgres", Store::open(&url).await.unwrap()));
        }
        Err(_) if std::env::var_os("CI").is_some() => panic!("CI must run the store tests on PostgreSQL too: set JIXIAO_TEST_PG_URL"),
        Err(_) => eprintln!("JIXIAO_TEST_PG_URL not set: PostgreSQL part skipped"),
    }
    out
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
