//! The import templates: an .xlsx workbook (Chinese headers, CJK-wide columns, dropdowns for codes and
//! closed lists) and a directory of header-only CSV files with a sample unit.toml. The workbook writer also
//! writes a filled workbook from records, which is how the CSV and workbook formats are kept equivalent.

use crate::unit::{HIERARCHY_FIELDS, PROFILE_FIELDS, SHEET_DUTIES, SHEET_OFFICES, SHEET_PROFILE, SHEET_YEARS, UNIT_FILE};
use jixiao_core::codes::CodeTables;
use jixiao_core::records::{RecordSet, UnitProfile, UnitYear};
use jixiao_core::schema::{ValueType, enum_label, enum_labels, record_kinds};
use rust_xlsxwriter::{Color, DataValidation, Format, Formula, Workbook, Worksheet, XlsxError};
use serde_json::Value;
use std::path::Path;

pub const SHEET_CODES: &str = "代码表";
pub const SHEET_README: &str = "说明";
/// Rows below the data that still get dropdowns, for the user to fill.
const DROPDOWN_ROWS: u32 = 2_000;

/// Display width of a text in Excel column units: CJK characters count double (autofit under-measures them).
fn display_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.1 }).sum::<f64>() + 2.0
}

fn header_format() -> Format {
    Format::new().set_bold().set_background_color(Color::RGB(0xD9E1F2)).set_border(rust_xlsxwriter::FormatBorder::Thin)
}

fn set_headers(ws: &mut Worksheet, headers: &[&str], widths: &mut [f64]) -> Result<(), XlsxError> {
    let fmt = header_format();
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &fmt)?;
        widths[i] = widths[i].max(display_width(h));
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn apply_widths(ws: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, w.min(60.0))?;
    }
    Ok(())
}

