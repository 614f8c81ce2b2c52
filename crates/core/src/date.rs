//! Calendar dates as finance officers write them, kept as ISO `YYYY-MM-DD` text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date. Stored and printed as `YYYY-MM-DD`, so ordering the text orders the dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1900..=2200).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Reads `2020-03-05`, `2020/3/5`, `2020.3.5` or `2020年3月5日`.
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let normalized: String =
            t.trim_end_matches('日').chars().map(|c| if matches!(c, '年' | '月' | '/' | '.') { '-' } else { c }).collect();
        let mut parts = normalized.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) || y.len() != 4 || m.len() > 2 || d.len() > 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The date `days` days after 1970-01-01 (the civil-from-days algorithm of H. Hinnant).
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month, day)
    }

    /// Days since 1970-01-01 (the days-from-civil algorithm of H. Hinnant), the inverse of `from_unix_days`.
    pub fn unix_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// `2021年4月25日`, as a signature line prints it.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("无效日期「{text}」")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_spellings() {
        let d = Date::new(2020, 3, 5).unwrap();
        for t in ["2020-03-05", "2020/3/5", "2020.3.5", "2020年3月5日"] {
            assert_eq!(Date::parse(t), Some(d), "{t}");
        }
        assert_eq!(d.to_string(), "2020-03-05");
        assert_eq!(d.chinese(), "2020年3月5日");
    }

    #[test]
    fn counts_days_from_the_epoch() {
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_days(18_262), Date::new(2020, 1, 1));
        assert_eq!(Date::from_unix_days(18_321), Date::new(2020, 2, 29));
        for days in [-25_567, -1, 0, 59, 11_016, 18_262, 18_321, 19_000, 84_000] {
            assert_eq!(Date::from_unix_days(days).unwrap().unix_days(), days);
        }
    }

    #[test]
    fn refuses_impossible_dates() {
        for t in ["2020-02-30", "2019-02-29", "2020-13-01", "20-1-1", "2020-1", "明天", ""] {
            assert_eq!(Date::parse(t), None, "{t}");
        }
        assert!(Date::parse("2020-02-29").is_some());
    }
}
