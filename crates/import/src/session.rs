//! One import session: every way records enter the books — `jixiao import` (its expenditure file streamed),
//! the web upload and the API (files held in memory), a record entered on a page, the generated test data —
//! goes through [`check`], which runs the import's rules against what the database holds and writes the new
//! records through an [`ImportSink`] (the store's `ImportWriter`, one transaction; [`MemorySink`] for a check
//! without a database). The order that keeps the rules whole:
//!
//! 1. the stored records are read from the sink: every key with its fingerprint (admission), the ledgers, and
//!    budget control's state (budgets, commitments, payments per line) — but a streamed file the sink knows
//!    by its digest (an earlier import stored it whole) is not read at all, and the stored records of its kind
//!    only when some held row is new;
//! 2. every held row is admitted (duplicates, conflicts, declared years, code tables): unchanged ones are
//!    counted, new ones become typed records; budget control offers them its draws;
//! 3. the kinds up to the streamed one are written; the streamed file is read again row by row, each new row
//!    admitted, checked, posted and drawn, and written a chunk at a time (the inserts run in a task of their
//!    own, so the database writes one chunk while the next is read);
//! 4. the rules that may look at any key (references) and the ledgers of the held kinds; then budget
//!    control's stops, refused unless an override request passes them (adding its 超控记录);
//! 5. the remaining kinds are written. Any error refuses the whole import and the sink is rolled back; a
//!    [`Checked`] import is committed by its caller (who may still refuse it, e.g. for the user's role).

use crate::error::{ERRORS_SHOWN, ImportError, ImportErrors};
use crate::validate::{Admitted, Checker, LEDGER_KINDS, Located};
use crate::{STREAMED_KIND, Source, Streamed};
use jixiao_core::budget_control::{Control, ControlOutcome, Decision, Draw, OverrideRequest, apply_override};
use jixiao_core::records::{Batch, RecordSet, UnitYear};
use jixiao_core::schema::{Cell, RecordKind, fingerprint_cells};
use jixiao_core::{Date, Fen};
use std::collections::BTreeMap;
use std::future::Future;

/// A new record to write: its content hash (fingerprint) and its cells in its kind's column order.
pub type NewRecord = (String, Vec<Cell>);

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub added: usize,
    pub unchanged: usize,
}

/// Where a session reads the stored records and writes the new ones: the store's import transaction.
pub trait ImportSink: Send + Sized + 'static {
    type Error: std::error::Error + Send + Sync + 'static;

    /// Calls `f` with each stored record of `kind` — its cells in the kind's column order, those of the columns
    /// `fields` read, the others null — and its content hash, in the order stored, without holding the kind.
    fn for_each_stored<F>(&mut self, kind: RecordKind, fields: &[&str], f: F) -> impl Future<Output = Result<(), Self::Error>> + Send
    where
        F: FnMut(Vec<Cell>, String) + Send;

    /// Writes new records of `kind` (and chains them).
    fn insert(&mut self, kind: RecordKind, rows: &[NewRecord]) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Counts records stored already with the same content.
    fn unchanged(&mut self, n: usize);

    /// The data rows of the unit's file `name` whose bytes have the SHA-256 `digest`, if an earlier import of
    /// the unit stored that very file whole (so every one of its rows is stored, unchanged).
    fn known_file(&mut self, name: &str, digest: &str) -> impl Future<Output = Result<Option<usize>, Self::Error>> + Send {
        let _ = (name, digest);
        async { Ok(None) }
    }

    /// Notes that this import holds the whole file `name` (digest, data rows), for [`ImportSink::known_file`].
    fn record_file(&mut self, name: &str, digest: &str, rows: usize) -> impl Future<Output = Result<(), Self::Error>> + Send {
        let _ = (name, digest, rows);
        async { Ok(()) }
    }

    /// Commits everything written.
    fn finish(self) -> impl Future<Output = Result<Counts, Self::Error>> + Send;

    /// Rolls everything back.
    fn abort(self) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// New records written per round trip of the stream.
const STREAM_CHUNK: usize = 4_000;

/// The stored expenditure columns the checks need: key, ledger entry and budget-control payment.
const STORED_FIELDS: [&str; 6] = ["year", "voucher_no", "line_code", "amount", "procurement_ref", "reverses"];

