//! A finding of the books check and the records it names: shared by the check's rule modules (`check`,
//! `governance`, `procurement`, `assets` …), the evaluation and the report figures. A leaf: it uses no other
//! module of the crate, so every rule module can depend on it without depending on `check`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    /// The English id, as machine-readable output (`--format json`) names it.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A record named by its kind (the record-kinds.toml id) and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordRef {
    pub kind: &'static str,
    pub key: String,
}

impl RecordRef {
    pub fn new(kind: &'static str, key: impl Into<String>) -> RecordRef {
        RecordRef { kind, key: key.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub rule_id: &'static str,
    pub message: String,
    pub records: Vec<RecordRef>,
}
