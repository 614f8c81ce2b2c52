//! Money and rates. Money is an integer count of 分 (`Fen`); rates are integer basis points.
//! 万元 with two decimals appears only when a figure is printed.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in 分 (1 元 = 100 分). Never a float.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Why a text could not be read as an amount of 元.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("金额为空")]
    Empty,
    #[error("金额不是数字")]
    NotANumber,
    #[error("金额最多两位小数（到分）")]
    TooManyDecimals,
    #[error("金额超出可表示范围")]
    Overflow,
}

/// 金额单位 of a printed report: 万元 (the default), or 元 as some forms are published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoneyUnit {
    #[default]
    Wan,
    Yuan,
}

impl MoneyUnit {
    /// 万元 or 元.
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yuan => "元",
        }
    }
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Reads an amount written in 元, as finance officers write it: `1234.5`, `1,234.56`, `-20`, `￥300`.
    /// Exact: the digits are read as integers, never through a float.
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyParseError> {
        let cleaned: String =
            text.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != '，' && !c.is_whitespace()).collect();
        if cleaned.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(MoneyParseError::NotANumber);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyParseError::NotANumber);
        }
        // Trailing zeros beyond 分 carry no value ("12.300" is 12.30 元).
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > 2 {
            return Err(MoneyParseError::TooManyDecimals);
        }
        let whole_value: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyParseError::Overflow)? };
        let fraction_value: i64 = format!("{fraction:0<2}").parse().map_err(|_| MoneyParseError::NotANumber)?;
        let fen = whole_value.checked_mul(100).and_then(|v| v.checked_add(fraction_value)).ok_or(MoneyParseError::Overflow)?;
        Ok(Fen(if negative { -fen } else { fen }))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The amount as printed in `unit`.
    pub fn in_unit(self, unit: MoneyUnit) -> String {
        match unit {
            MoneyUnit::Wan => self.wan_yuan_string(),
            MoneyUnit::Yuan => self.yuan_string(),
        }
    }

    /// 元 with two decimals, e.g. `2429600.00`.
    pub fn yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// 万元 with two decimals, as reports print it. Rounding: half away from zero at 0.01 万元 (100 元).
    pub fn wan_yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        // 0.01 万元 = 100 元 = 10 000 分.
        let hundredths = (abs + 5_000) / 10_000;
        format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yuan_string())
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}
impl AddAssign for Fen {
    fn add_assign(&mut self, rhs: Fen) {
        self.0 += rhs.0;
    }
}
impl Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0 - rhs.0)
    }
}
impl SubAssign for Fen {
    fn sub_assign(&mut self, rhs: Fen) {
        self.0 -= rhs.0;
    }
}
impl Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(-self.0)
    }
}
impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, Add::add)
    }
}
impl<'a> Sum<&'a Fen> for Fen {
    fn sum<I: Iterator<Item = &'a Fen>>(iter: I) -> Fen {
        iter.copied().sum()
    }
}

/// A rate in basis points (1 bp = 0.01%): 8698 bp prints as `86.98%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BasisPoints(pub i64);

impl BasisPoints {
    /// numerator ÷ denominator in basis points, rounded half away from zero to 1 bp (0.01%).
    /// `None` when the denominator is zero: the rate cannot be computed, and is never guessed.
    pub fn ratio(numerator: i64, denominator: i64) -> Option<BasisPoints> {
        if denominator == 0 {
            return None;
        }
        let n = i128::from(numerator) * 10_000;
        let d = i128::from(denominator);
        let (q, r) = (n / d, n % d);
        let rounded = if 2 * r.abs() >= d.abs() { q + if (n < 0) ^ (d < 0) { -1 } else { 1 } } else { q };
        i64::try_from(rounded).ok().map(BasisPoints)
    }

    /// `86.98%`.
    pub fn percent_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}%", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_exactly() {
        assert_eq!(Fen::parse_yuan("2429600"), Ok(Fen(242_960_000)));
        assert_eq!(Fen::parse_yuan("1,234.5"), Ok(Fen(123_450)));
        assert_eq!(Fen::parse_yuan(" ￥0.07 "), Ok(Fen(7)));
        assert_eq!(Fen::parse_yuan("-20"), Ok(Fen(-2_000)));
        assert_eq!(Fen::parse_yuan("12.300"), Ok(Fen(1_230)));
        assert_eq!(Fen::parse_yuan(".5"), Ok(Fen(50)));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        assert_eq!(Fen::parse_yuan(""), Err(MoneyParseError::Empty));
        assert_eq!(Fen::parse_yuan("12元"), Err(MoneyParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("1.234"), Err(MoneyParseError::TooManyDecimals));
        assert_eq!(Fen::parse_yuan("1e5"), Err(MoneyParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("."), Err(MoneyParseError::NotANumber));
        assert_eq!(Fen::parse_yuan("99999999999999999999"), Err(MoneyParseError::Overflow));
    }

    #[test]
    fn prints_wan_yuan_rounded_half_away_from_zero() {
        assert_eq!(Fen(242_960_000).wan_yuan_string(), "242.96");
        assert_eq!(Fen(5_000).wan_yuan_string(), "0.01");
        assert_eq!(Fen(4_999).wan_yuan_string(), "0.00");
        assert_eq!(Fen(-5_000).wan_yuan_string(), "-0.01");
        assert_eq!(Fen(0).wan_yuan_string(), "0.00");
        assert_eq!(Fen(123_456).yuan_string(), "1234.56");
    }

    #[test]
    fn rates_round_half_away_from_zero_and_refuse_zero_denominators() {
        assert_eq!(BasisPoints::ratio(211_330_000, 242_960_000).map(|r| r.percent_string()), Some("86.98%".into()));
        assert_eq!(BasisPoints::ratio(1, 3), Some(BasisPoints(3333)));
        assert_eq!(BasisPoints::ratio(2, 3), Some(BasisPoints(6667)));
        assert_eq!(BasisPoints::ratio(-2, 3), Some(BasisPoints(-6667)));
        assert_eq!(BasisPoints::ratio(5, 0), None);
        assert_eq!(BasisPoints(10_000).percent_string(), "100.00%");
    }
}