/// Why an import was refused: the first [`ERRORS_SHOWN`] errors, and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refusal {
    pub errors: Vec<ImportError>,
    pub total: usize,
}

impl Refusal {
    fn take(&mut self, checker: &mut Checker) {
        self.total += checker.errors.len();
        let room = ERRORS_SHOWN.saturating_sub(self.errors.len());
        self.errors.extend(checker.errors.drain(..).take(room));
    }

    /// The report as `jixiao import` prints it.
    pub fn report(&self) -> String {
        ImportErrors(self.errors.clone()).report(self.total)
    }
}

/// An import checked and written, not yet committed.
pub struct Checked<S> {
    sink: S,
    /// Budget control's outcomes: warnings, and the stops passed by an override.
    pub controls: Vec<ControlOutcome>,
    /// The new records written (overrides included).
    pub fresh: usize,
}

impl<S: ImportSink> Checked<S> {
    /// Commits the import.
    pub async fn commit(self) -> Result<(Counts, Vec<ControlOutcome>), S::Error> {
        Ok((self.sink.finish().await?, self.controls))
    }

    /// Refuses it after all: nothing is written.
    pub async fn abort(self) -> Result<(), S::Error> {
        self.sink.abort().await
    }
}

/// What a session needs beside its input and sink.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// The unit's years the database holds (rows may belong to them as well as to the input's own).
    pub existing_years: &'a [UnitYear],
    /// Passes budget control's stops, each with a 超控记录.
    pub override_request: Option<&'a OverrideRequest>,
    /// Called with the number of rows handled so far.
    pub progress: &'a (dyn Fn(usize) + Sync),
    /// The errors of the rows that did not parse (`crate::read_partial`): they refuse the import, and the rows
    /// that parsed are checked without the kinds they name (`Checker::incomplete`), so that one run reports
    /// every row's errors.
    pub read_errors: &'a [ImportError],
}

impl Options<'_> {
    pub fn new(existing_years: &[UnitYear]) -> Options<'_> {
        Options { existing_years, override_request: None, progress: &|_| {}, read_errors: &[] }
    }
}

/// A control outcome with the error to report if it stops the import.
type Controlled = (ControlOutcome, ImportError);

/// The payment an expenditure's cells draw on its line, as budget control sees it.
fn draw_of<'c>(cells: &'c [Cell], date: &'c Date) -> Option<Draw<'c>> {
    let spec = STREAMED_KIND.spec();
    Some(Draw {
        kind: "expenditures",
        key: spec.cell(cells, &spec.key).as_str()?,
        year: i32::try_from(spec.cell(cells, "year").as_i64()?).ok()?,
        date,
        line_code: spec.cell(cells, "line_code").as_str()?,
        amount: Fen(spec.cell(cells, "amount").as_i64()?),
        reference: spec.cell(cells, "procurement_ref").as_string(),
    })
}

