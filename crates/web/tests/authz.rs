//! Every role against every route: who may see and do what. Requests go straight to the router.

#[allow(dead_code)]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jixiao_web::SharedState;
use tower::ServiceExt;

const UNIT: &str = "/units/430102-KX/2020";

/// Signs in through the login form; returns the session cookie and the CSRF token shown on pages.
async fn sign_in(state: &SharedState, username: &str) -> (String, String) {
    let app = jixiao_web::router(state.clone());
    let response = app
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("username={username}&password=demo")))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{username} signs in");
    let cookie = response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let token = cookie.split_once('=').unwrap().1;
    let (_, csrf) = state.store.session_user(token).await.unwrap().unwrap();
    (cookie, csrf)
}

async fn call(state: &SharedState, method: &str, uri: &str, cookie: Option<&str>, form: Option<String>) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    let body = match form {
        Some(f) => {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(f)
        }
        None => Body::empty(),
    };
    let response = jixiao_web::router(state.clone()).oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).to_string())
}

/// (method, path, roles allowed). Allowed means not 401/403; a refused role gets 403.
fn routes() -> Vec<(&'static str, String, &'static [&'static str])> {
    let all: &'static [&'static str] = &["clerk", "reviewer", "admin", "bureau"];
    let enterers: &'static [&'static str] = &["clerk", "admin"];
    vec![
        ("GET", "/units".into(), all),
        ("GET", UNIT.into(), all),
        ("GET", format!("{UNIT}/lines"), all),
        ("GET", format!("{UNIT}/lines/ZB2020-29"), all),
        ("GET", format!("{UNIT}/vouchers/new"), &["clerk", "admin", "reviewer"]),
        ("POST", format!("{UNIT}/vouchers"), enterers),
        ("POST", format!("{UNIT}/vouchers/ZC2020-001/reverse"), enterers),
        ("POST", format!("{UNIT}/vouchers/ZC2020-002/approve"), &["reviewer", "admin"]),
        ("GET", format!("{UNIT}/projects"), all),
        ("POST", format!("{UNIT}/projects/XM2020-01/indicators"), enterers),
        ("POST", format!("{UNIT}/indicators/XM2020-01-ZB04/results"), enterers),
        ("GET", format!("{UNIT}/import"), enterers),
        ("POST", format!("{UNIT}/import/answer"), enterers),
        ("GET", format!("{UNIT}/evaluation"), all),
        ("POST", format!("{UNIT}/evaluation/override"), &["reviewer"]),
        ("GET", format!("{UNIT}/report"), all),
        ("GET", format!("{UNIT}/report.md"), all),
        ("GET", format!("{UNIT}/report.html"), all),
        ("GET", format!("{UNIT}/report.docx"), all),
        ("GET", format!("{UNIT}/report.xlsx"), all),
        ("GET", format!("{UNIT}/monitor"), all),
        ("GET", format!("{UNIT}/monitor.md?as_of=2020-06-30"), all),
        ("GET", format!("{UNIT}/monitor.xlsx"), all),
        ("GET", format!("{UNIT}/report.md?kind=project&project=XM2020-02"), all),
        ("GET", format!("{UNIT}/report.md?kind=targets"), all),
        ("POST", format!("{UNIT}/task/start"), enterers),
        ("POST", format!("{UNIT}/task/approve"), &["reviewer"]),
        ("POST", format!("{UNIT}/task/issue"), &["bureau"]),
        ("GET", "/region/2020".into(), &["bureau"]),
        ("GET", "/region/2020/report.md".into(), &["bureau"]),
        ("GET", "/region/2020/monitoring".into(), &["bureau"]),
        ("GET", "/api/units".into(), all),
        ("GET", "/api/units/430102-KX/2020/summary".into(), all),
        ("GET", "/api/units/430102-KX/2020/check".into(), all),
        ("GET", "/api/units/430102-KX/2020/evaluation".into(), all),
    ]
}

#[tokio::test]
async fn every_role_against_every_route() {
    let (state, _dir) = common::demo_state().await;
    let mut sessions = Vec::new();
    for role in ["clerk", "reviewer", "admin", "bureau"] {
        sessions.push((role, sign_in(&state, role).await));
    }
    // A 财政局 of another district sees nothing of this unit.
    state
        .store
        .create_user("other_bureau", "岳麓区财政局", &jixiao_web::auth::hash_password("demo").unwrap(), "bureau", None, Some("430104"))
        .await
        .unwrap();
    let other = sign_in(&state, "other_bureau").await;
    let mut checked = 0;
    for (method, path, allowed) in routes() {
        // Without a session: pages send to /login, the API answers 401.
        let (status, _) = call(&state, method, &path, None, (method == "POST").then(String::new)).await;
        let expected = if path.starts_with("/api/") { StatusCode::UNAUTHORIZED } else { StatusCode::SEE_OTHER };
        assert_eq!(status, expected, "{method} {path} without a session");
        for (role, (cookie, csrf)) in &sessions {
            // Writes carry the CSRF token but no valid content: an allowed role gets past authorization and is
            // refused on content (422) or redirected (303) — never 401/403.
            let form = (method == "POST").then(|| format!("csrf={csrf}"));
            let (status, body) = call(&state, method, &path, Some(cookie), form).await;
            if allowed.contains(role) {
                assert!(!matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED), "{role} {method} {path}: {status} {body}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} {method} {path} should be refused: {body}");
            }
            checked += 1;
        }
        // Lists and the area view are answered for every 财政局, each with its own units (tested below).
        if path != "/units" && path != "/api/units" && !path.starts_with("/region/") {
            let form = (method == "POST").then(|| format!("csrf={}", other.1));
            let (status, _) = call(&state, method, &path, Some(&other.0), form).await;
            // Answered as a unit that does not exist (issue 16): no probing for unit codes.
            assert_eq!(status, StatusCode::NOT_FOUND, "another district's 财政局: {method} {path}");
        }
    }
    assert!(checked >= 80, "{checked} role × route pairs");
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let form = |csrf: &str| {
        format!("csrf={csrf}&voucher_no=W1&date=2020-06-01&line_code=ZB2020-17&amount=100&payee=%E6%9F%90&purpose=%E6%B5%8B%E8%AF%95")
    };
    let (status, _) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(form("wrong"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(form(&csrf))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "with the token the voucher is entered");
}

#[tokio::test]
async fn a_bad_voucher_shows_its_errors_beside_the_field_and_writes_nothing() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let before = state.store.record_counts().await.unwrap();
    let form = format!(
        "csrf={csrf}&voucher_no=W1&date=2020-02-30&line_code=ZB2020-17&amount=12%E5%85%83&payee=%E6%9F%90&purpose=%E6%B5%8B%E8%AF%95"
    );
    let (status, body) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("IMPORT_BAD_AMOUNT") && body.contains("IMPORT_BAD_DATE"), "{body}");
    assert!(body.contains("class=\"field-error\""));
    assert_eq!(state.store.record_counts().await.unwrap(), before);
}

