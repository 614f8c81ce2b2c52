//! Session expiry and period close through the web application and its API.

#[allow(dead_code)]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jixiao_web::auth::{SESSION_COOKIE, SESSION_SECONDS};
use tower::ServiceExt;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A session that ran out is refused by the server whatever the browser still sends: pages go to /login,
/// the API answers 401; the same token with time left is accepted.
#[tokio::test]
async fn an_expired_session_is_refused_by_pages_and_api() {
    let (state, _dir) = common::demo_state().await;
    let clerk = state.store.users().await.unwrap().into_iter().find(|u| u.role == "clerk").unwrap();
    state.store.create_session("expired-token", clerk.id, "csrf-x", now() - 1).await.unwrap();
    state.store.create_session("fresh-token", clerk.id, "csrf-y", now() + SESSION_SECONDS).await.unwrap();
    let get = |uri: &'static str, token: &'static str| {
        let state = state.clone();
        async move {
            let request = Request::get(uri).header(header::COOKIE, format!("{SESSION_COOKIE}={token}")).body(Body::empty()).unwrap();
            jixiao_web::router(state).oneshot(request).await.unwrap()
        }
    };
    let page = get("/units", "expired-token").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers().get(header::LOCATION).unwrap(), "/login");
    assert_eq!(get("/api/units", "expired-token").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get("/units", "fresh-token").await.status(), StatusCode::OK);
    assert_eq!(state.store.session_user("expired-token").await.unwrap(), None);
}

/// A voucher entered through the API into a closed month is refused with the rule id and nothing is written;
/// in an open month it is accepted.
#[tokio::test]
async fn the_api_refuses_a_voucher_in_a_closed_month() {
    let (state, _dir) = common::demo_state().await;
    state.store.close_period(None, jixiao_core::period::Period::Month(2020, 12)).await.unwrap();
    let clerk = state.store.users().await.unwrap().into_iter().find(|u| u.role == "clerk").unwrap();
    state.store.create_session("clerk-token", clerk.id, "csrf-c", now() + SESSION_SECONDS).await.unwrap();
    let post = |body: &'static str| {
        let state = state.clone();
        async move {
            let request = Request::post("/api/units/430102-KX/2020/expenditures")
                .header(header::COOKIE, format!("{SESSION_COOKIE}=clerk-token"))
                .header("x-csrf-token", "csrf-c")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            let response = jixiao_web::router(state).oneshot(request).await.unwrap();
            let status = response.status();
            (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).to_string())
        }
    };
    let before = state.store.chain_head().await.unwrap();
    let (status, body) = post(
        r#"{"voucher_no":"API-C1","date":"2020-12-01","line_code":"ZB2020-17","amount":"0.50","payee":"某公司","purpose":"结账后补录"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("period-closed") && body.contains("API-C1"), "{body}");
    assert_eq!(state.store.chain_head().await.unwrap(), before, "nothing written");
    let (status, body) = post(
        r#"{"voucher_no":"API-C2","date":"2020-11-30","line_code":"ZB2020-17","amount":"0.50","payee":"某公司","purpose":"十一月补录"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(state.store.chain_head().await.unwrap().0, before.0 + 1);
    assert!(state.store.verify_chain().await.unwrap().problems.is_empty());
}
