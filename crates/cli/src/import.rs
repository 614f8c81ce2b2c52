//! `jixiao import`: reads, checks and writes one unit's import in one transaction, streaming its
//! expenditure file so that memory stays flat in the number of vouchers.
//!
//! The importer first reads every file (the expenditure file row by row, keeping only its errors), so a bad
//! file never touches the database. Then, in one import transaction (`Store::begin_import`): the stored
//! records of the unit's small kinds are read, the stored expenditures a page at a time into compact state
//! (keys with their fingerprints, the ledger, each line's payments); the import's rows go through the same
//! `Checker` rules as `jixiao_import::validate`; the expenditure file is read again and each chunk of new
//! vouchers is inserted and chained as soon as it is checked. Any error rolls everything back.

use anyhow::Result;
use jixiao_core::Fen;
use jixiao_core::budget_control::{Control, ControlOutcome, Decision, Draw, OverrideRequest, apply_override};
use jixiao_core::records::{Expenditure, RecordSet};
use jixiao_core::schema::{fingerprint, record_kind, record_kinds};
use jixiao_import::validate::{Admitted, Checker, LEDGER_KINDS, Located};
use jixiao_import::{ImportError, ImportErrors, STREAMED_KIND};
use jixiao_store::Store;
use jixiao_store::writer::ImportWriter;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::Path;
use std::process::ExitCode;

/// New vouchers inserted per round trip of the stream.
const STREAM_CHUNK: usize = 4_000;

/// Errors kept to print; past this they are only counted.
const ERRORS_KEPT: usize = jixiao_import::error::ERRORS_SHOWN;

/// The stored expenditure columns the checks need: key, ledger entry and budget-control payment.
const STORED_FIELDS: [&str; 6] = ["year", "voucher_no", "line_code", "amount", "procurement_ref", "reverses"];

/// The errors found so far: the first `ERRORS_KEPT`, and how many in all.
#[derive(Default)]
struct Errors {
    kept: Vec<ImportError>,
    total: usize,
}

impl Errors {
    fn take(&mut self, checker: &mut Checker) {
        self.total += checker.errors.len();
        let room = ERRORS_KEPT.saturating_sub(self.kept.len());
        self.kept.extend(checker.errors.drain(..).take(room));
    }

    fn report(self) -> String {
        ImportErrors(self.kept).report(self.total)
    }
}

