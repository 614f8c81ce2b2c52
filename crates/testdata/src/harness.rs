//! Loading scenarios into a store and producing, through the library, what the `jixiao` commands print:
//! `check --format json`, `evaluate --format json`, `report --format md|html` (as with --allow-errors) and the
//! consolidated `report --scope department|region`. The CLI test checks these equal the binary's output.

use crate::{ImportDir, Scenario};
use anyhow::{Context, Result, anyhow};
use jixiao_core::books::Books;
use jixiao_core::consolidated::ConsolidationInput;
use jixiao_core::evaluation::Evaluation;
use jixiao_service::{Assessment, prior_books};
use jixiao_store::consolidate::Scope;
use jixiao_store::{ApplyOutcome, Store};
use std::path::Path;

/// Imports one directory as `jixiao import` does: read, then the import session into the store.
pub async fn import_dir(store: &Store, dir: &Path) -> Result<ApplyOutcome> {
    let source = jixiao_import::read(dir).map_err(|e| anyhow!("{}: {e}", dir.display()))?;
    let label = source.label.clone();
    match store.import(&jixiao_import::Streamed::held(source), &label, None, Default::default(), &|_| {}, &[]).await? {
        Err(refusal) => Err(anyhow!("{}: {}", dir.display(), refusal.report())),
        Ok(checked) => {
            let (counts, _) = checked.commit().await?;
            Ok(counts)
        }
    }
}

/// Writes one import into `dir` and imports it.
pub async fn import(store: &Store, import: &ImportDir, dir: &Path) -> Result<ApplyOutcome> {
    import.write(dir)?;
    import_dir(store, dir).await
}

/// Imports every unit's imports in order; for every fourth seed, the first one again (which must add nothing).
pub async fn load_scenario(store: &Store, scenario: &Scenario, dir: &Path) -> Result<()> {
    for u in &scenario.units {
        for (k, imp) in u.imports.iter().enumerate() {
            let d = dir.join(format!("{}-{k}", u.code));
            import(store, imp, &d).await.with_context(|| format!("seed {} unit {} import {k}", scenario.seed, u.code))?;
        }
        if !scenario.seed.is_multiple_of(4) {
            continue;
        }
        let again = import_dir(store, &dir.join(format!("{}-0", u.code))).await?;
        anyhow::ensure!(again.added == 0, "seed {}: re-importing {} added {} records", scenario.seed, u.code, again.added);
    }
    Ok(())
}

/// What the unit commands print for one unit-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOutputs {
    pub check_json: String,
    pub evaluate_json: String,
    pub report_md: String,
    pub report_html: String,
}

/// The outputs, with the books (in summary form, as the commands read them) and the evaluation they came from.
pub async fn unit_outputs(store: &Store, code: &str, year: i32) -> Result<(UnitOutputs, Books, Evaluation)> {
    outputs(jixiao_service::assess(store, code, year, None).await?)
}

/// The outputs of the given books of a stored unit-year (with the prior year's books as stored).
pub async fn outputs_of(store: &Store, books: Books) -> Result<(UnitOutputs, Books, Evaluation)> {
    let prior = prior_books(store, &books.unit.code, books.year.year).await?;
    outputs(Assessment::new(books, prior, None))
}

fn outputs(assessment: Assessment) -> Result<(UnitOutputs, Books, Evaluation)> {
    let evaluation = assessment.evaluation()?.clone();
    let model = assessment.report_model(jixiao_core::MoneyUnit::Wan)?;
    let outputs = UnitOutputs {
        check_json: serde_json::to_string_pretty(&assessment.findings)? + "\n",
        evaluate_json: serde_json::to_string_pretty(&evaluation)? + "\n",
        report_md: jixiao_report::render(&model, jixiao_report::Format::Markdown)?,
        report_html: jixiao_report::render(&model, jixiao_report::Format::Html)?,
    };
    Ok((outputs, assessment.books, evaluation))
}

/// The consolidated report of a scope and year, in Markdown and HTML, with what it was built from.
pub async fn consolidated_outputs(store: &Store, scope: &Scope, year: i32) -> Result<(String, String, ConsolidationInput)> {
    let input = jixiao_service::consolidate::consolidation_input(store, scope, year, None).await?;
    let model = jixiao_core::consolidated::build(&input);
    Ok((
        jixiao_report::render_consolidated(&model, jixiao_report::Format::Markdown)?,
        jixiao_report::render_consolidated(&model, jixiao_report::Format::Html)?,
        input,
    ))
}

/// A fresh PostgreSQL schema `name` on the server of `admin_url` (dropped first if it exists), and a store on it.
pub async fn postgres_schema_store(admin_url: &str, name: &str) -> Result<Store> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE"))).execute(&pool).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}"))).execute(&pool).await?;
    pool.close().await;
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    Ok(Store::open(&format!("{admin_url}{sep}options=-c%20search_path%3D{name}")).await?)
}

/// Drops PostgreSQL schema `name` and everything in it.
pub async fn drop_postgres_schema(admin_url: &str, name: &str) -> Result<()> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE"))).execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// A fresh PostgreSQL database `name` on the server of `admin_url` (dropped first if it exists): its URL.
pub async fn postgres_database(admin_url: &str, name: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&pool).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await?;
    pool.close().await;
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    Ok(match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    })
}