/// Checks `input` against what `sink` holds and writes its new records through it. `Ok(Err(_))` when the
/// import is refused (the sink was rolled back); `Err` when the sink failed (it is dropped, which rolls back).
pub async fn check<S: ImportSink>(mut sink: S, input: &Streamed, options: Options<'_>) -> Result<Result<Checked<S>, Refusal>, S::Error> {
    let source = &input.source;
    let streamed = STREAMED_KIND.spec();
    let mut checker = Checker::new(&source.years, options.existing_years);
    checker.incomplete(options.read_errors);
    // The streamed file's errors are found again when it is read below.
    let streamed_file = input.streamed.as_ref().map(|s| s.file.as_str());
    checker.errors.extend(options.read_errors.iter().filter(|e| Some(e.file.as_str()) != streamed_file).cloned());
    let mut refusal = Refusal::default();

    // 1. What the database holds: the small kinds whole, the streamed kind a page at a time into compact state.
    let mut existing = RecordSet::default();
    for kind in RecordKind::ALL.into_iter().filter(|k| *k != STREAMED_KIND) {
        let spec = kind.spec();
        let fields: Vec<&str> = spec.columns.iter().map(|c| c.field.as_str()).collect();
        let mut bad = None;
        sink.for_each_stored(kind, &fields, |cells, hash| {
            checker.stored(kind, &cells, &hash);
            if let Err(message) = existing.push_cells(spec, &cells) {
                bad.get_or_insert(message);
            }
        })
        .await?;
        if let Some(message) = bad {
            checker.errors.push(ImportError::file(
                "",
                "IMPORT_STORED_UNREADABLE",
                format!("数据库中的{}记录无法读取：{message}", spec.label),
            ));
        }
    }
    // A streamed file stored whole by an earlier import: its rows are all there, unchanged.
    let known = match input.streamed.as_ref().and_then(|f| f.digest.as_ref().map(|d| (f, d))) {
        Some((file, digest)) => sink.known_file(&file.file, digest).await?,
        None => None,
    };
    let mut paid = Payments::new();
    if known.is_none() {
        paid = stored_payments(&mut sink, &mut checker).await?;
    }

    // 2. The held rows: which are new, as typed records.
    let mut fresh: Vec<(&Located, String)> = Vec::new();
    let mut unchanged = 0;
    for r in &source.rows {
        match checker.admit(r) {
            Admitted::Fresh(hash) => fresh.push((r, hash)),
            Admitted::Unchanged => unchanged += 1,
            Admitted::Refused => {}
        }
    }
    // The held rows are of other kinds than the streamed file's: its stored records were not needed to admit them.
    if known.is_some() && !fresh.is_empty() {
        paid = stored_payments(&mut sink, &mut checker).await?;
    }
    let mut records = RecordSet::default();
    for (r, _) in &fresh {
        if let Err(e) = records.push_cells(r.kind.spec(), &r.parsed.values) {
            checker.errors.push(r.error(None, "IMPORT_RECORD_SHAPE", format!("记录无法读取：{e}")));
        }
    }
    let mut control = Control::new(&source.unit, &existing, &records);
    control.stored(&existing);
    for ((year, line, reference), amount) in &paid {
        control.add_stored_expenditure(*year, line, *amount, reference.as_ref());
    }
    let locate = |kind: &str, o: &ControlOutcome| {
        fresh.iter().map(|(r, _)| r).find(|r| r.kind.id() == kind && r.year() == i64::from(o.year) && r.key() == o.key)
    };
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

    // 3. The kinds up to the streamed one, so that ids and the chain follow the spec's kind order; then the stream.
    let mut written = 0;
    if checker.errors.is_empty() {
        written += insert_fresh(&mut sink, &fresh, &[], |k| k <= STREAMED_KIND).await?;
    }
    let mut done = source.rows.len();
    (options.progress)(done);
    if let (Some(file), Some(rows)) = (&input.streamed, known) {
        unchanged += rows;
        done += rows;
        if let Some(digest) = &file.digest {
            sink.record_file(&file.file, digest, rows).await?;
        }
    } else if let Some(file) = &input.streamed {
        let first = done;
        match file.open() {
            Err(e) => {
                checker.incomplete(&e);
                checker.errors.extend(e);
            }
            Ok((columns, mut rows)) => {
                // At most two chunks wait between the reader and the inserter.
                let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<NewRecord>>(2);
                let inserter = tokio::spawn(async move {
                    let mut added = 0;
                    while let Some(chunk) = receiver.recv().await {
                        if let Err(e) = sink.insert(STREAMED_KIND, &chunk).await {
                            return (sink, Err(e), added);
                        }
                        added += chunk.len();
                    }
                    (sink, Ok(()), added)
                });
                let mut chunk: Vec<NewRecord> = Vec::with_capacity(STREAM_CHUNK);
                while let Some(next) = file.next(&columns, &mut rows) {
                    done += 1;
                    match next {
                        Err(e) => {
                            checker.incomplete(&e);
                            checker.errors.extend(e);
                        }
                        Ok(r) => match checker.admit(&r) {
                            Admitted::Unchanged => unchanged += 1,
                            Admitted::Refused => {}
                            Admitted::Fresh(hash) => {
                                checker.check(&r);
                                checker.post(&r);
                                let date = streamed.cell(&r.parsed.values, "date").as_str().and_then(Date::parse);
                                if let Some(o) = date.as_ref().and_then(|d| draw_of(&r.parsed.values, d)).and_then(|d| control.draw(&d)) {
                                    let error = r.error(Some("amount"), o.rule_id(), o.message());
                                    controls.push((o, error));
                                }
                                chunk.push((hash, r.parsed.values));
                            }
                        },
                    }
                    refusal.take(&mut checker);
                    // Once anything is wrong nothing will be written: keep checking, stop inserting.
                    if refusal.total > 0 {
                        chunk.clear();
                    } else if chunk.len() == STREAM_CHUNK {
                        // A closed channel means the inserter failed; its error is collected below.
                        let _ = sender.send(std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK))).await;
                        (options.progress)(done);
                    }
                }
                // The whole file read: its digest, unless it proves to need reading whole.
                let digest = match file.finish(&rows) {
                    Ok(digest) => Some(digest),
                    Err(e) => {
                        checker.incomplete(std::slice::from_ref(&e));
                        checker.errors.push(e);
                        refusal.take(&mut checker);
                        None
                    }
                };
                if refusal.total == 0 && !chunk.is_empty() {
                    let _ = sender.send(chunk).await;
                }
                drop(sender);
                let (back, inserted, added) = match inserter.await {
                    Ok(joined) => joined,
                    // The task only ends by returning (or by a panic of the sink, resumed here).
                    Err(e) => std::panic::resume_unwind(e.into_panic()),
                };
                sink = back;
                inserted?;
                written += added;
                if let Some(digest) = digest.filter(|_| refusal.total == 0) {
                    sink.record_file(&file.file, &digest, done - first).await?;
                }
            }
        }
    }

    // 4. The rules that may look at any key of the import, now that all are known.
    for (r, _) in &fresh {
        checker.check(r);
    }
    for kind in LEDGER_KINDS {
        for (r, _) in fresh.iter().filter(|(r, _)| r.kind == kind) {
            checker.post(r);
        }
    }
    refusal.take(&mut checker);
    if refusal.total == 0 && options.override_request.is_none() {
        for (o, e) in &controls {
            if o.decision == Decision::Stop {
                checker.errors.push(e.clone());
            }
        }
        refusal.take(&mut checker);
    }
    if refusal.total > 0 {
        sink.abort().await?;
        return Ok(Err(refusal));
    }
    let mut outcomes: Vec<ControlOutcome> = controls.into_iter().map(|(o, _)| o).collect();
    let overrides = match options.override_request {
        Some(request) => RecordSet { control_overrides: apply_override(&mut outcomes, request), ..RecordSet::default() }
            .cells(RecordKind::ControlOverrides.spec()),
        None => Vec::new(),
    };

    // 5. The kinds after the streamed one.
    written += insert_fresh(&mut sink, &fresh, &overrides, |k| k > STREAMED_KIND).await?;
    sink.unchanged(unchanged);
    (options.progress)(done);
    Ok(Ok(Checked { sink, controls: outcomes, fresh: written }))
}

