//! Sparse and huge-dimension sheets (issue 16): workbooks whose cells lie anywhere in Excel's 1 048 576 × 16 384
//! grid, on record sheets, with the `<dimension>` true, missing or forged. The importer must refuse the large
//! ones before allocating (libFuzzer's -rss_limit_mb catches a dense range) and read the small ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::{Read, Write};

/// Replaces (or, for an empty `dimension`, removes) the worksheets' `<dimension …/>`.
fn forge_dimension(bytes: &[u8], dimension: &str) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        let mut part = Vec::new();
        entry.read_to_end(&mut part).ok()?;
        if name.starts_with("xl/worksheets/") {
            let xml = String::from_utf8(part).ok()?;
            let start = xml.find("<dimension")?;
            let end = start + xml[start..].find("/>")? + 2;
            let replacement = if dimension.is_empty() { String::new() } else { format!("<dimension ref=\"{dimension}\"/>") };
            part = format!("{}{replacement}{}", &xml[..start], &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).ok()?;
        out.write_all(&part).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let kinds = jixiao_core::schema::record_kinds();
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut sheets = Vec::new();
    // Each cell: sheet (1 byte), row (4), column (2), text (1): anywhere in the grid, on up to four record sheets.
    for cell in rest.chunks_exact(8).take(64) {
        let sheet = usize::from(cell[0] % 4);
        while sheets.len() <= sheet {
            let name = &kinds[(sheets.len() * 7 + usize::from(mode)) % kinds.len()].label;
            let Ok(ws) = book.add_worksheet().set_name(name) else { return };
            let _ = ws;
            sheets.push(());
        }
        let row = u32::from_le_bytes([cell[1], cell[2], cell[3], cell[4]]) % 1_048_576;
        let col = u16::from_le_bytes([cell[5], cell[6]]) % 16_384;
        let Ok(ws) = book.worksheet_from_index(sheet) else { return };
        let _ = ws.write_string(row, col, char::from(b'A' + cell[7] % 26).to_string());
    }
    let Ok(bytes) = book.save_to_buffer() else { return };
    let bytes = match mode % 3 {
        0 => bytes,
        1 => match forge_dimension(&bytes, "") {
            Some(b) => b,
            None => return,
        },
        _ => match forge_dimension(&bytes, "A1:B2") {
            Some(b) => b,
            None => return,
        },
    };
    if let Ok(source) = jixiao_import::read_workbook_bytes("fuzz".into(), "fuzz.xlsx", &bytes) {
        let _ = source.validate(&Default::default(), &[]);
    }
});