#[tokio::test]
async fn the_workflow_runs_issue_to_approval_and_logs_each_step() {
    let (state, _dir) = common::demo_state().await;
    let (clerk, clerk_csrf) = sign_in(&state, "clerk").await;
    let (reviewer, reviewer_csrf) = sign_in(&state, "reviewer").await;
    let task = |action: &str| format!("{UNIT}/task/{action}");
    // Approving before submission is refused.
    let (status, _) = call(&state, "POST", &task("approve"), Some(&reviewer), Some(format!("csrf={reviewer_csrf}"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for (cookie, csrf, action) in [(&clerk, &clerk_csrf, "start"), (&clerk, &clerk_csrf, "submit")] {
        assert_eq!(
            call(&state, "POST", &task(action), Some(cookie), Some(format!("csrf={csrf}"))).await.0,
            StatusCode::SEE_OTHER,
            "{action}"
        );
    }
    // Entry is closed while the reviewer has it.
    let (status, body) =
        call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&clerk), Some(format!("csrf={clerk_csrf}&voucher_no=W2&amount=1"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Returning needs a comment.
    assert_eq!(
        call(&state, "POST", &task("return"), Some(&reviewer), Some(format!("csrf={reviewer_csrf}"))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        call(
            &state,
            "POST",
            &task("return"),
            Some(&reviewer),
            Some(format!("csrf={reviewer_csrf}&comment=%E8%A1%A5%E5%85%85%E6%BB%A1%E6%84%8F%E5%BA%A6%E8%B0%83%E6%9F%A5"))
        )
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    for action in ["start", "submit"] {
        assert_eq!(call(&state, "POST", &task(action), Some(&clerk), Some(format!("csrf={clerk_csrf}"))).await.0, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        call(&state, "POST", &task("approve"), Some(&reviewer), Some(format!("csrf={reviewer_csrf}"))).await.0,
        StatusCode::SEE_OTHER
    );
    let t = state.store.task("430102-KX", 2020).await.unwrap().unwrap();
    assert_eq!(t.status.id(), "approved");
    let events = state.store.task_events(t.id).await.unwrap();
    let path: Vec<&str> = events.iter().map(|e| e.to_status.id()).collect();
    assert_eq!(path, ["issued", "filling", "submitted", "returned", "filling", "submitted", "approved"]);
    assert_eq!(events[3].comment.as_deref(), Some("补充满意度调查"));
    assert!(events[6].actor.contains("李明"));
}

#[tokio::test]
async fn the_api_enters_a_voucher_with_the_csrf_header() {
    let (state, _dir) = common::demo_state().await;
    let app = jixiao_web::router(state.clone());
    let response = app
        .oneshot(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"username":"clerk","password":"demo"}"#))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let login: serde_json::Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let csrf = login["csrf_token"].as_str().unwrap();
    let post = |body: &'static str, csrf: String| {
        Request::post("/api/units/430102-KX/2020/expenditures")
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let ok = jixiao_web::router(state.clone())
        .oneshot(post(
            r#"{"voucher_no":"API-1","date":"2020-12-01","line_code":"ZB2020-17","amount":"0.50","payee":"某公司","purpose":"接口测试"}"#,
            csrf.to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::CREATED);
    let bad = jixiao_web::router(state.clone())
        .oneshot(post(r#"{"voucher_no":"API-2","line_code":"NOPE","amount":"x","payee":"某","purpose":"某"}"#, csrf.to_string()))
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = serde_json::from_slice(&bad.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(body["errors"]["amount"][0].as_str().unwrap().contains("IMPORT_BAD_AMOUNT"), "{body}");
    let no_csrf = jixiao_web::router(state.clone())
        .oneshot(post(r#"{"voucher_no":"API-3","line_code":"ZB2020-17","amount":"1","payee":"某","purpose":"某"}"#, "x".into()))
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let (status, summary) = call(&state, "GET", "/api/units/430102-KX/2020/summary", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(summary.contains("\"spent\":\"211.33\""), "0.50 元 does not move 万元 at two decimals: {summary}");
    let (status, doc) = call(&state, "GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    for path in ["/api/login", "/api/units/{code}/{year}/expenditures", "/api/units/{code}/{year}/task/{action}"] {
        assert!(doc.contains(path), "{path} in the OpenAPI document");
    }
}

#[tokio::test]
async fn sign_in_is_refused_after_five_failures_and_rotates_the_session() {
    let (state, _dir) = common::demo_state().await;
    let attempt = |password: &'static str| {
        let state = state.clone();
        async move {
            let r = jixiao_web::router(state)
                .oneshot(
                    Request::post("/login")
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(format!("username=clerk&password={password}")))
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = r.status();
            let body = String::from_utf8_lossy(&r.into_body().collect().await.unwrap().to_bytes()).to_string();
            (status, body)
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong").await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = attempt("demo").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "locked out even with the right password");
    assert!(body.contains("登录失败次数过多"));
    // Another user is not affected; signing in again ends the previous session.
    let (first, _) = sign_in(&state, "reviewer").await;
    let response = jixiao_web::router(state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::COOKIE, &first)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=reviewer&password=demo"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = call(&state, "GET", "/api/units", Some(&first), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old session token no longer works");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let big = format!("csrf={csrf}&note={}", "x".repeat(300 * 1024));
    let (status, _) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

fn multipart(csrf: &str, files: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----jixiao-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n");
    for (name, content) in files {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
}

async fn upload(state: &SharedState, cookie: &str, csrf: &str, files: &[(&str, &str)]) -> (StatusCode, String) {
    let (content_type, body) = multipart(csrf, files);
    let response = jixiao_web::router(state.clone())
        .oneshot(
            Request::post(format!("{UNIT}/import"))
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).to_string())
}

#[tokio::test]
async fn an_uploaded_csv_is_imported_whole_or_not_at_all() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let before = state.store.record_counts().await.unwrap();
    // One good row and one bad row: nothing is written, every error is listed.
    let bad = "公开编号,年度,公开内容,公开日期,公开渠道\nGK1,2020,部门预算,2020-03-20,芙蓉区人民政府门户网站\nGK2,2020,部门决算,2021-13-01,芙蓉区人民政府门户网站\n";
    let (status, body) = upload(&state, &cookie, &csrf, &[("disclosures.csv", bad)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("导入失败") && body.contains("IMPORT_BAD_DATE") && body.contains("2021-13-01"), "{body}");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "nothing written");
    // The good row alone is imported, using the unit's own unit.toml from the database.
    let good = "公开编号,年度,公开内容,公开日期,公开渠道\nGK1,2020,部门预算,2020-03-20,芙蓉区人民政府门户网站\n";
    let (status, body) = upload(&state, &cookie, &csrf, &[("disclosures.csv", good)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("导入成功：新增 1 条记录"), "{body}");
    let (status, body) = upload(&state, &cookie, &csrf, &[("disclosures.csv", good)]).await;
    assert!(status == StatusCode::OK && body.contains("新增 0 条记录"), "re-import adds nothing");
    // The evaluation sees the new evidence.
    let (_, ev) = call(&state, "GET", "/api/units/430102-KX/2020/evaluation", Some(&cookie), None).await;
    assert!(ev.contains("部门预算于2020年3月20日在芙蓉区人民政府门户网站公开"), "the disclosure is evidence");
    // A reviewer may not import.
    let (reviewer, reviewer_csrf) = sign_in(&state, "reviewer").await;
    assert_eq!(upload(&state, &reviewer, &reviewer_csrf, &[("disclosures.csv", good)]).await.0, StatusCode::FORBIDDEN);
}

/// Signs in through the API; returns the session cookie and the CSRF token.
async fn api_sign_in(state: &SharedState, username: &str) -> (String, String) {
    let response = jixiao_web::router(state.clone())
        .oneshot(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!(r#"{{"username":"{username}","password":"demo"}}"#)))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let login: serde_json::Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    (cookie, login["csrf_token"].as_str().unwrap().to_string())
}

async fn api_post(
    state: &SharedState,
    (cookie, csrf): &(String, String),
    uri: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let request = Request::post(uri)
        .header(header::COOKIE, cookie)
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = jixiao_web::router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

/// Puts the demo's ZB2020-08 (32 000.00 元 budget, 29 800.00 元 spent) under 刚性控制 and ZB2020-29 (fully spent)
/// under 预警控制, as a 指标控制设置 import would.
async fn control_demo_lines(state: &SharedState) {
    use jixiao_core::records::{Batch, ControlMode, LineControlSetting, RecordSet};
    let unit = state.store.unit("430102-KX").await.unwrap().unwrap();
    let setting = |line: &str, mode| LineControlSetting { line_code: line.into(), year: 2020, mode, tolerance_bp: None, note: None };
    let records = RecordSet {
        line_controls: vec![setting("ZB2020-08", ControlMode::Stop), setting("ZB2020-29", ControlMode::Warn)],
        ..RecordSet::default()
    };
    state.store.apply(&Batch { unit, years: vec![], records }, "test").await.unwrap();
}

#[tokio::test]
async fn the_api_stops_warns_and_takes_an_override_only_from_the_override_role() {
    let (state, _dir) = common::demo_state().await;
    control_demo_lines(&state).await;
    let uri = "/api/units/430102-KX/2020/expenditures";
    let voucher = |no: &str, line: &str, amount: &str, reason: Option<&str>| serde_json::json!({ "voucher_no": no, "date": "2020-12-30", "line_code": line, "amount": amount, "payee": "长沙市芙蓉区医疗保障事务中心", "purpose": "补缴医疗保险", "override_reason": reason });
    let clerk = api_sign_in(&state, "clerk").await;
    let (status, body) = api_post(&state, &clerk, uri, voucher("API-9", "ZB2020-08", "5000.00", None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = body["errors"]["amount"][0].as_str().unwrap();
    assert!(
        message.contains("指标「ZB2020-08」可用余额 2200.00 元")
            && message.contains("超出可用余额 2800.00 元")
            && message.contains("[BUDGET_CONTROL_STOP]"),
        "{body}"
    );
    // A clerk may not override.
    let (status, _) = api_post(&state, &clerk, uri, voucher("API-9", "ZB2020-08", "5000.00", Some("急需"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The reviewer may, with a reason; the override is kept as a record.
    let reviewer = api_sign_in(&state, "reviewer").await;
    let (status, body) =
        api_post(&state, &reviewer, uri, voucher("API-9", "ZB2020-08", "5000.00", Some("年末医保补缴，经主任办公会同意"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["controls"][0]["rule_id"], "BUDGET_CONTROL_OVERRIDDEN");
    let stored = state.store.records("430102-KX").await.unwrap();
    let o = &stored.control_overrides[0];
    assert_eq!((o.voucher_no.as_str(), o.approved_by.as_str(), o.role.as_str(), o.shortfall.0), ("API-9", "李明", "reviewer", 280_000));
    assert_eq!(o.reason, "年末医保补缴，经主任办公会同意");
    let (status, available) = call(&state, "GET", "/api/units/430102-KX/2020/lines/ZB2020-08/available", Some(&clerk.0), None).await;
    assert_eq!(status, StatusCode::OK);
    let available: serde_json::Value = serde_json::from_str(&available).unwrap();
    assert_eq!(
        (available["spent"].as_str(), available["available"].as_str(), available["mode"].as_str()),
        (Some("34800.00"), Some("-2800.00"), Some("刚性控制"))
    );
    // 预警控制 accepts and says so; the check reports it.
    let (status, body) = api_post(&state, &clerk, uri, voucher("API-10", "ZB2020-29", "1.00", None)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["controls"][0]["rule_id"], "BUDGET_CONTROL_WARN");
    assert!(body["controls"][0]["message"].as_str().unwrap().contains("超出可用余额 1.00 元"), "{body}");
    let (_, check) = call(&state, "GET", "/api/units/430102-KX/2020/check", Some(&clerk.0), None).await;
    assert!(check.contains("BUDGET_CONTROL_WARN") && check.contains("BUDGET_CONTROL_OVERRIDDEN"), "{check}");
}

#[tokio::test]
async fn the_entry_page_shows_the_available_balance_and_the_control_message() {
    let (state, _dir) = common::demo_state().await;
    control_demo_lines(&state).await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let (status, page) = call(&state, "GET", &format!("{UNIT}/vouchers/new"), Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("ZB2020-08：全年预算 32,000.00 − 已占用 0.00 − 已支出 29,800.00 = <strong>2,200.00</strong> 元（刚性控制）"),
        "{page}"
    );
    assert!(!page.contains("override_reason"), "a clerk is not offered the override");
    let form = |no: &str, line: &str, amount: &str| {
        format!("csrf={csrf}&voucher_no={no}&date=2020-12-30&line_code={line}&amount={amount}&payee=%E6%9F%90&purpose=%E6%9F%90")
    };
    let (status, page) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(form("W-1", "ZB2020-08", "5000.00"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("可用余额 2,200.00 元") && page.contains("data-rule=\"BUDGET_CONTROL_STOP\""), "{page}");
    assert!(!page.contains("[BUDGET_CONTROL_STOP]") && !page.contains(">BUDGET_CONTROL_STOP"), "the rule id is not in the text");
    let (status, page) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(form("W-2", "ZB2020-29", "1.00"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("已登记 W-2。预算控制：") && page.contains("BUDGET_CONTROL_WARN"), "{page}");
    let (admin, admin_csrf) = sign_in(&state, "admin").await;
    let (_, page) = call(&state, "GET", &format!("{UNIT}/vouchers/new"), Some(&admin), None).await;
    assert!(page.contains("override_reason"), "the unit admin is offered the override");
    let with_reason = format!(
        "csrf={admin_csrf}&voucher_no=W-1&date=2020-12-30&line_code=ZB2020-08&amount=5000.00&payee=%E6%9F%90&purpose=%E6%9F%90&override_reason=%E5%BA%94%E6%80%A5"
    );
    let (status, page) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&admin), Some(with_reason)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("BUDGET_CONTROL_OVERRIDDEN"), "{page}");
}

#[tokio::test]
async fn the_user_who_entered_a_voucher_cannot_approve_it() {
    let (state, _dir) = common::demo_state().await;
    let admin = api_sign_in(&state, "admin").await;
    let voucher = serde_json::json!({ "voucher_no": "SOD-1", "date": "2020-12-01", "line_code": "ZB2020-08", "amount": "10.00", "payee": "某", "purpose": "审核测试" });
    assert_eq!(api_post(&state, &admin, "/api/units/430102-KX/2020/expenditures", voucher).await.0, StatusCode::CREATED);
    let approve = |v: &str| format!("/api/units/430102-KX/2020/expenditures/{v}/approve");
    let (status, body) = api_post(&state, &admin, &approve("SOD-1"), serde_json::Value::Null).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("SEGREGATION_OF_DUTIES") && body.to_string().contains("不能由本人审核"), "{body}");
    let clerk = api_sign_in(&state, "clerk").await;
    assert_eq!(api_post(&state, &clerk, &approve("SOD-1"), serde_json::Value::Null).await.0, StatusCode::FORBIDDEN);
    let reviewer = api_sign_in(&state, "reviewer").await;
    let (status, body) = api_post(&state, &reviewer, &approve("SOD-1"), serde_json::Value::Null).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["entered_by"].as_str(), body["approved_by"].as_str()), (Some("admin"), Some("reviewer")));
    let (status, body) = api_post(&state, &reviewer, &approve("SOD-1"), serde_json::Value::Null).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("VOUCHER_ALREADY_APPROVED"), "{body}");
    // A voucher imported from a file may be approved by the admin; the approval names the file as its enterer.
    let (status, body) = api_post(&state, &admin, &approve("ZC2020-001"), serde_json::Value::Null).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(!body["entered_by"].as_str().unwrap().is_empty());
    let stored = state.store.records("430102-KX").await.unwrap();
    assert_eq!(stored.voucher_approvals.len(), 2);
    let (_, check) = call(&state, "GET", "/api/units/430102-KX/2020/check", Some(&clerk.0), None).await;
    assert!(!check.contains("SEGREGATION_OF_DUTIES"), "{check}");
    // The line page offers the approval to the reviewer and shows who approved.
    let (cookie, _) = sign_in(&state, "reviewer").await;
    let (_, page) = call(&state, "GET", &format!("{UNIT}/lines/ZB2020-08"), Some(&cookie), None).await;
    assert!(
        page.contains("/vouchers/ZC2020-030/approve") && page.contains("<td>李明</td>") && !page.contains("<td>reviewer</td>"),
        "who approved, by display name: {page}"
    );
}

/// The report page's downloads: each format is the document itself, named for the unit and year, and the PDF
/// carries the report's figures as text (read back with pdftotext when it is installed).
#[tokio::test]
async fn the_report_downloads_in_every_format() {
    let (state, dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "reviewer").await;
    let (status, page) = call(&state, "GET", &format!("{UNIT}/report"), Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    for (format, magic) in
        [("md", &b"# "[..]), ("html", b"<!DOCTYPE html>"), ("docx", b"PK\x03\x04"), ("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF-")]
    {
        assert!(page.contains(&format!("report.{format}")), "the report page links the {format} download");
        let request = Request::get(format!("{UNIT}/report.{format}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
        let response = jixiao_web::router(state.clone()).oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        let disposition = response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().to_string();
        assert!(disposition.ends_with(&format!(".{format}")) && disposition.contains("2020"), "{format}: {disposition}");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert!(bytes.starts_with(magic), "{format} starts with its signature");
        if format == "pdf" {
            let file = dir.path().join("report.pdf");
            std::fs::write(&file, &bytes).unwrap();
            if let Ok(out) = std::process::Command::new("pdftotext").arg(&file).arg("-").output() {
                let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<String>();
                assert!(text.contains("芙蓉区科学技术协会") && text.contains("242.96"), "the PDF's text: {}", &text[..text.len().min(300)]);
            }
        }
    }
    let (status, _) = call(&state, "GET", &format!("{UNIT}/report.exe"), Some(&cookie), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The other report kinds from the report page: each project's 项目支出绩效自评报告 and next year's
/// 绩效目标申报表, in the formats of `jixiao report --kind`, named for what they are; an unknown project or kind is
/// not found, and the monitoring table is sent to its own downloads.
#[tokio::test]
async fn the_project_reports_and_the_target_draft_download_from_the_report_page() {
    let (state, dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "clerk").await;
    let (_, page) = call(&state, "GET", &format!("{UNIT}/report"), Some(&cookie), None).await;
    for link in
        ["report.docx?kind=targets", "report.pdf?kind=project&amp;project=XM2020-02", "report.docx?kind=project&amp;project=XM2020-08"]
    {
        assert!(page.contains(link), "the report page links {link}");
    }
    for (query, format, magic, name) in [
        ("kind=project&project=XM2020-02", "md", &b"# "[..], "2020年度全国科普日活动经费项目支出绩效自评报告"),
        ("kind=project&project=XM2020-02", "docx", b"PK\x03\x04", "2020年度全国科普日活动经费项目支出绩效自评报告"),
        ("kind=targets", "html", b"<!DOCTYPE html>", "2021年度绩效目标申报表（草稿）"),
        ("kind=targets", "pdf", b"%PDF-", "2021年度绩效目标申报表（草稿）"),
    ] {
        let request = Request::get(format!("{UNIT}/report.{format}?{query}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
        let response = jixiao_web::router(state.clone()).oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{query} {format}");
        let disposition = response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().to_string();
        let encoded: String = name
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        assert!(disposition.contains(&encoded) && disposition.ends_with(&format!(".{format}")), "{query} {format}: {disposition}");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert!(bytes.starts_with(magic), "{query} {format} starts with its signature");
        if format == "pdf" {
            let file = dir.path().join("targets.pdf");
            std::fs::write(&file, &bytes).unwrap();
            if let Ok(out) = std::process::Command::new("pdftotext").arg(&file).arg("-").output() {
                let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<String>();
                assert!(text.contains("项目支出绩效目标申报表") && text.contains("老科协经费"), "the PDF's text");
            }
        }
    }
    for (query, expected) in
        [("kind=project&project=XM9", StatusCode::NOT_FOUND), ("kind=nothing", StatusCode::NOT_FOUND), ("kind=targets&x=1", StatusCode::OK)]
    {
        let (status, _) = call(&state, "GET", &format!("{UNIT}/report.md?{query}"), Some(&cookie), None).await;
        assert_eq!(status, expected, "{query}");
    }
    let response = jixiao_web::router(state.clone())
        .oneshot(
            Request::get(format!("{UNIT}/report.md?kind=monitor&as_of=2020-06-30"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the monitoring table has its own downloads");
    assert_eq!(response.headers()[header::LOCATION], format!("{UNIT}/monitor.md?as_of=2020-06-30").as_str());
    let (status, _) = call(&state, "GET", &format!("{UNIT}/report.xlsx?kind=targets"), Some(&cookie), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the workbook is the department's only");
}

/// A measured value recorded after the indicator was set (指标完成登记), on the page and through the API:
/// the indicator row stays as imported, the result stands beside it and reaches the evaluation.
#[tokio::test]
async fn indicator_results_are_recorded_on_the_page_and_through_the_api() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let (_, before) = call(&state, "GET", "/api/units/430102-KX/2020/evaluation", Some(&cookie), None).await;
    assert!(before.contains("项目满意度指标也没有实际完成值"), "the demo has no satisfaction actuals");

    let path = format!("{UNIT}/indicators/XM2020-01-ZB04/results");
    let (status, page) = call(&state, "POST", &path, Some(&cookie), Some(format!("csrf={csrf}&actual=&evidence=x"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an empty 实际完成值 is refused");
    assert!(
        page.contains("未登记") && page.contains("实际完成值：") && !page.contains("[IMPORT_REQUIRED"),
        "the error is shown beside the form, in Chinese"
    );
    let form = format!("csrf={csrf}&actual=96&evidence=%E9%97%AE%E5%8D%B7%E8%B0%83%E6%9F%A5%E8%A1%A8");
    let (status, _) = call(&state, "POST", &path, Some(&cookie), Some(form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = call(&state, "GET", &format!("{UNIT}/projects"), Some(&cookie), None).await;
    assert!(page.contains("问卷调查表"), "the evidence is shown with the indicator");

    let api = |indicator: &str, body: &'static str| {
        Request::post(format!("/api/units/430102-KX/2020/indicators/{indicator}/results"))
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let created =
        jixiao_web::router(state.clone()).oneshot(api("XM2020-03-ZB04", r#"{"actual":"92","evidence":"会员问卷"}"#)).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let unknown = jixiao_web::router(state.clone()).oneshot(api("XM9-ZB01", r#"{"actual":"92"}"#)).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let records = state.store.records("430102-KX").await.unwrap();
    assert_eq!(records.indicator_results.len(), 2);
    assert!(
        records.project_indicators.iter().find(|i| i.indicator_code == "XM2020-01-ZB04").unwrap().actual.is_none(),
        "the indicator row is not edited"
    );
    let (_, after) = call(&state, "GET", "/api/units/430102-KX/2020/evaluation", Some(&cookie), None).await;
    assert!(!after.contains("项目满意度指标也没有实际完成值"), "the satisfaction indicator is now measured");
    assert!(after.contains("\"actual\":\"96\""), "the project evaluation shows the recorded value");
}

/// The 财政局's consolidated view of its area: the units it may see, with execution, score and rank; another
/// district's 财政局 gets its own (empty) area, and the unit's own staff are refused.
#[tokio::test]
async fn the_bureau_sees_its_area_consolidated() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "bureau").await;
    let (status, units) = call(&state, "GET", "/units", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(units.contains("/region/2020"), "the units list links the area view");
    let (status, page) = call(&state, "GET", "/region/2020", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("/region/2020/report.html"));
    let (status, md) = call(&state, "GET", "/region/2020/report.md", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK, "{md}");
    let (_, summary) = call(&state, "GET", "/api/units/430102-KX/2020/evaluation", Some(&cookie), None).await;
    let total: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert!(md.contains("芙蓉区科学技术协会") && md.contains("242.96") && md.contains("211.33"), "{md}");
    assert!(
        md.contains(total["total"].as_str().map(str::to_string).unwrap_or_else(|| total["total"].to_string()).as_str()),
        "the unit's score as evaluated: {}",
        total["total"]
    );

    state
        .store
        .create_user("other_bureau", "岳麓区财政局", &jixiao_web::auth::hash_password("demo").unwrap(), "bureau", None, Some("430104"))
        .await
        .unwrap();
    let (other, _) = sign_in(&state, "other_bureau").await;
    let (status, md) = call(&state, "GET", "/region/2020/report.md", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!md.contains("芙蓉区科学技术协会"), "another district sees none of this unit: {md}");
}

#[tokio::test]
async fn the_api_records_commitments_that_reserve_and_cancellations_that_release() {
    let (state, _dir) = common::demo_state().await;
    control_demo_lines(&state).await;
    let clerk = api_sign_in(&state, "clerk").await;
    let commitments = "/api/units/430102-KX/2020/commitments";
    let commitment = |no: &str, amount: &str, reverses: Option<&str>| serde_json::json!({ "commitment_no": no, "date": "2020-12-01", "line_code": "ZB2020-08", "kind": "合同", "amount": amount, "reverses": reverses });
    // ZB2020-08 (刚性控制) has 2 200.00 元 available: a 2 000.00 元 contract fits, a second one does not.
    let (status, body) = api_post(&state, &clerk, commitments, commitment("ZY-1", "2000.00", None)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = api_post(&state, &clerk, commitments, commitment("ZY-2", "500.00", None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["amount"][0].as_str().unwrap().contains(
            "可用余额 200.00 元（全年预算 32000.00 − 已占用 2000.00 − 已支出 29800.00），本笔占用 500.00 元，超出可用余额 300.00 元"
        ),
        "{body}"
    );
    let (_, available) = call(&state, "GET", "/api/units/430102-KX/2020/lines/ZB2020-08/available", Some(&clerk.0), None).await;
    assert!(available.contains("\"committed\":\"2000.00\"") && available.contains("\"available\":\"200.00\""), "{available}");
    // Cancelling the contract releases it.
    let (status, body) = api_post(&state, &clerk, commitments, commitment("ZY-1C", "-2000.00", Some("ZY-1"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, available) = call(&state, "GET", "/api/units/430102-KX/2020/lines/ZB2020-08/available", Some(&clerk.0), None).await;
    assert!(available.contains("\"committed\":\"0.00\"") && available.contains("\"available\":\"2200.00\""), "{available}");
}

/// The dashboard prints the 收支 identity the reports print (core `balance::fund_balances` through the report
/// model): the demo's md report has the same row (0.00, 242.96, 211.33, 0.00, 31.63).
#[tokio::test]
async fn the_dashboard_shows_the_fund_balance_the_reports_print() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "clerk").await;
    let (status, page) = call(&state, "GET", UNIT, Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"closing-balance\">31.63 "), "{page}");
    let row = |label: &str| {
        format!(
            "<tr><td>{label}</td><td class=\"num\">0.00</td><td class=\"num\">242.96</td><td class=\"num\">211.33</td><td class=\"num\">0.00</td><td class=\"num\">31.63</td></tr>"
        )
    };
    assert!(page.contains(&row("一般公共预算")) && page.contains(&row("合计")), "{page}");
}

/// Issue 20: the import counts what the CLI counts (a re-imported row is 「已存在未变」), and a file type the
/// importer does not read is refused on the import page instead of 「导入成功：新增 0 条记录」.
#[tokio::test]
async fn a_reimport_counts_unchanged_rows_and_unsupported_files_are_refused() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let good = "公开编号,年度,公开内容,公开日期,公开渠道\nGK1,2020,部门预算,2020-03-20,芙蓉区人民政府门户网站\nGK2,2020,部门决算,2020-09-20,芙蓉区人民政府门户网站\n";
    let (status, body) = upload(&state, &cookie, &csrf, &[("disclosures.csv", good)]).await;
    assert!(status == StatusCode::OK && body.contains("新增 2 条记录，0 条已存在未变"), "{body}");
    let (status, body) = upload(&state, &cookie, &csrf, &[("disclosures.csv", good)]).await;
    assert!(status == StatusCode::OK && body.contains("新增 0 条记录，2 条已存在未变"), "{body}");
    let before = state.store.record_counts().await.unwrap();
    for name in ["账套.xls", "说明.txt", "expenditures.CSV.bak"] {
        let (status, body) = upload(&state, &cookie, &csrf, &[(name, good)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(body.contains("不支持的文件类型") && body.contains(name) && !body.contains("导入成功"), "{name}: {body}");
    }
    let (_, body) = upload(&state, &cookie, &csrf, &[("账套.xls", good)]).await;
    assert!(body.contains("另存为 .xlsx"), "an old workbook is told how to convert it");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "nothing written");
}

/// Issue 20: unknown addresses and a year that is not a number answer a Chinese page with a way back.
#[tokio::test]
async fn unknown_addresses_and_bad_parameters_answer_a_chinese_page_with_a_way_back() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "clerk").await;
    for (uri, status) in [
        ("/no-such-page", StatusCode::NOT_FOUND),
        ("/units/430102-KX/2020x", StatusCode::BAD_REQUEST),
        ("/units/430102-KX/二〇二〇/lines", StatusCode::BAD_REQUEST),
        ("/units/430102-KX/2020/lines/NO-SUCH-LINE", StatusCode::NOT_FOUND),
    ] {
        let (got, body) = call(&state, "GET", uri, Some(&cookie), None).await;
        assert_eq!(got, status, "{uri}");
        assert!(body.contains("出错了") && body.contains("返回首页") && body.contains("返回上一页"), "{uri}: {body}");
        assert!(!body.contains("Invalid URL") && !body.contains("Cannot parse"), "{uri}: {body}");
    }
    let (_, body) = call(&state, "GET", "/units/430102-KX/2020x", Some(&cookie), None).await;
    assert!(body.contains("年度须为四位数字"), "{body}");
}

/// Issue 20: a server failure (here the database losing a table under the running application) answers a
/// Chinese page with a way back and an incident number, never the database's own message; the API the same in
/// JSON.
#[tokio::test]
async fn a_server_failure_answers_a_chinese_page_with_an_incident_number_and_no_internals() {
    let (state, dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "clerk").await;
    // Another program breaks the database: the unit-year pages read the 采购 records.
    let url = format!("sqlite://{}/web.db", dir.path().display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
    sqlx::query("DROP TABLE procurement_quote").execute(&mut conn).await.unwrap();
    let (status, body) = call(&state, "GET", UNIT, Some(&cookie), None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(body.contains("出错了") && body.contains("返回首页") && body.contains("返回上一页"), "{body}");
    assert!(body.contains("服务器内部错误（事件编号 ") && body.contains("系统管理员"), "{body}");
    for internal in ["procurement_quote", "no such table", "SELECT", "sqlite", "数据库错误"] {
        assert!(!body.contains(internal), "the page shows the server's inside ({internal}): {body}");
    }
    let (status, body) = call(&state, "GET", "/api/units/430102-KX/2020/check", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(body.contains("事件编号") && !body.contains("procurement_quote"), "{body}");
}

/// Issue 20: the approver column shows the reviewer's display name; amounts in 元 have thousands separators;
/// the task log has date and time; rule ids are not in the dashboard's text (only in tooltips).
#[tokio::test]
async fn pages_show_display_names_grouped_amounts_and_times() {
    let (state, _dir) = common::demo_state().await;
    let (reviewer, reviewer_csrf) = sign_in(&state, "reviewer").await;
    let (status, _) =
        call(&state, "POST", &format!("{UNIT}/vouchers/ZC2020-002/approve"), Some(&reviewer), Some(format!("csrf={reviewer_csrf}"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let line = state.store.expenditures_with("430102-KX", 2020, "voucher_no", "ZC2020-002").await.unwrap()[0].line_code.clone();
    let (_, body) = call(&state, "GET", &format!("{UNIT}/lines/{line}"), Some(&reviewer), None).await;
    assert!(body.contains("<td>李明</td>") && !body.contains("<td>reviewer</td>"), "approver by display name");
    let grouped = regex_like_grouped(&body);
    assert!(grouped, "an amount of 1,000 元 or more with a thousands separator: {body}");
    let (_, body) = call(&state, "GET", UNIT, Some(&reviewer), None).await;
    let log = body.split("id=\"task-log\"").nth(1).expect("task log");
    assert!(log.contains(":") && log.contains("<th>时间</th>") || log.contains("时间"), "the task log has times");
    let findings = body.split("id=\"findings\"").nth(1).expect("findings table").split("</table>").next().unwrap();
    // Outside attributes (the tooltip), no rule id.
    let text: String = findings.split('>').map(|part| part.split('<').next().unwrap_or("")).collect();
    assert!(!text.chars().collect::<String>().contains("_MISSING") && !text.contains("章节"), "{text}");
    assert!(findings.contains("title=\"规则编号 "), "the rule id is in a tooltip");
}

/// Whether the page has an amount like `12,345.67` (digits, a comma, three digits, two decimals).
fn regex_like_grouped(body: &str) -> bool {
    body.split(['>', '<', ' ']).any(|t| {
        let Some((whole, fraction)) = t.split_once('.') else { return false };
        fraction.len() == 2
            && fraction.chars().all(|c| c.is_ascii_digit())
            && whole.contains(',')
            && whole.split(',').skip(1).all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Issue 20: 审核通过 with error-level findings open needs a written reason, which the task log keeps.
#[tokio::test]
async fn approving_over_open_errors_needs_a_reason_kept_in_the_log() {
    let (state, _dir) = common::demo_state().await;
    let (reviewer, reviewer_csrf) = sign_in(&state, "reviewer").await;
    // An overspent line (the reviewer's override of a 刚性控制 stop) is an error-level finding.
    control_demo_lines(&state).await;
    let voucher = format!(
        "csrf={reviewer_csrf}&voucher_no=ZC2020-900&date=2020-12-30&line_code=ZB2020-08&amount=5000.00&payee=%E6%9F%90%E5%85%AC%E5%8F%B8&purpose=%E8%B6%85%E6%94%AF&recorded_by=%E6%9D%8E%E6%98%8E&override_reason=%E7%B4%A7%E6%80%A5%E6%94%AF%E5%87%BA"
    );
    let (status, body) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&reviewer), Some(voucher)).await;
    assert!(status == StatusCode::OK || status == StatusCode::SEE_OTHER, "{status} {body}");
    let (clerk, clerk_csrf) = sign_in(&state, "clerk").await;
    for action in ["start", "submit"] {
        assert_eq!(
            call(&state, "POST", &format!("{UNIT}/task/{action}"), Some(&clerk), Some(format!("csrf={clerk_csrf}"))).await.0,
            StatusCode::SEE_OTHER,
            "{action}"
        );
    }
    let (status, body) =
        call(&state, "POST", &format!("{UNIT}/task/approve"), Some(&reviewer), Some(format!("csrf={reviewer_csrf}"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("错误级核对问题") && body.contains("须填写理由"), "{body}");
    let (_, dashboard) = call(&state, "GET", UNIT, Some(&reviewer), None).await;
    assert!(dashboard.contains("id=\"comment-approve\""), "the approve form asks for the reason");
    let reason = "超支部分已报财政局备案";
    let form = format!("csrf={reviewer_csrf}&comment={}", reason.bytes().map(|b| format!("%{b:02X}")).collect::<String>());
    assert_eq!(call(&state, "POST", &format!("{UNIT}/task/approve"), Some(&reviewer), Some(form)).await.0, StatusCode::SEE_OTHER);
    let (_, dashboard) = call(&state, "GET", UNIT, Some(&reviewer), None).await;
    let log = dashboard.split("id=\"task-log\"").nth(1).expect("task log");
    assert!(log.contains("审核通过") && log.contains(reason), "the reason is in the task log");
}

/// Issue 20: the import page offers the unit's own template for the year, and the template uploaded again as
/// it came (profile and lines filled in) is accepted, its rows counted as unchanged.
#[tokio::test]
async fn the_units_template_downloads_and_uploads_again() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let (_, page) = call(&state, "GET", &format!("{UNIT}/import"), Some(&cookie), None).await;
    assert!(page.contains("/import/template.xlsx") && !page.contains("jixiao template"), "{page}");
    let response = jixiao_web::router(state.clone())
        .oneshot(Request::get(format!("{UNIT}/import/template.xlsx")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains(".xlsx"));
    let workbook = response.into_body().collect().await.unwrap().to_bytes();
    let sheets = jixiao_import::table::xlsx_sheet_names(&workbook, "template.xlsx").unwrap();
    assert!(sheets.iter().any(|s| s == "单位信息"), "{sheets:?}");
    // The code columns drop down the year's edition: list validations over the 代码表 sheet, headed by the year.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook.to_vec())).unwrap();
    let mut xml = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/") || name == "xl/sharedStrings.xml" {
            std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
        }
    }
    assert!(xml.contains("<dataValidation type=\"list\"") && xml.contains("代码表!$A$2:$A$"), "function-code dropdowns");
    assert!(xml.contains("2020年功能科目") && xml.contains("2020年经济科目"), "the 2020 edition's code lists");
    let lines = state.store.books("430102-KX", 2020).await.unwrap().records.appropriation_lines.len();
    let before = state.store.record_counts().await.unwrap();
    let boundary = "----jixiao-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"template.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(&workbook);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = jixiao_web::router(state.clone())
        .oneshot(
            Request::post(format!("{UNIT}/import"))
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let page = String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).to_string();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("新增 0 条记录，{lines} 条已存在未变")), "{page}");
    // No record added (the import itself is logged as a batch).
    let records = |counts: Vec<(String, i64)>| counts.into_iter().filter(|(table, _)| table != "import_batch").collect::<Vec<_>>();
    assert_eq!(records(state.store.record_counts().await.unwrap()), records(before));
}

/// Issue 20: a voucher form reports every field's error at once — the empty 收款人 and 用途 and a date that
/// does not exist (parsing) together with the negative amount (which only validation finds), each beside its
/// field. (A date outside the year is entered and reported as a finding, DATE_OUTSIDE_YEAR.)
#[tokio::test]
async fn a_voucher_form_reports_every_fields_error_at_once() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let form = format!("csrf={csrf}&voucher_no=W9&date=2020-02-30&line_code=ZB2020-29&amount=-5.00&payee=&purpose=");
    let (status, body) = call(&state, "POST", &format!("{UNIT}/vouchers"), Some(&cookie), Some(form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let field_errors = |field: &str| {
        body.split(&format!("id=\"{field}\""))
            .nth(1)
            .and_then(|rest| rest.split("</div>\n").next())
            .unwrap_or_default()
            .matches("class=\"field-error\"")
            .count()
    };
    for field in ["payee", "purpose", "date", "amount"] {
        assert!(field_errors(field) >= 1, "an error beside {field}: {body}");
    }
}

/// The unit's template for 2020 written with `edit` applied to the stored profile and years, plus one new
/// 公开记录 row (so that an import that goes ahead writes something).
async fn edited_template(
    state: &SharedState,
    edit: impl FnOnce(&mut jixiao_core::records::UnitProfile, &mut Vec<jixiao_core::records::UnitYear>),
) -> Vec<u8> {
    let mut unit = state.store.unit("430102-KX").await.unwrap().unwrap();
    let mut years = state.store.years("430102-KX").await.unwrap();
    edit(&mut unit, &mut years);
    let mut records = jixiao_core::RecordSet {
        appropriation_lines: state.store.books("430102-KX", 2020).await.unwrap().records.appropriation_lines,
        ..Default::default()
    };
    let row = serde_json::json!({ "disclosure_code": "GK-T1", "year": 2020, "kind": "budget", "date": "2020-03-20", "location": "芙蓉区人民政府门户网站" });
    records.push_row("disclosures", row.as_object().unwrap().clone()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    jixiao_import::template::write_workbook(&path, Some((&unit, &years)), &records, 2020).unwrap();
    std::fs::read(path).unwrap()
}

async fn upload_workbook(state: &SharedState, cookie: &str, csrf: &str, workbook: &[u8]) -> (StatusCode, String) {
    let boundary = "----jixiao-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"template.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(workbook);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = jixiao_web::router(state.clone())
        .oneshot(
            Request::post(format!("{UNIT}/import"))
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).to_string())
}

/// The token of the upload waiting for an answer, from the import page.
fn pending_token(page: &str) -> String {
    page.split("name=\"token\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a token on the page").to_string()
}

/// Issue 20: a re-uploaded template whose unit sheets are unchanged or left blank is imported at once.
#[tokio::test]
async fn a_template_with_unchanged_or_blank_unit_sheets_is_imported() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let workbook = edited_template(&state, |_, _| {}).await;
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &workbook).await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 1 条记录") && !page.contains("unit-differences"), "{page}");
    // 职能职责 and 内设机构 empty, the optional 单位信息 rows and the report dates blank: no conflict.
    let blank = edited_template(&state, |unit, years| {
        assert!(!unit.duties.is_empty() && !unit.offices.is_empty() && years[0].report_date.is_some(), "the demo fills what is blanked");
        unit.duties.clear();
        unit.offices.clear();
        (unit.department_code, unit.bureau_code, unit.bureau_name) = (None, None, None);
        // Required 单位信息 rows left blank: unchanged for a unit the database holds.
        (unit.name, unit.region_code, unit.parent_department) = (String::new(), String::new(), String::new());
        years.iter_mut().for_each(|y| y.report_date = None);
    })
    .await;
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &blank).await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 0 条记录") && !page.contains("unit-differences"), "{page}");
    let stored = state.store.unit("430102-KX").await.unwrap().unwrap();
    assert!(!stored.duties.is_empty() && !stored.offices.is_empty() && !stored.name.is_empty(), "the stored profile is as it was");
}

/// Issue 20: a re-uploaded template that changes the unit sheets shows each difference; cancelling writes
/// nothing, continuing imports the records under the stored profile; another session cannot use the token.
#[tokio::test]
async fn a_template_with_changed_unit_sheets_is_confirmed_or_cancelled() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let stored = state.store.unit("430102-KX").await.unwrap().unwrap();
    let changed = edited_template(&state, |unit, _| {
        unit.name = "芙蓉区科学技术协会（更名）".into();
        unit.duties[0] = "新的职能".into();
    })
    .await;
    let before = state.store.record_counts().await.unwrap();
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &changed).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let table = page.split("id=\"unit-differences\"").nth(1).expect("the differences are shown");
    assert!(table.contains(&format!("<td>单位名称</td><td>{}</td><td>芙蓉区科学技术协会（更名）</td>", stored.name)), "{table}");
    assert!(table.contains(&format!("<td>职能职责第1条</td><td>{}</td><td>新的职能</td>", stored.duties[0])), "{table}");
    assert!(!table.contains("内设机构") && !table.contains("报告日期"), "only what changed: {table}");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "nothing written while the user decides");

    // Cancelled: nothing written, and the token is spent.
    let token = pending_token(&page);
    let answer = |cookie: String, csrf: String, token: String, decision: &'static str| {
        let state = state.clone();
        async move {
            call(
                &state,
                "POST",
                &format!("{UNIT}/import/answer"),
                Some(&cookie),
                Some(format!("csrf={csrf}&token={token}&decision={decision}")),
            )
            .await
        }
    };
    let (status, page) = answer(cookie.clone(), csrf.clone(), token.clone(), "cancel").await;
    assert!(status == StatusCode::OK && page.contains("已取消导入，未写入任何记录"), "{page}");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "cancelled: nothing written");
    let (status, _) = answer(cookie.clone(), csrf.clone(), token, "continue").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a spent token");
    assert_eq!(state.store.record_counts().await.unwrap(), before);

    // Another session (the same user signed in elsewhere, and another user) cannot answer for this one.
    let (_, page) = upload_workbook(&state, &cookie, &csrf, &changed).await;
    let token = pending_token(&page);
    for other in ["clerk", "admin"] {
        let (other_cookie, other_csrf) = sign_in(&state, other).await;
        let (status, page) = answer(other_cookie, other_csrf, token.clone(), "continue").await;
        assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains("没有待确认的导入"), "{other}: {page}");
        assert_eq!(state.store.record_counts().await.unwrap(), before, "{other}: nothing written");
    }

    // Continued by its own session: the records go in, the stored profile stays.
    let (status, page) = answer(cookie.clone(), csrf.clone(), token, "continue").await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 1 条记录"), "{page}");
    assert_eq!(state.store.unit("430102-KX").await.unwrap().unwrap(), stored, "the profile is not changed");
    let disclosures = state.store.books("430102-KX", 2020).await.unwrap().records.disclosures;
    assert!(disclosures.iter().any(|d| d.disclosure_code == "GK-T1"), "the new record is imported");
}

/// Issue 20: a changed profile in a re-uploaded template is confirmed by the 单位管理员 only. The clerk sees the
/// differences without the 「确认变更并导入」 action and is refused if they post it anyway; the unit admin's
/// confirmation makes the upload's profile (its blank fields as stored) a new version from the import's year,
/// imports the records, and names the change in the import's log. The same file again adds no version.
#[tokio::test]
async fn a_changed_profile_is_confirmed_by_the_unit_admin_only_and_kept_as_a_version() {
    let (state, dir) = common::demo_state().await;
    let stored = state.store.unit("430102-KX").await.unwrap().unwrap();
    let changed = edited_template(&state, |unit, _| {
        unit.name = "芙蓉区科学技术协会（更名）".into();
        unit.duties[0] = "新的职能".into();
        unit.department_code = None; // blank: unchanged
    })
    .await;
    let before = state.store.record_counts().await.unwrap();
    let answer = |cookie: String, csrf: String, token: String, decision: &'static str| {
        let state = state.clone();
        async move {
            let form = format!("csrf={csrf}&token={token}&decision={decision}");
            call(&state, "POST", &format!("{UNIT}/import/answer"), Some(&cookie), Some(form)).await
        }
    };

    // The clerk: the differences, no confirm action, and a refused confirmation that leaves the upload waiting.
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &changed).await;
    assert!(status == StatusCode::OK && page.contains("id=\"unit-differences\""), "{page}");
    assert!(!page.contains("id=\"import-accept\"") && page.contains("id=\"import-accept-note\""), "{page}");
    let token = pending_token(&page);
    let (status, page) = answer(cookie.clone(), csrf.clone(), token.clone(), "accept").await;
    assert!(status == StatusCode::FORBIDDEN && page.contains("须由单位管理员确认"), "{status}: {page}");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "refused: nothing written");
    assert!(state.store.profile_versions("430102-KX").await.unwrap().is_empty());
    let (status, page) = answer(cookie, csrf, token, "cancel").await;
    assert!(status == StatusCode::OK && page.contains("已取消导入"), "the upload still waited: {page}");

    // The unit admin confirms: version 2 from 2020, the records imported.
    let (cookie, csrf) = sign_in(&state, "admin").await;
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &changed).await;
    assert!(status == StatusCode::OK && page.contains("id=\"import-accept\"") && page.contains("确认变更并导入"), "{page}");
    let (status, page) = answer(cookie.clone(), csrf.clone(), pending_token(&page), "accept").await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 1 条记录"), "{page}");
    let versions = state.store.profile_versions("430102-KX").await.unwrap();
    let summary: Vec<_> = versions.iter().map(|v| (v.version, v.valid_from_year, v.entered_by.clone())).collect();
    assert_eq!(summary, [(1, 2020, None), (2, 2020, Some("admin".to_string()))]);
    assert_eq!(versions[0].profile, stored, "version 1 is the profile as registered");
    let expected = jixiao_core::records::UnitProfile {
        name: "芙蓉区科学技术协会（更名）".into(),
        duties: std::iter::once("新的职能".to_string()).chain(stored.duties[1..].iter().cloned()).collect(),
        ..stored.clone()
    };
    assert_eq!(versions[1].profile, expected, "the upload's profile, its blank 主管部门编码 as stored");
    assert_eq!(state.store.books("430102-KX", 2020).await.unwrap().unit, expected, "2020 now reads version 2");
    let (_, home) = call(&state, "GET", UNIT, Some(&cookie), None).await;
    assert!(home.contains("芙蓉区科学技术协会（更名）"), "the unit's pages show the new name");

    // The import's log names the change.
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().connect(&format!("sqlite://{}/web.db", dir.path().display())).await.unwrap();
    let source: String = sqlx::query_scalar("SELECT source FROM import_batch ORDER BY id DESC LIMIT 1").fetch_one(&pool).await.unwrap();
    assert!(source.contains("确认单位信息变更：单位名称、职能职责第1条") && source.contains("单位信息变更为第 2 版"), "{source}");
    pool.close().await;

    // The same file again: no difference left, imported at once, no new version.
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &changed).await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 0 条记录") && !page.contains("unit-differences"), "{page}");
    assert_eq!(state.store.profile_versions("430102-KX").await.unwrap().len(), 2, "one version per change");
}

/// Issue 20: the 财政局's region report is titled by the signed-in bureau (not by one unit's 财政局名称), and a
/// page a role may not open answers 403 with a Chinese page and a way back.
#[tokio::test]
async fn the_bureau_reads_its_own_name_and_a_refused_page_is_chinese_with_a_way_back() {
    let (state, _dir) = common::demo_state().await;
    state
        .store
        .create_user("other_bureau", "岳麓区财政局 赵敏", &jixiao_web::auth::hash_password("demo").unwrap(), "bureau", None, Some("430104"))
        .await
        .unwrap();
    for (user, name, not) in [("bureau", "芙蓉区财政局", "岳麓区财政局"), ("other_bureau", "岳麓区财政局", "芙蓉区财政局")]
    {
        let (cookie, _) = sign_in(&state, user).await;
        let (status, md) = call(&state, "GET", "/region/2020/report.md", Some(&cookie), None).await;
        assert!(status == StatusCode::OK && md.contains(name) && !md.contains(not), "{user}: {md}");
    }
    let (cookie, _) = sign_in(&state, "clerk").await;
    let (status, body) = call(&state, "GET", "/region/2020", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("出错了") && body.contains("返回首页") && body.contains("返回上一页"), "{body}");
    assert!(!body.contains("Forbidden"), "{body}");
}

/// Issue 20: after a confirmed rename from 2021, the 2020 pages keep the 2020 name, and the 2020 template and
/// CSV files uploaded on the 2020 pages go in under the 2020 profile, with no difference to decide.
#[tokio::test]
async fn after_a_rename_from_2021_the_2020_pages_and_uploads_keep_the_2020_profile() {
    let (state, _dir) = common::demo_state().await;
    let old = state.store.unit("430102-KX").await.unwrap().unwrap();
    let renamed = jixiao_core::records::UnitProfile { name: "长沙市芙蓉区科学技术协会".into(), ..old.clone() };
    let year_2021 = vec![jixiao_core::records::UnitYear { year: 2021, report_date: None }];
    let source = jixiao_import::Source { label: "2021".into(), unit: renamed.clone(), years: year_2021, rows: Vec::new() };
    let change = jixiao_store::ProfileChange { entered_by: "admin".into(), reason: "更名".into() };
    let options = jixiao_store::ImportOptions { profile_change: Some(&change), ..Default::default() };
    let checked = state.store.import(&jixiao_import::Streamed::held(source), "2021", None, options, &|_| {}, &[]).await.unwrap().unwrap();
    checked.commit().await.unwrap();
    assert_eq!(state.store.unit("430102-KX").await.unwrap().unwrap().name, renamed.name);

    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let (_, page) = call(&state, "GET", &format!("{UNIT}/report"), Some(&cookie), None).await;
    assert!(page.contains(&old.name), "the 2020 report page: {page}");
    let response = jixiao_web::router(state.clone())
        .oneshot(Request::get(format!("{UNIT}/import/template.xlsx")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let workbook = response.into_body().collect().await.unwrap().to_bytes();
    let (status, page) = upload_workbook(&state, &cookie, &csrf, &workbook).await;
    assert!(status == StatusCode::OK && page.contains("导入成功") && !page.contains("unit-differences"), "{page}");
    let csv = "公开编号,年度,公开内容,公开日期,公开渠道\nGK9,2020,部门预算,2020-03-20,芙蓉区人民政府门户网站\n";
    let (status, page) = upload(&state, &cookie, &csrf, &[("disclosures.csv", csv)]).await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 1 条记录"), "{page}");
    assert_eq!(state.store.profile_versions("430102-KX").await.unwrap().len(), 2, "no version added by the 2020 uploads");
    assert_eq!(state.store.books("430102-KX", 2020).await.unwrap().unit, old);
}

/// Issue 20: an uploaded CSV's unknown 指标编号 is reported in the same table as its cells that do not parse.
#[tokio::test]
async fn an_unknown_line_is_reported_with_the_other_errors_of_the_upload() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let before = state.store.record_counts().await.unwrap();
    let csv = "凭证号,年度,日期,指标编号,金额,收款人,用途,采购编号,冲销凭证号,经办人,备注\n\
               ZC2020-901,2020,2020-13-01,ZB2020-08,100.00,某公司,办公用品,,,周晓燕,\n\
               ZC2020-902,2020,2020-05-01,ZB2020-99,100.00,某公司,办公用品,,,周晓燕,\n";
    let (status, body) = upload(&state, &cookie, &csrf, &[("expenditures.csv", csv)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let table = body.split("id=\"import-errors\"").nth(1).expect("the error table");
    assert!(table.contains("2020-13-01") && table.contains("IMPORT_BAD_DATE"), "{table}");
    assert!(table.contains("ZB2020-99") && table.contains("IMPORT_UNKNOWN_LINE"), "{table}");
    assert!(body.contains("共 2 处错误"), "{body}");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "nothing written");
}

/// Issue 20: CSV files with a unit.toml are compared the same way: its blank lists are no conflict, a changed
/// 主管部门 is shown for the user to decide, and nothing is written meanwhile.
#[tokio::test]
async fn an_uploaded_unit_toml_is_compared_with_the_stored_profile() {
    let (state, _dir) = common::demo_state().await;
    let (cookie, csrf) = sign_in(&state, "clerk").await;
    let stored = state.store.unit("430102-KX").await.unwrap().unwrap();
    let toml = |parent: &str| {
        format!(
            "code = \"430102-KX\"\nname = \"{}\"\nregion_code = \"430102\"\nparent_department = \"{parent}\"\n[[years]]\nyear = 2020\n",
            stored.name
        )
    };
    let csv = "公开编号,年度,公开内容,公开日期,公开渠道\nGK9,2020,部门预算,2020-03-20,芙蓉区人民政府门户网站\n";
    let before = state.store.record_counts().await.unwrap();
    let (status, page) = upload(&state, &cookie, &csrf, &[("unit.toml", &toml("长沙市芙蓉区教育局")), ("disclosures.csv", csv)]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("<td>主管部门</td><td>{}</td><td>长沙市芙蓉区教育局</td>", stored.parent_department)), "{page}");
    assert_eq!(state.store.record_counts().await.unwrap(), before, "nothing written while the user decides");
    // The same file with the registered 主管部门 (and no 职能职责 or 内设机构): imported at once.
    let (status, page) = upload(&state, &cookie, &csrf, &[("unit.toml", &toml(&stored.parent_department)), ("disclosures.csv", csv)]).await;
    assert!(status == StatusCode::OK && page.contains("导入成功：新增 1 条记录") && !page.contains("unit-differences"), "{page}");
}
