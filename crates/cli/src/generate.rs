//! `jixiao gen`: a synthetic dataset in the import format — one directory per unit (unit.toml + CSV files),
//! clean 2020 books with adjustments, reversals, projects and procurement — the same bytes for the same
//! arguments. The rows come from `jixiao-testdata`, the generator the equivalence test and benchmarks use.

use anyhow::{Context, Result, bail};
use jixiao_testdata::{generated_unit, vouchers_of_unit};
use std::path::Path;

/// Writes `units` unit directories carrying `vouchers` money records between them into `out` (which must be
/// missing or empty, so that the dataset is exactly what these arguments give). Returns the records written.
pub fn run(units: usize, vouchers: u64, seed: u64, year: i32, out: &Path) -> Result<usize> {
    if units == 0 {
        bail!("--units 必须至少为 1");
    }
    if out.exists() && std::fs::read_dir(out).with_context(|| format!("无法读取目录 {}", out.display()))?.next().is_some() {
        bail!("输出目录 {} 不是空的：请指定一个新目录（生成的数据只取决于参数，不与旧文件混合）", out.display());
    }
    let mut records = 0;
    for i in 0..units {
        let unit = generated_unit(seed, i, vouchers_of_unit(i, units, vouchers), year);
        for import in &unit.imports {
            import.write(&out.join(&unit.code)).with_context(|| format!("无法写入 {}", out.join(&unit.code).display()))?;
            records += import.records();
        }
    }
    Ok(records)
}
