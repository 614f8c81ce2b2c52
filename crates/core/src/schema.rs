//! The record kinds, read from `data/record-kinds.toml`: one description serves import (headers, types),
//! the template writer, storage (tables, columns) and the format documentation.

use crate::records::*;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The type of one column's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    Text,
    Integer,
    /// 元 in files, 分 in storage.
    Money,
    /// A number with up to two decimals, stored in hundredths (scores).
    Decimal,
    Date,
    Bool,
    /// One of a closed list, named by the enum (`FundSource` …).
    Enum(String),
    FunctionCode,
    EconomicCode,
}

impl ValueType {
    fn parse(text: &str) -> Option<ValueType> {
        Some(match text {
            "text" => ValueType::Text,
            "integer" => ValueType::Integer,
            "money" => ValueType::Money,
            "decimal" => ValueType::Decimal,
            "date" => ValueType::Date,
            "bool" => ValueType::Bool,
            "function_code" => ValueType::FunctionCode,
            "economic_code" => ValueType::EconomicCode,
            other => ValueType::Enum(other.strip_prefix("enum:")?.to_string()),
        })
    }

    /// Whether storage keeps it as an integer (BIGINT) rather than text.
    pub fn is_integer(&self) -> bool {
        matches!(self, ValueType::Integer | ValueType::Money | ValueType::Decimal | ValueType::Bool)
    }
}

#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// English field name: the record's field, the storage column, and an accepted header.
    pub field: String,
    /// Chinese header.
    pub header: String,
    pub value_type: ValueType,
    pub required: bool,
    /// The value an empty cell takes, for optional columns that have one.
    pub default: Option<String>,
    /// The schema version that added this column: its kind's, unless added later (then optional, and left out of
    /// fingerprints and the hash chain while empty, so records stored before it keep their hashes).
    pub since: u32,
}

include!(concat!(env!("OUT_DIR"), "/record_kind.rs"));

impl RecordKind {
    /// The kind's description in `data/record-kinds.toml`.
    pub fn spec(self) -> &'static RecordKindSpec {
        &record_kinds()[self as usize]
    }
}

#[derive(Debug, Clone)]
pub struct RecordKindSpec {
    pub kind: RecordKind,
    pub id: String,
    /// Chinese name; also the .xlsx sheet name.
    pub label: String,
    pub file: String,
    pub table: String,
    /// The column unique within unit × year.
    pub key: String,
    /// The schema version (migration) that added this kind.
    pub since: u32,
    pub columns: Vec<ColumnSpec>,
    /// The columns' positions in the order of their field names: a fingerprint's order.
    by_name: Vec<usize>,
}

impl RecordKindSpec {
    pub fn column(&self, field: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.field == field)
    }

    /// The position of `field` among the kind's columns (and in a record's cells).
    pub fn position(&self, field: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.field == field)
    }

    /// The cell of `field` in a record of this kind.
    pub fn cell<'c>(&self, cells: &'c [Cell], field: &str) -> &'c Cell {
        self.position(field).and_then(|i| cells.get(i)).unwrap_or(&Cell::Null)
    }

    /// A record's year and key.
    pub fn year_key<'c>(&self, cells: &'c [Cell]) -> (i64, &'c str) {
        (self.cell(cells, "year").as_i64().unwrap_or_default(), self.cell(cells, &self.key).as_str().unwrap_or_default())
    }
}

/// One value of a record as parsed and as stored: text (also dates, enum ids and codes), an integer (also money
/// in 分, hundredths and counts) or a yes/no, each in its column's type; `Null` for an empty cell. A record is
/// its cells in its kind's column order: what import parses, fingerprints, binds and chains, with no JSON map
/// in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
}

