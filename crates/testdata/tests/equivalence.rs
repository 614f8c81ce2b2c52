//! The randomized backend-equivalence test: seeded random unit records, imported into SQLite and into
//! PostgreSQL, must give byte-identical `check --format json`, `evaluate --format json`, `report --format md`
//! and `report --format html` for every unit-year, and byte-identical consolidated department and region
//! reports; and the consolidated path's aggregate SQL must equal the per-unit computation on each backend.
//!
//! 200 scenarios by default (JIXIAO_EQUIVALENCE_SCENARIOS for more, JIXIAO_EQUIVALENCE_SEED for the first seed).
//! Needs JIXIAO_TEST_PG_URL (scripts/with-postgres.sh sets it); without it only the SQLite half runs, on fewer.

use anyhow::{Result, ensure};
use jixiao_core::consolidated::UnitExecution;
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use jixiao_testdata::harness::{
    consolidated_outputs, drop_postgres_schema, load_scenario, outputs_of, postgres_schema_store, unit_outputs,
};
use jixiao_testdata::{Profile, Scenario, scenario};
use std::sync::Arc;

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  sqlite:   {x}\n  postgres: {y}", i + 1);
        }
    }
    format!("lengths {} and {}", a.len(), b.len())
}

fn same(what: &str, a: &str, b: &str) -> Result<()> {
    ensure!(a == b, "{what} differs: {}", first_difference(a, b));
    Ok(())
}

/// The texts of every unit-year and every consolidated scope, on one store; also checks, on that store, that
/// the consolidated path's SQL sums equal the per-unit computation and the unit's own report.
async fn outputs(store: &Store, s: &Scenario) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let bureau = Scope::Region(Some(s.bureau_code.clone()));
    for year in &s.years {
        let sql = store.execution_totals(&bureau, *year).await?;
        let (md, html, input) = consolidated_outputs(store, &bureau, *year).await?;
        out.push((format!("{bureau:?} {year} md"), md));
        out.push((format!("{bureau:?} {year} html"), html));
        let consolidated = jixiao_core::consolidated::build(&input);
        for u in &s.units {
            if !store.years(&u.code).await?.iter().any(|y| y.year == *year) {
                ensure!(input.units.iter().any(|x| x.code == u.code && !x.has_year), "{} {year}: listed without books", u.code);
                continue;
            }
            let (o, books, evaluation) = unit_outputs(store, &u.code, *year).await?;
            let label = format!("{} {year}", u.code);
            // The summary the store reads through its indexes is the full books summarized, and the full books
            // give the same texts.
            let full = store.books(&u.code, *year).await?;
            ensure!(books == full.summarize(), "{label}: the stored summary differs from the books summarized");
            ensure!(outputs_of(store, full).await?.0 == o, "{label}: the full books give other outputs than their summary");
            out.push((format!("{label} check json"), o.check_json));
            out.push((format!("{label} evaluate json"), o.evaluate_json));
            out.push((format!("{label} report md"), o.report_md));
            out.push((format!("{label} report html"), o.report_html));

            // The aggregate SQL of the consolidated path equals the sums over the unit's books …
            let by_sql = sql.get(&u.code).copied().unwrap_or_default();
            ensure!(
                by_sql == UnitExecution::of_books(&books),
                "{label}: SQL sums {by_sql:?} ≠ per-unit {:?}",
                UnitExecution::of_books(&books)
            );
            // … the consolidated view scores the unit as `jixiao evaluate` does …
            let summary = input.units.iter().find(|x| x.code == u.code).expect("unit in its bureau's scope");
            ensure!(
                summary.score == Some(evaluation.total) && summary.grade.as_deref() == Some(evaluation.grade.as_str()),
                "{label}: consolidated score"
            );
            // … and prints what the unit's own report prints.
            let model = jixiao_core::report_model::build(&books, None);
            let row = consolidated.units.iter().find(|x| x.code == u.code).expect("row");
            ensure!(
                (row.annual.text.as_str(), row.spent.text.as_str(), row.rate.text.as_str())
                    == (
                        model.spending.annual_budget.text.as_str(),
                        model.spending.total.text.as_str(),
                        model.spending.execution_rate.text.as_str()
                    ),
                "{label}: consolidated row {:?} ≠ unit report {:?}",
                (&row.annual.text, &row.spent.text, &row.rate.text),
                (&model.spending.annual_budget.text, &model.spending.total.text, &model.spending.execution_rate.text)
            );
        }
        // Every 主管部门; the whole database (the same units as the bureau here) now and then.
        let mut scopes: Vec<Scope> = s.department_codes().into_iter().map(Scope::Department).collect();
        if s.seed.is_multiple_of(4) {
            scopes.push(Scope::Region(None));
        }
        for scope in &scopes {
            let (md, html, _) = consolidated_outputs(store, scope, *year).await?;
            out.push((format!("{scope:?} {year} md"), md));
            out.push((format!("{scope:?} {year} html"), html));
        }
    }
    Ok(out)
}

async fn run_scenario(seed: u64, pg_admin: Option<Arc<String>>) -> Result<usize> {
    let s = scenario(seed, &Profile::small());
    let tmp = tempfile::tempdir()?;
    let lite = Store::open(&format!("sqlite:file:equivalence-{seed}?mode=memory&cache=shared")).await?;
    load_scenario(&lite, &s, &tmp.path().join("lite")).await?;
    let a = outputs(&lite, &s).await?;
    let Some(admin) = pg_admin else { return Ok(a.len()) };
    let schema = format!("eq_{seed}");
    let pg = postgres_schema_store(&admin, &schema).await?;
    load_scenario(&pg, &s, &tmp.path().join("pg")).await?;
    let b = outputs(&pg, &s).await?;
    ensure!(a.len() == b.len(), "seed {seed}: {} outputs on SQLite, {} on PostgreSQL", a.len(), b.len());
    for ((label, x), (_, y)) in a.iter().zip(&b) {
        same(&format!("seed {seed}: {label}"), x, y)?;
    }
    drop(pg);
    drop_postgres_schema(&admin, &schema).await?;
    Ok(a.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_give_byte_identical_outputs_on_random_books() {
    let pg = std::env::var("JIXIAO_TEST_PG_URL").ok().map(Arc::new);
    if pg.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must set JIXIAO_TEST_PG_URL");
        eprintln!("JIXIAO_TEST_PG_URL not set: SQLite half only");
    }
    let n = env_number("JIXIAO_EQUIVALENCE_SCENARIOS").unwrap_or(if pg.is_some() { 200 } else { 20 });
    let first = env_number("JIXIAO_EQUIVALENCE_SEED").unwrap_or(1);
    let started = std::time::Instant::now();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = tokio::task::JoinSet::new();
    for seed in first..first + n {
        let (pg, semaphore) = (pg.clone(), semaphore.clone());
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await.expect("semaphore open");
            (seed, run_scenario(seed, pg).await)
        });
    }
    let (mut compared, mut failures) = (0, Vec::new());
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("scenario task") {
            (_, Ok(k)) => compared += k,
            (seed, Err(e)) => failures.push(format!("seed {seed}: {e:#}")),
        }
    }
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {n} scenarios failed (rerun one with JIXIAO_EQUIVALENCE_SEED=S JIXIAO_EQUIVALENCE_SCENARIOS=1):\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{n} scenarios, {compared} outputs per backend compared, in {:.1}s", started.elapsed().as_secs_f64());
}
