//! The HTML pages. Each handler loads what it shows, checks the user may see (or do) it, and renders a
//! template; writes go through `entry` (the importer's validation) and answer with a redirect.

use crate::auth::{CurrentUser, Role, SESSION_COOKIE, SESSION_SECONDS, random_token, tokens_match, verify_password};
use crate::entry::{EntryErrors, add_record, indicator_result_fields};
use crate::{AppError, PageError, PageUser, SharedState, dashboard};
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use jixiao_core::Date;
use jixiao_core::books::Books;
use jixiao_core::budget_control::{self, ControlOutcome, OverrideRequest};
use jixiao_core::evaluation::Evaluation;
use jixiao_core::finding::{Finding, Severity};
use jixiao_core::records::{UnitProfile, VoucherApproval};
use jixiao_core::workflow::{TaskAction, TaskActor, TaskStatus};
use jixiao_service::Assessment;
use jixiao_store::web::TaskRow;
use minijinja::Value;
use serde_json::json;
use std::collections::BTreeMap;

pub(crate) type PageResult = Result<Response, PageError>;

/// The largest import upload accepted (all files together).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Failed sign-ins allowed per (username, client address) before the next attempt must wait.
const MAX_FAILED_LOGINS: u32 = 5;
/// The first wait after MAX_FAILED_LOGINS failures; each further failure doubles it, up to MAX_LOCKOUT_SECONDS.
const LOCKOUT_SECONDS: i64 = 60;
const MAX_LOCKOUT_SECONDS: i64 = 3600;

fn now_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The client's address as the server saw the connection (a proxy's own address behind one); "—" when the
/// router is called without a connection (tests).
pub(crate) fn client_address(extensions: &axum::http::Extensions) -> String {
    extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map_or_else(|| "—".to_string(), |c| c.0.ip().to_string())
}

/// The wait after `failures` failed sign-ins: none up to MAX_FAILED_LOGINS, then 1, 2, 4 … minutes.
fn lockout_seconds(failures: u32) -> i64 {
    if failures < MAX_FAILED_LOGINS {
        return 0;
    }
    LOCKOUT_SECONDS.saturating_mul(1 << (failures - MAX_FAILED_LOGINS).min(12)).min(MAX_LOCKOUT_SECONDS)
}

/// Seconds a (username, address) must still wait before another sign-in is tried, if any. Another address
/// is not held up by failures from this one, so nobody can lock an account from elsewhere.
pub(crate) fn locked_out(state: &SharedState, username: &str, address: &str) -> Option<i64> {
    let failures = state.failed_logins.lock().unwrap_or_else(|e| e.into_inner());
    let (n, last) = failures.get(&(username.to_string(), address.to_string()))?;
    let left = last + lockout_seconds(*n) - now_seconds();
    (left > 0).then_some(left)
}

/// Counts a failed sign-in (or, on success, forgets the failures) of a (username, address).
pub(crate) fn record_login(state: &SharedState, username: &str, address: &str, success: bool) {
    let mut failures = state.failed_logins.lock().unwrap_or_else(|e| e.into_inner());
    let key = (username.to_string(), address.to_string());
    if success {
        failures.remove(&key);
        return;
    }
    let now = now_seconds();
    let entry = failures.entry(key).or_insert((0, now));
    // A day without failures starts the count again.
    if now - entry.1 >= 24 * 3600 {
        *entry = (0, now);
    }
    entry.0 += 1;
    entry.1 = now;
}

/// Checks a sign-in: the user, if the password is theirs. A name that does not exist is checked against a
/// dummy hash, so the answer takes as long either way and does not tell which names exist.
pub(crate) async fn authenticate(
    state: &SharedState,
    username: &str,
    password: &str,
) -> Result<Option<jixiao_store::web::UserRow>, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let user = state.store.user(username).await?;
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => DUMMY.get_or_init(|| crate::auth::hash_password("jixiao-dummy-password").unwrap_or_default()).clone(),
    };
    let password = password.to_string();
    let matches =
        tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(user.filter(|_| matches))
}

/// What follows a sign-in attempt: the failure count, the audit log, and, outside demo mode, a password the
/// rule refuses (the demo's `demo`, an old weak one) must be changed before anything else.
pub(crate) async fn sign_in_outcome(
    state: &SharedState,
    username: &str,
    password: &str,
    address: &str,
    locked: Option<i64>,
    success: bool,
) -> Result<(), AppError> {
    if locked.is_none() {
        record_login(state, username, address, success);
    }
    let outcome = if locked.is_some() {
        "locked"
    } else if success {
        "success"
    } else {
        "failure"
    };
    state.store.log_login_event(username, address, outcome).await?;
    if success && !state.demo && crate::auth::password_problem(password, &[username]).is_some() {
        state.must_change_password.lock().unwrap_or_else(|e| e.into_inner()).insert(username.to_string());
    }
    Ok(())
}

/// The sign-in refusal of a locked (username, address).
pub(crate) fn lockout_message(seconds: i64) -> String {
    format!("登录失败次数过多，请 {} 分钟后再试", (seconds + 59) / 60)
}

type Fields = BTreeMap<String, String>;

/// Whether `user` may take a workflow action on `unit`'s task.
fn may_take(user: &CurrentUser, unit: &UnitProfile, action: TaskAction) -> bool {
    match action.actor() {
        TaskActor::Issuer => user.can_issue(unit),
        TaskActor::Filler => user.can_enter(unit),
        TaskActor::Reviewer => user.can_review(unit),
    }
}

fn available_actions(user: &CurrentUser, unit: &UnitProfile, task: Option<&TaskRow>, open_errors: usize) -> Vec<serde_json::Value> {
    TaskAction::ALL
        .into_iter()
        .filter(|a| a.starts_from(task.map(|t| t.status)))
        .filter(|a| may_take(user, unit, *a))
        .map(|a| {
            let reason = a == TaskAction::Approve && open_errors > 0;
            let placeholder = if reason {
                format!("尚有 {open_errors} 项错误级核对问题，审核通过须填写理由")
            } else {
                "退回意见（必填）".to_string()
            };
            json!({ "id": a.id(), "label": a.label(), "needs_comment": a.needs_comment(open_errors), "placeholder": placeholder })
        })
        .collect()
}

pub(crate) fn today() -> Date {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64 / 86_400);
    Date::from_unix_days(days).unwrap_or(Date { year: 2000, month: 1, day: 1 })
}

/// A date for a record of `year` entered today: today if it falls in the year, else the year's last day.
pub(crate) fn date_in_year(year: i32) -> Date {
    let t = today();
    if t.year == year { t } else { Date::new(year, 12, 31).expect("31 December exists") }
}

