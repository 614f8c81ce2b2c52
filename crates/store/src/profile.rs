//! Versions of a unit's profile (schema version 17, `unit_profile_version`, insert-only). A confirmed change
//! of the 单位信息 an import carries (`jixiao import --accept-profile-change`, the web's 「确认变更并导入」) adds a
//! version valid from the import's fiscal year and never edits an earlier one, so the books of year Y are
//! read with the version in force for Y: the 2020 report keeps the 2020 name after a 2021 rename.
//!
//! A unit that never changed has no versions: its `unit` row is its one version, so databases written
//! before version 17 read, verify and report exactly as before. The first change writes that row as
//! version 1 (valid from the unit's first year) and then its own. The `unit` row, with `unit_duty` and
//! `unit_office`, then holds the version in force for the newest year: what the unit lists, the scopes of the
//! consolidated views and an import without years see.

use crate::{Store, StoreError, now_unix};
use jixiao_core::records::{Office, UnitProfile, UnitYear};
use jixiao_import::unit::{Blank, Difference, profile_differences};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// Who confirmed a change of the unit profile, and why: kept with the version it adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChange {
    pub entered_by: String,
    pub reason: String,
}

/// One stored version of a unit's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileVersion {
    pub version: i64,
    /// The first fiscal year the version applies to.
    pub valid_from_year: i32,
    pub profile: UnitProfile,
    pub content_hash: String,
    pub entered_by: Option<String>,
    pub entered_at: i64,
    pub reason: String,
}

/// The fiscal year whose profile an import is compared with and a confirmed change starts from: the newest
/// year the import names; none for an import without years (a record typed on a page).
pub fn import_year(years: &[UnitYear]) -> Option<i32> {
    years.iter().map(|y| y.year).max()
}

/// The version in force for `year`: the one with the greatest first year not after it (the greatest version
/// number among those), or, for a year before every version, the first.
fn in_force(versions: &[ProfileVersion], year: i32) -> Option<&ProfileVersion> {
    let key = |v: &&ProfileVersion| (v.valid_from_year, v.version);
    versions.iter().filter(|v| v.valid_from_year <= year).max_by_key(key).or_else(|| versions.iter().min_by_key(key))
}

/// The unit's versions, by version number.
async fn versions_of(conn: &mut AnyConnection, unit_id: i64) -> Result<Vec<ProfileVersion>, StoreError> {
    let rows = sqlx::query(
        "SELECT version, valid_from_year, profile, content_hash, entered_by, entered_at, reason FROM unit_profile_version \
         WHERE unit_id = $1 ORDER BY version",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(version_of).collect()
}

fn version_of(r: &AnyRow) -> Result<ProfileVersion, StoreError> {
    let text: String = r.try_get("profile")?;
    let profile = serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt {
            kind: "unit_profile_version".into(), message: format!("单位信息版本无法读取：{e}")
        })?;
    let year: i64 = r.try_get("valid_from_year")?;
    Ok(ProfileVersion {
        version: r.try_get("version")?,
        valid_from_year: year as i32,
        profile,
        content_hash: r.try_get("content_hash")?,
        entered_by: r.try_get("entered_by")?,
        entered_at: r.try_get("entered_at")?,
        reason: r.try_get("reason")?,
    })
}

