//! Raw tables of text cells from CSV files (UTF-8 with or without BOM, or GBK/GB18030) and .xlsx sheets.

use crate::error::{ImportError, Place};
use calamine::{Data, Reader, Xlsx};
use std::path::Path;

/// A header row and data rows of trimmed text, with each data row's spreadsheet row number.
#[derive(Debug, Clone)]
pub struct Table {
    pub place: Place,
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped), UTF-16 with a BOM, else GB18030 (which covers GBK), else an error.
pub fn decode(bytes: &[u8], file: &str) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // UTF-16 with a byte-order mark is recognised by the decoder below; NUL bytes otherwise mean UTF-16
    // without one, or a file that is not text at all.
    if !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") && bytes.contains(&0) {
        return Err(ImportError::file(file, "IMPORT_ENCODING", "文件含空字节：不是文本文件，或是没有字节顺序标记（BOM）的 UTF-16 文件，请另存为 UTF-8 CSV"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(ImportError::file(file, "IMPORT_ENCODING", "文件编码无法识别：既不是 UTF-8，也不是 GBK/GB18030，请另存为 UTF-8 CSV"));
    }
    Ok(text.into_owned())
}

pub fn read_csv(path: &Path, file: &str) -> Result<Table, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::file(file, "IMPORT_READ", format!("无法读取文件：{e}")))?;
    parse_csv(&bytes, file)
}

pub fn parse_csv(bytes: &[u8], file: &str) -> Result<Table, ImportError> {
    let place = Place { file: file.to_string(), sheet: None };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::file(file, "IMPORT_EMPTY_FILE", "文件为空：至少应有表头行"));
    }
    let text = decode(bytes, file)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = Vec::new();
    // A spreadsheet row is a CSV record; blank lines are rows too (the csv reader skips them), while line
    // breaks inside a quoted cell are not. So: the record's line, less the line breaks inside earlier cells.
    let mut breaks_in_cells = 0;
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or(i + 1);
            place.error(Some(line.saturating_sub(breaks_in_cells)), None, None, "IMPORT_CSV_SYNTAX", format!("CSV 格式错误：{e}"))
        })?;
        // The reported start includes the blank lines skipped before the record; step over them.
        let line = rec.position().map_or(i + 1, |p| {
            let skipped = text.as_bytes()[(p.byte() as usize).min(text.len())..].iter().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|b| **b == b'\n').count();
            p.line() as usize + skipped
        });
        records.push((line - breaks_in_cells, rec.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>()));
        breaks_in_cells += rec.iter().map(|c| c.matches('\n').count()).sum::<usize>();
    }
    if ends_inside_quotes(&text) {
        let row = records.last().map(|(line, _)| *line);
        return Err(place.error(row, None, None, "IMPORT_CSV_TRUNCATED", "文件在一个带引号的单元格中间结束（缺少收尾的引号）：文件不完整，请重新导出"));
    }
    into_table(place, records)
}

/// Whether the text ends inside a quoted cell: the csv reader takes such a cell to the end of the file, which
/// is how a file cut short in the middle of a multi-line cell looks.
fn ends_inside_quotes(text: &str) -> bool {
    let (mut quoted, mut field_start) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    quoted = false;
                }
            }
        } else {
            quoted = c == '"' && field_start;
            field_start = matches!(c, ',' | '\n' | '\r');
        }
    }
    quoted
}

fn into_table(place: Place, mut records: Vec<(usize, Vec<String>)>) -> Result<Table, ImportError> {
    // Rows with nothing in them are layout, not data.
    records.retain(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    if records.is_empty() {
        return Err(place.error(None, None, None, "IMPORT_EMPTY_FILE", "没有表头行"));
    }
    let (_, header) = records.remove(0);
    Ok(Table { place, header, rows: records })
}

/// The most a workbook may unpack to. A unit's books are a few MB unpacked; more than this is a zip bomb
/// (a small file that expands without bound), refused before the spreadsheet reader inflates it.
pub const XLSX_UNPACKED_LIMIT: u64 = 256 << 20;

/// The sheets of a workbook file, by name, as text tables. A sheet with no header row is left out.
pub fn read_xlsx(path: &Path, file: &str) -> Result<Vec<Table>, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::file(file, "IMPORT_READ", format!("无法读取文件：{e}")))?;
    parse_xlsx(&bytes, file)
}

