//! For the document tests: the datasets of `examples/` read straight from their import files (no database), the
//! demo's seed figures, and LibreOffice opening a written file, so that each test crate does not keep its own.

use jixiao_core::RecordSet;
use jixiao_core::books::Books;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace's `examples/` directory.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// One fiscal year's books of an example dataset (`examples/<dataset>`), read and validated as an import would.
pub fn example_books(dataset: &str, year: i32) -> Books {
    let dir = examples_dir().join(dataset);
    let source = jixiao_import::read(&dir).unwrap_or_else(|e| panic!("{dataset} reads: {:?}", e.0.first()));
    let batch = source.validate(&RecordSet::default(), &[]).unwrap_or_else(|e| panic!("{dataset} validates: {:?}", e.0.first()));
    let declared = batch.years.iter().find(|y| y.year == year).unwrap_or_else(|| panic!("{dataset}: {year} declared")).clone();
    Books::new(batch.unit.clone(), declared, batch.records.for_year(year))
}

/// The demo unit's books (芙蓉区科协 2020).
pub fn demo_books() -> Books {
    example_books("furong-kexie-2020", 2020)
}

/// The figures every paper format of the demo report prints (`crates/testdata/data/demo-seed-figures.txt`).
pub fn seed_figures() -> Vec<String> {
    include_str!("../data/demo-seed-figures.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Where renderings are kept for people to look at: `target/test-artifacts` of the workspace.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&dir).expect("target/test-artifacts can be created");
    dir
}

/// Converts `file` to PDF with LibreOffice headless, in a scratch profile, into `out`; the PDF's path.
pub fn libreoffice_to_pdf(file: &Path, out: &Path) -> PathBuf {
    let profile = tempfile::tempdir().expect("a scratch profile directory");
    let status = Command::new("libreoffice")
        .args(["--headless", "--norestore"])
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .expect("libreoffice runs (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui; see scripts/install-test-deps.sh)");
    let pdf = out.join(file.file_stem().expect("a file name")).with_extension("pdf");
    assert!(
        status.status.success() && pdf.exists(),
        "conversion failed: {}{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_figures_are_read_without_comments_or_blanks() {
        let figures = seed_figures();
        assert_eq!(figures.first().map(String::as_str), Some("242.96"));
        assert!(figures.iter().all(|f| !f.is_empty() && !f.starts_with('#')), "{figures:?}");
        assert!(figures.contains(&"1869人".to_string()) && figures.contains(&"2021年4月25日".to_string()));
    }
}