/// What the stored expenditures paid, per year, line and 采购编号 (budget control's payments).
type Payments = BTreeMap<(i32, String, Option<String>), Fen>;

/// Reads the stored records of the streamed kind into `checker` (keys, ledger) and sums their payments.
async fn stored_payments<S: ImportSink>(sink: &mut S, checker: &mut Checker) -> Result<Payments, S::Error> {
    let streamed = STREAMED_KIND.spec();
    let mut paid = Payments::new();
    sink.for_each_stored(STREAMED_KIND, &STORED_FIELDS, |cells, hash| {
        checker.stored(STREAMED_KIND, &cells, &hash);
        let (year, _) = streamed.year_key(&cells);
        let text = |f: &str| streamed.cell(&cells, f).as_str();
        let line = (year as i32, text("line_code").unwrap_or_default().to_string(), text("procurement_ref").map(str::to_string));
        *paid.entry(line).or_default() += Fen(streamed.cell(&cells, "amount").as_i64().unwrap_or_default());
    })
    .await?;
    Ok(paid)
}

/// Writes the new held records of the kinds that pass `which`, kind by kind in spec order, with the 超控记录
/// `overrides` after the imported ones; returns how many.
async fn insert_fresh<S: ImportSink>(
    sink: &mut S,
    fresh: &[(&Located, String)],
    overrides: &[Vec<Cell>],
    which: impl Fn(RecordKind) -> bool,
) -> Result<usize, S::Error> {
    let mut written = 0;
    for kind in RecordKind::ALL.into_iter().filter(|k| which(*k)) {
        let mut rows: Vec<NewRecord> =
            fresh.iter().filter(|(r, _)| r.kind == kind).map(|(r, hash)| (hash.clone(), r.parsed.values.clone())).collect();
        if kind == RecordKind::ControlOverrides {
            rows.extend(overrides.iter().map(|cells| (fingerprint_cells(kind.spec(), cells), cells.clone())));
        }
        if rows.is_empty() {
            continue;
        }
        sink.insert(kind, &rows).await?;
        written += rows.len();
    }
    Ok(written)
}

