//! The jixiao web application: server-rendered Chinese pages (minijinja templates, a little htmx, ECharts
//! vendored as a static file) for 填报员, 审核员, 单位管理员 and 财政局, and a JSON API with an OpenAPI
//! document. All data goes through jixiao-store; every write goes through the importer's validation.

pub mod api;
pub mod auth;
mod dashboard;
mod entry;
mod monitor;
mod pages;
pub mod setup;
mod text;
mod unit_sheets;

use auth::{CurrentUser, SESSION_COOKIE};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use jixiao_store::Store;
use minijinja::Environment;
use std::sync::Arc;

/// What is computed from a unit-year's books, by (unit code, year), with the books version it was computed at.
type UnitYearCache = std::collections::HashMap<(String, i32), (i64, Arc<pages::Computed>)>;

/// What every request handler shares.
pub struct AppState {
    pub store: Store,
    /// 演示模式: shown in the header, and the login page lists the demo users.
    pub demo: bool,
    /// `jixiao serve --secure-cookies`: the session cookie is marked `Secure` (behind TLS). It is also marked
    /// when a proxy says the request came over https (`X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
    templates: Environment<'static>,
    /// Failed sign-ins per (username, client address): (count, when the last of them happened), for the
    /// lockout with growing delays.
    pub(crate) failed_logins: std::sync::Mutex<std::collections::HashMap<(String, String), (u32, i64)>>,
    /// Users who signed in with a password the rule refuses (the demo's `demo`, an old weak one) outside
    /// demo mode: they may only change it (or sign out) until they do.
    pub(crate) must_change_password: std::sync::Mutex<std::collections::HashSet<String>>,
    /// What the pages computed per (unit, year), with the books version it was computed from.
    pub(crate) cache: std::sync::Mutex<UnitYearCache>,
    /// Re-uploads whose unit sheets differ from the stored profile, waiting for the user to continue or cancel.
    pub(crate) pending_imports: std::sync::Mutex<unit_sheets::PendingImports>,
    /// Sessions found in the store, by token: the user, the CSRF token and when they were read.
    sessions: std::sync::Mutex<std::collections::HashMap<String, RememberedSession>>,
    /// The dashboard's 自评任务 log rows per task id, with the id of the newest event they include.
    pub(crate) task_events: std::sync::Mutex<std::collections::HashMap<i64, CachedTaskLog>>,
}

/// A task's log rows as the dashboard shows them, with the id of the newest event they include.
pub(crate) type CachedTaskLog = (i64, Arc<Vec<serde_json::Value>>);

/// A session read from the store: its user, its CSRF token and when it was read.
type RememberedSession = (jixiao_store::web::UserRow, String, std::time::Instant);

/// How long a session read from the store is trusted before it is read again (see [`AppState::session_user`]).
const SESSION_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);
/// Past this many remembered sessions, those older than SESSION_RECHECK are dropped.
const MAX_REMEMBERED_SESSIONS: usize = 10_000;

pub type SharedState = Arc<AppState>;

impl AppState {
    pub fn new(store: Store, demo: bool) -> SharedState {
        AppState::with_options(store, demo, false)
    }

    pub fn with_options(store: Store, demo: bool, secure_cookies: bool) -> SharedState {
        Arc::new(AppState {
            store,
            demo,
            secure_cookies,
            templates: templates(),
            failed_logins: Default::default(),
            must_change_password: Default::default(),
            cache: Default::default(),
            pending_imports: Default::default(),
            sessions: Default::default(),
            task_events: Default::default(),
        })
    }

