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
        return Err(ImportError::file(
            file,
            "IMPORT_ENCODING",
            "文件含空字节：不是文本文件，或是没有字节顺序标记（BOM）的 UTF-16 文件，请另存为 UTF-8 CSV",
        ));
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
            let skipped = text.as_bytes()[(p.byte() as usize).min(text.len())..]
                .iter()
                .take_while(|b| matches!(b, b'\n' | b'\r'))
                .filter(|b| **b == b'\n')
                .count();
            p.line() as usize + skipped
        });
        if rec.len() > MAX_COLUMNS as usize {
            return Err(place.error(
                Some(line - breaks_in_cells),
                None,
                None,
                "IMPORT_CSV_TOO_LARGE",
                format!("本行有 {} 个单元格，超过导入上限 {MAX_COLUMNS} 列，已拒绝", rec.len()),
            ));
        }
        if records.len() > CSV_MAX_ROWS {
            return Err(place.error(
                Some(line - breaks_in_cells),
                None,
                None,
                "IMPORT_CSV_TOO_LARGE",
                format!("文件超过导入上限 {CSV_MAX_ROWS} 行，已拒绝；请按年度或单位分成几个文件"),
            ));
        }
        records.push((line - breaks_in_cells, rec.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>()));
        breaks_in_cells += rec.iter().map(|c| c.matches('\n').count()).sum::<usize>();
    }
    if ends_inside_quotes(&text) {
        let row = records.last().map(|(line, _)| *line);
        return Err(place.error(
            row,
            None,
            None,
            "IMPORT_CSV_TRUNCATED",
            "文件在一个带引号的单元格中间结束（缺少收尾的引号）：文件不完整，请重新导出",
        ));
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

/// A UTF-8 CSV file read record by record, so that memory does not grow with the file (an expenditure file
/// may hold a million vouchers). Rows are numbered exactly as [`parse_csv`] numbers them. Anything
/// [`parse_csv`] treats specially — another encoding, a byte-order mark other than UTF-8's, NUL bytes, a
/// syntax error, a file cut short inside quotes, no header row — makes [`CsvRows::next_row`] or
/// [`CsvRows::finish`] answer [`NotStreamable`]: the caller then reads the file whole with [`read_csv`].
pub struct CsvRows {
    reader: csv::Reader<Scan<std::io::BufReader<std::fs::File>>>,
    record: csv::ByteRecord,
    /// Line breaks inside the cells of the records read so far.
    breaks_in_cells: usize,
    header: Option<Vec<String>>,
    /// Records read so far, blank ones included.
    records: usize,
}

/// The file needs [`read_csv`]: it is not plain UTF-8 CSV, or it is damaged (the whole-file reader names how).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotStreamable;

/// Watches the bytes going to the CSV reader for what [`decode`] and [`ends_inside_quotes`] check on a whole file.
struct Scan<R> {
    inner: R,
    nul: bool,
    all_whitespace: bool,
    quoted: bool,
    /// Whether a `"` just closed a quoted cell (a second one right after is an escaped quote).
    quote_pending: bool,
    field_start: bool,
    /// Bytes read so far, and the offsets of the line feeds the CSV reader has not yet passed (it reads a
    /// few KiB ahead of the record it parses, so this stays short).
    offset: u64,
    line_feeds: std::collections::VecDeque<u64>,
    /// The SHA-256 of every byte of the file (a byte-order mark included), so the one pass that reads the rows
    /// also gives the digest an import keeps of the file.
    hasher: sha2::Sha256,
}

impl<R: std::io::Read> std::io::Read for Scan<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        for &b in &buf[..n] {
            self.nul |= b == 0;
            self.all_whitespace &= b.is_ascii_whitespace();
            // The same automaton as `ends_inside_quotes`, a byte at a time (the bytes that matter are ASCII).
            if self.quoted {
                if self.quote_pending {
                    self.quote_pending = false;
                    if b != b'"' {
                        self.quoted = false;
                        self.field_start = matches!(b, b',' | b'\n' | b'\r');
                    }
                } else if b == b'"' {
                    self.quote_pending = true;
                }
            } else {
                self.quoted = b == b'"' && self.field_start;
                self.field_start = matches!(b, b',' | b'\n' | b'\r');
            }
            if b == b'\n' {
                self.line_feeds.push_back(self.offset);
            }
            self.offset += 1;
        }
        Ok(n)
    }
}