/// The profile the `unit` row (with its duties and offices) holds.
pub(crate) async fn current(conn: &mut AnyConnection, unit_id: i64) -> Result<UnitProfile, StoreError> {
    let row = sqlx::query(
        "SELECT code, name, region_code, parent_department, department_code, bureau_code, bureau_name, framework FROM unit WHERE id = $1",
    )
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await?;
    let duties =
        sqlx::query_scalar("SELECT text FROM unit_duty WHERE unit_id = $1 ORDER BY seq").bind(unit_id).fetch_all(&mut *conn).await?;
    let offices = sqlx::query("SELECT name, duties FROM unit_office WHERE unit_id = $1 ORDER BY seq")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(Office { name: r.try_get("name")?, duties: r.try_get("duties")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(UnitProfile {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        region_code: row.try_get("region_code")?,
        parent_department: row.try_get("parent_department")?,
        duties,
        offices,
        department_code: row.try_get("department_code")?,
        bureau_code: row.try_get("bureau_code")?,
        bureau_name: row.try_get("bureau_name")?,
        framework: row.try_get("framework")?,
    })
}

/// Binds the `unit` row's profile columns: name, region_code, parent_department, department_code, bureau_code,
/// bureau_name, framework, in this order.
pub(crate) fn bind_columns<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    unit: &UnitProfile,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(unit.name.clone())
        .bind(unit.region_code.clone())
        .bind(unit.parent_department.clone())
        .bind(unit.department_code.clone())
        .bind(unit.bureau_code.clone())
        .bind(unit.bureau_name.clone())
        .bind(unit.framework.clone())
}

/// Writes the unit's duties and offices (a new unit's, or the version now current).
pub(crate) async fn insert_lists(conn: &mut AnyConnection, unit_id: i64, unit: &UnitProfile) -> Result<(), StoreError> {
    for (seq, text) in unit.duties.iter().enumerate() {
        sqlx::query("INSERT INTO unit_duty (unit_id, seq, text) VALUES ($1, $2, $3)")
            .bind(unit_id)
            .bind(seq as i64)
            .bind(text.clone())
            .execute(&mut *conn)
            .await?;
    }
    for (seq, o) in unit.offices.iter().enumerate() {
        sqlx::query("INSERT INTO unit_office (unit_id, seq, name, duties) VALUES ($1, $2, $3, $4)")
            .bind(unit_id)
            .bind(seq as i64)
            .bind(o.name.clone())
            .bind(o.duties.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What an import's profile is compared with: the version in force for the import's year (the `unit` row
/// when the unit has no versions or the import no year), and its hash.
pub(crate) async fn compared_with(
    conn: &mut AnyConnection,
    unit_id: i64,
    current_hash: &str,
    year: Option<i32>,
) -> Result<(UnitProfile, String), StoreError> {
    let versions = versions_of(conn, unit_id).await?;
    match year.and_then(|y| in_force(&versions, y)) {
        Some(v) => Ok((v.profile.clone(), v.content_hash.clone())),
        None => Ok((current(conn, unit_id).await?, current_hash.to_string())),
    }
}

/// 「单位名称（已登记「A」，导入「B」）、职能职责第2条（…）」: the fields an import would change.
pub(crate) fn describe(differences: &[Difference]) -> String {
    let fields: Vec<String> =
        differences.iter().map(|d| format!("{}（已登记「{}」，导入「{}」）", d.field, d.stored, d.uploaded)).collect();
    fields.join("、")
}

/// The fields in which `imported` differs from `stored`, every field stated (an import states the whole profile).
pub(crate) fn differences(stored: &UnitProfile, imported: &UnitProfile) -> Vec<Difference> {
    profile_differences(stored, imported, Blank::Differs)
}

/// Records a confirmed change: `imported` (fingerprint `hash`) becomes a version valid from `year`, after
/// version 1 (the `unit` row as it stands) when it is the unit's first change; when it is now the version in
/// force for the newest year it becomes the `unit` row. Returns the new version's number.
pub(crate) async fn record_change(
    conn: &mut AnyConnection,
    unit_id: i64,
    current_hash: &str,
    imported: &UnitProfile,
    hash: &str,
    year: i32,
    change: &ProfileChange,
) -> Result<i64, StoreError> {
    let mut versions = versions_of(conn, unit_id).await?;
    if versions.is_empty() {
        let first: Option<i64> =
            sqlx::query_scalar("SELECT MIN(year) FROM unit_year WHERE unit_id = $1").bind(unit_id).fetch_one(&mut *conn).await?;
        let first = ProfileVersion {
            version: 1,
            valid_from_year: first.map_or(year, |y| y as i32).min(year),
            profile: current(conn, unit_id).await?,
            content_hash: current_hash.to_string(),
            entered_by: None,
            entered_at: now_unix(),
            reason: "变更前登记的单位信息".into(),
        };
        insert(conn, unit_id, &first).await?;
        versions.push(first);
    }
    let next = ProfileVersion {
        version: versions.iter().map(|v| v.version).max().unwrap_or(0) + 1,
        valid_from_year: year,
        profile: imported.clone(),
        content_hash: hash.to_string(),
        entered_by: Some(change.entered_by.clone()),
        entered_at: now_unix(),
        reason: change.reason.clone(),
    };
    insert(conn, unit_id, &next).await?;
    let number = next.version;
    versions.push(next);
    if in_force(&versions, i32::MAX).is_some_and(|v| v.version == number) {
        bind_columns(
            sqlx::query(
                "UPDATE unit SET name = $1, region_code = $2, parent_department = $3, department_code = $4, bureau_code = $5, \
                 bureau_name = $6, framework = $7, content_hash = $8 WHERE id = $9",
            ),
            imported,
        )
        .bind(hash.to_string())
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
        // The lists of the current version; every earlier version keeps its own in `unit_profile_version`.
        sqlx::query("DELETE FROM unit_duty WHERE unit_id = $1").bind(unit_id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM unit_office WHERE unit_id = $1").bind(unit_id).execute(&mut *conn).await?;
        insert_lists(conn, unit_id, imported).await?;
    }
    Ok(number)
}

async fn insert(conn: &mut AnyConnection, unit_id: i64, v: &ProfileVersion) -> Result<(), StoreError> {
    let profile = serde_json::to_string(&v.profile)
        .map_err(|e| StoreError::Corrupt { kind: "unit_profile_version".into(), message: format!("单位信息无法写出：{e}") })?;
    sqlx::query(
        "INSERT INTO unit_profile_version (unit_id, version, valid_from_year, profile, content_hash, entered_by, entered_at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(unit_id)
    .bind(v.version)
    .bind(i64::from(v.valid_from_year))
    .bind(profile)
    .bind(v.content_hash.clone())
    .bind(v.entered_by.clone())
    .bind(v.entered_at)
    .bind(v.reason.clone())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// The unit's stored profile versions, by number; empty for a unit whose profile never changed (its one
    /// version is `Store::unit`) or an unknown unit.
    pub async fn profile_versions(&self, code: &str) -> Result<Vec<ProfileVersion>, StoreError> {
        let Some(id) = self.unit_id(code).await? else { return Ok(Vec::new()) };
        versions_of(&mut *self.reader.acquire().await?, id).await
    }

    /// Writes a unit's profile versions as another database holds them (`jixiao migrate`, after the unit's
    /// batch wrote its current profile), in one transaction; refused for a unit that holds versions already.
    pub async fn copy_profile_versions(&self, code: &str, versions: &[ProfileVersion]) -> Result<(), StoreError> {
        let id = self.unit_id(code).await?.ok_or_else(|| StoreError::UnknownUnit(code.to_string()))?;
        let mut tx = self.pool.begin().await?;
        if !versions_of(&mut tx, id).await?.is_empty() {
            return Err(StoreError::Conflicts(format!("单位「{code}」已有单位信息版本，不再复制")));
        }
        for v in versions {
            insert(&mut tx, id, v).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The unit's profile in force for fiscal year `year` (see [`ProfileVersion`]), or `None` for an unknown unit.
    pub async fn unit_in(&self, code: &str, year: i32) -> Result<Option<UnitProfile>, StoreError> {
        let Some(id) = self.unit_id(code).await? else { return Ok(None) };
        let mut conn = self.reader.acquire().await?;
        match in_force(&versions_of(&mut conn, id).await?, year) {
            Some(v) => Ok(Some(v.profile.clone())),
            None => Ok(Some(current(&mut conn, id).await?)),
        }
    }
}

impl Store {
    /// [`Store::directory`] with each unit's profile in force for `year` (without duties and offices): the
    /// names and hierarchy a consolidated view of that year prints. Which units are in scope is decided by
    /// their current profile.
    pub async fn directory_in(&self, scope: &crate::consolidate::Scope, year: i32) -> Result<Vec<UnitProfile>, StoreError> {
        let mut units = self.directory(scope).await?;
        let rows = sqlx::query(
            "SELECT u.code AS code, v.version, v.valid_from_year, v.profile, v.content_hash, v.entered_by, v.entered_at, v.reason \
             FROM unit_profile_version v JOIN unit u ON u.id = v.unit_id",
        )
        .fetch_all(&self.reader)
        .await?;
        let mut versions: BTreeMap<String, Vec<ProfileVersion>> = BTreeMap::new();
        for r in &rows {
            versions.entry(r.try_get("code")?).or_default().push(version_of(r)?);
        }
        for unit in &mut units {
            if let Some(v) = versions.get(&unit.code).and_then(|v| in_force(v, year)) {
                *unit = UnitProfile { duties: Vec::new(), offices: Vec::new(), ..v.profile.clone() };
            }
        }
        Ok(units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(version: i64, valid_from_year: i32) -> ProfileVersion {
        ProfileVersion {
            version,
            valid_from_year,
            profile: UnitProfile::default(),
            content_hash: String::new(),
            entered_by: None,
            entered_at: 0,
            reason: String::new(),
        }
    }

    #[test]
    fn the_version_in_force_is_the_latest_start_not_after_the_year() {
        // v1 from 2019, v2 from 2021 (a rename), v3 from 2020 (a correction entered later).
        let versions = [version(1, 2019), version(2, 2021), version(3, 2020)];
        let of = |year| in_force(&versions, year).map(|v| v.version);
        assert_eq!([of(2018), of(2019), of(2020), of(2021), of(2030)], [Some(1), Some(1), Some(3), Some(2), Some(2)]);
        // Two versions from the same year: the later one.
        let same = [version(1, 2020), version(2, 2021), version(3, 2021)];
        assert_eq!(in_force(&same, 2021).map(|v| v.version), Some(3));
        assert!(in_force(&[], 2020).is_none());
    }
}
