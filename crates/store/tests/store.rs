//! Store tests, each run on SQLite and (when JIXIAO_TEST_PG_URL names a PostgreSQL server) on PostgreSQL.

use jixiao_core::records::Batch;
use jixiao_core::report_model::build;
use jixiao_core::{Fen, RecordSet};
use jixiao_store::{Store, StoreError};
use sqlx::any::AnyPoolOptions;
use std::path::Path;

mod common;
use common::stores;

fn demo_batch() -> Batch {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
    jixiao_import::read(&dir).unwrap().validate(&RecordSet::default(), &[]).unwrap()
}

#[tokio::test]
async fn demo_round_trips_and_reimport_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        let first = store.apply(&batch, "demo").await.unwrap();
        assert_eq!(first.added, batch.records.len(), "{backend}");
        let counts = store.record_counts().await.unwrap();
        let again = store.apply(&batch, "demo").await.unwrap();
        assert_eq!((again.added, again.unchanged), (0, batch.records.len()), "{backend}");
        let after: Vec<_> = store.record_counts().await.unwrap().into_iter().filter(|(t, _)| t != "import_batch").collect();
        let before: Vec<_> = counts.into_iter().filter(|(t, _)| t != "import_batch").collect();
        assert_eq!(before, after, "{backend}: re-import changed row counts");

        assert_eq!(store.records(&batch.unit.code).await.unwrap(), batch.records, "{backend}: records read back as written");
        assert_eq!(store.unit(&batch.unit.code).await.unwrap().as_ref(), Some(&batch.unit), "{backend}");
        assert_eq!(store.units().await.unwrap(), vec![(batch.unit.code.clone(), batch.unit.name.clone())], "{backend}");
        let books = store.books(&batch.unit.code, 2020).await.unwrap();
        let model = build(&books, None);
        assert_eq!(model.spending.execution_rate.text, "86.98%", "{backend}");
        assert_eq!(model.income.fiscal_total.text, "242.96", "{backend}");
    }
}

#[tokio::test]
async fn a_conflicting_record_aborts_the_whole_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        store.apply(&batch, "demo").await.unwrap();
        let counts = store.record_counts().await.unwrap();
        let mut changed = batch.clone();
        changed.records.expenditures[3].amount = Fen(1);
        // A new record in the same batch must not be written either.
        let mut extra = changed.records.receipts[0].clone();
        extra.voucher_no = "NEW-1".into();
        changed.records.receipts.push(extra);
        match store.apply(&changed, "changed").await {
            Err(StoreError::Conflicts(message)) => {
                assert!(message.contains(&batch.records.expenditures[3].voucher_no), "{backend}: {message}")
            }
            other => panic!("{backend}: expected a conflict, got {other:?}"),
        }
        assert_eq!(store.record_counts().await.unwrap(), counts, "{backend}: nothing written");
    }
}

/// `apply` decides new / unchanged / conflicting with the import's `Keys`, as a session does: a record the
/// batch repeats with the same content counts as unchanged, with another content as a conflict.
#[tokio::test]
async fn a_record_the_batch_repeats_is_unchanged_or_a_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        let mut repeated = batch.clone();
        repeated.records.receipts.push(batch.records.receipts[0].clone());
        let outcome = store.apply(&repeated, "repeated").await.unwrap();
        assert_eq!((outcome.added, outcome.unchanged), (batch.records.len(), 1), "{backend}");
        let mut differing = batch.clone();
        let mut other = batch.records.receipts[0].clone();
        other.amount += Fen(1);
        differing.records.receipts.push(other);
        match store.apply(&differing, "differing").await {
            Err(StoreError::Conflicts(message)) => assert!(message.contains(&batch.records.receipts[0].voucher_no), "{backend}: {message}"),
            other => panic!("{backend}: expected a conflict, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn unknown_units_and_years_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    for (backend, store) in stores(tmp.path()).await {
        assert!(matches!(store.books("NOPE", 2020).await, Err(StoreError::UnknownUnit(_))), "{backend}");
        store.apply(&demo_batch(), "demo").await.unwrap();
        assert!(matches!(store.books("430102-KX", 2019).await, Err(StoreError::UnknownYear { year: 2019, .. })), "{backend}");
        assert!(store.records("NOPE").await.unwrap().is_empty(), "{backend}");
    }
}

