//! Storage of a database's units and their records, over sqlx's Any driver: SQLite by default
//! (`sqlite://jixiao.db`), PostgreSQL for a finance bureau (`postgres://…`), with the same SQL.
//!
//! Records are only ever inserted. An import is applied in one transaction: a record whose key is new is
//! inserted, one already stored with the same content is skipped, and one stored with other content aborts
//! the whole import.

pub mod chain;
pub mod codes;
pub mod consolidate;
mod notable;
pub mod period;
pub mod profile;
pub mod schema;
pub mod summary;
pub mod web;
pub mod writer;

use jixiao_core::books::Books;
use jixiao_core::books::{ExpenditureTotals, LineBudget, LineSpending, MonthKey, MonthTotal, ProcurementKey};
use jixiao_core::records::{Batch, RecordSet, UnitProfile, UnitYear};
use jixiao_core::schema::{Cell, ValueType, fingerprint, fingerprint_cells, record_kinds};
use jixiao_core::{Date, Fen};
use jixiao_import::validate::{Keys, Standing};
use schema::Backend;
use serde_json::{Map, Value};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// SQL built from the record-kind spec: table and column names come from the embedded, reviewed data file,
/// never from user input, and every value is bound as a parameter.
pub(crate) fn spec_sql(sql: &str) -> AssertSqlSafe<&str> {
    AssertSqlSafe(sql)
}