fn check_csrf(user: &CurrentUser, fields: &Fields) -> Result<(), AppError> {
    match fields.get("csrf") {
        Some(t) if tokens_match(t, &user.csrf_token) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// What the unit pages compute from one unit-year's books (the unit-year service's assessment: books,
/// findings, evaluation), kept while the books stay the same.
pub(crate) struct Computed {
    pub(crate) unit: UnitProfile,
    pub(crate) year: i32,
    years: Vec<i32>,
    assessment: Assessment,
    /// Kept as a template value, so that a page view only clones a reference to it.
    dashboard: std::sync::OnceLock<Value>,
}

impl std::ops::Deref for Computed {
    type Target = Assessment;
    fn deref(&self) -> &Assessment {
        &self.assessment
    }
}

/// Everything the unit pages show about one unit-year: the computed part (shared, cached) and the task.
pub(crate) struct UnitYearView {
    data: std::sync::Arc<Computed>,
    pub(crate) task: Option<TaskRow>,
    /// The id of the task's newest event (0: none), which keys the dashboard's cached task log.
    last_event: i64,
}

impl std::ops::Deref for UnitYearView {
    type Target = Computed;
    fn deref(&self) -> &Computed {
        &self.data
    }
}

impl Computed {
    pub(crate) fn evaluation(&self) -> Result<Evaluation, AppError> {
        self.assessment.evaluation().cloned().map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The dashboard's figures, charts and open findings.
    fn dashboard(&self) -> Value {
        self.dashboard
            .get_or_init(|| {
                let findings = finding_rows(self.findings.iter().filter(|f| f.severity != Severity::Info));
                let model = self.figures();
                Value::from(minijinja::value::Serde(json!({
                    "model": { "spending": model.spending, "projects": model.projects },
                    "charts": { "classes": dashboard::by_function_class(&self.books), "split": dashboard::basic_vs_project(&self.books), "monthly": dashboard::monthly_curve(&self.books) },
                    "findings": findings,
                })))
            })
            .clone()
    }
}

impl UnitYearView {
    /// Entry is closed while the self-evaluation is with the reviewer or approved.
    fn entry_open(&self) -> bool {
        TaskStatus::entry_open(self.task.as_ref().map(|t| t.status))
    }
}

/// Loads a unit-year for a user who may see it. The books and what is computed from them come from the cache
/// while the unit's books version is unchanged; the task is read every time.
pub(crate) async fn load(state: &SharedState, user: &CurrentUser, code: &str, year: i32) -> Result<UnitYearView, AppError> {
    // The books version, the task and its newest event: one statement per view.
    let (version, task, last_event) = state.store.unit_year_state(code, year).await?;
    let key = (code.to_string(), year);
    let cached = state.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key).filter(|(v, _)| *v == version).map(|(_, d)| d.clone());
    let data = match cached {
        Some(d) => d,
        None => {
            // A unit the user may not see answers as one that does not exist: no probing for unit codes.
            let current = state.store.unit(code).await?.filter(|u| user.can_view(u)).ok_or(AppError::NotFound)?;
            // The year's pages show the profile in force for the year (a later rename leaves them as they were).
            let unit = state.store.unit_in(code, year).await?.unwrap_or(current);
            let years: Vec<i32> = state.store.years(code).await?.iter().map(|y| y.year).collect();
            // In summary form: the pages that list vouchers read them from the store (`expenditures_with`).
            let assessment = jixiao_service::assess(&state.store, code, year, None).await?;
            let data = std::sync::Arc::new(Computed { unit, year, years, assessment, dashboard: Default::default() });
            state.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, (version, data.clone()));
            data
        }
    };
    if !user.can_view(&data.unit) {
        return Err(AppError::NotFound);
    }
    Ok(UnitYearView { data, task, last_event })
}

pub(crate) fn render(
    state: &SharedState,
    template: &str,
    user: Option<&CurrentUser>,
    ctx: serde_json::Value,
) -> Result<Response, AppError> {
    render_with(state, template, user, ctx, Value::UNDEFINED)
}

/// `render` with one more context value already in template form (merged last).
fn render_with(
    state: &SharedState,
    template: &str,
    user: Option<&CurrentUser>,
    ctx: serde_json::Value,
    extra: Value,
) -> Result<Response, AppError> {
    let common = json!({
        "demo": state.demo,
        "user": user,
        "csrf": user.map(|u| u.csrf_token.clone()),
        "role_labels": Role::ALL.iter().map(|r| (r.id(), r.label())).collect::<BTreeMap<_, _>>(),
    });
    let html = state.templates.get_template(template)?.render(
        minijinja::context! { ..Value::from(minijinja::value::Serde(&common)), ..Value::from(minijinja::value::Serde(&ctx)), ..extra },
    )?;
    Ok(Html(html).into_response())
}

pub(crate) fn unit_ctx(uy: &UnitYearView, user: &CurrentUser, active: &str) -> serde_json::Value {
    json!({
        "unit": uy.unit,
        "year": uy.year,
        "years": uy.years,
        "active": active,
        "task": uy.task.as_ref().map(|t| json!({ "status": t.status.id(), "label": t.status.label() })),
        "can_enter": user.can_enter(&uy.unit) && uy.entry_open(),
        "can_review": user.can_review(&uy.unit),
        "entry_closed": user.can_enter(&uy.unit) && !uy.entry_open(),
    })
}

pub(crate) fn merge(mut a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
    if let (Some(a), serde_json::Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// Users' display names by user name, for records that keep the user name (凭证审核's approver).
pub(crate) async fn display_names(state: &SharedState) -> Result<BTreeMap<String, String>, AppError> {
    Ok(state.store.users().await?.into_iter().map(|u| (u.username, u.display_name)).collect())
}

/// The display name of a user name (the name itself for a user no longer on file).
pub(crate) fn display_name(names: &BTreeMap<String, String>, username: &str) -> String {
    names.get(username).cloned().unwrap_or_else(|| username.to_string())
}

/// Findings as the pages list them: level, plain Chinese message, and the rule id for the tooltip.
fn finding_rows<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<serde_json::Value> {
    findings.map(|f| json!({ "severity": f.severity, "message": crate::text::plain_message(&f.message).0, "rule_id": f.rule_id })).collect()
}

// ---- sign in -------------------------------------------------------------------------------------------

pub async fn home(State(state): State<SharedState>, PageUser(user): PageUser) -> PageResult {
    if let Some(code) = &user.unit_code
        && user.role != Role::Bureau
    {
        let year = state.store.years(code).await?.last().map(|y| y.year).ok_or(AppError::NotFound)?;
        return Ok(Redirect::to(&format!("/units/{code}/{year}")).into_response());
    }
    Ok(Redirect::to("/units").into_response())
}

pub async fn login_page(State(state): State<SharedState>) -> PageResult {
    let demo_users: Vec<serde_json::Value> = if state.demo {
        crate::setup::DEMO_USERS.iter().map(|(u, d, r)| json!({ "username": u, "display": d, "role": r.label() })).collect()
    } else {
        vec![]
    };
    Ok(render(&state, "login.html", None, json!({ "demo_users": demo_users, "error": null }))?)
}

pub async fn login(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
    extensions: axum::http::Extensions,
    jar: CookieJar,
    Form(fields): Form<Fields>,
) -> PageResult {
    let username = fields.get("username").map(|s| s.trim()).unwrap_or_default();
    let password = fields.get("password").map(String::as_str).unwrap_or_default();
    let address = client_address(&extensions);
    let locked = locked_out(&state, username, &address);
    let user = if locked.is_some() { None } else { authenticate(&state, username, password).await? };
    sign_in_outcome(&state, username, password, &address, locked, user.is_some()).await?;
    let Some(user) = user else {
        let demo_users: Vec<serde_json::Value> = if state.demo {
            crate::setup::DEMO_USERS.iter().map(|(u, d, r)| json!({ "username": u, "display": d, "role": r.label() })).collect()
        } else {
            vec![]
        };
        let error = locked.map_or_else(|| "用户名或密码错误".to_string(), lockout_message);
        let mut response = render(&state, "login.html", None, json!({ "demo_users": demo_users, "error": error, "username": username }))?;
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    let jar = start_session(&state, jar, user.id, secure_cookie(&state, &headers)).await?;
    Ok((jar, Redirect::to("/")).into_response())
}

/// Whether the session cookie is marked `Secure`: `--secure-cookies`, or a proxy in front saying the request
/// came over https. (A client that claims https over plain http only loses its own cookie.)
pub(crate) fn secure_cookie(state: &SharedState, headers: &axum::http::HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.split(',').next().is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
}

/// Opens a session for a user: a new random token in the database and the cookie. A session the browser
/// already had ends, so a token planted before sign-in is worth nothing after it.
pub async fn start_session(state: &SharedState, jar: CookieJar, user_id: i64, secure: bool) -> Result<CookieJar, AppError> {
    if let Some(old) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(old.value()).await?;
        state.forget_session(old.value());
    }
    let token = random_token()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    state.store.create_session(&token, user_id, &random_token()?, now + SESSION_SECONDS).await?;
    // A browser-session cookie; the server ends the session after SESSION_SECONDS whatever the browser keeps.
    let cookie = Cookie::build((SESSION_COOKIE, token)).path("/").http_only(true).same_site(SameSite::Strict).secure(secure).build();
    Ok(jar.add(cookie))
}

pub async fn password_page(State(state): State<SharedState>, PageUser(user): PageUser) -> PageResult {
    let must_change = state.must_change_password.lock().unwrap_or_else(|e| e.into_inner()).contains(&user.username);
    Ok(render(
        &state,
        "password.html",
        Some(&user),
        json!({ "must_change": must_change, "error": null, "min_chars": crate::auth::MIN_PASSWORD_CHARS }),
    )?)
}

/// 修改密码: the current password, then a new one the rule accepts, twice. Every session of the user ends
/// (`Store::set_password`); this browser gets a new one.
pub async fn change_password(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
    extensions: axum::http::Extensions,
    jar: CookieJar,
    PageUser(user): PageUser,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let address = client_address(&extensions);
    let problem = if locked_out(&state, &user.username, &address).is_some() {
        Some("尝试次数过多，请稍后再试".to_string())
    } else if authenticate(&state, &user.username, field("current")).await?.is_none() {
        record_login(&state, &user.username, &address, false);
        state.store.log_login_event(&user.username, &address, "failure").await?;
        Some("当前密码不正确".to_string())
    } else if field("new") != field("confirm") {
        Some("两次输入的新密码不一致".to_string())
    } else if field("new") == field("current") {
        Some("新密码不能与当前密码相同".to_string())
    } else {
        crate::auth::password_problem(field("new"), &[&user.username, &user.display_name])
    };
    if let Some(error) = problem {
        let must_change = state.must_change_password.lock().unwrap_or_else(|e| e.into_inner()).contains(&user.username);
        return Ok(unprocessable(render(
            &state,
            "password.html",
            Some(&user),
            json!({ "must_change": must_change, "error": error, "min_chars": crate::auth::MIN_PASSWORD_CHARS }),
        )?));
    }
    state.store.set_password(&user.username, &crate::auth::hash_password(field("new"))?).await?;
    state.forget_sessions_of(&user.username);
    state.must_change_password.lock().unwrap_or_else(|e| e.into_inner()).remove(&user.username);
    state.store.log_login_event(&user.username, &address, "password_changed").await?;
    let row = state.store.user(&user.username).await?.ok_or(AppError::Unauthenticated)?;
    let jar = start_session(&state, jar, row.id, secure_cookie(&state, &headers)).await?;
    Ok((jar, Redirect::to("/")).into_response())
}

pub async fn logout(State(state): State<SharedState>, jar: CookieJar, PageUser(user): PageUser, Form(fields): Form<Fields>) -> PageResult {
    check_csrf(&user, &fields)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(c.value()).await?;
        state.forget_session(c.value());
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to("/login")).into_response())
}

// ---- the finance bureau's view ----------------------------------------------------------------------

pub async fn units(State(state): State<SharedState>, PageUser(user): PageUser) -> PageResult {
    let mut rows = Vec::new();
    for (code, _) in state.store.units().await? {
        let Some(unit) = state.store.unit(&code).await? else { continue };
        if !user.can_view(&unit) {
            continue;
        }
        for y in state.store.years(&code).await? {
            let uy = load(&state, &user, &code, y.year).await?;
            let model = uy.figures();
            let evaluation = uy.evaluation()?;
            rows.push(json!({
                "code": code, "name": unit.name, "year": y.year,
                "task": TaskStatus::label_of(uy.task.as_ref().map(|t| t.status)),
                "annual": model.spending.annual_budget.text, "spent": model.spending.total.text, "rate": model.spending.execution_rate.text,
                "score": evaluation.total.to_string(), "grade": evaluation.grade,
                "errors": uy.findings.iter().filter(|f| f.severity == Severity::Error).count(),
                "warnings": uy.findings.iter().filter(|f| f.severity == Severity::Warning).count(),
                "actions": available_actions(&user, &unit, uy.task.as_ref(), open_errors(&uy)),
            }));
        }
    }
    let mut years: Vec<i64> = rows.iter().filter_map(|r| r["year"].as_i64()).collect();
    years.sort_unstable();
    years.dedup();
    let region_years = if user.role == Role::Bureau { years } else { Vec::new() };
    Ok(render(&state, "units.html", Some(&user), json!({ "rows": rows, "region_years": region_years }))?)
}

/// The consolidated view of the 财政局's area for one year: execution by unit, ranking by score, units with
/// findings — the same model and template as `jixiao report --scope region --area CODE`.
pub async fn region_page(State(state): State<SharedState>, PageUser(user): PageUser, Path(year): Path<i32>) -> PageResult {
    region_scope(&user)?;
    Ok(render(
        &state,
        "region.html",
        Some(&user),
        json!({ "year": year, "area": user.region_code.clone().unwrap_or_default(), "bureau": bureau_name(&user) }),
    )?)
}

pub async fn region_download(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((year, format)): Path<(i32, String)>,
) -> PageResult {
    let scope = region_scope(&user)?;
    let download = Download::parse(&format).ok_or(AppError::NotFound)?;
    let format = download.text_format().ok_or(AppError::NotFound)?;
    let mut input = jixiao_service::consolidate::consolidation_input(&state.store, &scope, year, None).await?;
    // The area is the signed-in bureau's, whatever 财政局 name one unit's profile carries.
    input.name = bureau_name(&user);
    // The command-line hint of the printed view means nothing in the browser: each unit's findings are on its own page.
    let text = jixiao_report::render_consolidated_in_browser(&jixiao_core::consolidated::build(&input), format)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let text = if download == Download::Html { in_frame(text) } else { text };
    Ok(([(header::CONTENT_TYPE, download.mime().to_string()), (header::CONTENT_SECURITY_POLICY, report_csp(text.as_bytes()))], text)
        .into_response())
}

/// The web's additions to a report's style where a page frames it (`static/report-frame.css`).
const REPORT_FRAME_CSS: &str = include_str!("../static/report-frame.css");

/// An HTML report as a page's frame shows it: its style with the web's additions (the CSP hashes the result).
fn in_frame(html: String) -> String {
    html.replacen("</style>", &format!("{REPORT_FRAME_CSS}</style>"), 1)
}

/// The signed-in 财政局's name: the first word of the user's display name when it names a bureau (「芙蓉区财政局
/// 刘洋」), else the area's code.
pub(crate) fn bureau_name(user: &CurrentUser) -> String {
    match user.display_name.split_whitespace().next() {
        Some(first) if first.ends_with('局') => first.to_string(),
        _ => format!("行政区划{}财政局", user.region_code.as_deref().unwrap_or_default()),
    }
}

/// A 财政局 user's area; everyone else is refused.
pub(crate) fn region_scope(user: &CurrentUser) -> Result<jixiao_store::consolidate::Scope, AppError> {
    user.require(user.role == Role::Bureau)?;
    Ok(jixiao_store::consolidate::Scope::Area(user.region_code.clone().unwrap_or_default()))
}

// ---- unit pages --------------------------------------------------------------------------------------

pub async fn dashboard(State(state): State<SharedState>, PageUser(user): PageUser, Path((code, year)): Path<(String, i32)>) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let events = match &uy.task {
        Some(t) => task_log(&state, t.id, uy.last_event).await?,
        None => Default::default(),
    };
    let ctx = json!({ "events": events.as_slice(), "actions": available_actions(&user, &uy.unit, uy.task.as_ref(), open_errors(&uy)) });
    Ok(render_with(&state, "dashboard.html", Some(&user), merge(unit_ctx(&uy, &user, "dashboard"), ctx), uy.dashboard())?)
}

