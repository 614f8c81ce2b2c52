//! `jixiao verify` (tamper evidence) and `jixiao close` (period close), end to end on SQLite and PostgreSQL.

mod common;
use common::*;

#[test]
fn verify_prints_the_head_and_names_the_first_altered_record() {
    let tmp = tempfile::tempdir().unwrap();
    for db in databases(tmp.path(), "verify") {
        exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0);
        let out = exits(jixiao(&db, &["verify"]), 0);
        assert!(out.contains("哈希链完好：234 条记录"), "{out}");
        let head = out.trim().rsplit(' ').next().unwrap().to_string();
        assert_eq!(head.len(), 64, "{out}");

        // A second unit later: the earlier head is still a prefix of the chain.
        let other = tmp.path().join("other");
        copy_dir(&demo_dir(), &other);
        let unit = std::fs::read_to_string(other.join("unit.toml")).unwrap().replace("430102-KX", "430102-KY");
        std::fs::write(other.join("unit.toml"), unit).unwrap();
        exits(jixiao(&db, &["import", other.to_str().unwrap()]), 0);
        exits(jixiao(&db, &["verify", "--expect-head", &head]), 0);
        let unknown = exits(jixiao(&db, &["verify", "--expect-head", &"1".repeat(64)]), 1);
        assert!(unknown.contains("chain-head-missing"), "{unknown}");

        assert_eq!(
            sql(
                &db,
                "UPDATE expenditure SET amount = amount - 100 WHERE voucher_no = 'ZC2020-003' AND unit_id = (SELECT id FROM unit WHERE code = '430102-KX')"
            ),
            1
        );
        let broken = exits(jixiao(&db, &["verify"]), 1);
        assert!(
            broken.contains("第一处：") && broken.contains("支出凭证「ZC2020-003」，2020年度") && broken.contains("记录内容与入链时不符"),
            "{db}: {broken}"
        );
        assert!(broken.contains("共 1 处"), "one altered record is one problem: {broken}");
    }
}

/// A new voucher for the demo unit, as a one-file import directory beside the demo's other files.
fn with_voucher(tmp: &std::path::Path, name: &str, line: &str) -> std::path::PathBuf {
    let dir = tmp.join(name);
    copy_dir(&demo_dir(), &dir);
    let path = dir.join("expenditures.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(line);
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    dir
}

#[test]
fn a_closed_month_refuses_new_records_and_corrections_are_reversals_in_an_open_month() {
    let tmp = tempfile::tempdir().unwrap();
    let june = with_voucher(tmp.path(), "june", "ZC2020-901,2020,2020-06-15,ZB2020-10,100.00,某公司,六月补录,,,,");
    let backdated = with_voucher(
        tmp.path(),
        "backdated",
        "ZC2020-902,2020,2020-06-30,ZB2020-24,-62000.00,获奖科技工作者（附发放明细）,冲销,,ZC2020-013,,",
    );
    let corrected = with_voucher(
        tmp.path(),
        "corrected",
        "ZC2020-903,2020,2020-07-01,ZB2020-24,-62000.00,获奖科技工作者（附发放明细）,冲销六月误付奖励金,,ZC2020-013,,",
    );
    for db in databases(tmp.path(), "close") {
        exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0);
        let closed = exits(jixiao(&db, &["close", "--month", "2020-06"]), 0);
        assert!(closed.contains("已结账：2020年6月（全部单位）"), "{closed}");
        assert!(exits(jixiao(&db, &["close", "--month", "2020-06"]), 0).contains("此前已结账"));
        let before = chain_length(&db);

        let refused = jixiao(&db, &["import", june.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&refused.stderr).to_string();
        assert_eq!(refused.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("支出凭证「ZC2020-901」（日期 2020-06-15）属已结账的2020年6月") && stderr.contains("[period-closed]"),
            "{stderr}"
        );
        assert!(stderr.contains("冲销凭证"), "the error says how to correct: {stderr}");
        assert_eq!(chain_length(&db), before, "nothing written");

        // Re-importing what is already stored (June's vouchers among it) stays possible: nothing new.
        assert!(exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0).contains("新增 0 条记录"));
        // A reversal dated in the closed month is refused; dated in an open month it is the correction.
        let refused = jixiao(&db, &["import", backdated.to_str().unwrap()]);
        assert!(String::from_utf8_lossy(&refused.stderr).contains("ZC2020-902"), "{}", String::from_utf8_lossy(&refused.stderr));
        assert!(exits(jixiao(&db, &["import", corrected.to_str().unwrap()]), 0).contains("新增 1 条记录"));
        assert_eq!(chain_length(&db), before + 1);
        let check = exits(jixiao(&db, &["check", "--year", "2020"]), 0);
        assert!(check.contains("错误 0 项"), "{check}");
    }
}

