//! Reading indicator values as units write them: 「3万余」, 「近2万」, 「≥95%」, 「无安全事故」.

use crate::records::QuantityQualifier;

/// A number read from an indicator's text, in thousandths, with how the text qualifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextQuantity {
    pub milli: i64,
    pub qualifier: QuantityQualifier,
}

/// Words before a number that put the value under it (近2万, 不足100) or over it (超过300), or about it (约50).
const BEFORE: &[(&str, QuantityQualifier)] = &[
    ("将近", QuantityQualifier::Nearly),
    ("接近", QuantityQualifier::Nearly),
    ("不足", QuantityQualifier::Nearly),
    ("不到", QuantityQualifier::Nearly),
    ("近", QuantityQualifier::Nearly),
    ("超过", QuantityQualifier::MoreThan),
    ("逾", QuantityQualifier::MoreThan),
    ("大约", QuantityQualifier::About),
    ("约", QuantityQualifier::About),
];
/// Words after a number (and its magnitude) that do the same: 3万余, 300多, 90%以上, 5天以内, 50左右.
const AFTER: &[(&str, QuantityQualifier)] = &[
    ("余", QuantityQualifier::MoreThan),
    ("多", QuantityQualifier::MoreThan),
    ("以上", QuantityQualifier::MoreThan),
    ("以内", QuantityQualifier::Nearly),
    ("以下", QuantityQualifier::Nearly),
    ("左右", QuantityQualifier::About),
];
/// 万, 亿, 千 after the digits multiply them.
const MAGNITUDES: &[(char, i64)] = &[('万', 10_000), ('亿', 100_000_000), ('千', 1_000)];

/// The first number in a text with its magnitude and qualifier: 「3万余人次」 → 30 000 000 thousandths, more than;
/// 「≥90」 → 90 000, exact. `None` when the text holds no digit (「有效提升」) or the number overflows.
pub fn read_quantity(text: &str) -> Option<TextQuantity> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let before = text[..start].trim_end();
    let negative = before.ends_with('-');
    let rest = &text[start..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let (whole, frac) = rest[..end].split_once('.').unwrap_or((&rest[..end], ""));
    let mut after = rest[end..].trim_start();
    let mut scale = 1;
    if let Some(&(c, m)) = after.chars().next().and_then(|c| MAGNITUDES.iter().find(|(x, _)| *x == c)) {
        scale = m;
        after = &after[c.len_utf8()..];
    }
    // Thousandths of the number as written, then its magnitude: 1.25万 → 1 250 × 10 000.
    let frac_digits: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
    let written = whole.parse::<i64>().ok()?.checked_mul(1000)?.checked_add(frac_digits.parse::<i64>().ok()?)?;
    let milli = written.checked_mul(scale)?;
    // A unit may sit between the number and the qualifier (「300人以上」); look no further than the clause.
    let tail: String = after.chars().take_while(|c| !c.is_ascii_digit() && !"，,。；;（(、".contains(*c)).take(6).collect();
    let qualifier = AFTER
        .iter()
        .filter_map(|(w, q)| tail.find(w).map(|at| (at, *q)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, q)| q)
        .or_else(|| BEFORE.iter().find(|(w, _)| before.trim_end_matches('-').ends_with(w)).map(|(_, q)| *q))
        .unwrap_or(QuantityQualifier::Exact);
    Some(TextQuantity { milli: if negative { -milli } else { milli }, qualifier })
}

/// Words that judge an actual instead of measuring it (「达成」, 「基本达成」, 「未完成」): a numeric indicator's
/// actual may be one, and is then scored in the qualitative bands.
const JUDGEMENTS: &[&str] = &["达成", "完成", "达到", "实现"];
const JUDGEMENT_PREFIXES: &[&str] = &["未", "没有", "无", "部分", "基本"];

/// Whether an actual can be scored against a numeric target: it holds a number, or it is a judgement.
pub fn readable_actual(text: &str) -> bool {
    read_quantity(text).is_some()
        || JUDGEMENTS.iter().any(|j| text.contains(j))
        || JUDGEMENT_PREFIXES.iter().any(|p| text.trim().starts_with(p))
}

