//! Times the PDF of the demo report (芙蓉区科协 2020), for BENCHMARKS.md:
//! `cargo run --release -p jixiao-pdf --example render_demo -- [RUNS] [OUT.pdf]`.
//! Prints the font scan, the first render (which also loads the fonts) and the median of the later
//! renders, each with typst's memo cache emptied so that no work is reused between runs.

use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_core::report_model::build;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(9);
    let out = args.next();

    let books = jixiao_testdata::examples::demo_books();
    let findings = check(&books);
    let evaluation = evaluate(
        &EvaluationInput { books: &books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, 2020).unwrap(),
    );
    let model = build(&books, Some(&evaluation));

    let started = Instant::now();
    let fonts = jixiao_pdf::FontSet::from_env().expect("CJK fonts");
    println!("font scan ({}): {:?}", fonts.dir.display(), started.elapsed());

    let mut times: Vec<Duration> = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..runs.max(2) {
        typst::comemo::evict(0);
        let started = Instant::now();
        pdf = jixiao_pdf::render(&books, &model, &fonts).expect("renders");
        times.push(started.elapsed());
    }
    println!("first render (loads fonts): {:?}", times[0]);
    let mut later = times[1..].to_vec();
    later.sort();
    println!(
        "median of {} later renders: {:?} (min {:?}, max {:?}); {} bytes",
        later.len(),
        later[later.len() / 2],
        later[0],
        later[later.len() - 1],
        pdf.len()
    );
    if let Some(out) = out {
        std::fs::write(out, &pdf).expect("writes");
    }
}
