//! The streamed `jixiao import` (expenditures.csv read row by row, inserted a chunk at a time) against the
//! in-memory path (`jixiao_import::read` → `validate` → `Store::apply`), on a generated unit large enough to
//! span several chunks: same stored records, same hash chain, same line-month totals, same report; a
//! re-import adds nothing; a bad row deep in the file is named and nothing is written. SQLite and PostgreSQL.

mod common;
use common::*;
use jixiao_core::schema::record_kinds;
use jixiao_store::Store;
use std::path::Path;

/// Vouchers in the generated unit: more than two insert chunks of the stream.
const VOUCHERS: i64 = 9_000;

fn generated(dir: &Path) {
    jixiao_testdata::generated_unit(7, 0, VOUCHERS, 2020).imports[0].write(dir).unwrap();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Everything the two paths must agree on, read through the store.
async fn stored(db: &str) -> (Vec<(String, usize, String)>, (i64, String), String, Vec<(i64, i64)>) {
    let store = Store::open(db).await.unwrap();
    let (code, _) = store.units().await.unwrap()[0].clone();
    let records = store.records(&code).await.unwrap();
    let kinds = record_kinds()
        .iter()
        .map(|k| (k.id.clone(), records.rows(&k.id).len(), serde_json::to_string(&records.rows(&k.id)).unwrap()))
        .collect();
    let head = store.chain_head().await.unwrap();
    let totals = format!("{:?}", store.month_totals(&code, 2020).await.unwrap());
    let report = store.verify_chain().await.unwrap();
    assert!(report.problems.is_empty(), "{db}: {:?}", report.problems);
    let batches =
        store.record_counts().await.unwrap().iter().filter(|(t, _)| t == "import_batch").map(|(_, n)| (*n, report.records)).collect();
    store.close().await;
    (kinds, head, totals, batches)
}

#[test]
fn a_streamed_import_stores_what_the_in_memory_path_stores() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unit");
    generated(&dir);
    let rows = std::fs::read_to_string(dir.join("expenditures.csv")).unwrap().lines().count() - 1;
    assert!(rows > 8_000, "{rows} expenditure rows");
    let input = jixiao_import::read_streamed(&dir).unwrap();
    assert_eq!(input.streamed.as_ref().map(|s| s.rows), Some(rows), "expenditures.csv is streamed, not held");
    assert!(input.source.rows.iter().all(|r| r.kind != jixiao_core::schema::RecordKind::Expenditures));
    for (streamed_db, memory_db) in databases(tmp.path(), "streamed").into_iter().zip(databases(tmp.path(), "memory")) {
        let out = exits(jixiao(&streamed_db, &["import", dir.to_str().unwrap()]), 0);
        assert!(out.contains("新增") && out.contains("0 条已存在未变"), "{out}");
        runtime().block_on(async {
            let store = Store::open(&memory_db).await.unwrap();
            let batch = jixiao_import::read(&dir).unwrap().validate(&Default::default(), &[]).unwrap();
            store.apply(&batch, &dir.display().to_string()).await.unwrap();
            store.close().await;
        });
        let (a, b) = runtime().block_on(async { (stored(&streamed_db).await, stored(&memory_db).await) });
        assert_eq!(a.0.len(), b.0.len());
        for (x, y) in a.0.iter().zip(&b.0) {
            assert!(x == y, "{streamed_db}: kind {} differs ({} vs {} records)", x.0, x.1, y.1);
        }
        assert_eq!(a.1, b.1, "{streamed_db}: the same records in the same order give the same chain head");
        assert_eq!(a.2, b.2, "line-month totals");
        assert_eq!(a.3, b.3, "batches and chained records");
        let report = |db: &str| exits(jixiao(db, &["report", "--year", "2020", "--format", "md"]), 0);
        assert_eq!(report(&streamed_db), report(&memory_db));

        // Re-importing adds nothing: every row is recognised as stored.
        let again = exits(jixiao(&streamed_db, &["import", dir.to_str().unwrap()]), 0);
        let total: usize = record_kinds().iter().map(|k| a.0.iter().find(|x| x.0 == k.id).map_or(0, |x| x.1)).sum();
        assert!(again.contains(&format!("新增 0 条记录，{total} 条已存在未变。")), "{again}");
        assert_eq!(chain_length(&streamed_db), total as u64);
    }
}