/// The rows of a task's log, read again only when a newer event exists.
async fn task_log(state: &SharedState, task_id: i64, last_event: i64) -> Result<std::sync::Arc<Vec<serde_json::Value>>, AppError> {
    let cached = state
        .task_events
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&task_id)
        .filter(|(last, _)| *last == last_event)
        .map(|(_, rows)| rows.clone());
    if let Some(rows) = cached {
        return Ok(rows);
    }
    let rows: Vec<serde_json::Value> = state
        .store
        .task_events(task_id)
        .await?
        .into_iter()
        .map(|e| json!({ "to": e.to_status.label(), "actor": e.actor, "comment": e.comment, "at": crate::text::date_time(e.at) }))
        .collect();
    let rows = std::sync::Arc::new(rows);
    state.task_events.lock().unwrap_or_else(|e| e.into_inner()).insert(task_id, (last_event, rows.clone()));
    Ok(rows)
}

fn line_rows(books: &Books) -> Vec<serde_json::Value> {
    let tables = books.code_tables();
    books
        .records
        .appropriation_lines
        .iter()
        .map(|l| {
            let annual = books.line_budget(&l.line_code).annual();
            let spent = books.line_spending(&l.line_code);
            json!({
                "code": l.line_code,
                "function": format!("{} {}", l.function_code, tables.and_then(|t| t.function_path(&l.function_code)).unwrap_or_default()),
                "economic": format!("{} {}", l.economic_code, tables.and_then(|t| t.economic(&l.economic_code)).map(|e| e.name.clone()).unwrap_or_default()),
                "kind": l.spending_kind.label(),
                "project": l.project_code.as_deref().and_then(|p| books.project(p)).map(|p| p.name.clone()),
                "annual": annual.wan_yuan_string(), "spent": spent.wan_yuan_string(), "left": (annual - spent).wan_yuan_string(),
                "rate": jixiao_core::BasisPoints::ratio(spent.0, annual.0).map_or("—".into(), |r| r.percent_string()),
                "over": spent > annual,
            })
        })
        .collect()
}

pub async fn lines(State(state): State<SharedState>, PageUser(user): PageUser, Path((code, year)): Path<(String, i32)>) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let ctx = json!({ "lines": line_rows(&uy.books) });
    Ok(render(&state, "lines.html", Some(&user), merge(unit_ctx(&uy, &user, "lines"), ctx))?)
}

