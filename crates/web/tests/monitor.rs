//! 绩效运行监控 on the web: a unit's 预算绩效运行监控表 as of a chosen date (default today, clamped into the
//! year), downloadable in every format; the 财政局's list of which units of its area have done their
//! monitoring, moving from 未开展 to 部分完成 to 已完成 as the unit uploads 绩效监控记录; another district sees
//! neither. Requests go straight to the router.

#[allow(dead_code)]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jixiao_web::SharedState;
use tower::ServiceExt;

const UNIT: &str = "/units/430102-KX/2020";

async fn sign_in(state: &SharedState, username: &str) -> (String, String) {
    let response = jixiao_web::router(state.clone())
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
    let (_, csrf) = state.store.session_user(cookie.split_once('=').unwrap().1).await.unwrap().unwrap();
    (cookie, csrf)
}

/// Status, Content-Disposition and body of a GET.
async fn get(state: &SharedState, uri: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
    let response = jixiao_web::router(state.clone())
        .oneshot(Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let disposition = response.headers().get(header::CONTENT_DISPOSITION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, disposition, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

async fn page(state: &SharedState, uri: &str, cookie: &str) -> (StatusCode, String) {
    let (status, _, body) = get(state, uri, cookie).await;
    (status, String::from_utf8(body).unwrap())
}

async fn upload(state: &SharedState, (cookie, csrf): &(String, String), name: &str, content: &str) -> (StatusCode, String) {
    let boundary = "----jixiao-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    let request = Request::post(format!("{UNIT}/import"))
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let response = jixiao_web::router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).to_string())
}

#[tokio::test]
async fn the_unit_downloads_its_monitoring_table_as_of_a_date() {
    let (state, dir) = common::demo_state().await;
    let (cookie, _) = sign_in(&state, "reviewer").await;
    let (status, html) = page(&state, &format!("{UNIT}/monitor?as_of=2020-06-30"), &cookie).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // 6 ÷ 12, and the unit's 1 999 600.00 元 budget against 699 150.00 元 paid to 30 June.
    assert!(html.contains(r#"id="time-progress">50.00%"#) && html.contains(r#"id="unit-rate">34.96%"#), "{html}");
    assert!(html.contains(r#"id="monitoring-status">未开展"#));
    for (format, magic) in
        [("md", &b"# "[..]), ("html", b"<!DOCTYPE html>"), ("docx", b"PK\x03\x04"), ("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF-")]
    {
        let uri = format!("{UNIT}/monitor.{format}?as_of=2020-06-30");
        assert!(html.contains(&uri), "the page links {uri}");
        let (status, disposition, body) = get(&state, &uri, &cookie).await;
        assert_eq!(status, StatusCode::OK, "{format}");
        assert!(body.starts_with(magic), "{format} starts with its signature");
        assert!(disposition.ends_with(&format!(".{format}")) && disposition.contains("2020-06-30"), "{format}: {disposition}");
        if format == "md" {
            let md = String::from_utf8(body.clone()).unwrap();
            assert!(md.contains("| 部门整体（合计） | 196.96 | 199.96 | 69.92 | 34.96% | -15.04 |"), "{md}");
        }
        if format == "pdf" {
            let file = dir.path().join("monitor.pdf");
            std::fs::write(&file, &body).unwrap();
            let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
            let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<String>();
            assert!(text.contains("预算绩效运行监控表") && text.contains("34.96%"), "{}", &text[..text.len().min(300)]);
        }
    }
    // Without a date: today, clamped into 2020 — the year's last day, 12 ÷ 12.
    let (status, html) = page(&state, &format!("{UNIT}/monitor"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"value="2020-12-31""#) && html.contains(r#"id="time-progress">100.00%"#), "{html}");
    // A date outside the year is clamped too; a date that is none is refused in Chinese.
    let (_, html) = page(&state, &format!("{UNIT}/monitor?as_of=2019-05-01"), &cookie).await;
    assert!(html.contains(r#"value="2020-01-01""#) && html.contains(r#"id="time-progress">0.00%"#));
    let (status, html) = page(&state, &format!("{UNIT}/monitor?as_of=2020-13-01"), &cookie).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("不是有效日期"));
}

#[tokio::test]
async fn the_bureau_sees_which_units_have_done_their_monitoring() {
    let (state, _dir) = common::demo_state().await;
    let bureau = sign_in(&state, "bureau").await;
    let (_, units) = page(&state, "/units", &bureau.0).await;
    assert!(units.contains("/region/2020/monitoring"), "the units list links the monitoring view");
    let status_of = |html: &str| {
        html.split(r#"data-unit="430102-KX""#)
            .nth(1)
            .and_then(|r| r.split("class=\"badge").nth(1))
            .and_then(|b| b.split_once('>'))
            .map(|(_, rest)| rest.split('<').next().unwrap().to_string())
    };
    let (status, html) = page(&state, "/region/2020/monitoring", &bureau.0).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(status_of(&html).as_deref(), Some("未开展"), "{html}");
    assert!(html.contains(r#"id="monitoring-done">0"#));

    // The clerk uploads a note on the unit as a whole: 部分完成 (8 projects without one).
    let clerk = sign_in(&state, "clerk").await;
    let header = "监控编号,年度,监控日期,项目编码,指标编码,偏差原因,纠偏措施,全年预计执行数,全年预计完成值,完成目标可能性,填报人\n";
    let unit_note = "JK2020-00,2020,2020-07-05,,,科普日活动集中在下半年,9月科普日后集中支付,1990000.00,,确定能,周晓燕\n";
    let (status, body) = upload(&state, &clerk, "monitoring_notes.csv", &format!("{header}{unit_note}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, html) = page(&state, "/region/2020/monitoring", &bureau.0).await;
    assert_eq!(status_of(&html).as_deref(), Some("部分完成"), "{html}");
    // The unit's table shows what the note says, on the unit row, as of a date after it.
    let (_, _, md) = get(&state, &format!("{UNIT}/monitor.md?as_of=2020-07-31"), &bureau.0).await;
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("| 部门整体（合计） |") && md.contains("| 199.00 | 科普日活动集中在下半年 | 9月科普日后集中支付 |"), "{md}");
    // …but not as of a date before it.
    let (_, _, md) = get(&state, &format!("{UNIT}/monitor.md?as_of=2020-06-30"), &bureau.0).await;
    assert!(!String::from_utf8(md).unwrap().contains("科普日活动集中在下半年"));

    // A note on every project (one of them on an indicator of XM2020-08): 已完成.
    let mut rows = String::new();
    for n in 1..=7 {
        rows.push_str(&format!("JK2020-0{n},2020,2020-07-05,XM2020-0{n},,,,,,,周晓燕\n"));
    }
    rows.push_str("JK2020-08,2020,2020-07-05,,XM2020-08-ZB01,,,,1个,有可能,周晓燕\n");
    let (status, body) = upload(&state, &clerk, "monitoring_notes.csv", &format!("{header}{rows}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, html) = page(&state, "/region/2020/monitoring", &bureau.0).await;
    assert_eq!(status_of(&html).as_deref(), Some("已完成"), "{html}");
    assert!(html.contains(r#"id="monitoring-done">1"#) && html.contains("8/8"));

    // Another district's 财政局 lists none of this unit and cannot open its table; unit staff may not see the area view.
    state
        .store
        .create_user("other_bureau", "岳麓区财政局", &jixiao_web::auth::hash_password("demo").unwrap(), "bureau", None, Some("430104"))
        .await
        .unwrap();
    let (other, _) = sign_in(&state, "other_bureau").await;
    let (status, html) = page(&state, "/region/2020/monitoring", &other).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(r#"data-unit="430102-KX""#) && html.contains("本区没有该年度的单位账簿"), "{html}");
    assert_eq!(page(&state, &format!("{UNIT}/monitor"), &other).await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&state, &format!("{UNIT}/monitor.xlsx"), &other).await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&state, "/region/2020/monitoring", &clerk.0).await.0, StatusCode::FORBIDDEN);
}
