//! Reading for the consolidated views (a 主管部门, a 财政局's region): the units in scope, their budget execution
//! summed by aggregate SQL — one statement per table for the whole scope, never the vouchers themselves — and a
//! few record kinds of every unit in scope. The per-unit findings and evaluation come from jixiao-service, which
//! reads each unit-year's books (or its stored summary).

use crate::{Store, StoreError, row_cells, spec_sql};
use jixiao_core::Fen;
use jixiao_core::consolidated::{ScopeKind, UnitExecution};
use jixiao_core::records::{RecordSet, UnitProfile};
use jixiao_core::schema::RecordKind;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Which units a consolidated view covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The units whose 主管部门编码 is this.
    Department(String),
    /// The units whose 财政局编码 is this, or (none) every unit in the database.
    Region(Option<String>),
    /// The units of an area by 行政区划代码 (430100 covers 4301xx; see `area_prefix`): what a 财政局 user of the
    /// web app sees, consolidated as a region.
    Area(String),
}

impl Scope {
    /// The filter on `unit u` (and the value bound to `$2`), chosen from fixed texts.
    pub(crate) fn filter(&self) -> (&'static str, Option<String>) {
        match self {
            Scope::Department(code) => (" AND u.department_code = $2", Some(code.clone())),
            Scope::Region(Some(code)) => (" AND u.bureau_code = $2", Some(code.clone())),
            Scope::Region(None) => ("", None),
            Scope::Area(code) => (" AND u.region_code LIKE $2", Some(format!("{}%", jixiao_core::records::area_prefix(code)))),
        }
    }

    pub fn kind(&self) -> ScopeKind {
        match self {
            Scope::Department(_) => ScopeKind::Department,
            Scope::Region(_) | Scope::Area(_) => ScopeKind::Region,
        }
    }
}

impl Store {
    /// The profiles (without duties and offices) of the units in scope, by code.
    pub async fn directory(&self, scope: &Scope) -> Result<Vec<UnitProfile>, StoreError> {
        let (filter, value) = scope.filter();
        let sql = format!(
            "SELECT code, name, region_code, parent_department, department_code, bureau_code, bureau_name, framework FROM unit u WHERE 1 = 1{}",
            filter.replace("$2", "$1")
        );
        let mut q = sqlx::query(spec_sql(&sql));
        if let Some(v) = value {
            q = q.bind(v.clone());
        }
        let mut units = q
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|r| {
                Ok(UnitProfile {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    region_code: r.try_get("region_code")?,
                    parent_department: r.try_get("parent_department")?,
                    department_code: r.try_get("department_code")?,
                    bureau_code: r.try_get("bureau_code")?,
                    bureau_name: r.try_get("bureau_name")?,
                    framework: r.try_get("framework")?,
                    ..UnitProfile::default()
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        // Sorted here, not by ORDER BY: the backends' collations may differ, the output must not.
        units.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(units)
    }

    /// The codes of the units in scope that have books for `year`.
    pub async fn units_with_year(&self, scope: &Scope, year: i32) -> Result<BTreeSet<String>, StoreError> {
        let (filter, value) = scope.filter();
        let sql = format!("SELECT u.code AS code FROM unit_year y JOIN unit u ON u.id = y.unit_id WHERE y.year = $1{filter}");
        let mut q = sqlx::query_scalar::<_, String>(spec_sql(&sql)).bind(i64::from(year));
        if let Some(v) = value {
            q = q.bind(v.clone());
        }
        Ok(q.fetch_all(&self.reader).await?.into_iter().collect())
    }

    /// Per unit code in scope, its records of `year` of the given kinds, in the order they were stored: one
    /// statement per kind for the whole scope, for a view over many units that needs only these kinds of each
    /// unit's books (the 财政局's monitoring list: `jixiao_core::monitoring::STATUS_KINDS`). A unit without such
    /// records is absent.
    pub async fn scope_records(&self, scope: &Scope, year: i32, kinds: &[RecordKind]) -> Result<BTreeMap<String, RecordSet>, StoreError> {
        let (filter, value) = scope.filter();
        let mut out: BTreeMap<String, RecordSet> = BTreeMap::new();
        for kind in kinds.iter().map(|k| k.spec()) {
            let columns: Vec<String> = kind.columns.iter().map(|c| format!("r.{}", c.field)).collect();
            let sql = format!(
                "SELECT u.code AS scope_unit_code, {} FROM {} r JOIN unit u ON u.id = r.unit_id WHERE r.year = $1{filter} ORDER BY r.id",
                columns.join(", "),
                kind.table
            );
            let mut q = sqlx::query(spec_sql(&sql)).bind(i64::from(year));
            if let Some(v) = &value {
                q = q.bind(v.clone());
            }
            for row in q.fetch_all(&self.reader).await? {
                let set = out.entry(row.try_get("scope_unit_code")?).or_default();
                set.push_cells(kind, &row_cells(kind, &row)?).map_err(|message| StoreError::Corrupt { kind: kind.id.clone(), message })?;
            }
        }
        Ok(out)
    }

    /// Each unit's 全年预算数 and 本年支出合计 for `year`, summed in the database from the line-month totals
    /// (`line_month_total`, kept by `apply`): one aggregate statement for the whole scope, over a dozen rows
    /// per line rather than over the vouchers. Equal to [`UnitExecution::of_books`] on each unit's books
    /// (tested on both backends). Units without vouchers or expenditures are absent or have zero counts.
    pub async fn execution_totals(&self, scope: &Scope, year: i32) -> Result<BTreeMap<String, UnitExecution>, StoreError> {
        let (filter, value) = scope.filter();
        // A voucher counts towards the budget when its line is among the year's lines, as in the unit report.
        // PostgreSQL's SUM over BIGINT is NUMERIC, which the Any driver cannot read: cast every aggregate.
        let sql = format!(
            "SELECT u.code AS code, \
                    CAST(SUM(CASE WHEN l.id IS NULL THEN 0 ELSE t.carry_over + t.initial + t.adjustments END) AS BIGINT) AS annual, \
                    CAST(SUM(t.budget_vouchers) AS BIGINT) AS budget_vouchers, \
                    CAST(SUM(t.spent) AS BIGINT) AS spent, \
                    CAST(SUM(t.expenditures) AS BIGINT) AS expenditures \
             FROM line_month_total t \
             JOIN unit u ON u.id = t.unit_id \
             LEFT JOIN appropriation_line l ON l.unit_id = t.unit_id AND l.year = t.year AND l.line_code = t.line_code \
             WHERE t.year = $1{filter} \
             GROUP BY u.code"
        );
        let mut q = sqlx::query(spec_sql(&sql)).bind(i64::from(year));
        if let Some(v) = value {
            q = q.bind(v);
        }
        let mut out: BTreeMap<String, UnitExecution> = BTreeMap::new();
        for row in q.fetch_all(&self.reader).await? {
            let e = UnitExecution {
                annual: Fen(row.try_get("annual")?),
                spent: Fen(row.try_get("spent")?),
                budget_vouchers: row.try_get("budget_vouchers")?,
                expenditures: row.try_get("expenditures")?,
            };
            out.insert(row.try_get("code")?, e);
        }
        Ok(out)
    }
}