impl Cell {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_string(&self) -> Option<&String> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        *self == Cell::Null
    }

    /// The cell of a column of `value_type` holding `value` as the record's JSON form has it: the value when it
    /// has the column's type, else null (as the column would read back).
    pub fn of_json(value_type: &ValueType, value: Option<&Value>) -> Cell {
        match (value_type, value) {
            (ValueType::Bool, Some(Value::Bool(b))) => Cell::Bool(*b),
            (t, Some(v)) if t.is_integer() && *t != ValueType::Bool => v.as_i64().map_or(Cell::Null, Cell::Int),
            (t, Some(Value::String(s))) if !t.is_integer() => Cell::Text(s.clone()),
            _ => Cell::Null,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(t) => Value::from(t.as_str()),
            Cell::Int(n) => Value::from(*n),
            Cell::Bool(b) => Value::from(*b),
        }
    }
}

impl serde::Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Null => serializer.serialize_none(),
            Cell::Text(t) => serializer.serialize_str(t),
            Cell::Int(n) => serializer.serialize_i64(*n),
            Cell::Bool(b) => serializer.serialize_bool(*b),
        }
    }
}

#[derive(Deserialize)]
struct RawFile {
    kind: Vec<RawKind>,
}
#[derive(Deserialize)]
struct RawKind {
    id: String,
    label: String,
    file: String,
    table: String,
    key: String,
    #[serde(default = "first_version")]
    since: u32,
    columns: Vec<RawColumn>,
}

fn first_version() -> u32 {
    1
}
#[derive(Deserialize)]
struct RawColumn {
    field: String,
    header: String,
    #[serde(rename = "type")]
    value_type: String,
    #[serde(default)]
    required: bool,
    default: Option<String>,
    since: Option<u32>,
}

/// All record kinds, in import order (a kind comes after the kinds it refers to).
pub fn record_kinds() -> &'static [RecordKindSpec] {
    static KINDS: OnceLock<Vec<RecordKindSpec>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let raw: RawFile =
            toml::from_str(include_str!("../data/record-kinds.toml")).expect("record-kinds.toml is valid (checked by tests)");
        raw.kind
            .into_iter()
            .map(|k| RecordKindSpec {
                kind: RecordKind::from_id(&k.id).unwrap_or_else(|| panic!("build.rs generated a variant for {}", k.id)),
                by_name: {
                    let mut order: Vec<usize> = (0..k.columns.len()).collect();
                    order.sort_by(|a, b| k.columns[*a].field.cmp(&k.columns[*b].field));
                    order
                },
                id: k.id,
                label: k.label,
                file: k.file,
                table: k.table,
                key: k.key,
                since: k.since,
                columns: k
                    .columns
                    .into_iter()
                    .map(|c| ColumnSpec {
                        value_type: ValueType::parse(&c.value_type).unwrap_or_else(|| panic!("unknown column type {}", c.value_type)),
                        field: c.field,
                        header: c.header,
                        required: c.required,
                        default: c.default,
                        since: c.since.unwrap_or(k.since).max(k.since),
                    })
                    .collect(),
            })
            .collect()
    })
}

/// The fields of columns added after their kind (see `ColumnSpec::since`).
pub fn late_columns() -> &'static [&'static str] {
    static LATE: OnceLock<Vec<&'static str>> = OnceLock::new();
    LATE.get_or_init(|| {
        record_kinds().iter().flat_map(|k| k.columns.iter().filter(move |c| c.since > k.since).map(|c| c.field.as_str())).collect()
    })
}

pub fn record_kind(id: &str) -> Option<&'static RecordKindSpec> {
    record_kinds().iter().find(|k| k.id == id)
}

