//! Reads the 科目 table a 预算管理一体化 system exports (xlsx or CSV) for `jixiao codes import`: the columns
//! 科目编码 and 科目名称, their header row anywhere in the first ten rows (exports put titles above it).

use crate::error::{ImportError, ImportErrors};
use crate::table::{Table, parse_csv, parse_xlsx};
use jixiao_core::codes::OfficialRow;
use std::collections::BTreeMap;
use std::path::Path;

/// Headers accepted for the code and the name column.
const CODE_HEADERS: &[&str] = &["科目编码", "科目代码"];
const NAME_HEADERS: &[&str] = &["科目名称"];
/// Rows searched for the header row.
const HEADER_ROWS: usize = 10;

/// The rows of a 科目 table file, in code order, or every error found (each naming file, sheet, row and rule).
pub fn read(path: &Path) -> Result<Vec<OfficialRow>, ImportErrors> {
    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let bytes =
        std::fs::read(path).map_err(|e| ImportErrors(vec![ImportError::file(&file, "IMPORT_READ", format!("无法读取文件：{e}"))]))?;
    let is_xlsx = file.to_lowercase().ends_with(".xlsx");
    let tables =
        if is_xlsx { parse_xlsx(&bytes, &file) } else { parse_csv(&bytes, &file).map(|t| vec![t]) }.map_err(|e| ImportErrors(vec![e]))?;
    let found = tables.iter().find_map(|t| header_position(t).map(|p| (t, p)));
    let Some((table, (header_row, code_col, name_col))) = found else {
        return Err(ImportErrors(vec![ImportError::file(
            &file,
            "CODES_NO_HEADER",
            format!(
                "前 {HEADER_ROWS} 行中没有同时含「科目编码」和「科目名称」的表头行（{}）",
                if is_xlsx { "已查每个工作表" } else { "CSV" }
            ),
        )]));
    };
    let mut errors = Vec::new();
    let mut rows: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (row_no, cells) in all_rows(table).into_iter().filter(|(r, _)| *r > header_row) {
        let code = cells.get(code_col).map(|c| c.trim()).unwrap_or("");
        let name = cells.get(name_col).map(|c| c.trim()).unwrap_or("");
        if code.is_empty() && name.is_empty() {
            continue;
        }
        // Some exports write the code before the name in the name cell too: 「2010101 行政运行」.
        let name = name.strip_prefix(code).map(str::trim_start).filter(|n| !n.is_empty()).unwrap_or(name);
        let place = &table.place;
        if !code.bytes().all(|b| b.is_ascii_digit()) || !matches!(code.len(), 3 | 5 | 7) {
            errors.push(place.error(
                Some(row_no),
                Some("科目编码"),
                Some(code),
                "CODES_BAD_CODE",
                "科目编码应为 3、5 或 7 位数字（类、款、项）",
            ));
            continue;
        }
        if name.is_empty() {
            errors.push(place.error(Some(row_no), Some("科目名称"), None, "CODES_NAME_EMPTY", "科目名称为空"));
            continue;
        }
        match rows.get(code) {
            Some((first, other)) if other != name => errors.push(place.error(
                Some(row_no),
                Some("科目编码"),
                Some(code),
                "CODES_DUPLICATE",
                format!("与第{first}行的科目编码相同但名称不同（「{other}」）"),
            )),
            Some(_) => {}
            None => {
                rows.insert(code.to_string(), (row_no, name.to_string()));
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ImportError::file(&file, "CODES_EMPTY", "表头行下没有科目"));
    }
    if errors.is_empty() {
        Ok(rows.into_iter().map(|(code, (_, name))| OfficialRow { code, name }).collect())
    } else {
        Err(ImportErrors(errors))
    }
}

/// The table's rows with the row that the reader took as header first.
fn all_rows(table: &Table) -> Vec<(usize, Vec<String>)> {
    let first = table.rows.first().map_or(2, |(r, _)| *r).saturating_sub(1).max(1);
    std::iter::once((first, table.header.clone())).chain(table.rows.iter().cloned()).collect()
}

/// (row, code column, name column) of the header row, if one of the first rows has both headers.
fn header_position(table: &Table) -> Option<(usize, usize, usize)> {
    all_rows(table).into_iter().take(HEADER_ROWS).find_map(|(row, cells)| {
        let col = |names: &[&str]| cells.iter().position(|c| names.contains(&c.trim()));
        Some((row, col(CODE_HEADERS)?, col(NAME_HEADERS)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_xlsx_export_with_titles_above_the_header_and_codes_in_the_name_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("科目.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet().set_name("说明").unwrap();
        ws.write_string(0, 0, "导出说明").unwrap();
        let ws = book.add_worksheet().set_name("支出功能分类").unwrap();
        ws.write_string(0, 0, "2024年政府收支分类科目").unwrap();
        ws.write_string(1, 0, "预算管理一体化系统导出").unwrap();
        for (c, h) in ["序号", "科目编码", "科目名称"].iter().enumerate() {
            ws.write_string(3, c as u16, *h).unwrap();
        }
        for (r, (code, name)) in
            [("205", "教育支出"), ("20502", "普通教育"), ("2050201", "2050201 学前教育"), ("1010101", "国内增值税")].iter().enumerate()
        {
            ws.write_number(4 + r as u32, 0, r as f64 + 1.0).unwrap();
            ws.write_number(4 + r as u32, 1, code.parse::<f64>().unwrap()).unwrap();
            ws.write_string(4 + r as u32, 2, *name).unwrap();
        }
        book.save(&path).unwrap();
        let rows = read(&path).unwrap();
        assert_eq!(
            rows.iter().map(|r| (r.code.as_str(), r.name.as_str())).collect::<Vec<_>>(),
            vec![("1010101", "国内增值税"), ("205", "教育支出"), ("20502", "普通教育"), ("2050201", "学前教育")]
        );
    }

    #[test]
    fn a_header_below_the_tenth_row_and_conflicting_names_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("late.csv");
        std::fs::write(&path, format!("{}科目编码,科目名称\n205,教育支出\n", "标题\n".repeat(10))).unwrap();
        assert_eq!(read(&path).unwrap_err().0[0].rule_id, "CODES_NO_HEADER");
        std::fs::write(&path, "科目编码,科目名称\n205,教育支出\n205,教育\n").unwrap();
        let err = read(&path).unwrap_err().0;
        assert_eq!((err[0].rule_id, err[0].row), ("CODES_DUPLICATE", Some(3)));
    }
}
