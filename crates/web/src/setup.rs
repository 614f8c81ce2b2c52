//! Setting up a server: the demo (dataset, users, an issued task) and user management for the CLI.

use crate::AppError;
use crate::auth::{Role, hash_password};
use jixiao_import::demo::{DEMO_UNIT, DEMO_YEAR};
use jixiao_store::Store;

/// The demo's users (password `demo`): username, display name, role; unit roles belong to the demo unit,
/// the 财政局 user to its district (430102).
pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("clerk", "张晓燕", Role::Clerk),
    ("reviewer", "李明", Role::Reviewer),
    ("admin", "王芳", Role::UnitAdmin),
    ("bureau", "芙蓉区财政局 刘洋", Role::Bureau),
];
pub const DEMO_PASSWORD: &str = "demo";

/// Loads the demo dataset (if not there yet), its users and the 2020 self-evaluation task.
pub async fn load_demo(store: &Store) -> Result<(), AppError> {
    let dir = tempfile::tempdir().map_err(|e| AppError::Internal(e.to_string()))?;
    jixiao_import::demo::unpack_into(dir.path()).map_err(|e| AppError::Internal(e.to_string()))?;
    let source = jixiao_import::read(dir.path()).map_err(|e| AppError::Internal(e.to_string()))?;
    match store.import(&jixiao_import::Streamed::held(source), "演示数据", None, Default::default(), &|_| {}, &[]).await? {
        Err(refusal) => return Err(AppError::Internal(refusal.report())),
        Ok(checked) => {
            checked.commit().await?;
        }
    }
    for (username, display, role) in DEMO_USERS {
        if store.user(username).await?.is_none() {
            let (unit, region) = if *role == Role::Bureau { (None, Some("430102")) } else { (Some(DEMO_UNIT), None) };
            store.create_user(username, display, &hash_password(DEMO_PASSWORD)?, role.id(), unit, region).await?;
        }
    }
    if store.task(DEMO_UNIT, DEMO_YEAR).await?.is_none() {
        store
            .transition_task(
                DEMO_UNIT,
                DEMO_YEAR,
                None,
                jixiao_core::workflow::TaskStatus::Issued,
                "芙蓉区财政局 刘洋",
                Some("请于2021年4月30日前完成2020年度部门整体支出绩效自评"),
            )
            .await?;
    }
    Ok(())
}

/// `jixiao user add`: a new user; unit roles need a unit that exists.
pub async fn add_user(
    store: &Store,
    username: &str,
    display: &str,
    password: &str,
    role: &str,
    unit: Option<&str>,
    region: Option<&str>,
) -> Result<(), AppError> {
    let role = Role::parse(role).ok_or_else(|| {
        AppError::BadRequest(format!("未知角色「{role}」：可选 clerk 填报员、reviewer 审核员、unit_admin 单位管理员、bureau 财政局"))
    })?;
    validate_scope(store, role, unit, region).await?;
    if let Some(problem) = crate::auth::password_problem(password, &[username, display]) {
        return Err(AppError::BadRequest(problem));
    }
    store.create_user(username, display, &hash_password(password)?, role.id(), unit, region).await?;
    Ok(())
}

async fn validate_scope(store: &Store, role: Role, unit: Option<&str>, region: Option<&str>) -> Result<(), AppError> {
    match (role, unit) {
        // A 财政局 user without a region would see no unit (or, before, every unit): refused.
        (Role::Bureau, _) if region.is_none_or(|r| r.trim().is_empty() || !r.chars().all(|c| c.is_ascii_digit())) => {
            Err(AppError::BadRequest("财政局用户必须指定所辖行政区划代码（--region，如 430102；430100 为长沙市全市）".into()))
        }
        (Role::Bureau, _) => Ok(()),
        (_, None) => Err(AppError::BadRequest(format!("{}必须指定所属单位（--unit）", role.label()))),
        (_, Some(code)) if store.unit(code).await?.is_none() => Err(AppError::BadRequest(format!("数据库中没有单位「{code}」"))),
        _ => Ok(()),
    }
}

pub async fn set_password(store: &Store, username: &str, password: &str) -> Result<(), AppError> {
    if let Some(problem) = crate::auth::password_problem(password, &[username]) {
        return Err(AppError::BadRequest(problem));
    }
    store.set_password(username, &hash_password(password)?).await?;
    Ok(())
}

pub async fn set_role(store: &Store, username: &str, role: &str, unit: Option<&str>, region: Option<&str>) -> Result<(), AppError> {
    let role = Role::parse(role).ok_or_else(|| AppError::BadRequest(format!("未知角色「{role}」")))?;
    validate_scope(store, role, unit, region).await?;
    store.set_role(username, role.id(), unit, region).await?;
    Ok(())
}