/// The VALUES list of a multi-row INSERT of `rows` rows of `columns` parameters each. PostgreSQL numbers its
/// parameters (`$1, $2, …`); SQLite gets anonymous `?`, bound in order: sqlx looks each numbered SQLite
/// parameter up by name, which SQLite answers by a linear search, so binding thousands of `$n` costs time
/// quadratic in their number (it was most of an import's time).
pub(crate) fn values_list(backend: Backend, rows: usize, columns: usize) -> String {
    let row = |r: usize| match backend {
        Backend::Sqlite => format!("({})", vec!["?"; columns].join(", ")),
        Backend::Postgres => format!("({})", (1..=columns).map(|c| format!("${}", r * columns + c)).collect::<Vec<_>>().join(", ")),
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// Adds line-month totals to those stored (a new line-month gets a row), a few hundred rows a statement.
async fn add_month_totals(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    unit_id: i64,
    totals: &BTreeMap<MonthKey, MonthTotal>,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 10;
    let totals: Vec<_> = totals.iter().collect();
    for chunk in totals.chunks(INSERT_CHUNK_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO line_month_total (unit_id, year, line_code, period, carry_over, initial, adjustments, spent, budget_vouchers, expenditures) \
             VALUES {} ON CONFLICT (unit_id, year, line_code, period) DO UPDATE SET \
             carry_over = line_month_total.carry_over + excluded.carry_over, initial = line_month_total.initial + excluded.initial, \
             adjustments = line_month_total.adjustments + excluded.adjustments, spent = line_month_total.spent + excluded.spent, \
             budget_vouchers = line_month_total.budget_vouchers + excluded.budget_vouchers, expenditures = line_month_total.expenditures + excluded.expenditures",
            values_list(backend, chunk.len(), COLUMNS)
        );
        let mut q = sqlx::query(spec_sql(&sql));
        for ((year, line, period), t) in chunk {
            q = q
                .bind(unit_id)
                .bind(i64::from(*year))
                .bind(line.clone())
                .bind(i64::from(*period))
                .bind(t.budget.carry_over.0)
                .bind(t.budget.initial.0)
                .bind(t.budget.adjustments.0)
                .bind(t.spending.0)
                .bind(t.budget_vouchers)
                .bind(t.expenditures);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Adds procurement payment totals to those stored (a new year-line-procurement gets a row).
pub(crate) async fn add_procurement_totals(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    unit_id: i64,
    totals: &BTreeMap<ProcurementKey, LineSpending>,
) -> Result<(), StoreError> {
    const COLUMNS: usize = 6;
    let totals: Vec<_> = totals.iter().collect();
    for chunk in totals.chunks(INSERT_CHUNK_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO procurement_payment_total (unit_id, year, line_code, procurement_ref, paid, payments) VALUES {} \
             ON CONFLICT (unit_id, year, line_code, procurement_ref) DO UPDATE SET \
             paid = procurement_payment_total.paid + excluded.paid, payments = procurement_payment_total.payments + excluded.payments",
            values_list(backend, chunk.len(), COLUMNS)
        );
        let mut q = sqlx::query(spec_sql(&sql));
        for ((year, line, reference), t) in chunk {
            q = q.bind(unit_id).bind(i64::from(*year)).bind(line.clone()).bind(reference.clone()).bind(t.amount.0).bind(t.expenditures);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Bound parameters per multi-row INSERT (SQLite allows 32 766, PostgreSQL 65 535).
const INSERT_CHUNK_PARAMETERS: usize = 8_000;

static MIGRATIONS_SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATIONS_POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("不支持的数据库地址「{0}」：应以 sqlite:// 或 postgres:// 开头")]
    UnsupportedUrl(String),
    #[error("数据库中没有单位「{0}」")]
    UnknownUnit(String),
    #[error("单位「{unit}」没有 {year} 年度的数据")]
    UnknownYear { unit: String, year: i32 },
    #[error("{0}")]
    Conflicts(String),
    /// New records dated in (or, for a closed year, belonging to) a closed period; one line per record.
    #[error("{0}")]
    ClosedPeriod(String),
    #[error("数据库中的记录无法读取（{kind}）：{message}")]
    Corrupt { kind: String, message: String },
}

/// What applying a batch or an import did: records added, and records already stored unchanged.
pub use jixiao_import::session::Counts as ApplyOutcome;
pub use profile::{ProfileChange, ProfileVersion};
pub use writer::ImportOptions;

/// A record stored under the same key with other content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub kind: String,
    pub year: i64,
    pub key: String,
}

/// A handle on the database; cloning it shares the connection pool.
#[derive(Clone)]
pub struct Store {
    /// Writes and transactions. For SQLite one connection: one writer at a time keeps imports serial.
    pub(crate) pool: AnyPool,
    /// Plain reads. For SQLite a few connections of their own, which in WAL mode read the last committed state
    /// while the writer works, so pages stay quick during an import; for PostgreSQL the same pool.
    pub(crate) reader: AnyPool,
    backend: Backend,
}

/// A SQLite URL without a mode gets `mode=rwc`, so a new file is created rather than refused.
fn normalize_url(url: &str) -> Result<(String, Backend), StoreError> {
    if url.starts_with("sqlite:") {
        let url = if url.contains("mode=") {
            url.to_string()
        } else if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        Ok((url, Backend::Sqlite))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((url.to_string(), Backend::Postgres))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}

pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Binds one cell of a column of `value_type` (a yes/no as 0/1; a null typed as its column).
fn bind_cell<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    value_type: &ValueType,
    cell: &Cell,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match (value_type, cell) {
        (ValueType::Bool, Cell::Bool(b)) => q.bind(Some(i64::from(*b))),
        (t, Cell::Int(n)) if t.is_integer() && *t != ValueType::Bool => q.bind(Some(*n)),
        (t, Cell::Text(s)) if !t.is_integer() => q.bind(Some(s.clone())),
        (t, _) if t.is_integer() => q.bind(None::<i64>),
        _ => q.bind(None::<String>),
    }
}

/// One column of a stored row as a cell of its type.
fn read_cell(row: &AnyRow, field: &str, value_type: &ValueType) -> Result<Cell, sqlx::Error> {
    Ok(match value_type {
        ValueType::Bool => row.try_get::<Option<i64>, _>(field)?.map_or(Cell::Null, |v| Cell::Bool(v != 0)),
        t if t.is_integer() => row.try_get::<Option<i64>, _>(field)?.map_or(Cell::Null, Cell::Int),
        _ => row.try_get::<Option<String>, _>(field)?.map_or(Cell::Null, Cell::Text),
    })
}

fn read_value(row: &AnyRow, field: &str, value_type: &ValueType) -> Result<Value, sqlx::Error> {
    Ok(match value_type {
        ValueType::Bool => row.try_get::<Option<i64>, _>(field)?.map(|v| Value::from(v != 0)).unwrap_or(Value::Null),
        t if t.is_integer() => row.try_get::<Option<i64>, _>(field)?.map(Value::from).unwrap_or(Value::Null),
        _ => row.try_get::<Option<String>, _>(field)?.map(Value::from).unwrap_or(Value::Null),
    })
}

/// A record kind's columns, in its order, for a SELECT list.
fn kind_columns(kind: &jixiao_core::schema::RecordKindSpec) -> String {
    kind.columns.iter().map(|c| c.field.as_str()).collect::<Vec<_>>().join(", ")
}

/// A stored row as the record kind's typed cells, in its column order (what `RecordSet::push_cells` takes, as
/// the import session gives it): a record read back takes the same path into its type as one imported.
fn row_cells(kind: &jixiao_core::schema::RecordKindSpec, row: &AnyRow) -> Result<Vec<Cell>, sqlx::Error> {
    kind.columns.iter().map(|c| read_cell(row, &c.field, &c.value_type)).collect()
}

/// A stored row as the record kind's JSON map.
fn row_map(kind: &jixiao_core::schema::RecordKindSpec, row: &AnyRow) -> Result<Map<String, Value>, sqlx::Error> {
    let mut map = Map::new();
    for c in &kind.columns {
        map.insert(c.field.clone(), read_value(row, &c.field, &c.value_type)?);
    }
    Ok(map)
}

/// Adds stored rows to `into` by their id.
fn by_id(
    into: &mut BTreeMap<i64, Map<String, Value>>,
    kind: &jixiao_core::schema::RecordKindSpec,
    rows: Vec<AnyRow>,
) -> Result<(), StoreError> {
    for row in rows {
        into.insert(row.try_get("id")?, row_map(kind, &row)?);
    }
    Ok(())
}

fn profile_hash(unit: &UnitProfile) -> String {
    match serde_json::to_value(unit) {
        Ok(Value::Object(m)) => fingerprint(&m),
        _ => String::new(),
    }
}

impl Store {
    /// Opens (and creates, for SQLite) the database at `url` and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = normalize_url(url)?;
        // One SQLite writer at a time keeps imports serial; PostgreSQL gets a small pool.
        let connections = if backend == Backend::Sqlite { 1 } else { 4 };
        let pool = AnyPoolOptions::new().max_connections(connections).connect(&url).await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA foreign_keys = ON").execute(&pool).await?;
        }
        match backend {
            Backend::Sqlite => MIGRATIONS_SQLITE.run(&pool).await?,
            Backend::Postgres => MIGRATIONS_POSTGRES.run(&pool).await?,
        }
        let reader = match backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
                // In WAL mode NORMAL keeps every commit atomic and the file consistent after a crash; only the
                // last commit may be lost on power failure (not on a killed process). A larger page cache
                // keeps a big import's index pages in memory instead of spilling them to the log mid-transaction.
                sqlx::query("PRAGMA synchronous = NORMAL").execute(&pool).await?;
                sqlx::query("PRAGMA cache_size = -32768").execute(&pool).await?;
                // A file connection does not drop: no ping before each use, which would double the round
                // trips to the connection's thread on every read.
                AnyPoolOptions::new()
                    .max_connections(4)
                    .test_before_acquire(false)
                    .after_connect(|conn, _| {
                        Box::pin(async move { sqlx::query("PRAGMA foreign_keys = ON").execute(conn).await.map(|_| ()) })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => pool.clone(),
        };
        let store = Store { pool, reader, backend };
        store.start_chain().await?;
        Ok(store)
    }

    /// Writes a consistent copy of a SQLite database into a new file `path` while it stays in use (SQLite's
    /// `VACUUM INTO`). PostgreSQL databases are copied with pg_dump instead.
    pub async fn vacuum_into(&self, path: &str) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl("VACUUM INTO 只用于 SQLite".into()));
        }
        sqlx::query("VACUUM INTO $1").bind(path.to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for the connections to be returned and closes them; SQLite then checkpoints its write-ahead log
    /// into the database file and removes it.
    pub async fn close(&self) {
        self.reader.close().await;
        self.pool.close().await;
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Units as (code, name), by code.
    pub async fn units(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT code, name FROM unit ORDER BY code").fetch_all(&self.reader).await?;
        rows.iter().map(|r| Ok((r.try_get("code")?, r.try_get("name")?))).collect()
    }

    async fn unit_id(&self, code: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM unit WHERE code = $1").bind(code.to_string()).fetch_optional(&self.reader).await?)
    }

    /// The unit's current profile (the version in force for its newest year), or `None` when the database has
    /// no such unit. The books of a year carry the version in force for that year (`Store::unit_in`).
    pub async fn unit(&self, code: &str) -> Result<Option<UnitProfile>, StoreError> {
        let Some(id) = self.unit_id(code).await? else { return Ok(None) };
        Ok(Some(profile::current(&mut *self.reader.acquire().await?, id).await?))
    }

    /// The unit's fiscal years, ascending.
    pub async fn years(&self, code: &str) -> Result<Vec<UnitYear>, StoreError> {
        let id = self.unit_id(code).await?.ok_or_else(|| StoreError::UnknownUnit(code.to_string()))?;
        let rows = sqlx::query("SELECT year, report_date FROM unit_year WHERE unit_id = $1 ORDER BY year")
            .bind(id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                let year: i64 = r.try_get("year")?;
                let date: Option<String> = r.try_get("report_date")?;
                Ok(UnitYear { year: year as i32, report_date: date.as_deref().and_then(Date::parse) })
            })
            .collect()
    }

    /// All records of a unit (every year), in the order they were stored. Empty for an unknown unit.
    pub async fn records(&self, code: &str) -> Result<RecordSet, StoreError> {
        match self.unit_id(code).await? {
            Some(id) => self.load_records(id, None).await,
            None => Ok(RecordSet::default()),
        }
    }

    /// The records of unit `id` — of one year, or of every year — in the order they were stored; without the
    /// kind `skip`, if given.
    async fn load_records(&self, id: i64, year: Option<i32>) -> Result<RecordSet, StoreError> {
        self.load_records_but(id, year, None).await
    }

    async fn load_records_but(&self, id: i64, year: Option<i32>, skip: Option<&str>) -> Result<RecordSet, StoreError> {
        let mut set = RecordSet::default();
        for kind in record_kinds().iter().filter(|k| Some(k.id.as_str()) != skip) {
            let filter = if year.is_some() { " AND year = $2" } else { "" };
            let sql = format!("SELECT {} FROM {} WHERE unit_id = $1{filter} ORDER BY id", kind_columns(kind), kind.table);
            let mut query = sqlx::query(spec_sql(&sql)).bind(id);
            if let Some(y) = year {
                query = query.bind(i64::from(y));
            }
            for row in query.fetch_all(&self.reader).await? {
                set.push_cells(kind, &row_cells(kind, &row)?).map_err(|message| StoreError::Corrupt { kind: kind.id.clone(), message })?;
            }
        }
        Ok(set)
    }

    /// The unit's profile in force for the year, the unit-year and the unit's id, or the error naming what is missing.
    async fn unit_year(&self, code: &str, year: i32) -> Result<(UnitProfile, UnitYear, i64), StoreError> {
        let unit = self.unit_in(code, year).await?.ok_or_else(|| StoreError::UnknownUnit(code.to_string()))?;
        let unit_year = self
            .years(code)
            .await?
            .into_iter()
            .find(|y| y.year == year)
            .ok_or_else(|| StoreError::UnknownYear { unit: code.to_string(), year })?;
        let id = self.unit_id(code).await?.ok_or_else(|| StoreError::UnknownUnit(code.to_string()))?;
        Ok((unit, unit_year, id))
    }

    /// One unit-year's books, every voucher included (what the voucher pages and the journal export read).
    pub async fn books(&self, code: &str, year: i32) -> Result<Books, StoreError> {
        let (unit, unit_year, id) = self.unit_year(code, year).await?;
        let records = self.load_records(id, Some(year)).await?;
        Ok(Books::new(unit, unit_year, records))
    }

    /// A unit-year's expenditures whose `column` (a column name of this crate's choosing, e.g. `line_code`,
    /// `voucher_no`) equals `value`, in the order stored: what the web's line and voucher pages read beside
    /// books in summary form.
    pub async fn expenditures_with(
        &self,
        code: &str,
        year: i32,
        column: &'static str,
        value: &str,
    ) -> Result<Vec<jixiao_core::records::Expenditure>, StoreError> {
        let Some(id) = self.unit_id(code).await? else { return Ok(Vec::new()) };
        let Some(kind) = record_kinds().iter().find(|k| k.id == "expenditures") else { return Ok(Vec::new()) };
        let sql =
            format!("SELECT {} FROM {} WHERE unit_id = $1 AND year = $2 AND {column} = $3 ORDER BY id", kind_columns(kind), kind.table);
        let mut set = RecordSet::default();
        for row in sqlx::query(spec_sql(&sql)).bind(id).bind(i64::from(year)).bind(value.to_string()).fetch_all(&self.reader).await? {
            set.push_cells(kind, &row_cells(kind, &row)?).map_err(|message| StoreError::Corrupt { kind: kind.id.clone(), message })?;
        }
        Ok(set.expenditures)
    }

    /// One unit-year's books in summary form (`Books::summarize`): every record but the expenditures, the
    /// stored line-month totals, and only the expenditures a voucher filter of the books check matches
    /// (`jixiao_core::check::voucher_filters`, translated to SQL in `notable.rs`), and the originals of
    /// matched reversals, each read through an index. What reports, the books check and the
    /// evaluation read: the cost grows with the lines and the notable vouchers, not with the year's vouchers.
    pub async fn books_summary(&self, code: &str, year: i32) -> Result<Books, StoreError> {
        let (unit, unit_year, id) = self.unit_year(code, year).await?;
        let records = self.load_records_but(id, Some(year), Some("expenditures")).await?;
        let mut books = Books::new(unit, unit_year, records);
        let totals = ExpenditureTotals {
            by_line_month: self.month_totals_of(id, year).await?,
            by_procurement: self.procurement_totals_of(id, year).await?,
        };
        let Some(kind) = record_kinds().iter().find(|k| k.id == "expenditures") else {
            return Err(StoreError::Corrupt { kind: "expenditures".into(), message: "记录种类定义中没有支出凭证".into() });
        };
        let select = format!("SELECT id, {} FROM {} WHERE unit_id = $1 AND year = $2", kind_columns(kind), kind.table);
        let y = i64::from(year);
        // Notable rows by id, so that they keep the order they were stored in.
        let mut notable: BTreeMap<i64, Map<String, Value>> = BTreeMap::new();
        // The books hold no expenditure yet: the filters are built from the other records.
        for filter in jixiao_core::check::voucher_filters(&books) {
            for (condition, binds) in notable::conditions(&filter, &totals) {
                let sql = format!("{select} AND {condition}");
                let mut q = sqlx::query(spec_sql(&sql)).bind(id).bind(y);
                for b in binds {
                    q = match b {
                        notable::Bind::Int(v) => q.bind(v),
                        notable::Bind::Text(v) => q.bind(v),
                    };
                }
                by_id(&mut notable, kind, q.fetch_all(&self.reader).await?)?;
            }
        }
        // The originals of the notable reversals.
        let originals: Vec<String> =
            notable.values().filter_map(|m| m.get("reverses").and_then(Value::as_str)).map(str::to_string).collect();
        for chunk in originals.chunks(500) {
            let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
            let mut q = sqlx::query(spec_sql(&format!("{select} AND voucher_no IN ({})", placeholders.join(", ")))).bind(id).bind(y);
            for key in chunk {
                q = q.bind(key.clone());
            }
            by_id(&mut notable, kind, q.fetch_all(&self.reader).await?)?;
        }
        for (_, map) in notable {
            books.records.push_row(&kind.id, map).map_err(|message| StoreError::Corrupt { kind: kind.id.clone(), message })?;
        }
        books.expenditure_totals = Some(totals);
        Ok(books)
    }

    /// Applies a batch in one transaction: all of it, or (on any conflict or error) none of it.
    pub async fn apply(&self, batch: &Batch, source: &str) -> Result<ApplyOutcome, StoreError> {
        self.apply_with_progress(batch, source, &|_| {}).await
    }

    /// [`Store::apply`] for records a signed-in user entered: the batch keeps the user (segregation of duties).
    pub async fn apply_entered_by(&self, batch: &Batch, source: &str, user: &str) -> Result<ApplyOutcome, StoreError> {
        self.apply_inner(batch, source, Some(user), &|_| {}).await
    }

    /// [`Store::apply`], calling `progress` with the number of records handled so far.
    pub async fn apply_with_progress(
        &self,
        batch: &Batch,
        source: &str,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ApplyOutcome, StoreError> {
        self.apply_inner(batch, source, None, progress).await
    }

    /// Who entered a stored record: the user of its batch, or the batch's source when it came from a file.
    pub async fn entered_by(&self, code: &str, kind_id: &str, year: i32, key: &str) -> Result<Option<String>, StoreError> {
        let Some(kind) = record_kinds().iter().find(|k| k.id == kind_id) else { return Ok(None) };
        let Some(unit_id) = self.unit_id(code).await? else { return Ok(None) };
        let sql = format!(
            "SELECT COALESCE(b.entered_by, b.source) AS who FROM {} r JOIN import_batch b ON b.id = r.batch_id WHERE r.unit_id = $1 AND r.year = $2 AND r.{} = $3",
            kind.table, kind.key
        );
        let row = sqlx::query(spec_sql(&sql)).bind(unit_id).bind(i64::from(year)).bind(key.to_string()).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("who")).transpose()?)
    }

    async fn apply_inner(
        &self,
        batch: &Batch,
        source: &str,
        entered_by: Option<&str>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ApplyOutcome, StoreError> {
        let mut writer = self.begin_import(&batch.unit, &batch.years, source, entered_by, None).await?;
        let mut done = 0usize;
        for kind in record_kinds() {
            let rows = batch.records.rows(&kind.id);
            if rows.is_empty() {
                continue;
            }
            // What the unit already holds of this kind, read once; the import's `Keys` decides, as in a
            // session, whether each record is new, unchanged or conflicting. (A session also checks the ledger
            // rules, references and budget control; a batch of typed records is written as given.)
            let mut keys = Keys::default();
            for ((year, key), hash) in writer.stored_hashes(kind).await? {
                keys.stored(kind.kind, year, &key, &hash);
            }
            let mut fresh: Vec<(String, Vec<Cell>)> = Vec::new();
            for (row, cells) in batch.records.cells(kind).into_iter().enumerate() {
                let hash = fingerprint_cells(kind, &cells);
                let (year, key) = kind.year_key(&cells);
                match keys.admit(kind.kind, year, key, &hash, u32::try_from(row + 1).unwrap_or(u32::MAX)) {
                    Standing::New => {
                        fresh.push((hash, cells));
                        continue;
                    }
                    // A record the batch repeats with the same content counts as unchanged, as a stored one.
                    Standing::Unchanged | Standing::Repeated { same: true, .. } => writer.unchanged(1),
                    Standing::Conflicting | Standing::Repeated { same: false, .. } => {
                        writer.conflict(format!("{}「{}」（{}年度）已存在且内容不同", kind.label, key, year))
                    }
                }
                done += 1;
                progress(done);
            }
            if writer.has_conflicts() {
                continue; // nothing will be written; keep looking for conflicts to report them all
            }
            for chunk in fresh.chunks(INSERT_CHUNK_PARAMETERS / (3 + kind.columns.len())) {
                writer.insert(kind, chunk).await?;
                done += chunk.len();
                progress(done);
            }
        }
        writer.finish().await
    }

    /// The line-month totals of a unit-year, as stored (kept by `apply`); by line code, then month.
    pub async fn month_totals(&self, code: &str, year: i32) -> Result<BTreeMap<MonthKey, MonthTotal>, StoreError> {
        let id = self.unit_id(code).await?.ok_or_else(|| StoreError::UnknownUnit(code.to_string()))?;
        self.month_totals_of(id, year).await
    }

    /// The procurement payment totals of a unit-year, as stored (kept by `apply`).
    pub async fn procurement_totals(&self, code: &str, year: i32) -> Result<BTreeMap<ProcurementKey, LineSpending>, StoreError> {
        let id = self.unit_id(code).await?.ok_or_else(|| StoreError::UnknownUnit(code.to_string()))?;
        self.procurement_totals_of(id, year).await
    }

    async fn procurement_totals_of(&self, id: i64, year: i32) -> Result<BTreeMap<ProcurementKey, LineSpending>, StoreError> {
        let rows = sqlx::query(
            "SELECT line_code, procurement_ref, paid, payments FROM procurement_payment_total WHERE unit_id = $1 AND year = $2",
        )
        .bind(id)
        .bind(i64::from(year))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    (year, r.try_get("line_code")?, r.try_get("procurement_ref")?),
                    LineSpending { amount: Fen(r.try_get("paid")?), expenditures: r.try_get("payments")? },
                ))
            })
            .collect()
    }

    async fn month_totals_of(&self, id: i64, year: i32) -> Result<BTreeMap<MonthKey, MonthTotal>, StoreError> {
        let rows = sqlx::query(
            "SELECT line_code, period, carry_over, initial, adjustments, spent, budget_vouchers, expenditures \
             FROM line_month_total WHERE unit_id = $1 AND year = $2",
        )
        .bind(id)
        .bind(i64::from(year))
        .fetch_all(&self.reader)
        .await?;
        let mut out = BTreeMap::new();
        for r in rows {
            let total = MonthTotal {
                budget: LineBudget {
                    carry_over: Fen(r.try_get("carry_over")?),
                    initial: Fen(r.try_get("initial")?),
                    adjustments: Fen(r.try_get("adjustments")?),
                },
                spending: Fen(r.try_get("spent")?),
                budget_vouchers: r.try_get("budget_vouchers")?,
                expenditures: r.try_get("expenditures")?,
            };
            let period: i64 = r.try_get("period")?;
            out.insert((year, r.try_get("line_code")?, period as i32), total);
        }
        Ok(out)
    }

    /// Row counts of every record table, for tests and `jixiao` status lines.
    pub async fn record_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut out = Vec::new();
        for table in
            ["unit", "unit_year", "import_batch"].into_iter().map(String::from).chain(record_kinds().iter().map(|k| k.table.clone()))
        {
            let n: i64 =
                sqlx::query_scalar(spec_sql(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))).fetch_one(&self.reader).await?;
            out.push((table, n));
        }
        Ok(out)
    }
}
