//! Import errors: each names where (file, sheet, row, column, value) and which rule, in Chinese with an English rule id.

use std::fmt;

/// Characters of a cell's value an error message shows.
const VALUE_SHOWN: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub sheet: Option<String>,
    /// Row as a spreadsheet shows it: the header is row 1.
    pub row: Option<usize>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub rule_id: &'static str,
    pub message: String,
}

impl ImportError {
    pub fn file(file: &str, rule_id: &'static str, message: impl Into<String>) -> ImportError {
        ImportError { file: file.to_string(), sheet: None, row: None, column: None, value: None, rule_id, message: message.into() }
    }
}

/// Where a cell or row sits, carried while parsing so every error can name it.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: String,
    pub sheet: Option<String>,
}

impl Place {
    pub fn error(
        &self,
        row: Option<usize>,
        column: Option<&str>,
        value: Option<&str>,
        rule_id: &'static str,
        message: impl Into<String>,
    ) -> ImportError {
        ImportError {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row,
            column: column.map(str::to_string),
            value: value.map(str::to_string),
            rule_id,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, " 工作表「{s}」")?;
        }
        if let Some(r) = self.row {
            write!(f, " 第{r}行")?;
        }
        if let Some(c) = &self.column {
            write!(f, " 「{c}」列")?;
        }
        if let Some(v) = &self.value {
            // A huge cell is named by its start and length, not echoed whole.
            match v.char_indices().nth(VALUE_SHOWN) {
                Some((cut, _)) => write!(f, " 值「{}…」（共 {} 字）", &v[..cut], v.chars().count())?,
                None => write!(f, " 值「{v}」")?,
            }
        }
        write!(f, "：{} [{}]", self.message, self.rule_id)
    }
}

/// Every error found in an import; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

/// The most error lines printed; past it, a count of the rest (an import of a million broken rows would
/// otherwise print a million lines).
pub const ERRORS_SHOWN: usize = 1_000;

impl ImportErrors {
    /// The report of `total` errors of which `self` holds the first ones (the rest were only counted).
    pub fn report(&self, total: usize) -> String {
        let mut out = format!("导入失败，共 {total} 处错误，数据库未作任何修改：\n");
        for e in self.0.iter().take(ERRORS_SHOWN) {
            out += &format!("  {e}\n");
        }
        if total > ERRORS_SHOWN.min(self.0.len()) {
            out += &format!(
                "  ……另有 {} 处错误未列出（只列出前 {} 处）\n",
                total - ERRORS_SHOWN.min(self.0.len()),
                ERRORS_SHOWN.min(self.0.len())
            );
        }
        out
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report(self.0.len()))
    }
}

impl std::error::Error for ImportErrors {}
