//! Without poppler's pdftotext on PATH, a PDF is refused with a message naming the package to install.
//! Its own test binary, because it empties PATH for the whole process.

use jixiao_lint::{LintError, lint_file};

#[test]
fn missing_pdftotext_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, "%PDF-1.4\n%%EOF\n").unwrap();
    // SAFETY: this test binary has a single test, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("PATH", dir.path()) };
    let error = lint_file(&pdf).unwrap_err();
    assert!(matches!(error, LintError::PdfToTextMissing), "{error}");
    assert!(error.to_string().contains("poppler-utils"));
}
