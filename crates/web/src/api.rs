//! The HTTP JSON API: the same operations as the pages, for other systems. A session comes from
//! `POST /api/login` (a cookie, plus the CSRF token every write must send as `X-CSRF-Token`); without one,
//! every data route answers 401. The OpenAPI document is at `/api/openapi.json`.

use crate::auth::{CurrentUser, tokens_match, verify_password};
use crate::entry::{add_record, indicator_result_fields};
use crate::pages::{date_in_year, do_task_action, load, require_entry, start_session, status_label, today};
use crate::{AppError, SharedState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{OpenApi, ToSchema};

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub username: String,
    pub display_name: String,
    /// clerk | reviewer | unit_admin | bureau
    pub role: String,
    /// Send as the `X-CSRF-Token` header with every write.
    pub csrf_token: String,
}

#[derive(Serialize, ToSchema)]
pub struct UnitSummary {
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub years: Vec<i32>,
}

/// Figures of one unit-year, in 万元 with two decimals (text, as printed), rates in percent.
#[derive(Serialize, ToSchema)]
pub struct YearSummary {
    pub unit_code: String,
    pub year: i32,
    pub annual_budget: String,
    pub spent: String,
    pub execution_rate: String,
    pub basic: String,
    pub project: String,
    pub sangong: String,
    pub task_status: Option<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// An expenditure voucher, as typed: amounts in 元 with at most two decimals, dates YYYY-MM-DD.
#[derive(Deserialize, ToSchema)]
pub struct ExpenditureInput {
    pub voucher_no: String,
    pub date: Option<String>,
    pub line_code: String,
    pub amount: String,
    pub payee: String,
    pub purpose: String,
    pub procurement_ref: Option<String>,
    pub reverses: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
}

/// A project indicator's measured value (指标完成登记), with its evidence.
#[derive(Deserialize, ToSchema)]
pub struct IndicatorResultInput {
    pub actual: String,
    pub evidence: Option<String>,
    pub deviation_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryRefused {
    pub error: String,
    /// field → messages
    pub errors: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct TaskRequest {
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskState {
    pub status: String,
    pub label: String,
}

fn require_csrf(user: &CurrentUser, headers: &HeaderMap) -> Result<(), AppError> {
    match headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        Some(t) if tokens_match(t, &user.csrf_token) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

#[utoipa::path(post, path = "/api/login", request_body = LoginRequest, responses((status = 200, body = LoginResponse), (status = 401, description = "用户名或密码错误")))]
pub async fn login(State(state): State<SharedState>, jar: CookieJar, Json(req): Json<LoginRequest>) -> Result<Response, AppError> {
    if crate::pages::locked_out(&state, &req.username) {
        return Err(AppError::BadRequest("登录失败次数过多，请15分钟后再试".into()));
    }
    let user = state.store.user(&req.username).await?.filter(|u| verify_password(&req.password, &u.password_hash));
    crate::pages::record_login(&state, &req.username, user.is_some());
    let user = user.ok_or(AppError::Unauthenticated)?;
    let jar = start_session(&state, jar, user.id).await?;
    let token = jar.get(crate::auth::SESSION_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    let (_, csrf) = state.store.session_user(&token).await?.ok_or(AppError::Unauthenticated)?;
    Ok((jar, Json(LoginResponse { username: user.username, display_name: user.display_name, role: user.role, csrf_token: csrf })).into_response())
}

#[utoipa::path(get, path = "/api/units", responses((status = 200, body = [UnitSummary]), (status = 401)))]
pub async fn units(State(state): State<SharedState>, user: CurrentUser) -> Result<Json<Vec<UnitSummary>>, AppError> {
    let mut out = Vec::new();
    for (code, _) in state.store.units().await? {
        let Some(unit) = state.store.unit(&code).await? else { continue };
        if user.can_view(&unit) {
            let years = state.store.years(&code).await?.iter().map(|y| y.year).collect();
            out.push(UnitSummary { code: unit.code, name: unit.name, region_code: unit.region_code, years });
        }
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/units/{code}/{year}/summary", params(("code" = String, Path), ("year" = i32, Path)), responses((status = 200, body = YearSummary), (status = 401), (status = 403)))]
pub async fn summary(State(state): State<SharedState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Json<YearSummary>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    let m = uy.model(None);
    let count = |s: jixiao_core::check::Severity| uy.findings.iter().filter(|f| f.severity == s).count();
    Ok(Json(YearSummary {
        unit_code: code,
        year,
        annual_budget: m.spending.annual_budget.text,
        spent: m.spending.total.text,
        execution_rate: m.spending.execution_rate.text,
        basic: m.spending.basic.text,
        project: m.spending.project.text,
        sangong: m.spending.sangong_spent.text,
        task_status: uy.task.as_ref().map(|t| t.status.clone()),
        errors: count(jixiao_core::check::Severity::Error),
        warnings: count(jixiao_core::check::Severity::Warning),
    }))
}

#[utoipa::path(get, path = "/api/units/{code}/{year}/check", params(("code" = String, Path), ("year" = i32, Path)), responses((status = 200, description = "账务核对结果（同 jixiao check --format json）"), (status = 401)))]
pub async fn check(State(state): State<SharedState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Json<serde_json::Value>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    Ok(Json(serde_json::to_value(&uy.findings).map_err(|e| AppError::Internal(e.to_string()))?))
}

#[utoipa::path(get, path = "/api/units/{code}/{year}/evaluation", params(("code" = String, Path), ("year" = i32, Path)), responses((status = 200, description = "绩效评价结果（同 jixiao evaluate --format json）"), (status = 401)))]
pub async fn evaluation(State(state): State<SharedState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Json<serde_json::Value>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    Ok(Json(serde_json::to_value(uy.evaluation()?).map_err(|e| AppError::Internal(e.to_string()))?))
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/expenditures", params(("code" = String, Path), ("year" = i32, Path)), request_body = ExpenditureInput,
    responses((status = 201, description = "已登记"), (status = 422, body = EntryRefused), (status = 401), (status = 403)))]
pub async fn add_expenditure(State(state): State<SharedState>, user: CurrentUser, headers: HeaderMap, Path((code, year)): Path<(String, i32)>, Json(input): Json<ExpenditureInput>) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    let mut fields: BTreeMap<String, String> = [
        ("voucher_no", Some(input.voucher_no.clone())),
        ("year", Some(year.to_string())),
        ("date", Some(input.date.unwrap_or_else(|| date_in_year(year).to_string()))),
        ("line_code", Some(input.line_code)),
        ("amount", Some(input.amount)),
        ("payee", Some(input.payee)),
        ("purpose", Some(input.purpose)),
        ("procurement_ref", input.procurement_ref),
        ("reverses", input.reverses),
        ("recorded_by", Some(input.recorded_by.unwrap_or_else(|| user.display_name.clone()))),
        ("note", input.note),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
    .collect();
    fields.retain(|_, v| !v.trim().is_empty());
    match add_record(&state.store, &code, "expenditures", &fields, &format!("API：{}", user.username)).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(serde_json::json!({ "voucher_no": input.voucher_no }))).into_response()),
        Err(Ok(errors)) => Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(EntryRefused { error: errors.summary(), errors: errors.by_field })).into_response()),
        Err(Err(e)) => Err(e),
    }
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/indicators/{indicator}/results", params(("code" = String, Path), ("year" = i32, Path), ("indicator" = String, Path, description = "指标编码")),
    request_body = IndicatorResultInput, responses((status = 201, description = "已登记"), (status = 422, body = EntryRefused), (status = 401), (status = 403), (status = 404, description = "没有这个指标")))]
pub async fn add_indicator_result(State(state): State<SharedState>, user: CurrentUser, headers: HeaderMap, Path((code, year, indicator)): Path<(String, i32, String)>, Json(input): Json<IndicatorResultInput>) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    let entered: BTreeMap<String, String> = [("actual", Some(input.actual)), ("evidence", input.evidence), ("deviation_reason", input.deviation_reason)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect();
    let fields = indicator_result_fields(&uy.books, &indicator, today(), &entered, &user.display_name).ok_or(AppError::NotFound)?;
    match add_record(&state.store, &code, "indicator_results", &fields, &format!("API：{}", user.username)).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(serde_json::json!({ "result_code": fields["result_code"] }))).into_response()),
        Err(Ok(errors)) => Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(EntryRefused { error: errors.summary(), errors: errors.by_field })).into_response()),
        Err(Err(e)) => Err(e),
    }
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/task/{action}", params(("code" = String, Path), ("year" = i32, Path), ("action" = String, Path, description = "issue | start | submit | approve | return")),
    request_body = TaskRequest, responses((status = 200, body = TaskState), (status = 403), (status = 422)))]