impl CsvRows {
    /// Opens the file; `Err(Ok(NotStreamable))` when it does not start as UTF-8 text.
    #[allow(clippy::result_large_err)] // the crate's error type, as `parse_csv` returns it
    pub fn open(path: &Path, file: &str) -> Result<CsvRows, Result<NotStreamable, ImportError>> {
        use std::io::BufRead;
        let read_error = |e: std::io::Error| Err::<NotStreamable, _>(ImportError::file(file, "IMPORT_READ", format!("无法读取文件：{e}")));
        let f = std::fs::File::open(path).map_err(read_error)?;
        let mut buffered = std::io::BufReader::with_capacity(1 << 16, f);
        let start = buffered.fill_buf().map_err(read_error)?;
        if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
            return Err(Ok(NotStreamable));
        }
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        if start.starts_with(b"\xEF\xBB\xBF") {
            sha2::Digest::update(&mut hasher, &start[..3]);
            buffered.consume(3);
        }
        let scan = Scan {
            inner: buffered,
            nul: false,
            all_whitespace: true,
            quoted: false,
            quote_pending: false,
            field_start: true,
            offset: 0,
            line_feeds: Default::default(),
            hasher,
        };
        let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(scan);
        let mut rows = CsvRows { reader, record: csv::ByteRecord::new(), breaks_in_cells: 0, header: None, records: 0 };
        // The header is the first row with anything in it.
        loop {
            match rows.next_record().map_err(Ok)? {
                None => return Err(Ok(NotStreamable)),
                Some((_, cells)) if cells.iter().all(String::is_empty) => continue,
                Some((_, cells)) => {
                    rows.header = Some(cells);
                    return Ok(rows);
                }
            }
        }
    }

    /// The header row's cells.
    pub fn header(&self) -> &[String] {
        self.header.as_deref().unwrap_or_default()
    }

    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, NotStreamable> {
        if !self.reader.read_byte_record(&mut self.record).map_err(|_| NotStreamable)? {
            return Ok(None);
        }
        // Past the limits the whole-file reader names the row and the limit. A NUL byte anywhere (seen by the
        // scan, which may be ahead of this record) means the file is not text: stop before the row goes anywhere.
        self.records += 1;
        if self.reader.get_ref().nul {
            return Err(NotStreamable);
        }
        if self.record.len() > MAX_COLUMNS as usize || self.records > CSV_MAX_ROWS + 1 {
            return Err(NotStreamable);
        }
        let mut cells = Vec::with_capacity(self.record.len());
        let mut breaks = 0;
        for cell in &self.record {
            let text = std::str::from_utf8(cell).map_err(|_| NotStreamable)?;
            breaks += text.matches('\n').count();
            cells.push(text.trim().to_string());
        }
        // The reader stands after the record's line break, if any (of a CRLF, after the CR): its line — less one
        // when it has just passed a line feed — less the breaks inside this record's cells and earlier ones,
        // is the spreadsheet row (see `parse_csv`).
        let end = self.reader.position().clone();
        let feeds = &mut self.reader.get_mut().line_feeds;
        while feeds.front().is_some_and(|&at| at + 1 < end.byte()) {
            feeds.pop_front();
        }
        let after_line_feed = end.byte() > 0 && feeds.front() == Some(&(end.byte() - 1));
        self.breaks_in_cells += breaks;
        let line = end.line() as usize - usize::from(after_line_feed);
        Ok(Some((line - self.breaks_in_cells, cells)))
    }

    /// The next data row with its row number; rows with nothing in them are skipped, as in [`parse_csv`].
    pub fn next_row(&mut self) -> Result<Option<(usize, Vec<String>)>, NotStreamable> {
        loop {
            match self.next_record()? {
                Some((_, cells)) if cells.iter().all(String::is_empty) => continue,
                other => return Ok(other),
            }
        }
    }

    /// After the last row: the SHA-256 of the file's bytes, lowercase hex.
    pub fn digest(&self) -> String {
        format!("{:x}", sha2::Digest::finalize(self.reader.get_ref().hasher.clone()))
    }

    /// After the last row: whether the file as a whole was one [`parse_csv`] reads without complaint.
    pub fn finish(&self) -> Result<(), NotStreamable> {
        let scan = self.reader.get_ref();
        if scan.nul || scan.all_whitespace || (scan.quoted && !scan.quote_pending) { Err(NotStreamable) } else { Ok(()) }
    }
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
    let open_error =
        |e: zip::result::ZipError| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法打开工作簿（文件不完整或不是 .xlsx）：{e}"));
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