pub async fn line(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, line)): Path<(String, i32, String)>,
    axum::extract::Query(query): axum::extract::Query<Fields>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let l = uy.books.line(&line).ok_or(AppError::NotFound)?;
    // A reversal is on its original's line, so the line's own vouchers say which of them are reversed.
    let expenditures = state.store.expenditures_with(&code, year, "line_code", &line).await?;
    let reversed: Vec<&str> = expenditures.iter().filter_map(|e| e.reverses.as_deref()).collect();
    let names = display_names(&state).await?;
    let vouchers: Vec<serde_json::Value> = expenditures
        .iter()
        .map(|e| {
            json!({
                "no": e.voucher_no, "date": e.date.to_string(), "amount": crate::text::yuan(e.amount), "payee": e.payee, "purpose": e.purpose,
                "procurement": e.procurement_ref, "reverses": e.reverses, "recorded_by": e.recorded_by,
                "reversed": reversed.contains(&e.voucher_no.as_str()),
                "can_reverse": e.reverses.is_none() && !reversed.contains(&e.voucher_no.as_str()),
                "approved_by": uy.books.records.voucher_approvals.iter().find(|a| a.voucher_no == e.voucher_no).map(|a| display_name(&names, &a.approved_by)),
            })
        })
        .collect();
    let budget: Vec<serde_json::Value> = uy
        .books
        .records
        .budget_vouchers
        .iter()
        .filter(|v| v.line_code == line)
        .map(|v| json!({ "no": v.voucher_no, "date": v.date.to_string(), "kind": v.kind.label(), "amount": crate::text::yuan(v.amount), "document": v.document }))
        .collect();
    let row = line_rows(&uy.books).into_iter().find(|r| r["code"] == line.as_str());
    // After 登记: the voucher just entered, if it is on this line.
    let entered = query
        .get("entered")
        .and_then(|no| vouchers.iter().find(|v| v["no"] == no.as_str()))
        .map(|v| json!({ "no": v["no"], "amount": v["amount"], "payee": v["payee"] }));
    let ctx = json!({ "line": row, "line_code": l.line_code, "vouchers": vouchers, "budget": budget, "may_approve": user.can_approve_vouchers(&uy.unit), "entered": entered });
    Ok(render(&state, "line.html", Some(&user), merge(unit_ctx(&uy, &user, "lines"), ctx))?)
}

/// The lines a voucher may be booked on, each with its 可用余额 (全年预算 − 已占用 − 已支出) and budget control.
fn entry_lines(books: &Books) -> Vec<serde_json::Value> {
    books
        .records
        .appropriation_lines
        .iter()
        .map(|l| {
            let p = budget_control::line_position(books, &l.line_code);
            let c = budget_control::line_control(&books.unit, &books.records, books.year.year, &l.line_code);
            json!({
                "code": l.line_code,
                "label": format!("{} {} {} 可用余额 {} 元（{}）", l.line_code, l.function_code, l.economic_code, crate::text::yuan(p.available()), c.mode.label()),
                "annual": crate::text::yuan(p.annual), "committed": crate::text::yuan(p.committed), "spent": crate::text::yuan(p.spent), "available": crate::text::yuan(p.available()),
                "mode": c.mode.label(), "tolerance_bp": c.tolerance_bp,
            })
        })
        .collect()
}

fn voucher_form_ctx(
    uy: &UnitYearView,
    user: &CurrentUser,
    fields: &Fields,
    errors: Option<&EntryErrors>,
    controls: &[ControlOutcome],
) -> serde_json::Value {
    let next_no = format!("ZC{}-{:03}", uy.year, uy.books.spending_total().expenditures + 1);
    let mut values = fields.clone();
    values.entry("voucher_no".into()).or_insert(next_no);
    values.entry("date".into()).or_insert(date_in_year(uy.year).to_string());
    values.entry("recorded_by".into()).or_insert(user.display_name.clone());
    let lines = entry_lines(&uy.books);
    let procurements: Vec<serde_json::Value> = uy
        .books
        .records
        .procurements
        .iter()
        .map(|p| json!({ "code": p.procurement_code, "label": format!("{} {}", p.procurement_code, p.item) }))
        .collect();
    merge(
        unit_ctx(uy, user, "voucher"),
        json!({
            "values": values, "lines": lines, "procurements": procurements, "errors": errors.map(EntryErrors::for_page), "error_summary": errors.map(EntryErrors::plain_summary),
            "may_override": user.can_override_control(&uy.unit),
            "controls": controls.iter().map(|c| json!({ "rule_id": c.rule_id(), "message": c.message(), "key": c.key })).collect::<Vec<_>>(),
        }),
    )
}

pub async fn voucher_form(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    user.require(user.can_enter(&uy.unit) || user.can_override_control(&uy.unit))?;
    Ok(render(&state, "voucher_form.html", Some(&user), voucher_form_ctx(&uy, &user, &Fields::new(), None, &[]))?)
}

/// Refuses entry by someone who may not enter, or while the self-evaluation is with the reviewer.
pub(crate) fn require_entry(user: &CurrentUser, uy: &UnitYearView) -> Result<(), AppError> {
    user.require(user.can_enter(&uy.unit))?;
    if !uy.entry_open() {
        return Err(AppError::BadRequest("自评已提交审核或已通过，账务记录暂不能录入".into()));
    }
    Ok(())
}

/// The override request of an entry that carries a written reason: only the override role (审核员, 单位管理员)
/// may send one; entry is otherwise refused as usual.
pub(crate) fn entry_override(user: &CurrentUser, uy: &UnitYearView, reason: Option<&str>) -> Result<Option<OverrideRequest>, AppError> {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        None => {
            require_entry(user, uy)?;
            Ok(None)
        }
        Some(reason) => {
            user.require(user.can_override_control(&uy.unit))?;
            if !uy.entry_open() {
                return Err(AppError::BadRequest("自评已提交审核或已通过，账务记录暂不能录入".into()));
            }
            Ok(Some(OverrideRequest { approved_by: user.display_name.clone(), role: user.role.id().into(), reason: reason.into() }))
        }
    }
}

pub async fn voucher_create(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
    Form(mut fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    let request = entry_override(&user, &uy, fields.get("override_reason").map(String::as_str))?;
    fields.insert("year".into(), year.to_string());
    match add_record(&state.store, &code, "expenditures", &fields, &user, "网页录入", request.as_ref()).await {
        Ok(controls) if controls.is_empty() => {
            // The line's page confirms the entry (…?entered=NO).
            let (line, no) =
                (fields.get("line_code").map(String::as_str).unwrap_or(""), fields.get("voucher_no").map(String::as_str).unwrap_or(""));
            Ok(Redirect::to(&format!("/units/{code}/{year}/lines/{line}?entered={}", percent_encode(no))).into_response())
        }
        Ok(controls) => {
            // Registered, with a warning or an override: show the control message on a fresh form.
            let uy = load(&state, &user, &code, year).await?;
            Ok(render(&state, "voucher_form.html", Some(&user), voucher_form_ctx(&uy, &user, &Fields::new(), None, &controls))?)
        }
        Err(Ok(errors)) => {
            Ok(unprocessable(render(&state, "voucher_form.html", Some(&user), voucher_form_ctx(&uy, &user, &fields, Some(&errors), &[]))?))
        }
        Err(Err(e)) => Err(e.into()),
    }
}

pub async fn voucher_reverse(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, voucher)): Path<(String, i32, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    let original =
        state.store.expenditures_with(&code, year, "voucher_no", &voucher).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let reversal: Fields = [
        ("voucher_no", format!("{}-冲销", original.voucher_no)),
        ("year", year.to_string()),
        ("date", date_in_year(year).to_string()),
        ("line_code", original.line_code.clone()),
        ("amount", (-original.amount).yuan_string()),
        ("payee", original.payee.clone()),
        (
            "purpose",
            format!(
                "冲销{}：{}",
                original.voucher_no,
                fields.get("reason").map(String::as_str).filter(|r| !r.trim().is_empty()).unwrap_or("录入错误")
            ),
        ),
        ("reverses", original.voucher_no.clone()),
        ("recorded_by", user.display_name.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    match add_record(&state.store, &code, "expenditures", &reversal, &user, "网页冲销", None).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}/{year}/lines/{}", original.line_code)).into_response()),
        Err(Ok(errors)) => Err(AppError::BadRequest(errors.summary()).into()),
        Err(Err(e)) => Err(e.into()),
    }
}

