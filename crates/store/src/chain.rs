//! Tamper evidence (防篡改): every stored record — vouchers, reversals, adjustments, score overrides and the
//! rest — is appended to one SHA-256 hash chain in the transaction that stores it. Entry `n` holds
//! `hash_n = SHA-256(hash_{n-1} ‖ "\n" ‖ canonical form of the record)`, starting from 64 zeros; the head row
//! holds the length and the last hash. `verify` recomputes the chain from the records as they are stored now
//! and names the first record that no longer matches, or is missing, or was never chained.
//!
//! The chain shows changes made behind the application's back (an edited, deleted or inserted row); someone
//! who can rewrite the whole chain can hide a change, which is why `jixiao verify` prints the head hash to be
//! kept elsewhere and compared later (`--expect-head`).

use crate::schema::Backend;
use crate::{Store, StoreError, read_cell, spec_sql, values_list};
use jixiao_core::schema::{Cell, RecordKindSpec, record_kinds};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Chain entries read per query when verifying, so memory stays bounded whatever the size of the books.
const VERIFY_PAGE: i64 = 5_000;

/// Rows per multi-row INSERT into `record_chain` (5 parameters each).
const APPEND_CHUNK: usize = 1_000;

/// The columns read for a record's canonical form, in a fixed order: the storage columns, then the kind's.
fn select_columns(kind: &RecordKindSpec, prefix: &str) -> String {
    ["id", "unit_id", "batch_id", "content_hash"]
        .into_iter()
        .map(String::from)
        .chain(kind.columns.iter().map(|c| c.field.clone()))
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The canonical text of a stored record: a JSON array of table, id, unit, batch, content hash and every
/// column as `[field, value]` in the record kind's order (an array, so no map ordering is involved).
fn canonical(kind: &RecordKindSpec, row: &AnyRow) -> Result<String, sqlx::Error> {
    let mut values = Vec::with_capacity(kind.columns.len());
    for c in &kind.columns {
        values.push(read_cell(row, &c.field, &c.value_type)?);
    }
    let content_hash: String = row.try_get("content_hash")?;
    Ok(Canonical {
        kind,
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        batch_id: row.try_get("batch_id")?,
        content_hash: &content_hash,
        values: &values,
    }
    .text())
}

/// The canonical text of a record about to be stored, from the cells bound for it (each of its column's type,
/// so as the column reads back): it equals what [`canonical`] computes from the row.
pub(crate) fn canonical_of(kind: &RecordKindSpec, id: i64, unit_id: i64, batch_id: i64, content_hash: &str, cells: &[Cell]) -> String {
    Canonical { kind, id, unit_id, batch_id, content_hash, values: cells }.text()
}

/// The parts of the canonical text, serialised straight to JSON text without building a JSON tree.
struct Canonical<'a> {
    kind: &'a RecordKindSpec,
    id: i64,
    unit_id: i64,
    batch_id: i64,
    content_hash: &'a str,
    /// One per column of the kind, in order.
    values: &'a [Cell],
}

impl Canonical<'_> {
    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl serde::Serialize for Canonical<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        seq.serialize_element(&self.kind.table)?;
        seq.serialize_element(&self.id)?;
        seq.serialize_element(&self.unit_id)?;
        seq.serialize_element(&self.batch_id)?;
        seq.serialize_element(self.content_hash)?;
        for (c, v) in self.kind.columns.iter().zip(self.values) {
            // An empty column added after its kind is left out: records chained before it existed still verify.
            if !(v.is_null() && c.since > self.kind.since) {
                seq.serialize_element(&(&c.field, v))?;
            }
        }
        seq.end()
    }
}

/// `SHA-256(prev ‖ "\n" ‖ canonical)` as lowercase hex.
pub fn link(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    format!("{:x}", h.finalize())
}

