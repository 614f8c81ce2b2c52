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
