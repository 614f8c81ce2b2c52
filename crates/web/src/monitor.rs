//! 绩效运行监控 in the browser: a unit's 预算绩效运行监控表 as of a chosen date (default today, clamped into the
//! fiscal year), downloadable in every format, and the 财政局's list of which units of its area have done
//! their monitoring. "Done" is read from the records (core `monitoring::status`): a 绩效监控记录 dated in the
//! year on the unit as a whole and on every project of the year (a note on one of a project's indicators
//! covers the project); some notes but not all rows is 部分完成, none is 未开展.

use crate::pages::{Download, PageResult, bureau_name, load, merge, region_scope, render, report_fonts, unit_ctx};
use crate::{AppError, PageUser, SharedState};
use axum::extract::{Path, Query, State};
use jixiao_core::Date;
use jixiao_core::RecordSet;
use jixiao_core::monitoring::{STATUS_KINDS, build, status};
use jixiao_documents::Orientation;
use jixiao_documents::text::{html, markdown};
use serde_json::json;
use std::collections::BTreeMap;

/// Today in China Standard Time, as the finance officer's calendar shows it.
fn today() -> Date {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Date::from_unix_days((seconds + 8 * 3600).div_euclid(86_400)).unwrap_or(Date { year: 2000, month: 1, day: 1 })
}

/// `as_of` from the query (YYYY-MM-DD) or today, clamped into fiscal `year` (1 January – 31 December).
fn as_of(query: &BTreeMap<String, String>, year: i32) -> Result<Date, AppError> {
    let date = match query.get("as_of").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(text) => {
            Date::parse(text).ok_or_else(|| AppError::BadRequest(format!("监控日期「{text}」不是有效日期（应为 YYYY-MM-DD）")))?
        }
        None => today(),
    };
    let (first, last) = (Date { year, month: 1, day: 1 }, Date { year, month: 12, day: 31 });
    Ok(date.clamp(first, last))
}

pub async fn monitor_page(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year)): Path<(String, i32)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let as_of = as_of(&query, year)?;
    let m = build(&uy.books, as_of);
    let behind: Vec<String> = m.funds.iter().filter(|r| r.behind).map(|r| r.label.clone()).collect();
    let s = status(year, &uy.books.records);
    let ctx = json!({
        "as_of": as_of.to_string(), "as_of_text": as_of.chinese(), "time_progress": m.time_progress.text,
        "unit_rate": m.funds.first().map(|r| r.execution_rate.text.clone()), "behind": behind,
        "status": { "label": s.label(), "notes": s.notes, "projects": s.projects, "projects_covered": s.projects_covered, "unit_covered": s.unit_covered },
    });
    Ok(render(&state, "monitor.html", Some(&user), merge(unit_ctx(&uy, &user, "monitor"), ctx))?)
}

pub async fn monitor_download(
    State(state): State<SharedState>,
    PageUser(user): PageUser,
    Path((code, year, format)): Path<(String, i32, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> PageResult {
    let uy = load(&state, &user, &code, year).await?;
    let download = Download::parse(&format).ok_or(AppError::NotFound)?;
    let as_of = as_of(&query, year)?;
    let m = build(&uy.books, as_of);
    let file = format!("{}-{}年度预算绩效运行监控表（截至{as_of}）.{format}", uy.unit.name, year);
    // PDF typesetting takes up to a second of CPU: off the async workers, like the report's.
    let body = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let internal = |e: &dyn std::fmt::Display| AppError::Internal(e.to_string());
        let outline = jixiao_documents::monitor_outline(&m);
        Ok(match download {
            Download::Markdown => markdown(&outline).into_bytes(),
            Download::Html => html(&outline).into_bytes(),
            Download::Docx => jixiao_documents::docx_in(&outline, Orientation::Landscape).map_err(|e| internal(&e))?,
            Download::Xlsx => jixiao_documents::monitor_workbook(&m).map_err(|e| internal(&e))?,
            Download::Pdf => {
                jixiao_pdf::render_outline_turned(&outline, &m.unit_name, &m.unit_code, as_of, Orientation::Landscape, report_fonts()?)
                    .map_err(|e| internal(&e))?
            }
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(download.response(&file, body))
}

/// The 财政局's area: every unit it may see that holds books of the year, with its monitoring status. Reads
/// only the record kinds the status is computed from, for the whole area in one statement per kind, not each
/// unit's books.
pub async fn region_monitoring(State(state): State<SharedState>, PageUser(user): PageUser, Path(year): Path<i32>) -> PageResult {
    let scope = region_scope(&user)?;
    let with_year = state.store.units_with_year(&scope, year).await?;
    let records = state.store.scope_records(&scope, year, &STATUS_KINDS).await?;
    let none = RecordSet::default();
    let mut rows = Vec::new();
    for unit in state.store.directory(&scope).await?.into_iter().filter(|u| user.can_view(u) && with_year.contains(&u.code)) {
        let s = status(year, records.get(&unit.code).unwrap_or(&none));
        rows.push(json!({
            "code": unit.code, "name": unit.name, "label": s.label(), "done": s.done(), "notes": s.notes,
            "latest": s.latest.map(|d| d.to_string()), "unit_covered": s.unit_covered, "projects": s.projects, "projects_covered": s.projects_covered,
        }));
    }
    let done = rows.iter().filter(|r| r["done"] == true).count();
    Ok(render(
        &state,
        "region_monitoring.html",
        Some(&user),
        json!({ "year": year, "bureau": bureau_name(&user), "rows": rows, "done": done }),
    )?)
}
