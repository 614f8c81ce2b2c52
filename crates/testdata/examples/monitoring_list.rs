//! The 财政局's monitoring list (`/region/{year}/monitoring`) over N generated units, two ways, for BENCHMARKS.md:
//! `cargo run -p jixiao-testdata --example monitoring_list -- [UNITS] [VOUCHERS_PER_UNIT] [DB_URL]`.
//! Times what the page reads now (`Store::scope_records` of `monitoring::STATUS_KINDS` for the whole area,
//! then `monitoring::status` per unit) against what it read before (each unit's profile, years and assessment:
//! books in summary form and the books check), and requires both to give the same statuses.

use jixiao_core::RecordSet;
use jixiao_core::monitoring::{STATUS_KINDS, status};
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use std::time::Instant;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let units: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let vouchers: i64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let tmp = tempfile::tempdir()?;
    let url = args.next().unwrap_or_else(|| format!("sqlite://{}/m.db", tmp.path().display()));
    let store = Store::open(&url).await?;
    let year = 2020;
    let t = Instant::now();
    let mut records = 0;
    for i in 0..units {
        let unit = jixiao_testdata::bench_unit(i, vouchers, year);
        records += jixiao_testdata::harness::import(&store, &unit.imports[0], &tmp.path().join(&unit.code)).await?.added;
    }
    println!("load: {units} units, {records} records in {:.1} s", t.elapsed().as_secs_f64());
    let scope = Scope::Region(Some("BENCH".into()));
    let directory = store.directory(&scope).await?;

    for run in 1..=3 {
        let t = Instant::now();
        let scoped = store.scope_records(&scope, year, &STATUS_KINDS).await?;
        let none = RecordSet::default();
        let now: Vec<_> = directory.iter().map(|u| status(year, scoped.get(&u.code).unwrap_or(&none))).collect();
        let new = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let mut before = Vec::new();
        for u in &directory {
            store.unit(&u.code).await?;
            store.years(&u.code).await?;
            let assessment = jixiao_service::assess(&store, &u.code, year, None).await?;
            before.push(status(year, &assessment.books.records));
        }
        let old = t.elapsed().as_secs_f64();
        anyhow::ensure!(now == before, "the two ways give different statuses");
        println!("run {run}: {} units: scope_records {new:.3} s, each unit's assessment {old:.2} s", directory.len());
    }
    Ok(())
}
