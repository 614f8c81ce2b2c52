//! The demo dataset (examples/furong-kexie-2020), embedded so that `jixiao demo` works from any directory.

use anyhow::{Context, Result};
use std::path::PathBuf;

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

/// Writes the demo files into a fresh temporary directory and returns it.
pub fn unpack() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("jixiao-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建 {}", dir.display()))?;
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text).with_context(|| format!("无法写入 {name}"))?;
    }
    Ok(dir)
}
