//! The unit's profile and fiscal years: `unit.toml` beside the CSV files, or four sheets of the workbook.

use crate::error::{ImportError, Place};
use crate::table::Table;
use jixiao_core::Date;
use jixiao_core::records::{Office, UnitProfile, UnitYear};
use serde::Deserialize;

pub const UNIT_FILE: &str = "unit.toml";
pub const SHEET_PROFILE: &str = "单位信息";
pub const SHEET_DUTIES: &str = "职能职责";
pub const SHEET_OFFICES: &str = "内设机构";
pub const SHEET_YEARS: &str = "年度信息";

/// Profile fields as (field, Chinese name) — the rows of the 单位信息 sheet.
pub const PROFILE_FIELDS: &[(&str, &str)] =
    &[("code", "单位编码"), ("name", "单位名称"), ("region_code", "区划代码"), ("parent_department", "主管部门")];

/// Optional profile fields (the hierarchy 财政局 → 主管部门 → 单位) as (field, Chinese name): further rows of 单位信息.
pub const HIERARCHY_FIELDS: &[(&str, &str)] =
    &[("department_code", "主管部门编码"), ("bureau_code", "财政局编码"), ("bureau_name", "财政局名称")];

/// A hierarchy value as given: blank is absent.
fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    code: String,
    name: String,
    region_code: String,
    parent_department: String,
    department_code: Option<String>,
    bureau_code: Option<String>,
    bureau_name: Option<String>,
    framework: Option<String>,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    offices: Vec<Office>,
    #[serde(default)]
    years: Vec<YearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    report_date: Option<String>,
}

fn year_of(place: &Place, row: Option<usize>, year: i32, report_date: Option<&str>) -> Result<UnitYear, ImportError> {
    let report_date = match report_date.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => Some(
            Date::parse(text)
                .ok_or_else(|| place.error(row, Some("报告日期"), Some(text), "IMPORT_BAD_DATE", "日期无效，应为 YYYY-MM-DD"))?,
        ),
    };
    Ok(UnitYear { year, report_date })
}

pub fn parse_unit_toml(text: &str) -> Result<(UnitProfile, Vec<UnitYear>), ImportError> {
    let place = Place { file: UNIT_FILE.to_string(), sheet: None };
    let parsed: UnitFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        place.error(line, None, None, "IMPORT_UNIT_TOML", format!("unit.toml 格式错误：{}", e.message()))
    })?;
    if parsed.code.trim().is_empty() || parsed.name.trim().is_empty() {
        return Err(place.error(None, Some("code/name"), None, "IMPORT_REQUIRED_EMPTY", "单位编码和单位名称不能为空"));
    }
    let years = parsed.years.iter().map(|y| year_of(&place, None, y.year, y.report_date.as_deref())).collect::<Result<Vec<_>, _>>()?;
    Ok((
        UnitProfile {
            code: parsed.code.trim().to_string(),
            name: parsed.name.trim().to_string(),
            region_code: parsed.region_code,
            parent_department: parsed.parent_department,
            duties: parsed.duties,
            offices: parsed.offices,
            department_code: optional(parsed.department_code),
            bureau_code: optional(parsed.bureau_code),
            bureau_name: optional(parsed.bureau_name),
            framework: optional(parsed.framework),
        },
        years,
    ))
}

/// Reads the unit from the workbook's four unit sheets.
pub fn parse_unit_sheets(file: &str, sheets: &[&Table]) -> Result<(UnitProfile, Vec<UnitYear>), Vec<ImportError>> {
    let find = |name: &str| sheets.iter().find(|t| t.place.sheet.as_deref() == Some(name));
    let Some(profile) = find(SHEET_PROFILE) else {
        return Err(vec![ImportError {
            sheet: Some(SHEET_PROFILE.into()),
            ..ImportError::file(file, "IMPORT_MISSING_SHEET", "缺少工作表「单位信息」")
        }]);
    };
    let mut errors = Vec::new();
    // 单位信息 is field | value; its first row is read as the header, so include it.
    let mut pairs: Vec<(usize, &str, &str)> =
        vec![(1, profile.header.first().map_or("", String::as_str), profile.header.get(1).map_or("", String::as_str))];
    pairs.extend(profile.rows.iter().map(|(r, c)| (*r, c.first().map_or("", String::as_str), c.get(1).map_or("", String::as_str))));
    let value = |field: &str, zh: &str| pairs.iter().find(|(_, k, _)| *k == zh || *k == field).map(|(_, _, v)| v.to_string());
    let mut fields = Vec::new();
    for (field, zh) in PROFILE_FIELDS {
        match value(field, zh).filter(|v| !v.is_empty()) {
            Some(v) => fields.push(v),
            None => {
                errors.push(profile.place.error(None, Some(zh), None, "IMPORT_REQUIRED_EMPTY", format!("单位信息缺少「{zh}」")));
                fields.push(String::new());
            }
        }
    }
    let duties = find(SHEET_DUTIES)
        .map(|t| t.rows.iter().filter_map(|(_, c)| c.last().filter(|x| !x.is_empty()).cloned()).collect())
        .unwrap_or_default();
    let offices = find(SHEET_OFFICES)
        .map(|t| {
            t.rows
                .iter()
                .map(|(_, c)| Office { name: c.first().cloned().unwrap_or_default(), duties: c.get(1).cloned().unwrap_or_default() })
                .collect()
        })
        .unwrap_or_default();
    let mut years = Vec::new();
    if let Some(t) = find(SHEET_YEARS) {
        for (row, c) in &t.rows {
            let text = c.first().map_or("", String::as_str);
            match text.parse::<i32>() {
                Ok(y) => match year_of(&t.place, Some(*row), y, c.get(1).map(String::as_str)) {
                    Ok(v) => years.push(v),
                    Err(e) => errors.push(e),
                },
                Err(_) => errors.push(t.place.error(Some(*row), Some("年度"), Some(text), "IMPORT_BAD_INTEGER", "应为整数年度")),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut f = fields.into_iter();
    Ok((
        UnitProfile {
            code: f.next().unwrap_or_default(),
            name: f.next().unwrap_or_default(),
            region_code: f.next().unwrap_or_default(),
            parent_department: f.next().unwrap_or_default(),
            duties,
            offices,
            department_code: optional(value("department_code", "主管部门编码")),
            bureau_code: optional(value("bureau_code", "财政局编码")),
            bureau_name: optional(value("bureau_name", "财政局名称")),
            framework: optional(value("framework", "评价框架")),
        },
        years,
    ))
}
