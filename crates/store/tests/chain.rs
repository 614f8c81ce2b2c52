//! Tamper evidence: rows altered, deleted or inserted directly in the database (behind the application's
//! back) are caught by `verify_chain`, which names the first broken record. Run on SQLite and PostgreSQL.

use jixiao_core::RecordSet;
use jixiao_core::records::Batch;
use jixiao_store::Store;
use sqlx::any::AnyPoolOptions;
use std::path::Path;

mod common;

fn demo_batch() -> Batch {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
    jixiao_import::read(&dir).unwrap().validate(&RecordSet::default(), &[]).unwrap()
}

/// Each case: a name, SQL run directly against the database after the demo import, and what the first
/// problem reported must contain (record description or message). Statements are separated by "; ".
const TAMPER_CASES: &[(&str, &str, &[&str])] = &[
    (
        "voucher amount edited",
        "UPDATE expenditure SET amount = amount + 1 WHERE voucher_no = 'ZC2020-003'",
        &["支出凭证「ZC2020-003」", "记录内容与入链时不符"],
    ),
    (
        "reversal unlinked from its original",
        "UPDATE expenditure SET reverses = NULL WHERE voucher_no = 'ZC2020-014'",
        &["支出凭证「ZC2020-014」", "记录内容与入链时不符"],
    ),
    (
        "budget adjustment's kind changed",
        "UPDATE budget_voucher SET kind = '追加' WHERE voucher_no = 'ZBBD2020-002'",
        &["指标变动「ZBBD2020-002」", "记录内容与入链时不符"],
    ),
    (
        "voucher moved to another year",
        "UPDATE receipt SET year = 2021 WHERE id = (SELECT MIN(id) FROM receipt)",
        &["收入", "记录内容与入链时不符"],
    ),
    ("voucher deleted", "DELETE FROM expenditure WHERE voucher_no = 'ZC2020-004'", &["表 expenditure", "记录已不在数据库中"]),
    (
        "record inserted directly",
        "INSERT INTO receipt (unit_id, batch_id, content_hash, voucher_no, year, date, fund_source, function_code, amount) SELECT unit_id, batch_id, content_hash, 'FAKE-1', year, date, fund_source, function_code, amount FROM receipt WHERE id = (SELECT MIN(id) FROM receipt)",
        &["收入「FAKE-1」", "不在哈希链中"],
    ),
    (
        "content fingerprint rewritten",
        "UPDATE project SET content_hash = 'x' WHERE id = (SELECT MIN(id) FROM project)",
        &["项目", "记录内容与入链时不符"],
    ),
    ("chain entry's hash rewritten", "UPDATE record_chain SET hash = 'ff' WHERE seq = 7", &["第 7 条链记录", "记录内容与入链时不符"]),
    ("chain entry deleted in the middle", "DELETE FROM record_chain WHERE seq = 9", &["第 10 条链记录", "链不连续"]),
    ("last chain entry deleted", "DELETE FROM record_chain WHERE seq = (SELECT MAX(seq) FROM record_chain)", &["链头"]),
    (
        "two chain entries swapped",
        "UPDATE record_chain SET seq = -seq WHERE seq IN (3, 4); UPDATE record_chain SET seq = 7 + seq WHERE seq < 0",
        &["第 3 条链记录", "不衔接"],
    ),
    ("head hash rewritten", "UPDATE chain_head SET hash = 'ab' WHERE id = 1", &["链头"]),
];

#[tokio::test]
async fn the_chain_holds_every_record_and_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in common::stores(tmp.path()).await {
        let report = store.verify_chain().await.unwrap();
        assert_eq!((report.length, report.problems.len()), (0, 0), "{backend}: an empty store has an empty chain");
        store.apply(&batch, "demo").await.unwrap();
        let first = store.chain_head().await.unwrap();
        assert_eq!(first.0, batch.records.len() as i64, "{backend}: one entry per record");
        // Re-importing adds no record, so the chain does not grow.
        store.apply(&batch, "demo").await.unwrap();
        assert_eq!(store.chain_head().await.unwrap(), first, "{backend}");
        let report = store.verify_chain().await.unwrap();
        assert_eq!(report.problems, vec![], "{backend}");
        assert_eq!((report.length, report.records), (first.0, first.0), "{backend}");
    }
}

#[tokio::test]
async fn rows_altered_directly_in_the_database_are_caught_and_named() {
    let batch = demo_batch();
    let mut caught = 0;
    for (name, sql, expected) in TAMPER_CASES {
        let tmp = tempfile::Builder::new().prefix(&format!("tamper{caught}")).tempdir().unwrap();
        for (backend, url) in common::store_urls(tmp.path()).await {
            let store = Store::open(&url).await.unwrap();
            store.apply(&batch, "demo").await.unwrap();
            assert_eq!(store.verify_chain().await.unwrap().problems, vec![], "{backend}");
            let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
            let mut changed = 0;
            for statement in sql.split("; ") {
                changed += sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&pool).await.unwrap().rows_affected();
            }
            assert!(changed >= 1, "{backend} {name}: the tampering SQL changed nothing");
            pool.close().await;
            let report = store.verify_chain().await.unwrap();
            let first = report.problems.first().unwrap_or_else(|| panic!("{backend} {name}: not caught"));
            let text = first.to_string();
            for part in *expected {
                assert!(text.contains(part), "{backend} {name}: first problem「{text}」lacks「{part}」; all: {:#?}", report.problems);
            }
        }
        caught += 1;
    }
    assert_eq!(caught, TAMPER_CASES.len());
}

/// A database written before schema version 6 has its records chained once, when it is first opened.
#[tokio::test]
async fn records_stored_before_the_chain_existed_are_chained_on_opening() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, url) in common::store_urls(tmp.path()).await {
        let store = Store::open(&url).await.unwrap();
        store.apply(&batch, "demo").await.unwrap();
        // As if the records had been written by a store without the chain.
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        sqlx::query("DELETE FROM record_chain").execute(&pool).await.unwrap();
        sqlx::query(
            "UPDATE chain_head SET length = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000', started = 0",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        drop(store);
        let store = Store::open(&url).await.unwrap();
        let report = store.verify_chain().await.unwrap();
        assert_eq!((report.length, report.problems.len()), (batch.records.len() as i64, 0), "{backend}");
    }
}

/// The demo imported into a new SQLite database by the code before records were typed cells (main at 0ad7f73,
/// `jixiao import examples/furong-kexie-2020` then `jixiao verify`) chained to this head. The import session
/// computes fingerprints and chain entries from cells now: every stored record must keep its hash, so a
/// database written before verifies and a re-import finds every record unchanged.
#[tokio::test]
async fn imports_chain_to_the_head_the_code_before_typed_records_gave() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", tmp.path().join("head.db").display())).await.unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let import = async |dir: &Path| {
        let input = jixiao_import::read_streamed(dir).unwrap();
        let checked = store.import(&input, &input.source.label, None, Default::default(), &|_| {}, &[]).await.unwrap().unwrap();
        checked.commit().await.unwrap().0
    };
    import(&examples.join("furong-kexie-2020")).await;
    let report = store.verify_chain().await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.head, "721c8bd086dc0cd63ef200b0a2cbf359c79f8998760d439f2edc6fa9e6a6c24d");
    let again = import(&examples.join("furong-kexie-2020")).await;
    assert_eq!((again.added, again.unchanged), (0, 234));
}