pub async fn task(State(state): State<SharedState>, user: CurrentUser, headers: HeaderMap, Path((code, year, action)): Path<(String, i32, String)>, body: Option<Json<TaskRequest>>) -> Result<Json<TaskState>, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    let comment = body.and_then(|Json(b)| b.comment);
    let t = do_task_action(&state, &user, &uy.unit, year, uy.task.as_ref(), &action, comment.as_deref()).await?;
    Ok(Json(TaskState { label: status_label(&t.status).to_string(), status: t.status }))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "jixiao API", description = "部门整体支出绩效自评：账务、核对、评价与自评任务。先 POST /api/login 取得会话（Cookie）与 CSRF 令牌；写操作须带 X-CSRF-Token 头。"),
    paths(login, units, summary, check, evaluation, add_expenditure, add_indicator_result, task),
    components(schemas(LoginRequest, LoginResponse, UnitSummary, YearSummary, ExpenditureInput, IndicatorResultInput, EntryRefused, TaskRequest, TaskState))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/units", get(units))
        .route("/api/units/{code}/{year}/summary", get(summary))
        .route("/api/units/{code}/{year}/check", get(check))
        .route("/api/units/{code}/{year}/evaluation", get(evaluation))
        .route("/api/units/{code}/{year}/expenditures", post(add_expenditure))
        .route("/api/units/{code}/{year}/indicators/{indicator}/results", post(add_indicator_result))
        .route("/api/units/{code}/{year}/task/{action}", post(task))
        .route("/api/openapi.json", get(openapi))
}
