//! Stored unit-year summaries (schema version 16, `unit_year_summary`): what a consolidated view prints of a
//! unit-year's books check and evaluation, so a region report reads one row per unit instead of every unit's
//! books. The store only keeps the rows and the facts their key is made of; jixiao-service computes the
//! summaries and the key (it knows the rules), and ignores a row whose key is not the one it computes now.

use crate::consolidate::Scope;
use crate::{Store, StoreError, spec_sql, values_list};
use sqlx::Row;
use std::collections::BTreeMap;

/// A stored summary: the books check's error and warning counts and the rule ids the view lists, the
/// evaluation's total (hundredths of a point) and grade; `key` is the digest it was computed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSummary {
    pub key: String,
    pub errors: i64,
    pub warnings: i64,
    pub rules: Vec<String>,
    pub score: i64,
    pub grade: String,
}

/// What a unit-year's assessment depends on in the store, read in one statement for a whole scope, and its
/// stored summary if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryState {
    /// The unit's id: where its summary is written back ([`Store::store_summaries`]).
    pub unit_id: i64,
    /// The unit's newest import batch id: every write to a unit's books (any year: the prior year's too) is an
    /// import batch, and batch ids only grow, so this changes whenever the books do (as [`Store::books_version`]).
    pub books_version: i64,
    /// The unit profile's content hash and chosen framework.
    pub unit_hash: String,
    pub framework: Option<String>,
    /// The fiscal year's row (content hash), and the prior year's when the store holds it.
    pub year_hash: String,
    pub prior_hash: Option<String>,
    pub stored: Option<StoredSummary>,
}

/// Rule ids are ASCII identifiers; one column holds them joined by this.
const RULES_SEPARATOR: &str = " ";

/// Summary rows per multi-row upsert (8 parameters each).
const UPSERT_CHUNK: usize = 500;

impl Store {
    /// Per unit code in scope with books for `year`: the facts its summary's key is made of and its stored
    /// summary. One statement for the whole scope.
    pub async fn summary_states(&self, scope: &Scope, year: i32) -> Result<BTreeMap<String, SummaryState>, StoreError> {
        let (filter, value) = scope.filter();
        let sql = format!(
            "SELECT u.id AS unit_id, u.code AS code, u.content_hash AS unit_hash, u.framework AS framework, y.content_hash AS year_hash, \
                    p.content_hash AS prior_hash, CAST(COALESCE(b.version, 0) AS BIGINT) AS books_version, \
                    s.summary_key AS summary_key, s.errors AS errors, s.warnings AS warnings, s.rules AS rules, \
                    s.score AS score, s.grade AS grade \
             FROM unit_year y \
             JOIN unit u ON u.id = y.unit_id \
             LEFT JOIN unit_year p ON p.unit_id = y.unit_id AND p.year = y.year - 1 \
             LEFT JOIN (SELECT unit_id, MAX(id) AS version FROM import_batch GROUP BY unit_id) b ON b.unit_id = y.unit_id \
             LEFT JOIN unit_year_summary s ON s.unit_id = y.unit_id AND s.year = y.year \
             WHERE y.year = $1{filter}"
        );
        let mut q = sqlx::query(spec_sql(&sql)).bind(i64::from(year));
        if let Some(v) = value {
            q = q.bind(v);
        }
        let mut out = BTreeMap::new();
        for r in q.fetch_all(&self.reader).await? {
            let stored = match r.try_get::<Option<String>, _>("summary_key")? {
                Some(key) => Some(StoredSummary {
                    key,
                    errors: r.try_get("errors")?,
                    warnings: r.try_get("warnings")?,
                    rules: r.try_get::<String, _>("rules")?.split(RULES_SEPARATOR).filter(|s| !s.is_empty()).map(str::to_string).collect(),
                    score: r.try_get("score")?,
                    grade: r.try_get("grade")?,
                }),
                None => None,
            };
            let state = SummaryState {
                unit_id: r.try_get("unit_id")?,
                books_version: r.try_get("books_version")?,
                unit_hash: r.try_get("unit_hash")?,
                framework: r.try_get("framework")?,
                year_hash: r.try_get("year_hash")?,
                prior_hash: r.try_get("prior_hash")?,
                stored,
            };
            out.insert(r.try_get("code")?, state);
        }
        Ok(out)
    }

    /// Writes (or replaces) the summaries of `year` for these units (by [`SummaryState::unit_id`]), in one
    /// transaction.
    pub async fn store_summaries(&self, year: i32, summaries: &[(i64, StoredSummary)]) -> Result<(), StoreError> {
        if summaries.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for chunk in summaries.chunks(UPSERT_CHUNK) {
            let sql = format!(
                "INSERT INTO unit_year_summary (unit_id, year, summary_key, errors, warnings, rules, score, grade) VALUES {} \
                 ON CONFLICT (unit_id, year) DO UPDATE SET summary_key = excluded.summary_key, errors = excluded.errors, \
                 warnings = excluded.warnings, rules = excluded.rules, score = excluded.score, grade = excluded.grade",
                values_list(self.backend(), chunk.len(), 8)
            );
            let mut q = sqlx::query(spec_sql(&sql));
            for (id, s) in chunk {
                q = q
                    .bind(*id)
                    .bind(i64::from(year))
                    .bind(s.key.clone())
                    .bind(s.errors)
                    .bind(s.warnings)
                    .bind(s.rules.join(RULES_SEPARATOR))
                    .bind(s.score)
                    .bind(s.grade.clone());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
