//! The unit's profile and fiscal years: `unit.toml` beside the CSV files, or four sheets of the workbook.

use crate::error::{ImportError, Place};
use crate::table::Table;
use jixiao_core::Date;
use jixiao_core::records::{Office, UnitProfile, UnitYear};
use serde::{Deserialize, Serialize};

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
    parse_unit_sheets_over(file, sheets, None)
}

/// [`parse_unit_sheets`] for a re-upload of a unit the database holds (`stored`): a required 单位信息 row
/// left blank means "unchanged" and takes the stored value (issue 20: a blank field is no conflict). For a
/// new unit (`None`) a blank required row is an error naming the sheet, its row and the field.
pub fn parse_unit_sheets_over(
    file: &str,
    sheets: &[&Table],
    stored: Option<&UnitProfile>,
) -> Result<(UnitProfile, Vec<UnitYear>), Vec<ImportError>> {
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
    let value = |field: &str, zh: &str| pairs.iter().find(|(_, k, _)| *k == zh || *k == field).map(|(_, _, v)| v.trim().to_string());
    let stored_value = |field: &str| {
        stored.map(|u| match field {
            "code" => u.code.clone(),
            "name" => u.name.clone(),
            "region_code" => u.region_code.clone(),
            _ => u.parent_department.clone(),
        })
    };
    let mut fields = Vec::new();
    for (field, zh) in PROFILE_FIELDS {
        match value(field, zh).filter(|v| !v.is_empty()).or_else(|| stored_value(field)) {
            Some(v) => fields.push(v),
            None => {
                // The row of the field when it is there with its value blank; none when the row is missing.
                let row = pairs.iter().find(|(_, k, _)| k == zh || k == field).map(|(r, _, _)| *r);
                let what = if row.is_some() { "这一行第 2 列的值为空" } else { "没有这一行" };
                errors.push(profile.place.error(
                    row,
                    Some(zh),
                    None,
                    "IMPORT_REQUIRED_EMPTY",
                    format!("单位信息缺少「{zh}」（{what}；新登记的单位必须填写）"),
                ));
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

/// One field of a unit profile whose value in an import differs from the registered one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The field as the sheets name it, e.g. 「单位名称」, 「职能职责第2条」, 「2020年度报告日期」.
    pub field: String,
    pub stored: String,
    pub uploaded: String,
}

/// What a field the import leaves blank means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Unchanged (a re-uploaded template: issue 20), so no difference.
    Unchanged,
    /// Empty: a difference when the registered value is not (unit.toml, which states the whole profile).
    Differs,
}

/// The text a difference shows for an item the import does not have.
const GONE: &str = "（无此条）";

/// The profile fields in which `uploaded` differs from `stored`, in the order of the 单位信息, 职能职责 and
/// 内设机构 sheets. The unit code is not compared: another unit's file is refused by the import.
pub fn profile_differences(stored: &UnitProfile, uploaded: &UnitProfile, blank: Blank) -> Vec<Difference> {
    let mut found = Vec::new();
    let mut compare = |field: String, stored: &str, uploaded: &str| {
        let (stored, uploaded) = (stored.trim(), uploaded.trim());
        if (blank == Blank::Differs || !uploaded.is_empty()) && stored != uploaded {
            let shown = if uploaded.is_empty() { "（空）" } else { uploaded };
            found.push(Difference { field, stored: stored.to_string(), uploaded: shown.to_string() });
        }
    };
    type Field = (&'static str, fn(&UnitProfile) -> String);
    let fields: [Field; 7] = [
        ("单位名称", |u| u.name.clone()),
        ("区划代码", |u| u.region_code.clone()),
        ("主管部门", |u| u.parent_department.clone()),
        ("主管部门编码", |u| u.department_code.clone().unwrap_or_default()),
        ("财政局编码", |u| u.bureau_code.clone().unwrap_or_default()),
        ("财政局名称", |u| u.bureau_name.clone().unwrap_or_default()),
        ("评价框架", |u| u.framework.clone().unwrap_or_default()),
    ];
    for (field, value) in fields {
        compare(field.into(), &value(stored), &value(uploaded));
    }
    // A list given in the import is compared item by item; one the import leaves out loses an item.
    if blank == Blank::Differs || !uploaded.duties.is_empty() {
        for i in 0..stored.duties.len().max(uploaded.duties.len()) {
            let (s, u) = (stored.duties.get(i).map_or("", String::as_str), uploaded.duties.get(i).map_or(GONE, String::as_str));
            compare(format!("职能职责第{}条", i + 1), s, u);
        }
    }
    if blank == Blank::Differs || !uploaded.offices.is_empty() {
        for i in 0..stored.offices.len().max(uploaded.offices.len()) {
            let (s, u) = (stored.offices.get(i), uploaded.offices.get(i));
            compare(format!("内设机构第{}项名称", i + 1), s.map_or("", |o| &o.name), u.map_or(GONE, |o| &o.name));
            compare(format!("内设机构第{}项职责", i + 1), s.map_or("", |o| &o.duties), u.map_or("", |o| &o.duties));
        }
    }
    found
}

/// The profile a confirmed change puts in force: `uploaded`, with each field (or list) it leaves blank taken
/// from `stored` — blank means unchanged, as in [`profile_differences`] with [`Blank::Unchanged`].
pub fn overlay(stored: &UnitProfile, uploaded: &UnitProfile) -> UnitProfile {
    let text = |u: &str, s: &str| if u.trim().is_empty() { s.to_string() } else { u.trim().to_string() };
    let option = |u: &Option<String>, s: &Option<String>| optional(u.clone()).or_else(|| s.clone());
    UnitProfile {
        code: stored.code.clone(),
        name: text(&uploaded.name, &stored.name),
        region_code: text(&uploaded.region_code, &stored.region_code),
        parent_department: text(&uploaded.parent_department, &stored.parent_department),
        duties: if uploaded.duties.is_empty() { stored.duties.clone() } else { uploaded.duties.clone() },
        offices: if uploaded.offices.is_empty() { stored.offices.clone() } else { uploaded.offices.clone() },
        department_code: option(&uploaded.department_code, &stored.department_code),
        bureau_code: option(&uploaded.bureau_code, &stored.bureau_code),
        bureau_name: option(&uploaded.bureau_name, &stored.bureau_name),
        framework: option(&uploaded.framework, &stored.framework),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 单位信息 sheet of (field, value) rows; its first row is the header row of the table.
    fn profile_sheet(rows: &[(&str, &str)]) -> Table {
        let place = Place { file: "t.xlsx".into(), sheet: Some(SHEET_PROFILE.into()) };
        let cells = |(k, v): &(&str, &str)| vec![k.to_string(), v.to_string()];
        Table { place, header: cells(&rows[0]), rows: rows[1..].iter().enumerate().map(|(i, r)| (i + 2, cells(r))).collect() }
    }

    #[test]
    fn a_blank_required_row_is_unchanged_for_a_stored_unit_and_an_error_for_a_new_one() {
        let sheet = profile_sheet(&[("单位编码", "U1"), ("单位名称", ""), ("区划代码", "430102"), ("主管部门", "某部门")]);
        let errors = parse_unit_sheets("t.xlsx", &[&sheet]).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(
            (e.sheet.as_deref(), e.row, e.column.as_deref(), e.rule_id),
            (Some("单位信息"), Some(2), Some("单位名称"), "IMPORT_REQUIRED_EMPTY")
        );
        assert!(e.message.contains("单位信息缺少「单位名称」") && e.message.contains("值为空"), "{}", e.message);

        let stored = UnitProfile {
            code: "U1".into(),
            name: "某单位".into(),
            region_code: "430102".into(),
            parent_department: "旧部门".into(),
            duties: vec![],
            offices: vec![],
            department_code: None,
            bureau_code: None,
            bureau_name: None,
            framework: None,
        };
        let (unit, _) = parse_unit_sheets_over("t.xlsx", &[&sheet], Some(&stored)).unwrap();
        assert_eq!(unit.name, "某单位", "blank: the stored value");
        assert_eq!(unit.parent_department, "某部门", "given: the uploaded value");
        // A row left out altogether is an error without a row number for a new unit.
        let short = profile_sheet(&[("单位编码", "U1"), ("单位名称", "某单位"), ("区划代码", "430102")]);
        let errors = parse_unit_sheets("t.xlsx", &[&short]).unwrap_err();
        assert_eq!((errors[0].row, errors[0].column.as_deref()), (None, Some("主管部门")));
        assert!(errors[0].message.contains("没有这一行"), "{}", errors[0].message);
    }

    #[test]
    fn a_strict_comparison_counts_blanks_and_an_overlay_keeps_them() {
        let stored = UnitProfile {
            code: "U1".into(),
            name: "某单位".into(),
            region_code: "430102".into(),
            parent_department: "某部门".into(),
            duties: vec!["职能一".into()],
            offices: vec![Office { name: "办公室".into(), duties: "综合".into() }],
            department_code: Some("D1".into()),
            ..UnitProfile::default()
        };
        let uploaded = UnitProfile { name: "新名称".into(), duties: vec![], offices: vec![], department_code: None, ..stored.clone() };
        let fields = |blank| profile_differences(&stored, &uploaded, blank).into_iter().map(|d| d.field).collect::<Vec<_>>();
        assert_eq!(fields(Blank::Unchanged), ["单位名称"]);
        assert_eq!(fields(Blank::Differs), ["单位名称", "主管部门编码", "职能职责第1条", "内设机构第1项名称", "内设机构第1项职责"]);
        let merged = overlay(&stored, &uploaded);
        assert_eq!(merged, UnitProfile { name: "新名称".into(), ..stored.clone() }, "blank fields and lists keep the stored value");
        assert!(profile_differences(&merged, &uploaded, Blank::Unchanged).is_empty());
    }
}
