//! The 预算绩效运行监控表 (`jixiao report --kind monitor`) on the demo (芙蓉区科协 2020, as of 2020-06-30) and on
//! 永川区农机推广站 2024 (as of 2024-06-30), read straight from the example directories: hand-computed execution
//! figures, the whole table as golden text (tests/golden/, rewritten with JIXIAO_WRITE_GOLDEN=1), and the DOCX
//! and workbook opened by LibreOffice. The table follows the published forms named in
//! `crates/core/data/monitoring.toml` (财预〔2019〕136号 附件; 溧阳市财政局
//! https://www.liyang.gov.cn/html/czly/2022/AQPBAIAN_0112/29078.html).

use jixiao_core::date::Date;
use jixiao_core::monitoring::{Monitoring, build};
use jixiao_testdata::examples::{artifacts, example_books, libreoffice_to_pdf};
use std::path::Path;
use std::process::Command;

fn monitoring(dataset: &str, year: i32, as_of: &str) -> Monitoring {
    build(&example_books(dataset, year), Date::parse(as_of).unwrap())
}

/// (label, 全年预算数, 1-6月执行数, 执行率, 较序时进度) of each funds row named.
fn assert_rows(m: &Monitoring, expected: &[(&str, &str, &str, &str, &str)]) {
    for (label, annual, spent, rate, gap) in expected {
        let r = m.funds.iter().find(|r| r.label == *label).unwrap_or_else(|| panic!("no row {label}"));
        assert_eq!(
            (r.annual.text.as_str(), r.spent.text.as_str(), r.execution_rate.text.as_str(), r.gap.text.as_str()),
            (*annual, *spent, *rate, *gap),
            "{label}"
        );
    }
}

fn golden(name: &str, m: &Monitoring) {
    let text = jixiao_documents::monitor_outline(m).text_items().join("\n") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("JIXIAO_WRITE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(
        text,
        std::fs::read_to_string(&path).unwrap_or_default(),
        "{} is out of step (JIXIAO_WRITE_GOLDEN=1 rewrites it)",
        path.display()
    );
}

/// Hand-computed from the demo's CSV files: budget vouchers dated to 30 June sum to 1 999 600.00 元, the
/// expenditures to 699 150.00 元 — 34.96%, 15.04 points short of 6 ÷ 12.
#[test]
fn demo_as_of_30_june() {
    let m = monitoring("furong-kexie-2020", 2020, "2020-06-30");
    assert_eq!(m.time_progress.text, "50.00%");
    assert_rows(
        &m,
        &[
            ("部门整体（合计）", "199.96", "69.92", "34.96%", "-15.04"),
            ("全国科普日活动经费", "30.00", "0.00", "0.00%", "-50.00"),
            ("全国科技工作者日活动经费", "13.00", "9.38", "72.15%", "22.15"),
            // Budget arrives later in the year: no rate, nothing missing.
            ("院士工作站项目", "0.00", "0.00", "—", "—"),
        ],
    );
    let unit = &m.funds[0];
    assert!(unit.behind);
    assert_eq!(unit.deviation_reason.text, "「缺少数据：偏差原因」");
    golden("monitor-furong-kexie-2020-06-30.txt", &m);
}

/// 永川区农机推广站 2024: budget vouchers to 30 June 8 328 200.00 元 (年初预算 and the April and June 追加), paid
/// 2 464 090.00 元 — 29.59%; 农机购置与应用补贴 1 550 000.00 of 6 200 000.00 = 25.00%.
#[test]
fn yongchuan_nongji_as_of_30_june() {
    let m = monitoring("yongchuan-nongji-2024", 2024, "2024-06-30");
    assert_rows(
        &m,
        &[
            ("部门整体（合计）", "832.82", "246.41", "29.59%", "-20.41"),
            ("农机购置与应用补贴", "620.00", "155.00", "25.00%", "-25.00"),
            ("农机新技术推广及安全培训", "35.93", "17.97", "50.00%", "0.00"),
        ],
    );
    golden("monitor-yongchuan-nongji-2024-06-30.txt", &m);
}

fn pdf_text(pdf: &Path) -> String {
    String::from_utf8(Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext runs").stdout).unwrap()
}

#[test]
fn libreoffice_opens_the_monitor_docx_and_workbook() {
    let m = monitoring("furong-kexie-2020", 2020, "2020-06-30");
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("monitor.docx");
    std::fs::write(
        &docx,
        jixiao_documents::docx_in(&jixiao_documents::monitor_outline(&m), jixiao_documents::Orientation::Landscape).unwrap(),
    )
    .unwrap();
    let xlsx = dir.path().join("monitor-table.xlsx");
    std::fs::write(&xlsx, jixiao_documents::monitor_workbook(&m).unwrap()).unwrap();
    for file in [&docx, &xlsx] {
        let pdf = libreoffice_to_pdf(file, dir.path());
        let text = pdf_text(&pdf);
        for expected in ["预算绩效运行监控表", "199.96", "69.92", "34.96%", "缺少数据", "偏差原因", "纠偏措施"] {
            assert!(text.contains(expected), "{} converted lacks {expected}", file.display());
        }
        std::fs::copy(&pdf, artifacts().join(format!("{}.pdf", file.file_stem().unwrap().to_string_lossy()))).unwrap();
    }
    // The workbook holds numbers, not text: 万元 amounts and fractions for 0.00%.
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = wb.worksheet_range("预算绩效运行监控表").unwrap();
    let unit_row = sheet.rows().find(|r| matches!(r.first(), Some(Data::String(s)) if s == "部门整体（合计）")).unwrap();
    assert_eq!(unit_row[2], Data::Float(1_999_600.0 / 10_000.0));
    assert!(matches!(unit_row[4], Data::Float(f) if (f - 0.3496).abs() < 1e-9), "{:?}", unit_row[4]);
}
