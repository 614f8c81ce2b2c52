//! Feeds arbitrary bytes, read as text the way a .txt report is (UTF-8, else GB18030), to the
//! linter (document kinds, 自评表 cells, rates, residue checks) and every renderer: none may panic.
//! The two halves of the text are also compared as two documents of one unit, and the bytes are fed
//! as the XML body of a .docx.
#![no_main]

use jixiao_lint::{OutputFormat, compare, lint_text, read, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = read::decode_text(data) {
        let report = lint_text("fuzz.txt", &text);
        for format in [OutputFormat::Text, OutputFormat::Json, OutputFormat::Html] {
            let _ = render(&report, format);
        }
        let cut = (0..=text.len() / 2)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let (a, b) = text.split_at(cut);
        let mut pair = vec![lint_text("a.txt", a), lint_text("b.txt", b)];
        // Same unit and year, so every shared figure is compared.
        let unit = pair[0]
            .unit_name
            .clone()
            .or_else(|| Some("某单位".to_string()));
        for r in pair.iter_mut() {
            r.unit_name = unit.clone();
            r.report_year = Some(2022);
        }
        compare::compare(&mut pair);
    }
    if let Ok(xml) = std::str::from_utf8(data) {
        let _ = read::docx_paragraphs(xml);
    }
});
