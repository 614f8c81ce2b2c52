//! Re-uploading a unit's own template: the unit information an upload carries (the workbook's sheets 单位信息,
//! 职能职责, 内设机构, 年度信息, or an uploaded unit.toml) compared field by field with the profile the database
//! holds for the year, before anything is imported. A field left blank in the upload, or the same as stored,
//! is no conflict; a real difference is shown to the user, who keeps the stored profile and continues (the
//! fields not taken named in the import's log), confirms the change (单位管理员 only: the upload's profile,
//! its blanks taken from the stored one, becomes a new version from the import's year, `jixiao_store::profile`),
//! or cancels, which writes nothing.
//!
//! Between the upload and the user's answer the files wait in memory ([`PendingImports`]) under a random token
//! bound to the session, the unit and the year, for at most [`PENDING_SECONDS`], within [`MAX_PENDING_BYTES`].

use axum::body::Bytes;
use jixiao_core::records::{UnitProfile, UnitYear};
use jixiao_import::unit::{Blank, SHEET_DUTIES, SHEET_OFFICES, SHEET_PROFILE, SHEET_YEARS, UNIT_FILE};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long an upload waits for the user's answer.
pub const PENDING_SECONDS: u64 = 15 * 60;
/// The most bytes of uploads waiting for an answer, all sessions together (the oldest give way).
pub const MAX_PENDING_BYTES: usize = 3 * crate::pages::MAX_UPLOAD_BYTES;

pub use jixiao_import::unit::Difference;

/// The unit information an upload carries: the unit sheets of its workbook or its unit.toml. `None` when it
/// carries none (CSV files alone) or they cannot be read — the import then reports why.
/// A required 单位信息 row left blank takes the `stored` value: blank means unchanged.
pub fn uploaded_unit(files: &[(String, Bytes)], stored: &UnitProfile) -> Option<(UnitProfile, Vec<UnitYear>)> {
    if let Some((_, text)) = files.iter().find(|(name, _)| name == UNIT_FILE) {
        return jixiao_import::unit::parse_unit_toml(&String::from_utf8_lossy(text)).ok();
    }
    let [(name, bytes)] = files else { return None };
    if !name.to_lowercase().ends_with(".xlsx") {
        return None;
    }
    let tables = jixiao_import::table::parse_xlsx(bytes, name).ok()?;
    let unit_sheets: Vec<_> = tables
        .iter()
        .filter(|t| t.place.sheet.as_deref().is_some_and(|s| [SHEET_PROFILE, SHEET_DUTIES, SHEET_OFFICES, SHEET_YEARS].contains(&s)))
        .collect();
    jixiao_import::unit::parse_unit_sheets_over(name, &unit_sheets, Some(stored)).ok()
}

/// The fields where the upload says something other than the database. A field blank in the upload (an
/// empty 职能职责 or 内设机构 sheet, an empty optional row of 单位信息, a year without 报告日期) is no
/// difference, nor is a year the database does not hold yet. The unit code is not compared: another unit's
/// file is refused by the import.
pub fn differences(
    stored: &UnitProfile,
    stored_years: &[UnitYear],
    uploaded: &UnitProfile,
    uploaded_years: &[UnitYear],
) -> Vec<Difference> {
    let mut found = jixiao_import::unit::profile_differences(stored, uploaded, Blank::Unchanged);
    for y in uploaded_years {
        if let (Some(s), Some(u)) = (stored_years.iter().find(|s| s.year == y.year), y.report_date) {
            let stored = s.report_date.map(|d| d.to_string()).unwrap_or_default();
            if stored != u.to_string() {
                found.push(Difference { field: format!("{}年度报告日期", y.year), stored, uploaded: u.to_string() });
            }
        }
    }
    found
}

/// The profile and years an import of the upload goes in with: the stored profile, each uploaded year as
/// stored when the database holds it (new years as uploaded).
pub fn kept(stored: &UnitProfile, stored_years: &[UnitYear], uploaded_years: &[UnitYear]) -> (UnitProfile, Vec<UnitYear>) {
    let years = uploaded_years.iter().map(|y| stored_years.iter().find(|s| s.year == y.year).unwrap_or(y).clone()).collect();
    (stored.clone(), years)
}

/// The import log's note of the fields not taken, e.g. 「单位信息与已登记的不同，保留已登记的：单位名称、职能职责第2条」.
pub fn not_taken(differences: &[Difference]) -> String {
    let fields: Vec<&str> = differences.iter().map(|d| d.field.as_str()).collect();
    format!("单位信息与已登记的不同，保留已登记的：{}", fields.join("、"))
}

/// The unit information of an upload that differs from the stored profile.
pub struct Uploaded {
    /// The stored profile it was compared with: the version in force for the upload's year.
    pub stored: UnitProfile,
    /// The upload's profile, required rows left blank taken from the stored one.
    pub unit: UnitProfile,
    pub years: Vec<UnitYear>,
    pub differences: Vec<Difference>,
}

/// The import log's note of a confirmed change, e.g. 「确认单位信息变更：单位名称、职能职责第2条」.
pub fn confirmed(differences: &[Difference]) -> String {
    let fields: Vec<&str> = differences.iter().map(|d| d.field.as_str()).collect();
    format!("确认单位信息变更：{}", fields.join("、"))
}

/// An upload waiting for the user to continue, confirm or cancel.
pub struct PendingUpload {
    pub username: String,
    /// The session's CSRF token: the upload belongs to this sign-in only.
    pub session: String,
    pub code: String,
    pub year: i32,
    pub files: Vec<(String, Bytes)>,
    pub uploaded: Uploaded,
    created: Instant,
}