/// The names of a workbook's sheets, without reading their cells (after the unpacked-size check).
pub fn xlsx_sheet_names(bytes: &[u8], file: &str) -> Result<Vec<String>, ImportError> {
    check_unpacked_size(bytes, file)?;
    let book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法打开工作簿：{e}")))?;
    Ok(book.sheet_names())
}

/// The most rows a sheet or a CSV file read whole may have. A unit-year's books are a few thousand rows; a
/// larger expenditure file goes by CSV, read a row at a time ([`CsvRows`]), which allows [`CSV_MAX_ROWS`].
pub const MAX_ROWS: u32 = 500_000;
/// The most columns a sheet or a CSV row may have (a record kind has at most about twenty).
pub const MAX_COLUMNS: u32 = 200;
/// The most cells a sheet may hold: declared as its `<dimension>`, and as read (each row counted from column
/// A to its last cell, since that is what is allocated).
pub const MAX_CELLS: u64 = 5_000_000;
/// The most data rows of a CSV file.
pub const CSV_MAX_ROWS: usize = 5_000_000;

/// A1-style name of a 0-based column (0 → A, 16383 → XFD).
fn column_name(mut col: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

fn sheet_too_large(place: &Place, what: String) -> ImportError {
    place.error(None, None, None, "IMPORT_SHEET_TOO_LARGE", format!("工作表「{}」{what}，超过导入上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列、{MAX_CELLS} 个单元格），已拒绝；数据量大的凭证请用 CSV 文件导入", place.sheet.as_deref().unwrap_or("")))
}

/// The sheets of a workbook given as bytes, by name, as text tables. A sheet with no header row is left out.
/// Cells are read one at a time, never as a dense range: a sheet's size is checked against [`MAX_ROWS`],
/// [`MAX_COLUMNS`] and [`MAX_CELLS`] by its declared dimension and by each cell's position before anything
/// grows with it (a 5 KB workbook with cells A1 and XFD1048576 would otherwise ask for 512 GB).
pub fn parse_xlsx(bytes: &[u8], file: &str) -> Result<Vec<Table>, ImportError> {
    check_unpacked_size(bytes, file)?;
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法打开工作簿：{e}")))?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let place = Place { file: file.to_string(), sheet: Some(name.clone()) };
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            // A chart sheet holds no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法读取工作表「{name}」：{e}"))),
        };
        let declared = reader.dimensions();
        let (rows, columns) = (u64::from(declared.end.0) + 1, u64::from(declared.end.1) + 1);
        if declared.end != (0, 0) && (rows > u64::from(MAX_ROWS) || columns > u64::from(MAX_COLUMNS) || declared.len() > MAX_CELLS) {
            return Err(sheet_too_large(
                &place,
                format!("声明的范围为 A1:{}{}（{rows} 行 × {columns} 列）", column_name(declared.end.1), rows),
            ));
        }
        // Non-empty cells by row; `allocated` counts each row's cells from column A to its last one.
        let mut records: Vec<(usize, Vec<String>)> = Vec::new();
        let mut allocated = 0u64;
        loop {
            let cell =
                reader.next_cell().map_err(|e| ImportError::file(file, "IMPORT_XLSX_OPEN", format!("无法读取工作表「{name}」：{e}")))?;
            let Some(cell) = cell else { break };
            let data = Data::from(cell.get_value().clone());
            if data == Data::Empty {
                continue;
            }
            let (row, col) = cell.get_position();
            if row >= MAX_ROWS || col >= MAX_COLUMNS {
                return Err(sheet_too_large(&place, format!("有单元格位于 {}{}", column_name(col), u64::from(row) + 1)));
            }
            let row_no = row as usize + 1;
            let text = cell_text(&data).map_err(|m| place.error(Some(row_no), None, None, "IMPORT_XLSX_CELL", m))?;
            if records.last().is_none_or(|(r, _)| *r != row_no) {
                records.push((row_no, Vec::new()));
            }
            let cells = &mut records.last_mut().expect("pushed above").1;
            let col = col as usize;
            if col >= cells.len() {
                allocated += (col + 1 - cells.len()) as u64;
                if allocated > MAX_CELLS {
                    return Err(sheet_too_large(&place, format!("的单元格超过 {MAX_CELLS} 个")));
                }
                cells.resize(col + 1, String::new());
            }
            cells[col] = text;
        }
        // Cells come in row order in every workbook Excel or jixiao writes; put any other order right.
        if !records.is_sorted_by_key(|(r, _)| *r) {
            records.sort_by_key(|(r, _)| *r);
            records.dedup_by(|later, earlier| {
                if later.0 != earlier.0 {
                    return false;
                }
                for (i, c) in std::mem::take(&mut later.1).into_iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                    if i >= earlier.1.len() {
                        earlier.1.resize(i + 1, String::new());
                    }
                    earlier.1[i] = c;
                }
                true
            });
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

    /// The streaming reader numbers rows as the whole-file reader does, and hands back what it cannot read.
    #[test]
    fn streamed_rows_equal_whole_file_rows() {
        let dir = tempfile::tempdir().unwrap();
        let cases: &[&[u8]] = &[
            b"a,b\n\n1,\"x\ny\"\n2,z\n",
            b"a,b\n1,2",
            b"a,b\r\n1,2\r\n\r\n\r\n3,4\r\n",
            b"\n\na,b\n,\n1,2\n\n",
            b"\xEF\xBB\xBFa,b\n1,\"q\"\"\nr\"\n2,\"\"\n3,4",
            b"a,b\n\"x\ny\nz\",1\n\n\n2,3\n4\n",
            b" a , b \n 1 , 2 \n",
            b"a,b\r1,2\r\r3,4\r",
            b"a,b\n1,\"x\r\ny\"\r\n2,3",
        ];
        for (i, bytes) in cases.iter().enumerate() {
            let path = dir.path().join(format!("{i}.csv"));
            std::fs::write(&path, bytes).unwrap();
            let whole = parse_csv(bytes, "f.csv").unwrap();
            let mut rows = CsvRows::open(&path, "f.csv").unwrap_or_else(|_| panic!("case {i} opens"));
            assert_eq!(rows.header(), whole.header.as_slice(), "case {i}");
            let mut streamed = Vec::new();
            while let Some(r) = rows.next_row().unwrap() {
                streamed.push(r);
            }
            assert_eq!(rows.finish(), Ok(()), "case {i}");
            assert_eq!(streamed, whole.rows, "case {i}");
        }
        for bad in [&b"a,b\n\"1,2\n"[..], b"a\x00,b\n1,2\n", b" \n\n", b",,\n\n"] {
            let path = dir.path().join("bad.csv");
            std::fs::write(&path, bad).unwrap();
            assert!(parse_csv(bad, "f.csv").is_err());
            let outcome = CsvRows::open(&path, "f.csv").ok().map(|mut r| {
                while r.next_row().unwrap().is_some() {}
                r.finish()
            });
            assert_ne!(outcome, Some(Ok(())), "{bad:?}");
        }
        let gbk = encoding_rs::GBK.encode("指标,金额\n甲,1\n").0.into_owned();
        std::fs::write(dir.path().join("gbk.csv"), &gbk).unwrap();
        let mut r = CsvRows::open(&dir.path().join("gbk.csv"), "f.csv").ok();
        assert!(r.as_mut().is_none_or(|r| r.next_row().is_err()), "GBK is left to the whole-file reader");
    }

    /// A workbook with one sheet 支出凭证 holding `cells` (0-based row, column, text), as rust_xlsxwriter
    /// writes it (its `<dimension>` spans the cells).
    fn sparse_workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("支出凭证").unwrap();
        for (row, col, text) in cells {
            sheet.write_string(*row, *col, *text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// The workbook with its sheet's `<dimension>` replaced (`None`: removed), as a hostile file may have it.
    fn with_dimension(bytes: &[u8], dimension: Option<&str>) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut text = Vec::new();
            entry.read_to_end(&mut text).unwrap();
            if name.starts_with("xl/worksheets/sheet") {
                let xml = String::from_utf8(text).unwrap();
                let start = xml.find("<dimension").unwrap();
                let end = start + xml[start..].find("/>").unwrap() + 2;
                let replacement = dimension.map(|d| format!("<dimension ref=\"{d}\"/>")).unwrap_or_default();
                text = format!("{}{replacement}{}", &xml[..start], &xml[end..]).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(&text).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// Issue 16: A1 + XFD1048576 made calamine ask for 512 GB. Refused by its declared dimension, by the
    /// cells' positions when the dimension is missing or lies, naming the sheet; nothing large is allocated.
    #[test]
    fn huge_sheet_dimensions_are_refused_before_allocating() {
        let bomb = sparse_workbook(&[(0, 0, "凭证号"), (1_048_575, 16_383, "x")]);
        for (case, bytes) in [
            ("declared", bomb.clone()),
            ("no dimension", with_dimension(&bomb, None)),
            ("lying dimension", with_dimension(&bomb, Some("A1:B2"))),
        ] {
            let e = parse_xlsx(&bytes, "bomb.xlsx").expect_err(case);
            assert_eq!(e.rule_id, "IMPORT_SHEET_TOO_LARGE", "{case}: {e}");
            assert!(e.message.contains("工作表「支出凭证」") && e.sheet.as_deref() == Some("支出凭证"), "{case}: {e}");
        }
        let e = parse_xlsx(&bomb, "bomb.xlsx").unwrap_err();
        assert!(e.message.contains("A1:XFD1048576"), "{e}");
        // A1 + CV100000: 10 million cells declared (600 MB through calamine's dense range).
        let wide = sparse_workbook(&[(0, 0, "凭证号"), (99_999, 99, "x")]);
        assert_eq!(parse_xlsx(&wide, "w.xlsx").unwrap_err().rule_id, "IMPORT_SHEET_TOO_LARGE");
        // Without the declaration it is two short rows, read as such.
        let tables = parse_xlsx(&with_dimension(&wide, None), "w.xlsx").unwrap();
        assert_eq!(tables[0].header, vec!["凭证号"]);
        assert_eq!(tables[0].rows.iter().map(|(r, c)| (*r, c.len())).collect::<Vec<_>>(), vec![(100_000, 100)]);
        // Too many columns in one row, within the declared dimension's lie.
        let columns = sparse_workbook(&[(0, 0, "凭证号"), (1, MAX_COLUMNS as u16, "x")]);
        assert!(parse_xlsx(&with_dimension(&columns, Some("A1:A1")), "c.xlsx").unwrap_err().message.contains("有单元格位于 GS2"));
    }

    #[test]
    fn csv_rows_and_row_length_are_limited() {
        let wide = format!("a\n{}\n", vec!["x"; MAX_COLUMNS as usize + 1].join(","));
        let e = parse_csv(wide.as_bytes(), "w.csv").unwrap_err();
        assert_eq!((e.rule_id, e.row), ("IMPORT_CSV_TOO_LARGE", Some(2)), "{e}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("w.csv"), &wide).unwrap();
        let mut rows = CsvRows::open(&dir.path().join("w.csv"), "w.csv").ok().unwrap();
        assert_eq!(rows.next_row(), Err(NotStreamable), "left to the whole-file reader, which names the row");
        let ok = format!("a\n{}\n", vec!["x"; MAX_COLUMNS as usize].join(","));
        assert!(parse_csv(ok.as_bytes(), "ok.csv").is_ok());
    }

    #[test]
    fn column_names() {
        assert_eq!([0, 25, 26, 99, 200, 16_383].map(column_name), ["A", "Z", "AA", "CV", "GS", "XFD"]);
    }

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc", "f").unwrap(), "abc");
        let (gbk, _, _) = encoding_rs::GBK.encode("年度,金额");
        assert_eq!(decode(&gbk, "f").unwrap(), "年度,金额");
        assert_eq!(decode(&[0x81, 0x20, 0xFF], "f").unwrap_err().rule_id, "IMPORT_ENCODING");
    }
}
