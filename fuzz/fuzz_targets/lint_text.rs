//! Feeds arbitrary bytes, read as text the way a .txt report is (UTF-8, else GB18030), to the
//! linter and every renderer: none may panic. Also feeds them as the XML body of a .docx.
#![no_main]

use jixiao_lint::{OutputFormat, lint_text, read, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = read::decode_text(data) {
        let report = lint_text("fuzz.txt", &text);
        for format in [OutputFormat::Text, OutputFormat::Json, OutputFormat::Html] {
            let _ = render(&report, format);
        }
    }
    if let Ok(xml) = std::str::from_utf8(data) {
        let _ = read::docx_paragraphs(xml);
    }
});