/// A sink over records held in memory: what a check without a database reads as stored, and where it
/// collects the records it would write.
#[derive(Debug, Default)]
pub struct MemorySink {
    pub stored: RecordSet,
    pub written: RecordSet,
    counts: Counts,
}

impl MemorySink {
    pub fn new(stored: RecordSet) -> MemorySink {
        MemorySink { stored, ..MemorySink::default() }
    }
}

/// A memory sink cannot fail.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MemoryError(String);

impl ImportSink for MemorySink {
    type Error = MemoryError;

    async fn for_each_stored<F>(&mut self, kind: RecordKind, _fields: &[&str], mut f: F) -> Result<(), MemoryError>
    where
        F: FnMut(Vec<Cell>, String) + Send,
    {
        for cells in self.stored.cells(kind.spec()) {
            let hash = fingerprint_cells(kind.spec(), &cells);
            f(cells, hash);
        }
        Ok(())
    }

    async fn insert(&mut self, kind: RecordKind, rows: &[NewRecord]) -> Result<(), MemoryError> {
        for (_, cells) in rows {
            self.written.push_cells(kind.spec(), cells).map_err(MemoryError)?;
        }
        self.counts.added += rows.len();
        Ok(())
    }

    fn unchanged(&mut self, n: usize) {
        self.counts.unchanged += n;
    }

    async fn finish(self) -> Result<Counts, MemoryError> {
        Ok(self.counts)
    }

    async fn abort(self) -> Result<(), MemoryError> {
        Ok(())
    }
}

/// Runs a future that never waits — a session over a [`MemorySink`] and input held in memory — to its end,
/// without a runtime.
fn run_ready<T>(future: impl Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
    }
}

impl Source {
    /// Checks the source against `existing` (what the database holds for its unit) without a database, giving
    /// the batch of its new records and budget control's outcomes: the session over a [`MemorySink`].
    pub fn check_in_memory(
        &self,
        existing: &RecordSet,
        existing_years: &[UnitYear],
        override_request: Option<&OverrideRequest>,
    ) -> Result<(Batch, Vec<ControlOutcome>), ImportErrors> {
        let input = Streamed { source: self.clone(), streamed: None };
        let options = Options { existing_years, override_request, ..Options::new(existing_years) };
        let checked = match run_ready(check(MemorySink::new(existing.clone()), &input, options)) {
            Ok(Ok(checked)) => checked,
            Ok(Err(refusal)) => return Err(ImportErrors(refusal.errors)),
            Err(e) => {
                return Err(ImportErrors(vec![ImportError::file(&self.label, "IMPORT_RECORD_SHAPE", e.to_string())]));
            }
        };
        let batch = Batch { unit: self.unit.clone(), years: self.years.clone(), records: checked.sink.written };
        Ok((batch, checked.controls))
    }
}

/// The errors the session finds, beside `read_errors`, in the rows that parsed of an import whose other rows
/// did not ([`Options::read_errors`]): checked against `existing` (what the database holds) in a
/// [`MemorySink`], nothing written. References to and ledgers of the kinds with `read_errors` wait until those
/// rows are fixed; budget control waits too.
pub async fn partial_errors(
    input: &Streamed,
    read_errors: &[ImportError],
    existing: &RecordSet,
    existing_years: &[UnitYear],
) -> Vec<ImportError> {
    let options = Options { read_errors, ..Options::new(existing_years) };
    match check(MemorySink::new(existing.clone()), input, options).await {
        Ok(Err(refusal)) => refusal.errors.into_iter().filter(|e| !read_errors.contains(e)).collect(),
        Ok(Ok(_)) => Vec::new(),
        Err(e) => vec![ImportError::file(&input.source.label, "IMPORT_RECORD_SHAPE", e.to_string())],
    }
}

