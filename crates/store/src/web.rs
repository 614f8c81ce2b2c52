//! What the web application stores beside the books: users, sessions, and the 自评任务 workflow with its log.
//! Passwords arrive hashed; tokens arrive generated: this module only keeps them.

use crate::{Store, StoreError, now_unix};
use jixiao_core::workflow::TaskStatus;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A user as stored. `role` is an id (clerk, reviewer, unit_admin, bureau); `unit_code` scopes unit roles,
/// `region_code` scopes the 财政局 role (a prefix of unit region codes; empty for all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub unit_code: Option<String>,
    pub region_code: Option<String>,
}

/// One 自评任务 (a unit-year's self-evaluation) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: i64,
    pub unit_code: String,
    pub year: i32,
    pub status: TaskStatus,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEvent {
    pub from_status: Option<TaskStatus>,
    pub to_status: TaskStatus,
    pub actor: String,
    pub comment: Option<String>,
    pub at: i64,
}

fn user_of(r: &AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        unit_code: r.try_get("unit_code")?,
        region_code: r.try_get("region_code")?,
    })
}

/// A stored task status, read back into the workflow's enum.
fn status_of(text: String) -> Result<TaskStatus, StoreError> {
    TaskStatus::parse(&text)
        .ok_or_else(|| StoreError::Corrupt { kind: "evaluation_task".into(), message: format!("未知的自评任务状态「{text}」") })
}

