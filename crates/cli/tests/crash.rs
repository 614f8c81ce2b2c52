//! Crash safety: `jixiao import` is killed with SIGKILL at random points, again and again, and after every kill
//! the database must hold each import wholly or not at all, the hash chain must verify, the consolidated
//! aggregates (SQL) must equal their recomputation from the books, and running the import again must complete
//! it exactly once (a further run adds nothing).
//!
//! 200 kills on SQLite and 20 on PostgreSQL (when JIXIAO_TEST_PG_URL is set) by default; more with
//! JIXIAO_CRASH_KILLS / JIXIAO_CRASH_KILLS_PG. JIXIAO_CRASH_SEED repeats a run (the seed is printed).

mod common;

use common::*;
use jixiao_core::consolidated::UnitExecution;
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use jixiao_testdata::{Rng, bench_unit};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Row counts of the unit and record tables (not `import_batch`: a batch row is written with its records) and
/// the chain's length.
type Counts = Vec<(String, i64)>;

/// One import of the sequence: its directory, how long a whole run takes, and the counts once it is in.
struct Step {
    dir: PathBuf,
    duration: Duration,
    after: Counts,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Row counts of every table an import writes, with the chain head: a killed import that left anything
/// behind changes one of them.
async fn counts(store: &Store) -> Counts {
    let mut counts: Counts = store.record_counts().await.unwrap().into_iter().filter(|(t, _)| t != "import_batch").collect();
    counts.push(("chain_head".into(), store.chain_head().await.unwrap().0));
    counts
}

/// Opens the database as the next `jixiao` would and returns its counts; with `full`, first checks what must
/// hold after any crash: the chain verifies and the aggregate SQL equals its recomputation from the books.
async fn state_after_crash(db: &str, full: bool) -> Counts {
    let store = Store::open(db).await.unwrap();
    if full {
        let report = store.verify_chain().await.unwrap();
        assert!(report.problems.is_empty(), "{db}: the chain no longer verifies: {}", report.problems[0]);
        assert_eq!(report.length, report.records, "{db}");
        let totals = store.execution_totals(&Scope::Region(None), 2020).await.unwrap();
        for (code, _) in store.units().await.unwrap() {
            if store.years(&code).await.unwrap().iter().any(|y| y.year == 2020) {
                let books = store.books(&code, 2020).await.unwrap();
                assert_eq!(totals.get(&code), Some(&UnitExecution::of_books(&books)), "{db}: aggregate SQL vs recomputation for {code}");
            }
        }
    }
    let counts = counts(&store).await;
    store.close().await;
    counts
}

fn import(db: &str, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.arg("--db").arg(db).arg("import").arg(dir).env_remove("JIXIAO_DB").stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

/// The import sequence: the demo unit, then a generated unit of ~400 vouchers. Small, so that many kills fit in
/// CI's time; a kill lands in every phase: start-up, reading, validation, the transaction's writes, its commit.
fn steps(tmp: &Path, reference_db: &str) -> Vec<Step> {
    let mut dirs = vec![demo_dir()];
    for i in 0..1 {
        let dir = tmp.join(format!("unit-{i}"));
        bench_unit(i, 400, 2020).imports[0].write(&dir).unwrap();
        dirs.push(dir);
    }
    let rt = runtime();
    dirs.into_iter()
        .map(|dir| {
            let started = Instant::now();
            let out = import(reference_db, &dir).output().unwrap();
            let duration = started.elapsed();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let after = rt.block_on(state_after_crash(reference_db, true));
            Step { dir, duration, after }
        })
        .collect()
}

/// Kills per import before it is run to completion: bounds a round's time whatever the timing.
const KILLS_PER_STEP: u64 = 8;

/// What a series of kills showed.
#[derive(Default)]
struct Tally {
    kills: u64,
    /// Kills that came after the import had committed (the import was then found wholly present).
    after_commit: u64,
    /// Runs that ended before their kill came.
    finished_first: u64,
}

/// Runs the sequence on fresh databases from `fresh` until `target` kills have landed: each import is killed
/// up to KILLS_PER_STEP times, then run to completion, then run once more (which must add nothing).
fn kill_imports(steps: &mut [Step], target: u64, rng: &mut Rng, fresh: &mut dyn FnMut(u64) -> String) -> Tally {
    let rt = runtime();
    let mut tally = Tally::default();
    let mut round = 0;
    while tally.kills < target {
        let db = fresh(round);
        round += 1;
        let mut before = rt.block_on(state_after_crash(&db, true));
        for step in steps.iter_mut() {
            for _ in 0..KILLS_PER_STEP {
                let mut child = import(&db, &step.dir).spawn().unwrap();
                // Start-up, reading and validation take most of a run and the transaction its end, so most kills
                // aim at 60–110 % of a whole run (some runs end before the kill, and commits are hit); the rest anywhere.
                let whole = step.duration.as_micros() as i64;
                let delay = if rng.chance(70) { rng.range(whole * 6 / 10, whole * 11 / 10) } else { rng.range(0, whole) };
                std::thread::sleep(Duration::from_micros(delay as u64));
                let killed = match child.try_wait().unwrap() {
                    Some(status) => {
                        assert!(status.success(), "an import that was not killed failed: {:?}", child.wait_with_output().unwrap());
                        tally.finished_first += 1;
                        false
                    }
                    None => {
                        child.kill().unwrap();
                        child.wait().unwrap();
                        tally.kills += 1;
                        true
                    }
                };
                // The full check after every tenth kill and whenever anything changed; otherwise the database
                // is, table by table, the one fully checked before.
                let quick = rt.block_on(state_after_crash(&db, false));
                let now = if quick != before || tally.kills % 10 == 0 { rt.block_on(state_after_crash(&db, true)) } else { quick };
                assert!(
                    now == before || now == step.after,
                    "{db}: after a kill at {delay} µs into {}, the import is partly present:\n{now:?}\nbefore {before:?}\nafter {:?}",
                    step.dir.display(),
                    step.after
                );
                if now == step.after {
                    tally.after_commit += u64::from(killed);
                    break;
                }
            }
            // Run to completion (if no kill came late enough), timed to aim the next kills at this machine's pace.
            let started = Instant::now();
            let out = import(&db, &step.dir).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            step.duration = started.elapsed();
            assert_eq!(rt.block_on(state_after_crash(&db, true)), step.after, "{db}: the import completed");
            // Once in, running it again adds nothing: it was applied exactly once.
            let again = import(&db, &step.dir).output().unwrap();
            assert!(String::from_utf8_lossy(&again.stdout).contains("新增 0 条记录"), "{}", String::from_utf8_lossy(&again.stdout));
            before = step.after.clone();
        }
    }
    tally
}

fn report(backend: &str, t: &Tally, started: Instant) {
    eprintln!(
        "{backend}: {} kills survived ({} after the commit), {} runs ended before their kill, in {:.1} s",
        t.kills,
        t.after_commit,
        t.finished_first,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn imports_killed_at_random_points_are_wholly_present_or_absent_and_complete_exactly_once() {
    let seed = env_number("JIXIAO_CRASH_SEED", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs());
    eprintln!("crash harness seed {seed} (JIXIAO_CRASH_SEED={seed} repeats it)");
    let mut rng = Rng::new(seed);
    let tmp = tempfile::tempdir().unwrap();
    let mut steps = steps(tmp.path(), &format!("sqlite://{}", tmp.path().join("reference.db").display()));

    let started = Instant::now();
    let target = env_number("JIXIAO_CRASH_KILLS", 200);
    let tally = kill_imports(&mut steps, target, &mut rng, &mut |round| format!("sqlite://{}", tmp.path().join(format!("crash-{round}.db")).display()));
    report("SQLite", &tally, started);
    assert!(tally.kills >= target);

    if let Ok(admin) = std::env::var("JIXIAO_TEST_PG_URL") {
        let started = Instant::now();
        let target = env_number("JIXIAO_CRASH_KILLS_PG", 20);
        let rt = runtime();
        let pid = std::process::id();
        let tally = kill_imports(&mut steps, target, &mut rng, &mut |round| {
            rt.block_on(jixiao_testdata::harness::postgres_database(&admin, &format!("jixiao_crash_{pid}_{round}"))).unwrap()
        });
        report("PostgreSQL", &tally, started);
        assert!(tally.kills >= target);
    }
}
