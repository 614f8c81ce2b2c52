//! The demo unit's PDF (芙蓉区科协 2020): every seed figure is in the text, the CJK fonts are embedded,
//! two renders are byte-identical, and the first pages are kept as PNG in target/test-artifacts to look at.

use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_core::report_model::{ReportModel, build};
use jixiao_pdf::FontSet;
use jixiao_testdata::examples::{artifacts, demo_books, seed_figures};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

fn demo() -> (Books, ReportModel) {
    let books = demo_books();
    let findings = check(&books);
    let evaluation = evaluate(
        &EvaluationInput { books: &books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, 2020).unwrap(),
    );
    let model = build(&books, Some(&evaluation));
    (books, model)
}

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::from_env().expect("CJK fonts installed (apt-get install fonts-noto-cjk)"))
}

/// The demo PDF, rendered once for all tests.
fn demo_pdf() -> &'static Vec<u8> {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        let (books, model) = demo();
        let started = Instant::now();
        let (pdf, warnings) = jixiao_pdf::render_with_warnings(&books, &model, fonts()).expect("renders");
        eprintln!("rendered in {:?}", started.elapsed());
        assert!(warnings.is_empty(), "typst warnings: {warnings:?}");
        pdf
    })
}

/// The demo PDF on disk, written once (the tests run in parallel and read it).
fn written_pdf() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = artifacts().join("demo-report.pdf");
        std::fs::write(&path, demo_pdf()).unwrap();
        path
    })
    .clone()
}

fn run(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pdftotext_finds_every_seed_figure() {
    let text = run("pdftotext", &[], &written_pdf());
    // pdftotext drops the spaces typst sets as glue around a number, and wraps CJK text anywhere.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let headings = ["一、部门基本情况", "（五）绩效自评结果", "附件：项目支出绩效自评表", "缺少数据"];
    for figure in seed_figures().iter().map(String::as_str).chain(headings) {
        assert!(squeezed.contains(figure), "PDF text lacks {figure}");
    }
    assert!(squeezed.contains("—1—") && squeezed.contains("—2—"), "page numbers — N —");
}

#[test]
fn cjk_fonts_are_embedded() {
    let path = written_pdf();
    let out = Command::new("pdffonts").arg(&path).output().expect("pdffonts runs (poppler-utils)");
    let listing = String::from_utf8(out.stdout).unwrap();
    let cjk: Vec<&str> = listing.lines().filter(|l| l.contains("CJK")).collect();
    assert!(!cjk.is_empty(), "{listing}");
    // Columns: name type encoding emb sub uni object ID — every CJK font embedded ("yes" in emb).
    for line in &cjk {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[fields.len() - 5], "yes", "not embedded: {line}");
    }
}

#[test]
fn the_same_books_give_the_same_bytes() {
    let (books, model) = demo();
    let again = jixiao_pdf::render(&books, &model, fonts()).unwrap();
    assert!(&again == demo_pdf(), "two renders differ");
}

#[test]
fn first_pages_are_kept_as_png() {
    let path = written_pdf();
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", "40"])
        .arg(&path)
        .arg(artifacts().join("pdf-page"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    assert!(artifacts().join("pdf-page-01.png").exists());
}
