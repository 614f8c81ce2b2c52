//! The template context: the models as JSON, plus table rows laid out for the `table` macro.
//! A cell is a plain string, a Figure (linked in HTML), or `{text, hover}` (provenance on hover).

use jixiao_core::evaluation::{Evaluation, ProjectEvaluation, ScoredIndicator};
use jixiao_core::consolidated::{ConsolidatedModel, ScopeKind};
use serde_json::{Value, json};

fn hover(text: impl Into<String>, title: impl Into<String>) -> Value {
    json!({ "text": text.into(), "hover": title.into() })
}

fn value_cell(i: &ScoredIndicator) -> Value {
    let mut title = i.formula.clone();
    if let (Some(n), Some(d)) = (&i.numerator, &i.denominator) {
        title.push_str(&format!("；分子 {n}，分母 {d}"));
    }
    if let Some(u) = &i.unavailable {
        title.push_str(&format!("；{u}"));
    }
    if i.evidence_count > 0 {
        let keys: Vec<String> = i.evidence.iter().take(20).map(|r| format!("{}:{}", r.kind, r.key)).collect();
        title.push_str(&format!("；来源：{}{}", keys.join("、"), if i.evidence_count > keys.len() { format!(" 等{}条", i.evidence_count) } else { String::new() }));
    }
    hover(&i.value, title)
}

fn note_cell(i: &ScoredIndicator) -> String {
    let mut parts = Vec::new();
    if !i.checklist.is_empty() {
        parts.push(i.checklist.iter().map(|c| format!("{}{}：{}", if c.met { "✓" } else { "✗" }, c.label, c.detail)).collect::<Vec<_>>().join("；"));
    } else if let Some(l) = &i.lost_reason {
        parts.push(l.clone());
    } else if let Some(u) = &i.unavailable {
        parts.push(format!("无法计算：{u}，按规则给分"));
    }
    if let Some(o) = &i.overridden {
        parts.push(format!("审核调整（{} {}，{}）：计算得分 {}，调整为 {}，理由：{}", o.reviewer, o.date, o.override_code, i.computed_score, o.score, o.reason));
    }
    if parts.is_empty() { "—".into() } else { parts.join("。") }
}

fn project_view(p: &ProjectEvaluation) -> Value {
    let mut view = serde_json::to_value(p).unwrap_or_default();
    view["fund_rows"] = p
        .funds
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let first = k == 0;
            json!([
                f.label,
                f.initial.wan_yuan,
                f.annual.wan_yuan,
                f.spent.as_ref().map_or("—".to_string(), |s| s.wan_yuan.clone()),
                if first { p.execution_weight.to_string() } else { "—".into() },
                if first { p.execution_rate.clone().unwrap_or_else(|| "无法计算".into()) } else { "—".into() },
                if first { p.execution_score.to_string() } else { "—".into() },
            ])
        })
        .collect();
    view["indicator_rows"] = p
        .indicators
        .iter()
        .map(|i| {
            let qualitative = i.direction == "定性";
            json!([
                i.level1,
                i.level2,
                i.level3,
                if qualitative { i.target.clone() } else { format!("{}{}{}", i.direction, i.target, i.unit) },
                if i.actual.is_empty() { "「缺少数据」".to_string() } else if qualitative { i.actual.clone() } else { format!("{}{}", i.actual, i.unit) },
                i.weight.to_string(),
                if i.overridden.is_some() { format!("{}（计算 {}）", i.score, i.computed_score) } else { i.score.to_string() },
                if i.deviation_reason.is_empty() { "—".to_string() } else { i.deviation_reason.clone() },
            ])
        })
        .collect();
    view
}

/// The evaluation laid out for `evaluation_parts.j2`; `total_figure` is the traced total when one exists.
pub fn evaluation_view(e: &Evaluation, total_figure: Option<Value>) -> Value {
    let rows: Vec<Value> = e
        .indicators
        .iter()
        .map(|i| {
            json!([
                i.level1,
                i.level2,
                i.level3,
                i.weight.to_string(),
                value_cell(i),
                if i.excluded { "不参与".to_string() } else if i.overridden.is_some() { format!("{}*", i.score) } else { i.score.to_string() },
                note_cell(i),
            ])
        })
        .collect();
    json!({
        "framework": e.framework,
        "applied": e.applied,
        "basis": e.basis,
        "rows": rows,
        "total_figure": total_figure.unwrap_or_else(|| hover(e.total.to_string(), "Σ 各指标得分")),
        "grade": e.grade,
        "note": e.note,
        "problem_list": e.problems(),
        "review_flags": e.review_flags,
        "projects": e.projects.iter().map(project_view).collect::<Vec<_>>(),
    })
}

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