#[test]
fn a_bad_row_deep_in_a_large_file_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unit");
    generated(&dir);
    let path = dir.join("expenditures.csv");
    let original = std::fs::read_to_string(&path).unwrap();
    for db in databases(tmp.path(), "bad") {
        // A clean first import, so the failed ones below have a database to leave untouched.
        let small = tmp.path().join("demo");
        copy_dir(&demo_dir(), &small);
        exits(jixiao(&db, &["import", small.to_str().unwrap()]), 0);
        let before = exits(jixiao(&db, &["verify"]), 0);
        let bytes = db.strip_prefix("sqlite://").map(|f| std::fs::read(f).unwrap());

        // Row 7,001 (a spreadsheet row: the header is row 1): an amount that is not one, found while reading;
        // row 8,001: a line the unit does not have, found only against the other files inside the transaction.
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        let mut cells: Vec<String> = lines[7_000].split(',').map(str::to_string).collect();
        cells[4] = "12,5x".replace(',', "");
        lines[7_000] = cells.join(",");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let out = jixiao(&db, &["import", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("expenditures.csv 第7001行 「金额」列 值「125x」") && stderr.contains("[IMPORT_BAD_AMOUNT]"), "{stderr}");
        assert!(stderr.contains("共 1 处错误，数据库未作任何修改"), "{stderr}");

        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        let mut cells: Vec<String> = lines[8_000].split(',').map(str::to_string).collect();
        cells[3] = "NO-SUCH-LINE".into();
        lines[8_000] = cells.join(",");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let out = jixiao(&db, &["import", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("expenditures.csv 第8001行 「指标编号」列 值「NO-SUCH-LINE」") && stderr.contains("[IMPORT_UNKNOWN_LINE]"),
            "{stderr}"
        );

        // Thousands of bad rows: the list is cut, the count is whole.
        let broken: Vec<String> = original
            .lines()
            .enumerate()
            .map(|(i, l)| if (1..=1_500).contains(&i) { l.replacen(",2020,", ",1999,", 1) } else { l.to_string() })
            .collect();
        std::fs::write(&path, broken.join("\n") + "\n").unwrap();
        let out = jixiao(&db, &["import", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.lines().count() < 1_100, "the printed list is capped");
        assert!(stderr.contains("……另有") && stderr.contains("处错误未列出"), "{}", stderr.lines().last().unwrap_or_default());

        assert_eq!(exits(jixiao(&db, &["verify"]), 0), before, "{db}: nothing was chained");
        if let Some(bytes) = bytes {
            assert!(std::fs::read(db.strip_prefix("sqlite://").unwrap()).unwrap() == bytes, "the SQLite file is byte for byte as before");
        }
    }
}

/// A re-import of the very expenditure file an earlier import stored is recognised by its digest (its rows
/// counted unchanged without being read, `import_file`); any change to the file — a row added, a row altered —
/// gives it another digest, and it is read and checked row by row as before.
#[test]
fn a_changed_expenditure_file_is_read_again_and_an_unchanged_one_is_known_by_its_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unit");
    generated(&dir);
    let path = dir.join("expenditures.csv");
    let original = std::fs::read_to_string(&path).unwrap();
    for db in databases(tmp.path(), "digest") {
        let first = exits(jixiao(&db, &["import", dir.to_str().unwrap()]), 0);
        let added: usize = first.split("新增 ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();

        // One voucher more, at the end: one record added, every other one unchanged.
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
        cells[0] = format!("{}-追加", cells[0]);
        lines.push(cells.join(","));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let out = exits(jixiao(&db, &["import", dir.to_str().unwrap()]), 0);
        assert!(out.contains(&format!("新增 1 条记录，{added} 条已存在未变。")), "{db}: {out}");
        // The same file again: known, nothing read, the same count.
        let out = exits(jixiao(&db, &["import", dir.to_str().unwrap()]), 0);
        assert!(out.contains(&format!("新增 0 条记录，{} 条已存在未变。", added + 1)), "{db}: {out}");

        // A stored voucher altered: a conflict, as before the digests; nothing written.
        let before = exits(jixiao(&db, &["verify"]), 0);
        let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
        cells[4] = format!("{}1", cells[4]);
        lines[2] = cells.join(",");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let out = jixiao(&db, &["import", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{db}: {stderr}");
        assert!(stderr.contains("expenditures.csv 第3行"), "{db}: {stderr}");
        assert_eq!(exits(jixiao(&db, &["verify"]), 0), before, "{db}: nothing was chained");
        std::fs::write(&path, &original).unwrap();
    }
}

/// A unit new to an existing database has its expenditure file read once, by the import session; a file that
/// turns out not to be readable row by row (GBK, or damaged deep inside) is then read whole and checked, and
/// gives what it gives when checked first (the import into no database): the same books, or the same errors.
#[test]
fn a_file_new_to_the_database_that_cannot_be_read_row_by_row_is_read_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let gbk_dir = tmp.path().join("gbk");
    generated(&gbk_dir);
    let text = std::fs::read_to_string(gbk_dir.join("expenditures.csv")).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable && std::str::from_utf8(&gbk).is_err());
    std::fs::write(gbk_dir.join("expenditures.csv"), &gbk).unwrap();
    // Damaged deep inside: a NUL byte in row 6,001.
    let nul_dir = tmp.path().join("nul");
    jixiao_testdata::generated_unit(7, 1, VOUCHERS, 2020).imports[0].write(&nul_dir).unwrap();
    let mut lines: Vec<String> = std::fs::read_to_string(nul_dir.join("expenditures.csv")).unwrap().lines().map(str::to_string).collect();
    lines[6_000].push('\0');
    std::fs::write(nul_dir.join("expenditures.csv"), lines.join("\n") + "\n").unwrap();

    // Checked first: no database yet.
    let fresh = |name: &str| format!("sqlite://{}", tmp.path().join(format!("{name}.db")).display());
    let gbk_fresh = exits(jixiao(&fresh("gbk-fresh"), &["import", gbk_dir.to_str().unwrap()]), 0);
    let nul_fresh = jixiao(&fresh("nul-fresh"), &["import", nul_dir.to_str().unwrap()]);
    assert_eq!(nul_fresh.status.code(), Some(1));
    for db in databases(tmp.path(), "existing") {
        let demo = tmp.path().join("demo");
        if !demo.exists() {
            copy_dir(&demo_dir(), &demo);
        }
        exits(jixiao(&db, &["import", demo.to_str().unwrap()]), 0);
        let out = exits(jixiao(&db, &["import", gbk_dir.to_str().unwrap()]), 0);
        assert_eq!(out, gbk_fresh, "{db}");
        let out = jixiao(&db, &["import", nul_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{db}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&nul_fresh.stderr), "{db}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("IMPORT_READ_WHOLE"), "the retry's errors, not the first run's");
    }
}
