//! Records entered on a page or through the API go through exactly the importer's parsing and validation:
//! a one-row table of the record kind, run through the import session (`Store::import`) in one transaction.

use crate::AppError;
use crate::auth::CurrentUser;
use jixiao_core::budget_control::{ControlOutcome, OverrideRequest};
use jixiao_core::schema::record_kind;
use jixiao_import::error::{ImportError, Place};
use jixiao_import::parse::parse_table;
use jixiao_import::table::Table;
use jixiao_import::validate::Located;
use jixiao_import::{Source, Streamed};
use jixiao_store::Store;
use std::collections::BTreeMap;

/// Why an entry was refused: the importer's errors, with the form field each belongs to.
#[derive(Debug, Clone)]
pub struct EntryErrors {
    /// field → messages; errors that name no field are under "".
    pub by_field: BTreeMap<String, Vec<String>>,
    pub all: Vec<ImportError>,
}

impl EntryErrors {
    pub fn summary(&self) -> String {
        self.all
            .iter()
            .map(|e| format!("{}：{} [{}]", e.column.as_deref().unwrap_or("记录"), e.message, e.rule_id))
            .collect::<Vec<_>>()
            .join("；")
    }

    /// The summary as a page shows it: the messages only (rule ids go to the field errors' tooltips).
    pub fn plain_summary(&self) -> String {
        self.all
            .iter()
            .map(|e| format!("{}：{}", e.column.as_deref().unwrap_or("记录"), crate::text::plain_message(&e.message).0))
            .collect::<Vec<_>>()
            .join("；")
    }

    /// field → `{text, rule}` of each error, for the messages beside a form's fields.
    pub fn for_page(&self) -> BTreeMap<String, Vec<serde_json::Value>> {
        let mut map: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
        for (field, messages) in &self.by_field {
            for m in messages {
                let (text, rule) = crate::text::plain_message(m);
                map.entry(field.clone()).or_default().push(serde_json::json!({ "text": text, "rule": rule }));
            }
        }
        map
    }
}

fn by_field(kind_id: &str, errors: Vec<ImportError>) -> EntryErrors {
    let kind = record_kind(kind_id);
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &errors {
        let field = e
            .column
            .as_deref()
            .and_then(|h| kind.and_then(|k| k.columns.iter().find(|c| c.header == h || c.field == h)))
            .map(|c| c.field.clone())
            .unwrap_or_default();
        map.entry(field).or_default().push(format!("{} [{}]", e.message, e.rule_id));
    }
    EntryErrors { by_field: map, all: errors }
}

/// Adds one record of `kind_id` to the unit's books from text fields (as a user types them), under budget
/// control (an `override_request` passes a 刚性控制 stop and stores its 超控记录 with the record). The batch
/// is stored as entered by `user` (segregation of duties), with the source `via：username`.
/// Gives the control outcomes (warnings, overrides) on success; `Err(Ok(errors))` when the record is refused;
/// `Err(Err(e))` when the database failed.
pub async fn add_record(
    store: &Store,
    unit_code: &str,
    kind_id: &'static str,
    fields: &BTreeMap<String, String>,
    user: &CurrentUser,
    via: &str,
    override_request: Option<&OverrideRequest>,
) -> Result<Vec<ControlOutcome>, Result<EntryErrors, AppError>> {
    let kind = record_kind(kind_id).ok_or_else(|| Err(AppError::Internal(format!("unknown kind {kind_id}"))))?;
    let place = Place { file: "网页录入".into(), sheet: Some(kind.label.clone()) };
    let table = Table {
        place: place.clone(),
        header: kind.columns.iter().map(|c| c.field.clone()).collect(),
        rows: vec![(2, kind.columns.iter().map(|c| fields.get(&c.field).map(|v| v.trim().to_string()).unwrap_or_default()).collect())],
    };
    let (parsed, errors) = parse_table(kind, &table);
    let unit = store.unit(unit_code).await.map_err(|e| Err(e.into()))?.ok_or(Err(AppError::NotFound))?;
    if !errors.is_empty() {
        let existing = store.records(unit_code).await.map_err(|e| Err(e.into()))?;
        let years = store.years(unit_code).await.map_err(|e| Err(e.into()))?;
        // Every field at once: the fields that did not parse stand in with a value that does, and what
        // validation then says about the other fields (a date outside the year, a negative amount) is added.
        let mut all = errors;
        all.extend(other_fields_errors(
            kind,
            &table,
            &all,
            fields.get("year").map(String::as_str).unwrap_or("2000"),
            (&unit, &existing, &years),
        ));
        return Err(Ok(by_field(kind_id, all)));
    }
    let rows: Vec<Located> = parsed.into_iter().map(|p| Located { kind: kind.kind, place: place.clone(), parsed: p }).collect();
    let label = format!("{via}：{}", user.username);
    let input = Streamed::held(Source { label: label.clone(), unit, years: Vec::new(), rows });
    let checked = match store
        .import(&input, &label, Some(&user.username), jixiao_store::ImportOptions { override_request, ..Default::default() }, &|_| {}, &[])
        .await
        .map_err(|e| Err(e.into()))?
    {
        Err(refusal) => return Err(Ok(by_field(kind_id, refusal.errors))),
        Ok(checked) => checked,
    };
    // An override request is what lets the override role pass a 刚性控制 stop, not a way for a role that may
    // not enter records (审核员) to enter one that needs no override.
    let refusal = if override_request.is_some()
        && !matches!(user.role, crate::auth::Role::Clerk | crate::auth::Role::UnitAdmin)
        && !checked.controls.iter().any(|o| o.decision == jixiao_core::budget_control::Decision::Overridden)
    {
        Some(Err(AppError::ForbiddenBecause(format!(
            "{}只能对超出可用余额的刚性控制指标超控；此{}未超出预算控制，应由填报员录入",
            user.role_label, kind.label
        ))))
    } else if checked.fresh == 0 {
        Some(Ok(by_field(kind_id, vec![place.error(Some(2), None, None, "ENTRY_UNCHANGED", "相同的记录已存在，未重复登记")])))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        checked.abort().await.map_err(|e| Err(e.into()))?;
        return Err(refusal);
    }
    let (_, outcomes) = checked.commit().await.map_err(|e| Err(e.into()))?;
    Ok(outcomes)
}

