//! Checks that need the whole import and what the database already holds: duplicate and conflicting keys,
//! declared years, references between records, the basic/project split and the ledger rules.

use crate::error::{ImportError, Place};
use crate::parse::ParsedRow;
use jixiao_core::Fen;
use jixiao_core::codes::CodeTables;
use jixiao_core::ledger::{Entry, Ledger, key_digest};
use jixiao_core::records::UnitYear;
use jixiao_core::schema::{Cell, RecordKind, RecordKindSpec, ValueType, fingerprint_cells};
use jixiao_core::sections::report_section;
use std::collections::{BTreeSet, HashMap};

/// A parsed record with where it came from.
#[derive(Debug, Clone)]
pub struct Located {
    pub kind: RecordKind,
    pub place: Place,
    pub parsed: ParsedRow,
}

impl Located {
    pub fn cell(&self, field: &str) -> &Cell {
        self.kind.spec().cell(&self.parsed.values, field)
    }
    fn text(&self, field: &str) -> Option<&str> {
        self.cell(field).as_str()
    }
    fn int(&self, field: &str) -> Option<i64> {
        self.cell(field).as_i64()
    }
    pub fn year(&self) -> i64 {
        self.int("year").unwrap_or_default()
    }
    pub fn key(&self) -> &str {
        self.text(&self.kind.spec().key).unwrap_or_default()
    }
    /// The record's fingerprint (content hash).
    pub fn fingerprint(&self) -> String {
        fingerprint_cells(self.kind.spec(), &self.parsed.values)
    }
    /// An error at this row, naming `field`'s column and what the user typed there.
    pub fn error(&self, field: Option<&str>, rule_id: &'static str, message: String) -> ImportError {
        let kind = Some(self.kind.spec());
        let header = field.and_then(|f| kind.and_then(|k| k.column(f))).map(|c| c.header.as_str());
        // What the user typed, not the stored form (amounts in 分, enums by id).
        let position = field.and_then(|f| kind.and_then(|k| k.columns.iter().position(|c| c.field == f)));
        let value = position.and_then(|i| self.parsed.raw.get(i)).filter(|v| !v.is_empty()).cloned();
        self.place.error(Some(self.parsed.row), header, value.as_deref(), rule_id, message)
    }
}

/// The first 128 bits of a record's fingerprint: enough to tell content apart, in a quarter of the memory
/// of the hex text (an import keeps one per key of the kind it streams).
fn print_prefix(fingerprint: &str) -> u128 {
    fingerprint.get(..32).and_then(|h| u128::from_str_radix(h, 16).ok()).unwrap_or_default()
}

fn key_id(kind: RecordKind, year: i64, key: &str) -> u128 {
    key_digest(&[kind.id().as_bytes(), &year.to_le_bytes(), key.as_bytes()])
}

/// What the checker knows of one key of one kind, in 32 bytes (an import keeps one per voucher).
#[derive(Debug, Clone, Copy, Default)]
struct KeyState {
    /// The stored record's fingerprint (prefix), or 0 when the database does not hold the key.
    stored: u128,
    /// The fingerprint (a shorter prefix: it only tells an identical duplicate from a different one) of the
    /// row that first brought the key in this import.
    first_print: u64,
    /// That row's number, or 0 when no row of the import has the key yet (data rows start at 2).
    first_row: u32,
}

/// What a record is against the records already held under its key: the one place that decides whether a
/// record is new, unchanged or conflicting — for an import's session ([`Checker::admit`]) and for the store's
/// `apply` (typed records written as given) alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Neither stored nor brought in earlier: a record to insert.
    New,
    /// Stored with the same content: skipped.
    Unchanged,
    /// Stored with a different content: refused (a ledger record is never changed in place).
    Conflicting,
    /// Brought in earlier by the same input, on row `first_row`; `same`: with the same content.
    Repeated { first_row: u32, same: bool },
}

/// Every key of every kind, stored and brought in, with its fingerprint: 32 bytes a key (an import keeps one
/// per voucher), by [`key_digest`] of (kind, year, key) so that no copy of the key text is kept.
#[derive(Default)]
pub struct Keys {
    keys: HashMap<u128, KeyState>,
}

impl Keys {
    /// Takes in a key the database holds, with its record's content hash.
    pub fn stored(&mut self, kind: RecordKind, year: i64, key: &str, content_hash: &str) {
        self.keys.entry(key_id(kind, year, key)).or_default().stored = print_prefix(content_hash).max(1);
    }

