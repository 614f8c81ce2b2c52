//! `jixiao report --scope department|region`: the consolidated report of a 主管部门 or a 财政局's region.

use anyhow::{Result, bail};
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use std::path::Path;

/// The scope from the command line: `--department CODE` for a 主管部门; `--bureau CODE` (or nothing: every unit
/// in the database, or `--area CODE`: the units of an area by 行政区划代码) for a region.
pub fn scope(region: bool, department: Option<String>, bureau: Option<String>, area: Option<String>) -> Result<Scope> {
    Ok(if region {
        area.map_or(Scope::Region(bureau), Scope::Area)
    } else {
        match department {
            Some(code) => Scope::Department(code),
            None => bail!("--scope department 需要 --department 主管部门编码"),
        }
    })
}

/// The consolidated report's text.
pub async fn report(store: &Store, scope: &Scope, year: i32, format: jixiao_report::Format, rules: Option<&Path>) -> Result<String> {
    let units = store.directory(scope).await?;
    if units.is_empty() {
        let all = store.directory(&Scope::Region(None)).await?;
        let mut codes: Vec<String> = all
            .iter()
            .filter_map(|u| match scope {
                Scope::Department(_) => u.department_code.clone().map(|c| format!("{c}（{}）", u.parent_department)),
                Scope::Region(_) => u.bureau_code.clone().map(|c| format!("{c}（{}）", u.bureau_name.clone().unwrap_or_default())),
                Scope::Area(_) => Some(u.region_code.clone()),
            })
            .collect();
        codes.sort();
        codes.dedup();
        let what = match scope {
            Scope::Department(code) => format!("主管部门编码为「{code}」的单位"),
            Scope::Region(Some(code)) => format!("财政局编码为「{code}」的单位"),
            Scope::Region(None) => "单位".to_string(),
            Scope::Area(code) => format!("行政区划代码在「{code}」内的单位"),
        };
        bail!("数据库中没有{what}{}", if codes.is_empty() { String::new() } else { format!("；已有：{}", codes.join("、")) });
    }
    let input = jixiao_service::consolidate::consolidation_input(store, scope, year, crate::rules_file(rules)?).await?;
    let model = jixiao_core::consolidated::build(&input);
    Ok(jixiao_report::render_consolidated(&model, format)?)
}