impl PendingUpload {
    pub fn new(username: &str, session: &str, code: &str, year: i32, files: Vec<(String, Bytes)>, uploaded: Uploaded) -> PendingUpload {
        PendingUpload {
            username: username.into(),
            session: session.into(),
            code: code.into(),
            year,
            files,
            uploaded,
            created: Instant::now(),
        }
    }

    fn bytes(&self) -> usize {
        self.files.iter().map(|(_, b)| b.len()).sum()
    }

    fn expired(&self) -> bool {
        self.created.elapsed() >= Duration::from_secs(PENDING_SECONDS)
    }
}

/// Uploads waiting for an answer, by token. A session has at most one: a new upload replaces its last.
#[derive(Default)]
pub struct PendingImports {
    by_token: HashMap<String, PendingUpload>,
}

impl PendingImports {
    /// Keeps `upload` under `token`, dropping expired uploads, the session's earlier one, and the oldest
    /// others while the total would pass [`MAX_PENDING_BYTES`].
    pub fn hold(&mut self, token: String, upload: PendingUpload) {
        self.by_token.retain(|_, p| !p.expired() && p.session != upload.session);
        while self.by_token.values().map(PendingUpload::bytes).sum::<usize>() + upload.bytes() > MAX_PENDING_BYTES {
            let Some(oldest) = self.by_token.iter().min_by_key(|(_, p)| p.created).map(|(t, _)| t.clone()) else {
                break;
            };
            self.by_token.remove(&oldest);
        }
        self.by_token.insert(token, upload);
    }

    /// Takes the upload kept under `token` if it belongs to this session, unit and year and has not expired.
    /// Another session's token leaves the upload where it is.
    pub fn take(&mut self, token: &str, username: &str, session: &str, code: &str, year: i32) -> Option<PendingUpload> {
        let p = self.by_token.get(token)?;
        if p.expired() {
            self.by_token.remove(token);
            return None;
        }
        let owner = p.username == username && crate::auth::tokens_match(&p.session, session) && p.code == code && p.year == year;
        if owner { self.by_token.remove(token) } else { None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::Date;
    use jixiao_core::records::Office;

    fn profile() -> UnitProfile {
        UnitProfile {
            code: "U1".into(),
            name: "某单位".into(),
            region_code: "430102".into(),
            parent_department: "某部门".into(),
            duties: vec!["职能一".into(), "职能二".into()],
            offices: vec![Office { name: "办公室".into(), duties: "综合".into() }],
            department_code: Some("D1".into()),
            bureau_code: None,
            bureau_name: None,
            framework: None,
        }
    }

    #[test]
    fn blank_fields_are_no_difference_and_changes_are_named() {
        let stored = profile();
        let years = [UnitYear { year: 2020, report_date: Date::new(2021, 4, 25) }];
        let blank = UnitProfile { duties: vec![], offices: vec![], department_code: None, ..profile() };
        assert!(
            differences(
                &stored,
                &years,
                &blank,
                &[UnitYear { year: 2020, report_date: None }, UnitYear { year: 2021, report_date: Date::new(2022, 4, 1) }]
            )
            .is_empty()
        );
        let changed = UnitProfile { name: "新名称".into(), duties: vec!["职能一".into()], ..profile() };
        let found = differences(&stored, &years, &changed, &[UnitYear { year: 2020, report_date: Date::new(2021, 5, 1) }]);
        let fields: Vec<&str> = found.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["单位名称", "职能职责第2条", "2020年度报告日期"]);
        assert_eq!((found[0].stored.as_str(), found[0].uploaded.as_str()), ("某单位", "新名称"));
        assert_eq!(found[1].uploaded, "（无此条）");
    }

    /// An upload of `bytes` by `username` in `session` for unit U1, 2020.
    fn upload(username: &str, session: &str, bytes: Bytes) -> PendingUpload {
        let uploaded = Uploaded { stored: profile(), unit: profile(), years: vec![], differences: vec![] };
        PendingUpload::new(username, session, "U1", 2020, vec![("a.xlsx".into(), bytes)], uploaded)
    }

    #[test]
    fn an_upload_is_taken_only_by_its_session_for_its_unit() {
        let mut pending = PendingImports::default();
        pending.hold("t1".into(), upload("clerk", "s1", Bytes::from_static(b"x")));
        assert!(pending.take("t1", "clerk", "s2", "U1", 2020).is_none(), "another session");
        assert!(pending.take("t1", "clerk", "s1", "U2", 2020).is_none(), "another unit");
        assert!(pending.take("t1", "clerk", "s1", "U1", 2020).is_some());
        assert!(pending.take("t1", "clerk", "s1", "U1", 2020).is_none(), "taken once");
        // A session's new upload replaces its last; the total stays within the limit.
        let big = Bytes::from(vec![0u8; MAX_PENDING_BYTES / 2 + 1]);
        pending.hold("a".into(), upload("clerk", "s1", big.clone()));
        pending.hold("b".into(), upload("clerk", "s1", big.clone()));
        assert!(pending.take("a", "clerk", "s1", "U1", 2020).is_none(), "replaced");
        pending.hold("c".into(), upload("admin", "s3", big));
        assert!(pending.take("b", "clerk", "s1", "U1", 2020).is_none(), "the oldest gave way");
        assert!(pending.take("c", "admin", "s3", "U1", 2020).is_some());
    }
}