/// Approves an expenditure voucher (凭证审核): a reviewer or unit admin of the unit, never the user who entered
/// it (segregation of duties, 不相容岗位相互分离). The approval is a record like any other.
pub(crate) async fn approve_voucher(
    state: &SharedState,
    user: &CurrentUser,
    uy: &UnitYearView,
    voucher: &str,
) -> Result<VoucherApproval, AppError> {
    user.require(user.can_approve_vouchers(&uy.unit))?;
    let records = &uy.books.records;
    state.store.expenditures_with(&uy.unit.code, uy.year, "voucher_no", voucher).await?.first().ok_or(AppError::NotFound)?;
    if let Some(a) = records.voucher_approvals.iter().find(|a| a.voucher_no == voucher) {
        let names = display_names(state).await?;
        return Err(AppError::BadRequest(format!(
            "凭证「{voucher}」已由 {} 审核 [VOUCHER_ALREADY_APPROVED]",
            display_name(&names, &a.approved_by)
        )));
    }
    let entered_by = state.store.entered_by(&uy.unit.code, "expenditures", uy.year, voucher).await?.unwrap_or_default();
    if entered_by == user.username {
        return Err(AppError::BadRequest(format!(
            "凭证「{voucher}」由 {} 本人录入，不能由本人审核（不相容岗位相互分离） [SEGREGATION_OF_DUTIES]",
            user.display_name
        )));
    }
    let approval = VoucherApproval {
        approval_code: format!("SH-{voucher}"),
        year: uy.year,
        voucher_no: voucher.to_string(),
        entered_by,
        approved_by: user.username.clone(),
        date: date_in_year(uy.year),
    };
    let fields: Fields = jixiao_core::RecordSet { voucher_approvals: vec![approval.clone()], ..Default::default() }
        .rows("voucher_approvals")
        .remove(0)
        .into_iter()
        .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    match add_record(&state.store, &uy.unit.code, "voucher_approvals", &fields, user, "凭证审核", None).await {
        Ok(_) => Ok(approval),
        Err(Ok(errors)) => Err(AppError::BadRequest(errors.summary())),
        Err(Err(e)) => Err(e),
    }
}

pub async fn voucher_approve(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, voucher)): Path<(String, i32, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    let line = state
        .store
        .expenditures_with(&code, year, "voucher_no", &voucher)
        .await?
        .first()
        .map(|e| e.line_code.clone())
        .ok_or(AppError::NotFound)?;
    approve_voucher(&state, &user, &uy, &voucher).await?;
    Ok(Redirect::to(&format!("/units/{code}/{year}/lines/{line}")).into_response())
}

pub async fn projects(State(state): State<SharedState>, PageUser(user): PageUser, Path((code, year)): Path<(String, i32)>) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    Ok(projects_page(&state, &user, &uy, json!({ "error": null }))?)
}

/// The projects page with `extra` merged into its context: `"error": null`, or a refused entry's errors with
/// the project (and indicator) they belong to.
fn projects_page(state: &SharedState, user: &CurrentUser, uy: &UnitYearView, extra: serde_json::Value) -> Result<Response, AppError> {
    let model = uy.figures();
    render(state, "projects.html", Some(user), merge(merge(unit_ctx(uy, user, "projects"), json!({ "projects": model.projects })), extra))
}

/// A page answering a refused entry, with the form and its errors: 422 Unprocessable Entity.
fn unprocessable(mut response: Response) -> Response {
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    response
}

pub async fn indicator_create(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, project)): Path<(String, i32, String)>,
    Form(mut fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    let count = uy.books.records.project_indicators.iter().filter(|i| i.project_code == project).count();
    fields.insert("year".into(), year.to_string());
    fields.insert("project_code".into(), project.clone());
    fields.entry("indicator_code".into()).or_insert(format!("{project}-ZB{:02}", count + 1));
    match add_record(&state.store, &code, "project_indicators", &fields, &user, "网页录入", None).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}/{year}/projects#{project}")).into_response()),
        Err(Ok(errors)) => {
            Ok(unprocessable(projects_page(&state, &user, &uy, json!({ "error": errors.plain_summary(), "error_project": project }))?))
        }
        Err(Err(e)) => Err(e.into()),
    }
}

pub async fn indicator_result_create(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, indicator)): Path<(String, i32, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    let record = indicator_result_fields(&uy.books, &indicator, today(), &fields, &user.display_name).ok_or(AppError::NotFound)?;
    let project = uy
        .books
        .records
        .project_indicators
        .iter()
        .find(|i| i.indicator_code == indicator)
        .map(|i| i.project_code.clone())
        .unwrap_or_default();
    match add_record(&state.store, &code, "indicator_results", &record, &user, "网页录入", None).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}/{year}/projects#{indicator}")).into_response()),
        Err(Ok(errors)) => Ok(unprocessable(projects_page(
            &state,
            &user,
            &uy,
            json!({ "error": errors.plain_summary(), "error_project": project, "error_indicator": indicator }),
        )?)),
        Err(Err(e)) => Err(e.into()),
    }
}

pub async fn import_page(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    user.require(user.can_enter(&uy.unit))?;
    Ok(render(&state, "import.html", Some(&user), merge(unit_ctx(&uy, &user, "import"), json!({ "errors": [], "done": null })))?)
}

/// 下载导入模板: the unit's own workbook for the year — its profile sheets and the year's appropriation lines
/// filled in, the code dropdowns of the year's edition (the importer's `template::write_workbook`, as
/// `jixiao template` writes it). Filled in and uploaded again, the unchanged rows count as 「已存在未变」.
pub async fn import_template(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    user.require(user.can_enter(&uy.unit))?;
    let years = years_through(&state, &code, year).await?;
    let records = jixiao_core::RecordSet { appropriation_lines: uy.books.records.appropriation_lines.clone(), ..Default::default() };
    let (unit, internal) = (uy.unit.clone(), |e: &dyn std::fmt::Display| AppError::Internal(format!("无法生成导入模板：{e}")));
    let body = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let dir = tempfile::tempdir().map_err(|e| internal(&e))?;
        let path = dir.path().join("template.xlsx");
        jixiao_import::template::write_workbook(&path, Some((&unit, &years)), &records, year).map_err(|e| internal(&e))?;
        std::fs::read(&path).map_err(|e| internal(&e))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let file = format!("{}-{year}年度导入模板.xlsx", uy.unit.name);
    let disposition = format!("attachment; filename*=UTF-8''{}", percent_encode(&file));
    Ok(([(header::CONTENT_TYPE, Download::Xlsx.mime().to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

/// The unit's unit.toml from the database, for CSV uploads that carry none.
fn unit_toml(unit: &UnitProfile, years: &[jixiao_core::records::UnitYear]) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut t = format!(
        "code = {}\nname = {}\nregion_code = {}\nparent_department = {}\nduties = [{}]\n",
        quote(&unit.code),
        quote(&unit.name),
        quote(&unit.region_code),
        quote(&unit.parent_department),
        unit.duties.iter().map(|d| quote(d)).collect::<Vec<_>>().join(", ")
    );
    for (key, value) in [("department_code", &unit.department_code), ("bureau_code", &unit.bureau_code), ("bureau_name", &unit.bureau_name)]
    {
        if let Some(v) = value {
            t.push_str(&format!("{key} = {}\n", quote(v)));
        }
    }
    for o in &unit.offices {
        t.push_str(&format!("[[offices]]\nname = {}\nduties = {}\n", quote(&o.name), quote(&o.duties)));
    }
    for y in years {
        t.push_str(&format!("[[years]]\nyear = {}\n", y.year));
        if let Some(d) = y.report_date {
            t.push_str(&format!("report_date = \"{d}\"\n"));
        }
    }
    t
}

/// The longest upload file name accepted, in characters.
const MAX_FILE_NAME_CHARS: usize = 100;

/// An upload's file name as it may be written in the upload's own directory: its last path component, never
/// `.`/`..` or hidden, no control characters, at most [`MAX_FILE_NAME_CHARS`].
fn upload_file_name(raw: &str) -> Result<String, AppError> {
    let name = raw.rsplit(['/', '\\']).next().unwrap_or(raw).trim();
    let shown: String = name.chars().take(40).collect();
    if name.is_empty() || name.starts_with('.') || name.chars().any(char::is_control) || name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(AppError::BadRequest(format!(
            "文件名「{shown}」不可用：文件名须为 1 至 {MAX_FILE_NAME_CHARS} 个字符，不能以“.”开头，例如 expenditures.csv 或 账套.xlsx"
        )));
    }
    Ok(name.to_string())
}

/// Files of an import upload (field `files`, any number) and its CSRF token (field `csrf`).
pub(crate) async fn read_upload(mut multipart: Multipart) -> Result<(Option<String>, Vec<(String, axum::body::Bytes)>), AppError> {
    let refused = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest("上传失败：上传内容不完整或格式不正确，请重新选择文件上传".into())
        }
    };
    let mut csrf = None;
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        if field.name() == Some("csrf") {
            csrf = Some(field.text().await.map_err(refused)?);
            continue;
        }
        let Some(raw) = field.file_name().map(str::to_string).filter(|f| !f.is_empty()) else { continue };
        let name = upload_file_name(&raw)?;
        let bytes = field.bytes().await.map_err(refused)?;
        files.push((name, bytes));
    }
    Ok((csrf, files))
}

/// Refuses, before anything is read, an upload the user may not make: a unit they may not enter, a record kind
/// their role may not import (`auth::may_import`), no file, a file type the importer does not read.
async fn admit_upload(
    state: &SharedState,
    user: &CurrentUser,
    code: &str,
    year: i32,
    files: &[(String, axum::body::Bytes)],
) -> Result<UnitYearView, AppError> {
    let uy = load(state, user, code, year).await?;
    refuse_kinds_not_importable(user, files)?;
    require_entry(user, &uy)?;
    if files.is_empty() {
        return Err(AppError::BadRequest("请选择要导入的文件".into()));
    }
    refuse_unsupported_types(files)?;
    Ok(uy)
}