#[test]
fn a_closed_year_refuses_its_records_dated_or_not_and_periods_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let december = with_voucher(tmp.path(), "december", "ZC2020-904,2020,2020-12-31,ZB2020-10,100.00,某公司,年末补录,,,,");
    let line = tmp.path().join("line");
    copy_dir(&demo_dir(), &line);
    let path = line.join("appropriation_lines.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let last = text.lines().last().unwrap().replacen("ZB2020-29", "ZB2020-99", 1);
    std::fs::write(&path, format!("{text}{last}\n")).unwrap();
    for db in databases(tmp.path(), "closeyear") {
        exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0);
        let bad = jixiao(&db, &["close", "--month", "2020-13"]);
        assert_eq!(bad.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&bad.stderr).contains("[period-format]"));
        let unknown = jixiao(&db, &["close", "--year", "2020", "--unit", "NOPE"]);
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有单位「NOPE」"));
        exits(jixiao(&db, &["close", "--year", "2020", "--unit", "430102-KX"]), 0);
        assert_eq!(exits(jixiao(&db, &["close"]), 0), "2020\t430102-KX\n");
        for (dir, expected) in [
            (&december, "支出凭证「ZC2020-904」（日期 2020-12-31）属已结账的2020年度"),
            (&line, "「ZB2020-99」（2020年度）属已结账的2020年度"),
        ] {
            let refused = jixiao(&db, &["import", dir.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&refused.stderr);
            assert!(refused.status.code() == Some(1) && stderr.contains(expected), "{db}: {stderr}");
        }
        exits(jixiao(&db, &["verify"]), 0);
    }
}

