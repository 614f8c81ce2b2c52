//! Checks that need the whole import and what the database already holds: duplicate and conflicting keys,
//! declared years, references between records, the basic/project split and the ledger rules.

use crate::error::{ImportError, Place};
use crate::parse::ParsedRow;
use jixiao_core::budget_control::{ControlOutcome, Decision, OverrideRequest, apply_override, control_entries};
use jixiao_core::ledger::{Entry, Ledger};
use jixiao_core::records::{Batch, RecordSet, UnitProfile, UnitYear};
use jixiao_core::schema::{fingerprint, record_kind, record_kinds};
use jixiao_core::sections::report_section;
use jixiao_core::Fen;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A parsed record with where it came from.
#[derive(Debug, Clone)]
pub struct Located {
    pub kind: &'static str,
    pub place: Place,
    pub parsed: ParsedRow,
}

impl Located {
    fn text(&self, field: &str) -> Option<&str> {
        self.parsed.values.get(field).and_then(Value::as_str)
    }
    fn int(&self, field: &str) -> Option<i64> {
        self.parsed.values.get(field).and_then(Value::as_i64)
    }
    fn year(&self) -> i64 {
        self.int("year").unwrap_or_default()
    }
    fn key(&self) -> &str {
        record_kind(self.kind).and_then(|k| self.text(&k.key)).unwrap_or_default()
    }
    fn error(&self, field: Option<&str>, rule_id: &'static str, message: String) -> ImportError {
        let kind = record_kind(self.kind);
        let header = field.and_then(|f| kind.and_then(|k| k.column(f))).map(|c| c.header.as_str());
        // What the user typed, not the stored form (amounts in 分, enums by id).
        let value = field.and_then(|f| self.parsed.raw.get(f)).filter(|v| !v.is_empty()).cloned();
        self.place.error(Some(self.parsed.row), header, value.as_deref(), rule_id, message)
    }
}

