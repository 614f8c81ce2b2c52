//! Reads a unit's records from a directory of CSV files plus `unit.toml`, or from one .xlsx workbook with a
//! sheet per record kind, into a validated [`Batch`]; writes the empty templates of both. Nothing here
//! touches the database: the caller passes what the database already holds and applies the batch.

// ImportError names file, sheet, row, column, value, rule and message so that every refusal points at its cell;
// it is the rare path, so its size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod code_table;
pub mod demo;
pub mod error;
pub mod parse;
pub mod session;
pub mod table;
pub mod template;
pub mod unit;
pub mod validate;

use error::Place;
pub use error::{ImportError, ImportErrors};
use jixiao_core::records::{Batch, RecordSet, UnitProfile, UnitYear};
use jixiao_core::schema::{RecordKind, RecordKindSpec, record_kinds};
use parse::Columns;
use std::path::{Path, PathBuf};
use table::{CsvRows, Table};
use validate::Located;

/// Sheets a workbook may carry beside the record sheets: the template's code lists and instructions.
pub const AUXILIARY_SHEETS: &[&str] = &[template::SHEET_CODES, template::SHEET_README];

/// An import source read and parsed, not yet checked against the database.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given, for the import log.
    pub label: String,
    pub unit: UnitProfile,
    pub years: Vec<UnitYear>,
    pub rows: Vec<Located>,
}

impl Source {
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Checks the source against what the database holds for its unit, giving the batch to apply (the import
    /// session over records in memory, `session::MemorySink`).
    pub fn validate(&self, existing: &RecordSet, existing_years: &[UnitYear]) -> Result<Batch, ImportErrors> {
        self.check_in_memory(existing, existing_years, None).map(|(batch, _)| batch)
    }

    /// [`Source::validate`] with budget control at entry: stops refuse the import unless `override_request`
    /// passes them (adding 超控记录 to the batch). Returns the control outcomes too.
    pub fn validate_controlled(
        &self,
        existing: &RecordSet,
        existing_years: &[UnitYear],
        override_request: Option<&jixiao_core::budget_control::OverrideRequest>,
    ) -> Result<(Batch, Vec<jixiao_core::budget_control::ControlOutcome>), ImportErrors> {
        self.check_in_memory(existing, existing_years, override_request)
    }
}

/// What a read found: the unit and the rows that parsed (`None` when the unit or the files could not be
/// read at all), and every error.
pub type Partial = (Option<Source>, Vec<ImportError>);

/// The source if the read found no error.
fn whole((source, errors): Partial) -> Result<Source, ImportErrors> {
    match source {
        Some(source) if errors.is_empty() => Ok(source),
        _ => Err(ImportErrors(errors)),
    }
}

/// Reads a CSV directory or an .xlsx workbook. All errors of all files are reported together.
pub fn read(path: &Path) -> Result<Source, ImportErrors> {
    whole(read_partial(path))
}

/// [`read`], keeping the rows that parsed when others have errors (for [`Source::partial_errors`]).
pub fn read_partial(path: &Path) -> Partial {
    let label = path.display().to_string();
    if path.is_dir() {
        read_dir_except(path, label, None)
    } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        read_workbook(path, label)
    } else if !path.exists() {
        (None, vec![ImportError::file(&label, "IMPORT_NOT_FOUND", "路径不存在")])
    } else {
        (None, vec![ImportError::file(&label, "IMPORT_UNSUPPORTED", "只能导入一个目录（CSV 文件 + unit.toml）或一个 .xlsx 工作簿")])
    }
}