/// Reads an enum value (Chinese label, alias or id) of the named enum, giving its stored id.
pub fn parse_enum(name: &str, text: &str) -> Option<&'static str> {
    match name {
        "FundSource" => FundSource::parse(text).map(FundSource::id),
        "SpendingKind" => SpendingKind::parse(text).map(SpendingKind::id),
        "BudgetVoucherKind" => BudgetVoucherKind::parse(text).map(BudgetVoucherKind::id),
        "ProcurementMethod" => ProcurementMethod::parse(text).map(ProcurementMethod::id),
        "IndicatorDirection" => IndicatorDirection::parse(text).map(IndicatorDirection::id),
        "QuantityQualifier" => QuantityQualifier::parse(text).map(QuantityQualifier::id),
        "AssetStatus" => AssetStatus::parse(text).map(AssetStatus::id),
        "MajorDecisionKind" => MajorDecisionKind::parse(text).map(MajorDecisionKind::id),
        "DisclosureKind" => DisclosureKind::parse(text).map(DisclosureKind::id),
        "ControlMode" => ControlMode::parse(text).map(ControlMode::id),
        "CommitmentKind" => CommitmentKind::parse(text).map(CommitmentKind::id),
        "LinkedKind" => LinkedKind::parse(text).map(LinkedKind::id),
        "AssetEventKind" => AssetEventKind::parse(text).map(AssetEventKind::id),
        "AdjustmentCause" => AdjustmentCause::parse(text).map(AdjustmentCause::id),
        "GoalLikelihood" => GoalLikelihood::parse(text).map(GoalLikelihood::id),
        _ => None,
    }
}

/// The Chinese labels of the named enum (for messages and dropdowns).
pub fn enum_labels(name: &str) -> Vec<&'static str> {
    match name {
        "FundSource" => FundSource::labels(),
        "SpendingKind" => SpendingKind::labels(),
        "BudgetVoucherKind" => BudgetVoucherKind::labels(),
        "ProcurementMethod" => ProcurementMethod::labels(),
        "IndicatorDirection" => IndicatorDirection::labels(),
        "QuantityQualifier" => QuantityQualifier::labels(),
        "AssetStatus" => AssetStatus::labels(),
        "MajorDecisionKind" => MajorDecisionKind::labels(),
        "DisclosureKind" => DisclosureKind::labels(),
        "ControlMode" => ControlMode::labels(),
        "CommitmentKind" => CommitmentKind::labels(),
        "LinkedKind" => LinkedKind::labels(),
        "AssetEventKind" => AssetEventKind::labels(),
        "AdjustmentCause" => AdjustmentCause::labels(),
        "GoalLikelihood" => GoalLikelihood::labels(),
        _ => Vec::new(),
    }
}

/// The Chinese label of a stored enum id.
pub fn enum_label(name: &str, id: &str) -> Option<&'static str> {
    parse_enum(name, id).and_then(|stored| enum_labels(name).into_iter().find(|label| parse_enum(name, label) == Some(stored)))
}

