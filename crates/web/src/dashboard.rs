//! The unit dashboard's data: what the charts and tables show, computed from one unit-year's books.
//! Amounts are passed to the charts as 万元 text; ECharts reads them as numbers.

use jixiao_core::books::Books;
use jixiao_core::money::{BasisPoints, Fen};
use jixiao_core::records::SpendingKind;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// ECharts options for 全年预算 vs 支出 by function class.
pub fn by_function_class(books: &Books) -> Value {
    let mut classes: BTreeMap<String, (Fen, Fen)> = BTreeMap::new();
    for l in &books.records.appropriation_lines {
        let e = classes.entry(l.function_code.chars().take(3).collect()).or_default();
        e.0 += books.line_budget(&l.line_code).annual();
        e.1 += books.line_spending(&l.line_code);
    }
    let tables = books.code_tables();
    let names: Vec<String> = classes.keys().map(|c| tables.and_then(|t| t.function(c)).map_or(c.clone(), |f| f.name.clone())).collect();
    json!({
        "tooltip": { "trigger": "axis" },
        "legend": { "data": ["全年预算数", "支出"], "top": 0 },
        "grid": { "left": 60, "right": 20, "top": 40, "bottom": 80 },
        "xAxis": { "type": "category", "data": names, "axisLabel": { "interval": 0, "rotate": 20 } },
        "yAxis": { "type": "value", "name": "万元" },
        "series": [
            { "name": "全年预算数", "type": "bar", "data": classes.values().map(|v| v.0.wan_yuan_string()).collect::<Vec<_>>() },
            { "name": "支出", "type": "bar", "data": classes.values().map(|v| v.1.wan_yuan_string()).collect::<Vec<_>>() },
        ]
    })
}

/// ECharts options for 基本支出 vs 项目支出.
pub fn basic_vs_project(books: &Books) -> Value {
    let sum = |kind: SpendingKind| -> Fen { books.spending_where(|l| l.spending_kind == kind).amount };
    // Each part labelled with its amount and share, so the chart reads without hovering; on a phone-wide chart
    // the ring is smaller, leaving the labels room beside it (ECharts media queries).
    json!({
        "baseOption": {
            "tooltip": { "trigger": "item", "formatter": "{b}：{c}万元（{d}%）" },
            "legend": { "bottom": 0 },
            "series": [{ "type": "pie", "radius": ["35%", "60%"], "label": { "show": true, "overflow": "none", "formatter": "{b}\n{c} 万元\n{d}%", "lineHeight": 16 }, "data": [
                { "name": "基本支出", "value": sum(SpendingKind::Basic).wan_yuan_string() },
                { "name": "项目支出", "value": sum(SpendingKind::Project).wan_yuan_string() },
            ]}]
        },
        "media": [{ "query": { "maxWidth": 500 }, "option": { "series": [{ "radius": ["20%", "36%"], "center": ["50%", "45%"], "label": { "overflow": "none", "fontSize": 11, "lineHeight": 14 } }] } }]
    })
}

/// Cumulative spending by month against 序时进度 (全年预算数 × month ÷ 12), and the months' rates.
pub fn monthly_curve(books: &Books) -> Value {
    let annual: Fen = books.records.appropriation_lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum();
    let mut by_month = [Fen::ZERO; 12];
    for ((_, _, period), t) in books.month_totals().iter() {
        if period / 100 == books.year.year && (1..=12).contains(&(period % 100)) {
            by_month[(period % 100 - 1) as usize] += t.spending;
        }
    }
    let mut cumulative = Fen::ZERO;
    let (mut actual, mut expected, mut rates) = (Vec::new(), Vec::new(), Vec::new());
    for (m, amount) in by_month.iter().enumerate() {
        cumulative += *amount;
        let due = Fen(annual.0 * (m as i64 + 1) / 12);
        actual.push(cumulative.wan_yuan_string());
        expected.push(due.wan_yuan_string());
        rates.push(BasisPoints::ratio(cumulative.0, due.0).map_or("—".to_string(), |r| r.percent_string()));
    }
    json!({
        "tooltip": { "trigger": "axis" },
        "legend": { "data": ["累计支出", "序时进度"], "top": 0 },
        "grid": { "left": 60, "right": 20, "top": 40 },
        "xAxis": { "type": "category", "data": (1..=12).map(|m| format!("{m}月")).collect::<Vec<_>>() },
        "yAxis": { "type": "value", "name": "万元" },
        "series": [
            { "name": "累计支出", "type": "line", "data": actual, "areaStyle": { "opacity": 0.15 } },
            { "name": "序时进度", "type": "line", "data": expected, "lineStyle": { "type": "dashed" } },
        ],
        "rates": rates,
    })
}
