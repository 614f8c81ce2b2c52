//! Fiscal Data Package (财政数据包) — the books as a `datapackage.json` descriptor plus one CSV, after the
//! Frictionless Fiscal Data Package specification: one row per appropriation line, three measures by budget
//! phase and the three classifications as dimensions.
//!
//! Phases: `approved` = 年初预算 (the budget approved at the start of the year), `adjusted` = 全年预算数
//! (上年结转 + 年初预算 + 调整), `executed` = 支出 (everything paid out of the line, reversals included).
//! Measures are 元 with two decimals, printed exactly from 分.

use crate::books::Books;
use serde_json::json;

/// The CSV file the descriptor names.
pub const DATA_FILE: &str = "budget.csv";

/// The CSV columns, in order.
pub const COLUMNS: &[&str] = &[
    "fiscal_year",
    "admin_code",
    "admin_name",
    "department_code",
    "department_name",
    "function_code",
    "function_name",
    "economic_code",
    "economic_name",
    "line_code",
    "spending_kind",
    "fund_source",
    "project_code",
    "approved",
    "adjusted",
    "executed",
];

/// One row per appropriation line of the unit-year, in the books' order, as CSV cells in `COLUMNS` order.
pub fn rows(books: &Books) -> Vec<Vec<String>> {
    let tables = books.code_tables();
    let spending = books.spending_by_line();
    books
        .records
        .appropriation_lines
        .iter()
        .map(|l| {
            let (b, spent) = (books.line_budget(&l.line_code), spending.get(&l.line_code).map(|s| s.amount).unwrap_or_default());
            let function_name = books.function_name(&l.function_code);
            let economic_name = tables.and_then(|t| t.economic(&l.economic_code)).map(|e| e.name.clone()).unwrap_or_default();
            vec![
                books.year.year.to_string(),
                books.unit.code.clone(),
                books.unit.name.clone(),
                books.unit.department_code.clone().unwrap_or_default(),
                books.unit.parent_department.clone(),
                l.function_code.clone(),
                function_name,
                l.economic_code.clone(),
                economic_name,
                l.line_code.clone(),
                l.spending_kind.label().to_string(),
                l.fund_source.label().to_string(),
                l.project_code.clone().unwrap_or_default(),
                b.initial.yuan_string(),
                b.annual().yuan_string(),
                spent.yuan_string(),
            ]
        })
        .collect()
}

/// The `datapackage.json` descriptor: the resource's table schema and the fiscal model mapping its columns.
pub fn descriptor(name: &str, title: &str) -> serde_json::Value {
    let string = |n: &str, t: &str| json!({ "name": n, "type": "string", "title": t });
    let number = |n: &str, t: &str| json!({ "name": n, "type": "number", "title": t, "decimalChar": "." });
    let fields = vec![
        json!({ "name": "fiscal_year", "type": "year", "title": "预算年度" }),
        string("admin_code", "单位编码"),
        string("admin_name", "单位名称"),
        string("department_code", "主管部门编码"),
        string("department_name", "主管部门"),
        string("function_code", "支出功能分类科目编码"),
        string("function_name", "支出功能分类科目名称"),
        string("economic_code", "部门预算支出经济分类科目编码"),
        string("economic_name", "部门预算支出经济分类科目名称"),
        string("line_code", "指标编号"),
        string("spending_kind", "支出性质"),
        string("fund_source", "资金来源"),
        string("project_code", "项目编码"),
        number("approved", "年初预算数（元）"),
        number("adjusted", "全年预算数（元）"),
        number("executed", "支出数（元）"),
    ];
    debug_assert_eq!(fields.len(), COLUMNS.len());
    let measure = |phase: &str| json!({ "source": phase, "currency": "CNY", "factor": 1, "direction": "expenditure", "phase": phase });
    let classification = |kind: &str, code: &str, label: &str| {
        json!({
            "dimensionType": "classification",
            "classificationType": kind,
            "primaryKey": ["code"],
            "attributes": { "code": { "source": code }, "label": { "source": label, "labelfor": "code" } }
        })
    };
    json!({
        "profile": "fiscal-data-package",
        "name": name,
        "title": title,
        "resources": [{
            "name": "budget",
            "path": DATA_FILE,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": { "fields": fields, "primaryKey": ["fiscal_year", "admin_code", "line_code"] }
        }],
        "model": {
            "measures": { "approved": measure("approved"), "adjusted": measure("adjusted"), "executed": measure("executed") },
            "dimensions": {
                "administrative-classification": {
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                    "primaryKey": ["code"],
                    "attributes": {
                        "department": { "source": "department_code" },
                        "department_name": { "source": "department_name", "labelfor": "department" },
                        "code": { "source": "admin_code", "parent": "department" },
                        "label": { "source": "admin_name", "labelfor": "code" }
                    }
                },
                "functional-classification": classification("functional", "function_code", "function_name"),
                "economic-classification": classification("economic", "economic_code", "economic_name"),
                "appropriation-line": {
                    "dimensionType": "other",
                    "primaryKey": ["line"],
                    "attributes": {
                        "line": { "source": "line_code" },
                        "spending_kind": { "source": "spending_kind" },
                        "fund_source": { "source": "fund_source" },
                        "project": { "source": "project_code" }
                    }
                },
                "date": { "dimensionType": "datetime", "primaryKey": ["year"], "attributes": { "year": { "source": "fiscal_year" } } }
            }
        }
    })
}
