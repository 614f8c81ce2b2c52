//! Closed periods (结账) in the database: `close` records one; `apply` refuses, inside the import's own
//! transaction and after taking the chain-head lock that `close` also takes, any new record that falls in one.

use crate::{Store, StoreError, now_unix};
use jixiao_core::period::Period;
use sqlx::{AnyConnection, Row};

/// A closed period, for one unit or (unit `None`) for every unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClosedPeriod {
    pub unit: Option<String>,
    pub period: String,
    pub closed_at: i64,
}

/// The periods closed for `unit` (its own and those closed for every unit).
pub(crate) async fn closed_for(conn: &mut AnyConnection, unit: &str) -> Result<Vec<Period>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT period FROM closed_period WHERE unit_code = $1 OR unit_code = ''")
        .bind(unit.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|p| {
            Period::parse(p)
                .ok_or_else(|| StoreError::Corrupt { kind: "closed_period".into(), message: format!("无法识别的期间「{p}」") })
        })
        .collect()
}

impl Store {
    /// Closes `period` for `unit` (or every unit). Returns false when it was already closed.
    pub async fn close_period(&self, unit: Option<&str>, period: Period) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The chain-head lock orders this against imports in flight: they see the close, or finish before it.
        sqlx::query("UPDATE chain_head SET length = length WHERE id = 1").execute(&mut *tx).await?;
        let code = unit.unwrap_or_default().to_string();
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM closed_period WHERE unit_code = $1 AND period = $2")
            .bind(code.clone())
            .bind(period.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Ok(false);
        }
        sqlx::query("INSERT INTO closed_period (unit_code, period, closed_at) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(period.to_string())
            .bind(now_unix())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every closed period, oldest close first.
    pub async fn closed_periods(&self) -> Result<Vec<ClosedPeriod>, StoreError> {
        let rows = sqlx::query("SELECT unit_code, period, closed_at FROM closed_period ORDER BY id").fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let unit: String = r.try_get("unit_code")?;
                Ok(ClosedPeriod {
                    unit: (!unit.is_empty()).then_some(unit),
                    period: r.try_get("period")?,
                    closed_at: r.try_get("closed_at")?,
                })
            })
            .collect()
    }
}
