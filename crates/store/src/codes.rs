//! Official 科目 tables loaded into the database (`jixiao codes import`, schema version 12): for this
//! database the latest load of a year replaces the embedded edition of that year.

use crate::{INSERT_CHUNK_PARAMETERS, Store, StoreError, now_unix, spec_sql, values_list};
use jixiao_core::Date;
use jixiao_core::codes::{CodeTables, OfficialRow};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// One stored load of a year's official table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeTableLoad {
    pub year: i32,
    pub source_file: String,
    /// The day it was loaded (UTC), as YYYY-MM-DD.
    pub loaded_on: String,
    pub rows: Vec<OfficialRow>,
}

impl CodeTableLoad {
    /// The edition this load makes: strict, named after its file and day.
    pub fn tables(&self) -> CodeTables {
        CodeTables::official(self.year, &self.rows, &self.source_file, &self.loaded_on)
    }
}

fn content_hash(rows: &[OfficialRow]) -> String {
    let mut h = Sha256::new();
    for r in rows {
        h.update(r.code.as_bytes());
        h.update([0]);
        h.update(r.name.as_bytes());
        h.update([0]);
    }
    format!("{:x}", h.finalize())
}

impl Store {
    /// Stores a year's official table (rows in code order, codes unique). Returns whether it was new: the
    /// same content as the year's latest load adds nothing.
    pub async fn load_code_table(&self, year: i32, source_file: &str, rows: &[OfficialRow]) -> Result<bool, StoreError> {
        let hash = content_hash(rows);
        let mut tx = self.pool.begin().await?;
        let latest: Option<String> =
            sqlx::query_scalar("SELECT content_hash FROM code_table_load WHERE year = $1 ORDER BY id DESC LIMIT 1")
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
        if latest.as_deref() == Some(hash.as_str()) {
            return Ok(false);
        }
        let load_id: i64 = sqlx::query_scalar(
            "INSERT INTO code_table_load (year, source_file, loaded_at, row_count, content_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(i64::from(year))
        .bind(source_file.to_string())
        .bind(now_unix())
        .bind(rows.len() as i64)
        .bind(hash)
        .fetch_one(&mut *tx)
        .await?;
        for chunk in rows.chunks(INSERT_CHUNK_PARAMETERS / 3) {
            let sql = format!("INSERT INTO code_table_row (load_id, code, name) VALUES {}", values_list(self.backend(), chunk.len(), 3));
            let mut q = sqlx::query(spec_sql(&sql));
            for r in chunk {
                q = q.bind(load_id).bind(r.code.clone()).bind(r.name.clone());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The latest load of every year that has one, by year.
    pub async fn code_tables(&self) -> Result<Vec<CodeTableLoad>, StoreError> {
        let loads = sqlx::query(
            "SELECT l.id, l.year, l.source_file, l.loaded_at FROM code_table_load l \
             WHERE l.id = (SELECT MAX(m.id) FROM code_table_load m WHERE m.year = l.year) ORDER BY l.year",
        )
        .fetch_all(&self.reader)
        .await?;
        let mut out = Vec::with_capacity(loads.len());
        for l in loads {
            let id: i64 = l.try_get("id")?;
            let rows = sqlx::query("SELECT code, name FROM code_table_row WHERE load_id = $1 ORDER BY code")
                .bind(id)
                .fetch_all(&self.reader)
                .await?
                .iter()
                .map(|r| Ok(OfficialRow { code: r.try_get("code")?, name: r.try_get("name")? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let loaded_at: i64 = l.try_get("loaded_at")?;
            out.push(CodeTableLoad {
                year: i32::try_from(l.try_get::<i64, _>("year")?).unwrap_or_default(),
                source_file: l.try_get("source_file")?,
                loaded_on: Date::from_unix_days(loaded_at.div_euclid(86_400)).map(|d| d.to_string()).unwrap_or_default(),
                rows,
            });
        }
        Ok(out)
    }
}