    /// Whether `kind` has `key` in `year`, stored or brought in.
    pub fn has(&self, kind: RecordKind, year: i64, key: &str) -> bool {
        self.keys.contains_key(&key_id(kind, year, key))
    }

    /// Brings in a record with its fingerprint, from row `row` of the input (rows from 1; 0 is not remembered
    /// as a row), and says what it is.
    pub fn admit(&mut self, kind: RecordKind, year: i64, key: &str, fingerprint: &str, row: u32) -> Standing {
        let prefix = print_prefix(fingerprint);
        let state = self.keys.entry(key_id(kind, year, key)).or_default();
        if state.first_row != 0 {
            return Standing::Repeated { first_row: state.first_row, same: state.first_print == prefix as u64 };
        }
        state.first_row = row;
        state.first_print = prefix as u64;
        match state.stored {
            0 => Standing::New,
            s if s == prefix.max(1) => Standing::Unchanged,
            _ => Standing::Conflicting,
        }
    }
}

/// What a row is, once its key has been looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admitted {
    /// A new record; carries its fingerprint.
    Fresh(String),
    /// Stored already with the same content: skipped.
    Unchanged,
    /// A duplicate within the import or a conflict with the database: an error was recorded.
    Refused,
}

/// The row-by-row checks of an import, with the compact state they need across rows: every key of every
/// kind (stored and imported) with its fingerprint, and the ledger of each money kind. [`validate`] runs it
/// over rows held in memory; a streaming import runs it over rows as it reads them. The order that keeps
/// the rules whole: [`Checker::stored`]/[`Checker::stored_key`] for what the database holds, [`Checker::admit`]
/// every row, then [`Checker::check`] and [`Checker::post`] the fresh ones (references may point to any key
/// admitted before `check` runs; each kind's ledger takes its rows in file order).
pub struct Checker {
    declared: BTreeSet<i64>,
    /// Years already reported as having no code table (one error per year, not per cell).
    years_without_codes: BTreeSet<i64>,
    keys: Keys,
    ledgers: HashMap<RecordKind, Ledger>,
    /// Kinds some of whose rows did not parse ([`Checker::incomplete`]): a reference to them is not checked
    /// (its key may be on such a row), nor their ledger (its running totals need every row).
    incomplete: BTreeSet<RecordKind>,
    pub errors: Vec<ImportError>,
}

/// The kinds the ledger rules apply to.
pub const LEDGER_KINDS: [RecordKind; 4] =
    [RecordKind::BudgetVouchers, RecordKind::Receipts, RecordKind::Expenditures, RecordKind::Commitments];

