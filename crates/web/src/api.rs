//! The HTTP JSON API: the same operations as the pages, for other systems. A session comes from
//! `POST /api/login` (a cookie, plus the CSRF token every write must send as `X-CSRF-Token`); without one,
//! every data route answers 401. The OpenAPI document is at `/api/openapi.json`.

use crate::auth::{CurrentUser, tokens_match};
use crate::entry::{add_record, indicator_result_fields};
use crate::pages::{approve_voucher, date_in_year, do_task_action, entry_override, load, require_entry, start_session, today};
use crate::{AppError, SharedState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use jixiao_core::budget_control::{self, OverrideRequest};
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
    /// 超控理由: passes a 刚性控制 stop (reviewer or unit_admin only); kept as a 超控记录.
    pub override_reason: Option<String>,
}

/// A budget-control outcome of an accepted entry: a 预警控制 warning or a 刚性控制 override.
#[derive(Serialize, ToSchema)]
pub struct ControlNote {
    /// BUDGET_CONTROL_WARN | BUDGET_CONTROL_OVERRIDDEN
    pub rule_id: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct EntryAccepted {
    pub voucher_no: String,
    pub controls: Vec<ControlNote>,
}

/// Where an appropriation line stands for budget control, amounts in 元 with two decimals.
#[derive(Serialize, ToSchema)]
pub struct LineAvailable {
    pub line_code: String,
    pub annual: String,
    pub committed: String,
    pub spent: String,
    /// 可用余额 = 全年预算 − 已占用 − 已支出.
    pub available: String,
    /// 控制方式: 刚性控制 | 预警控制 | 不控制
    pub mode: String,
    pub tolerance_bp: i64,
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
pub async fn login(
    State(state): State<SharedState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    jar: CookieJar,
    Json(req): Json<LoginRequest>,
) -> Result<Response, AppError> {
    let address = crate::pages::client_address(&extensions);
    let locked = crate::pages::locked_out(&state, &req.username, &address);
    let user = if locked.is_some() { None } else { crate::pages::authenticate(&state, &req.username, &req.password).await? };
    crate::pages::sign_in_outcome(&state, &req.username, &req.password, &address, locked, user.is_some()).await?;
    if let Some(seconds) = locked {
        return Err(AppError::BadRequest(crate::pages::lockout_message(seconds)));
    }
    let user = user.ok_or(AppError::Unauthenticated)?;
    let jar = start_session(&state, jar, user.id, crate::pages::secure_cookie(&state, &headers)).await?;
    let token = jar.get(crate::auth::SESSION_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    let (_, csrf) = state.store.session_user(&token).await?.ok_or(AppError::Unauthenticated)?;
    Ok((jar, Json(LoginResponse { username: user.username, display_name: user.display_name, role: user.role, csrf_token: csrf }))
        .into_response())
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
pub async fn summary(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Json<YearSummary>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    let m = uy.figures();
    let count = |s: jixiao_core::finding::Severity| uy.findings.iter().filter(|f| f.severity == s).count();
    Ok(Json(YearSummary {
        unit_code: code,
        year,
        annual_budget: m.spending.annual_budget.text,
        spent: m.spending.total.text,
        execution_rate: m.spending.execution_rate.text,
        basic: m.spending.basic.text,
        project: m.spending.project.text,
        sangong: m.spending.sangong_spent.text,
        task_status: uy.task.as_ref().map(|t| t.status.id().to_string()),
        errors: count(jixiao_core::finding::Severity::Error),
        warnings: count(jixiao_core::finding::Severity::Warning),
    }))
}

#[utoipa::path(get, path = "/api/units/{code}/{year}/check", params(("code" = String, Path), ("year" = i32, Path)), responses((status = 200, description = "账务核对结果（同 jixiao check --format json）"), (status = 401)))]
pub async fn check(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Json<serde_json::Value>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    Ok(Json(serde_json::to_value(&uy.findings).map_err(|e| AppError::Internal(e.to_string()))?))
}

#[utoipa::path(get, path = "/api/units/{code}/{year}/evaluation", params(("code" = String, Path), ("year" = i32, Path)), responses((status = 200, description = "绩效评价结果（同 jixiao evaluate --format json）"), (status = 401)))]
pub async fn evaluation(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
) -> Result<Json<serde_json::Value>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    Ok(Json(serde_json::to_value(uy.evaluation()?).map_err(|e| AppError::Internal(e.to_string()))?))
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/expenditures", params(("code" = String, Path), ("year" = i32, Path)), request_body = ExpenditureInput,
    responses((status = 201, body = EntryAccepted, description = "已登记（controls 列出预警或超控）"), (status = 422, body = EntryRefused, description = "未登记；刚性控制超支时 errors.amount 含 BUDGET_CONTROL_STOP"), (status = 401), (status = 403)))]
pub async fn add_expenditure(
    State(state): State<SharedState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((code, year)): Path<(String, i32)>,
    Json(input): Json<ExpenditureInput>,
) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    let request = entry_override(&user, &uy, input.override_reason.as_deref())?;
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
    controlled_entry(&state, &user, &code, "expenditures", &fields, request.as_ref(), input.voucher_no).await
}

/// Adds a record under budget control and answers 201 with the control notes, or 422 with the refusal.
async fn controlled_entry(
    state: &SharedState,
    user: &CurrentUser,
    code: &str,
    kind: &'static str,
    fields: &BTreeMap<String, String>,
    request: Option<&OverrideRequest>,
    key: String,
) -> Result<Response, AppError> {
    match add_record(&state.store, code, kind, fields, user, "API", request).await {
        Ok(controls) => {
            let controls = controls.iter().map(|c| ControlNote { rule_id: c.rule_id().into(), message: c.message() }).collect();
            Ok((StatusCode::CREATED, Json(EntryAccepted { voucher_no: key, controls })).into_response())
        }
        Err(Ok(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(EntryRefused { error: errors.summary(), errors: errors.by_field })).into_response())
        }
        Err(Err(e)) => Err(e),
    }
}

