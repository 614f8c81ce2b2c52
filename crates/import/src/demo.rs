//! The demo dataset (examples/furong-kexie-2020), embedded so that `jixiao demo` works from any directory.

const FILES: &[(&str, &str)] = &[
    ("activity_outputs.csv", include_str!("../../../examples/furong-kexie-2020/activity_outputs.csv")),
    ("appropriation_lines.csv", include_str!("../../../examples/furong-kexie-2020/appropriation_lines.csv")),
    ("budget_vouchers.csv", include_str!("../../../examples/furong-kexie-2020/budget_vouchers.csv")),
    ("control_documents.csv", include_str!("../../../examples/furong-kexie-2020/control_documents.csv")),
    ("expenditures.csv", include_str!("../../../examples/furong-kexie-2020/expenditures.csv")),
    ("fixed_assets.csv", include_str!("../../../examples/furong-kexie-2020/fixed_assets.csv")),
    ("major_decisions.csv", include_str!("../../../examples/furong-kexie-2020/major_decisions.csv")),
    ("narratives.csv", include_str!("../../../examples/furong-kexie-2020/narratives.csv")),
    ("procurements.csv", include_str!("../../../examples/furong-kexie-2020/procurements.csv")),
    ("project_indicators.csv", include_str!("../../../examples/furong-kexie-2020/project_indicators.csv")),
    ("projects.csv", include_str!("../../../examples/furong-kexie-2020/projects.csv")),
    ("receipts.csv", include_str!("../../../examples/furong-kexie-2020/receipts.csv")),
    ("staffing.csv", include_str!("../../../examples/furong-kexie-2020/staffing.csv")),
    ("unit.toml", include_str!("../../../examples/furong-kexie-2020/unit.toml")),
];

/// Writes the demo files into `dir` (which must exist), ready for [`crate::read`].
pub fn unpack_into(dir: &std::path::Path) -> std::io::Result<()> {
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// The demo unit's code.
pub const DEMO_UNIT: &str = "430102-KX";
/// The demo's fiscal year.
pub const DEMO_YEAR: i32 = 2020;

/// The demo as a validated batch with `payload` appended to every free-text value — text columns that are
/// neither the record's key nor a reference to another record's key — and to the unit's name, duties and
/// offices: the data of the escaping tests (report templates, web pages in a browser). Also gives how many
/// values were made hostile.
pub fn hostile(payload: &str) -> (jixiao_core::records::Batch, usize) {
    use jixiao_core::schema::{ValueType, record_kinds};
    use serde_json::Value;
    let unit_toml = FILES.iter().find(|(name, _)| *name == crate::unit::UNIT_FILE).map(|(_, text)| *text);
    let files: Vec<(String, Vec<u8>)> =
        FILES.iter().filter(|(name, _)| name.ends_with(".csv")).map(|(name, text)| (name.to_string(), text.as_bytes().to_vec())).collect();
    let source = crate::read_csv_files("demo".into(), unit_toml, &files).expect("the demo reads");
    let mut batch = source.validate(&Default::default(), &[]).expect("the demo validates");
    let records = &batch.records;
    let keys: std::collections::BTreeSet<String> = record_kinds()
        .iter()
        .flat_map(|k| records.rows(&k.id).into_iter().filter_map(|r| r.get(&k.key).and_then(Value::as_str).map(str::to_string)))
        .collect();
    let mut hostile = jixiao_core::RecordSet::default();
    let mut fields = 0;
    for kind in record_kinds() {
        for mut row in records.rows(&kind.id) {
            for column in kind.columns.iter().filter(|c| c.value_type == ValueType::Text && c.field != kind.key) {
                if let Some(Value::String(text)) = row.get_mut(&column.field)
                    && !keys.contains(text.as_str())
                {
                    text.push_str(payload);
                    fields += 1;
                }
            }
            hostile.push_row(&kind.id, row).expect("same shape");
        }
    }
    batch.records = hostile;
    batch.unit.name.push_str(payload);
    batch.unit.duties.push(payload.into());
    batch.unit.offices.push(jixiao_core::records::Office { name: payload.into(), duties: payload.into() });
    (batch, fields + 4)
}
