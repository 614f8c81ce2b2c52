//! Issue 16: the holes a security review found, each kept closed. Requests go straight to the router.

#[allow(dead_code)]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jixiao_core::schema::record_kinds;
use jixiao_web::SharedState;
use jixiao_web::auth::{Role, may_import};
use tower::ServiceExt;

const UNIT: &str = "/units/430102-KX/2020";
const API_UNIT: &str = "/api/units/430102-KX/2020";
/// A password the rule accepts.
const STRONG: &str = "预算-绩效-River-7319";

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(state: &SharedState, request: Request<Body>) -> Answer {
    let response = jixiao_web::router(state.clone()).oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
}

/// Signs in a demo user through the login form; returns the session cookie and its CSRF token.
async fn sign_in(state: &SharedState, username: &str) -> (String, String) {
    sign_in_with(state, username, "demo").await
}

async fn sign_in_with(state: &SharedState, username: &str, password: &str) -> (String, String) {
    let a = send(
        state,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("username={username}&password={password}")))
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{username} signs in: {}", a.body);
    let cookie = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let (_, csrf) = state.store.session_user(cookie.split_once('=').unwrap().1).await.unwrap().unwrap();
    (cookie, csrf)
}

async fn get(state: &SharedState, cookie: &str, uri: &str) -> Answer {
    send(state, Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

fn multipart(csrf: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----jixiao-security-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    for (name, content) in files {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
        body.extend_from_slice(content);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads files to the page (`api` false) or to `POST /api/…/import` (`api` true).
async fn upload(state: &SharedState, (cookie, csrf): &(String, String), api: bool, files: &[(&str, &[u8])]) -> Answer {
    let (content_type, body) = multipart(csrf, files);
    let uri = if api { format!("{API_UNIT}/import") } else { format!("{UNIT}/import") };
    send(
        state,
        Request::post(uri)
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// A workbook whose sheet 支出凭证 holds only A1 and XFD1048576: 5 KB that calamine's dense range made 512 GB.
fn sparse_bomb() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("支出凭证").unwrap();
    sheet.write_string(0, 0, "凭证号").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_sparse_workbook_with_a_huge_dimension_is_refused_and_the_server_lives() {
    let (state, _dir) = common::demo_state().await;
    let clerk = sign_in(&state, "clerk").await;
    let before = state.store.record_counts().await.unwrap();
    let bomb = sparse_bomb();
    assert!(bomb.len() < 10_000);
    for api in [false, true] {
        let a = upload(&state, &clerk, api, &[("bomb.xlsx", &bomb)]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("IMPORT_SHEET_TOO_LARGE") && a.body.contains("工作表「支出凭证」"), "{}", a.body);
    }
    assert_eq!(state.store.record_counts().await.unwrap(), before);
    assert_eq!(get(&state, &clerk.0, UNIT).await.status, StatusCode::OK, "still serving");
}

/// Every role × every record kind, through the upload page and the API: a kind the role may not import is
/// refused with 403 naming the kind, before the file is read; a kind it may import is read (here: refused
/// for its placeholder content, 422). The CLI is not restricted (tested in the CLI's own tests).
#[tokio::test]
async fn import_permissions_by_role_and_record_kind() {
    let (state, _dir) = common::demo_state().await;
    let mut sessions = Vec::new();
    for (username, role) in [("clerk", Role::Clerk), ("reviewer", Role::Reviewer), ("admin", Role::UnitAdmin), ("bureau", Role::Bureau)] {
        sessions.push((role, sign_in(&state, username).await));
    }
    let before = state.store.record_counts().await.unwrap();
    let (mut pairs, mut refused) = (0, 0);
    for kind in record_kinds() {
        // The kind's header and a row that does not parse: what is allowed gets as far as reading it.
        let csv = format!(
            "{}\n{}\n",
            kind.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>().join(","),
            kind.columns.iter().map(|_| "？").collect::<Vec<_>>().join(",")
        );
        for (role, session) in &sessions {
            for api in [false, true] {
                let a = upload(&state, session, api, &[(kind.file.as_str(), csv.as_bytes())]).await;
                pairs += 1;
                if may_import(*role, &kind.id) {
                    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{role:?} may import {} (api {api}): {}", kind.id, a.body);
                    assert!(a.body.contains("IMPORT_"), "{}", a.body);
                } else {
                    refused += 1;
                    assert_eq!(a.status, StatusCode::FORBIDDEN, "{role:?} may not import {} (api {api}): {}", kind.id, a.body);
                    assert!(a.body.contains(&format!("「{}」", kind.label)) && a.body.contains(role.label()), "{}", a.body);
                }
            }
        }
    }
    assert_eq!(state.store.record_counts().await.unwrap(), before, "nothing written");
    assert_eq!((pairs, refused), (record_kinds().len() * 8, record_kinds().len() * 4 + 4 * 2 * 2));
}

/// The attack itself: a clerk's valid 评分调整 naming the reviewer, in a CSV file and in a workbook sheet,
/// together with an allowed file, is refused whole and the score is unchanged.
#[tokio::test]
async fn a_clerk_cannot_forge_a_reviewers_score_override() {
    let (state, _dir) = common::demo_state().await;
    let clerk = sign_in(&state, "clerk").await;
    let score = |state: SharedState, cookie: String| async move { get(&state, &cookie, &format!("{API_UNIT}/evaluation")).await.body };
    let before = score(state.clone(), clerk.0.clone()).await;
    let forged = "调整编号,年度,指标,调整后得分,调整理由,审核人,日期\nTZ2020-901,2020,预决算信息公开性,3,审核同意,李明,2021-04-01\n";
    let disclosures = "公开编号,年度,公开内容,公开日期,公开渠道\nGK1,2020,部门预算,2020-03-20,芙蓉区人民政府门户网站\n";
    let a = upload(&state, &clerk, false, &[("disclosures.csv", disclosures.as_bytes()), ("score_overrides.csv", forged.as_bytes())]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(a.body.contains("填报员不能导入「评分调整」（score_overrides.csv）"), "{}", a.body);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("评分调整").unwrap();
    for (row, line) in forged.lines().enumerate() {
        for (col, cell) in line.split(',').enumerate() {
            sheet.write_string(row as u32, col as u16, cell).unwrap();
        }
    }
    let workbook = book.save_to_buffer().unwrap();
    let a = upload(&state, &clerk, true, &[("账套.xlsx", &workbook)]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(a.body.contains("「评分调整」"), "{}", a.body);
    assert_eq!(score(state.clone(), clerk.0.clone()).await, before);
    assert!(state.store.records("430102-KX").await.unwrap().score_overrides.is_empty());
}

/// Issue 16, finding 5: a reviewer's override reason on a line that is not over budget entered a voucher.
#[tokio::test]
async fn a_reviewer_cannot_enter_a_voucher_that_needs_no_override() {
    let (state, _dir) = common::demo_state().await;
    let a = send(
        &state,
        Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"username":"reviewer","password":"demo"}"#))
            .unwrap(),
    )
    .await;
    let cookie = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = serde_json::from_str::<serde_json::Value>(&a.body).unwrap()["csrf_token"].as_str().unwrap().to_string();
    let before = state.store.record_counts().await.unwrap();
    let voucher = serde_json::json!({ "voucher_no": "REV-1", "date": "2020-12-30", "line_code": "ZB2020-01", "amount": "1.00", "payee": "某公司", "purpose": "办公用品", "override_reason": "任意理由" });
    let a = send(
        &state,
        Request::post(format!("{API_UNIT}/expenditures"))
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(voucher.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(a.body.contains("未超出预算控制"), "{}", a.body);
    assert_eq!(state.store.record_counts().await.unwrap(), before);
}

/// The pages a signed-in user of the demo unit opens (the bureau's too), for the header and markup checks.
fn pages() -> Vec<String> {
    let mut pages: Vec<String> = ["", "/lines", "/lines/ZB2020-29", "/vouchers/new", "/projects", "/import", "/evaluation", "/report"]
        .iter()
        .map(|p| format!("{UNIT}{p}"))
        .collect();
    pages.extend(["/units".to_string(), "/region/2020".to_string()]);
    pages
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (state, _dir) = common::demo_state().await;
    let (clerk, _) = sign_in(&state, "clerk").await;
    let (bureau, _) = sign_in(&state, "bureau").await;
    let mut answers = vec![("/login".to_string(), send(&state, Request::get("/login").body(Body::empty()).unwrap()).await)];
    for page in pages() {
        let cookie = if page.starts_with("/units/") && !page.ends_with("/import") && !page.ends_with("/vouchers/new") {
            &bureau
        } else if page.starts_with("/units/") {
            &clerk
        } else {
            &bureau
        };
        answers.push((page.clone(), get(&state, cookie, &page).await));
    }
    for download in ["report.html", "report.md"] {
        answers.push((download.into(), get(&state, &clerk, &format!("{UNIT}/{download}")).await));
    }
    answers.push(("/region/2020/report.html".into(), get(&state, &bureau, "/region/2020/report.html").await));
    answers.push(("/nowhere".into(), get(&state, &clerk, "/nowhere").await));
    for (what, a) in &answers {
        assert!(a.status == StatusCode::OK || what == "/nowhere", "{what}: {} {}", a.status, a.body);
        let h = |name: &str| a.headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(h("referrer-policy"), "same-origin", "{what}");
        assert_eq!(h("cache-control"), "no-store", "{what}: pages and downloads carry the books");
        let csp = h("content-security-policy");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{what}: {csp}");
        if what.contains("report.") {
            assert!(csp.starts_with("sandbox;") && csp.contains("default-src 'none'"), "{what}: {csp}");
        } else {
            assert!(
                csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && csp.contains("object-src 'none'"),
                "{what}: {csp}"
            );
            // What the policy refuses is not in the markup either: no inline script, handler or style attribute.
            for inline in [" onsubmit=", " onclick=", " onload=", " onerror=", " style=", "<script>", "javascript:"] {
                assert!(!a.body.contains(inline), "{what} has {inline}");
            }
        }
    }
    let css = send(&state, Request::get("/static/app.css").body(Body::empty()).unwrap()).await;
    assert_eq!(css.headers["x-content-type-options"], "nosniff");
    assert!(css.headers["cache-control"].to_str().unwrap().starts_with("public"), "static files may be cached");
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_tls() {
    let (state, _dir) = common::demo_state().await;
    let login = |proto: Option<&'static str>| {
        let mut r = Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(p) = proto {
            r = r.header("x-forwarded-proto", p);
        }
        r.body(Body::from("username=clerk&password=demo")).unwrap()
    };
    let cookie = |a: &Answer| a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(!cookie(&send(&state, login(None)).await).contains("Secure"));
    assert!(cookie(&send(&state, login(Some("https"))).await).contains("Secure"));
    let secure = jixiao_web::AppState::with_options(state.store.clone(), true, true);
    assert!(cookie(&send(&secure, login(None)).await).contains("Secure"), "--secure-cookies");
}

/// Issue 16, finding 4: the voucher number ended up in an inline confirm('…'); `/`, `?`, `#` made vouchers
/// that could not be reversed. Refused at entry; the confirmation comes from app.js.
#[tokio::test]
async fn voucher_numbers_keep_to_their_character_set_at_entry() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let before = state.store.record_counts().await.unwrap();
    for no in ["Q'+alert(document.domain)+'", "ZC/1", "ZC?1", "ZC#1"] {
        let form = format!("csrf={csrf}&voucher_no={}&date=2020-12-30&line_code=ZB2020-01&amount=1.00&payee=x&purpose=y", urlencode(no));
        let a = send(
            &state,
            Request::post(format!("{UNIT}/vouchers"))
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{no}");
        assert!(a.body.contains("IMPORT_KEY_CHARS"), "{no}: {}", a.body);
    }
    assert_eq!(state.store.record_counts().await.unwrap(), before);
    let line = get(&state, &cookie, &format!("{UNIT}/lines/ZB2020-08")).await.body;
    assert!(line.contains("data-confirm=\"确认冲销凭证 ZC2020-001？") && !line.contains("onsubmit"), "{line}");
    let js = send(&state, Request::get("/static/app.js").body(Body::empty()).unwrap()).await.body;
    assert!(js.contains("dataset.confirm"));
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Issue 16, finding 8: error answers in Chinese, whoever produced them; upload names that cannot be files.
#[tokio::test]
async fn errors_are_answered_in_chinese() {
    let (state, _dir) = common::demo_state().await;
    let clerk = sign_in(&state, "clerk").await;
    let a = get(&state, &clerk.0, "/nowhere").await;
    assert!(a.status == StatusCode::NOT_FOUND && a.body.contains("页面或记录不存在"), "{}", a.body);
    let a = get(&state, &clerk.0, "/units/430102-KX/not-a-year").await;
    assert!(a.status == StatusCode::BAD_REQUEST && a.body.contains("格式不正确（例如年度须为四位数字）"), "{}", a.body);
    let a = get(&state, &clerk.0, "/api/units/430102-KX/not-a-year/summary").await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&a.body).unwrap()["error"], "地址或提交的内容格式不正确（例如年度须为四位数字）");
    for name in ["..", ".", &"长".repeat(300)] {
        let a = upload(&state, &clerk, false, &[(name, b"x")]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", a.body);
        assert!(a.body.contains("不可用") && !a.body.contains("os error"), "{}", a.body);
    }
    // Over the 20 MB upload limit.
    let big = vec![b'x'; 21 << 20];
    let a = upload(&state, &clerk, false, &[("expenditures.csv", &big)]).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.body.contains("超过大小上限") && !a.body.contains("limit"), "{}", a.body);
}

/// Issue 16, finding 8: another unit's pages answer exactly as a unit that does not exist.
#[tokio::test]
async fn a_unit_one_may_not_see_answers_as_one_that_does_not_exist() {
    let (state, _dir) = common::demo_state().await;
    jixiao_web::setup::add_user(&state.store, "other", "外区财政局", STRONG, "bureau", None, Some("430103")).await.unwrap();
    let (other, _) = sign_in_with(&state, "other", STRONG).await;
    let hidden = get(&state, &other, UNIT).await;
    let missing = get(&state, &other, "/units/999999-XX/2020").await;
    assert_eq!((hidden.status, &hidden.body), (missing.status, &missing.body));
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    // A 财政局 user needs a region.
    let e = jixiao_web::setup::add_user(&state.store, "nowhere", "某财政局", STRONG, "bureau", None, None).await.unwrap_err();
    assert!(e.to_string().contains("行政区划代码"), "{e}");
}

/// Issue 16, finding 6: the lockout was per user name, so anyone could lock any account from anywhere; and a
/// name that does not exist was answered at once. Now per (name, address), growing, and the same time either way.
#[tokio::test]
async fn sign_in_lockout_is_per_address_and_does_not_tell_which_names_exist() {
    let (state, _dir) = common::demo_state().await;
    let attempt = |address: [u8; 4], username: &'static str, password: &'static str| {
        let state = state.clone();
        async move {
            let started = std::time::Instant::now();
            let request = Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((address, 40_000))))
                .body(Body::from(format!("username={username}&password={password}")))
                .unwrap();
            let a = send(&state, request).await;
            (a.status, a.body, started.elapsed())
        }
    };
    let attacker = [10, 0, 0, 66];
    let (mut wrong, mut missing) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for _ in 0..5 {
        let (status, _, took) = attempt(attacker, "clerk", "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        wrong += took;
        let (status, body, took) = attempt(attacker, "nobody-here", "wrong").await;
        assert!(status == StatusCode::UNAUTHORIZED && body.contains("用户名或密码错误"));
        missing += took;
    }
    let ratio = missing.as_secs_f64() / wrong.as_secs_f64();
    assert!((0.5..2.0).contains(&ratio), "a missing name took {missing:?}, a wrong password {wrong:?}");
    let (status, body, _) = attempt(attacker, "clerk", "demo").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "locked from this address even with the right password");
    assert!(body.contains("登录失败次数过多，请 1 分钟后再试"), "{body}");
    let (status, _, _) = attempt([10, 0, 0, 7], "clerk", "demo").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the clerk signs in from their own desk");
}

/// Issue 16, finding 6: outside demo mode the demo password must be changed before anything else; the change
/// page keeps to the rule; every sign-in is in the audit log.
#[tokio::test]
async fn demo_passwords_must_be_changed_outside_demo_mode_and_sign_ins_are_logged() {
    let (demo, _dir) = common::demo_state().await;
    let state = jixiao_web::AppState::with_options(demo.store.clone(), false, false);
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let a = get(&state, &cookie, UNIT).await;
    assert_eq!(
        (a.status, a.headers.get(header::LOCATION).map(|v| v.to_str().unwrap())),
        (StatusCode::SEE_OTHER, Some("/account/password"))
    );
    let a = get(&state, &cookie, &format!("{API_UNIT}/summary")).await;
    assert!(a.status == StatusCode::FORBIDDEN && a.body.contains("请先修改密码"), "{}", a.body);
    let page = get(&state, &cookie, "/account/password").await;
    assert!(page.status == StatusCode::OK && page.body.contains("初始密码或过于简单"), "{}", page.body);
    let change = |current: &str, new: &str, confirm: &str| {
        let form = format!("csrf={csrf}&current={}&new={}&confirm={}", urlencode(current), urlencode(new), urlencode(confirm));
        Request::post("/account/password")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap()
    };
    for (current, new, confirm, says) in [
        ("demo", "1111", "1111", "至少 10 个字符"),
        ("demo", "password123", "password123", "太容易猜到"),
        ("wrong", STRONG, STRONG, "当前密码不正确"),
        ("demo", STRONG, "other", "不一致"),
    ] {
        let a = send(&state, change(current, new, confirm)).await;
        assert!(a.status == StatusCode::UNPROCESSABLE_ENTITY && a.body.contains(says), "{says}: {}", a.body);
    }
    let a = send(&state, change("demo", STRONG, STRONG)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let fresh = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    assert_eq!(get(&state, &fresh, UNIT).await.status, StatusCode::OK, "free to work after the change");
    assert_eq!(get(&state, &cookie, UNIT).await.status, StatusCode::SEE_OTHER, "the old session ended");
    // In demo mode the demo password is fine.
    let (reviewer, _) = sign_in(&demo, "reviewer").await;
    assert_eq!(get(&demo, &reviewer, UNIT).await.status, StatusCode::OK);
    let events: Vec<(String, String)> = state.store.login_events(0).await.unwrap().into_iter().map(|e| (e.username, e.outcome)).collect();
    let expected = [("clerk", "success"), ("clerk", "failure"), ("clerk", "password_changed"), ("reviewer", "success")];
    assert_eq!(events, expected.map(|(u, o)| (u.to_string(), o.to_string())));
}

/// Sessions are remembered between requests (AppState::session_user); one this process ends must end at once.
#[tokio::test]
async fn a_signed_out_session_is_refused_at_once() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    assert_eq!(get(&state, &cookie, UNIT).await.status, StatusCode::OK);
    let out = Request::post("/logout")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    assert_eq!(send(&state, out).await.status, StatusCode::SEE_OTHER);
    let a = get(&state, &cookie, UNIT).await;
    assert_eq!((a.status, a.headers.get(header::LOCATION).map(|v| v.to_str().unwrap())), (StatusCode::SEE_OTHER, Some("/login")));
    assert_eq!(get(&state, &cookie, &format!("{API_UNIT}/summary")).await.status, StatusCode::UNAUTHORIZED);
}
