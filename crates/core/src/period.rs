//! Period close (结账): a closed month or fiscal year is frozen — no record dated in it, or (for a year)
//! belonging to it, may be added. A correction after close is a reversal dated in an open period.

use crate::Date;
use std::fmt;

/// A closable period: a calendar month or a fiscal year (which is the calendar year in China).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    Month(i32, u32),
}

impl Period {
    /// Reads `YYYY` or `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let year = |y: &str| {
            (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
                .then(|| y.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1900..=2200).contains(y))
        };
        match t.split_once('-') {
            None => year(t).map(Period::Year),
            Some((y, m)) => {
                let month = (m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()))
                    .then(|| m.parse::<u32>().ok())
                    .flatten()
                    .filter(|m| (1..=12).contains(m))?;
                Some(Period::Month(year(y)?, month))
            }
        }
    }

    /// Whether a record of fiscal year `year`, dated `date` (when it has a date), falls in this period:
    /// a closed year takes its fiscal year's records and anything dated in it; a closed month what is dated in it.
    pub fn holds(&self, year: i32, date: Option<Date>) -> bool {
        match *self {
            Period::Year(y) => y == year || date.is_some_and(|d| d.year == y),
            Period::Month(y, m) => date.is_some_and(|d| d.year == y && d.month == m),
        }
    }

    /// `2020年度` or `2020年3月`.
    pub fn chinese(&self) -> String {
        match self {
            Period::Year(y) => format!("{y}年度"),
            Period::Month(y, m) => format!("{y}年{m}月"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_years_and_months_and_refuses_the_rest() {
        assert_eq!(Period::parse("2020"), Some(Period::Year(2020)));
        assert_eq!(Period::parse("2020-03"), Some(Period::Month(2020, 3)));
        assert_eq!(Period::parse("2020-03").unwrap().to_string(), "2020-03");
        for bad in ["", "20", "2020-3", "2020-13", "2020-00", "2020-03-01", "abcd", "0999", "2020-1a"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_month_holds_what_is_dated_in_it_a_year_also_its_fiscal_records() {
        let march = Period::Month(2020, 3);
        assert!(march.holds(2020, Date::new(2020, 3, 31)));
        assert!(!march.holds(2020, Date::new(2020, 4, 1)));
        assert!(!march.holds(2020, None), "an undated record (a budget line, a project) is frozen only by its year");
        let year = Period::Year(2020);
        assert!(year.holds(2020, None));
        assert!(year.holds(2021, Date::new(2020, 12, 31)));
        assert!(!year.holds(2021, Date::new(2021, 1, 1)));
    }
}
