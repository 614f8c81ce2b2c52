//! docs/web-coverage.md names, for each item of issue 20, the test that covers it as `file::test`: every test
//! it names must exist in the file it gives, so the table cannot point at a test renamed or removed.

use std::path::Path;

#[test]
fn every_test_the_coverage_table_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = std::fs::read_to_string(root.join("docs/web-coverage.md")).unwrap();
    // Backticked `crates/…/x.rs::name` references, wherever they stand in a row.
    let named: Vec<(&str, &str)> = table.split('`').skip(1).step_by(2).filter_map(|quoted| quoted.split_once(".rs::")).collect();
    assert!(named.len() >= 30, "the table names its tests as `file::test`: {named:?}");
    let mut missing = Vec::new();
    for (file, test) in &named {
        let path = root.join(format!("{file}.rs"));
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        if !source.contains(&format!("fn {test}(")) {
            missing.push(format!("{file}.rs::{test}"));
        }
    }
    assert!(missing.is_empty(), "docs/web-coverage.md names tests that do not exist: {missing:?}");
}
