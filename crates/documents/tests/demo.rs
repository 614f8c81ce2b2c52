//! The demo unit's documents (芙蓉区科协 2020), read straight from the import files without a database:
//! the DOCX and the workbook carry the seed's figures,
//! the same books give the same bytes, and LibreOffice opens both files.

use calamine::{Data, Reader, Xlsx};
use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{Evaluation, EvaluationInput, evaluate};
use jixiao_core::report_model::{ReportModel, build};
use jixiao_testdata::examples::{artifacts, demo_books, libreoffice_to_pdf, seed_figures};
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

fn demo_evaluation(books: &Books) -> Evaluation {
    let findings = check(books);
    evaluate(&EvaluationInput { books, prior: None, findings: &findings }, &Rules::for_unit(&books.unit.region_code, 2020).unwrap())
}

fn demo() -> (Books, Evaluation, ReportModel) {
    let books = demo_books();
    let evaluation = demo_evaluation(&books);
    let model = build(&books, Some(&evaluation));
    (books, evaluation, model)
}

fn docx_part(docx: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut text = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The text of document.xml without tags: figures split across runs read whole again.
fn docx_text(docx: &[u8]) -> String {
    let xml = docx_part(docx, "word/document.xml");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn docx_carries_every_seed_figure_in_gbt9704_layout() {
    let (_, _, model) = demo();
    let docx = jixiao_documents::docx(&jixiao_documents::outline(&model)).unwrap();
    let text = docx_text(&docx);
    for figure in seed_figures() {
        assert!(text.contains(&figure), "document.xml lacks {figure}");
    }
    assert!(text.contains("一、部门基本情况") && text.contains("（五）绩效自评结果") && text.contains("附件：项目支出绩效自评表"));
    let document = docx_part(&docx, "word/document.xml");
    // A4 and the margins of GB/T 9704 (37/28/28/26 mm, in twips).
    assert!(document.contains(r#"w:w="11906" w:h="16838""#), "A4");
    assert!(
        document.contains(r#"w:top="2097""#) && document.contains(r#"w:left="1587""#) && document.contains(r#"w:right="1474""#),
        "margins"
    );
    let styles = docx_part(&docx, "word/styles.xml");
    assert!(
        styles.contains("仿宋_GB2312") && styles.contains("黑体") && styles.contains("楷体_GB2312") && styles.contains("方正小标宋简体")
    );
    assert!(styles.contains(r#"w:eastAsia="zh-CN""#));
    assert!(docx_part(&docx, "word/fontTable.xml").contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#));
    let footer = docx_part(&docx, "word/footer1.xml");
    assert!(footer.contains("— ") && footer.contains("PAGE"), "page number — N —");
    assert_eq!(docx, jixiao_documents::docx(&jixiao_documents::outline(&model)).unwrap(), "same report, same bytes");
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

/// The number in the row whose cells include `label`, `offset` columns right of the label.
fn amount(sheet: &calamine::Range<Data>, label: &str, offset: usize) -> f64 {
    for row in sheet.rows() {
        if let Some(pos) = row.iter().position(|c| cell_text(c) == label) {
            match &row[pos + offset] {
                Data::Float(f) => return *f,
                other => panic!("{label}: not a number: {other:?}"),
            }
        }
    }
    panic!("no row {label}")
}

fn round2(x: f64) -> String {
    format!("{x:.2}")
}

#[test]
fn workbook_tables_add_up_to_the_books() {
    let (books, evaluation, _) = demo();
    let bytes = jixiao_documents::workbook(&books, &evaluation).unwrap();
    assert_eq!(bytes, jixiao_documents::workbook(&books, &evaluation).unwrap(), "same books, same bytes");
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let names = xlsx.sheet_names();
    assert_eq!(names.len(), 9 + 1 + 1 + books.records.projects.len(), "{names:?}");
    let sheet = |x: &mut Xlsx<_>, prefix: &str| {
        let name = x.sheet_names().into_iter().find(|n| n.starts_with(prefix)).unwrap_or_else(|| panic!("no sheet {prefix}"));
        x.worksheet_range(&name).unwrap()
    };
    let summary = sheet(&mut xlsx, "01 收入支出决算总表");
    assert_eq!(round2(amount(&summary, "本年收入合计", 1)), "242.96");
    assert_eq!(round2(amount(&summary, "本年支出合计", 1)), "211.33");
    assert_eq!(round2(amount(&summary, "年末结转和结余", 1)), "31.63");
    let income = sheet(&mut xlsx, "02 收入决算表");
    assert_eq!(round2(amount(&income, "合计", 1)), "242.96");
    assert_eq!(round2(amount(&income, "科学技术支出", 1)), "148.93");
    let spending = sheet(&mut xlsx, "03 支出决算表");
    assert_eq!(round2(amount(&spending, "合计", 1)), "211.33");
    assert_eq!(round2(amount(&spending, "合计", 2)), "102.96");
    assert_eq!(round2(amount(&spending, "合计", 3)), "108.37");
    assert_eq!(round2(amount(&spending, "科学技术普及", 3)), "54.13", "24.13 科普活动 + 30.00 其他科学技术普及支出");
    let basic = sheet(&mut xlsx, "06 ");
    assert_eq!(round2(amount(&basic, "人员经费合计", 2)), "84.45");
    assert_eq!(round2(amount(&basic, "公用经费合计", 2)), "18.51");
    for (prefix, note) in [("07 ", "此表为空"), ("08 ", "本单位2020年度无政府性基金"), ("09 ", "此表为空")] {
        let s = sheet(&mut xlsx, prefix);
        assert!(s.rows().flatten().any(|c| cell_text(c).contains(note)), "{prefix} says it is empty");
    }
    // 决算说明, computed from the records: 机关运行经费 = 一般公共预算 basic 公用经费 (18.51, as 06表).
    let notes = sheet(&mut xlsx, "决算说明");
    let text: String = notes.rows().flatten().map(cell_text).collect();
    for expected in [
        "2020年度机关运行经费支出18.51万元（缺少2019年度数据，未与上年比较）",
        "“三公”经费支出0.00万元",
        "政府采购合同金额",
        "固定资产",
        "个项目开展绩效自评",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let scored = sheet(&mut xlsx, "部门整体支出绩效自评表");
    assert_eq!(round2(amount(&scored, "合计", 3)), "100.00", "weights");
    assert_eq!(round2(amount(&scored, "合计", 5)), "72.85", "total score");
    let project = sheet(&mut xlsx, "项目1 ");
    assert_eq!(round2(amount(&project, "年度资金总额", 1)), "5.00");
    std::fs::write(artifacts().join("demo-documents.xlsx"), bytes).unwrap();
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext runs (poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}

/// First pages as PNG in target/test-artifacts, to look at.
fn keep_pngs(pdf: &Path, name: &str, pages: u32) {
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", &pages.to_string()])
        .arg(pdf)
        .arg(artifacts().join(name))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
}

#[test]
fn libreoffice_opens_the_docx_and_the_workbook() {
    let (books, evaluation, model) = demo();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, jixiao_documents::docx(&jixiao_documents::outline(&model)).unwrap()).unwrap();
    let xlsx = dir.path().join("tables.xlsx");
    std::fs::write(&xlsx, jixiao_documents::workbook(&books, &evaluation).unwrap()).unwrap();

    let pdf = libreoffice_to_pdf(&docx, dir.path());
    std::fs::copy(&pdf, artifacts().join("demo-report-docx.pdf")).unwrap();
    let text = pdf_text(&pdf);
    for figure in ["242.96", "211.33", "86.98%", "72.85"] {
        assert!(text.contains(figure), "converted docx lacks {figure}");
    }
    keep_pngs(&pdf, "docx-page", 3);
    std::fs::copy(&docx, artifacts().join("demo-report.docx")).unwrap();

    let pdf = libreoffice_to_pdf(&xlsx, dir.path());
    let text = pdf_text(&pdf);
    for figure in ["242.96", "211.33", "102.96", "108.37", "收入支出决算总表", "单位：万元"] {
        assert!(text.contains(figure), "converted workbook lacks {figure}");
    }
    keep_pngs(&pdf, "xlsx-page", 12);
}