fn parse_tables(tables: &[(&'static str, &Table)], errors: &mut Vec<ImportError>) -> Vec<Located> {
    let mut rows = Vec::new();
    for (kind_id, table) in tables {
        let kind = record_kinds().iter().find(|k| k.id == *kind_id).expect("kind ids come from the spec");
        let (parsed, errs) = parse::parse_table(kind, table);
        errors.extend(errs);
        rows.extend(parsed.into_iter().map(|p| Located { kind: kind.kind, place: table.place.clone(), parsed: p }));
    }
    rows
}

/// The kind whose file an import streams rather than holds: the vouchers, by far the largest file.
pub const STREAMED_KIND: RecordKind = RecordKind::Expenditures;

/// A CSV file read row by row when the import is applied, never held whole.
#[derive(Debug, Clone)]
pub struct StreamedFile {
    pub kind: &'static RecordKindSpec,
    pub path: PathBuf,
    /// The file name, as errors name it.
    pub file: String,
    /// Its data rows once checked ([`Streamed::check_rows`]); before that its lines less one, for a progress bar.
    pub rows: usize,
    /// The SHA-256 of its bytes, lowercase hex, once hashed ([`Streamed::hash_streamed`], or found by the check):
    /// a file an earlier import of the unit stored whole is known by it, and its rows are counted as unchanged
    /// without being read again.
    pub digest: Option<String>,
    /// Whether every row was checked before the import ([`Streamed::check_rows`]). An unchecked file is read
    /// once, by the import session itself; if it turns out not to be plain UTF-8 CSV the session refuses it with
    /// [`IMPORT_READ_WHOLE`] and the caller checks it (reading it whole) and runs the session again.
    pub checked: bool,
}

/// The rule id of the session's refusal of an unchecked streamed file that cannot be read row by row (another
/// encoding, damage): check it with [`Streamed::check_rows`], which reads it whole, and import again.
pub const IMPORT_READ_WHOLE: &str = "IMPORT_READ_WHOLE";

impl StreamedFile {
    /// The file at `path`, its lines counted but nothing parsed.
    fn unchecked(kind: &'static RecordKindSpec, path: &Path) -> std::io::Result<StreamedFile> {
        let lines = read_chunks(path, |_| {})?;
        Ok(StreamedFile {
            kind,
            path: path.to_path_buf(),
            file: kind.file.clone(),
            rows: lines.saturating_sub(1),
            digest: None,
            checked: false,
        })
    }

    /// What a row that cannot be read one at a time is: a file checked before has changed since; an unchecked
    /// one must be read whole.
    fn unreadable(&self) -> ImportError {
        if self.checked {
            ImportError::file(&self.file, "IMPORT_CHANGED", "文件在导入过程中被改动，请重新导入")
        } else {
            ImportError::file(&self.file, IMPORT_READ_WHOLE, "文件不能逐行读取（不是 UTF-8 编码，或文件已损坏），须整体读取后再检查")
        }
    }

    /// Opens the file for another pass: its column map and its rows.
    pub fn open(&self) -> Result<(Columns<'static>, CsvRows), Vec<ImportError>> {
        let rows = match CsvRows::open(&self.path, &self.file) {
            Ok(rows) => rows,
            Err(Err(e)) => return Err(vec![e]),
            Err(Ok(_)) => return Err(vec![self.unreadable()]),
        };
        let place = Place { file: self.file.clone(), sheet: None };
        Ok((Columns::new(self.kind, &place, rows.header())?, rows))
    }

    /// After the session's pass over the file (`rows` at its end): its digest, or why the file as a whole must be
    /// read whole after all.
    pub fn finish(&self, rows: &CsvRows) -> Result<String, ImportError> {
        rows.finish().map_err(|_| self.unreadable())?;
        Ok(rows.digest())
    }

    /// The next row as a record, or what is wrong with it.
    pub fn next(&self, columns: &Columns, rows: &mut CsvRows) -> Option<Result<Located, Vec<ImportError>>> {
        match rows.next_row() {
            Ok(None) => None,
            Err(_) => Some(Err(vec![self.unreadable()])),
            Ok(Some((row, cells))) => {
                Some(columns.parse_row(row, &cells).map(|parsed| Located { kind: self.kind.kind, place: columns.place().clone(), parsed }))
            }
        }
    }
}

/// An import source whose largest file is checked (read and parsed row by row) but not held: `source` has
/// the records of every other file, `streamed` the file to read again while the import is written.
#[derive(Debug, Clone)]
pub struct Streamed {
    pub source: Source,
    pub streamed: Option<StreamedFile>,
}

impl Streamed {
    /// An import held whole in memory (an upload, a record entered on a page).
    pub fn held(source: Source) -> Streamed {
        Streamed { source, streamed: None }
    }

    pub fn row_count(&self) -> usize {
        self.source.row_count() + self.streamed.as_ref().map_or(0, |s| s.rows)
    }

    /// [`session::partial_errors`]: the streamed file's rows are read again one at a time (its rows that do
    /// not parse are among `read_errors` already).
    pub async fn partial_errors(&self, read_errors: &[ImportError], existing: &RecordSet, existing_years: &[UnitYear]) -> Vec<ImportError> {
        session::partial_errors(self, read_errors, existing, existing_years).await
    }

    /// Hashes the streamed file (unless its digest is known), so that the store can say whether it holds it.
    pub fn hash_streamed(&mut self) -> Result<(), ImportError> {
        use sha2::{Digest, Sha256};
        let Some(file) = self.streamed.as_mut().filter(|f| f.digest.is_none()) else { return Ok(()) };
        let mut hasher = Sha256::new();
        read_chunks(&file.path, |bytes| hasher.update(bytes))
            .map_err(|e| ImportError::file(&file.file, "IMPORT_READ", format!("无法读取文件：{e}")))?;
        file.digest = Some(format!("{:x}", hasher.finalize()));
        Ok(())
    }

    /// Checks the streamed file row by row (every cell parsed, every error returned) unless that was done; a
    /// file that is not plain UTF-8 CSV, or is damaged, is read whole into `source` instead, as [`read`] does.
    pub fn check_rows(&mut self) -> Vec<ImportError> {
        let Some(file) = self.streamed.as_ref().filter(|f| !f.checked) else { return Vec::new() };
        let mut errors = Vec::new();
        match check_streamed(file.kind, &file.path, &mut errors) {
            Some((rows, digest)) => {
                let file = self.streamed.as_mut().expect("matched above");
                file.rows = rows;
                file.digest = digest.or(file.digest.take());
                file.checked = true;
            }
            None => {
                let file = self.streamed.take().expect("matched above");
                let rows = read_whole(&file, &mut errors);
                // Kinds stay in spec order, so records come after what they refer to.
                let at = self.source.rows.iter().position(|r| r.kind > file.kind.kind).unwrap_or(self.source.rows.len());
                self.source.rows.splice(at..at, rows);
            }
        }
        errors
    }
}

/// Reads the file at `path` in blocks, handing each to `f`; returns its line feeds.
fn read_chunks(path: &Path, mut f: impl FnMut(&[u8])) -> std::io::Result<usize> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; 1 << 16];
    let mut lines = 0;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(lines);
        }
        f(&buffer[..n]);
        lines += buffer[..n].iter().filter(|b| **b == b'\n').count();
    }
}