fn task_of(r: &AnyRow) -> Result<TaskRow, StoreError> {
    Ok(TaskRow {
        id: r.try_get("id")?,
        unit_code: r.try_get("unit_code")?,
        year: r.try_get::<i64, _>("year")? as i32,
        status: status_of(r.try_get("status")?)?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// One sign-in event (schema version 11): when (Unix seconds), the name as typed, the client address, and
/// the outcome (`success`, `failure`, `locked`, `password_changed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginEvent {
    pub at: i64,
    pub username: String,
    pub address: String,
    pub outcome: String,
}

const USER_COLUMNS: &str = "id, username, display_name, password_hash, role, unit_code, region_code";

impl Store {
    /// Appends a sign-in event to the audit log.
    pub async fn log_login_event(&self, username: &str, address: &str, outcome: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_event (at, username, address, outcome) VALUES ($1, $2, $3, $4)")
            .bind(now_unix())
            .bind(username.to_string())
            .bind(address.to_string())
            .bind(outcome.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The sign-in events from `since` (Unix seconds) on, oldest first.
    pub async fn login_events(&self, since: i64) -> Result<Vec<LoginEvent>, StoreError> {
        let rows = sqlx::query("SELECT at, username, address, outcome FROM login_event WHERE at >= $1 ORDER BY at, id")
            .bind(since)
            .fetch_all(&self.reader)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(LoginEvent {
                    at: r.try_get("at")?,
                    username: r.try_get("username")?,
                    address: r.try_get("address")?,
                    outcome: r.try_get("outcome")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?)
    }

    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: &str,
        unit_code: Option<&str>,
        region_code: Option<&str>,
    ) -> Result<i64, StoreError> {
        if self.user(username).await?.is_some() {
            return Err(StoreError::Conflicts(format!("用户「{username}」已存在")));
        }
        Ok(sqlx::query_scalar("INSERT INTO app_user (username, display_name, password_hash, role, unit_code, region_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(username.to_string())
            .bind(display_name.to_string())
            .bind(password_hash.to_string())
            .bind(role.to_string())
            .bind(unit_code.map(str::to_string))
            .bind(region_code.map(str::to_string))
            .bind(now_unix())
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn user(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE username = $1");
        let row = sqlx::query(crate::spec_sql(&sql)).bind(username.to_string()).fetch_optional(&self.reader).await?;
        Ok(row.as_ref().map(user_of).transpose()?)
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user ORDER BY username");
        let rows = sqlx::query(crate::spec_sql(&sql)).fetch_all(&self.reader).await?;
        Ok(rows.iter().map(user_of).collect::<Result<_, _>>()?)
    }

    pub async fn set_password(&self, username: &str, password_hash: &str) -> Result<(), StoreError> {
        let n = sqlx::query("UPDATE app_user SET password_hash = $1 WHERE username = $2")
            .bind(password_hash.to_string())
            .bind(username.to_string())
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflicts(format!("没有用户「{username}」")));
        }
        // A new password ends every open session of the user.
        sqlx::query("DELETE FROM web_session WHERE user_id IN (SELECT id FROM app_user WHERE username = $1)")
            .bind(username.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_role(&self, username: &str, role: &str, unit_code: Option<&str>, region_code: Option<&str>) -> Result<(), StoreError> {
        let n = sqlx::query("UPDATE app_user SET role = $1, unit_code = $2, region_code = $3 WHERE username = $4")
            .bind(role.to_string())
            .bind(unit_code.map(str::to_string))
            .bind(region_code.map(str::to_string))
            .bind(username.to_string())
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflicts(format!("没有用户「{username}」")));
        }
        Ok(())
    }

    pub async fn create_session(&self, token: &str, user_id: i64, csrf_token: &str, expires_at: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO web_session (token, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token.to_string())
            .bind(user_id)
            .bind(csrf_token.to_string())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user of an unexpired session, with the session's CSRF token.
    pub async fn session_user(&self, token: &str) -> Result<Option<(UserRow, String)>, StoreError> {
        let sql = format!(
            "SELECT {}, s.csrf_token FROM web_session s JOIN app_user u ON u.id = s.user_id WHERE s.token = $1 AND s.expires_at > $2",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row = sqlx::query(crate::spec_sql(&sql)).bind(token.to_string()).bind(now_unix()).fetch_optional(&self.reader).await?;
        Ok(match row {
            Some(r) => Some((user_of(&r)?, r.try_get("csrf_token")?)),
            None => None,
        })
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_session WHERE token = $1 OR expires_at <= $2")
            .bind(token.to_string())
            .bind(now_unix())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn task(&self, unit_code: &str, year: i32) -> Result<Option<TaskRow>, StoreError> {
        let row = sqlx::query("SELECT id, unit_code, year, status, updated_at FROM evaluation_task WHERE unit_code = $1 AND year = $2")
            .bind(unit_code.to_string())
            .bind(i64::from(year))
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(task_of).transpose()
    }

    pub async fn tasks(&self) -> Result<Vec<TaskRow>, StoreError> {
        let rows = sqlx::query("SELECT id, unit_code, year, status, updated_at FROM evaluation_task ORDER BY unit_code, year")
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(task_of).collect()
    }

    /// Moves a task from `from` (None: it must not exist yet) to `to`, logging who did it and why, in one
    /// transaction. Refused when the task is not where the caller thinks it is (someone else moved it).
    pub async fn transition_task(
        &self,
        unit_code: &str,
        year: i32,
        from: Option<TaskStatus>,
        to: TaskStatus,
        actor: &str,
        comment: Option<&str>,
    ) -> Result<TaskRow, StoreError> {
        let mut tx = self.pool.begin().await?;
        let current: Option<(i64, String)> = sqlx::query("SELECT id, status FROM evaluation_task WHERE unit_code = $1 AND year = $2")
            .bind(unit_code.to_string())
            .bind(i64::from(year))
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("id")?, r.try_get("status")?)))
            .transpose()?;
        let now = now_unix();
        let id = match (current, from) {
            (None, None) => {
                sqlx::query_scalar("INSERT INTO evaluation_task (unit_code, year, status, updated_at) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(unit_code.to_string())
                    .bind(i64::from(year))
                    .bind(to.id().to_string())
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
            }
            (Some((id, status)), Some(expected)) if status == expected.id() => {
                sqlx::query("UPDATE evaluation_task SET status = $1, updated_at = $2 WHERE id = $3")
                    .bind(to.id().to_string())
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            (current, _) => {
                return Err(StoreError::Conflicts(format!(
                    "自评任务状态已变化（当前：{}），请刷新后重试",
                    current.map_or(jixiao_core::workflow::NOT_ISSUED, |c| TaskStatus::parse(&c.1).map_or("未知", TaskStatus::label))
                )));
            }
        };
        sqlx::query("INSERT INTO task_event (task_id, from_status, to_status, actor, comment, at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(from.map(|s| s.id().to_string()))
            .bind(to.id().to_string())
            .bind(actor.to_string())
            .bind(comment.map(str::to_string))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(TaskRow { id, unit_code: unit_code.to_string(), year, status: to, updated_at: now })
    }

    pub async fn task_events(&self, task_id: i64) -> Result<Vec<TaskEvent>, StoreError> {
        let rows = sqlx::query("SELECT from_status, to_status, actor, comment, at FROM task_event WHERE task_id = $1 ORDER BY id")
            .bind(task_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TaskEvent {
                    from_status: r.try_get::<Option<String>, _>("from_status")?.map(status_of).transpose()?,
                    to_status: status_of(r.try_get("to_status")?)?,
                    actor: r.try_get("actor")?,
                    comment: r.try_get("comment")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// What a unit-year's pages recheck on every view, in one statement: the books version (as
    /// [`Store::books_version`]), the 自评任务 if issued, and the id of the task's newest event (0: none).
    pub async fn unit_year_state(&self, unit_code: &str, year: i32) -> Result<(i64, Option<TaskRow>, i64), StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT CAST(COALESCE(MAX(b.id), 0) AS BIGINT) FROM import_batch b JOIN unit u ON u.id = b.unit_id WHERE u.code = $1) AS books_version, \
                    t.id AS task_id, t.status, t.updated_at, \
                    (SELECT CAST(COALESCE(MAX(e.id), 0) AS BIGINT) FROM task_event e WHERE e.task_id = t.id) AS last_event \
             FROM (SELECT 1 AS one) o LEFT JOIN evaluation_task t ON t.unit_code = $1 AND t.year = $2",
        )
        .bind(unit_code.to_string())
        .bind(i64::from(year))
        .fetch_one(&self.reader)
        .await?;
        let task = match row.try_get::<Option<i64>, _>("task_id")? {
            Some(id) => Some(TaskRow {
                id,
                unit_code: unit_code.to_string(),
                year,
                status: status_of(row.try_get("status")?)?,
                updated_at: row.try_get("updated_at")?,
            }),
            None => None,
        };
        Ok((row.try_get("books_version")?, task, row.try_get::<Option<i64>, _>("last_event")?.unwrap_or(0)))
    }

    /// A number that changes whenever a unit's books do (every write is an import batch): the newest batch id,
    /// 0 for a unit with none. Lets readers cache what they compute from the books.
    pub async fn books_version(&self, unit_code: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(b.id), 0) AS BIGINT) FROM import_batch b JOIN unit u ON u.id = b.unit_id WHERE u.code = $1",
        )
        .bind(unit_code.to_string())
        .fetch_one(&self.reader)
        .await?)
    }
}
