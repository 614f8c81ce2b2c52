//! One import's transaction, written a chunk of records at a time so that an import need not hold its records
//! in memory (the CLI streams a million-row expenditure file through it); `Store::apply` writes a whole
//! `Batch` through the same code. `begin_import` takes the chain-head lock first, so the closed periods it
//! reads and the chain it extends stay as read until the commit. Each `insert` writes its records in
//! multi-row INSERTs with ids it assigns itself (every writer of record rows holds the chain-head lock, so
//! the next id read once per kind stays free until the commit; reading ids back with `RETURNING` cost one
//! row hand-off per record), appends their chain entries —
//! computed from the very values bound, the canonical form `verify_chain` reads back from the rows — and
//! adds them to the line-month totals and the closed-period check. `finish` refuses the whole import on any
//! conflict or closed period, else writes the totals, the chain head and the batch counts and commits.

use crate::chain::{self, lock_head};
use crate::profile::ProfileChange;
use crate::schema::Backend;
use crate::{
    ApplyOutcome, INSERT_CHUNK_PARAMETERS, Store, StoreError, add_month_totals, add_procurement_totals, bind_cell, now_unix, period,
    profile_hash, read_cell, spec_sql, values_list,
};
use jixiao_core::books::{LineSpending, MonthKey, MonthTotal, ProcurementKey, add_procurement_expenditure_of, period as month_of};
use jixiao_core::period::Period;
use jixiao_core::records::{RecordSet, UnitProfile, UnitYear};
use jixiao_core::schema::{Cell, RecordKind, RecordKindSpec};
use jixiao_core::{Date, Fen};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

pub use jixiao_import::session::NewRecord;
use jixiao_import::session::{self, Checked, Counts, ImportSink, Options, Refusal};

/// The rule id of an import refused because its unit information differs from the stored profile (unconfirmed).
pub const UNIT_PROFILE_CHANGED: &str = "UNIT_PROFILE_CHANGED";

/// An import in progress: one open transaction. Dropping it without `finish` rolls it back.
pub struct ImportWriter {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    unit_id: i64,
    batch_id: i64,
    /// Why the import cannot be stored (unit profile or year differing from the database, conflicting keys).
    conflicts: Vec<String>,
    chain_length: i64,
    chain_hash: String,
    closed: Vec<Period>,
    /// New records that fall in a closed period, one line each.
    refused: Vec<String>,
    totals: BTreeMap<MonthKey, MonthTotal>,
    /// What the new expenditures naming a procurement paid, per year, line and 采购编号.
    procurement_totals: BTreeMap<ProcurementKey, LineSpending>,
    /// The next id of each record table written to (read once, then counted up).
    next_ids: BTreeMap<String, i64>,
    outcome: ApplyOutcome,
}

/// What an import may do beyond adding records: pass an overdrawn 刚性控制 line (with its request), change the
/// unit profile (a confirmed change).
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    pub override_request: Option<&'a jixiao_core::budget_control::OverrideRequest>,
    pub profile_change: Option<&'a ProfileChange>,
}

impl Store {
    /// Runs the import session (`jixiao_import::session::check`) on `input` in one import transaction, the batch
    /// named `label` and, for records a signed-in user entered, kept as entered by that user; `progress` is
    /// called with the rows handled so far; `read_errors`: those of the rows that did not parse (`Options::read_errors`). The checked import is committed by the caller (`Checked::commit`).
    pub async fn import(
        &self,
        input: &jixiao_import::Streamed,
        label: &str,
        entered_by: Option<&str>,
        options: ImportOptions<'_>,
        progress: &(dyn Fn(usize) + Sync),
        read_errors: &[jixiao_import::ImportError],
    ) -> Result<Result<Checked<ImportWriter>, Refusal>, StoreError> {
        let unit = &input.source.unit;
        let existing_years = if self.unit(&unit.code).await?.is_some() { self.years(&unit.code).await? } else { Vec::new() };
        let writer = self.begin_import(unit, &input.source.years, label, entered_by, options.profile_change).await?;
        let override_request = options.override_request;
        session::check(writer, input, Options { existing_years: &existing_years, override_request, progress, read_errors }).await
    }