/// Like [`read`], but a directory's `expenditures.csv` (when it is UTF-8) is only checked here — every cell
/// parsed, every error collected, row by row — and left to be streamed by the caller. Memory stays flat in the
/// number of its rows. A file in another encoding, or damaged, is read whole as [`read`] does.
pub fn read_streamed(path: &Path) -> Result<Streamed, ImportErrors> {
    match read_streamed_partial(path) {
        (Some(input), errors) if errors.is_empty() => Ok(input),
        (_, errors) => Err(ImportErrors(errors)),
    }
}

/// [`read_streamed`], keeping what parsed when some rows have errors (the streamed file's rows are read again
/// when it is written; its errors are among those returned).
pub fn read_streamed_partial(path: &Path) -> (Option<Streamed>, Vec<ImportError>) {
    match read_streamed_unchecked(path) {
        (Some(mut input), mut errors) => {
            errors.extend(input.check_rows());
            (Some(input), errors)
        }
        other => other,
    }
}

/// [`read_streamed_partial`] without reading the streamed file's rows (only its lines are counted, for a
/// progress bar): a caller whose database holds the unit hashes it ([`Streamed::hash_streamed`]) and, when the
/// database holds that very file, need not read it at all; a caller with no database yet checks it first
/// ([`Streamed::check_rows`]); otherwise the import session reads, checks and hashes it in its one pass.
pub fn read_streamed_unchecked(path: &Path) -> (Option<Streamed>, Vec<ImportError>) {
    if !path.is_dir() {
        let (source, errors) = read_partial(path);
        return (source.map(|source| Streamed { source, streamed: None }), errors);
    }
    let label = path.display().to_string();
    let kind = STREAMED_KIND.spec();
    let file_path = path.join(&kind.file);
    // A file that cannot be read is left to the directory's reader, which names the error.
    let streamed = if file_path.is_file() { StreamedFile::unchecked(kind, &file_path).ok() } else { None };
    let skip = streamed.as_ref().map(|s| s.file.clone());
    match read_dir_except(path, label, skip.as_deref()) {
        (Some(source), errors) => (Some(Streamed { source, streamed }), errors),
        // Nothing can be imported: the streamed file's errors are reported with the others all the same.
        (None, mut errors) => {
            if let Some(file) = streamed
                && check_streamed(file.kind, &file.path, &mut errors).is_none()
            {
                read_whole(&file, &mut errors);
            }
            (None, errors)
        }
    }
}

