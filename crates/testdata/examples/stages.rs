//! Where one unit's import and report time goes, stage by stage, for a generated unit of N money records:
//! `cargo run --release -p jixiao-testdata --example stages -- 1000000` (BENCHMARKS.md).

use std::time::Instant;
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: i64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("u");
    let t = Instant::now();
    jixiao_testdata::bench_unit(0, n, 2020).imports[0].write(&dir).unwrap();
    eprintln!("gen (bench_unit, write CSV) {:?}", t.elapsed());
    let t = Instant::now();
    let source = jixiao_import::read(&dir).unwrap();
    eprintln!("read (jixiao_import::read) {:?}", t.elapsed());
    let t = Instant::now();
    let batch = source.validate(&Default::default(), &[]).unwrap();
    eprintln!("validate {:?}", t.elapsed());
    let store = jixiao_store::Store::open(&format!("sqlite://{}/b.db", tmp.path().display())).await.unwrap();
    let t = Instant::now();
    store.apply(&batch, "x").await.unwrap();
    eprintln!("apply (Store::apply, SQLite) {:?}", t.elapsed());
    let t = Instant::now();
    let code = store.units().await.unwrap()[0].0.clone();
    let full = store.books(&code, 2020).await.unwrap();
    eprintln!("books, every voucher (Store::books) {:?}", t.elapsed());
    let t = Instant::now();
    let books = store.books_summary(&code, 2020).await.unwrap();
    eprintln!(
        "books in summary form (Store::books_summary, what check/evaluate/report read) {:?}: {} of {} expenditures notable",
        t.elapsed(),
        books.records.expenditures.len(),
        full.records.expenditures.len()
    );
    let t = Instant::now();
    let f = jixiao_core::check::check(&books);
    eprintln!("check {:?} ({} findings)", t.elapsed(), f.len());
    let t = Instant::now();
    let m = jixiao_core::report_model::build(&books, None);
    eprintln!("build (report model) {:?}", t.elapsed());
    let t = Instant::now();
    let md = jixiao_report::render(&m, jixiao_report::Format::Markdown).unwrap();
    eprintln!("render (Markdown) {:?}, {} bytes", t.elapsed(), md.len());
}
