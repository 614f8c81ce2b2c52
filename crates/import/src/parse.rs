//! Typed reading of one record kind's table: headers (Chinese or English), cell types, required cells, codes.

use crate::error::{ImportError, Place};
use crate::table::Table;
use jixiao_core::codes::{CodeStatus, CodeTables};
use jixiao_core::schema::{Cell, ColumnSpec, RecordKindSpec, ValueType, enum_labels, parse_enum};
use jixiao_core::{Date, Fen};

/// One parsed record with the row it came from.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: usize,
    /// The record: one cell per column of the kind, in spec order.
    pub values: Vec<Cell>,
    /// The cells as typed, one per column of the kind in spec order (empty when the column is absent), for
    /// error messages.
    pub raw: Vec<String>,
}

fn header_matches(header: &str, column: &ColumnSpec) -> bool {
    let h = header.trim();
    h == column.header || h.eq_ignore_ascii_case(&column.field)
}

/// Reads a table as records of `kind`. Returns every record it could read and every error it found.
pub fn parse_table(kind: &RecordKindSpec, table: &Table) -> (Vec<ParsedRow>, Vec<ImportError>) {
    let columns = match Columns::new(kind, &table.place, &table.header) {
        Ok(c) => c,
        Err(errors) => return (Vec::new(), errors),
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (row_no, cells) in &table.rows {
        match columns.parse_row(*row_no, cells) {
            Ok(row) => rows.push(row),
            Err(e) => errors.extend(e),
        }
    }
    (rows, errors)
}

/// Where each of a kind's columns sits in a table, read from its header row; parses the table's rows one
/// at a time (the same code for a table held in memory and for a CSV file read as a stream).
pub struct Columns<'k> {
    kind: &'k RecordKindSpec,
    place: Place,
    header_len: usize,
    /// Which header cells are empty (a cell under one is an error).
    empty_headers: Vec<bool>,
    /// Column positions by spec order.
    positions: Vec<Option<usize>>,
    year_position: Option<usize>,
}