    /// The user of an unexpired session and the session's CSRF token. A session read from the store is
    /// trusted for SESSION_RECHECK without reading it again: that takes a database round trip off every
    /// request. Sessions this process ends (sign-out, a new sign-in, a password change) are forgotten at
    /// once; sessions ended elsewhere (`jixiao user`, another server on the same database) or expiring
    /// count for at most SESSION_RECHECK more.
    pub(crate) async fn session_user(&self, token: &str) -> Result<Option<(jixiao_store::web::UserRow, String)>, jixiao_store::StoreError> {
        let remembered = self
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(token)
            .filter(|(_, _, at)| at.elapsed() < SESSION_RECHECK)
            .map(|(row, csrf, _)| (row.clone(), csrf.clone()));
        if remembered.is_some() {
            return Ok(remembered);
        }
        let found = self.store.session_user(token).await?;
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        match &found {
            Some((row, csrf)) => {
                if sessions.len() >= MAX_REMEMBERED_SESSIONS {
                    sessions.retain(|_, (_, _, at)| at.elapsed() < SESSION_RECHECK);
                }
                sessions.insert(token.to_string(), (row.clone(), csrf.clone(), std::time::Instant::now()));
            }
            None => {
                sessions.remove(token);
            }
        }
        Ok(found)
    }

    /// Forgets a session this process ended.
    pub(crate) fn forget_session(&self, token: &str) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(token);
    }

    /// Forgets every session of a user (after a password change, which ends them all).
    pub(crate) fn forget_sessions_of(&self, username: &str) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, (row, _, _)| row.username != username);
    }
}

fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build().expect("default delimiters are valid"),
    );
    // Messages from the checks as users read them (no internal section ids; rule ids are shown apart).
    env.add_filter("plain", |message: String| text::plain_message(&message).0);
    for (name, text) in [
        ("base.html", include_str!("../templates/base.html")),
        ("login.html", include_str!("../templates/login.html")),
        ("units.html", include_str!("../templates/units.html")),
        ("region.html", include_str!("../templates/region.html")),
        ("dashboard.html", include_str!("../templates/dashboard.html")),
        ("lines.html", include_str!("../templates/lines.html")),
        ("line.html", include_str!("../templates/line.html")),
        ("voucher_form.html", include_str!("../templates/voucher_form.html")),
        ("projects.html", include_str!("../templates/projects.html")),
        ("import.html", include_str!("../templates/import.html")),
        ("evaluation.html", include_str!("../templates/evaluation.html")),
        ("report.html", include_str!("../templates/report.html")),
        ("monitor.html", include_str!("../templates/monitor.html")),
        ("region_monitoring.html", include_str!("../templates/region_monitoring.html")),
        ("error.html", include_str!("../templates/error.html")),
        ("password.html", include_str!("../templates/password.html")),
    ] {
        env.add_template(name, text).unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    env
}

/// Errors a handler can answer with. Pages show them in Chinese; the API as JSON with the same text.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录")]
    Unauthenticated,
    #[error("无权访问")]
    Forbidden,
    /// 403 with the reason, e.g. the record kind a role may not import.
    #[error("无权操作：{0}")]
    ForbiddenBecause(String),
    #[error("页面或记录不存在")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("上传内容超过大小上限（全部文件合计 20 MB），未导入任何记录")]
    PayloadTooLarge,
    #[error("请先修改密码：当前密码是初始密码或过于简单（网页：/account/password）")]
    MustChangePassword,
    #[error("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")]
    Csrf,
    #[error("服务器内部错误：{0}")]
    Internal(String),
}

