//! How the pages write amounts, times and messages for finance officers: 元 with thousands separators, the
//! task log's date and time, and messages without the English rule ids and internal section ids (those go
//! to a tooltip or a details cell).

use jixiao_core::money::Fen;

/// 元 with thousands separators and two decimals, e.g. `200,000.00`.
pub fn yuan(amount: Fen) -> String {
    let plain = amount.yuan_string();
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{fraction}")
}

/// A moment (Unix seconds) as date and time in China Standard Time (UTC+8, no daylight saving), e.g.
/// `2026-12-07 20:55`.
pub fn date_time(unix_seconds: i64) -> String {
    let local = unix_seconds + 8 * 3600;
    let (days, seconds) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let date = jixiao_core::Date::from_unix_days(days).map_or_else(|| "—".to_string(), |d| d.to_string());
    format!("{date} {:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// A message as users read it, and the rule id it carried, if any: a trailing ` [RULE_ID]` is split off.
/// (Messages name a report section by its title, never by its internal id: core's messages carry no id to strip.)
pub fn plain_message(message: &str) -> (String, Option<String>) {
    let mut text = message.trim().to_string();
    let mut rule = None;
    if let Some(open) = text.rfind(" [")
        && text.ends_with(']')
        && is_rule_id(&text[open + 2..text.len() - 1])
    {
        rule = Some(text[open + 2..text.len() - 1].to_string());
        text.truncate(open);
    }
    (text, rule)
}

/// An English rule id: capitals, digits and underscores, e.g. `BUDGET_CONTROL_STOP`.
pub fn is_rule_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') && s.contains('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_has_thousands_separators() {
        assert_eq!(yuan(Fen(20_000_000)), "200,000.00");
        assert_eq!(yuan(Fen(-123_456_789)), "-1,234,567.89");
        assert_eq!(yuan(Fen(99_999)), "999.99");
        assert_eq!(yuan(Fen(0)), "0.00");
    }

    #[test]
    fn date_time_is_china_standard_time() {
        // 2020-12-31 16:30 UTC is 2021-01-01 00:30 in Beijing.
        assert_eq!(date_time(1_609_432_200), "2021-01-01 00:30");
    }

    #[test]
    fn plain_message_moves_the_rule_id_out() {
        assert_eq!(
            plain_message("报告文字「八、存在的问题」未填写 [SECTION_DATA_MISSING]"),
            ("报告文字「八、存在的问题」未填写".to_string(), Some("SECTION_DATA_MISSING".to_string()))
        );
        // A bracket that is not a rule id stays in the message.
        assert_eq!(plain_message("金额须为数字 [元]"), ("金额须为数字 [元]".to_string(), None));
        assert_eq!(plain_message("金额须为数字"), ("金额须为数字".to_string(), None));
    }
}
