//! The other report kinds — the 项目支出绩效自评报告 and next year's 绩效目标申报表 — on the demo (芙蓉区科协 2020)
//! and on an example built from a real unit's 决算 (永川区农机推广站 2024, three projects), read straight from the
//! import files: the Markdown is kept as a golden snapshot, the DOCX is opened by LibreOffice and the PDF read by
//! pdftotext, and both carry the same figures; the first pages are kept as PNG in target/test-artifacts.
//!
//! The outlines follow published documents: 红河州数据发展中心2024年度项目支出绩效单位自评报告
//! (https://www.hh.gov.cn/info/11481/1179592.htm) for the project report, and the 绩效目标申报表 of
//! 财预〔2021〕101号 (http://lsrwf.cn/news/708af42006d811ec81694b356a0c000d) for the targets.

use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{Evaluation, EvaluationInput, evaluate};
use jixiao_core::{MoneyUnit, project_report, targets};
use jixiao_documents::Outline;
use jixiao_documents::outline::{project_outline, targets_outline};
use jixiao_pdf::FontSet;
use jixiao_testdata::examples::{artifacts, example_books, libreoffice_to_pdf};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

fn evaluation(books: &Books) -> Evaluation {
    let findings = check(books);
    evaluate(
        &EvaluationInput { books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, books.year.year).unwrap(),
    )
}

fn project(dataset: &str, year: i32, code: &str) -> (Books, Outline) {
    let books = example_books(dataset, year);
    let report = project_report::build(&books, &evaluation(&books), code, MoneyUnit::Wan).unwrap();
    (books, project_outline(&report))
}

fn draft(dataset: &str, year: i32) -> (Books, Outline) {
    let books = example_books(dataset, year);
    let outline = targets_outline(&targets::build(&books, MoneyUnit::Wan));
    (books, outline)
}

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::from_env().expect("CJK fonts installed (apt-get install fonts-noto-cjk)"))
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext runs (poppler-utils)");
    // Lines wrap anywhere in CJK text: compare without line breaks and spaces.
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

/// Writes the outline as DOCX (opened by LibreOffice) and as PDF (typeset by typst), and requires each of
/// `figures` in the text of both; keeps the PDF's first page as PNG.
fn both_paper_formats_carry(books: &Books, outline: &Outline, name: &str, figures: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join(format!("{name}.docx"));
    std::fs::write(&docx, jixiao_documents::docx(outline).unwrap()).unwrap();
    let converted = pdf_text(&libreoffice_to_pdf(&docx, dir.path()));
    let (pdf, warnings) = jixiao_pdf::render_outline(books, outline, name, fonts()).unwrap();
    assert!(warnings.is_empty(), "typst warnings: {warnings:?}");
    assert!(pdf.starts_with(b"%PDF-"));
    let pdf_path = artifacts().join(format!("{name}.pdf"));
    std::fs::write(&pdf_path, &pdf).unwrap();
    let typeset = pdf_text(&pdf_path);
    for figure in figures.iter().chain([&outline.title.as_str()]) {
        assert!(converted.contains(figure), "{name}: the DOCX opened by LibreOffice lacks {figure}");
        assert!(typeset.contains(figure), "{name}: the PDF lacks {figure}");
    }
    assert_eq!(pdf, jixiao_pdf::render_outline(books, outline, name, fonts()).unwrap().0, "same outline, same PDF");
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", "2"])
        .arg(&pdf_path)
        .arg(artifacts().join(format!("{name}-page")))
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn demo_project_report() {
    let (books, outline) = project("furong-kexie-2020", 2020, "XM2020-02");
    let md = jixiao_documents::text::markdown(&outline);
    insta::assert_snapshot!("demo_project_XM2020-02_md", md);
    // The 自评表 is the evaluation's, and every heading of the published outline is there.
    for heading in [
        "一、项目概况",
        "二、资金投入和使用情况",
        "三、绩效目标完成情况",
        "（一）项目支出绩效自评表",
        "四、偏差原因分析",
        "五、存在的问题",
        "六、改进措施",
        "七、自评结果应用",
    ] {
        assert!(md.contains(heading), "lacks {heading}");
    }
    assert!(md.contains("「缺少数据：报告文字「存在的问题」未填写」"));
    let html = jixiao_documents::text::html(&outline);
    assert!(html.contains("附：数字来源"), "the HTML carries the trace table");
    both_paper_formats_carry(
        &books,
        &outline,
        "demo-project-XM2020-02",
        &["全国科普日活动经费", "30.00", "27.46", "91.53%", "99.15", "项目支出绩效自评表"],
    );
}

#[test]
fn demo_targets() {
    let (books, outline) = draft("furong-kexie-2020", 2020);
    let md = jixiao_documents::text::markdown(&outline);
    insta::assert_snapshot!("demo_targets_2021_md", md);
    assert!(outline.title.contains("2021年度绩效目标申报表"));
    both_paper_formats_carry(
        &books,
        &outline,
        "demo-targets-2021",
        &["部门整体支出绩效目标申报表", "项目支出绩效目标申报表", "老科协经费", "参考值"],
    );
}

#[test]
fn yongchuan_project_report() {
    let (books, outline) = project("yongchuan-nongji-2024", 2024, "XM2024-01");
    let md = jixiao_documents::text::markdown(&outline);
    insta::assert_snapshot!("yongchuan_project_XM2024-01_md", md);
    // 农机购置与应用补贴: 620.00 万元 given on line ZB2024-15.
    assert!(md.contains("ZB2024-15"));
    both_paper_formats_carry(&books, &outline, "yongchuan-project-XM2024-01", &["农机购置与应用补贴", "620.00"]);
}

#[test]
fn yongchuan_targets() {
    let (books, outline) = draft("yongchuan-nongji-2024", 2024);
    let md = jixiao_documents::text::markdown(&outline);
    insta::assert_snapshot!("yongchuan_targets_2025_md", md);
    both_paper_formats_carry(
        &books,
        &outline,
        "yongchuan-targets-2025",
        &["2025年度绩效目标申报表", "农机新技术推广及安全培训", "宜机化改造面积"],
    );
}