/// Reads, validates against the database, and writes one import; prints every error when it fails.
pub async fn import(db: &str, store: &mut Option<Store>, path: &Path, override_request: Option<&OverrideRequest>) -> Result<ExitCode> {
    // The codes are checked as the files are read: an existing database's official 科目 tables first.
    if store.is_none() && crate::database_exists(db) {
        *store = Some(crate::open(db).await?);
    }
    // Files with bad rows: the rows that parsed still go through the checks below (nothing is written), so
    // that one run reports every row's errors.
    let (input, mut read_errors) = match jixiao_import::read_streamed_partial(path) {
        (Some(input), errors) => (input, errors),
        (None, errors) => {
            eprint!("{}", ImportErrors(errors));
            return Ok(ExitCode::from(1));
        }
    };
    if !read_errors.is_empty() && store.is_none() {
        // No database yet, so none is created for a failed import: the rows are checked against each other.
        let more = input.partial_errors(&read_errors, &RecordSet::default(), &[]);
        read_errors.extend(more);
        eprint!("{}", ImportErrors(read_errors));
        return Ok(ExitCode::from(1));
    }
    // The streamed file's errors are found again when it is read for writing.
    read_errors.retain(|e| input.streamed.as_ref().is_none_or(|s| s.file != e.file));
    let store: &Store = match store {
        Some(s) => s,
        None => store.insert(crate::open(db).await?),
    };
    if override_request.is_some_and(|r| r.reason.trim().is_empty()) {
        eprintln!("--override-reason 不能为空：超控须写明理由 [BUDGET_CONTROL_REASON_MISSING]");
        return Ok(ExitCode::from(2));
    }
    let source = &input.source;
    let existing_years = match store.unit(&source.unit.code).await? {
        Some(_) => store.years(&source.unit.code).await?,
        None => Vec::new(),
    };
    let bar = indicatif::ProgressBar::new(input.row_count() as u64);
    bar.set_style(indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}").expect("static template"));
    bar.set_message("导入");
    let writer = store.begin_import(&source.unit, &source.years, &source.label, None).await?;
    let (writer, outcome) = write(writer, &input, &existing_years, override_request, read_errors, &bar).await;
    bar.finish_and_clear();
    let Some(writer) = writer else { return Err(outcome.err().unwrap_or_else(|| anyhow::anyhow!("导入中断"))) };
    match outcome? {
        Err(errors) => {
            writer.abort().await?;
            eprint!("{}", errors.report());
            Ok(ExitCode::from(1))
        }
        Ok(controls) => {
            let outcome = writer.finish().await?;
            println!("已导入 {}（{}）：新增 {} 条记录，{} 条已存在未变。", source.unit.name, source.unit.code, outcome.added, outcome.unchanged);
            for c in &controls {
                println!("预算控制：{}「{}」：{} [{}]", if c.kind == "commitments" { "预算占用" } else { "支出凭证" }, c.key, c.message(), c.rule_id());
            }
            // Codes the year's embedded edition cannot confirm were accepted: say so now, once per code.
            for y in &source.years {
                let books = store.books(&source.unit.code, y.year).await?;
                for f in jixiao_core::check::code_findings(&books) {
                    println!("[{}] {} {}", f.severity.label(), f.rule_id, f.message);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A control outcome with the error to report if it stops the import.
type Controlled = (ControlOutcome, ImportError);

/// Checks and writes the import through `writer`, handing it back (`None` only if an insert task failed);
/// `Ok(Err(_))` when the import is refused.
async fn write(
    writer: ImportWriter,
    input: &jixiao_import::Streamed,
    existing_years: &[jixiao_core::records::UnitYear],
    override_request: Option<&OverrideRequest>,
    read_errors: Vec<ImportError>,
    bar: &indicatif::ProgressBar,
) -> (Option<ImportWriter>, Result<Result<Vec<ControlOutcome>, Errors>>) {
    let mut slot = Some(writer);
    let outcome = write_in(&mut slot, input, existing_years, override_request, read_errors, bar).await;
    (slot, outcome)
}

async fn write_in(
    slot: &mut Option<ImportWriter>,
    input: &jixiao_import::Streamed,
    existing_years: &[jixiao_core::records::UnitYear],
    override_request: Option<&OverrideRequest>,
    read_errors: Vec<ImportError>,
    bar: &indicatif::ProgressBar,
) -> Result<Result<Vec<ControlOutcome>, Errors>> {
    let source = &input.source;
    let streamed_kind = record_kind(STREAMED_KIND).expect("the streamed kind is in the spec");
    let writer = slot.as_mut().expect("the writer is in its slot");
    let existing = writer.records_except(STREAMED_KIND).await?;
    let mut checker = Checker::new(&source.years, existing_years);
    checker.stored(&existing);
    checker.incomplete(&read_errors);
    checker.errors = read_errors;
    let mut errors = Errors::default();
    // The stored expenditures, a page at a time: their keys and ledger entries, and what they paid per line
    // and 采购编号 (all budget control needs of them).
    let mut paid: std::collections::BTreeMap<(i32, String, Option<String>), Fen> = Default::default();
    writer
        .for_each_stored(streamed_kind, &STORED_FIELDS, |row, hash| {
            let year = row.get("year").and_then(Value::as_i64).unwrap_or_default();
            let text = |f: &str| row.get(f).and_then(Value::as_str);
            checker.stored_key(STREAMED_KIND, year, text("voucher_no").unwrap_or_default(), &hash);
            let line = (year as i32, text("line_code").unwrap_or_default().to_string(), text("procurement_ref").map(str::to_string));
            *paid.entry(line).or_default() += Fen(row.get("amount").and_then(Value::as_i64).unwrap_or_default());
            checker.stored_entry(STREAMED_KIND, &row);
        })
        .await?;

    // The files held in memory: which rows are new, as typed records.
    let mut fresh: Vec<&Located> = Vec::new();
    for r in &source.rows {
        match checker.admit(r) {
            Admitted::Fresh(_) => fresh.push(r),
            Admitted::Unchanged => writer.unchanged(1),
            Admitted::Refused => {}
        }
    }
    let mut records = RecordSet::default();
    for r in &fresh {
        if let Err(e) = records.push_row(r.kind, r.parsed.values.clone()) {
            checker.errors.push(r.error(None, "IMPORT_RECORD_SHAPE", format!("记录无法读取：{e}")));
        }
    }

    // Budget control's state: every line's budget, then what is already drawn on it.
    let mut control = Control::new(&source.unit, &existing, &records);
    control.stored(&existing);
    for ((year, line, reference), amount) in &paid {
        control.pay_stored(*year, line, *amount, reference.as_ref());
    }
    let locate = |kind: &str, o: &ControlOutcome| fresh.iter().find(|r| r.kind == kind && r.year() == i64::from(o.year) && r.key() == o.key);
    let mut controls: Vec<Controlled> = Vec::new();
    let draws = records.commitments.iter().map(Draw::of_commitment).chain(records.expenditures.iter().map(Draw::of_expenditure));
    for d in draws {
        if let Some(o) = control.draw(&d) {
            let e = match locate(d.kind, &o) {
                Some(r) => r.error(Some("amount"), o.rule_id(), o.message()),
                None => ImportError::file("", o.rule_id(), o.message()),
            };
            controls.push((o, e));
        }
    }

    // The kinds before the streamed one go in first, so that ids and the chain follow the spec's kind order.
    let position = |id: &str| record_kinds().iter().position(|k| k.id == id).unwrap_or_default();
    let streamed_at = position(STREAMED_KIND);
    if checker.errors.is_empty() {
        insert_records(writer, &records, |i| i <= streamed_at).await?;
    }
    let mut done = source.rows.len();
    bar.set_position(done as u64);

    if let Some(file) = &input.streamed {
        match file.open() {
            Err(e) => {
                checker.incomplete(&e);
                checker.errors.extend(e);
            }
            Ok((columns, mut rows)) => {
                // The inserts run in a task of their own, so that SQLite writes one chunk while the next is read
                // and checked; at most two chunks wait between them.
                let mut owned = slot.take().expect("the writer is in its slot");
                let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<(String, Map<String, Value>)>>(2);
                let inserter = tokio::spawn(async move {
                    while let Some(mut chunk) = receiver.recv().await {
                        if let Err(e) = insert_chunk(&mut owned, streamed_kind, &mut chunk).await {
                            return (owned, Err(e));
                        }
                    }
                    (owned, Ok(()))
                });
                let mut unchanged = 0;
                let mut chunk: Vec<(String, Map<String, Value>)> = Vec::with_capacity(STREAM_CHUNK);
                while let Some(next) = file.next(&columns, &mut rows) {
                    done += 1;
                    match next {
                        Err(e) => {
                            checker.incomplete(&e);
                            checker.errors.extend(e);
                        }
                        Ok(r) => {
                            let admitted = checker.admit(&r);
                            if admitted == Admitted::Unchanged {
                                unchanged += 1;
                            }
                            if let Admitted::Fresh(hash) = admitted {
                                checker.check(&r);
                                checker.post(&r);
                                match Expenditure::deserialize(&r.parsed.values) {
                                    Err(e) => checker.errors.push(r.error(None, "IMPORT_RECORD_SHAPE", format!("记录无法读取：{e}"))),
                                    Ok(e) => {
                                        if let Some(o) = control.draw(&Draw::of_expenditure(&e)) {
                                            let error = r.error(Some("amount"), o.rule_id(), o.message());
                                            controls.push((o, error));
                                        }
                                    }
                                }
                                chunk.push((hash, r.parsed.values));
                            }
                        }
                    }
                    errors.take(&mut checker);
                    // Once anything is wrong nothing will be written: keep checking, stop inserting.
                    if errors.total > 0 {
                        chunk.clear();
                    } else if chunk.len() == STREAM_CHUNK {
                        // A closed channel means the inserter failed; its error is collected below.
                        let _ = sender.send(std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK))).await;
                        bar.set_position(done as u64);
                    }
                }
                if errors.total == 0 && !chunk.is_empty() {
                    let _ = sender.send(chunk).await;
                }
                drop(sender);
                let (mut owned, inserted) = inserter.await?;
                owned.unchanged(unchanged);
                *slot = Some(owned);
                inserted?;
            }
        }
    }
    let writer = slot.as_mut().expect("the writer is back in its slot");

    // The rules that may look at any key of the import, now that all are known.
    for r in &fresh {
        checker.check(r);
    }
    for kind in LEDGER_KINDS {
        for r in fresh.iter().filter(|r| r.kind == kind) {
            checker.post(r);
        }
    }
    errors.take(&mut checker);
    if errors.total > 0 {
        return Ok(Err(errors));
    }
    // Budget control stops refuse the import, unless the override request passes them.
    let (mut outcomes, stop_errors): (Vec<ControlOutcome>, Vec<ImportError>) = controls.into_iter().unzip();
    if let Some(request) = override_request {
        records.control_overrides.extend(apply_override(&mut outcomes, request));
    } else {
        for (o, e) in outcomes.iter().zip(stop_errors) {
            if o.decision == Decision::Stop {
                checker.errors.push(e);
            }
        }
        errors.take(&mut checker);
        if errors.total > 0 {
            return Ok(Err(errors));
        }
    }
    insert_records(writer, &records, |i| i > streamed_at).await?;
    bar.set_position(done as u64);
    Ok(Ok(outcomes))
}

/// Inserts the held records of the kinds whose spec position passes `which`, as `Store::apply` writes a batch.
async fn insert_records(writer: &mut ImportWriter, records: &RecordSet, which: impl Fn(usize) -> bool) -> Result<()> {
    for (_, kind) in record_kinds().iter().enumerate().filter(|(i, _)| which(*i)) {
        let rows = records.rows(&kind.id);
        let fresh: Vec<(String, &Map<String, Value>)> = rows.iter().map(|r| (fingerprint(r), r)).collect();
        writer.insert(kind, &fresh).await?;
    }
    Ok(())
}

async fn insert_chunk(writer: &mut ImportWriter, kind: &jixiao_core::schema::RecordKindSpec, chunk: &mut Vec<(String, Map<String, Value>)>) -> Result<()> {
    let rows: Vec<(String, &Map<String, Value>)> = chunk.iter().map(|(h, r)| (h.clone(), r)).collect();
    writer.insert(kind, &rows).await?;
    chunk.clear();
    Ok(())
}
