//! Reading for the consolidated views (a 主管部门, a 财政局's region): the units in scope, their budget execution
//! summed by aggregate SQL — one statement per table for the whole scope, never the vouchers themselves —
//! and, unit by unit, the books check and the evaluation. The layout is jixiao-core's `consolidated::build`.

use crate::{Store, StoreError, spec_sql};
use jixiao_core::check::check;
use jixiao_core::consolidated::{ConsolidationInput, ScopeKind, UnitExecution, UnitSummary};
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_core::records::UnitProfile;
use jixiao_core::Fen;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

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
    fn filter(&self) -> (&'static str, Option<String>) {
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

/// How many units are read and evaluated at once (each holds one unit-year's books in memory).
const WORKERS: usize = 4;

impl Store {
    /// The profiles (without duties and offices) of the units in scope, by code.
    pub async fn directory(&self, scope: &Scope) -> Result<Vec<UnitProfile>, StoreError> {
        let (filter, value) = scope.filter();
        let sql = format!("SELECT code, name, region_code, parent_department, department_code, bureau_code, bureau_name, framework FROM unit u WHERE 1 = 1{}", filter.replace("$2", "$1"));
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

    /// Everything a consolidated view of `year` needs: per unit in scope, the execution sums (aggregate SQL),
    /// the books check and the evaluation under the rules of its region and year (plus `extra_rules`: file
    /// label and text). Units are read a few at a time, one unit-year's books each, then dropped.
    pub async fn consolidation_input(&self, scope: &Scope, year: i32, extra_rules: Option<(&str, &str)>) -> Result<ConsolidationInput, StoreError> {
        let units = self.directory(scope).await?;
        let with_year = self.units_with_year(scope, year).await?;
        let with_prior = self.units_with_year(scope, year - 1).await?;
        let execution = self.execution_totals(scope, year).await?;
        let name = scope_name(scope, &units);
        let extra = extra_rules.map(|(label, text)| (label.to_string(), text.to_string()));

        let queue: Arc<Mutex<Vec<UnitProfile>>> = Arc::new(Mutex::new(units.iter().filter(|u| with_year.contains(&u.code)).rev().cloned().collect()));
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..WORKERS {
            let (store, queue, with_prior, extra) = (self.clone(), queue.clone(), with_prior.clone(), extra.clone());
            let execution = execution.clone();
            workers.spawn(async move {
                let mut done: Vec<UnitSummary> = Vec::new();
                loop {
                    let Some(unit) = queue.lock().expect("queue lock").pop() else { break };
                    let books = store.books_summary(&unit.code, year).await?;
                    let prior = if with_prior.contains(&unit.code) { Some(store.books_summary(&unit.code, year - 1).await?) } else { None };
                    let findings = check(&books);
                    let mut rules = Rules::for_unit_choosing(&books.unit.region_code, year, books.unit.framework.as_deref()).map_err(|e| StoreError::Rules(e.to_string()))?;
                    if let Some((label, text)) = &extra {
                        rules = rules.with_override(label, text).map_err(|e| StoreError::Rules(e.to_string()))?;
                    }
                    let evaluation = evaluate(&EvaluationInput { books: &books, prior: prior.as_ref(), findings: &findings }, &rules);
                    done.push(UnitSummary::evaluated(&unit, execution.get(&unit.code).copied().unwrap_or_default(), &findings, &evaluation));
                }
                Ok::<_, StoreError>(done)
            });
        }
        let mut summaries: Vec<UnitSummary> = units.iter().filter(|u| !with_year.contains(&u.code)).map(UnitSummary::absent).collect();
        while let Some(joined) = workers.join_next().await {
            summaries.extend(joined.map_err(|e| StoreError::Rules(format!("汇总任务失败：{e}")))??);
        }
        summaries.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(ConsolidationInput { kind: scope.kind(), code: scope_code(scope), name, year, units: summaries })
    }
}

fn scope_code(scope: &Scope) -> Option<String> {
    match scope {
        Scope::Department(code) | Scope::Region(Some(code)) | Scope::Area(code) => Some(code.clone()),
        Scope::Region(None) => None,
    }
}

/// The 主管部门's or 财政局's name as the units give it (the most common, then the first by text).
fn scope_name(scope: &Scope, units: &[UnitProfile]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for u in units {
        let name = match scope {
            Scope::Department(_) => Some(u.parent_department.as_str()),
            Scope::Region(_) | Scope::Area(_) => u.bureau_name.as_deref(),
        };
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            *counts.entry(n).or_default() += 1;
        }
    }
    let best = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(n, _)| n.to_string());
    match (scope, best) {
        (_, Some(n)) => n,
        (Scope::Department(code), None) => format!("主管部门{code}"),
        (Scope::Region(Some(code)), None) => format!("财政局{code}"),
        (Scope::Area(code), None) => format!("行政区划{code}"),
        (Scope::Region(None), None) => jixiao_core::consolidated::ALL_UNITS.into(),
    }
}