impl Source {
    /// [`partial_errors`] for rows held in memory (an upload): no runtime needed.
    pub fn partial_errors(&self, read_errors: &[ImportError], existing: &RecordSet, existing_years: &[UnitYear]) -> Vec<ImportError> {
        let input = Streamed::held(self.clone());
        run_ready(partial_errors(&input, read_errors, existing, existing_years))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A memory sink that knows the streamed file by its digest, and counts what the session asked of it.
    struct KnowingSink {
        inner: MemorySink,
        known_rows: usize,
        streamed_kind_read: usize,
        recorded: Vec<(String, String, usize)>,
    }

    impl ImportSink for KnowingSink {
        type Error = MemoryError;

        async fn for_each_stored<F>(&mut self, kind: RecordKind, fields: &[&str], f: F) -> Result<(), MemoryError>
        where
            F: FnMut(Vec<Cell>, String) + Send,
        {
            self.streamed_kind_read += usize::from(kind == STREAMED_KIND);
            self.inner.for_each_stored(kind, fields, f).await
        }

        async fn insert(&mut self, kind: RecordKind, rows: &[NewRecord]) -> Result<(), MemoryError> {
            self.inner.insert(kind, rows).await
        }

        fn unchanged(&mut self, n: usize) {
            self.inner.unchanged(n)
        }

        async fn known_file(&mut self, _name: &str, _digest: &str) -> Result<Option<usize>, MemoryError> {
            Ok(Some(self.known_rows))
        }

        async fn record_file(&mut self, name: &str, digest: &str, rows: usize) -> Result<(), MemoryError> {
            self.recorded.push((name.to_string(), digest.to_string(), rows));
            Ok(())
        }

        async fn finish(self) -> Result<Counts, MemoryError> {
            self.inner.finish().await
        }

        async fn abort(self) -> Result<(), MemoryError> {
            Ok(())
        }
    }

    fn demo() -> (Streamed, RecordSet) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
        let (input, errors) = crate::read_streamed_unchecked(&dir);
        assert!(errors.is_empty(), "{errors:?}");
        let mut input = input.unwrap();
        input.hash_streamed().unwrap();
        let stored = crate::read(&dir).unwrap().validate(&RecordSet::default(), &[]).unwrap().records;
        // The file is known by its digest: the session must not open it (it no longer exists at this path).
        input.streamed.as_mut().unwrap().path = dir.join("gone.csv");
        (input, stored)
    }

    #[tokio::test]
    async fn a_streamed_file_known_by_its_digest_is_counted_unchanged_without_being_read() {
        let (input, stored) = demo();
        let digest = input.streamed.as_ref().unwrap().digest.clone().unwrap();
        assert_eq!(digest.len(), 64);
        let sink = KnowingSink { inner: MemorySink::new(stored), known_rows: 7, streamed_kind_read: 0, recorded: Vec::new() };
        let existing = input.source.years.clone();
        let checked = match check(sink, &input, Options::new(&existing)).await.unwrap() {
            Ok(checked) => checked,
            Err(refusal) => panic!("{}", refusal.report()),
        };
        assert_eq!(checked.sink.streamed_kind_read, 0, "every held row is unchanged: the stored vouchers are not read");
        assert_eq!(checked.sink.recorded, vec![("expenditures.csv".to_string(), digest, 7)]);
        let counts = checked.commit().await.unwrap().0;
        assert_eq!(counts, Counts { added: 0, unchanged: input.source.rows.len() + 7 });
    }

    #[tokio::test]
    async fn a_new_held_row_beside_a_known_streamed_file_reads_the_stored_vouchers_once() {
        let (input, mut stored) = demo();
        let dropped = stored.budget_vouchers.pop().expect("the demo has budget vouchers");
        let sink = KnowingSink { inner: MemorySink::new(stored), known_rows: 7, streamed_kind_read: 0, recorded: Vec::new() };
        let existing = input.source.years.clone();
        let checked = match check(sink, &input, Options::new(&existing)).await.unwrap() {
            Ok(checked) => checked,
            Err(refusal) => panic!("{}", refusal.report()),
        };
        assert_eq!(checked.sink.streamed_kind_read, 1);
        assert_eq!(checked.sink.inner.written.budget_vouchers, vec![dropped]);
        let counts = checked.commit().await.unwrap().0;
        assert_eq!(counts, Counts { added: 1, unchanged: input.source.rows.len() - 1 + 7 });
    }
}
