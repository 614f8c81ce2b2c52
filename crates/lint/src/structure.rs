//! Recovers a report's outline: title and report year, numbered headings (一、 / （一） / 1、 / (1)),
//! short unnumbered headings and labels, paragraphs, and the signature (unit name + date) at the end.

use crate::cjk::{self, FoundDate};
use crate::document::Document;

/// What a heading is about, matched by keywords because every unit words its headings differently
/// (「存在的主要问题」「存在问题及原因分析」「主要问题」…). Follows the 部门整体 self-evaluation outline the provinces use (财预〔2013〕53号 附件2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SectionKind {
    Overview,
    Spending,
    ProjectOrganization,
    AssetManagement,
    Performance,
    Problems,
    Improvements,
    ResultApplication,
    GovernmentFunds,
    StateCapital,
    Other,
}

impl SectionKind {
    /// Matched in this order; a heading may carry several kinds (「存在的问题及改进措施」).
    const ALL: [SectionKind; 11] = [
        SectionKind::ResultApplication,
        SectionKind::Problems,
        SectionKind::Improvements,
        SectionKind::Other,
        SectionKind::GovernmentFunds,
        SectionKind::StateCapital,
        SectionKind::Performance,
        SectionKind::AssetManagement,
        SectionKind::ProjectOrganization,
        SectionKind::Spending,
        SectionKind::Overview,
    ];