/// Writes a workbook with the unit's sheets and one sheet per record kind; empty when `unit` is `None`
/// and `records` is empty. Dropdowns list the code tables of `code_year`.
pub fn write_workbook(
    path: &Path,
    unit: Option<(&UnitProfile, &[UnitYear])>,
    records: &RecordSet,
    code_year: i32,
) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let money = Format::new().set_num_format("0.00");

    let ws = book.add_worksheet().set_name(SHEET_README)?;
    let lines = [
        "jixiao 导入模板：每个工作表一类记录，第一行为表头（中文或英文字段名均可），从第二行起每行一条记录。",
        "金额以元为单位，最多两位小数；日期写作 2020-03-05；是否类填「是」或「否」；有下拉框的列请从下拉框选择。",
        "每条记录的第一列是它的编号，在单位和年度内唯一：重复导入同一文件不会重复记账；编号相同而内容不同会被拒绝。",
        "账务记录不能修改或删除：更正时新增一条冲销凭证（金额为原凭证的相反数，填写冲销凭证号），再新增正确的凭证。",
        "格式说明见 docs/import-format.md。",
    ];
    for (i, l) in lines.iter().enumerate() {
        ws.write_string(i as u32, 0, *l)?;
    }
    ws.set_column_width(0, 120)?;

    // Unit sheets.
    let ws = book.add_worksheet().set_name(SHEET_PROFILE)?;
    let mut widths = vec![12.0, 40.0];
    for (i, (field, zh)) in PROFILE_FIELDS.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *zh, &header_format())?;
        if let Some((u, _)) = unit {
            let v = match *field {
                "code" => &u.code,
                "name" => &u.name,
                "region_code" => &u.region_code,
                _ => &u.parent_department,
            };
            ws.write_string(i as u32, 1, v)?;
            widths[1] = f64::max(widths[1], display_width(v));
        }
    }
    for (i, (field, zh)) in HIERARCHY_FIELDS.iter().enumerate() {
        let row = (PROFILE_FIELDS.len() + i) as u32;
        ws.write_string_with_format(row, 0, *zh, &header_format())?;
        let value = unit.and_then(|(u, _)| match *field {
            "department_code" => u.department_code.as_deref(),
            "bureau_code" => u.bureau_code.as_deref(),
            _ => u.bureau_name.as_deref(),
        });
        if let Some(v) = value {
            ws.write_string(row, 1, v)?;
        }
    }
    apply_widths(ws, &widths)?;
    let ws = book.add_worksheet().set_name(SHEET_DUTIES)?;
    let mut widths = vec![0.0, 80.0];
    set_headers(ws, &["序号", "职能"], &mut widths)?;
    for (i, d) in unit.map(|(u, _)| u.duties.as_slice()).unwrap_or_default().iter().enumerate() {
        ws.write_number(i as u32 + 1, 0, (i + 1) as f64)?;
        ws.write_string(i as u32 + 1, 1, d)?;
    }
    apply_widths(ws, &widths)?;
    let ws = book.add_worksheet().set_name(SHEET_OFFICES)?;
    let mut widths = vec![12.0, 80.0];
    set_headers(ws, &["名称", "职责"], &mut widths)?;
    for (i, o) in unit.map(|(u, _)| u.offices.as_slice()).unwrap_or_default().iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, &o.name)?;
        ws.write_string(i as u32 + 1, 1, &o.duties)?;
    }
    apply_widths(ws, &widths)?;
    let ws = book.add_worksheet().set_name(SHEET_YEARS)?;
    let mut widths = vec![0.0, 14.0];
    set_headers(ws, &["年度", "报告日期"], &mut widths)?;
    for (i, y) in unit.map(|(_, y)| y).unwrap_or_default().iter().enumerate() {
        ws.write_number(i as u32 + 1, 0, f64::from(y.year))?;
        if let Some(d) = y.report_date {
            ws.write_string(i as u32 + 1, 1, d.to_string())?;
        }
    }
    apply_widths(ws, &widths)?;

    // Code lists for the dropdowns, on a hidden sheet.
    let tables = CodeTables::for_year(code_year);
    let (functions, economics): (Vec<_>, Vec<_>) = match tables {
        Some(t) => (
            t.function_items().map(|f| (f.code.clone(), f.name.clone())).collect(),
            t.economic_items().map(|e| (e.code.clone(), e.name.clone())).collect(),
        ),
        None => (vec![], vec![]),
    };

    for kind in record_kinds() {
        let ws = book.add_worksheet().set_name(&kind.label)?;
        let headers: Vec<&str> = kind.columns.iter().map(|c| c.header.as_str()).collect();
        let mut widths = vec![0.0; headers.len()];
        set_headers(ws, &headers, &mut widths)?;
        let rows = records.rows(&kind.id);
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (ci, c) in kind.columns.iter().enumerate() {
                let col = ci as u16;
                let Some(v) = row.get(&c.field).filter(|v| !v.is_null()) else { continue };
                let text = match (&c.value_type, v) {
                    (ValueType::Money | ValueType::Decimal, Value::Number(n)) => {
                        let fen = n.as_i64().unwrap_or_default();
                        // The only float: a cell value at the spreadsheet edge; it reads back exactly (two decimals).
                        ws.write_number_with_format(r, col, fen as f64 / 100.0, &money)?;
                        jixiao_core::Fen(fen).yuan_string()
                    }
                    (ValueType::Integer, Value::Number(n)) => {
                        ws.write_number(r, col, n.as_f64().unwrap_or_default())?;
                        n.to_string()
                    }
                    (ValueType::Bool, Value::Bool(b)) => {
                        let t = if *b { "是" } else { "否" };
                        ws.write_string(r, col, t)?;
                        t.to_string()
                    }
                    (ValueType::Enum(name), Value::String(id)) => {
                        let t = enum_label(name, id).unwrap_or(id);
                        ws.write_string(r, col, t)?;
                        t.to_string()
                    }
                    (_, Value::String(s)) => {
                        ws.write_string(r, col, s)?;
                        s.clone()
                    }
                    (_, other) => {
                        ws.write_string(r, col, other.to_string())?;
                        other.to_string()
                    }
                };
                widths[ci] = widths[ci].max(display_width(&text).min(40.0));
            }
        }
        let last = rows.len() as u32 + DROPDOWN_ROWS;
        for (ci, c) in kind.columns.iter().enumerate() {
            let list = match &c.value_type {
                ValueType::Enum(name) => Some(DataValidation::new().allow_list_strings(&enum_labels(name))?),
                ValueType::Bool => Some(DataValidation::new().allow_list_strings(&["是", "否"])?),
                ValueType::FunctionCode if !functions.is_empty() => {
                    Some(DataValidation::new().allow_list_formula(Formula::new(format!("={SHEET_CODES}!$A$2:$A${}", functions.len() + 1))))
                }
                ValueType::EconomicCode if !economics.is_empty() => {
                    Some(DataValidation::new().allow_list_formula(Formula::new(format!("={SHEET_CODES}!$C$2:$C${}", economics.len() + 1))))
                }
                _ => None,
            };
            if let Some(dv) = list {
                let dv = dv.set_error_title("输入无效")?.set_error_message(format!("请从下拉框选择「{}」", c.header))?;
                ws.add_data_validation(1, ci as u16, last, ci as u16, &dv)?;
            }
            if matches!(c.value_type, ValueType::Money | ValueType::Decimal) {
                ws.set_column_format(ci as u16, &money)?;
            }
        }
        apply_widths(ws, &widths)?;
    }

    let ws = book.add_worksheet().set_name(SHEET_CODES)?;
    let mut widths = vec![0.0; 4];
    set_headers(ws, &[&format!("{code_year}年功能科目"), "功能科目名称", &format!("{code_year}年经济科目"), "经济科目名称"], &mut widths)?;
    for (i, (c, n)) in functions.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, c)?;
        ws.write_string(i as u32 + 1, 1, n)?;
    }
    for (i, (c, n)) in economics.iter().enumerate() {
        ws.write_string(i as u32 + 1, 2, c)?;
        ws.write_string(i as u32 + 1, 3, n)?;
    }
    widths[1] = 30.0;
    widths[3] = 30.0;
    apply_widths(ws, &widths)?;
    ws.set_hidden(true);

    book.save(path)
}

