//! Feeds arbitrary bytes to the spreadsheet reader (a 自评表 published as .xlsx/.xls), then lints
//! whatever text comes out and compares it with the same text as a second document: none may panic.
#![no_main]

use jixiao_lint::{OutputFormat, compare, lint_text, read, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = read::spreadsheet_text(data) {
        let report = lint_text("fuzz.xlsx", &text);
        let _ = render(&report, OutputFormat::Json);
        let mut pair = vec![report.clone(), lint_text("fuzz2.xlsx", &text)];
        compare::compare(&mut pair);
    }
});
