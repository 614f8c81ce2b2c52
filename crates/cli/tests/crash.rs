//! Crash safety: `jixiao import` is killed with SIGKILL at random points, again and again, and after every kill
//! the database must hold each import wholly or not at all, the hash chain must verify, the consolidated
//! aggregates (SQL) must equal their recomputation from the books, and running the import again must complete
//! it exactly once (a further run adds nothing).
//!
//! 200 kills on SQLite and 20 on PostgreSQL (when JIXIAO_TEST_PG_URL is set) by default; more with
//! JIXIAO_CRASH_KILLS / JIXIAO_CRASH_KILLS_PG. JIXIAO_CRASH_SEED repeats a run (the seed is printed).
//! The web application is killed the same way while it writes a voucher entered through its API.

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
    let tally = kill_imports(&mut steps, target, &mut rng, &mut |round| {
        format!("sqlite://{}", tmp.path().join(format!("crash-{round}.db")).display())
    });
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

/// A raw HTTP/1.1 request to 127.0.0.1:`port` (the test needs nothing more than this); returns head and body.
fn http(port: u16, path: &str, headers: &[(&str, &str)], body: &str) -> std::io::Result<(String, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    s.write_all(request.as_bytes())?;
    let mut response = String::new();
    s.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Ok((head.to_string(), body.to_string()))
}

/// `jixiao serve` on a free port, signed in through the API: the process, the port, the cookie and CSRF token.
fn serve(db: &str) -> (std::process::Child, u16, String, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["--db", db, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("JIXIAO_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (head, body) = http(port, "/api/login", &[], r#"{"username":"admin","password":"Jixiao-test-7319-pw"}"#).unwrap();
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = serde_json::from_str::<serde_json::Value>(&body).unwrap()["csrf_token"].as_str().unwrap().to_string();
    (child, port, cookie, csrf)
}

/// The web application killed while a voucher entered through its API is being written: afterwards the
/// voucher is wholly there or not at all, the chain verifies, and entering it again stores it exactly once.
/// 20 kills by default; JIXIAO_CRASH_WEB_KILLS for more.
#[test]
fn the_web_application_killed_during_a_write_leaves_the_voucher_whole_or_absent() {
    let seed = env_number("JIXIAO_CRASH_SEED", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs());
    eprintln!("web crash harness seed {seed}");
    let mut rng = Rng::new(seed);
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("web.db").display());
    assert!(import(&db, &demo_dir()).output().unwrap().status.success());
    exits(jixiao(&db, &["user", "add", "admin", "--role", "unit_admin", "--unit", "430102-KX", "--password", "Jixiao-test-7319-pw"]), 0);
    let rt = runtime();
    let target = env_number("JIXIAO_CRASH_WEB_KILLS", 20);
    let voucher = |n: u64| {
        format!(
            r#"{{"voucher_no":"WEB-{n}","date":"2020-12-01","line_code":"ZB2020-17","amount":"0.50","payee":"某公司","purpose":"崩溃测试"}}"#
        )
    };
    let path = "/api/units/430102-KX/2020/expenditures";
    let (mut kills, mut present_after_kill, mut whole) = (0u64, 0u64, Duration::from_millis(50));
    let started = Instant::now();
    while kills < target {
        let before = rt.block_on(state_after_crash(&db, true));
        let (mut server, port, cookie, csrf) = serve(&db);
        let body = voucher(kills);
        let delay = rng.range(0, whole.as_micros() as i64 * 12 / 10);
        let request = std::thread::spawn(move || http(port, path, &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)], &body));
        std::thread::sleep(Duration::from_micros(delay as u64));
        server.kill().unwrap();
        server.wait().unwrap();
        let _ = request.join();
        kills += 1;
        let now = rt.block_on(state_after_crash(&db, true));
        let grew: Vec<_> = before.iter().zip(&now).filter(|(a, b)| a != b).map(|(a, b)| (a.0.as_str(), b.1 - a.1)).collect();
        assert!(grew.is_empty() || grew == [("expenditure", 1), ("chain_head", 1)], "a killed write left {grew:?}");
        present_after_kill += u64::from(!grew.is_empty());
        // Enter it again, unkilled: it is then stored exactly once.
        let (mut server, port, cookie, csrf) = serve(&db);
        let t = Instant::now();
        let (head, _) = http(port, path, &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)], &voucher(kills - 1)).unwrap();
        whole = t.elapsed();
        server.kill().unwrap();
        server.wait().unwrap();
        // Created; or, when the killed write had committed, refused as a duplicate of itself.
        assert!(head.starts_with("HTTP/1.1 201") || !grew.is_empty(), "{head}");
        let after = rt.block_on(state_after_crash(&db, true));
        let grew: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).map(|(a, b)| (a.0.as_str(), b.1 - a.1)).collect();
        assert_eq!(grew, [("expenditure", 1), ("chain_head", 1)], "the voucher is stored exactly once");
    }
    eprintln!("web: {kills} kills survived ({present_after_kill} after the write committed) in {:.1} s", started.elapsed().as_secs_f64());
}