/// Words that say something did not happen, at the start (无安全事故, 未发生…, 零投诉) or the end (安全事故零发生).
const NEGATING_PREFIXES: &[&str] = &["未发生", "没有发生", "未出现", "没有出现", "杜绝", "没有", "无", "未", "零"];
const NEGATING_SUFFIXES: &[&str] = &["零发生", "为零", "为0", "0起", "零起", "0次", "零次"];
/// Verbs that carry no meaning once the negation is taken off: 「未发生安全事故」 and 「无安全事故」 say the same.
const FILLERS: &[&str] = &["发生", "出现", "重大", "任何", "一起"];

/// What a negated text says did not happen (「无安全事故」 → 「安全事故」), or `None` if the text is not negated.
pub fn negated_core(text: &str) -> Option<String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '。' | '，' | ',' | '.')).collect();
    // The negation may follow a few words of context: 「全年未发生安全事故」, 「服务无差错」.
    let head: usize = t.char_indices().nth(4).map_or(t.len(), |(at, _)| at);
    let negation = NEGATING_PREFIXES
        .iter()
        .filter_map(|p| t[..head].find(p).map(|at| (at, p.len())))
        .min_by_key(|&(at, len)| (at, std::cmp::Reverse(len)));
    let core = if let Some((at, len)) = negation {
        t[at + len..].to_string()
    } else if let Some(s) = NEGATING_SUFFIXES.iter().find(|s| t.ends_with(**s)) {
        t[..t.len() - s.len()].to_string()
    } else {
        return None;
    };
    Some(FILLERS.iter().fold(core, |c, f| c.replace(f, "")))
}

/// Whether a negated actual says what a negated target asks: the same thing did not happen (either may name it
/// more fully, and a bare 「无」 answers any negated target).
pub fn same_negation(target_core: &str, actual_core: &str) -> bool {
    actual_core.is_empty() || target_core.is_empty() || target_core.contains(actual_core) || actual_core.contains(target_core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuantityQualifier::*;

    fn q(text: &str) -> Option<(i64, QuantityQualifier)> {
        read_quantity(text).map(|q| (q.milli, q.qualifier))
    }

    #[test]
    fn numbers_with_magnitudes_and_qualifiers() {
        assert_eq!(q("≥90"), Some((90_000, Exact)));
        assert_eq!(q("95.5%"), Some((95_500, Exact)));
        assert_eq!(q("-3.25"), Some((-3_250, Exact)));
        assert_eq!(q("3万余"), Some((30_000_000, MoreThan)));
        assert_eq!(q("3万余人次"), Some((30_000_000, MoreThan)));
        assert_eq!(q("近2万"), Some((20_000_000, Nearly)));
        assert_eq!(q("1.25万人"), Some((12_500_000, Exact)));
        assert_eq!(q("300多人"), Some((300_000, MoreThan)));
        assert_eq!(q("300人以上"), Some((300_000, MoreThan)));
        assert_eq!(q("90%以上"), Some((90_000, MoreThan)));
        assert_eq!(q("约50场"), Some((50_000, About)));
        assert_eq!(q("50场左右"), Some((50_000, About)));
        assert_eq!(q("5天以内"), Some((5_000, Nearly)));
        assert_eq!(q("超过2亿元"), Some((200_000_000_000, MoreThan)));
        assert_eq!(q("有效提升"), None);
    }

    #[test]
    fn negations_are_read_by_meaning() {
        assert_eq!(negated_core("无安全事故").as_deref(), Some("安全事故"));
        assert_eq!(negated_core("未发生安全事故").as_deref(), Some("安全事故"));
        assert_eq!(negated_core("没有发生重大安全事故。").as_deref(), Some("安全事故"));
        assert_eq!(negated_core("安全事故零发生").as_deref(), Some("安全事故"));
        assert_eq!(negated_core("零投诉").as_deref(), Some("投诉"));
        assert_eq!(negated_core("全年未发生安全事故").as_deref(), Some("安全事故"));
        assert_eq!(negated_core("有效提升"), None);
        assert!(same_negation("安全事故", "安全事故"));
        assert!(same_negation("安全事故", ""));
        assert!(!same_negation("安全事故", "投诉"));
    }
}