#[tokio::test]
async fn urls_other_than_sqlite_and_postgres_are_refused() {
    assert!(matches!(Store::open("mysql://x").await, Err(StoreError::UnsupportedUrl(_))));
}

fn unit_in(code: &str, department: Option<&str>, bureau: Option<&str>) -> Batch {
    let mut batch = demo_batch();
    batch.unit.code = code.into();
    batch.unit.department_code = department.map(Into::into);
    batch.unit.bureau_code = bureau.map(Into::into);
    batch.unit.bureau_name = bureau.map(|b| format!("{b}财政局"));
    batch
}

#[tokio::test]
async fn the_hierarchy_is_stored_and_scopes_select_by_it() {
    use jixiao_core::consolidated::UnitExecution;
    use jixiao_store::consolidate::Scope;
    let tmp = tempfile::tempdir().unwrap();
    for (backend, store) in stores(tmp.path()).await {
        let a = unit_in("A", Some("D1"), Some("CZ"));
        store.apply(&a, "a").await.unwrap();
        store.apply(&unit_in("B", Some("D2"), Some("CZ")), "b").await.unwrap();
        store.apply(&unit_in("C", None, None), "c").await.unwrap();
        assert_eq!(store.unit("A").await.unwrap().as_ref(), Some(&a.unit), "{backend}: the profile round-trips with its hierarchy");
        let codes = |units: Vec<jixiao_core::UnitProfile>| units.into_iter().map(|u| u.code).collect::<Vec<_>>();
        assert_eq!(codes(store.directory(&Scope::Department("D1".into())).await.unwrap()), ["A"], "{backend}");
        assert_eq!(codes(store.directory(&Scope::Region(Some("CZ".into()))).await.unwrap()), ["A", "B"], "{backend}");
        assert_eq!(codes(store.directory(&Scope::Region(None)).await.unwrap()), ["A", "B", "C"], "{backend}");
        let totals = store.execution_totals(&Scope::Region(Some("CZ".into())), 2020).await.unwrap();
        let books = store.books("A", 2020).await.unwrap();
        assert_eq!(totals.keys().collect::<Vec<_>>(), ["A", "B"], "{backend}");
        assert_eq!(totals["A"], UnitExecution::of_books(&books), "{backend}: aggregate SQL equals the per-unit sums");
        assert_eq!(
            (totals["A"].annual.wan_yuan_string(), totals["A"].spent.wan_yuan_string()),
            ("242.96".into(), "211.33".into()),
            "{backend}"
        );
        assert!(store.execution_totals(&Scope::Region(Some("CZ".into())), 2019).await.unwrap().is_empty(), "{backend}");
        // The profile, hierarchy included, is fixed once stored.
        match store.apply(&unit_in("A", Some("D2"), Some("CZ")), "moved").await {
            Err(StoreError::Conflicts(m)) => assert!(m.contains("基本信息"), "{backend}: {m}"),
            other => panic!("{backend}: expected a conflict, got {other:?}"),
        }
    }
}

/// A few record kinds of a whole scope, one statement per kind, equal each unit's books' records of those kinds:
/// what the 财政局's monitoring list reads instead of every unit's books.
#[tokio::test]
async fn scope_records_equal_each_units_records_of_those_kinds() {
    use jixiao_core::monitoring::{STATUS_KINDS, status};
    use jixiao_core::records::MonitoringNote;
    use jixiao_store::consolidate::Scope;
    let tmp = tempfile::tempdir().unwrap();
    for (backend, store) in stores(tmp.path()).await {
        let mut a = unit_in("A", Some("D1"), Some("CZ"));
        let note = |code: &str, project: Option<&str>| MonitoringNote {
            monitor_code: code.into(),
            year: 2020,
            date: jixiao_core::Date::parse("2020-06-30").unwrap(),
            project_code: project.map(Into::into),
            indicator_code: None,
            deviation_reason: Some("进度偏慢".into()),
            corrective_action: None,
            expected_amount: Some(Fen(100)),
            expected_value: None,
            likelihood: None,
            recorder: None,
        };
        let project = a.records.projects[0].project_code.clone();
        a.records.monitoring_notes = vec![note("JK1", None), note("JK2", Some(&project))];
        store.apply(&a, "a").await.unwrap();
        store.apply(&unit_in("B", Some("D2"), Some("CZ")), "b").await.unwrap();
        store.apply(&unit_in("C", None, None), "c").await.unwrap();
        let scope = Scope::Region(Some("CZ".into()));
        let scoped = store.scope_records(&scope, 2020, &STATUS_KINDS).await.unwrap();
        assert_eq!(scoped.keys().collect::<Vec<_>>(), ["A", "B"], "{backend}");
        for code in ["A", "B"] {
            let books = store.books(code, 2020).await.unwrap();
            for kind in STATUS_KINDS {
                assert_eq!(scoped[code].rows(kind.id()), books.records.rows(kind.id()), "{backend} {code} {}", kind.id());
            }
            assert_eq!(status(2020, &scoped[code]), status(2020, &books.records), "{backend} {code}");
        }
        assert_eq!(scoped["A"].monitoring_notes.len(), 2, "{backend}");
        assert!(status(2020, &scoped["A"]).projects_covered > 0, "{backend}");
        assert!(store.scope_records(&scope, 2019, &STATUS_KINDS).await.unwrap().is_empty(), "{backend}");
    }
}