/// A commitment (预算占用): a purchase request or contract reserving part of a line; cancel one by posting a
/// reversal (negative amount naming it in `reverses`).
#[derive(Deserialize, ToSchema)]
pub struct CommitmentInput {
    pub commitment_no: String,
    pub date: Option<String>,
    pub line_code: String,
    /// 采购申请 | 合同 (or purchase_request | contract)
    pub kind: String,
    /// 元, at most two decimals.
    pub amount: String,
    /// Payments naming the same 采购编号 release it.
    pub procurement_ref: Option<String>,
    pub reverses: Option<String>,
    pub note: Option<String>,
    /// 超控理由 (reviewer or unit_admin only).
    pub override_reason: Option<String>,
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/commitments", params(("code" = String, Path), ("year" = i32, Path)), request_body = CommitmentInput,
    responses((status = 201, body = EntryAccepted), (status = 422, body = EntryRefused, description = "未登记；刚性控制超支时含 BUDGET_CONTROL_STOP"), (status = 401), (status = 403)))]
pub async fn add_commitment(
    State(state): State<SharedState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((code, year)): Path<(String, i32)>,
    Json(input): Json<CommitmentInput>,
) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    let request = entry_override(&user, &uy, input.override_reason.as_deref())?;
    let fields: BTreeMap<String, String> = [
        ("commitment_no", Some(input.commitment_no.clone())),
        ("year", Some(year.to_string())),
        ("date", Some(input.date.unwrap_or_else(|| date_in_year(year).to_string()))),
        ("line_code", Some(input.line_code)),
        ("kind", Some(input.kind)),
        ("amount", Some(input.amount)),
        ("procurement_ref", input.procurement_ref),
        ("reverses", input.reverses),
        ("recorded_by", Some(user.display_name.clone())),
        ("note", input.note),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.trim().is_empty()).map(|v| (k.to_string(), v)))
    .collect();
    controlled_entry(&state, &user, &code, "commitments", &fields, request.as_ref(), input.commitment_no).await
}

