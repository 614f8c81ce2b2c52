//! Small helpers for reading Chinese report text: full-width digits, Chinese numerals, dates.

use jixiao_core::Date;

/// The value of an ASCII or full-width digit.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

pub fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// CJK ideographs (the unified block and extension A): the characters names and labels are made of.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Digit characters of Chinese numerals as written in dates and headings (二〇二一, 十二).
fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

pub fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || c == '十'
}

/// 一 → 1, 十 → 10, 十二 → 12, 二十五 → 25, 三十 → 30. Up to 99.
pub fn chinese_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => None,
        [d] if *d != '十' => chinese_digit(*d),
        ['十'] => Some(10),
        ['十', d] => Some(10 + chinese_digit(*d)?),
        [t, '十'] => Some(chinese_digit(*t)? * 10),
        [t, '十', d] => Some(chinese_digit(*t)? * 10 + chinese_digit(*d)?),
        _ => None,
    }
}

/// A date found in text. `day` is `None` for `2020年12月`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl FoundDate {
    pub fn date(&self) -> Option<Date> {
        Date::new(self.year, self.month, self.day?)
    }
}

/// Every date written as `2021年4月25日`, `2021年4月`, `2021-04-25`, `2021.4.25`, `2021/4/25` or
/// `二〇二一年四月二十五日`. Document numbers such as 湘财绩〔2020〕7号 are not dates and are not matched.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((date, next)) = date_at(&chars, i, text.len()) {
            found.push(date);
            i = next;
        } else {
            i += 1;
        }
    }
    found
}

/// Reads a run of up to `max` digits of one script (Arabic or Chinese) starting at `i`.
fn read_number(chars: &[(usize, char)], i: usize, max: usize, chinese: bool) -> Option<(u32, usize)> {
    if chinese {
        let mut j = i;
        while j < chars.len() && j - i < 3 && is_chinese_numeral(chars[j].1) {
            j += 1;
        }
        let s: String = chars[i..j].iter().map(|(_, c)| c).collect();
        return chinese_number(&s).map(|v| (v, j));
    }
    let mut value = 0u32;
    let mut j = i;
    while j < chars.len() && j - i < max {
        match digit_value(chars[j].1) {
            Some(d) => value = value * 10 + d,
            None => break,
        }
        j += 1;
    }
    (j > i && !(j < chars.len() && is_digit(chars[j].1))).then_some((value, j))
}

fn date_at(chars: &[(usize, char)], i: usize, text_len: usize) -> Option<(FoundDate, usize)> {
    let at = |k: usize| chars.get(k).map(|(_, c)| *c);
    let end_of = |k: usize| chars.get(k).map(|(b, _)| *b).unwrap_or(text_len);
    // Do not start inside a longer number.
    if i > 0 && (is_digit(chars[i - 1].1) || chinese_digit(chars[i - 1].1).is_some()) {
        return None;
    }
    let chinese_year = (0..4).all(|k| at(i + k).and_then(chinese_digit).is_some());
    let (year, after_year) = if chinese_year {
        let y = (0..4).map(|k| at(i + k).and_then(chinese_digit).unwrap_or(0)).fold(0, |acc, d| acc * 10 + d);
        (y, i + 4)
    } else {
        if !(0..4).all(|k| at(i + k).is_some_and(is_digit)) || at(i + 4).is_some_and(is_digit) {
            return None;
        }
        ((0..4).map(|k| at(i + k).and_then(digit_value).unwrap_or(0)).fold(0, |acc, d| acc * 10 + d), i + 4)
    };
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let separator = at(after_year)?;
    let chinese_form = separator == '年';
    // Numeric separators only go with Arabic years: 2021-04-25, never 二〇二一-四-二十五.
    let numeric_form = matches!(separator, '-' | '.' | '/' | '．') && !chinese_year;
    if !chinese_form && !numeric_form {
        return None;
    }
    let (month, after_month) = read_number(chars, after_year + 1, 2, chinese_year)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let year = year as i32;
    if chinese_form {
        if at(after_month) != Some('月') {
            return None;
        }
        let month_end = after_month + 1;
        if let Some((day, after_day)) = read_number(chars, month_end, 2, chinese_year)
            && at(after_day) == Some('日')
            && Date::new(year, month, day).is_some()
        {
            let date = FoundDate { start: chars[i].0, end: end_of(after_day + 1), year, month, day: Some(day) };
            return Some((date, after_day + 1));
        }
        let date = FoundDate { start: chars[i].0, end: end_of(month_end), year, month, day: None };
        return Some((date, month_end));
    }
    // Numeric forms need the same separator twice and a day: 2021-04-25, 2021.4.25.
    if at(after_month) != Some(separator) {
        return None;
    }
    let (day, after_day) = read_number(chars, after_month + 1, 2, false)?;
    Date::new(year, month, day)?;
    Some((FoundDate { start: chars[i].0, end: end_of(after_day), year, month, day: Some(day) }, after_day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_in_the_usual_spellings() {
        let d = find_dates("落款：2021年4月25日，二〇二一年四月二十五日；2021-04-25；2020年12月；湘财绩〔2020〕7号");
        let got: Vec<_> = d.iter().map(|d| (d.year, d.month, d.day)).collect();
        assert_eq!(got, vec![(2021, 4, Some(25)), (2021, 4, Some(25)), (2021, 4, Some(25)), (2020, 12, None)]);
        assert!(find_dates("2020年全国科普日").is_empty());
        assert!(find_dates("12020年1月1日").is_empty());
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十五"), Some(25));
        assert_eq!(chinese_number("九"), Some(9));
        assert_eq!(chinese_number("十十"), None);
    }
}
