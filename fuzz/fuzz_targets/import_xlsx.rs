//! Feeds arbitrary bytes to the .xlsx importer (zip, then the spreadsheet reader, then the unit sheets and
//! record sheets), then validates what was read. No panic, no hang, no unbounded memory (zip bombs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = jixiao_import::read_workbook_bytes("fuzz".into(), "fuzz.xlsx", data) {
        let _ = source.validate(&Default::default(), &[]);
    }
});
