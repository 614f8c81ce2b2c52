//! `jixiao import`: reads one unit's import — its expenditure file checked row by row but not held, so that
//! memory stays flat in the number of vouchers — and runs the import session (`jixiao_import::session`)
//! into the store's import transaction; shows its progress and prints its outcome or its errors.
//!
//! A bad file never touches the database: every file is read and checked before the transaction starts,
//! and the session rolls everything back on any error.

use anyhow::Result;
use jixiao_core::records::RecordSet;
use jixiao_import::ImportErrors;
use jixiao_store::{ImportOptions, Store};
use std::path::Path;
use std::process::ExitCode;

/// Reads, validates against the database, and writes one import; prints every error when it fails.
pub async fn import(db: &str, store: &mut Option<Store>, path: &Path, options: ImportOptions<'_>) -> Result<ExitCode> {
    // The codes are checked as the files are read: an existing database's official 科目 tables first.
    if store.is_none() && crate::database_exists(db) {
        *store = Some(crate::open(db).await?);
    }
    // Files with bad rows: the rows that parsed still go through the checks below (nothing is written), so
    // that one run reports every row's errors.
    let (mut input, mut read_errors) = match jixiao_import::read_streamed_unchecked(path) {
        (Some(input), errors) => (input, errors),
        (None, errors) => {
            eprint!("{}", ImportErrors(errors));
            return Ok(ExitCode::from(1));
        }
    };
    // The expenditure file is read once, by the import session, except: with no database yet its rows are checked
    // first, so that a bad import creates none; when the database holds the unit the file is hashed first, and
    // one it holds whole (same unit, name and digest) is not read at all — its rows are counted unchanged.
    match &*store {
        None => read_errors.extend(input.check_rows()),
        Some(s) if s.unit(&input.source.unit.code).await?.is_some() => {
            if let Err(e) = input.hash_streamed() {
                read_errors.push(e);
            }
        }
        Some(_) => {}
    }
    if !read_errors.is_empty() && store.is_none() {
        // No database yet, so none is created for a failed import: the rows are checked against each other.
        let more = input.partial_errors(&read_errors, &RecordSet::default(), &[]).await;
        read_errors.extend(more);
        eprint!("{}", ImportErrors(read_errors));
        return Ok(ExitCode::from(1));
    }
    let store: &Store = match store {
        Some(s) => s,
        None => store.insert(crate::open(db).await?),
    };
    if options.override_request.is_some_and(|r| r.reason.trim().is_empty()) {
        eprintln!("--override-reason 不能为空：超控须写明理由 [BUDGET_CONTROL_REASON_MISSING]");
        return Ok(ExitCode::from(2));
    }
    let versions_before = store.profile_versions(&input.source.unit.code).await?.len();
    let mut checked = run_session(store, &input, options, &read_errors).await?;
    if let Err(refusal) = &checked
        && refusal.errors.iter().any(|e| e.rule_id == jixiao_import::IMPORT_READ_WHOLE)
    {
        // The expenditure file cannot be read row by row (another encoding, damage): read it whole, check again.
        read_errors.extend(input.check_rows());
        checked = run_session(store, &input, options, &read_errors).await?;
    }
    let source = &input.source;
    match checked {
        Err(refusal) => {
            eprint!("{}", refusal.report());
            Ok(ExitCode::from(1))
        }
        Ok(checked) => {
            let (outcome, controls) = checked.commit().await?;
            println!(
                "已导入 {}（{}）：新增 {} 条记录，{} 条已存在未变。",
                source.unit.name, source.unit.code, outcome.added, outcome.unchanged
            );
            let versions = store.profile_versions(&source.unit.code).await?;
            if let Some(v) = versions.last().filter(|_| versions.len() > versions_before) {
                println!("单位信息已变更：记为第 {} 版，自 {} 年度起适用；之前年度仍用原来的单位信息。", v.version, v.valid_from_year);
            }
            for c in &controls {
                println!(
                    "预算控制：{}「{}」：{} [{}]",
                    if c.kind == "commitments" { "预算占用" } else { "支出凭证" },
                    c.key,
                    c.message(),
                    c.rule_id()
                );
            }
            // Codes the year's embedded edition cannot confirm were accepted: say so now, once per code. The
            // code rules read the lines and receipts, so the books in summary form do (not every voucher). An
            // import that added nothing accepted no code: what it holds was said when it was first imported.
            for y in source.years.iter().filter(|_| outcome.added > 0) {
                let books = store.books_summary(&source.unit.code, y.year).await?;
                for f in jixiao_core::check::code_findings(&books) {
                    println!("[{}] {} {}", f.severity.label(), f.rule_id, f.message);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One run of the import session into the store, with a progress bar.
async fn run_session(
    store: &Store,
    input: &jixiao_import::Streamed,
    options: ImportOptions<'_>,
    read_errors: &[jixiao_import::ImportError],
) -> Result<
    Result<jixiao_import::session::Checked<jixiao_store::writer::ImportWriter>, jixiao_import::session::Refusal>,
    jixiao_store::StoreError,
> {
    let bar = indicatif::ProgressBar::new(input.row_count() as u64);
    bar.set_style(indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}").expect("static template"));
    bar.set_message("导入");
    let progress = |done: usize| bar.set_position(done as u64);
    let checked = store.import(input, &input.source.label, None, options, &progress, read_errors).await;
    bar.finish_and_clear();
    checked
}