/// Keys present per (kind, year), from the database and the import.
struct Known {
    keys: BTreeMap<(&'static str, i64), BTreeSet<String>>,
}

impl Known {
    fn has(&self, kind: &'static str, year: i64, key: &str) -> bool {
        self.keys.get(&(kind, year)).is_some_and(|s| s.contains(key))
    }
}

pub fn validate(unit: &UnitProfile, years: &[UnitYear], rows: &[Located], existing: &RecordSet, existing_years: &[UnitYear]) -> Result<Batch, Vec<ImportError>> {
    validate_controlled(unit, years, rows, existing, existing_years, None).map(|(batch, _)| batch)
}

/// [`validate`], then budget control at entry (`jixiao_core::budget_control`): a voucher or commitment that
/// would overdraw a 刚性控制 line is refused at its row — unless `override_request` is given, which passes it
/// and adds a 超控记录 to the batch. Also returns every control outcome (warnings, overrides) for the caller to show.
pub fn validate_controlled(
    unit: &UnitProfile,
    years: &[UnitYear],
    rows: &[Located],
    existing: &RecordSet,
    existing_years: &[UnitYear],
    override_request: Option<&OverrideRequest>,
) -> Result<(Batch, Vec<ControlOutcome>), Vec<ImportError>> {
    let mut batch = validate_rows(unit, years, rows, existing, existing_years)?;
    let mut outcomes = control_entries(&batch.unit, existing, &batch.records);
    if let Some(request) = override_request {
        batch.records.control_overrides.extend(apply_override(&mut outcomes, request));
    }
    let errors: Vec<ImportError> = outcomes
        .iter()
        .filter(|o| o.decision == Decision::Stop)
        .map(|o| match rows.iter().find(|r| r.kind == o.kind && r.year() == i64::from(o.year) && r.key() == o.key) {
            Some(r) => r.error(Some("amount"), o.rule_id(), o.message()),
            None => ImportError::file("", o.rule_id(), o.message()),
        })
        .collect();
    if errors.is_empty() { Ok((batch, outcomes)) } else { Err(errors) }
}

fn validate_rows(unit: &UnitProfile, years: &[UnitYear], rows: &[Located], existing: &RecordSet, existing_years: &[UnitYear]) -> Result<Batch, Vec<ImportError>> {
    let mut errors = Vec::new();
    let declared: BTreeSet<i64> = years.iter().chain(existing_years).map(|y| i64::from(y.year)).collect();

    // Existing records by (kind, year, key) → fingerprint.
    let mut stored: HashMap<(&'static str, i64, String), String> = HashMap::new();
    let mut known = Known { keys: BTreeMap::new() };
    for kind in record_kinds() {
        let id: &'static str = kind.id.as_str();
        for row in existing.rows(id) {
            let year = row.get("year").and_then(Value::as_i64).unwrap_or_default();
            let key = row.get(&kind.key).and_then(Value::as_str).unwrap_or_default().to_string();
            known.keys.entry((id, year)).or_default().insert(key.clone());
            stored.insert((id, year, key), fingerprint(&row));
        }
    }

    // Duplicates within the import, conflicts with the database, declared years.
    let mut seen: HashMap<(&'static str, i64, String), (usize, String)> = HashMap::new();
    let mut fresh: Vec<&Located> = Vec::new();
    for r in rows {
        let kind = record_kind(r.kind).expect("located rows carry known kinds");
        let key = r.key().to_string();
        let print = fingerprint(&r.parsed.values);
        let id = (r.kind, r.year(), key.clone());
        if !declared.contains(&r.year()) {
            errors.push(r.error(Some("year"), "IMPORT_UNKNOWN_YEAR", format!("年度 {} 未在单位信息（unit.toml 的 [[years]] 或「年度信息」工作表）中登记", r.year())));
        }
        if let Some((first_row, first_print)) = seen.get(&id) {
            let (rule, what) = if *first_print == print { ("IMPORT_DUPLICATE_ROW", "与第{}行完全相同（重复行）") } else { ("IMPORT_DUPLICATE_KEY", "与第{}行的键相同但内容不同") };
            errors.push(r.error(Some(&kind.key), rule, format!("「{}」{}", kind.columns.iter().find(|c| c.field == kind.key).map_or("", |c| c.header.as_str()), what.replace("{}", &first_row.to_string()))));
            continue;
        }
        seen.insert(id.clone(), (r.parsed.row, print.clone()));
        match stored.get(&id) {
            Some(s) if *s == print => {}
            Some(_) => errors.push(r.error(
                Some(&kind.key),
                "IMPORT_KEY_CONFLICT",
                format!("数据库中已有同一键的{}记录且内容不同；账务记录不能修改，更正请新增冲销凭证和更正凭证", kind.label),
            )),
            None => {
                known.keys.entry((r.kind, r.year())).or_default().insert(key);
                fresh.push(r);
            }
        }
    }

    // References and the basic/project split.
    let reference = |r: &Located, field: &str, target: &'static str, rule: &'static str, what: &str, errors: &mut Vec<ImportError>| {
        if let Some(v) = r.text(field)
            && !known.has(target, r.year(), v)
        {
            errors.push(r.error(Some(field), rule, format!("{}年度没有{what}「{v}」（应先在{}中登记）", r.year(), record_kind(target).map_or("", |k| k.label.as_str()))));
        }
    };
    for r in &fresh {
        match r.kind {
            "appropriation_lines" => {
                reference(r, "project_code", "projects", "IMPORT_UNKNOWN_PROJECT", "项目", &mut errors);
                match (r.text("spending_kind"), r.text("project_code")) {
                    (Some("project"), None) => errors.push(r.error(Some("project_code"), "IMPORT_PROJECT_LINE_WITHOUT_PROJECT", "项目支出指标必须填写项目编码".into())),
                    (Some("basic"), Some(_)) => errors.push(r.error(Some("project_code"), "IMPORT_BASIC_LINE_WITH_PROJECT", "基本支出指标不应填写项目编码".into())),
                    _ => {}
                }
            }
            "budget_vouchers" | "line_controls" | "commitments" | "control_overrides" => reference(r, "line_code", "appropriation_lines", "IMPORT_UNKNOWN_LINE", "预算指标", &mut errors),
            "expenditures" => {
                reference(r, "line_code", "appropriation_lines", "IMPORT_UNKNOWN_LINE", "预算指标", &mut errors);
                reference(r, "procurement_ref", "procurements", "IMPORT_UNKNOWN_PROCUREMENT", "采购记录", &mut errors);
            }
            "decision_links" => {
                reference(r, "decision_code", "major_decisions", "IMPORT_UNKNOWN_DECISION", "三重一大决策", &mut errors);
                if let Some(kind) = r.text("record_kind")
                    && let Some(target) = record_kind(kind)
                {
                    reference(r, "record_key", target.id.as_str(), "IMPORT_UNKNOWN_RECORD", &target.label, &mut errors);
                }
            }
            "asset_events" => {
                reference(r, "asset_code", "fixed_assets", "IMPORT_UNKNOWN_ASSET", "固定资产", &mut errors);
                if r.text("kind") == Some("disposal") && r.text("approval_document").is_none_or(|d| d.trim().is_empty()) {
                    errors.push(r.error(Some("approval_document"), "ASSET_DISPOSAL_UNAPPROVED", "资产处置必须填写批复文号（未经批准不得处置）".into()));
                }
            }
            "voucher_approvals" => reference(r, "voucher_no", "expenditures", "IMPORT_UNKNOWN_VOUCHER", "支出凭证", &mut errors),
            "procurement_quotes" | "procurement_exceptions" => reference(r, "procurement_ref", "procurements", "IMPORT_UNKNOWN_PROCUREMENT", "采购记录", &mut errors),
            "project_indicators" | "activity_outputs" | "procurements" | "surveys" => reference(r, "project_code", "projects", "IMPORT_UNKNOWN_PROJECT", "项目", &mut errors),
            "narratives" => {
                if let Some(s) = r.text("section")
                    && report_section(s).is_none()
                {
                    let ids: Vec<&str> = jixiao_core::sections::report_sections().iter().map(|x| x.id.as_str()).collect();
                    errors.push(r.error(Some("section"), "IMPORT_UNKNOWN_SECTION", format!("未知的报告章节；可用：{}", ids.join("、"))));
                }
            }
            "staffing" => {
                for f in ["authorized", "actual"] {
                    if r.int(f).is_some_and(|n| n < 0) {
                        errors.push(r.error(Some(f), "IMPORT_NEGATIVE_COUNT", "人数不能为负".into()));
                    }
                }
            }
            _ => {}
        }
        if r.kind == "surveys" {
            let (sample, satisfied) = (r.int("sample_size").unwrap_or_default(), r.int("satisfied").unwrap_or_default());
            if sample <= 0 || satisfied < 0 || satisfied > sample {
                errors.push(r.error(Some("satisfied"), "IMPORT_SURVEY_COUNTS", format!("满意数应在 0 到样本数之间，且样本数大于 0（样本数 {sample}，满意数 {satisfied}）")));
            }
        }
        if r.kind == "control_overrides"
            && let Some(v) = r.text("voucher_no")
            && !known.has("expenditures", r.year(), v)
            && !known.has("commitments", r.year(), v)
        {
            errors.push(r.error(Some("voucher_no"), "IMPORT_UNKNOWN_VOUCHER", format!("{}年度没有凭证号或占用编号「{v}」（超控记录须指向支出凭证或预算占用）", r.year())));
        }
        if r.kind == "line_controls" && r.int("tolerance_bp").is_some_and(|n| !(0..=10_000).contains(&n)) {
            errors.push(r.error(Some("tolerance_bp"), "IMPORT_TOLERANCE_RANGE", "容差应在 0 到 10000 基点（0%–100%）之间".into()));
        }
        if r.kind == "activity_outputs" && r.int("quantity").is_some_and(|n| n < 0) {
            errors.push(r.error(Some("quantity"), "IMPORT_NEGATIVE_COUNT", "数量不能为负".into()));
        }
    }

    // Ledger rules: existing entries first, then the new ones in file order.
    ledger_rules(existing, &fresh, &mut errors);

    let mut records = RecordSet::default();
    for r in &fresh {
        if let Err(e) = records.push_row(r.kind, r.parsed.values.clone()) {
            errors.push(r.error(None, "IMPORT_RECORD_SHAPE", format!("记录无法读取：{e}")));
        }
    }
    if errors.is_empty() { Ok(Batch { unit: unit.clone(), years: years.to_vec(), records }) } else { Err(errors) }
}

fn entry_of(kind: &str, row: &Map<String, Value>) -> Entry {
    let text = |f: &str| row.get(f).and_then(Value::as_str).map(str::to_string);
    let key_field = record_kind(kind).map_or("voucher_no", |k| k.key.as_str());
    let line = match kind {
        "receipts" => format!("{}/{}", text("fund_source").unwrap_or_default(), text("function_code").unwrap_or_default()),
        _ => text("line_code").unwrap_or_default(),
    };
    Entry {
        key: format!("{}/{}", row.get("year").and_then(Value::as_i64).unwrap_or_default(), text(key_field).unwrap_or_default()),
        line,
        amount: Fen(row.get("amount").and_then(Value::as_i64).unwrap_or_default()),
        reverses: text("reverses").map(|k| format!("{}/{k}", row.get("year").and_then(Value::as_i64).unwrap_or_default())),
    }
}

fn ledger_rules(existing: &RecordSet, fresh: &[&Located], errors: &mut Vec<ImportError>) {
    for kind in ["budget_vouchers", "receipts", "expenditures", "commitments"] {
        // Budget vouchers may be negative (调剂 out); the sign rule for the other kinds is checked below.
        let mut ledger = Ledger::new(kind == "budget_vouchers");
        for row in existing.rows(kind) {
            let _ = ledger.post(entry_of(kind, &row));
        }
        for r in fresh.iter().filter(|r| r.kind == kind) {
            let v = &r.parsed.values;
            if kind == "budget_vouchers" && v.get("reverses").is_none_or(Value::is_null) && v.get("kind").and_then(Value::as_str) != Some("transfer") && r.int("amount").is_some_and(|a| a < 0) {
                errors.push(r.error(Some("amount"), "LEDGER_NOT_POSITIVE", "金额必须为正数（调减填正数；冲销请填写冲销凭证号并使用负数）".into()));
                continue;
            }
            if let Err(e) = ledger.post(entry_of(kind, v)) {
                let field = match e.rule_id() {
                    "LEDGER_REVERSAL_UNKNOWN" | "LEDGER_REVERSAL_TWICE" | "LEDGER_REVERSAL_OF_REVERSAL" => "reverses",
                    "LEDGER_REVERSAL_LINE" => if kind == "receipts" { "function_code" } else { "line_code" },
                    "LEDGER_DUPLICATE_KEY" => record_kind(kind).map_or("voucher_no", |k| k.key.as_str()),
                    _ => "amount",
                };
                let message = e.to_string().replace(&format!("{}/", r.year()), "");
                errors.push(r.error(Some(field), e.rule_id(), message));
            }
        }
    }
}