impl From<jixiao_store::StoreError> for AppError {
    fn from(e: jixiao_store::StoreError) -> AppError {
        match e {
            jixiao_store::StoreError::UnknownUnit(_) | jixiao_store::StoreError::UnknownYear { .. } => AppError::NotFound,
            jixiao_store::StoreError::Conflicts(m) | jixiao_store::StoreError::ClosedPeriod(m) => AppError::BadRequest(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<jixiao_service::ServiceError> for AppError {
    fn from(e: jixiao_service::ServiceError) -> AppError {
        match e {
            jixiao_service::ServiceError::Store(e) => e.into(),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> AppError {
        AppError::Internal(format!("模板渲染失败：{e:#}"))
    }
}

impl AppError {
    /// What the browser reads of the error. An internal error's own text (a database message, a path, a SQL
    /// statement) stays in the server's log under an incident number that the answer shows instead, so that
    /// nothing of the server's inside reaches a user and an administrator can still find the cause.
    fn public_message(&self) -> String {
        match self {
            AppError::Internal(m) => {
                let incident = incident_number();
                tracing::error!(incident = %incident, "{m}");
                format!("服务器内部错误（事件编号 {incident}），详情已记入服务器日志；请稍后重试，或把事件编号告诉系统管理员。")
            }
            other => other.to_string(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenBecause(_) | AppError::Csrf | AppError::MustChangePassword => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Eight hex digits naming one internal error in the log: the start of a random token (`auth::random_token`,
/// as sessions get theirs), or of the time if no randomness is to be had.
fn incident_number() -> String {
    let token = auth::random_token().unwrap_or_else(|_| {
        format!("{:08x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos()))
    });
    token[..8].to_uppercase()
}

/// Page errors: a page in the layout (the login page for a missing session).
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Unauthenticated => return Redirect::to("/login").into_response(),
            AppError::MustChangePassword => return Redirect::to("/account/password").into_response(),
            _ => {}
        }
        (self.0.status(), Html(error_page(&self.0.public_message()))).into_response()
    }
}

/// An error page in the layout's style, the message escaped; a rule id the message ends with goes to a
/// details line, and the page offers a way back (the previous page, or the home page).
fn error_page(message: &str) -> String {
    let (text, rule) = text::plain_message(message);
    let details =
        rule.map_or_else(String::new, |r| format!("<p class=\"muted small\">规则编号：<code>{}</code></p>", minijinja::HtmlEscape(&r)));
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>出错了</title><link rel=\"stylesheet\" href=\"/static/app.css\"><script src=\"/static/app.js\" defer></script></head><body><main class=\"narrow\"><h1>出错了</h1><p class=\"error\" id=\"error-message\">{}</p>{details}<p class=\"actions\"><a class=\"button\" href=\"/\" id=\"error-home\">返回首页</a> <a href=\"/\" data-back id=\"error-back\">返回上一页</a></p></main></body></html>",
        minijinja::HtmlEscape(&text)
    )
}

/// The Chinese text of an error status, for the answers the framework gives itself (an unknown route, a path
/// or form it cannot read, a body over the limit), which come in English or empty.
fn status_text(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "地址或提交的内容格式不正确（例如年度须为四位数字）",
        StatusCode::NOT_FOUND => "页面或记录不存在",
        StatusCode::METHOD_NOT_ALLOWED => "不支持此请求方法",
        StatusCode::PAYLOAD_TOO_LARGE => "提交的内容超过大小上限，未作任何修改",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "提交的内容类型不正确",
        StatusCode::UNPROCESSABLE_ENTITY => "提交的内容无法识别，请检查后重试",
        s if s.is_server_error() => "服务器内部错误",
        _ => "请求无法处理",
    }
}

/// API errors: JSON `{"error": …}` with the status.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status(), Json(serde_json::json!({ "error": self.public_message() }))).into_response()
    }
}

/// The signed-in user of a request, from the session cookie.
impl FromRequestParts<SharedState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<CurrentUser, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()).ok_or(AppError::Unauthenticated)?;
        let (row, csrf) = state.session_user(&token).await?.ok_or(AppError::Unauthenticated)?;
        let user = CurrentUser::from_row(row, csrf).ok_or(AppError::Forbidden)?;
        if !matches!(parts.uri.path(), "/account/password" | "/logout")
            && state.must_change_password.lock().unwrap_or_else(|e| e.into_inner()).contains(&user.username)
        {
            return Err(AppError::MustChangePassword);
        }
        Ok(user)
    }
}

/// A page handler's user: a missing session sends the browser to the login page.
pub struct PageUser(pub CurrentUser);

impl FromRequestParts<SharedState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<PageUser, PageError> {
        CurrentUser::from_request_parts(parts, state).await.map(PageUser).map_err(PageError)
    }
}

static HTMX: &[u8] = include_bytes!("../static/vendor/htmx-2.0.11.min.js");
static ECHARTS: &[u8] = include_bytes!("../static/vendor/echarts-6.1.0.min.js");
static APP_CSS: &str = include_str!("../static/app.css");
static APP_JS: &str = include_str!("../static/app.js");

async fn static_file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let (body, kind): (&'static [u8], &str) = match name.as_str() {
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "echarts.min.js" => (ECHARTS, "text/javascript; charset=utf-8"),
        "app.css" => (APP_CSS.as_bytes(), "text/css; charset=utf-8"),
        "app.js" => (APP_JS.as_bytes(), "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_str(kind).expect("static header")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body,
    )
        .into_response()
}

/// What pages may load: scripts and styles from this server only (no inline script, no inline event
/// handler, no `style` attribute), no plugins, forms to this server, framed only by this server.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// Headers on every answer: the CSP (unless the handler set a stricter one), no MIME sniffing, no referrer
/// beyond this server, and no caching of anything but the static files (pages and downloads carry the books).
async fn security_headers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    // Error answers that are not ours (ours are HTML pages or JSON) are given in Chinese.
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && !ours {
        response = if api {
            (status, Json(serde_json::json!({ "error": status_text(status) }))).into_response()
        } else {
            (status, Html(error_page(status_text(status)))).into_response()
        };
    }
    let headers = response.headers_mut();
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(PAGE_CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Every route of the application.
pub fn router(state: SharedState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/account/password", get(pages::password_page).post(pages::change_password))
        .route("/units", get(pages::units))
        .route("/region/{year}", get(pages::region_page))
        .route("/region/{year}/report.{format}", get(pages::region_download))
        .route("/region/{year}/monitoring", get(monitor::region_monitoring))
        .route("/units/{code}/{year}", get(pages::dashboard))
        .route("/units/{code}/{year}/lines", get(pages::lines))
        .route("/units/{code}/{year}/lines/{line}", get(pages::line))
        .route("/units/{code}/{year}/vouchers/new", get(pages::voucher_form))
        .route("/units/{code}/{year}/vouchers", post(pages::voucher_create))
        .route("/units/{code}/{year}/vouchers/{voucher}/reverse", post(pages::voucher_reverse))
        .route("/units/{code}/{year}/vouchers/{voucher}/approve", post(pages::voucher_approve))
        .route("/units/{code}/{year}/projects", get(pages::projects))
        .route("/units/{code}/{year}/projects/{project}/indicators", post(pages::indicator_create))
        .route("/units/{code}/{year}/indicators/{indicator}/results", post(pages::indicator_result_create))
        .route(
            "/units/{code}/{year}/import",
            get(pages::import_page).post(pages::import_upload).layer(axum::extract::DefaultBodyLimit::max(pages::MAX_UPLOAD_BYTES)),
        )
        .route("/units/{code}/{year}/import/template.xlsx", get(pages::import_template))
        .route("/units/{code}/{year}/import/answer", post(pages::import_answer))
        .route("/units/{code}/{year}/evaluation", get(pages::evaluation))
        .route("/units/{code}/{year}/evaluation/override", post(pages::override_score))
        .route("/units/{code}/{year}/report", get(pages::report_page))
        .route("/units/{code}/{year}/report.{format}", get(pages::report_download))
        .route("/units/{code}/{year}/monitor", get(monitor::monitor_page))
        .route("/units/{code}/{year}/monitor.{format}", get(monitor::monitor_download))
        .route("/units/{code}/{year}/task/{action}", post(pages::task_action))
        .route("/static/{name}", get(static_file))
        .merge(api::routes())
        // Forms and JSON bodies are small; only the import takes files.
        .layer(axum::extract::DefaultBodyLimit::max(256 * 1024))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application on `addr` until the process ends.
pub async fn serve(state: SharedState, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).await?;
    Ok(())
}