/// A database created before schema version 3 (already at 1, 2 and 4) gets the hierarchy columns on opening,
/// and a unit stored then still matches its unit.toml: a profile without hierarchy fingerprints as before.
#[tokio::test]
async fn a_database_from_before_version_3_is_upgraded_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let admin = std::env::var("JIXIAO_TEST_PG_URL").ok();
    let mut urls = vec![(format!("sqlite://{}/old.db?mode=rwc", tmp.path().display()), "sqlite")];
    if let Some(admin) = &admin {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(admin).await.unwrap();
        let name = format!("jixiao_old_{}", std::process::id());
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&pool).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
        urls.push((format!("{}/{name}", admin.rsplit_once('/').unwrap().0), "postgres"));
    }
    for (url, dir) in urls {
        // The migrations as released before version 3.
        let old = tmp.path().join(format!("old-{dir}"));
        std::fs::create_dir_all(&old).unwrap();
        for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir)).unwrap() {
            let e = e.unwrap();
            if !e.file_name().to_string_lossy().starts_with("0003") {
                std::fs::copy(e.path(), old.join(e.file_name())).unwrap();
            }
        }
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&pool).await.unwrap();
        // The unit as the store of version 2 wrote it: the fingerprint of the profile's fields of that time.
        let batch = demo_batch();
        let u = &batch.unit;
        let old_profile = serde_json::json!({ "code": u.code, "name": u.name, "region_code": u.region_code, "parent_department": u.parent_department, "duties": u.duties, "offices": u.offices });
        let hash = jixiao_core::schema::fingerprint(old_profile.as_object().unwrap());
        sqlx::query("INSERT INTO unit (code, name, region_code, parent_department, content_hash) VALUES ($1, $2, $3, $4, $5)")
            .bind(u.code.clone())
            .bind(u.name.clone())
            .bind(u.region_code.clone())
            .bind(u.parent_department.clone())
            .bind(hash)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let store = Store::open(&url).await.unwrap();
        let stored = store.unit(&u.code).await.unwrap().unwrap();
        assert_eq!((stored.department_code, stored.bureau_code, stored.bureau_name), (None, None, None), "{dir}");
        // Importing the same unit.toml again is no conflict: the records go in beside the old profile.
        let outcome = store.apply(&batch, "after upgrade").await.unwrap();
        assert_eq!(outcome.added, batch.records.len(), "{dir}");
        assert_eq!(build(&store.books(&u.code, 2020).await.unwrap(), None).spending.execution_rate.text, "86.98%", "{dir}");
    }
}

#[tokio::test]
async fn a_batch_keeps_who_entered_it() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        store.apply(&batch, "examples/furong-kexie-2020").await.unwrap();
        let mut voucher = batch.records.expenditures[0].clone();
        voucher.voucher_no = "WEB-1".into();
        let entered =
            Batch { unit: batch.unit.clone(), years: vec![], records: RecordSet { expenditures: vec![voucher], ..RecordSet::default() } };
        store.apply_entered_by(&entered, "网页录入：clerk", "clerk").await.unwrap();
        assert_eq!(store.entered_by("430102-KX", "expenditures", 2020, "WEB-1").await.unwrap().as_deref(), Some("clerk"), "{backend}");
        assert_eq!(
            store.entered_by("430102-KX", "expenditures", 2020, "ZC2020-001").await.unwrap().as_deref(),
            Some("examples/furong-kexie-2020"),
            "{backend}: a file import names its source"
        );
        assert_eq!(store.entered_by("430102-KX", "expenditures", 2020, "NOPE").await.unwrap(), None, "{backend}");
    }
}

