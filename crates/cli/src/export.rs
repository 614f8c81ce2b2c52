//! `jixiao export`: the books as a ledger/hledger journal or a Fiscal Data Package. Every unit-year in the
//! database (or those of --unit / --year), one unit-year in memory at a time.

use anyhow::{Context, Result, bail};
use jixiao_core::export::{fdp, journal};
use jixiao_store::Store;
use std::io::Write;
use std::path::Path;

/// The unit-years to export, in unit-code then year order.
async fn unit_years(store: &Store, unit: Option<&str>, year: Option<i32>) -> Result<Vec<(String, i32)>> {
    let mut out = Vec::new();
    for (code, _) in store.units().await? {
        if unit.is_some_and(|u| u != code) {
            continue;
        }
        for y in store.years(&code).await? {
            if year.is_none_or(|wanted| wanted == y.year) {
                out.push((code.clone(), y.year));
            }
        }
    }
    if out.is_empty() {
        bail!(
            "没有可导出的账簿：数据库中没有{}",
            match (unit, year) {
                (Some(u), Some(y)) => format!("单位 {u} 的 {y} 年度"),
                (Some(u), None) => format!("单位 {u}"),
                (None, Some(y)) => format!("{y} 年度的单位"),
                (None, None) => "单位（请先运行 jixiao import 或 jixiao demo）".into(),
            }
        );
    }
    Ok(out)
}

/// Writes the journal to `output` (stdout without it).
pub async fn ledger(store: &Store, unit: Option<&str>, year: Option<i32>, output: Option<&Path>) -> Result<usize> {
    let selected = unit_years(store, unit, year).await?;
    let mut sink: Box<dyn Write> = match output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("无法写入 {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut sink = std::io::BufWriter::new(&mut sink);
    let mut text = String::new();
    for (code, year) in &selected {
        text.clear();
        journal::write(&store.books(code, *year).await?, &mut text);
        sink.write_all(text.as_bytes())?;
    }
    sink.flush()?;
    Ok(selected.len())
}

/// Writes `datapackage.json` and the CSV into the directory `out`.
pub async fn fiscal_data_package(store: &Store, unit: Option<&str>, year: Option<i32>, out: &Path) -> Result<usize> {
    let selected = unit_years(store, unit, year).await?;
    std::fs::create_dir_all(out).with_context(|| format!("无法创建目录 {}", out.display()))?;
    let csv_path = out.join(fdp::DATA_FILE);
    let mut csv = csv::Writer::from_path(&csv_path).with_context(|| format!("无法写入 {}", csv_path.display()))?;
    csv.write_record(fdp::COLUMNS)?;
    let mut rows = 0;
    for (code, year) in &selected {
        for row in fdp::rows(&store.books(code, *year).await?) {
            csv.write_record(&row)?;
            rows += 1;
        }
    }
    csv.flush()?;
    let (name, title) = match (unit, year) {
        (Some(u), Some(y)) => (format!("jixiao-{u}-{y}"), format!("{u} {y} 年度预算执行")),
        (Some(u), None) => (format!("jixiao-{u}"), format!("{u} 预算执行")),
        (None, Some(y)) => (format!("jixiao-{y}"), format!("{y} 年度预算执行")),
        (None, None) => ("jixiao".to_string(), "预算执行".to_string()),
    };
    let name: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '-' }).collect();
    let descriptor = serde_json::to_string_pretty(&fdp::descriptor(&name, &title))? + "\n";
    std::fs::write(out.join("datapackage.json"), descriptor)
        .with_context(|| format!("无法写入 {}", out.join("datapackage.json").display()))?;
    Ok(rows)
}