impl Checker {
    pub fn new(years: &[UnitYear], existing_years: &[UnitYear]) -> Checker {
        Checker {
            declared: years.iter().chain(existing_years).map(|y| i64::from(y.year)).collect(),
            years_without_codes: BTreeSet::new(),
            keys: Keys::default(),
            // Budget vouchers may be negative (调剂 out); the sign rule for the other kinds is checked in `post`.
            ledgers: LEDGER_KINDS.iter().map(|k| (*k, Ledger::new(*k == RecordKind::BudgetVouchers))).collect(),
            incomplete: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    /// Marks the kinds whose file or sheet `read_errors` name as incomplete: the rows that did parse are
    /// checked without them, so that one run reports every row's errors without false ones.
    pub fn incomplete(&mut self, read_errors: &[ImportError]) {
        for kind in RecordKind::ALL {
            let spec = kind.spec();
            if read_errors
                .iter()
                .any(|e| if e.sheet.is_some() { e.sheet.as_deref() == Some(spec.label.as_str()) } else { e.file == spec.file })
            {
                self.incomplete.insert(kind);
            }
        }
    }

    /// Takes in one stored record of `kind` (its cells in the kind's order, those the checks read at least:
    /// year, key and, for a money kind, its ledger entry) with its content hash.
    pub fn stored(&mut self, kind: RecordKind, cells: &[Cell], content_hash: &str) {
        let (year, key) = kind.spec().year_key(cells);
        self.keys.stored(kind, year, key, content_hash);
        if let Some(ledger) = self.ledgers.get_mut(&kind) {
            let _ = ledger.post(entry_of(kind.spec(), cells));
        }
    }

    /// Whether `kind` has `key` in `year`, stored or in the import.
    pub fn has(&self, kind: RecordKind, year: i64, key: &str) -> bool {
        self.keys.has(kind, year, key)
    }

    /// Duplicates within the import, conflicts with the database, declared years.
    pub fn admit(&mut self, r: &Located) -> Admitted {
        let kind = r.kind.spec();
        let print = r.fingerprint();
        if !self.declared.contains(&r.year()) {
            self.errors.push(r.error(
                Some("year"),
                "IMPORT_UNKNOWN_YEAR",
                format!("年度 {} 未在单位信息（unit.toml 的 [[years]] 或「年度信息」工作表）中登记", r.year()),
            ));
        }
        let has_codes = kind.columns.iter().any(|c| matches!(c.value_type, ValueType::FunctionCode | ValueType::EconomicCode));
        if has_codes && CodeTables::for_year(r.year() as i32).is_none() && self.years_without_codes.insert(r.year()) {
            let year = r.year();
            self.errors.push(r.error(
                Some("year"),
                "IMPORT_NO_CODE_TABLE",
                format!(
                    "没有{year}年度的政府收支分类科目表（内置年度：{:?}），本年度的科目都无法核对：请从预算管理一体化系统导出本年度科目表（列「科目编码」「科目名称」），运行 jixiao codes import 科目表.xlsx --year {year} 后再导入",
                    CodeTables::years()
                ),
            ));
        }
        let row = u32::try_from(r.parsed.row).unwrap_or(u32::MAX);
        match self.keys.admit(r.kind, r.year(), r.key(), &print, row) {
            Standing::Repeated { first_row, same } => {
                let (rule, what) = if same {
                    ("IMPORT_DUPLICATE_ROW", "与第{}行完全相同（重复行）")
                } else {
                    ("IMPORT_DUPLICATE_KEY", "与第{}行的键相同但内容不同")
                };
                let header = kind.columns.iter().find(|c| c.field == kind.key).map_or("", |c| c.header.as_str());
                self.errors.push(r.error(Some(&kind.key), rule, format!("「{header}」{}", what.replace("{}", &first_row.to_string()))));
                Admitted::Refused
            }
            Standing::New => Admitted::Fresh(print),
            Standing::Unchanged => Admitted::Unchanged,
            Standing::Conflicting => {
                self.errors.push(r.error(
                    Some(&kind.key),
                    "IMPORT_KEY_CONFLICT",
                    format!("数据库中已有同一键的{}记录且内容不同；账务记录不能修改，更正请新增冲销凭证和更正凭证", kind.label),
                ));
                Admitted::Refused
            }
        }
    }

    /// References and the per-row rules (the basic/project split, counts, ranges) of one fresh row.
    /// A ≥/≤/= indicator's 年度指标值 must hold a number, and its 实际完成值 a number the evaluation can read
    /// (「3万余」, 「近2万」 and 「90%以上」 with their qualifier) or a judgement (「达成」, 「未达成」); 「较好」
    /// against ≥90 can be neither and is refused here.
    fn numeric_indicator(&mut self, r: &Located) {
        if !matches!(r.text("direction"), Some("at_least" | "at_most" | "equal")) {
            return;
        }
        use jixiao_core::evaluation::reading::{read_quantity, readable_actual};
        for field in ["target", "actual"] {
            if let Some(text) = r.text(field).filter(|t| !t.trim().is_empty())
                && (if field == "target" { read_quantity(text).is_none() } else { !readable_actual(text) })
            {
                let message = format!(
                    "指标方向为≥、≤或=的指标，此处应为数值（可写「3万余」「近2万」「90%以上」「约50」），「{text}」读不出数值，也不是「达成」「未达成」一类的判断；定性指标请把指标方向填为「定性」"
                );
                self.errors.push(r.error(Some(field), "IMPORT_INDICATOR_NOT_NUMERIC", message));
            }
        }
    }

    pub fn check(&mut self, r: &Located) {
        match r.kind {
            RecordKind::AppropriationLines => {
                self.reference(r, "project_code", RecordKind::Projects, "IMPORT_UNKNOWN_PROJECT", "项目");
                match (r.text("spending_kind"), r.text("project_code")) {
                    (Some("project"), None) => self.errors.push(r.error(
                        Some("project_code"),
                        "IMPORT_PROJECT_LINE_WITHOUT_PROJECT",
                        "项目支出指标必须填写项目编码".into(),
                    )),
                    (Some("basic"), Some(_)) => self.errors.push(r.error(
                        Some("project_code"),
                        "IMPORT_BASIC_LINE_WITH_PROJECT",
                        "基本支出指标不应填写项目编码".into(),
                    )),
                    _ => {}
                }
            }
            RecordKind::BudgetVouchers | RecordKind::LineControls | RecordKind::Commitments | RecordKind::ControlOverrides => {
                self.reference(r, "line_code", RecordKind::AppropriationLines, "IMPORT_UNKNOWN_LINE", "预算指标")
            }
            RecordKind::Expenditures => {
                self.reference(r, "line_code", RecordKind::AppropriationLines, "IMPORT_UNKNOWN_LINE", "预算指标");
                self.reference(r, "procurement_ref", RecordKind::Procurements, "IMPORT_UNKNOWN_PROCUREMENT", "采购记录");
            }
            RecordKind::DecisionLinks => {
                self.reference(r, "decision_code", RecordKind::MajorDecisions, "IMPORT_UNKNOWN_DECISION", "三重一大决策");
                if let Some(kind) = r.text("record_kind")
                    && let Some(target) = RecordKind::from_id(kind)
                {
                    self.reference(r, "record_key", target, "IMPORT_UNKNOWN_RECORD", &target.spec().label);
                }
            }
            RecordKind::AssetEvents => {
                self.reference(r, "asset_code", RecordKind::FixedAssets, "IMPORT_UNKNOWN_ASSET", "固定资产");
                if r.text("kind") == Some("disposal") && r.text("approval_document").is_none_or(|d| d.trim().is_empty()) {
                    self.errors.push(r.error(
                        Some("approval_document"),
                        "ASSET_DISPOSAL_UNAPPROVED",
                        "资产处置必须填写批复文号（未经批准不得处置）".into(),
                    ));
                }
            }
            RecordKind::VoucherApprovals => self.reference(r, "voucher_no", RecordKind::Expenditures, "IMPORT_UNKNOWN_VOUCHER", "支出凭证"),
            RecordKind::ProcurementQuotes | RecordKind::ProcurementExceptions => {
                self.reference(r, "procurement_ref", RecordKind::Procurements, "IMPORT_UNKNOWN_PROCUREMENT", "采购记录")
            }
            RecordKind::ProjectIndicators => {
                self.reference(r, "project_code", RecordKind::Projects, "IMPORT_UNKNOWN_PROJECT", "项目");
                self.numeric_indicator(r);
            }
            RecordKind::DepartmentIndicators => self.numeric_indicator(r),
            RecordKind::ActivityOutputs | RecordKind::Procurements | RecordKind::Surveys | RecordKind::MonitoringNotes => {
                self.reference(r, "project_code", RecordKind::Projects, "IMPORT_UNKNOWN_PROJECT", "项目")
            }
            RecordKind::Narratives => {
                if let Some(s) = r.text("section")
                    && report_section(s).is_none()
                    && jixiao_core::sections::project_section(s).is_none()
                {
                    let ids: Vec<&str> = jixiao_core::sections::report_sections().iter().map(|x| x.id.as_str()).collect();
                    let per_project: Vec<String> =
                        jixiao_core::sections::project_report_sections().iter().map(|x| format!("{}.项目编码", x.id)).collect();
                    self.errors.push(r.error(
                        Some("section"),
                        "IMPORT_UNKNOWN_SECTION",
                        format!("未知的报告章节；可用：{}；项目支出绩效自评报告的章节：{}", ids.join("、"), per_project.join("、")),
                    ));
                }
            }
            RecordKind::Staffing => {
                for f in ["authorized", "actual"] {
                    if r.int(f).is_some_and(|n| n < 0) {
                        self.errors.push(r.error(Some(f), "IMPORT_NEGATIVE_COUNT", "人数不能为负".into()));
                    }
                }
            }
            _ => {}
        }
        if r.kind == RecordKind::Surveys {
            let (sample, satisfied) = (r.int("sample_size").unwrap_or_default(), r.int("satisfied").unwrap_or_default());
            if sample <= 0 || satisfied < 0 || satisfied > sample {
                self.errors.push(r.error(
                    Some("satisfied"),
                    "IMPORT_SURVEY_COUNTS",
                    format!("满意数应在 0 到样本数之间，且样本数大于 0（样本数 {sample}，满意数 {satisfied}）"),
                ));
            }
        }
        if r.kind == RecordKind::ControlOverrides
            && !self.incomplete.contains(&RecordKind::Expenditures)
            && !self.incomplete.contains(&RecordKind::Commitments)
            && let Some(v) = r.text("voucher_no")
            && !self.has(RecordKind::Expenditures, r.year(), v)
            && !self.has(RecordKind::Commitments, r.year(), v)
        {
            self.errors.push(r.error(
                Some("voucher_no"),
                "IMPORT_UNKNOWN_VOUCHER",
                format!("{}年度没有凭证号或占用编号「{v}」（超控记录须指向支出凭证或预算占用）", r.year()),
            ));
        }
        if r.kind == RecordKind::LineControls && r.int("tolerance_bp").is_some_and(|n| !(0..=10_000).contains(&n)) {
            self.errors.push(r.error(Some("tolerance_bp"), "IMPORT_TOLERANCE_RANGE", "容差应在 0 到 10000 基点（0%–100%）之间".into()));
        }
        if r.kind == RecordKind::ActivityOutputs && r.int("quantity").is_some_and(|n| n < 0) {
            self.errors.push(r.error(Some("quantity"), "IMPORT_NEGATIVE_COUNT", "数量不能为负".into()));
        }
    }

    fn reference(&mut self, r: &Located, field: &str, target: RecordKind, rule: &'static str, what: &str) {
        if let Some(v) = r.text(field)
            && !self.incomplete.contains(&target)
            && !self.has(target, r.year(), v)
        {
            self.errors.push(r.error(
                Some(field),
                rule,
                format!("{}年度没有{what}「{v}」（应先在{}中登记）", r.year(), target.spec().label),
            ));
        }
    }

    /// The ledger rules for one fresh money record, posted after the stored ones and the import's earlier rows.
    pub fn post(&mut self, r: &Located) {
        let kind = r.kind;
        if self.incomplete.contains(&kind) {
            return;
        }
        let Some(ledger) = self.ledgers.get_mut(&kind) else { return };
        if kind == RecordKind::BudgetVouchers
            && r.cell("reverses").is_null()
            && r.text("kind") != Some("transfer")
            && r.int("amount").is_some_and(|a| a < 0)
        {
            self.errors.push(r.error(
                Some("amount"),
                "LEDGER_NOT_POSITIVE",
                "金额必须为正数（调减填正数；冲销请填写冲销凭证号并使用负数）".into(),
            ));
            return;
        }
        if let Err(e) = ledger.post(entry_of(kind.spec(), &r.parsed.values)) {
            let field = match e.rule_id() {
                "LEDGER_REVERSAL_UNKNOWN" | "LEDGER_REVERSAL_TWICE" | "LEDGER_REVERSAL_OF_REVERSAL" => "reverses",
                "LEDGER_REVERSAL_LINE" => {
                    if kind == RecordKind::Receipts {
                        "function_code"
                    } else {
                        "line_code"
                    }
                }
                "LEDGER_DUPLICATE_KEY" => kind.spec().key.as_str(),
                _ => "amount",
            };
            let message = e.to_string().replace(&format!("{}/", r.year()), "");
            self.errors.push(r.error(Some(field), e.rule_id(), message));
        }
    }
}

/// A money record's ledger entry, from its cells.
fn entry_of(kind: &RecordKindSpec, cells: &[Cell]) -> Entry {
    let text = |f: &str| kind.cell(cells, f).as_str();
    let (year, key) = kind.year_key(cells);
    let line = match kind.kind {
        RecordKind::Receipts => format!("{}/{}", text("fund_source").unwrap_or_default(), text("function_code").unwrap_or_default()),
        _ => text("line_code").unwrap_or_default().to_string(),
    };
    Entry {
        key: format!("{year}/{key}"),
        line,
        amount: Fen(kind.cell(cells, "amount").as_i64().unwrap_or_default()),
        reverses: text("reverses").map(|k| format!("{year}/{k}")),
    }
}

#[cfg(test)]
mod keys_tests {
    use super::*;

    #[test]
    fn a_key_is_new_unchanged_conflicting_or_repeated() {
        let kind = RecordKind::Expenditures;
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let mut keys = Keys::default();
        keys.stored(kind, 2020, "ZC1", &a);
        assert!(keys.has(kind, 2020, "ZC1") && !keys.has(kind, 2021, "ZC1") && !keys.has(RecordKind::Receipts, 2020, "ZC1"));
        assert_eq!(keys.admit(kind, 2020, "ZC1", &a, 2), Standing::Unchanged);
        assert_eq!(keys.admit(kind, 2020, "ZC1", &a, 3), Standing::Repeated { first_row: 2, same: true });
        assert_eq!(keys.admit(kind, 2020, "ZC1", &b, 4), Standing::Repeated { first_row: 2, same: false });
        keys.stored(kind, 2020, "ZC2", &a);
        assert_eq!(keys.admit(kind, 2020, "ZC2", &b, 5), Standing::Conflicting);
        assert_eq!(keys.admit(kind, 2020, "ZC3", &b, 6), Standing::New);
        assert_eq!(keys.admit(kind, 2020, "ZC3", &b, 7), Standing::Repeated { first_row: 6, same: true });
    }
}