/// What the unit information of an upload says against the stored profile (`unit_sheets`).
pub(crate) enum Compared {
    /// Nothing to differ: the import goes in with this profile and these years (`None`: the upload carries no
    /// unit information; CSV files are imported under the stored unit.toml).
    Same(Option<Box<(UnitProfile, Vec<jixiao_core::records::UnitYear>)>>),
    /// The upload changes stored fields: the user continues (under the stored profile), confirms the change
    /// or cancels.
    Changed(Box<crate::unit_sheets::Uploaded>),
}

/// The unit information an import goes in with instead of the upload's own.
pub(crate) struct ImportUnit {
    pub unit: UnitProfile,
    pub years: Vec<jixiao_core::records::UnitYear>,
    /// A confirmed change: `unit` becomes a new version of the profile.
    pub change: Option<jixiao_store::ProfileChange>,
}

impl ImportUnit {
    /// The stored profile and years (`unit_sheets::kept`).
    pub(crate) fn kept((unit, years): (UnitProfile, Vec<jixiao_core::records::UnitYear>)) -> ImportUnit {
        ImportUnit { unit, years, change: None }
    }
}

/// The step before an import: the upload's unit sheets (or unit.toml) compared field by field with the
/// unit's stored profile — the version in force for the upload's newest year, as the store compares it (the
/// page's year when the upload names no later one). Blank and unchanged fields are no conflict, and the import
/// then goes in with the stored profile; real differences are for the user to see.
pub(crate) async fn compare_unit_sheets(
    state: &SharedState,
    user: &CurrentUser,
    code: &str,
    year: i32,
    files: &[(String, axum::body::Bytes)],
) -> Result<Compared, AppError> {
    let uy = admit_upload(state, user, code, year, files).await?;
    let (held, stored) = (files.to_vec(), uy.unit.clone());
    let uploaded = tokio::task::spawn_blocking(move || crate::unit_sheets::uploaded_unit(&held, &stored))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // Another unit's file is refused by the import itself.
    let Some((unit, years)) = uploaded.filter(|(unit, _)| unit.code == code) else { return Ok(Compared::Same(None)) };
    let stored = match jixiao_store::profile::import_year(&years).filter(|y| *y != year) {
        Some(later) => state.store.unit_in(code, later).await?.ok_or(AppError::NotFound)?,
        None => uy.unit.clone(),
    };
    let stored_years = state.store.years(code).await?;
    let differences = crate::unit_sheets::differences(&stored, &stored_years, &unit, &years);
    if differences.is_empty() {
        Ok(Compared::Same(Some(Box::new(crate::unit_sheets::kept(&stored, &stored_years, &years)))))
    } else {
        Ok(Compared::Changed(Box::new(crate::unit_sheets::Uploaded { stored, unit, years, differences })))
    }
}

/// Imports uploaded files into a unit the user may enter: one .xlsx workbook, or CSV files (with the unit's
/// unit.toml from the database when none is sent). Refuses, before validating, a record kind the user's role
/// may not import (`auth::may_import`). `profile`: the unit and years to import under instead of the upload's
/// own (from [`compare_unit_sheets`]). `Ok(Err(errors))`: the files were refused by the importer.
pub(crate) async fn import_files(
    state: &SharedState,
    user: &CurrentUser,
    code: &str,
    year: i32,
    files: &[(String, axum::body::Bytes)],
    profile: Option<ImportUnit>,
    via: &str,
) -> Result<Result<jixiao_store::ApplyOutcome, Vec<jixiao_import::ImportError>>, AppError> {
    let uy = admit_upload(state, user, code, year, files).await?;
    // The files are read where they are, in memory. CSV files without a unit.toml get the unit's from the database.
    let label = format!("{via}：{}", user.username);
    let source = if let [(name, bytes)] = files
        && name.to_lowercase().ends_with(".xlsx")
    {
        let (label, name, bytes, stored) = (label.clone(), name.clone(), bytes.clone(), uy.unit.clone());
        // Reading is CPU-bound (and bounded by the importer's size limits): off the async workers. A required
        // 单位信息 row left blank is this unit's stored value.
        tokio::task::spawn_blocking(move || jixiao_import::read_workbook_partial_over(label, &name, &bytes, Some(&stored))).await
    } else {
        let unit_toml = match files.iter().find(|(n, _)| n == "unit.toml") {
            Some((_, bytes)) => String::from_utf8_lossy(bytes).into_owned(),
            None => unit_toml(&uy.unit, &years_through(state, code, year).await?),
        };
        let csv: Vec<(String, Vec<u8>)> =
            files.iter().filter(|(n, _)| n.to_lowercase().ends_with(".csv")).map(|(n, b)| (n.clone(), b.to_vec())).collect();
        let label = label.clone();
        tokio::task::spawn_blocking(move || jixiao_import::read_csv_files_partial(label, Some(&unit_toml), &csv)).await
    };
    // Rows with errors: the rows that parsed still go through the session (which then writes nothing), so that
    // the upload's every error is reported at once.
    let (source, read_errors) = source.map_err(|e| AppError::Internal(e.to_string()))?;
    let mut source = match source {
        Some(source) if source.unit.code != code => {
            return Ok(Err(vec![jixiao_import::ImportError::file(
                "unit.toml",
                "WEB_OTHER_UNIT",
                format!("文件属于单位「{}」，不是本单位「{code}」", source.unit.code),
            )]));
        }
        Some(source) => source,
        None => return Ok(Err(read_errors)),
    };
    let mut change = None;
    if let Some(p) = profile {
        (source.unit, source.years, change) = (p.unit, p.years, p.change);
    }
    let options = jixiao_store::ImportOptions { profile_change: change.as_ref(), ..Default::default() };
    match state.store.import(&jixiao_import::Streamed::held(source), &label, Some(&user.username), options, &|_| {}, &read_errors).await? {
        Err(refusal) => {
            let mut errors = refusal.errors;
            if !read_errors.is_empty() {
                errors.sort_by(|a, b| (&a.file, &a.sheet, a.row).cmp(&(&b.file, &b.sheet, b.row)));
            }
            Ok(Err(errors))
        }
        Ok(checked) => Ok(Ok(checked.commit().await?.0)),
    }
}

/// The unit's years up to `year`: what a template or a generated unit.toml of the `year` page lists, so that its
/// import is compared with the profile of that year (the store compares with the newest year an import names).
async fn years_through(state: &SharedState, code: &str, year: i32) -> Result<Vec<jixiao_core::records::UnitYear>, AppError> {
    Ok(state.store.years(code).await?.into_iter().filter(|y| y.year <= year).collect())
}

/// Refuses files the importer does not read (an old .xls workbook, a text file, …) with a message, instead
/// of importing nothing from them and calling it a success.
fn refuse_unsupported_types(files: &[(String, axum::body::Bytes)]) -> Result<(), AppError> {
    let unsupported: Vec<String> = files
        .iter()
        .map(|(name, _)| name)
        .filter(|name| {
            let lower = name.to_lowercase();
            !(lower.ends_with(".xlsx") || lower.ends_with(".csv") || lower == "unit.toml")
        })
        .map(|name| format!("「{name}」"))
        .collect();
    if unsupported.is_empty() {
        return Ok(());
    }
    let old_excel = if unsupported.iter().any(|n| n.to_lowercase().ends_with(".xls」")) {
        "旧版 .xls 工作簿请在 Excel 中另存为 .xlsx 后再上传；"
    } else {
        ""
    };
    Err(AppError::BadRequest(format!(
        "不支持的文件类型：{}。请上传 Excel 工作簿（.xlsx）或 CSV 文件（.csv）；{old_excel}未导入任何记录 [WEB_UNSUPPORTED_FILE_TYPE]",
        unsupported.join("、")
    )))
}