/// Locks the chain head (an UPDATE takes the row lock on PostgreSQL; SQLite has one writer) and reads it.
pub(crate) async fn lock_head(conn: &mut AnyConnection) -> Result<(i64, String, i64), sqlx::Error> {
    sqlx::query("UPDATE chain_head SET length = length WHERE id = 1").execute(&mut *conn).await?;
    let row = sqlx::query("SELECT length, hash, started FROM chain_head WHERE id = 1").fetch_one(&mut *conn).await?;
    Ok((row.try_get("length")?, row.try_get("hash")?, row.try_get("started")?))
}

/// Appends the records of `batch_id` (or, with `None`, every stored record) to the chain, kind by kind in
/// id order, inside the caller's transaction.
pub(crate) async fn append(conn: &mut AnyConnection, backend: Backend, batch_id: Option<i64>) -> Result<(), sqlx::Error> {
    let (mut length, mut hash, _) = lock_head(conn).await?;
    let mut entries: Vec<(i64, &str, i64, String, String)> = Vec::new();
    for kind in record_kinds() {
        let filter = if batch_id.is_some() { "WHERE batch_id = $1 " } else { "" };
        let sql = format!("SELECT {} FROM {} {filter}ORDER BY id", select_columns(kind, ""), kind.table);
        let mut query = sqlx::query(spec_sql(&sql));
        if let Some(b) = batch_id {
            query = query.bind(b);
        }
        for row in query.fetch_all(&mut *conn).await? {
            let next = link(&hash, &canonical(kind, &row)?);
            length += 1;
            entries.push((length, kind.table.as_str(), row.try_get("id")?, std::mem::replace(&mut hash, next.clone()), next));
        }
    }
    for table in record_kinds().iter().map(|k| k.table.as_str()) {
        let links: Vec<(i64, i64, String, String)> =
            entries.iter().filter(|e| e.1 == table).map(|(seq, _, id, prev, hash)| (*seq, *id, prev.clone(), hash.clone())).collect();
        insert_links(conn, backend, table, &links).await?;
    }
    sqlx::query("UPDATE chain_head SET length = $1, hash = $2, started = 1 WHERE id = 1")
        .bind(length)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes chain entries (seq, record id, previous hash, hash) of records of `table`.
pub(crate) async fn insert_links(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    links: &[(i64, i64, String, String)],
) -> Result<(), sqlx::Error> {
    for chunk in links.chunks(APPEND_CHUNK) {
        let sql = format!(
            "INSERT INTO record_chain (seq, record_table, record_id, prev_hash, hash) VALUES {}",
            values_list(backend, chunk.len(), 5)
        );
        let mut q = sqlx::query(spec_sql(&sql));
        for (seq, id, prev, hash) in chunk {
            q = q.bind(*seq).bind(table.to_string()).bind(*id).bind(prev.clone()).bind(hash.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// One place where the stored records and the chain disagree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainProblem {
    /// The chain entry's position (1-based), when the problem is at an entry.
    pub seq: Option<i64>,
    pub table: String,
    pub record_id: Option<i64>,
    /// The record as a reader knows it: kind, key and year (empty when the row is gone).
    pub record: String,
    pub message: String,
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(seq) = self.seq {
            write!(f, "第 {seq} 条链记录：")?;
        }
        let id = self.record_id.map(|i| format!(" id {i}")).unwrap_or_default();
        if self.record.is_empty() {
            write!(f, "（表 {}{id}）{}", self.table, self.message)
        } else {
            write!(f, "{}（表 {}{id}）{}", self.record, self.table, self.message)
        }
    }
}

/// What `verify` found: the chain's length and head hash as stored, and every problem in chain order
/// (the first is the first broken record).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainReport {
    pub length: i64,
    pub head: String,
    pub records: i64,
    pub problems: Vec<ChainProblem>,
}

fn describe(kind: &RecordKindSpec, row: &AnyRow) -> String {
    let key = row.try_get::<Option<String>, _>(kind.key.as_str()).ok().flatten().unwrap_or_default();
    let year = row.try_get::<Option<i64>, _>("year").ok().flatten().map(|y| format!("，{y}年度")).unwrap_or_default();
    format!("{}「{key}」{year}", kind.label)
}

impl Store {
    /// Chains the records stored before schema version 6, once (when the chain has never been started).
    pub(crate) async fn start_chain(&self) -> Result<(), StoreError> {
        let started: i64 = sqlx::query_scalar("SELECT started FROM chain_head WHERE id = 1").fetch_one(&self.pool).await?;
        if started != 0 {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        let (length, _, started) = lock_head(&mut tx).await?;
        if started == 0 && length == 0 {
            append(&mut tx, self.backend(), None).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The chain's head: (length, hash).
    pub async fn chain_head(&self) -> Result<(i64, String), StoreError> {
        let row = sqlx::query("SELECT length, hash FROM chain_head WHERE id = 1").fetch_one(&self.reader).await?;
        Ok((row.try_get("length")?, row.try_get("hash")?))
    }

    /// Whether `hash` was the chain's head at some time: the genesis or one entry's hash. On a chain that
    /// verifies, that means the records chained up to then are unchanged.
    pub async fn chain_had_head(&self, hash: &str) -> Result<bool, StoreError> {
        if hash == GENESIS {
            return Ok(true);
        }
        let found: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM record_chain WHERE hash = $1").bind(hash.to_string()).fetch_optional(&self.reader).await?;
        Ok(found.is_some())
    }

    /// Recomputes the hash chain from the records as stored and reports every disagreement.
    pub async fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        let kinds: HashMap<&str, &RecordKindSpec> = record_kinds().iter().map(|k| (k.table.as_str(), k)).collect();
        let (length, head) = self.chain_head().await?;
        let mut problems = Vec::new();
        let mut running = GENESIS.to_string();
        let mut expected_seq = 1i64;
        let last_seq: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM record_chain").fetch_one(&self.reader).await?;
        let mut from = 1i64;
        while from <= last_seq {
            let to = from + VERIFY_PAGE - 1;
            let entries = sqlx::query(
                "SELECT seq, record_table, record_id, prev_hash, hash FROM record_chain WHERE seq >= $1 AND seq <= $2 ORDER BY seq",
            )
            .bind(from)
            .bind(to)
            .fetch_all(&self.reader)
            .await?;
            // The page's records, read per kind by joining the chain: (table, id) → (canonical, description).
            let mut stored: HashMap<(String, i64), (String, String)> = HashMap::new();
            for kind in record_kinds() {
                let sql = format!(
                    "SELECT {} FROM record_chain c JOIN {} r ON r.id = c.record_id WHERE c.record_table = $1 AND c.seq >= $2 AND c.seq <= $3",
                    select_columns(kind, "r."),
                    kind.table
                );
                for row in sqlx::query(spec_sql(&sql)).bind(kind.table.clone()).bind(from).bind(to).fetch_all(&self.reader).await? {
                    stored.insert((kind.table.clone(), row.try_get("id")?), (canonical(kind, &row)?, describe(kind, &row)));
                }
            }
            for e in &entries {
                let seq: i64 = e.try_get("seq")?;
                let table: String = e.try_get("record_table")?;
                let record_id: i64 = e.try_get("record_id")?;
                let prev: String = e.try_get("prev_hash")?;
                let hash: String = e.try_get("hash")?;
                let found = stored.get(&(table.clone(), record_id));
                let record = found.map(|(_, d)| d.clone()).unwrap_or_default();
                let mut problem = |message: String| {
                    problems.push(ChainProblem {
                        seq: Some(seq),
                        table: table.clone(),
                        record_id: Some(record_id),
                        record: record.clone(),
                        message,
                    })
                };
                if seq != expected_seq {
                    problem(format!("链不连续：此前缺少第 {expected_seq}–{} 条（链记录被删除）", seq - 1));
                }
                if prev != running {
                    problem("与前一条链记录的哈希不衔接（链记录被改动、删除或重排）".into());
                }
                if !kinds.contains_key(table.as_str()) {
                    problem("指向未知的记录表（链记录被改动）".into());
                } else {
                    match found {
                        None => problem("记录已不在数据库中（被删除或其 id 被改动）".into()),
                        Some((canonical, _)) if link(&prev, canonical) != hash => {
                            problem("记录内容与入链时不符（记录或其链哈希被改动）".into())
                        }
                        Some(_) => {}
                    }
                }
                // Continue from the stored hash, so one altered record is reported once, not at every later entry.
                running = hash;
                expected_seq = seq + 1;
            }
            from = to + 1;
        }
        if length != last_seq || head != running {
            problems.push(ChainProblem {
                seq: None,
                table: "chain_head".into(),
                record_id: None,
                record: String::new(),
                message: format!("链头（{length} 条，{head}）与链本身（{last_seq} 条，{running}）不符：链末尾的记录被删除，或链头被改动"),
            });
        }
        let mut records = 0i64;
        for kind in record_kinds() {
            let count: i64 = sqlx::query_scalar(spec_sql(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {}", kind.table)))
                .fetch_one(&self.reader)
                .await?;
            records += count;
            let sql = format!(
                "SELECT {} FROM {} WHERE id NOT IN (SELECT record_id FROM record_chain WHERE record_table = $1) ORDER BY id LIMIT 20",
                select_columns(kind, ""),
                kind.table
            );
            for row in sqlx::query(spec_sql(&sql)).bind(kind.table.clone()).fetch_all(&self.reader).await? {
                problems.push(ChainProblem {
                    seq: None,
                    table: kind.table.clone(),
                    record_id: Some(row.try_get("id")?),
                    record: describe(kind, &row),
                    message: "记录不在哈希链中（绕过本程序直接写入数据库）".into(),
                });
            }
        }
        Ok(ChainReport { length, head, records, problems })
    }
}

#[cfg(test)]
mod late_column_tests {
    use super::*;
    use jixiao_core::schema::{fingerprint, fingerprint_cells, record_kind};
    use serde_json::{Map, Value};

    /// A budget voucher stored before 调整原因 (schema 13) existed must keep its canonical text and fingerprint.
    #[test]
    fn an_empty_column_added_later_changes_neither_canonical_text_nor_fingerprint() {
        let kind = record_kind("budget_vouchers").unwrap();
        let mut before = Map::new();
        for (k, v) in [("voucher_no", "BD1"), ("date", "2020-01-10"), ("line_code", "L1"), ("kind", "initial")] {
            before.insert(k.into(), Value::from(v));
        }
        before.insert("year".into(), Value::from(2020));
        before.insert("amount".into(), Value::from(100));
        let mut after = before.clone();
        after.insert("adjustment_cause".into(), Value::Null);
        let cells = |m: &Map<String, Value>| kind.columns.iter().map(|c| Cell::of_json(&c.value_type, m.get(&c.field))).collect::<Vec<_>>();
        let text = canonical_of(kind, 1, 1, 1, "h", &cells(&after));
        assert_eq!(text, canonical_of(kind, 1, 1, 1, "h", &cells(&before)));
        assert!(!text.contains("adjustment_cause"), "{text}");
        assert_eq!(fingerprint(&after), fingerprint(&before));
        assert_eq!(fingerprint_cells(kind, &cells(&after)), fingerprint_cells(kind, &cells(&before)));
        // Filled, it counts.
        after.insert("adjustment_cause".into(), Value::from("policy"));
        assert!(canonical_of(kind, 1, 1, 1, "h", &cells(&after)).contains("adjustment_cause"));
        assert_ne!(fingerprint(&after), fingerprint(&before));
    }
}
