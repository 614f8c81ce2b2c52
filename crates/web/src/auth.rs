//! Users, roles, sessions and CSRF. Passwords are hashed with argon2; a session is a random token in a
//! cookie, kept in the database with its own CSRF token, which every form and API write must echo.

use crate::AppError;
use argon2::password_hash::PasswordVerifier;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher};
use jixiao_core::records::UnitProfile;
use jixiao_store::web::UserRow;
use serde::Serialize;

pub const SESSION_COOKIE: &str = "jixiao_session";
/// Sessions last a working day.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// 角色.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 填报员: enters the records of their unit.
    Clerk,
    /// 审核员: reviews, approves or returns, overrides scores with a reason.
    Reviewer,
    /// 单位管理员: enters records and submits for their unit.
    UnitAdmin,
    /// 财政局: reads every unit of its region and issues the self-evaluation tasks.
    Bureau,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Clerk, Role::Reviewer, Role::UnitAdmin, Role::Bureau];

    pub fn id(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Reviewer => "reviewer",
            Role::UnitAdmin => "unit_admin",
            Role::Bureau => "bureau",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "填报员",
            Role::Reviewer => "审核员",
            Role::UnitAdmin => "单位管理员",
            Role::Bureau => "财政局",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == text || r.label() == text)
    }
}

/// The signed-in user, with what the role may do.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub role_label: &'static str,
    pub unit_code: Option<String>,
    pub region_code: Option<String>,
    #[serde(skip)]
    pub csrf_token: String,
}

impl CurrentUser {
    pub fn from_row(row: UserRow, csrf_token: String) -> Option<CurrentUser> {
        let role = Role::parse(&row.role)?;
        Some(CurrentUser {
            username: row.username,
            display_name: row.display_name,
            role,
            role_label: role.label(),
            unit_code: row.unit_code,
            region_code: row.region_code,
            csrf_token,
        })
    }

    fn is_own_unit(&self, unit: &UnitProfile) -> bool {
        self.role != Role::Bureau && self.unit_code.as_deref() == Some(unit.code.as_str())
    }

    /// A 财政局 sees the units of its region: a region code's trailing "00" pairs are a wildcard
    /// (430000 → every unit of 湖南, 430100 → 长沙, 430102 → 芙蓉区); no region code (a user created before
    /// `user add` required one): no unit.
    fn is_in_region(&self, unit: &UnitProfile) -> bool {
        if self.role != Role::Bureau {
            return false;
        }
        self.region_code
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .is_some_and(|r| unit.region_code.starts_with(jixiao_core::records::area_prefix(r)))
    }

    pub fn can_view(&self, unit: &UnitProfile) -> bool {
        self.is_own_unit(unit) || self.is_in_region(unit)
    }

    /// Enter and import records, submit the self-evaluation.
    pub fn can_enter(&self, unit: &UnitProfile) -> bool {
        self.is_own_unit(unit) && matches!(self.role, Role::Clerk | Role::UnitAdmin)
    }

    /// Pass a voucher over 刚性控制 budget control with a written reason (the override role).
    pub fn can_override_control(&self, unit: &UnitProfile) -> bool {
        self.is_own_unit(unit) && matches!(self.role, Role::Reviewer | Role::UnitAdmin)
    }

    /// Approve expenditure vouchers (凭证审核) — never one the same user entered.
    pub fn can_approve_vouchers(&self, unit: &UnitProfile) -> bool {
        self.can_override_control(unit)
    }

    /// Approve or return, and override scores.
    pub fn can_review(&self, unit: &UnitProfile) -> bool {
        self.is_own_unit(unit) && self.role == Role::Reviewer
    }

    /// Issue the year's self-evaluation task.
    pub fn can_issue(&self, unit: &UnitProfile) -> bool {
        self.is_in_region(unit)
    }