/// Refuses an upload carrying a record kind — a CSV file or a workbook sheet — that the user's role may not
/// import (`auth::may_import`), naming the kinds, before anything is read.
fn refuse_kinds_not_importable(user: &CurrentUser, files: &[(String, axum::body::Bytes)]) -> Result<(), AppError> {
    let mut names: Vec<String> = Vec::new();
    for (name, bytes) in files {
        if name.to_lowercase().ends_with(".xlsx") {
            // Sheets with rows: the unit's template carries every kind's sheet, empty where the role enters
            // nothing. A workbook that cannot be read is refused by the importer, with its reason.
            match jixiao_import::table::parse_xlsx(bytes, name) {
                Ok(tables) => names.extend(tables.into_iter().filter(|t| !t.rows.is_empty()).filter_map(|t| t.place.sheet)),
                Err(_) => names.extend(jixiao_import::table::xlsx_sheet_names(bytes, name).unwrap_or_default()),
            }
        } else {
            names.push(name.clone());
        }
    }
    let refused: Vec<String> = jixiao_core::schema::record_kinds()
        .iter()
        .filter(|k| names.iter().any(|n| *n == k.file || *n == k.label) && !crate::auth::may_import(user.role, &k.id))
        .map(|k| format!("「{}」（{}）", k.label, k.file))
        .collect();
    let why = if matches!(user.role, Role::Clerk | Role::UnitAdmin) {
        "这类记录是审核行为，只能由审核人员在网页上操作时生成"
    } else {
        "导入由填报员或单位管理员进行"
    };
    match refused.is_empty() {
        true => Ok(()),
        false => Err(AppError::ForbiddenBecause(format!("{}不能导入{}：{why}；整个导入已拒绝", user.role_label, refused.join("、")))),
    }
}

pub async fn import_upload(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
    multipart: Multipart,
) -> PageResult {
    let (csrf, files) = read_upload(multipart).await?;
    let fields: Fields = csrf.into_iter().map(|c| ("csrf".to_string(), c)).collect();
    check_csrf(&user, &fields)?;
    let result = match compare_unit_sheets(&state, &user, &code, year, &files).await {
        Ok(Compared::Same(profile)) => {
            import_files(&state, &user, &code, year, &files, profile.map(|p| ImportUnit::kept(*p)), "网页导入").await
        }
        Ok(Compared::Changed(uploaded)) => {
            // The files wait in memory for the answer, under a token of this session: never a path.
            let token = random_token()?;
            let shown = uploaded.differences.clone();
            let upload = crate::unit_sheets::PendingUpload::new(&user.username, &user.csrf_token, &code, year, files, *uploaded);
            state.pending_imports.lock().unwrap_or_else(|e| e.into_inner()).hold(token.clone(), upload);
            let uy = load(&state, &user, &code, year).await?;
            let ctx = json!({ "errors": [], "done": null, "differences": shown, "pending_token": token, "pending_minutes": crate::unit_sheets::PENDING_SECONDS / 60, "may_change_profile": user.role == Role::UnitAdmin });
            return Ok(render(&state, "import.html", Some(&user), merge(unit_ctx(&uy, &user, "import"), ctx))?);
        }
        Err(e) => Err(e),
    };
    import_result_page(&state, &user, &code, year, result).await
}

/// The answer to a re-upload whose unit sheets differ from the stored profile (form fields `token` and
/// `decision`, 「continue」, 「accept」 or 「cancel」): continuing imports the waiting files under the stored
/// profile, the fields not taken named in the import's log; accepting (单位管理员 only) makes the upload's
/// profile, its blank fields as stored, a new version from the import's year and imports the files under it,
/// the change named in the import's log and kept with the version; cancelling writes nothing. A token of
/// another session, unit or year, or one that expired, is refused.
pub async fn import_answer(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    // Checked before the upload is taken: it still waits to be continued under the stored profile or cancelled.
    if fields.get("decision").is_some_and(|d| d == "accept") && user.role != Role::UnitAdmin {
        return Err(
            AppError::ForbiddenBecause(format!("{}不能确认单位信息变更：须由单位管理员确认，未写入任何记录", user.role_label)).into()
        );
    }
    let token = fields.get("token").map_or("", String::as_str);
    let pending =
        state.pending_imports.lock().unwrap_or_else(|e| e.into_inner()).take(token, &user.username, &user.csrf_token, &code, year);
    let result = match (pending, fields.get("decision").map(String::as_str)) {
        (None, _) => Err(AppError::BadRequest(format!(
            "没有待确认的导入：已确认或取消过、已超过 {} 分钟，或不是本次登录上传的；请重新上传文件",
            crate::unit_sheets::PENDING_SECONDS / 60
        ))),
        (Some(_), Some("cancel")) => {
            let ctx = json!({ "errors": [], "done": "已取消导入，未写入任何记录。" });
            return Ok(render(&state, "import.html", Some(&user), merge(unit_ctx(&uy, &user, "import"), ctx))?);
        }
        (Some(p), Some("continue")) => {
            let stored_years = state.store.years(&code).await?;
            let profile = ImportUnit::kept(crate::unit_sheets::kept(&p.uploaded.stored, &stored_years, &p.uploaded.years));
            let via = format!("网页导入（{}）", crate::unit_sheets::not_taken(&p.uploaded.differences));
            import_files(&state, &user, &code, year, &p.files, Some(profile), &via).await
        }
        (Some(p), Some("accept")) => {
            let stored_years = state.store.years(&code).await?;
            let (_, years) = crate::unit_sheets::kept(&p.uploaded.stored, &stored_years, &p.uploaded.years);
            let note = crate::unit_sheets::confirmed(&p.uploaded.differences);
            let change = jixiao_store::ProfileChange { entered_by: user.username.clone(), reason: format!("网页{note}") };
            let unit = jixiao_import::unit::overlay(&p.uploaded.stored, &p.uploaded.unit);
            let profile = ImportUnit { unit, years, change: Some(change) };
            import_files(&state, &user, &code, year, &p.files, Some(profile), &format!("网页导入（{note}）")).await
        }
        (Some(_), _) => Err(AppError::BadRequest("请选择继续导入、确认变更并导入或取消导入".into())),
    };
    import_result_page(&state, &user, &code, year, result).await
}