/// A streamed file's rows read the way [`read`] reads a CSV file: the whole file at once.
fn read_whole(file: &StreamedFile, errors: &mut Vec<ImportError>) -> Vec<Located> {
    match std::fs::read(&file.path) {
        Err(e) => {
            errors.push(ImportError::file(&file.file, "IMPORT_READ", format!("无法读取文件：{e}")));
            Vec::new()
        }
        Ok(bytes) => match table::parse_csv(&bytes, &file.file) {
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
            Ok(t) => parse_tables(&[(file.kind.id.as_str(), &t)], errors),
        },
    }
}

/// Reads a file once, row by row, collecting its errors; its data rows and digest (none when it could not be
/// opened), or `None` when it must be read whole instead.
fn check_streamed(kind: &'static RecordKindSpec, path: &Path, errors: &mut Vec<ImportError>) -> Option<(usize, Option<String>)> {
    let file = kind.file.clone();
    let mut rows = match CsvRows::open(path, &file) {
        Ok(rows) => rows,
        Err(Ok(_)) => return None,
        Err(Err(e)) => {
            errors.push(e);
            return Some((0, None));
        }
    };
    let place = Place { file: file.clone(), sheet: None };
    let mut found = Vec::new();
    let mut count = 0;
    let columns = Columns::new(kind, &place, rows.header()).map_err(|e| found.extend(e)).ok();
    // Every row is read even when the header is wrong: only a whole pass shows the file needs reading whole.
    loop {
        match rows.next_row() {
            Err(_) => return None,
            Ok(None) => break,
            Ok(Some((row, cells))) => {
                count += 1;
                if let Some(Err(e)) = columns.as_ref().map(|c| c.parse_row(row, &cells)) {
                    found.extend(e);
                }
            }
        }
    }
    rows.finish().ok()?;
    errors.extend(found);
    Some((count, Some(rows.digest())))
}

/// Reads a directory, leaving out the file named `skip` (which the caller streams).
fn read_dir_except(dir: &Path, label: String, skip: Option<&str>) -> Partial {
    let unit_toml = std::fs::read_to_string(dir.join(unit::UNIT_FILE)).ok();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return (None, vec![ImportError::file(&label, "IMPORT_READ", format!("无法读取目录：{e}"))]),
    };
    let mut names: Vec<String> = entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect();
    names.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for name in names.into_iter().filter(|n| n.to_lowercase().ends_with(".csv") && Some(n.as_str()) != skip) {
        match std::fs::read(dir.join(&name)) {
            Ok(bytes) => files.push((name, bytes)),
            Err(e) => errors.push(ImportError::file(&name, "IMPORT_READ", format!("无法读取文件：{e}"))),
        }
    }
    let (source, more) = read_csv_files_partial(label, unit_toml.as_deref(), &files);
    errors.extend(more);
    (source, errors)
}

/// Reads an import given as the text of `unit.toml` (`None` when the directory has none) and the CSV files'
/// names and bytes — what a directory holds, without the file system.
pub fn read_csv_files(label: String, unit_toml: Option<&str>, files: &[(String, Vec<u8>)]) -> Result<Source, ImportErrors> {
    whole(read_csv_files_partial(label, unit_toml, files))
}

