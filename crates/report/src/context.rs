//! The consolidated report's template context: the model as JSON, plus table rows laid out for the `table`
//! macro. A cell is a plain string or a Figure (linked in HTML).

use jixiao_core::consolidated::{ConsolidatedModel, ScopeKind};
use serde_json::{Value, json};

/// The consolidated model with its tables laid out for `consolidated.j2`.
pub fn consolidated_context(model: &ConsolidatedModel) -> Value {
    let mut value = serde_json::to_value(model).unwrap_or_default();
    let unit = |name: &str, code: &str| format!("{name}（{code}）");
    value["department_rows"] = model.departments.iter().map(|d| json!([if d.code.is_empty() { d.name.clone() } else { unit(&d.name, &d.code) }, d.units.to_string(), d.annual, d.spent, d.rate])).collect();
    let region = model.kind == ScopeKind::Region;
    value["unit_headers"] = if region { json!(["主管部门", "单位", "全年预算数（万元）", "本年支出（万元）", "执行率"]) } else { json!(["单位", "全年预算数（万元）", "本年支出（万元）", "执行率"]) };
    value["unit_rows"] = model
        .units
        .iter()
        .map(|u| {
            let mut row = if region { vec![json!(u.department)] } else { vec![] };
            row.extend([json!(unit(&u.name, &u.code)), json!(u.annual), json!(u.spent), json!(u.rate)]);
            Value::Array(row)
        })
        .collect();
    value["ranking_rows"] = model
        .ranking
        .iter()
        .map(|r| json!([r.rank.to_string(), unit(&r.name, &r.code), r.department, r.score, r.grade, if r.note.is_empty() { "—" } else { r.note.as_str() }]))
        .collect();
    value["finding_rows"] = model.findings.iter().map(|f| json!([unit(&f.name, &f.code), f.department, f.errors.to_string(), f.warnings.to_string(), f.rules])).collect();
    value
}