/// The import page after an import: its counts, or every error in one table, or why the upload was refused.
async fn import_result_page(
    state: &SharedState,
    user: &CurrentUser,
    code: &str,
    year: i32,
    result: Result<Result<jixiao_store::ApplyOutcome, Vec<jixiao_import::ImportError>>, AppError>,
) -> PageResult {
    let (errors, done, refused) = match result {
        Ok(Ok(o)) => (vec![], Some(format!("导入成功：新增 {} 条记录，{} 条已存在未变。", o.added, o.unchanged)), None),
        Ok(Err(errors)) => (errors.iter().map(|e| json!({ "file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column, "value": e.value, "message": crate::text::plain_message(&e.message).0, "rule": e.rule_id })).collect::<Vec<_>>(), None, None),
        // Refused before reading (no file, a file type the importer does not read): said on the import page.
        Err(AppError::BadRequest(message)) => (vec![], None, Some(crate::text::plain_message(&message).0)),
        Err(e) => return Err(e.into()),
    };
    let uy = load(state, user, code, year).await?;
    let status =
        if errors.is_empty() && refused.is_none() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = render(
        state,
        "import.html",
        Some(user),
        merge(unit_ctx(&uy, user, "import"), json!({ "errors": errors, "done": done, "refused": refused })),
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn evaluation(State(state): State<SharedState>, PageUser(user): PageUser, Path((code, year)): Path<(String, i32)>) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let e = uy.evaluation()?;
    Ok(render(&state, "evaluation.html", Some(&user), merge(unit_ctx(&uy, &user, "evaluation"), json!({ "ev": e, "error": null })))?)
}

pub async fn override_score(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    user.require(user.can_review(&uy.unit))?;
    let record: Fields = [
        ("override_code", format!("TZ{}-{:03}", year, uy.books.records.score_overrides.len() + 1)),
        ("year", year.to_string()),
        ("indicator", fields.get("indicator").cloned().unwrap_or_default()),
        ("score", fields.get("score").cloned().unwrap_or_default()),
        ("reason", fields.get("reason").cloned().unwrap_or_default()),
        ("reviewer", user.display_name.clone()),
        ("date", today().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    match add_record(&state.store, &code, "score_overrides", &record, &user, "审核调整", None).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}/{year}/evaluation")).into_response()),
        Err(Ok(errors)) => {
            let e = uy.evaluation()?;
            let mut response = render(
                &state,
                "evaluation.html",
                Some(&user),
                merge(unit_ctx(&uy, &user, "evaluation"), json!({ "ev": e, "error": errors.plain_summary() })),
            )?;
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(Err(e)) => Err(e.into()),
    }
}

pub async fn report_page(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let errors: Vec<&Finding> = uy.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    let projects: Vec<serde_json::Value> = uy
        .data
        .books
        .records
        .projects
        .iter()
        .filter(|p| p.year == year)
        .map(|p| json!({ "code": p.project_code, "name": p.name }))
        .collect();
    Ok(render(
        &state,
        "report.html",
        Some(&user),
        merge(unit_ctx(&uy, &user, "report"), json!({ "errors": errors, "projects": projects, "next_year": year + 1 })),
    )?)
}

/// `report.{format}?kind=project&project=CODE` and `?kind=targets`: the unit-year's other documents (as
/// `jixiao report --kind`); no kind, or `department`, is the 部门整体支出绩效自评报告.
pub async fn report_download(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, format)): Path<(String, i32, String)>,
    axum::extract::Query(query): axum::extract::Query<Fields>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let download = Download::parse(&format).ok_or(AppError::NotFound)?;
    // The monitoring table has its own page and downloads (monitor.rs), as of a date.
    if query.get("kind").map(String::as_str) == Some("monitor") {
        let as_of = query.get("as_of").map(|d| format!("?as_of={}", percent_encode(d))).unwrap_or_default();
        return Ok(Redirect::to(&format!("/units/{code}/{year}/monitor.{format}{as_of}")).into_response());
    }
    let kind = OtherReport::parse(&query)?;
    if kind.is_some() && download == Download::Xlsx {
        return Err(AppError::NotFound.into());
    }
    let e = uy.evaluation()?;
    // The binary documents take up to a second of CPU (typst); kept off the async workers.
    let data = uy.data.clone();
    let title = match &kind {
        Some(OtherReport::Project(project)) => {
            let name = uy.data.books.project(project).map(|p| p.name.clone()).ok_or(AppError::NotFound)?;
            format!("{year}年度{name}项目支出绩效自评报告")
        }
        Some(OtherReport::Targets) => format!("{}年度绩效目标申报表（草稿）", year + 1),
        None if download == Download::Xlsx => format!("{year}年度决算公开表及绩效自评表"),
        None => format!("{year}年度部门整体支出绩效自评报告"),
    };
    let file = format!("{}-{title}.{format}", uy.unit.name);
    let body = tokio::task::spawn_blocking(move || match kind {
        Some(kind) => other_document(&data, &e, &kind, download),
        None => document(&data, download),
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(download.response(&file, body))
}

/// A report opened in the browser is a document, not an application: sandboxed (no script, its own
/// origin), nothing loaded, and only its own `<style>` block (by hash) applied.
pub(crate) fn report_csp(body: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let text = std::str::from_utf8(body).unwrap_or_default();
    let style = text.split_once("<style>").and_then(|(_, rest)| rest.split_once("</style>")).map(|(style, _)| style);
    let style_src = style.map_or("'none'".to_string(), |s| {
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s.as_bytes())))
    });
    format!("sandbox; default-src 'none'; style-src {style_src}; img-src data:; frame-ancestors 'self'")
}

/// A report download format, by its file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Download {
    Markdown,
    Html,
    Docx,
    Pdf,
    Xlsx,
}

impl Download {
    pub(crate) fn parse(extension: &str) -> Option<Download> {
        Some(match extension {
            "md" => Download::Markdown,
            "html" => Download::Html,
            "docx" => Download::Docx,
            "pdf" => Download::Pdf,
            "xlsx" => Download::Xlsx,
            _ => return None,
        })
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Download::Markdown => "text/markdown; charset=utf-8",
            Download::Html => "text/html; charset=utf-8",
            Download::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Download::Pdf => "application/pdf",
            Download::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Shown in the browser (text, PDF) or saved (Word, Excel).
    pub(crate) fn disposition(self) -> &'static str {
        if matches!(self, Download::Docx | Download::Xlsx) { "attachment" } else { "inline" }
    }

    /// The document `body` as the answer to a download, named `file`, under the reports' CSP.
    pub(crate) fn response(self, file: &str, body: Vec<u8>) -> Response {
        let disposition = format!("{}; filename*=UTF-8''{}", self.disposition(), percent_encode(file));
        (
            [
                (header::CONTENT_TYPE, self.mime().to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CONTENT_SECURITY_POLICY, report_csp(&body)),
            ],
            body,
        )
            .into_response()
    }

    /// The template format, for the formats rendered from text templates.
    fn text_format(self) -> Option<jixiao_report::Format> {
        match self {
            Download::Markdown => Some(jixiao_report::Format::Markdown),
            Download::Html => Some(jixiao_report::Format::Html),
            _ => None,
        }
    }
}

/// One unit-year's report in a download format.
fn document(data: &Computed, download: Download) -> Result<Vec<u8>, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(e.to_string());
    let evaluation = data.assessment.evaluation().map_err(|e| internal(&e))?;
    let model = data.report_model(jixiao_core::MoneyUnit::Wan).map_err(|e| internal(&e))?;
    Ok(match download {
        Download::Markdown => jixiao_report::render(&model, jixiao_report::Format::Markdown).map_err(|e| internal(&e))?.into_bytes(),
        Download::Html => jixiao_report::render(&model, jixiao_report::Format::Html).map_err(|e| internal(&e))?.into_bytes(),
        Download::Docx => jixiao_documents::docx(&jixiao_documents::outline(&model)).map_err(|e| internal(&e))?,
        Download::Xlsx => jixiao_documents::workbook_in(&data.books, evaluation, jixiao_core::MoneyUnit::Wan, data.prior.as_ref())
            .map_err(|e| internal(&e))?,
        Download::Pdf => jixiao_pdf::render(&data.books, &model, report_fonts()?).map_err(|e| internal(&e))?,
    })
}

/// A report kind besides the department's (`?kind=`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum OtherReport {
    /// 项目支出绩效自评报告 of one project.
    Project(String),
    /// Next year's 绩效目标申报表.
    Targets,
}

impl OtherReport {
    fn parse(query: &Fields) -> Result<Option<OtherReport>, AppError> {
        Ok(match query.get("kind").map(String::as_str) {
            None | Some("department") => None,
            Some("project") => Some(OtherReport::Project(
                query
                    .get("project")
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| AppError::BadRequest("项目支出绩效自评报告需要指定项目（project=项目编码）".into()))?
                    .clone(),
            )),
            Some("targets") => Some(OtherReport::Targets),
            Some(_) => return Err(AppError::NotFound),
        })
    }
}

/// A project report or the target draft in a download format (not xlsx), as `jixiao report --kind` writes it.
fn other_document(data: &Computed, evaluation: &Evaluation, kind: &OtherReport, download: Download) -> Result<Vec<u8>, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(e.to_string());
    let (outline, ident) = match kind {
        OtherReport::Project(code) => {
            let report = jixiao_core::project_report::build(&data.books, evaluation, code, jixiao_core::MoneyUnit::Wan)
                .map_err(|_| AppError::NotFound)?;
            (jixiao_documents::outline::project_outline(&report), format!("project/{code}"))
        }
        OtherReport::Targets => (
            jixiao_documents::outline::targets_outline(&jixiao_core::targets::build(&data.books, jixiao_core::MoneyUnit::Wan)),
            "targets".to_string(),
        ),
    };
    Ok(match download {
        Download::Markdown => jixiao_documents::text::markdown(&outline).into_bytes(),
        Download::Html => jixiao_documents::text::html(&outline).into_bytes(),
        Download::Docx => jixiao_documents::docx(&outline).map_err(|e| internal(&e))?,
        Download::Pdf => jixiao_pdf::render_outline(&data.books, &outline, &ident, report_fonts()?).map_err(|e| internal(&e))?.0,
        Download::Xlsx => return Err(AppError::NotFound),
    })
}

/// The CJK fonts for PDF reports, found once (JIXIAO_FONT_DIR or the Debian font directories).
pub(crate) fn report_fonts() -> Result<&'static jixiao_pdf::FontSet, AppError> {
    static FONTS: std::sync::OnceLock<Result<jixiao_pdf::FontSet, String>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| jixiao_pdf::FontSet::from_env().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(format!("无法生成 PDF：{e}")))
}

pub(crate) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

pub async fn task_action(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, action)): Path<(String, i32, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    check_csrf(&user, &fields)?;
    let uy = load(&state, &user, &code, year).await?;
    do_task_action(&state, &user, &uy, &action, fields.get("comment").map(String::as_str)).await?;
    let back = if user.role == Role::Bureau { "/units".to_string() } else { format!("/units/{code}/{year}") };
    Ok(Redirect::to(&back).into_response())
}

/// The error-level findings still open in a unit-year: approving it over them needs a written reason.
pub(crate) fn open_errors(uy: &UnitYearView) -> usize {
    uy.findings.iter().filter(|f| f.severity == Severity::Error).count()
}

/// Performs a workflow action if the user may and the task is where the action starts. 审核通过 while
/// error-level findings are open needs a written reason, which the task log keeps as the comment.
pub async fn do_task_action(
    state: &SharedState,
    user: &CurrentUser,
    uy: &UnitYearView,
    action: &str,
    comment: Option<&str>,
) -> Result<TaskRow, AppError> {
    let action = TaskAction::parse(action).ok_or(AppError::NotFound)?;
    user.require(may_take(user, &uy.unit, action))?;
    let from = uy.task.as_ref().map(|t| t.status);
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    let to = action.transition(from, comment, open_errors(uy)).map_err(|e| AppError::BadRequest(e.to_string()))?;
    Ok(state
        .store
        .transition_task(&uy.unit.code, uy.year, from, to, &format!("{}（{}）", user.display_name, user.role_label), comment)
        .await?)
}
