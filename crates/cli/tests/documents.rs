//! `jixiao report --format pdf|docx|xlsx` on the demo database: the files carry the seed's figures, the
//! workbook's totals equal what the database holds, the same database gives the same bytes, and binary
//! output is refused on a terminal but written to a pipe.

use calamine::{Data, Reader, Xlsx};
use jixiao_core::Fen;
use jixiao_core::books::Books;
use jixiao_core::records::SpendingKind;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn jixiao(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("--db").arg(db).args(args).env_remove("JIXIAO_DB").output().expect("runs")
}

fn ok(out: Output) -> Vec<u8> {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// A demo database in a temporary directory.
fn demo_db() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("d.db").display());
    ok(jixiao(&db, &["demo"]));
    (tmp, db)
}

fn report(db: &str, format: &str, out: &Path) -> Vec<u8> {
    ok(jixiao(db, &["report", "--year", "2020", "--format", format, "-o", out.to_str().unwrap()]));
    std::fs::read(out).unwrap()
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The books as the database holds them.
fn stored_books(db: &str) -> Books {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async { jixiao_store::Store::open(db).await.unwrap().books("430102-KX", 2020).await.unwrap() })
}

const KEY_FIGURES: &[&str] = &["242.96", "102.96", "108.37", "211.33", "86.98%", "148.93", "52.24", "24.13", "30.00", "31.63", "72.85"];

#[test]
fn pdf_carries_the_key_figures_with_cjk_fonts_embedded_and_is_reproducible() {
    let (tmp, db) = demo_db();
    let path = tmp.path().join("r.pdf");
    let pdf = report(&db, "pdf", &path);
    assert!(pdf.starts_with(b"%PDF-"));
    let text =
        String::from_utf8(Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)").stdout).unwrap();
    for figure in KEY_FIGURES {
        assert!(text.contains(figure), "PDF lacks {figure}");
    }
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&path).output().expect("pdffonts").stdout).unwrap();
    assert!(fonts.lines().any(|l| l.contains("CJK") && l.split_whitespace().rev().nth(4) == Some("yes")), "{fonts}");
    assert_eq!(pdf, report(&db, "pdf", &tmp.path().join("again.pdf")), "same database, same PDF");
    std::fs::copy(&path, artifacts().join("cli-report.pdf")).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", "2"])
        .arg(&path)
        .arg(artifacts().join("cli-pdf-page"))
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn docx_document_xml_carries_the_key_figures() {
    let (tmp, db) = demo_db();
    let docx = report(&db, "docx", &tmp.path().join("r.docx"));
    let mut zip = zip::ZipArchive::new(Cursor::new(&docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    for figure in KEY_FIGURES {
        assert!(xml.contains(figure), "document.xml lacks {figure}");
    }
    assert_eq!(docx, report(&db, "docx", &tmp.path().join("again.docx")), "same database, same DOCX");
}

fn number_right_of(sheet: &calamine::Range<Data>, label: &str, offset: usize) -> f64 {
    let row =
        sheet.rows().find(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == label))).unwrap_or_else(|| panic!("no row {label}"));
    let at = row.iter().position(|c| matches!(c, Data::String(s) if s == label)).unwrap() + offset;
    match &row[at] {
        Data::Float(f) => *f,
        other => panic!("{label}: {other:?}"),
    }
}

/// A spreadsheet number printed as the report prints 万元.
fn printed(x: f64) -> String {
    format!("{x:.2}")
}

#[test]
fn workbook_totals_equal_the_database() {
    let (tmp, db) = demo_db();
    let bytes = report(&db, "xlsx", &tmp.path().join("r.xlsx"));
    assert_eq!(bytes, report(&db, "xlsx", &tmp.path().join("again.xlsx")), "same database, same workbook");
    let books = stored_books(&db);
    let received: Fen = books.records.receipts.iter().map(|r| r.amount).sum();
    let spent: Fen = books.records.expenditures.iter().map(|e| e.amount).sum();
    let basic: Fen = books.spending_where(|l| l.spending_kind == SpendingKind::Basic).amount;
    let project: Fen = books.spending_where(|l| l.spending_kind == SpendingKind::Project).amount;
    assert_eq!([received, spent, basic, project].map(Fen::wan_yuan_string), ["242.96", "211.33", "102.96", "108.37"], "the seed's figures");

    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = |x: &mut Xlsx<_>, prefix: &str| {
        let name = x.sheet_names().into_iter().find(|n| n.starts_with(prefix)).unwrap();
        x.worksheet_range(&name).unwrap()
    };
    let summary = sheet(&mut xlsx, "01 ");
    assert_eq!(printed(number_right_of(&summary, "本年收入合计", 1)), received.wan_yuan_string());
    assert_eq!(printed(number_right_of(&summary, "本年支出合计", 1)), spent.wan_yuan_string());
    let income = sheet(&mut xlsx, "02 ");
    assert_eq!(printed(number_right_of(&income, "合计", 1)), received.wan_yuan_string());
    let expenditure = sheet(&mut xlsx, "03 ");
    assert_eq!(printed(number_right_of(&expenditure, "合计", 1)), spent.wan_yuan_string());
    assert_eq!(printed(number_right_of(&expenditure, "合计", 2)), basic.wan_yuan_string());
    assert_eq!(printed(number_right_of(&expenditure, "合计", 3)), project.wan_yuan_string());
    let fiscal = sheet(&mut xlsx, "05 ");
    assert_eq!(printed(number_right_of(&fiscal, "合计", 1)), spent.wan_yuan_string(), "all spending is 一般公共预算");
    let names = xlsx.sheet_names();
    assert!(names.iter().any(|n| n == "部门整体支出绩效自评表"));
    assert_eq!(names.iter().filter(|n| n.starts_with("项目")).count(), books.records.projects.len());
}

#[test]
fn binary_formats_go_to_a_pipe_but_not_to_a_terminal() {
    let (tmp, db) = demo_db();
    let file = report(&db, "xlsx", &tmp.path().join("r.xlsx"));
    let piped = ok(jixiao(&db, &["report", "--year", "2020", "--format", "xlsx"]));
    assert_eq!(piped, file, "stdout that is not a terminal gets the file");
    // `script` gives the command a pseudo-terminal as stdout.
    let command = format!("{} --db {db} report --year 2020 --format pdf", env!("CARGO_BIN_EXE_jixiao"));
    let out =
        Command::new("script").args(["-qec", &command, "/dev/null"]).env_remove("JIXIAO_DB").output().expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && shown.contains("-o"), "refused with a hint: {shown}");
    assert!(!shown.contains("%PDF"), "no PDF on the terminal");
}
