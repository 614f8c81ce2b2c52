//! Feeds arbitrary bytes to the CSV importer as one record kind's file (the first byte picks the kind; 255
//! makes the rest the unit.toml instead), beside the demo unit's unit.toml, then validates what was read.
//! Every outcome must be a Source or ImportErrors: no panic, no hang.
#![no_main]

use jixiao_core::schema::record_kinds;
use libfuzzer_sys::fuzz_target;

const UNIT_TOML: &str = include_str!("../../examples/furong-kexie-2020/unit.toml");

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let kinds = record_kinds();
    let result = if pick == 255 {
        jixiao_import::read_csv_files("fuzz".into(), std::str::from_utf8(rest).ok(), &[])
    } else {
        let file = kinds[pick as usize % kinds.len()].file.clone();
        jixiao_import::read_csv_files("fuzz".into(), Some(UNIT_TOML), &[(file, rest.to_vec())])
    };
    if let Ok(source) = result {
        let _ = source.validate(&Default::default(), &[]);
    }
});