    /// The usual title, as the standard outline words it.
    pub fn label(self) -> &'static str {
        match self {
            SectionKind::Overview => "部门基本情况",
            SectionKind::Spending => "部门整体支出情况",
            SectionKind::ProjectOrganization => "部门项目组织实施情况",
            SectionKind::AssetManagement => "资产管理情况",
            SectionKind::Performance => "部门整体支出绩效情况",
            SectionKind::Problems => "存在的问题及原因分析",
            SectionKind::Improvements => "下一步改进措施",
            SectionKind::ResultApplication => "绩效自评结果应用及公开情况",
            SectionKind::GovernmentFunds => "政府性基金预算支出情况",
            SectionKind::StateCapital => "国有资本经营预算支出情况",
            SectionKind::Other => "其他需要说明的情况",
        }
    }

    fn keywords(self) -> &'static [&'static str] {
        match self {
            SectionKind::Overview => &["基本情况", "基本概况", "概况", "部门简介", "单位简介", "职能职责"],
            SectionKind::Spending => &[
                "支出情况",
                "支出管理",
                "使用情况",
                "收支情况",
                "预算执行",
                "资金管理",
                "预算支出",
                "收入情况",
                "支出概况",
                "收支概况",
                "资金使用",
            ],
            SectionKind::ProjectOrganization => &["组织实施", "项目管理情况"],
            SectionKind::AssetManagement => &["资产管理"],
            SectionKind::Performance => &[
                "绩效情况",
                "绩效目标",
                "绩效评价",
                "绩效分析",
                "绩效自评情况",
                "自评得分",
                "自评结论",
                "评价结论",
                "履职效益",
                "有效性",
                "效益情况",
                "绩效指标",
                "完成情况",
                "自评结果",
            ],
            SectionKind::Problems => &["存在的问题", "存在问题", "主要问题", "问题及原因", "问题和原因", "不足之处", "存在的不足"],
            SectionKind::Improvements => &[
                "改进措施",
                "改进意见",
                "改进建议",
                "整改措施",
                "下一步",
                "工作计划",
                "工作打算",
                "措施及建议",
                "措施和建议",
                "意见及建议",
                "意见和建议",
                "有关建议",
                "相关建议",
                "整改情况",
            ],
            SectionKind::ResultApplication => &["结果应用", "结果运用", "应用情况", "公开情况", "结果的应用", "结果公开"],
            SectionKind::GovernmentFunds => &["政府性基金"],
            SectionKind::StateCapital => &["国有资本经营"],
            SectionKind::Other => &["其他需要说明", "其他说明", "需要说明的"],
        }
    }

    /// The kinds a heading title speaks of. 「绩效自评结果应用」 is about applying results, not about
    /// performance, so once a closing kind matches, 绩效 words no longer count.
    pub fn classify(title: &str) -> Vec<SectionKind> {
        let mut kinds: Vec<SectionKind> = Vec::new();
        for kind in SectionKind::ALL {
            if kind == SectionKind::Performance && kinds.iter().any(|k| k.is_closing()) {
                continue;
            }
            if kind.keywords().iter().any(|k| title.contains(k)) {
                kinds.push(kind);
            }
        }
        kinds
    }

    /// Sections that open the report: they describe the unit and its money.
    pub fn is_opening(self) -> bool {
        matches!(self, SectionKind::Overview | SectionKind::Spending)
    }

    /// Sections that close the report: problems, what to do next, how results are used.
    pub fn is_closing(self) -> bool {
        matches!(self, SectionKind::Problems | SectionKind::Improvements | SectionKind::ResultApplication)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingStyle {
    /// 一、
    Numeral,
    /// （一）
    BracketNumeral,
    /// 1、 1. 1．
    Arabic,
    /// (1) （1）
    BracketArabic,
    /// ①
    Circled,
    /// A short standalone line that names a section, e.g. the seed's 「部门整体支出绩效情况」.
    Unnumbered,
    /// 「下一步工作计划：」 or the 「有效性：」 that opens a paragraph.
    Label,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub style: HeadingStyle,
    /// The numbering as written: 「一、」「（二）」; empty for unnumbered headings and labels.
    pub marker: String,
    /// The heading text up to its first comma or full stop (numbered headings often run into the paragraph).
    pub title: String,
    /// 1-based line number.
    pub line: usize,
    /// Byte range of the heading's marker and title.
    pub range: (usize, usize),
    pub kinds: Vec<SectionKind>,
    /// Index (into `Structure::headings`) of the level-1 heading this one sits under, or itself.
    pub top: Option<usize>,
}

impl Heading {
    /// Numbered and unnumbered headings make the outline; labels do not.
    pub fn is_outline(&self) -> bool {
        self.style != HeadingStyle::Label
    }

    pub fn display(&self) -> String {
        format!("{}{}", self.marker, self.title)
    }
}

/// A non-empty line.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub line: usize,
    /// Byte range without surrounding blanks.
    pub range: (usize, usize),
    /// The text with all blanks and markdown emphasis removed: equal keys mean a repeated paragraph.
    pub key: String,
    /// Index into `Structure::headings` when this paragraph starts with a heading or label.
    pub heading: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Signature {
    pub unit: Option<String>,
    pub unit_range: Option<(usize, usize)>,
    pub date: jixiao_core::Date,
    pub date_range: (usize, usize),
    /// Index into `Structure::paragraphs` of the date line.
    pub paragraph: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct ReportYear {
    pub year: i32,
    pub range: (usize, usize),
}

#[derive(Debug, Clone, Default)]
pub struct Structure {
    /// Byte range of the title lines (before the first heading).
    pub title: Option<(usize, usize)>,
    pub report_year: Option<ReportYear>,
    pub headings: Vec<Heading>,
    pub paragraphs: Vec<Paragraph>,
    pub signature: Option<Signature>,
    /// Index into `paragraphs` where attachments (附件/附表) begin, if they do.
    pub attachments_from: Option<usize>,
}

/// Strips markdown decoration that is not part of the report's words: `## `, `> `, `**`.
fn strip_markdown(line: &str) -> (&str, usize) {
    let mut s = line;
    let before = s.len();
    s = s.trim_start_matches('#').trim_start_matches('>');
    s = s.trim_start_matches(crate::document::is_blank);
    s = s.trim_start_matches(['*', '_']);
    let offset = before - s.len();
    (s.trim_end_matches(['*', '_']).trim_end_matches(crate::document::is_blank), offset)
}

const SENTENCE_PUNCTUATION: &[char] = &['。', '，', '；', ',', ';', '！', '？', '!', '?', '：', ':', '、'];

/// `(style, level, marker length in bytes)` when `text` starts with a heading number.
fn heading_number(text: &str) -> Option<(HeadingStyle, u8, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().take(8).collect();
    let first = chars.first()?.1;
    let end_of = |k: usize| chars.get(k).map(|(b, _)| *b).unwrap_or(text.len());
    let run = |from: usize, pred: fn(char) -> bool| chars.iter().skip(from).take_while(|(_, c)| pred(*c)).count();
    if cjk::is_chinese_numeral(first) {
        let n = run(0, cjk::is_chinese_numeral);
        let sep = chars.get(n).map(|(_, c)| *c);
        if n <= 3 && matches!(sep, Some('、' | '.' | '．')) && cjk::chinese_number(&text[..end_of(n)]).is_some() {
            return Some((HeadingStyle::Numeral, 1, end_of(n + 1)));
        }
        return None;
    }
    if matches!(first, '（' | '(') {
        let numerals = run(1, cjk::is_chinese_numeral);
        let digits = run(1, cjk::is_digit);
        let (n, style, level) =
            if numerals > 0 { (numerals, HeadingStyle::BracketNumeral, 2) } else { (digits, HeadingStyle::BracketArabic, 4) };
        if (1..=3).contains(&n) && matches!(chars.get(1 + n).map(|(_, c)| *c), Some('）' | ')')) {
            return Some((style, level, end_of(n + 2)));
        }
        return None;
    }
    if cjk::is_digit(first) {
        let n = run(0, cjk::is_digit);
        let sep = chars.get(n).map(|(_, c)| *c);
        let after = chars.get(n + 1).map(|(_, c)| *c);
        // 「1.5万元」 is an amount, not heading 1.
        if n <= 2 && matches!(sep, Some('、' | '.' | '．')) && !after.is_some_and(cjk::is_digit) {
            return Some((HeadingStyle::Arabic, 3, end_of(n + 1)));
        }
        return None;
    }
    if ('①'..='⑳').contains(&first) {
        return Some((HeadingStyle::Circled, 5, end_of(1)));
    }
    None
}

/// The title of a numbered heading: up to the first comma, colon or full stop, at most 40 chars.
/// Returned as a byte range within `rest`.
fn heading_title(rest: &str) -> (usize, usize) {
    let start = rest.len() - rest.trim_start_matches(crate::document::is_blank).len();
    let body = &rest[start..];
    let cut = body.find(['，', '。', '；', '：', ':', ',', ';']).unwrap_or(body.len());
    let cut = body[..cut].char_indices().nth(40).map_or(cut, |(i, _)| i);
    let end = start + body[..cut].trim_end_matches(crate::document::is_blank).len();
    (start, end)
}

fn is_short(text: &str, max_chars: usize) -> bool {
    text.chars().count() <= max_chars
}

/// A line that is only a date (optionally with 日期： before or （盖章） after).
fn date_only(text: &str) -> Option<FoundDate> {
    let dates = cjk::find_dates(text);
    let date = *dates.last()?;
    date.day?;
    let before = text[..date.start].trim_matches(crate::document::is_blank);
    let after = text[date.end..].trim_matches(crate::document::is_blank);
    let before_ok = before.is_empty() || before.trim_end_matches(['：', ':']).ends_with("日期");
    let after_ok = after.is_empty() || after.starts_with(['（', '(']) && is_short(after, 8);
    (before_ok && after_ok).then_some(date)
}

impl Structure {
    pub fn recover(doc: &Document) -> Structure {
        let mut s = Structure::default();
        let mut top: Option<usize> = None;
        let mut seen_numbered = false;
        let mut title_range: Option<(usize, usize)> = None;
        for line in doc.lines() {
            let (start, end) = line.trimmed_range();
            if start == end {
                continue;
            }
            let raw = doc.slice(start, end);
            let (clean, offset) = strip_markdown(raw);
            let clean_start = start + offset;
            let key: String = clean.chars().filter(|c| !crate::document::is_blank(*c) && !matches!(c, '*' | '_')).collect();
            let paragraph = s.paragraphs.len();
            s.paragraphs.push(Paragraph { line: line.number, range: (start, end), key, heading: None });
            if clean.is_empty() {
                continue;
            }
            if s.attachments_from.is_none() && seen_numbered && (clean.starts_with("附件") || clean.starts_with("附表")) {
                s.attachments_from = Some(paragraph);
            }
            let heading = if let Some((style, level, marker_len)) = heading_number(clean) {
                let marker = &clean[..marker_len];
                let (title_start, title_end) = heading_title(&clean[marker_len..]);
                let title = &clean[marker_len + title_start..marker_len + title_end];
                seen_numbered |= style == HeadingStyle::Numeral || style == HeadingStyle::BracketNumeral;
                Some(Heading {
                    level,
                    style,
                    marker: marker.to_string(),
                    title: title.to_string(),
                    line: line.number,
                    range: (clean_start, clean_start + marker_len + title_end),
                    kinds: SectionKind::classify(title),
                    top: None,
                })
            } else if !seen_numbered && s.headings.is_empty() && is_short(clean, 60) && !clean.contains('。') {
                // Lines before the first heading are the title (「2020年度…整体支出绩效」「报  告」).
                title_range = Some((title_range.map_or(start, |t| t.0), end));
                None
            } else if is_short(clean, 25) && !clean.contains(SENTENCE_PUNCTUATION) && date_only(clean).is_none() {
                let kinds = SectionKind::classify(clean);
                (!kinds.is_empty() && !clean.chars().any(cjk::is_digit)).then(|| Heading {
                    level: 1,
                    style: HeadingStyle::Unnumbered,
                    marker: String::new(),
                    title: clean.to_string(),
                    line: line.number,
                    range: (clean_start, clean_start + clean.len()),
                    kinds,
                    top: None,
                })
            } else {
                label(clean).map(|label| Heading {
                    level: 9,
                    style: HeadingStyle::Label,
                    marker: String::new(),
                    title: label.to_string(),
                    line: line.number,
                    range: (clean_start, clean_start + label.len()),
                    kinds: SectionKind::classify(label),
                    top: None,
                })
            };
            if let Some(mut heading) = heading {
                let index = s.headings.len();
                if heading.level == 1 {
                    top = Some(index);
                }
                heading.top = top;
                s.headings.push(heading);
                s.paragraphs[paragraph].heading = Some(index);
            }
        }
        s.title = title_range;
        s.report_year = find_report_year(doc, title_range);
        s.signature = find_signature(doc, &s);
        s
    }

    /// Paragraph indices after the signature's date line and before any attachment.
    pub fn after_signature(&self) -> std::ops::Range<usize> {
        match &self.signature {
            Some(sig) => sig.paragraph + 1..self.attachments_from.filter(|a| *a > sig.paragraph).unwrap_or(self.paragraphs.len()),
            None => 0..0,
        }
    }
}

/// 「下一步工作计划：」 alone on a line, or 「有效性：」 opening a paragraph: a few words before a colon.
fn label(clean: &str) -> Option<&str> {
    let colon = clean.find(['：', ':'])?;
    let label = clean[..colon].trim_matches(crate::document::is_blank);
    let ok = !label.is_empty()
        && is_short(label, 12)
        && !label.contains(SENTENCE_PUNCTUATION)
        && !label.chars().any(cjk::is_digit)
        && label.chars().any(cjk::is_han);
    ok.then_some(label)
}

/// The fiscal year from the title (`2020年度…`), else from the first `YYYY年度` in the text.
fn find_report_year(doc: &Document, title: Option<(usize, usize)>) -> Option<ReportYear> {
    let year_before = |text: &str, base: usize, marker: &str| -> Option<ReportYear> {
        let mut from = 0;
        while let Some(pos) = text.get(from..)?.find(marker) {
            let at = from + pos;
            let digits: Vec<(usize, char)> = text[..at].char_indices().rev().take(5).collect();
            let four: Vec<u32> = digits.iter().take(4).filter_map(|(_, c)| cjk::digit_value(*c)).collect();
            let fifth_is_digit = digits.get(4).is_some_and(|(_, c)| cjk::is_digit(*c));
            if four.len() == 4 && !fifth_is_digit {
                let year = four.iter().rev().fold(0, |acc, d| acc * 10 + *d as i32);
                let start = digits[3].0;
                if (1990..=2200).contains(&year) {
                    return Some(ReportYear { year, range: (base + start, base + at + marker.len()) });
                }
            }
            from = at + marker.len();
        }
        None
    };
    if let Some((start, end)) = title {
        let t = doc.slice(start, end);
        if let Some(y) = year_before(t, start, "年度").or_else(|| year_before(t, start, "年")) {
            return Some(y);
        }
    }
    year_before(&doc.text, 0, "年度")
}

/// The first date-only line after the body has begun, with the short line above it as the unit name.
fn find_signature(doc: &Document, s: &Structure) -> Option<Signature> {
    let first_heading_line = s.headings.iter().find(|h| h.is_outline())?.line;
    for (i, p) in s.paragraphs.iter().enumerate() {
        if p.line <= first_heading_line || p.heading.is_some() {
            continue;
        }
        let text = doc.slice(p.range.0, p.range.1);
        let (date, unit, unit_range) = if let Some(date) = date_only(text) {
            let unit = i.checked_sub(1).map(|j| &s.paragraphs[j]).filter(|u| {
                let t = doc.slice(u.range.0, u.range.1);
                u.heading.is_none() && is_short(t, 40) && !t.contains(SENTENCE_PUNCTUATION) && date_only(t).is_none()
            });
            (date, unit.map(|u| doc.slice(u.range.0, u.range.1).to_string()), unit.map(|u| u.range))
        } else {
            // 「芙蓉区科学技术协会    2021年4月25日」 on one line.
            let Some(date) = cjk::find_dates(text).last().copied() else {
                continue;
            };
            let name = text[..date.start].trim_matches(crate::document::is_blank);
            let tail = text[date.end..].trim_matches(crate::document::is_blank);
            if date.day.is_none() || name.is_empty() || !tail.is_empty() || !is_short(name, 30) || name.contains(SENTENCE_PUNCTUATION) {
                continue;
            }
            (date, Some(name.to_string()), Some((p.range.0, p.range.0 + name.len())))
        };
        let Some(d) = date.date() else { continue };
        return Some(Signature { unit, unit_range, date: d, date_range: (p.range.0 + date.start, p.range.0 + date.end), paragraph: i });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_numbers_at_each_level() {
        assert_eq!(heading_number("一、部门概况").map(|h| h.1), Some(1));
        assert_eq!(heading_number("十二、其他").map(|h| h.1), Some(1));
        assert_eq!(heading_number("（一）职能职责").map(|h| h.1), Some(2));
        assert_eq!(heading_number("(二) 基本支出").map(|h| h.1), Some(2));
        assert_eq!(heading_number("1、项目支出").map(|h| h.1), Some(3));
        assert_eq!(heading_number("(12)兴办").map(|h| h.1), Some(4));
        assert_eq!(heading_number("1.5万元"), None);
        assert_eq!(heading_number("2021年4月25日"), None);
        assert_eq!(heading_number("一是加强"), None);
    }

    #[test]
    fn classifies_headings_by_keywords() {
        assert_eq!(SectionKind::classify("存在的问题及下一步改进措施"), vec![SectionKind::Problems, SectionKind::Improvements]);
        assert_eq!(SectionKind::classify("部门整体支出绩效自评结果应用情况"), vec![SectionKind::ResultApplication]);
        assert_eq!(SectionKind::classify("部门概况"), vec![SectionKind::Overview]);
    }
}