/// A voucher's approval (凭证审核).
#[derive(Serialize, ToSchema)]
pub struct ApprovalState {
    pub approval_code: String,
    pub voucher_no: String,
    /// The user (or the import source) that entered the voucher.
    pub entered_by: String,
    pub approved_by: String,
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/expenditures/{voucher}/approve", params(("code" = String, Path), ("year" = i32, Path), ("voucher" = String, Path)),
    responses((status = 201, body = ApprovalState), (status = 403), (status = 404), (status = 422, description = "本人录入（SEGREGATION_OF_DUTIES）或已审核")))]
pub async fn approve(
    State(state): State<SharedState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((code, year, voucher)): Path<(String, i32, String)>,
) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    let a = approve_voucher(&state, &user, &uy, &voucher).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApprovalState {
            approval_code: a.approval_code,
            voucher_no: a.voucher_no,
            entered_by: a.entered_by,
            approved_by: a.approved_by,
        }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/units/{code}/{year}/lines/{line}/available", params(("code" = String, Path), ("year" = i32, Path), ("line" = String, Path)),
    responses((status = 200, body = LineAvailable), (status = 401), (status = 403), (status = 404)))]
pub async fn line_available(
    State(state): State<SharedState>,
    user: CurrentUser,
    Path((code, year, line)): Path<(String, i32, String)>,
) -> Result<Json<LineAvailable>, AppError> {
    let uy = load(&state, &user, &code, year).await?;
    let books = &uy.books;
    books.line(&line).ok_or(AppError::NotFound)?;
    let p = budget_control::line_position(books, &line);
    let c = budget_control::line_control(&books.unit, &books.records, year, &line);
    Ok(Json(LineAvailable {
        line_code: line,
        annual: p.annual.yuan_string(),
        committed: p.committed.yuan_string(),
        spent: p.spent.yuan_string(),
        available: p.available().yuan_string(),
        mode: c.mode.label().into(),
        tolerance_bp: c.tolerance_bp,
    }))
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/indicators/{indicator}/results", params(("code" = String, Path), ("year" = i32, Path), ("indicator" = String, Path, description = "指标编码")),
    request_body = IndicatorResultInput, responses((status = 201, description = "已登记"), (status = 422, body = EntryRefused), (status = 401), (status = 403), (status = 404, description = "没有这个指标")))]
pub async fn add_indicator_result(
    State(state): State<SharedState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((code, year, indicator)): Path<(String, i32, String)>,
    Json(input): Json<IndicatorResultInput>,
) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    require_entry(&user, &uy)?;
    let entered: BTreeMap<String, String> =
        [("actual", Some(input.actual)), ("evidence", input.evidence), ("deviation_reason", input.deviation_reason)]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect();
    let fields = indicator_result_fields(&uy.books, &indicator, today(), &entered, &user.display_name).ok_or(AppError::NotFound)?;
    match add_record(&state.store, &code, "indicator_results", &fields, &user, "API", None).await {
        Ok(_) => Ok((StatusCode::CREATED, Json(serde_json::json!({ "result_code": fields["result_code"] }))).into_response()),
        Err(Ok(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(EntryRefused { error: errors.summary(), errors: errors.by_field })).into_response())
        }
        Err(Err(e)) => Err(e),
    }
}

#[utoipa::path(post, path = "/api/units/{code}/{year}/task/{action}", params(("code" = String, Path), ("year" = i32, Path), ("action" = String, Path, description = "issue | start | submit | approve | return")),
    request_body = TaskRequest, responses((status = 200, body = TaskState), (status = 403), (status = 422)))]
pub async fn task(
    State(state): State<SharedState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((code, year, action)): Path<(String, i32, String)>,
    body: Option<Json<TaskRequest>>,
) -> Result<Json<TaskState>, AppError> {
    require_csrf(&user, &headers)?;
    let uy = load(&state, &user, &code, year).await?;
    let comment = body.and_then(|Json(b)| b.comment);
    let t = do_task_action(&state, &user, &uy, &action, comment.as_deref()).await?;
    Ok(Json(TaskState { label: t.status.label().to_string(), status: t.status.id().to_string() }))
}