/// Refuses a workbook whose parts unpack to more than [`XLSX_UNPACKED_LIMIT`]: first by the sizes the archive
/// declares, then by inflating each part into nothing, counting, since declared sizes can lie.
fn check_unpacked_size(bytes: &[u8], file: &str) -> Result<(), ImportError> {
    use std::io::Read;
    let open_error = |e: zip::result::ZipError| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法打开工作簿（文件不完整或不是 .xlsx）：{e}"));
    let too_large = || {
        ImportError::file(file, "IMPORT_XLSX_TOO_LARGE", format!("工作簿解压后超过 {} MB，疑为压缩炸弹，已拒绝", XLSX_UNPACKED_LIMIT >> 20))
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(open_error)?;
    let declared: u64 = (0..archive.len()).filter_map(|i| archive.by_index_raw(i).ok().map(|e| e.size())).fold(0u64, u64::saturating_add);
    if declared > XLSX_UNPACKED_LIMIT {
        return Err(too_large());
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(open_error)?;
        let read = std::io::copy(&mut entry.take(XLSX_UNPACKED_LIMIT - total + 1), &mut std::io::sink())
            .map_err(|e| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法解压工作簿（文件不完整或已损坏）：{e}")))?;
        total += read;
        if total > XLSX_UNPACKED_LIMIT {
            return Err(too_large());
        }
    }
    Ok(())
}

/// The sheets of a workbook given as bytes, by name, as text tables. A sheet with no header row is left out.
pub fn parse_xlsx(bytes: &[u8], file: &str) -> Result<Vec<Table>, ImportError> {
    check_unpacked_size(bytes, file)?;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法打开工作簿：{e}")))?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法读取工作表「{name}」：{e}")))?;
        let place = Place { file: file.to_string(), sheet: Some(name.clone()) };
        let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let start_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
        let mut records = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let mut cells: Vec<String> = vec![String::new(); start_col];
            for cell in row {
                cells.push(cell_text(cell).map_err(|m| place.error(Some(start_row + i + 1), None, None, "IMPORT_XLSX_CELL", m))?);
            }
            records.push((start_row + i + 1, cells));
        }
        if records.iter().any(|(_, c)| c.iter().any(|x| !x.is_empty())) {
            tables.push(into_table(place, records)?);
        }
    }
    Ok(tables)
}

fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        // Shortest text that reads back as the same float: 1234.56 stays 1234.56; amounts are then read exactly.
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) => serial_to_date(d.as_f64()).ok_or_else(|| format!("无法识别的日期单元格 {}", d.as_f64()))?,
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("单元格含公式错误 {e:?}")),
    })
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn serial_to_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01, then the civil-from-days algorithm (H. Hinnant).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(serial_to_date(43_831.0).as_deref(), Some("2020-01-01"));
        assert_eq!(serial_to_date(44_311.0).as_deref(), Some("2021-04-25"));
        assert_eq!(serial_to_date(0.0), None);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let t = parse_csv("a,b\n\n1,\"x\ny\"\n2,z\n".as_bytes(), "f.csv").unwrap();
        let rows: Vec<usize> = t.rows.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, vec![3, 4], "blank line 2 counts; the break inside the quoted cell does not");
    }

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc", "f").unwrap(), "abc");
        let (gbk, _, _) = encoding_rs::GBK.encode("年度,金额");
        assert_eq!(decode(&gbk, "f").unwrap(), "年度,金额");
        assert_eq!(decode(&[0x81, 0x20, 0xFF], "f").unwrap_err().rule_id, "IMPORT_ENCODING");
    }
}