/// Validation's errors on the fields that parsed, for a row where others did not: each field that failed is
/// given a stand-in value that parses (a placeholder text, number or date in the year), the row validated, and
/// only errors naming another field kept (none that may come from the stand-ins).
fn other_fields_errors(
    kind: &jixiao_core::schema::RecordKindSpec,
    table: &Table,
    errors: &[ImportError],
    year: &str,
    (unit, existing, years): (&jixiao_core::records::UnitProfile, &jixiao_core::RecordSet, &[jixiao_core::records::UnitYear]),
) -> Vec<ImportError> {
    // A column as an error names it (its header or field name) → its place in the row.
    let index_of = |column: &str| {
        kind.columns.iter().find(|c| c.header == column || c.field == column).and_then(|c| table.header.iter().position(|h| *h == c.field))
    };
    let failed: Vec<usize> = errors.iter().filter_map(|e| e.column.as_deref()).filter_map(index_of).collect();
    if failed.is_empty() || failed.len() < errors.len() {
        return Vec::new();
    }
    let mut row = table.rows[0].1.clone();
    let stand_ins = ["占位", "1", "0.01", &format!("{year}-06-30"), "是"];
    for &i in &failed {
        for candidate in stand_ins {
            row[i] = candidate.to_string();
            let trial = Table { place: table.place.clone(), header: table.header.clone(), rows: vec![(2, row.clone())] };
            if !parse_table(kind, &trial).1.iter().any(|e| e.column.as_deref().and_then(index_of) == Some(i)) {
                break;
            }
        }
    }
    let trial = Table { place: table.place.clone(), header: table.header.clone(), rows: vec![(2, row)] };
    let (parsed, still) = parse_table(kind, &trial);
    if !still.is_empty() {
        return Vec::new();
    }
    let rows: Vec<Located> = parsed.into_iter().map(|p| Located { kind: kind.kind, place: table.place.clone(), parsed: p }).collect();
    let source = Source { label: String::new(), unit: unit.clone(), years: Vec::new(), rows };
    match source.check_in_memory(existing, years, None).map_err(|e| e.0) {
        Ok(_) => Vec::new(),
        Err(found) => found.into_iter().filter(|e| e.column.as_deref().and_then(index_of).is_some_and(|i| !failed.contains(&i))).collect(),
    }
}

/// The fields of a 指标完成登记 for `indicator_code`, numbered after the indicator's earlier results and dated
/// `date` (the day it is recorded, which for last year's indicators falls after the year's end).
/// `None` when the unit-year has no such indicator.
pub fn indicator_result_fields(
    books: &jixiao_core::Books,
    indicator_code: &str,
    date: jixiao_core::Date,
    entered: &BTreeMap<String, String>,
    recorder: &str,
) -> Option<BTreeMap<String, String>> {
    books.records.project_indicators.iter().find(|i| i.indicator_code == indicator_code)?;
    let earlier = books.records.indicator_results.iter().filter(|r| r.indicator_code == indicator_code).count();
    let mut fields: BTreeMap<String, String> =
        ["actual", "evidence", "deviation_reason"].iter().filter_map(|k| entered.get(*k).map(|v| (k.to_string(), v.clone()))).collect();
    fields.insert("result_code".into(), format!("{indicator_code}-JG{:02}", earlier + 1));
    fields.insert("year".into(), books.year.year.to_string());
    fields.insert("indicator_code".into(), indicator_code.into());
    fields.insert("date".into(), date.to_string());
    fields.insert("recorder".into(), recorder.into());
    Some(fields)
}