impl<'k> Columns<'k> {
    /// Maps the header row: unknown, duplicate and missing required columns are errors.
    pub fn new(kind: &'k RecordKindSpec, place: &Place, header: &[String]) -> Result<Columns<'k>, Vec<ImportError>> {
        let mut errors = Vec::new();
        let mut positions: Vec<Option<usize>> = vec![None; kind.columns.len()];
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            match kind.columns.iter().position(|c| header_matches(h, c)) {
                Some(ci) if positions[ci].is_some() => {
                    errors.push(place.error(Some(1), Some(h), None, "IMPORT_DUPLICATE_COLUMN", "表头重复"))
                }
                Some(ci) => positions[ci] = Some(i),
                None => errors.push(place.error(
                    Some(1),
                    Some(h),
                    None,
                    "IMPORT_UNKNOWN_COLUMN",
                    format!(
                        "未知的列；「{}」可用的列为：{}",
                        kind.label,
                        kind.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>().join("、")
                    ),
                )),
            }
        }
        for (c, pos) in kind.columns.iter().zip(&positions) {
            if pos.is_none() && c.required {
                errors.push(place.error(
                    Some(1),
                    Some(&c.header),
                    None,
                    "IMPORT_MISSING_COLUMN",
                    format!("缺少必需的列「{}」（{}）", c.header, c.field),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let year_position = positions[kind.columns.iter().position(|c| c.field == "year").unwrap_or(0)];
        Ok(Columns {
            kind,
            place: place.clone(),
            header_len: header.len(),
            empty_headers: header.iter().map(String::is_empty).collect(),
            positions,
            year_position,
        })
    }

    /// Where the rows come from.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Reads one data row (`row_no` as a spreadsheet shows it), or says everything wrong with it.
    pub fn parse_row(&self, row_no: usize, cells: &[String]) -> Result<ParsedRow, Vec<ImportError>> {
        let (kind, place) = (self.kind, &self.place);
        let mut errors = Vec::new();
        let mut values = Vec::with_capacity(kind.columns.len());
        let mut raw = Vec::with_capacity(kind.columns.len());
        let year = self.year_position.and_then(|p| cells.get(p)).and_then(|t| t.parse::<i32>().ok());
        for (c, pos) in kind.columns.iter().zip(&self.positions) {
            let text = pos.and_then(|p| cells.get(p)).map(String::as_str).unwrap_or("");
            raw.push(text.to_string());
            let text = if text.is_empty() { c.default.as_deref().unwrap_or("") } else { text };
            if text.is_empty() {
                if c.required {
                    errors.push(place.error(Some(row_no), Some(&c.header), None, "IMPORT_REQUIRED_EMPTY", "必填项为空"));
                }
                values.push(Cell::Null);
                continue;
            }
            // A cell in error stands as null: the row is refused anyway, its errors all said.
            if let Some((rule, message)) = unsafe_cell(text) {
                errors.push(place.error(Some(row_no), Some(&c.header), Some(text), rule, message));
                values.push(Cell::Null);
                continue;
            }
            if c.field == kind.key
                && let Some(message) = key_error(text)
            {
                errors.push(place.error(Some(row_no), Some(&c.header), Some(text), "IMPORT_KEY_CHARS", message));
                values.push(Cell::Null);
                continue;
            }
            match cell_value(c, text, year) {
                Ok(v) => values.push(v),
                Err((rule, message)) => {
                    errors.push(place.error(Some(row_no), Some(&c.header), Some(text), rule, message));
                    values.push(Cell::Null);
                }
            }
        }
        if let Some(extra) = cells.iter().enumerate().find(|(i, c)| !c.is_empty() && (*i >= self.header_len || self.empty_headers[*i])) {
            errors.push(place.error(
                Some(row_no),
                None,
                Some(extra.1),
                "IMPORT_CELL_WITHOUT_HEADER",
                format!("第{}列有数据但没有表头", extra.0 + 1),
            ));
        }
        if errors.is_empty() { Ok(ParsedRow { row: row_no, values, raw }) } else { Err(errors) }
    }
}

/// The most characters of a record's key (凭证号, 指标编号, 项目编号 …).
pub const MAX_KEY_CHARS: usize = 64;

/// What is wrong with a record's key, if anything. A key is letters and digits of any script (so
/// 「ZC2020-001-冲销」), `-`, `_` and `.`, at most [`MAX_KEY_CHARS`]: keys are part of page addresses and
/// forms, where `/`, `?`, `#`, `%`, quotes, spaces or `<>&` would break them or be read as code.
pub fn key_error(key: &str) -> Option<String> {
    if key.chars().count() > MAX_KEY_CHARS {
        return Some(format!("编号超过 {MAX_KEY_CHARS} 个字符"));
    }
    let bad: String = key.chars().filter(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))).take(5).collect();
    if bad.is_empty() {
        return None;
    }
    Some(format!("编号含不允许的字符「{bad}」：编号只能由字母、数字（含汉字）和 - _ . 组成"))
}

/// The largest amount one record may carry: 100 亿元 in 分. Far above any unit's single voucher, and low
/// enough that sums over ten million records stay inside `i64`, so no total can overflow.
const MAX_RECORD_FEN: u64 = 1_000_000_000_000;

/// The most characters a spreadsheet cell can hold (Excel's limit); anything longer was not typed into one.
const MAX_CELL_CHARS: usize = 32_767;

/// A cell refused whatever its column: longer than a spreadsheet cell, or a formula (`=` followed by more,
/// which a spreadsheet would run when the records are exported again) rather than its value. A lone `=` is
/// a value (an indicator's direction).
fn unsafe_cell(text: &str) -> Option<(&'static str, String)> {
    if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
        return Some(("IMPORT_CELL_TOO_LONG", format!("单元格内容过长（{} 字，最多 {MAX_CELL_CHARS} 字）", text.chars().count())));
    }
    if text.starts_with('=') && text.len() > 1 {
        return Some(("IMPORT_FORMULA", "单元格是公式而不是数值或文字：请在表格软件中复制后「粘贴为数值」再导入".to_string()));
    }
    None
}

fn cell_value(c: &ColumnSpec, text: &str, year: Option<i32>) -> Result<Cell, (&'static str, String)> {
    match &c.value_type {
        ValueType::Text => Ok(Cell::Text(text.to_string())),
        ValueType::Integer => text.parse::<i64>().map(Cell::Int).map_err(|_| ("IMPORT_BAD_INTEGER", "应为整数".to_string())),
        ValueType::Money => match Fen::parse_yuan(text) {
            Ok(f) if f.0.unsigned_abs() > MAX_RECORD_FEN => {
                Err(("IMPORT_AMOUNT_TOO_LARGE", "金额超过单笔上限 100 亿元，应为录入错误".to_string()))
            }
            Ok(f) => Ok(Cell::Int(f.0)),
            Err(e) => Err(("IMPORT_BAD_AMOUNT", format!("金额无效：{e}（以元为单位，最多两位小数）"))),
        },
        // Same exact reading as money: up to two decimals, kept in hundredths.
        ValueType::Decimal => {
            Fen::parse_yuan(text).map(|f| Cell::Int(f.0)).map_err(|e| ("IMPORT_BAD_DECIMAL", format!("数值无效：{e}（最多两位小数）")))
        }
        ValueType::Date => Date::parse(text)
            .map(|d| Cell::Text(d.to_string()))
            .ok_or(("IMPORT_BAD_DATE", "日期无效，应为 YYYY-MM-DD（如 2020-03-05）".to_string())),
        ValueType::Bool => match text {
            "是" | "Y" | "y" | "true" | "TRUE" | "1" => Ok(Cell::Bool(true)),
            "否" | "N" | "n" | "false" | "FALSE" | "0" => Ok(Cell::Bool(false)),
            _ => Err(("IMPORT_BAD_BOOL", "应填「是」或「否」".to_string())),
        },
        ValueType::Enum(name) => parse_enum(name, text)
            .map(|id| Cell::Text(id.to_string()))
            .ok_or(("IMPORT_BAD_ENUM", format!("不是有效的「{}」，可选值：{}", c.header, enum_labels(name).join("、")))),
        ValueType::FunctionCode | ValueType::EconomicCode => {
            let Some(year) = year else { return Err(("IMPORT_CODE_NO_YEAR", "年度无效，无法核对科目".to_string())) };
            // A year without any edition is one error for the whole import (`Checker::admit`), not one per cell.
            let Some(tables) = CodeTables::for_year(year) else { return Ok(Cell::Text(text.to_string())) };
            let functional = c.value_type == ValueType::FunctionCode;
            let status = if functional { tables.function_status(text) } else { tables.economic_status(text) };
            // A code of a known 类 that an embedded (incomplete) edition does not list is accepted: `check`
            // warns about it once per code (CODE_UNCONFIRMED).
            if status != CodeStatus::Invalid {
                return Ok(Cell::Text(text.to_string()));
            }
            let (what, level, suggestions) = if functional {
                ("支出功能分类", "项级（7位）", tables.suggest_function(text))
            } else {
                ("部门预算支出经济分类", "款级（5位）", tables.suggest_economic(text))
            };
            let class = text.get(..3).unwrap_or(text);
            let reason = if tables.is_official() {
                format!("不在已导入的{}中", tables.edition_label())
            } else if (functional && tables.function_class_name(text).is_none()) || (!functional && tables.economic(class).is_none()) {
                format!("类 {class} 在{year}年度不存在")
            } else {
                format!("应为{level}编码")
            };
            Err((
                if functional { "IMPORT_UNKNOWN_FUNCTION_CODE" } else { "IMPORT_UNKNOWN_ECONOMIC_CODE" },
                format!("不是{year}年度{what}的{level}有效科目（{reason}）；相近的有效科目：{}", suggestions.join("、")),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: a voucher number with a quote landed inside a confirm('…') handler; ones with `/`, `?`, `#`
    /// could not be reversed or approved. Keys keep to letters, digits and `-_.`.
    #[test]
    fn keys_keep_to_their_character_set() {
        for good in ["ZC2020-001", "ZC2020-001-冲销", "result_application", "A.1", "指标一"] {
            assert_eq!(key_error(good), None, "{good}");
        }
        for bad in ["Q'+alert(document.domain)+'", "ZC/1", "ZC?1", "ZC#1", "ZC 1", "<b>", "ZC%2F", "a\"b"] {
            assert!(key_error(bad).is_some_and(|m| m.contains("不允许的字符")), "{bad}");
        }
        assert!(key_error(&"Z".repeat(65)).is_some());
        let kind = jixiao_core::schema::record_kind("expenditures").unwrap();
        let header: Vec<String> = kind.columns.iter().map(|c| c.field.clone()).collect();
        let mut cells = vec![String::new(); header.len()];
        cells[0] = "ZC'1".into();
        let table = Table { place: Place { file: "expenditures.csv".into(), sheet: None }, header, rows: vec![(2, cells)] };
        let (_, errors) = parse_table(kind, &table);
        assert!(
            errors.iter().any(|e| e.rule_id == "IMPORT_KEY_CHARS" && e.row == Some(2) && e.value.as_deref() == Some("ZC'1")),
            "{errors:?}"
        );
    }
}