    /// Starts an import of `unit`'s records: the unit, its years and the batch row are written (or the unit and
    /// years compared with those stored), and the chain head is locked. A profile that differs from the one
    /// in force for the import's year is a conflict naming the fields, unless `change` confirms it: then it
    /// becomes a new version (`profile.rs`), named in the batch's source.
    pub async fn begin_import(
        &self,
        unit: &UnitProfile,
        years: &[UnitYear],
        source: &str,
        entered_by: Option<&str>,
        change: Option<&ProfileChange>,
    ) -> Result<ImportWriter, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The lock first: imports and `close_period` take it in turn, so what is read below holds until the commit.
        let (chain_length, chain_hash, _) = lock_head(&mut tx).await?;
        let mut conflicts: Vec<String> = Vec::new();
        let hash = profile_hash(unit);
        let existing: Option<(i64, String)> = sqlx::query("SELECT id, content_hash FROM unit WHERE code = $1")
            .bind(unit.code.clone())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("id")?, r.try_get("content_hash")?)))
            .transpose()?;
        let year = crate::profile::import_year(years);
        let mut source = source.to_string();
        let unit_id = match existing {
            Some((id, current_hash)) => {
                // Compared with the version in force for the import's year: an earlier year's files keep theirs.
                let (stored, stored_hash) = crate::profile::compared_with(&mut tx, id, &current_hash, year).await?;
                if stored_hash != hash {
                    let differences = crate::profile::differences(&stored, unit);
                    let listed = crate::profile::describe(&differences);
                    let from = year.map(|y| format!("{y}年度")).unwrap_or_else(|| "最新年度".into());
                    let newest: Option<i64> =
                        sqlx::query_scalar("SELECT MAX(year) FROM unit_year WHERE unit_id = $1").bind(id).fetch_one(&mut *tx).await?;
                    match (change, year.or(newest.map(|y| y as i32))) {
                        (Some(change), Some(from_year)) => {
                            let version = crate::profile::record_change(&mut tx, id, &current_hash, unit, &hash, from_year, change).await?;
                            let fields: Vec<&str> = differences.iter().map(|d| d.field.as_str()).collect();
                            source = format!("{source}（单位信息变更为第 {version} 版，自 {from_year} 年度起：{}）", fields.join("、"));
                        }
                        _ => conflicts.push(format!(
                            "单位「{}」的基本信息与数据库中{from}适用的不同：{listed}。如确是单位信息变更：命令行加 --accept-profile-change 重新导入，\
                             网页在比对页选「确认变更并导入」（单位管理员）；变更自导入的年度起生效，之前年度的报告仍用原信息 [{UNIT_PROFILE_CHANGED}]",
                            unit.code
                        )),
                    }
                }
                id
            }
            None => {
                let insert = sqlx::query(
                    "INSERT INTO unit (name, region_code, parent_department, department_code, bureau_code, bureau_name, framework, content_hash, code) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                );
                let row = crate::profile::bind_columns(insert, unit).bind(hash).bind(unit.code.clone()).fetch_one(&mut *tx).await?;
                let id: i64 = row.try_get("id")?;
                crate::profile::insert_lists(&mut tx, id, unit).await?;
                id
            }
        };
        for y in years {
            let hash = y.report_date.map(|d| d.to_string()).unwrap_or_default();
            let stored: Option<String> = sqlx::query_scalar("SELECT content_hash FROM unit_year WHERE unit_id = $1 AND year = $2")
                .bind(unit_id)
                .bind(i64::from(y.year))
                .fetch_optional(&mut *tx)
                .await?;
            match stored {
                Some(s) if s != hash => conflicts.push(format!("单位「{}」{}年度的报告日期与数据库中已有的不同", unit.code, y.year)),
                Some(_) => {}
                None => {
                    sqlx::query("INSERT INTO unit_year (unit_id, year, report_date, content_hash) VALUES ($1, $2, $3, $4)")
                        .bind(unit_id)
                        .bind(i64::from(y.year))
                        .bind(y.report_date.map(|d| d.to_string()))
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        let batch_id: i64 = sqlx::query_scalar("INSERT INTO import_batch (unit_id, source, imported_at, added, unchanged, entered_by) VALUES ($1, $2, $3, 0, 0, $4) RETURNING id")
            .bind(unit_id)
            .bind(source)
            .bind(now_unix())
            .bind(entered_by.map(str::to_string))
            .fetch_one(&mut *tx)
            .await?;
        let closed = period::closed_for(&mut tx, &unit.code).await?;
        Ok(ImportWriter {
            tx,
            backend: self.backend(),
            unit_id,
            batch_id,
            conflicts,
            chain_length,
            chain_hash,
            closed,
            refused: Vec::new(),
            totals: BTreeMap::new(),
            procurement_totals: BTreeMap::new(),
            next_ids: BTreeMap::new(),
            outcome: ApplyOutcome::default(),
        })
    }
}

impl ImportWriter {
    /// The unit's stored records of `kind`: (year, key) → content hash.
    pub async fn stored_hashes(&mut self, kind: &RecordKindSpec) -> Result<HashMap<(i64, String), String>, StoreError> {
        let lookup = format!("SELECT year, {} AS record_key, content_hash FROM {} WHERE unit_id = $1", kind.key, kind.table);
        let mut stored = HashMap::new();
        for r in sqlx::query(spec_sql(&lookup)).bind(self.unit_id).fetch_all(&mut *self.tx).await? {
            stored.insert((r.try_get("year")?, r.try_get("record_key")?), r.try_get("content_hash")?);
        }
        Ok(stored)
    }

    /// Calls `f` with each of the unit's stored records of `kind` — its cells, those of the columns `fields`
    /// read and the others null, and its content hash — in the order stored, reading a page at a time so that
    /// memory does not grow with the kind.
    pub async fn for_each_stored(
        &mut self,
        kind: &RecordKindSpec,
        fields: &[&str],
        mut f: impl FnMut(Vec<Cell>, String),
    ) -> Result<(), StoreError> {
        const PAGE: i64 = 20_000;
        let read: Vec<usize> = (0..kind.columns.len()).filter(|i| fields.contains(&kind.columns[*i].field.as_str())).collect();
        let names: Vec<&str> = read.iter().map(|i| kind.columns[*i].field.as_str()).collect();
        let sql = format!(
            "SELECT id, content_hash, {} FROM {} WHERE unit_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            names.join(", "),
            kind.table
        );
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(spec_sql(&sql)).bind(self.unit_id).bind(after).bind(PAGE).fetch_all(&mut *self.tx).await?;
            for r in &rows {
                let mut cells = vec![Cell::Null; kind.columns.len()];
                for &i in &read {
                    let c = &kind.columns[i];
                    cells[i] = read_cell(r, &c.field, &c.value_type)?;
                }
                f(cells, r.try_get("content_hash")?);
                after = r.try_get("id")?;
            }
            if (rows.len() as i64) < PAGE {
                return Ok(());
            }
        }
    }

    /// Notes a record that makes the import impossible (stored under the same key with other content).
    pub fn conflict(&mut self, message: String) {
        self.conflicts.push(message);
    }

    pub fn has_conflicts(&self) -> bool {
        !self.conflicts.is_empty()
    }

    /// Counts records already stored with the same content.
    pub fn unchanged(&mut self, n: usize) {
        self.outcome.unchanged += n;
    }

    /// What has been written so far.
    pub fn outcome(&self) -> ApplyOutcome {
        self.outcome
    }

    /// Inserts new records of `kind`, each with its content hash (its fingerprint), and chains them.
    pub async fn insert(&mut self, kind: &RecordKindSpec, rows: &[NewRecord]) -> Result<(), StoreError> {
        let columns: Vec<&str> = kind.columns.iter().map(|c| c.field.as_str()).collect();
        let per_row = 4 + columns.len();
        let mut next_id = match self.next_ids.get(&kind.table) {
            Some(id) => *id,
            None => {
                let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {}", kind.table);
                let max: i64 = sqlx::query_scalar(spec_sql(&sql)).fetch_one(&mut *self.tx).await?;
                max + 1
            }
        };
        for chunk in rows.chunks(INSERT_CHUNK_PARAMETERS / per_row) {
            let insert = format!(
                "INSERT INTO {} (id, unit_id, batch_id, content_hash, {}) VALUES {}",
                kind.table,
                columns.join(", "),
                values_list(self.backend, chunk.len(), per_row),
            );
            let mut q = sqlx::query(spec_sql(&insert));
            let mut links = Vec::with_capacity(chunk.len());
            // The chain takes a kind's records in id order, as `verify_chain` and `chain::append` do: here the
            // order of the rows.
            for (id, (hash, cells)) in (next_id..).zip(chunk) {
                q = q.bind(id).bind(self.unit_id).bind(self.batch_id).bind(hash.clone());
                for (c, cell) in kind.columns.iter().zip(cells) {
                    q = bind_cell(q, &c.value_type, cell);
                }
                let canonical = chain::canonical_of(kind, id, self.unit_id, self.batch_id, hash, cells);
                let next = chain::link(&self.chain_hash, &canonical);
                self.chain_length += 1;
                links.push((self.chain_length, id, std::mem::replace(&mut self.chain_hash, next.clone()), next));
                self.account(kind, cells)?;
            }
            q.execute(&mut *self.tx).await?;
            chain::insert_links(&mut self.tx, self.backend, &kind.table, &links).await?;
            next_id += chunk.len() as i64;
            self.outcome.added += chunk.len();
        }
        self.next_ids.insert(kind.table.clone(), next_id);
        Ok(())
    }

    /// The closed-period check and the line-month and procurement totals of one new record.
    fn account(&mut self, kind: &RecordKindSpec, cells: &[Cell]) -> Result<(), StoreError> {
        let (year, key) = kind.year_key(cells);
        let date = kind.cell(cells, "date").as_str().and_then(Date::parse);
        if let Some(p) = self.closed.iter().find(|p| p.holds(year as i32, date)) {
            let when = date.map(|d| format!("日期 {d}")).unwrap_or_else(|| format!("{year}年度"));
            self.refused.push(format!("{}「{key}」（{when}）属已结账的{}，不能再录入 [period-closed]", kind.label, p.chinese()));
        }
        let corrupt = |message: String| StoreError::Corrupt { kind: kind.id.clone(), message };
        match kind.kind {
            RecordKind::BudgetVouchers => {
                let mut one = RecordSet::default();
                one.push_cells(kind, cells).map_err(corrupt)?;
                let v = &one.budget_vouchers[0];
                self.totals.entry((v.year, v.line_code.clone(), month_of(v.date))).or_default().add_budget_voucher(v);
            }
            RecordKind::Expenditures => {
                // The hot path of a large import: read straight from the cells, not through a typed record.
                let date = date.ok_or_else(|| corrupt(format!("支出凭证「{key}」没有日期")))?;
                let line = kind.cell(cells, "line_code").as_str().unwrap_or_default().to_string();
                let amount = Fen(kind.cell(cells, "amount").as_i64().unwrap_or_default());
                let year = year as i32;
                if let Some(reference) = kind.cell(cells, "procurement_ref").as_string() {
                    add_procurement_expenditure_of(&mut self.procurement_totals, (year, line.clone(), reference.clone()), amount);
                }
                self.totals.entry((year, line, month_of(date))).or_default().add_expenditure_amount(amount);
            }
            _ => {}
        }
        Ok(())
    }

    /// Rolls everything back.
    pub async fn abort(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Commits the import, or — on a conflict or a record in a closed period — rolls it back and says why.
    pub async fn finish(mut self) -> Result<ApplyOutcome, StoreError> {
        if !self.conflicts.is_empty() {
            self.tx.rollback().await?;
            return Err(StoreError::Conflicts(self.conflicts.join("\n")));
        }
        if !self.refused.is_empty() {
            self.tx.rollback().await?;
            return Err(StoreError::ClosedPeriod(format!(
                "{}\n已结账期间不再接受新记录；更正已结账期间的凭证，请在未结账期间录入冲销凭证（冲销凭证号指向原凭证）。",
                self.refused.join("\n")
            )));
        }
        if self.backend == Backend::Postgres {
            // The ids were given explicitly: move each identity past them, for the next writer.
            for (table, next) in &self.next_ids {
                sqlx::query("SELECT setval(pg_get_serial_sequence($1, 'id'), $2, false)")
                    .bind(table.clone())
                    .bind(*next)
                    .execute(&mut *self.tx)
                    .await?;
            }
        }
        add_month_totals(&mut self.tx, self.backend, self.unit_id, &self.totals).await?;
        add_procurement_totals(&mut self.tx, self.backend, self.unit_id, &self.procurement_totals).await?;
        sqlx::query("UPDATE chain_head SET length = $1, hash = $2, started = 1 WHERE id = 1")
            .bind(self.chain_length)
            .bind(self.chain_hash.clone())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("UPDATE import_batch SET added = $1, unchanged = $2 WHERE id = $3")
            .bind(self.outcome.added as i64)
            .bind(self.outcome.unchanged as i64)
            .bind(self.batch_id)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(self.outcome)
    }
}

/// The import session writes through the writer: one transaction, committed by `finish`.
impl ImportSink for ImportWriter {
    type Error = StoreError;

    async fn for_each_stored<F>(&mut self, kind: RecordKind, fields: &[&str], f: F) -> Result<(), StoreError>
    where
        F: FnMut(Vec<Cell>, String) + Send,
    {
        ImportWriter::for_each_stored(self, kind.spec(), fields, f).await
    }

    async fn insert(&mut self, kind: RecordKind, rows: &[NewRecord]) -> Result<(), StoreError> {
        ImportWriter::insert(self, kind.spec(), rows).await
    }

    fn unchanged(&mut self, n: usize) {
        ImportWriter::unchanged(self, n)
    }

    async fn known_file(&mut self, name: &str, digest: &str) -> Result<Option<usize>, StoreError> {
        let rows: Option<i64> =
            sqlx::query_scalar("SELECT row_count FROM import_file WHERE unit_id = $1 AND name = $2 AND digest = $3 LIMIT 1")
                .bind(self.unit_id)
                .bind(name.to_string())
                .bind(digest.to_string())
                .fetch_optional(&mut *self.tx)
                .await?;
        Ok(rows.map(|n| n as usize))
    }

    async fn record_file(&mut self, name: &str, digest: &str, rows: usize) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO import_file (batch_id, unit_id, name, digest, row_count) VALUES ($1, $2, $3, $4, $5)")
            .bind(self.batch_id)
            .bind(self.unit_id)
            .bind(name.to_string())
            .bind(digest.to_string())
            .bind(rows as i64)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn finish(self) -> Result<Counts, StoreError> {
        ImportWriter::finish(self).await
    }

    async fn abort(self) -> Result<(), StoreError> {
        ImportWriter::abort(self).await
    }
}