const SAMPLE_UNIT_TOML: &str = r#"# 单位基本信息（与同目录的 CSV 文件一起导入）
code = "430102-XX"            # 单位编码：数据库内唯一
name = "某某单位"
region_code = "430102"        # 行政区划代码
parent_department = "某某区人民政府"
# department_code = "430102-101"   # 主管部门编码（可选；财政局汇总报告按它归口）
# bureau_code = "430102-CZ"        # 财政局编码（可选）
# bureau_name = "某某区财政局"      # 财政局名称（可选）
duties = [
  "职能职责一",
  "职能职责二",
]

[[offices]]                   # 内设机构，可有多个
name = "办公室"
duties = "负责……"

[[years]]                     # 每个年度一段：年度与报告日期
year = 2020
report_date = "2021-04-25"
"#;

/// Writes `DIR/jixiao-import-template.xlsx` and `DIR/csv/` (header-only CSV files with Chinese headers and a sample unit.toml).
pub fn write_templates(dir: &Path, code_year: i32) -> Result<Vec<std::path::PathBuf>, String> {
    // Dropdowns without codes would be silently empty: refuse instead, saying how to load the year's table.
    if CodeTables::for_year(code_year).is_none() {
        return Err(format!(
            "没有{code_year}年度的政府收支分类科目表（内置年度：{:?}），无法生成科目下拉列表：请先运行 jixiao codes import 科目表.xlsx --year {code_year} [IMPORT_NO_CODE_TABLE]",
            CodeTables::years()
        ));
    }
    let csv_dir = dir.join("csv");
    std::fs::create_dir_all(&csv_dir).map_err(|e| format!("无法创建目录 {}：{e}", csv_dir.display()))?;
    let mut written = Vec::new();
    let unit_path = csv_dir.join(UNIT_FILE);
    std::fs::write(&unit_path, SAMPLE_UNIT_TOML).map_err(|e| format!("无法写入 {}：{e}", unit_path.display()))?;
    written.push(unit_path);
    for kind in record_kinds() {
        let path = csv_dir.join(&kind.file);
        let header: Vec<&str> = kind.columns.iter().map(|c| c.header.as_str()).collect();
        // A BOM so that Excel opens the UTF-8 file with the right encoding.
        std::fs::write(&path, format!("\u{feff}{}\n", header.join(","))).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        written.push(path);
    }
    let xlsx = dir.join("jixiao-import-template.xlsx");
    write_workbook(&xlsx, None, &RecordSet::default(), code_year).map_err(|e| format!("无法写入 {}：{e}", xlsx.display()))?;
    written.push(xlsx);
    Ok(written)
}