/// The controls sample carries every record kind of schema version 5: it must read back as written.
#[tokio::test]
async fn the_controls_sample_round_trips_every_version_5_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/controls-sample");
    let batch = jixiao_import::read(&dir).unwrap().validate(&RecordSet::default(), &[]).unwrap();
    for kind in jixiao_core::schema::record_kinds().iter().filter(|k| k.since == 5) {
        assert!(!batch.records.rows(&kind.id).is_empty(), "the sample has {}", kind.id);
    }
    for (backend, store) in stores(tmp.path()).await {
        let first = store.apply(&batch, "controls-sample").await.unwrap();
        assert_eq!(first.added, batch.records.len(), "{backend}");
        assert_eq!(store.records(&batch.unit.code).await.unwrap(), batch.records, "{backend}: records read back as written");
    }
}

mod month_totals {
    //! The line-month totals kept by `apply` equal the totals recomputed from the stored vouchers, after any
    //! sequence of imports (new vouchers, adjustments, reversals, re-imports, conflicting imports that fail).

    use super::*;
    use jixiao_core::Date;
    use jixiao_core::books::{month_totals, procurement_totals};
    use jixiao_core::records::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    /// One step: an import of new vouchers, a re-import of an earlier import, or an import that must fail.
    #[derive(Debug, Clone)]
    enum Step {
        /// (line, month 0–12 where 0 is the prior December, amount in 分, procurement 0–2 where 0 is none) per
        /// expenditure; (line, kind, month, amount) per budget voucher; which earlier expenditures to reverse
        /// (indexes, modulo).
        Import {
            spend: Vec<(usize, u32, i64, usize)>,
            budget: Vec<(usize, usize, u32, i64)>,
            reverse: Vec<usize>,
        },
        Again(usize),
        Conflicting(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            6 => (
                prop::collection::vec((0..4usize, 0..=12u32, 1..5_000_000i64, 0..3usize), 0..6),
                prop::collection::vec((0..4usize, 0..5usize, 0..=12u32, 1..50_000_000i64), 0..4),
                prop::collection::vec(any::<usize>(), 0..3),
            )
                .prop_map(|(spend, budget, reverse)| Step::Import { spend, budget, reverse }),
            1 => any::<usize>().prop_map(Step::Again),
            1 => any::<usize>().prop_map(Step::Conflicting),
        ]
    }

    fn date(month: u32) -> Date {
        if month == 0 { Date::new(2019, 12, 28).unwrap() } else { Date::new(2020, month, 15).unwrap() }
    }

    fn expenditure(no: String, line: usize, month: u32, amount: i64, procurement: Option<String>, reverses: Option<String>) -> Expenditure {
        Expenditure {
            voucher_no: no,
            year: 2020,
            date: date(month),
            line_code: format!("L{line}"),
            amount: Fen(amount),
            payee: "某公司".into(),
            purpose: "用途".into(),
            procurement_ref: procurement,
            reverses,
            recorded_by: None,
            note: None,
        }
    }

