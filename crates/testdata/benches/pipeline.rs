//! The unit pipeline timed piece by piece on generated clean books (`bench_unit`): import (read the CSV
//! directory, validate, apply into a fresh SQLite file), the unit's report from the database (books, check,
//! evaluation, model, Markdown), the evaluation alone and the PDF. `cargo bench -p jixiao-testdata`; not run in CI.
//! The sizes are money records (budget vouchers, receipts, expenditures) of one unit.

use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_store::Store;
use jixiao_testdata::bench_unit;
use jixiao_testdata::harness::import_dir;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

const SIZES: &[i64] = &[1_000, 10_000, 100_000];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

/// The unit's import directory, written once per size.
fn source(vouchers: i64) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("unit");
    bench_unit(0, vouchers, 2020).imports[0].write(&dir).expect("written");
    (tmp, dir)
}

async fn loaded(rt_dir: &Path, dir: &Path) -> (Store, String) {
    let store = Store::open(&format!("sqlite://{}/b.db", rt_dir.display())).await.expect("store");
    import_dir(&store, dir).await.expect("imported");
    let code = store.units().await.expect("units")[0].0.clone();
    (store, code)
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn import(bencher: divan::Bencher, vouchers: i64) {
    let rt = runtime();
    let (_tmp, dir) = source(vouchers);
    bencher
        .with_inputs(|| tempfile::tempdir().expect("a temporary directory"))
        .bench_local_values(|db_dir| rt.block_on(async { loaded(db_dir.path(), &dir).await.0.units().await.expect("units").len() }));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn unit_report(bencher: divan::Bencher, vouchers: i64) {
    let rt = runtime();
    let (tmp, dir) = source(vouchers);
    let (store, code) = rt.block_on(loaded(tmp.path(), &dir));
    bencher.bench_local(|| {
        rt.block_on(async {
            let books = store.books_summary(&code, 2020).await.expect("books");
            let findings = check(&books);
            let evaluation = evaluate(&EvaluationInput { books: &books, prior: None, findings: &findings }, &rules(&books));
            let model = jixiao_core::report_model::build(&books, Some(&evaluation));
            jixiao_report::render(&model, jixiao_report::Format::Markdown).expect("rendered").len()
        })
    });
}

fn rules(books: &Books) -> Rules {
    Rules::for_unit(&books.unit.region_code, books.year.year).expect("rules")
}

/// Books in memory (in summary form, as the commands read them), read once per size.
fn books(vouchers: i64) -> Books {
    let rt = runtime();
    let (tmp, dir) = source(vouchers);
    rt.block_on(async {
        let (store, code) = loaded(tmp.path(), &dir).await;
        store.books_summary(&code, 2020).await.expect("books")
    })
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn evaluation(bencher: divan::Bencher, vouchers: i64) {
    let books = books(vouchers);
    let rules = rules(&books);
    bencher.bench_local(|| {
        let findings = check(&books);
        evaluate(&EvaluationInput { books: &books, prior: None, findings: &findings }, &rules).indicators.len()
    });
}

#[divan::bench(args = [1_000], sample_count = 3)]
fn pdf(bencher: divan::Bencher, vouchers: i64) {
    let books = books(vouchers);
    let findings = check(&books);
    let evaluation = evaluate(&EvaluationInput { books: &books, prior: None, findings: &findings }, &rules(&books));
    let model = jixiao_core::report_model::build(&books, Some(&evaluation));
    let Ok(fonts) = jixiao_pdf::FontSet::from_env() else {
        eprintln!("pdf: no CJK fonts (JIXIAO_FONT_DIR or /usr/share/fonts), skipped");
        return;
    };
    bencher.bench_local(|| jixiao_pdf::render(&books, &model, &fonts).expect("a PDF").len());
}