#[derive(Serialize, ToSchema)]
pub struct ImportDone {
    pub added: usize,
    pub unchanged: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRefused {
    pub error: String,
    /// Each error: file, sheet, row, column, value, message, rule.
    pub errors: Vec<serde_json::Value>,
}

/// The web upload's import for other systems: multipart field `files` (one .xlsx workbook, or CSV files), the
/// CSRF token as `X-CSRF-Token`. Refused (403) for a record kind the role may not import.
#[utoipa::path(post, path = "/api/units/{code}/{year}/import", params(("code" = String, Path), ("year" = i32, Path)),
    responses((status = 201, body = ImportDone), (status = 422, body = ImportRefused), (status = 401), (status = 403, description = "角色无权导入（错误信息指明记录类别）")))]
pub async fn import(
    State(state): State<SharedState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((code, year)): Path<(String, i32)>,
    multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    require_csrf(&user, &headers)?;
    let (_, files) = crate::pages::read_upload(multipart).await?;
    // Blank unit sheets take the stored profile; a changed one is refused here (the page asks the user).
    let profile = match crate::pages::compare_unit_sheets(&state, &user, &code, year, &files).await? {
        crate::pages::Compared::Same(profile) => profile.map(|p| crate::pages::ImportUnit::kept(*p)),
        crate::pages::Compared::Changed(uploaded) => {
            let differences = uploaded.differences;
            let list: Vec<serde_json::Value> = differences.iter().map(|d| serde_json::json!({ "file": "", "sheet": "单位信息", "row": null, "column": d.field, "value": d.uploaded, "message": format!("已登记为「{}」，与上传文件不同", d.stored), "rule": "WEB_UNIT_PROFILE_CHANGED" })).collect();
            let error = format!(
                "上传文件中的单位信息与已登记的不同（{}），未导入任何记录；请按已登记的填写或留空，单位信息确有变更的，由单位管理员在网页导入页确认变更",
                differences.iter().map(|d| d.field.as_str()).collect::<Vec<_>>().join("、")
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(ImportRefused { error, errors: list })).into_response());
        }
    };
    match crate::pages::import_files(&state, &user, &code, year, &files, profile, "API 导入").await? {
        Ok(o) => Ok((StatusCode::CREATED, Json(ImportDone { added: o.added, unchanged: o.unchanged })).into_response()),
        Err(errors) => {
            let list = errors.iter().map(|e| serde_json::json!({ "file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column, "value": e.value, "message": e.message, "rule": e.rule_id })).collect();
            let error = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(ImportRefused { error, errors: list })).into_response())
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "jixiao API",
        description = "部门整体支出绩效自评：账务、核对、评价与自评任务。先 POST /api/login 取得会话（Cookie）与 CSRF 令牌；写操作须带 X-CSRF-Token 头。"
    ),
    paths(
        login,
        units,
        summary,
        check,
        evaluation,
        import,
        add_expenditure,
        add_commitment,
        approve,
        line_available,
        add_indicator_result,
        task
    ),
    components(schemas(
        ImportDone,
        ImportRefused,
        LoginRequest,
        LoginResponse,
        UnitSummary,
        YearSummary,
        ExpenditureInput,
        CommitmentInput,
        EntryAccepted,
        ControlNote,
        LineAvailable,
        ApprovalState,
        IndicatorResultInput,
        EntryRefused,
        TaskRequest,
        TaskState
    ))
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
        .route("/api/units/{code}/{year}/import", post(import).layer(axum::extract::DefaultBodyLimit::max(crate::pages::MAX_UPLOAD_BYTES)))
        .route("/api/units/{code}/{year}/expenditures", post(add_expenditure))
        .route("/api/units/{code}/{year}/commitments", post(add_commitment))
        .route("/api/units/{code}/{year}/expenditures/{voucher}/approve", post(approve))
        .route("/api/units/{code}/{year}/lines/{line}/available", get(line_available))
        .route("/api/units/{code}/{year}/indicators/{indicator}/results", post(add_indicator_result))
        .route("/api/units/{code}/{year}/task/{action}", post(task))
        .route("/api/openapi.json", get(openapi))
}