/// Applies `$body` to the vector of the record kind named by `$id` inside `$set`, bound as `$v`.
macro_rules! with_kind_vec {
    (@borrow mut $e:expr) => { &mut $e };
    (@borrow ref $e:expr) => { &$e };
    ($mode:tt $set:expr, $id:expr, |$v:ident| $body:expr, $unknown:expr) => {
        match $id {
            "staffing" => { let $v = with_kind_vec!(@borrow $mode $set.staffing); $body }
            "appropriation_lines" => { let $v = with_kind_vec!(@borrow $mode $set.appropriation_lines); $body }
            "budget_vouchers" => { let $v = with_kind_vec!(@borrow $mode $set.budget_vouchers); $body }
            "receipts" => { let $v = with_kind_vec!(@borrow $mode $set.receipts); $body }
            "expenditures" => { let $v = with_kind_vec!(@borrow $mode $set.expenditures); $body }
            "projects" => { let $v = with_kind_vec!(@borrow $mode $set.projects); $body }
            "project_indicators" => { let $v = with_kind_vec!(@borrow $mode $set.project_indicators); $body }
            "activity_outputs" => { let $v = with_kind_vec!(@borrow $mode $set.activity_outputs); $body }
            "procurements" => { let $v = with_kind_vec!(@borrow $mode $set.procurements); $body }
            "fixed_assets" => { let $v = with_kind_vec!(@borrow $mode $set.fixed_assets); $body }
            "control_documents" => { let $v = with_kind_vec!(@borrow $mode $set.control_documents); $body }
            "major_decisions" => { let $v = with_kind_vec!(@borrow $mode $set.major_decisions); $body }
            "narratives" => { let $v = with_kind_vec!(@borrow $mode $set.narratives); $body }
            "disclosures" => { let $v = with_kind_vec!(@borrow $mode $set.disclosures); $body }
            "surveys" => { let $v = with_kind_vec!(@borrow $mode $set.surveys); $body }
            "score_overrides" => { let $v = with_kind_vec!(@borrow $mode $set.score_overrides); $body }
            "line_controls" => { let $v = with_kind_vec!(@borrow $mode $set.line_controls); $body }
            "commitments" => { let $v = with_kind_vec!(@borrow $mode $set.commitments); $body }
            "control_overrides" => { let $v = with_kind_vec!(@borrow $mode $set.control_overrides); $body }
            "procurement_quotes" => { let $v = with_kind_vec!(@borrow $mode $set.procurement_quotes); $body }
            "procurement_exceptions" => { let $v = with_kind_vec!(@borrow $mode $set.procurement_exceptions); $body }
            "major_decision_policies" => { let $v = with_kind_vec!(@borrow $mode $set.major_decision_policies); $body }
            "decision_links" => { let $v = with_kind_vec!(@borrow $mode $set.decision_links); $body }
            "voucher_approvals" => { let $v = with_kind_vec!(@borrow $mode $set.voucher_approvals); $body }
            "asset_events" => { let $v = with_kind_vec!(@borrow $mode $set.asset_events); $body }
            "asset_counts" => { let $v = with_kind_vec!(@borrow $mode $set.asset_counts); $body }
            "indicator_results" => { let $v = with_kind_vec!(@borrow $mode $set.indicator_results); $body }
            "department_goals" => { let $v = with_kind_vec!(@borrow $mode $set.department_goals); $body }
            "department_indicators" => { let $v = with_kind_vec!(@borrow $mode $set.department_indicators); $body }
            "prior_year_summaries" => { let $v = with_kind_vec!(@borrow $mode $set.prior_year_summaries); $body }
            "monitoring_notes" => { let $v = with_kind_vec!(@borrow $mode $set.monitoring_notes); $body }
            _ => $unknown,
        }
    };
}

fn push_row<T: serde::de::DeserializeOwned>(v: &mut Vec<T>, row: Map<String, Value>) -> Result<(), String> {
    v.push(serde_json::from_value(Value::Object(row)).map_err(|e| e.to_string())?);
    Ok(())
}

fn rows_of<T: serde::Serialize>(v: &[T]) -> Vec<Map<String, Value>> {
    v.iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        })
        .collect()
}

impl RecordSet {
    /// Adds one record of kind `kind_id`, given as field → value (money in 分, dates as ISO text, enums by id).
    pub fn push_row(&mut self, kind_id: &str, row: Map<String, Value>) -> Result<(), String> {
        with_kind_vec!(mut self, kind_id, |v| push_row(v, row), Err(format!("unknown record kind {kind_id}")))
    }