/// Outside demo mode, `serve` starts only once an administrator (单位管理员 or 财政局) exists.
#[test]
fn serve_refuses_to_start_without_an_administrator() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("serve.db").display());
    exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0);
    let refused = |db: &str| {
        let out = jixiao(db, &["serve", "--addr", "127.0.0.1:0"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("还没有管理员"), "{}", String::from_utf8_lossy(&out.stderr));
    };
    refused(&db);
    exits(jixiao(&db, &["user", "add", "c1", "--role", "clerk", "--unit", "430102-KX", "--password", "Jixiao-test-7319-pw"]), 0);
    refused(&db);
    exits(jixiao(&db, &["user", "add", "a1", "--role", "unit_admin", "--unit", "430102-KX", "--password", "Jixiao-test-7319-pw"]), 0);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["--db", &db, "serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(line.contains("jixiao 已启动"), "{line}");
}

/// `backup` writes a verified copy; `restore` refuses to overwrite data without --force, refuses a tampered
/// backup, and brings back exactly what was backed up (same record counts, same chain head).
#[test]
fn backup_and_restore_round_trip_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other");
    copy_dir(&demo_dir(), &other);
    let unit = std::fs::read_to_string(other.join("unit.toml")).unwrap().replace("430102-KX", "430102-KZ");
    std::fs::write(other.join("unit.toml"), unit).unwrap();
    for (n, db) in databases(tmp.path(), "backup").into_iter().enumerate() {
        let file = tmp.path().join(format!("backup-{n}.bak"));
        exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0);
        let head = exits(jixiao(&db, &["verify"]), 0);
        let done = exits(jixiao(&db, &["backup", "--to", file.to_str().unwrap()]), 0);
        assert!(done.contains("并已校验") && done.contains("234 条记录，哈希链完好"), "{done}");
        let again = jixiao(&db, &["backup", "--to", file.to_str().unwrap()]);
        assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"), "a backup never overwrites a file");

        exits(jixiao(&db, &["import", other.to_str().unwrap()]), 0);
        assert_eq!(chain_length(&db), 468);
        let refused = jixiao(&db, &["restore", "--from", file.to_str().unwrap()]);
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"), "{}", String::from_utf8_lossy(&refused.stderr));
        assert_eq!(chain_length(&db), 468, "nothing restored without --force");
        let restored = exits(jixiao(&db, &["restore", "--from", file.to_str().unwrap(), "--force"]), 0);
        assert!(restored.contains("234 条记录"), "{restored}");
        assert_eq!(exits(jixiao(&db, &["verify"]), 0), head, "the same chain head as when backed up");
        assert_eq!(exits(jixiao(&db, &["units"]), 0), "430102-KX\t芙蓉区科学技术协会\n");
        // The restored books are whole: the import of the second unit goes in again.
        assert!(exits(jixiao(&db, &["import", other.to_str().unwrap()]), 0).contains("新增 234 条记录"));
    }
    // A backup file altered after it was written is refused, and the target is left as it was.
    let db = format!("sqlite://{}", tmp.path().join("fresh.db").display());
    let file = tmp.path().join("backup-0.bak");
    sql(&format!("sqlite://{}", file.display()), "UPDATE expenditure SET payee = '他人' WHERE voucher_no = 'ZC2020-001'");
    let refused = jixiao(&db, &["restore", "--from", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(refused.status.code() == Some(1) && stderr.contains("chain-broken") && stderr.contains("支出凭证「ZC2020-001」"), "{stderr}");
    assert_eq!(chain_length(&db), 0);
}

/// Issue 16: `user add` keeps to the password rule and gives 财政局 users a region; the web application's
/// sign-ins are logged and `jixiao audit --since` lists them.
#[test]
fn user_rules_and_the_sign_in_audit() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("audit.db").display());
    exits(jixiao(&db, &["import", demo_dir().to_str().unwrap()]), 0);
    let out = jixiao(&db, &["user", "add", "c1", "--role", "clerk", "--unit", "430102-KX", "--password", "1111"]);
    assert!(out.status.code() == Some(1) && String::from_utf8_lossy(&out.stderr).contains("密码至少 10 个字符"));
    let out = jixiao(&db, &["user", "add", "c1", "--role", "clerk", "--unit", "430102-KX", "--password", "password123"]);
    assert!(out.status.code() == Some(1) && String::from_utf8_lossy(&out.stderr).contains("太容易猜到"));
    let out = jixiao(&db, &["user", "add", "b1", "--role", "bureau", "--password", "Jixiao-test-7319-pw"]);
    assert!(
        out.status.code() == Some(1) && String::from_utf8_lossy(&out.stderr).contains("行政区划代码"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exits(jixiao(&db, &["user", "add", "b1", "--role", "bureau", "--region", "430102", "--password", "Jixiao-test-7319-pw"]), 0);
    exits(jixiao(&db, &["user", "add", "a1", "--role", "unit_admin", "--unit", "430102-KX", "--password", "Jixiao-test-7319-pw"]), 0);
    // Two sign-ins through the API of a running server: one wrong, one right.
    use std::io::{BufRead, Read, Write};
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["--db", &db, "serve", "--addr", &addr])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    for password in ["wrong-password", "Jixiao-test-7319-pw"] {
        let body = format!(r#"{{"username":"a1","password":"{password}"}}"#);
        let mut stream = (0..100)
            .find_map(|_| {
                std::net::TcpStream::connect(&addr).ok().or_else(|| {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    None
                })
            })
            .expect("the server answers");
        write!(stream, "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let out = jixiao(&db, &["audit", "--since", "2020-01-01"]);
    exits(out.clone(), 0);
    let listed = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].contains("\ta1\t127.0.0.1\t密码错误或用户不存在") && lines[1].contains("\ta1\t127.0.0.1\t登录成功"), "{listed}");
    let out = jixiao(&db, &["audit", "--since", "2999-01-01"]);
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
}