    /// The batches the steps import, in order, with whether each must be refused. Line L3 is never declared:
    /// vouchers of unknown lines are totalled too (the books check reports them).
    fn batches(unit: &str, steps: &[Step]) -> Vec<(Batch, bool)> {
        let profile = UnitProfile {
            code: unit.into(),
            name: "性质测试单位".into(),
            region_code: "430102".into(),
            parent_department: "测试".into(),
            ..UnitProfile::default()
        };
        let years = vec![UnitYear { year: 2020, report_date: None }];
        let mut out: Vec<(Batch, bool)> = Vec::new();
        let mut accepted: Vec<Batch> = Vec::new();
        let (mut paid, mut reversed): (Vec<Expenditure>, Vec<String>) = (Vec::new(), Vec::new());
        let mut n = 0;
        for (i, s) in steps.iter().enumerate() {
            let mut records = RecordSet::default();
            if i == 0 {
                records.appropriation_lines = (0..3)
                    .map(|l| AppropriationLine {
                        line_code: format!("L{l}"),
                        year: 2020,
                        function_code: "2060101".into(),
                        economic_code: "30201".into(),
                        spending_kind: SpendingKind::Basic,
                        project_code: None,
                        fund_source: FundSource::GeneralBudget,
                        stated_annual_budget: None,
                        reported_name: None,
                        note: None,
                    })
                    .collect();
            }
            match s {
                Step::Import { spend, budget, reverse } => {
                    for &(line, kind, month, amount) in budget {
                        n += 1;
                        let kind = BudgetVoucherKind::ALL[kind];
                        let amount = if kind == BudgetVoucherKind::Transfer && amount % 2 == 0 { -amount } else { amount };
                        records.budget_vouchers.push(BudgetVoucher {
                            voucher_no: format!("BD{n}"),
                            year: 2020,
                            date: date(month),
                            line_code: format!("L{line}"),
                            kind,
                            amount: Fen(amount),
                            document: None,
                            reverses: None,
                            recorded_by: None,
                            note: None,
                            adjustment_cause: None,
                        });
                    }
                    for &(line, month, amount, procurement) in spend {
                        n += 1;
                        let procurement = (procurement > 0).then(|| format!("CG{procurement}"));
                        records.expenditures.push(expenditure(format!("ZC{n}"), line, month, amount, procurement, None));
                    }
                    for &k in reverse {
                        let open: Vec<&Expenditure> = paid.iter().filter(|e| !reversed.contains(&e.voucher_no)).collect();
                        if open.is_empty() {
                            break;
                        }
                        let e = open[k % open.len()].clone();
                        n += 1;
                        let month = e.date.month.min(12);
                        records.expenditures.push(expenditure(
                            format!("ZC{n}"),
                            e.line_code[1..].parse().unwrap(),
                            month,
                            -e.amount.0,
                            e.procurement_ref.clone(),
                            Some(e.voucher_no.clone()),
                        ));
                        reversed.push(e.voucher_no);
                    }
                    paid.extend(records.expenditures.iter().filter(|e| e.reverses.is_none()).cloned());
                    let b = Batch { unit: profile.clone(), years: years.clone(), records };
                    accepted.push(b.clone());
                    out.push((b, false));
                }
                Step::Again(k) if !accepted.is_empty() => out.push((accepted[k % accepted.len()].clone(), false)),
                Step::Conflicting(k) if !paid.is_empty() => {
                    // A new voucher beside a stored one changed: the whole import is refused.
                    let mut changed = paid[k % paid.len()].clone();
                    changed.amount += Fen(1);
                    n += 1;
                    records.expenditures = vec![expenditure(format!("ZC{n}"), 0, 6, 100, None, None), changed];
                    out.push((Batch { unit: profile.clone(), years: years.clone(), records }, true));
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn stored_month_totals_equal_recomputation_from_the_vouchers() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let stores = rt.block_on(stores(tmp.path()));
        let case = std::cell::Cell::new(0);
        let cases = std::env::var("JIXIAO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
        let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        runner
            .run(&prop::collection::vec(step(), 1..8), |steps| {
                case.set(case.get() + 1);
                let unit = format!("P{:05}", case.get());
                rt.block_on(async {
                    for (backend, store) in &stores {
                        for (k, (batch, refused)) in batches(&unit, &steps).iter().enumerate() {
                            let before = store.month_totals(&unit, 2020).await.ok();
                            let before_procurement = store.procurement_totals(&unit, 2020).await.ok();
                            let applied = store.apply(batch, "proptest").await;
                            prop_assert_eq!(applied.is_err(), *refused, "{} step {}: {:?}", backend, k, applied);
                            let stored = store.month_totals(&unit, 2020).await.unwrap();
                            let stored_procurement = store.procurement_totals(&unit, 2020).await.unwrap();
                            if *refused {
                                prop_assert_eq!(Some(&stored), before.as_ref(), "{}: a refused import changed the totals", backend);
                                prop_assert_eq!(
                                    Some(&stored_procurement),
                                    before_procurement.as_ref(),
                                    "{}: a refused import changed the procurement totals",
                                    backend
                                );
                            }
                            let books = store.books(&unit, 2020).await.unwrap();
                            let recomputed = month_totals(&books.records.budget_vouchers, &books.records.expenditures);
                            prop_assert_eq!(&stored, &recomputed, "{} after step {}", backend, k);
                            prop_assert_eq!(
                                &stored_procurement,
                                &procurement_totals(&books.records.expenditures),
                                "{} after step {}",
                                backend,
                                k
                            );
                            // Books in summary form read through the totals are the books summarized.
                            prop_assert_eq!(
                                store.books_summary(&unit, 2020).await.unwrap(),
                                books.summarize(),
                                "{} after step {}",
                                backend,
                                k
                            );
                        }
                    }
                    Ok(())
                })
            })
            .unwrap();
    }

    /// A database of schema version 8 gets its procurement totals from the payments already stored when
    /// migration 10 runs.
    #[tokio::test]
    async fn migration_10_totals_the_procurement_payments_already_stored() {
        let tmp = tempfile::tempdir().unwrap();
        let batch = demo_batch();
        for (backend, url) in common::store_urls(tmp.path()).await {
            let store = Store::open(&url).await.unwrap();
            store.apply(&batch, "demo").await.unwrap();
            let kept = store.procurement_totals(&batch.unit.code, 2020).await.unwrap();
            drop(store);
            let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
            for sql in [
                "DROP TABLE procurement_payment_total",
                "DROP INDEX expenditure_procurement",
                "DELETE FROM _sqlx_migrations WHERE version = 10",
            ] {
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
            let reopened = Store::open(&url).await.unwrap();
            let backfilled = reopened.procurement_totals(&batch.unit.code, 2020).await.unwrap();
            let books = reopened.books(&batch.unit.code, 2020).await.unwrap();
            assert_eq!(backfilled, procurement_totals(&books.records.expenditures), "{backend}");
            assert_eq!(backfilled, kept, "{backend}");
            assert!(!backfilled.is_empty(), "{backend}: the demo pays procurements");
        }
    }

    /// A database of schema version 4 gets its totals from the vouchers already stored when migration 7 runs.
    #[tokio::test]
    async fn migration_7_totals_the_vouchers_already_stored() {
        let tmp = tempfile::tempdir().unwrap();
        let batch = demo_batch();
        for (backend, url) in common::store_urls(tmp.path()).await {
            let store = Store::open(&url).await.unwrap();
            store.apply(&batch, "demo").await.unwrap();
            let kept = store.month_totals(&batch.unit.code, 2020).await.unwrap();
            drop(store);
            // Back to version 4's tables, then open again: migration 7 runs on the stored vouchers.
            let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
            for sql in ["DROP TABLE line_month_total", "DELETE FROM _sqlx_migrations WHERE version = 7"] {
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
            let reopened = Store::open(&url).await.unwrap();
            let backfilled = reopened.month_totals(&batch.unit.code, 2020).await.unwrap();
            let books = reopened.books(&batch.unit.code, 2020).await.unwrap();
            assert_eq!(backfilled, month_totals(&books.records.budget_vouchers, &books.records.expenditures), "{backend}");
            assert_eq!(backfilled, kept, "{backend}");
            assert!(backfilled.values().any(|t| t.budget.adjustments != Fen(0)) && backfilled.len() > 10, "{backend}: {backfilled:?}");
        }
    }
}

/// `jixiao codes import`: a year's official table is stored insert-only, read back whole as the latest load,
/// and loading the same content again adds nothing — on both databases.
#[tokio::test]
async fn official_code_tables_round_trip_and_the_latest_load_wins() {
    use jixiao_core::codes::{CodeStatus, OfficialRow};
    let tmp = tempfile::tempdir().unwrap();
    let rows =
        |pairs: &[(&str, &str)]| pairs.iter().map(|(c, n)| OfficialRow { code: c.to_string(), name: n.to_string() }).collect::<Vec<_>>();
    // Enough rows to need more than one INSERT chunk.
    let mut first = rows(&[("205", "教育支出"), ("20502", "普通教育")]);
    first.extend((0..3000).map(|i| OfficialRow { code: format!("2050{:03}", i), name: format!("项{i}") }));
    first.sort_by(|a, b| a.code.cmp(&b.code));
    let second = rows(&[("205", "教育支出"), ("20502", "普通教育"), ("2050201", "学前教育"), ("2050202", "小学教育")]);
    for (backend, store) in stores(tmp.path()).await {
        assert!(store.code_tables().await.unwrap().is_empty(), "{backend}");
        assert!(store.load_code_table(2031, "first.xlsx", &first).await.unwrap(), "{backend}");
        assert!(!store.load_code_table(2031, "again.xlsx", &first).await.unwrap(), "{backend}: same content adds nothing");
        let loads = store.code_tables().await.unwrap();
        assert_eq!(loads.len(), 1, "{backend}");
        assert_eq!((loads[0].year, loads[0].source_file.as_str(), loads[0].rows.len()), (2031, "first.xlsx", 3002), "{backend}");
        assert_eq!(loads[0].rows, first, "{backend}: rows read back as written, in code order");
        assert!(store.load_code_table(2031, "second.csv", &second).await.unwrap(), "{backend}");
        assert!(store.load_code_table(2024, "y2024.csv", &second).await.unwrap(), "{backend}");
        let loads = store.code_tables().await.unwrap();
        assert_eq!(
            loads.iter().map(|l| (l.year, l.source_file.as_str())).collect::<Vec<_>>(),
            vec![(2024, "y2024.csv"), (2031, "second.csv")],
            "{backend}"
        );
        let tables = loads[1].tables();
        assert!(tables.is_official(), "{backend}");
        assert_eq!(tables.function_status("2050202"), CodeStatus::Known, "{backend}");
        assert_eq!(tables.function_status("2050203"), CodeStatus::Invalid, "{backend}: strict once loaded");
        assert!(tables.edition_label().contains("second.csv"), "{backend}");
        assert_eq!(loads[1].loaded_on.len(), 10, "{backend}: {}", loads[1].loaded_on);
    }
}

/// The 自评任务 moves only from the status the caller read, keeps the stored texts, and a unit-year's state
/// (books version, task, newest event) comes in one read that follows every import and transition.
#[tokio::test]
async fn tasks_move_from_the_status_read_and_the_unit_year_state_follows() {
    use jixiao_core::workflow::TaskStatus;
    let tmp = tempfile::tempdir().unwrap();
    let batch = demo_batch();
    for (backend, store) in stores(tmp.path()).await {
        store.apply(&batch, "demo").await.unwrap();
        let version = store.books_version("430102-KX").await.unwrap();
        assert_eq!(store.unit_year_state("430102-KX", 2020).await.unwrap(), (version, None, 0), "{backend}");
        let issued = store.transition_task("430102-KX", 2020, None, TaskStatus::Issued, "财政局", None).await.unwrap();
        assert!(
            matches!(store.transition_task("430102-KX", 2020, None, TaskStatus::Issued, "财政局", None).await, Err(StoreError::Conflicts(m)) if m.contains("当前：已下达")),
            "{backend}"
        );
        let filling =
            store.transition_task("430102-KX", 2020, Some(TaskStatus::Issued), TaskStatus::Filling, "填报员", Some("开始")).await.unwrap();
        assert_eq!(filling.status, TaskStatus::Filling, "{backend}");
        let (v, task, last_event) = store.unit_year_state("430102-KX", 2020).await.unwrap();
        assert_eq!(
            (v, task.map(|t| (t.id, t.status)), last_event > 0),
            (version, Some((issued.id, TaskStatus::Filling)), true),
            "{backend}"
        );
        let events = store.task_events(issued.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| (e.from_status, e.to_status)).collect::<Vec<_>>(),
            [(None, TaskStatus::Issued), (Some(TaskStatus::Issued), TaskStatus::Filling)],
            "{backend}"
        );
        assert_eq!(store.unit_year_state("430102-KX", 2021).await.unwrap(), (version, None, 0), "{backend}: another year has no task");
        let mut voucher = batch.records.expenditures[0].clone();
        voucher.voucher_no = "WEB-1".into();
        store
            .apply(
                &Batch {
                    unit: batch.unit.clone(),
                    years: vec![],
                    records: RecordSet { expenditures: vec![voucher], ..RecordSet::default() },
                },
                "web",
            )
            .await
            .unwrap();
        assert!(store.unit_year_state("430102-KX", 2020).await.unwrap().0 > version, "{backend}: an import changes the books version");
    }
}