/// [`read_csv_files`], keeping the rows that parsed when others have errors.
pub fn read_csv_files_partial(label: String, unit_toml: Option<&str>, files: &[(String, Vec<u8>)]) -> Partial {
    let mut errors = Vec::new();
    let unit = match unit_toml {
        Some(text) => unit::parse_unit_toml(text).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(ImportError::file(unit::UNIT_FILE, "IMPORT_MISSING_UNIT", "目录中缺少 unit.toml（单位基本信息）"));
            None
        }
    };
    let mut tables: Vec<(&'static str, Table)> = Vec::new();
    for (name, bytes) in files {
        match record_kinds().iter().find(|k| k.file == *name) {
            None => errors.push(ImportError::file(
                name,
                "IMPORT_UNKNOWN_FILE",
                format!("不认识的文件；可导入的文件：{}", record_kinds().iter().map(|k| k.file.as_str()).collect::<Vec<_>>().join("、")),
            )),
            Some(kind) => match table::parse_csv(bytes, name) {
                Ok(t) => tables.push((kind.id.as_str(), t)),
                Err(e) => errors.push(e),
            },
        }
    }
    // Kinds in spec order, so records come after what they refer to.
    tables.sort_by_key(|(id, _)| record_kinds().iter().position(|k| k.id == *id));
    let refs: Vec<(&'static str, &Table)> = tables.iter().map(|(k, t)| (*k, t)).collect();
    let rows = parse_tables(&refs, &mut errors);
    (unit.map(|(unit, years)| Source { label, unit, years, rows }), errors)
}

fn read_workbook(path: &Path, label: String) -> Partial {
    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_else(|| label.clone());
    match std::fs::read(path) {
        Ok(bytes) => read_workbook_partial(label, &file, &bytes),
        Err(e) => (None, vec![ImportError::file(&file, "IMPORT_READ", format!("无法读取文件：{e}"))]),
    }
}

/// Reads an .xlsx workbook given as bytes; `file` names it in errors.
pub fn read_workbook_bytes(label: String, file: &str, bytes: &[u8]) -> Result<Source, ImportErrors> {
    whole(read_workbook_partial(label, file, bytes))
}

/// [`read_workbook_bytes`], keeping the rows that parsed when others have errors.
pub fn read_workbook_partial(label: String, file: &str, bytes: &[u8]) -> Partial {
    read_workbook_partial_over(label, file, bytes, None)
}

/// [`read_workbook_partial`] for a unit the database holds (`stored`): a required 单位信息 row left blank
/// takes the stored value ([`unit::parse_unit_sheets_over`]).
pub fn read_workbook_partial_over(label: String, file: &str, bytes: &[u8], stored: Option<&jixiao_core::records::UnitProfile>) -> Partial {
    let file = file.to_string();
    let tables = match table::parse_xlsx(bytes, &file) {
        Ok(tables) => tables,
        Err(e) => return (None, vec![e]),
    };
    let mut errors = Vec::new();
    let unit_sheets = [unit::SHEET_PROFILE, unit::SHEET_DUTIES, unit::SHEET_OFFICES, unit::SHEET_YEARS];
    let mut record_tables: Vec<(&'static str, &Table)> = Vec::new();
    let mut unit_tables: Vec<&Table> = Vec::new();
    for t in &tables {
        let name = t.place.sheet.as_deref().unwrap_or_default();
        if let Some(kind) = record_kinds().iter().find(|k| k.label == name) {
            record_tables.push((kind.id.as_str(), t));
        } else if unit_sheets.contains(&name) {
            unit_tables.push(t);
        } else if !AUXILIARY_SHEETS.contains(&name) {
            errors
                .push(ImportError {
                    sheet: Some(name.to_string()), ..ImportError::file(&file, "IMPORT_UNKNOWN_SHEET", "不认识的工作表")
                });
        }
    }
    record_tables.sort_by_key(|(id, _)| record_kinds().iter().position(|k| k.id == *id));
    let unit = unit::parse_unit_sheets_over(&file, &unit_tables, stored).map_err(|e| errors.extend(e)).ok();
    let rows = parse_tables(&record_tables, &mut errors);
    (unit.map(|(unit, years)| Source { label, unit, years, rows }), errors)
}

#[cfg(test)]
mod tests {
    use jixiao_core::schema::record_kinds;

    #[test]
    fn the_format_documentation_names_every_file_sheet_and_header() {
        let doc = include_str!("../../../docs/import-format.md");
        for kind in record_kinds() {
            assert!(doc.contains(&format!("`{}`", kind.file)), "{}", kind.file);
            assert!(doc.contains(&format!("工作表「{}」", kind.label)), "{}", kind.label);
            for c in &kind.columns {
                assert!(doc.contains(&format!("| {} | `{}` |", c.header, c.field)), "{}.{}", kind.id, c.field);
            }
        }
    }
}