    pub fn require(&self, allowed: bool) -> Result<(), AppError> {
        if allowed { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// 审核行为: the record kinds that record a reviewer's (or the override role's) act — 评分调整, 凭证审核,
/// 超控记录, 指标控制设置. Only the page or API call that performs the act writes them, with the signed-in
/// user's name; a file cannot bring them in, since its rows could name anyone.
pub const REVIEWER_ACTS: &[&str] = &["score_overrides", "voucher_approvals", "control_overrides", "line_controls"];

/// Which record kinds a role may import by file (web upload and `POST /api/…/import`); the table is
/// documented in RELIABILITY.md. `jixiao import` is the administrator's and imports every kind.
pub fn may_import(role: Role, kind_id: &str) -> bool {
    match role {
        // 填报员, 单位管理员: the unit's books, not the reviewers' acts.
        Role::Clerk | Role::UnitAdmin => !REVIEWER_ACTS.contains(&kind_id),
        // 审核员 and 财政局 enter nothing by file.
        Role::Reviewer | Role::Bureau => false,
    }
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What is wrong with a new password, if anything: fewer than [`MIN_PASSWORD_CHARS`] characters, or easy to
/// guess — a common password, a word, a keyboard run, or the user's own name — by the zxcvbn estimate
/// (score below 3 of 4: about 10⁸ guesses or fewer).
pub fn password_problem(password: &str, user_inputs: &[&str]) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Some(format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"));
    }
    if zxcvbn::zxcvbn(password, user_inputs).score() < zxcvbn::Score::Three {
        return Some("密码太容易猜到（常见密码、单词、键盘顺序或用户名）：请用更长、更随意的组合".into());
    }
    None
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("密码哈希失败：{e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// 32 random bytes as lowercase hex, for session and CSRF tokens: formatted as the digests are (sha2's
/// `{:x}`, as core::schema does), in a buffer of a SHA-256 output's size.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = sha2::digest::Output::<sha2::Sha256>::default();
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("随机数不可用：{e}")))?;
    Ok(format!("{bytes:x}"))
}

/// Compares two tokens in time independent of where they differ.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, region: &str) -> UnitProfile {
        UnitProfile {
            code: code.into(),
            name: "单位".into(),
            region_code: region.into(),
            parent_department: String::new(),
            duties: vec![],
            offices: vec![],
            ..Default::default()
        }
    }

    fn user(role: Role, unit_code: Option<&str>, region: Option<&str>) -> CurrentUser {
        CurrentUser {
            username: "u".into(),
            display_name: "U".into(),
            role,
            role_label: role.label(),
            unit_code: unit_code.map(Into::into),
            region_code: region.map(Into::into),
            csrf_token: String::new(),
        }
    }

    #[test]
    fn roles_see_and_do_what_they_may() {
        let kx = unit("KX", "430102");
        let other = unit("OT", "430103");
        let clerk = user(Role::Clerk, Some("KX"), None);
        assert!(clerk.can_view(&kx) && clerk.can_enter(&kx) && !clerk.can_review(&kx) && !clerk.can_issue(&kx));
        assert!(!clerk.can_view(&other));
        let reviewer = user(Role::Reviewer, Some("KX"), None);
        assert!(reviewer.can_review(&kx) && !reviewer.can_enter(&kx));
        let district = user(Role::Bureau, None, Some("430102"));
        assert!(district.can_view(&kx) && district.can_issue(&kx) && !district.can_view(&other) && !district.can_enter(&kx));
        let city = user(Role::Bureau, None, Some("430100"));
        assert!(city.can_view(&kx) && city.can_view(&other));
        assert!(!user(Role::Bureau, None, Some("110000")).can_view(&kx));
    }

    #[test]
    fn the_password_rule_refuses_short_and_common_passwords() {
        for weak in ["1111", "demo", "123456789", "1234567890", "password123", "qwertyuiop", "zhangxiaoyan2020"] {
            assert!(password_problem(weak, &["zhangxiaoyan"]).is_some(), "{weak}");
        }
        assert_eq!(password_problem("预算-绩效-River-7319", &["clerk"]), None);
    }

    #[test]
    fn passwords_and_tokens() {
        let hash = hash_password("demo").unwrap();
        assert!(verify_password("demo", &hash));
        assert!(!verify_password("Demo", &hash));
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)), "lowercase hex: {a}");
        assert_ne!(a, b);
        assert!(tokens_match(&a, &a.clone()) && !tokens_match(&a, &b));
    }
}
