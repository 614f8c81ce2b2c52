//! `jixiao-bench`: loads generated units into a database through the import path (read, validate, apply) and
//! times the consolidated region report the way `jixiao report --scope region` computes it. See
//! scripts/bench-consolidated.sh and BENCHMARKS.md.
//!
//! jixiao-bench --db URL [--units 1000] [--vouchers 1000] [--year 2020] [--workers 4] [--skip-load]

use anyhow::{Context, Result, bail};
use jixiao_core::consolidated::build;
use jixiao_report::{Format, render_consolidated};
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use jixiao_testdata::bench_unit;
use jixiao_testdata::harness::import;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Args {
    db: String,
    units: usize,
    vouchers: i64,
    year: i32,
    workers: usize,
    skip_load: bool,
}

fn args() -> Result<Args> {
    let mut a = Args { db: String::new(), units: 1000, vouchers: 1000, year: 2020, workers: 4, skip_load: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--db" => a.db = value()?,
            "--units" => a.units = value()?.parse()?,
            "--vouchers" => a.vouchers = value()?.parse()?,
            "--year" => a.year = value()?.parse()?,
            "--workers" => a.workers = value()?.parse()?,
            "--skip-load" => a.skip_load = true,
            other => bail!("unknown argument {other}"),
        }
    }
    if a.db.is_empty() {
        bail!("usage: jixiao-bench --db URL [--units N] [--vouchers PER_UNIT] [--year Y] [--workers N] [--skip-load]");
    }
    Ok(a)
}

async fn load(store: &Store, a: &Args) -> Result<usize> {
    let next = Arc::new(AtomicUsize::new(0));
    let tmp = Arc::new(tempfile::tempdir()?);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..a.workers {
        let (store, next, tmp, units, vouchers, year) = (store.clone(), next.clone(), tmp.clone(), a.units, a.vouchers, a.year);
        tasks.spawn(async move {
            let mut records = 0;
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= units {
                    break;
                }
                let unit = bench_unit(i, vouchers, year);
                let dir = tmp.path().join(&unit.code);
                records += import(&store, &unit.imports[0], &dir).await?.added;
                std::fs::remove_dir_all(&dir)?;
                if (i + 1) % 100 == 0 {
                    eprintln!("  loaded {} units", i + 1);
                }
            }
            Ok::<_, anyhow::Error>(records)
        });
    }
    let mut records = 0;
    while let Some(r) = tasks.join_next().await {
        records += r??;
    }
    Ok(records)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let a = args()?;
    let store = Store::open(&a.db).await?;
    let scope = Scope::Region(Some("BENCH".into()));
    if !a.skip_load {
        let t = Instant::now();
        let records = load(&store, &a).await?;
        println!(
            "load: {} units, {records} records in {:.1} s ({:.0} records/s)",
            a.units,
            t.elapsed().as_secs_f64(),
            records as f64 / t.elapsed().as_secs_f64()
        );
    }

    let t = Instant::now();
    let totals = store.execution_totals(&scope, a.year).await?;
    let vouchers: i64 = totals.values().map(|e| e.budget_vouchers + e.expenditures).sum();
    println!(
        "aggregate SQL (全年预算数, 支出 by unit): {} units, {vouchers} budget vouchers + expenditures summed in {:.2} s",
        totals.len(),
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut sums = 0i64;
    for u in store.directory(&scope).await? {
        let books = store.books(&u.code, a.year).await?;
        sums += jixiao_core::consolidated::UnitExecution::of_books(&books).spent.0;
    }
    println!("the same sums through the generic record loader, unit by unit: {:.2} s", t.elapsed().as_secs_f64());
    anyhow::ensure!(sums == totals.values().map(|e| e.spent.0).sum::<i64>(), "aggregate SQL and per-unit sums differ");

    let t = Instant::now();
    let input = jixiao_service::consolidate::consolidation_input(&store, &scope, a.year, None).await?;
    let gathered = t.elapsed().as_secs_f64();
    let model = build(&input);
    let html = render_consolidated(&model, Format::Html)?;
    let md = render_consolidated(&model, Format::Markdown)?;
    println!(
        "consolidated region report: {:.1} s in all ({gathered:.1} s reading, checking and evaluating {} units; {:.2} s building and rendering); HTML {} KB, Markdown {} KB",
        t.elapsed().as_secs_f64(),
        input.units.len(),
        t.elapsed().as_secs_f64() - gathered,
        html.len() / 1024,
        md.len() / 1024
    );
    Ok(())
}