    /// Adds one record of `kind` given as its cells.
    pub fn push_cells(&mut self, kind: &RecordKindSpec, cells: &[Cell]) -> Result<(), String> {
        use serde::de::value::MapDeserializer;
        let pairs = kind.columns.iter().zip(cells).map(|(c, v)| (c.field.as_str(), v.to_json()));
        fn push<'a, T: serde::de::DeserializeOwned>(v: &mut Vec<T>, pairs: impl Iterator<Item = (&'a str, Value)>) -> Result<(), String> {
            v.push(T::deserialize(MapDeserializer::<_, serde_json::Error>::new(pairs)).map_err(|e| e.to_string())?);
            Ok(())
        }
        with_kind_vec!(mut self, kind.id.as_str(), |v| push(v, pairs), Err(format!("unknown record kind {}", kind.id)))
    }

    /// The records of `kind` as their cells, in order.
    pub fn cells(&self, kind: &RecordKindSpec) -> Vec<Vec<Cell>> {
        self.rows(&kind.id)
            .iter()
            .map(|row| kind.columns.iter().map(|c| Cell::of_json(&c.value_type, row.get(&c.field))).collect())
            .collect()
    }

    /// The records of kind `kind_id` as field → value maps, in order.
    pub fn rows(&self, kind_id: &str) -> Vec<Map<String, Value>> {
        with_kind_vec!(ref self, kind_id, |v| rows_of(v), Vec::new())
    }

    /// Number of records of all kinds.
    pub fn len(&self) -> usize {
        record_kinds().iter().map(|k| self.rows(&k.id).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records of one fiscal year.
    pub fn for_year(&self, year: i32) -> RecordSet {
        let mut out = RecordSet::default();
        for kind in record_kinds() {
            for row in self.rows(&kind.id) {
                if row.get("year").and_then(Value::as_i64) == Some(i64::from(year)) {
                    out.push_row(&kind.id, row).expect("a row read from a record set fits it");
                }
            }
        }
        out
    }
}

/// [`fingerprint`] of a record given as its cells: the same text (the JSON object of its fields in name order,
/// an empty column added after its kind left out) written straight from the cells, so the same hash.
pub fn fingerprint_cells(kind: &RecordKindSpec, cells: &[Cell]) -> String {
    use sha2::{Digest, Sha256};
    let mut text: Vec<u8> = Vec::with_capacity(256);
    text.push(b'{');
    let mut first = true;
    let late = late_columns();
    for &i in &kind.by_name {
        let c = &kind.columns[i];
        let cell = cells.get(i).unwrap_or(&Cell::Null);
        if cell.is_null() && late.contains(&c.field.as_str()) {
            continue;
        }
        if !first {
            text.push(b',');
        }
        first = false;
        // Writing a string or a number into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut text, c.field.as_str());
        text.push(b':');
        let _ = serde_json::to_writer(&mut text, cell);
    }
    text.push(b'}');
    format!("{:x}", Sha256::digest(&text))
}

/// A stable fingerprint of one record's content: re-importing an identical record is recognised by it.
pub fn fingerprint(row: &Map<String, Value>) -> String {
    use sha2::{Digest, Sha256};
    // serde_json's Map keeps keys sorted, so the text is canonical. An empty column added after its kind is left
    // out, so that a record imported before the column existed keeps its fingerprint.
    let late = late_columns();
    let text = if row.iter().any(|(k, v)| v.is_null() && late.contains(&k.as_str())) {
        let kept: Map<String, Value> =
            row.iter().filter(|(k, v)| !(v.is_null() && late.contains(&k.as_str()))).map(|(k, v)| (k.clone(), v.clone())).collect();
        serde_json::to_string(&kept).unwrap_or_default()
    } else {
        serde_json::to_string(row).unwrap_or_default()
    };
    let digest = Sha256::digest(text.as_bytes());
    format!("{digest:x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_column_maps_to_its_record_fields() {
        // An empty record of each kind, serialised, must have exactly the spec's fields, so import and storage agree with the structs.
        for kind in record_kinds() {
            let mut row = Map::new();
            for c in &kind.columns {
                let v = match &c.value_type {
                    ValueType::Integer | ValueType::Money | ValueType::Decimal => Value::from(1),
                    ValueType::Bool => Value::from(true),
                    ValueType::Date => Value::from("2020-01-01"),
                    ValueType::Enum(name) => Value::from(parse_enum(name, enum_labels(name)[0]).unwrap()),
                    _ => Value::from("x"),
                };
                row.insert(c.field.clone(), v);
            }
            let mut set = RecordSet::default();
            set.push_row(&kind.id, row.clone()).unwrap_or_else(|e| panic!("{}: {e}", kind.id));
            assert_eq!(set.rows(&kind.id), vec![row], "{}", kind.id);
            assert!(kind.column(&kind.key).is_some(), "{} key", kind.id);
            assert!(kind.column("year").is_some(), "{} year", kind.id);
        }
    }

    #[test]
    fn enums_read_labels_aliases_and_ids() {
        assert_eq!(parse_enum("FundSource", "财政拨款"), Some("general_budget"));
        assert_eq!(parse_enum("BudgetVoucherKind", "追加"), Some("addition"));
        assert_eq!(parse_enum("IndicatorDirection", ">="), Some("at_least"));
        assert_eq!(parse_enum("ProcurementMethod", "抽签"), None);
        assert_eq!(enum_label("SpendingKind", "project"), Some("项目支出"));
    }

    #[test]
    fn every_income_kind_is_a_fund_source_and_older_spellings_still_read() {
        use crate::records::{FundSource, IncomeKind};
        for (text, id) in [
            ("一般公共预算", "general_budget"),
            ("一般公共预算财政拨款收入", "general_budget"),
            ("政府性基金预算财政拨款", "government_fund"),
            ("国有资本经营", "state_capital"),
            ("上级补助收入", "superior_subsidy"),
            ("事业收入", "service_revenue"),
            ("财政专户管理资金", "fiscal_special_account"),
            ("财政专户", "fiscal_special_account"),
            ("经营收入", "operating_revenue"),
            ("附属单位上缴收入", "affiliate_remittance"),
            ("其他收入", "other"),
            ("其他", "other"),
        ] {
            assert_eq!(parse_enum("FundSource", text), Some(id), "{text}");
        }
        // Every 收入 row of the 部门决算 has a source, and only the three budgets are 财政拨款.
        for kind in IncomeKind::ALL {
            assert!(FundSource::ALL.iter().any(|s| s.income_kind() == *kind), "{kind:?}");
        }
        let fiscal: Vec<&str> = FundSource::ALL.iter().filter(|s| s.is_fiscal()).map(|s| s.label()).collect();
        assert_eq!(fiscal, ["一般公共预算", "政府性基金", "国有资本经营"]);
        assert_eq!(FundSource::FiscalSpecialAccount.income_kind(), IncomeKind::ServiceRevenue);
    }

    /// The cells' fingerprint is the map's, byte for byte: stored records keep their hashes.
    #[test]
    fn a_record_fingerprints_the_same_as_cells_and_as_a_map() {
        for kind in record_kinds() {
            for variant in 0..3 {
                let cells: Vec<Cell> = kind
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match (&c.value_type, variant) {
                        (_, 1) if !c.required && c.default.is_none() => Cell::Null,
                        (ValueType::Bool, _) => Cell::Bool(i % 2 == 0),
                        (ValueType::Date, _) => Cell::Text("2020-03-05".into()),
                        (t, _) if t.is_integer() => Cell::Int(12_345 * (i as i64 + variant)),
                        (ValueType::Enum(name), _) => Cell::Text(parse_enum(name, enum_labels(name)[0]).unwrap().to_string()),
                        _ => Cell::Text(format!("文字\"{i}\\\n\u{1}<&>")),
                    })
                    .collect();
                let map: Map<String, Value> = kind.columns.iter().zip(&cells).map(|(c, v)| (c.field.clone(), v.to_json())).collect();
                assert_eq!(fingerprint_cells(kind, &cells), fingerprint(&map), "{} variant {variant}", kind.id);
                let mut set = RecordSet::default();
                set.push_cells(kind, &cells).unwrap_or_else(|e| panic!("{}: {e}", kind.id));
                assert_eq!(set.cells(kind), vec![cells], "{} variant {variant}: cells round-trip through the typed record", kind.id);
            }
        }
    }

    #[test]
    fn record_kind_variants_follow_the_spec() {
        assert_eq!(RecordKind::ALL.len(), record_kinds().len());
        for (kind, spec) in RecordKind::ALL.iter().zip(record_kinds()) {
            assert_eq!(kind.id(), spec.id);
            assert_eq!(kind.spec().kind, *kind);
            assert_eq!(RecordKind::from_id(&spec.id), Some(*kind));
        }
        assert_eq!(RecordKind::Expenditures.id(), "expenditures");
    }

    #[test]
    fn fingerprints_differ_with_content() {
        let mut a = Map::new();
        a.insert("x".into(), Value::from(1));
        let mut b = a.clone();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        b.insert("x".into(), Value::from(2));
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }
}
