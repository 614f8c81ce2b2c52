//! `unknown-classification`, `colloquial-classification`, `classification-code`: 支出功能分类 names and
//! codes checked against the year's edition of the code tables.
//!
//! Recognised forms: dash paths 「科学技术支出-科学技术管理事务-老科协经费…」 (类-款-项, the last part often a
//! project description), the narrative 「科学技术支出（类）科学技术普及（款）科普活动（项）」, and a 7-digit code
//! written before its name 「2060702科普活动」. The seed writes 「其他社会科学普及支出」, which is no 科目;
//! 2060799 其他科学技术普及支出 is meant.

use super::Context;
use crate::cjk;
use crate::finding::{DocumentFinding, Severity, rule};
use jixiao_core::codes::CodeTables;
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone)]
struct Entry {
    code: String,
    name: String,
}

/// The year's function codes arranged for looking names up.
struct NameIndex {
    tables: &'static CodeTables,
    /// Every 类, 款 and 项, by code.
    entries: Vec<Entry>,
    /// A note for messages when the report's year has no edition and a neighbour's is used.
    edition_note: String,
}

impl NameIndex {
    fn for_year(report_year: Option<i32>) -> Option<NameIndex> {
        let years = CodeTables::years();
        let year = match report_year {
            Some(y) => *years.iter().min_by_key(|e| (e.abs_diff(y), std::cmp::Reverse(**e)))?,
            None => *years.iter().max()?,
        };
        let tables = CodeTables::for_year(year)?;
        let mut by_code: BTreeMap<String, String> = BTreeMap::new();
        for item in tables.function_items() {
            by_code.insert(item.code.clone(), item.name.clone());
            for len in [3, 5] {
                if let Some(parent) = item.code.get(..len).and_then(|c| tables.function(c)) {
                    by_code.insert(parent.code.clone(), parent.name.clone());
                }
            }
        }
        let edition_note = if report_year == Some(year) { String::new() } else { format!("（按{year}年版科目表）") };
        Some(NameIndex { tables, entries: by_code.into_iter().map(|(code, name)| Entry { code, name }).collect(), edition_note })
    }

    fn classes(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.code.len() == 3)
    }

    /// 款 and 项 under a 类, or 项 under a 款.
    fn children(&self, parent: &Entry) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.code.len() > parent.code.len() && e.code.starts_with(&parent.code)).collect()
    }

    fn path(&self, code: &str) -> String {
        self.tables.function_path(code).unwrap_or_default()
    }
}

enum Resolution<'a> {
    Exact(&'a Entry),
    /// 「社会科学支出」 for 社会科学: understood, but not the 科目's name.
    Colloquial(&'a Entry),
    /// Close to a 科目 name but not one: the best guess.
    Unknown(&'a Entry),
    /// Not a 科目 name at all: a project description ending the path.
    Description,
}

/// The distinctive core of a name: without the generic 「其他」 and 「支出」.
fn core(name: &str) -> &str {
    let name = name.strip_prefix("其他").unwrap_or(name);
    name.strip_suffix("支出").unwrap_or(name)
}

fn bigrams(s: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// How alike two 科目 names are. Chinese compounds are head-final — 「社会科学普及」 is a kind of 普及 —
/// so a shared ending weighs double; shared bigrams and a matching 「其他」 add to it.
/// `None` when they share too little to be the same 科目 misspelt (then it is a project description).
fn similarity(written: &str, candidate: &str) -> Option<usize> {
    let (w, c) = (core(written), core(candidate));
    let suffix = w.chars().rev().zip(c.chars().rev()).take_while(|(a, b)| a == b).count();
    let shared = bigrams(w).intersection(&bigrams(c)).count();
    let other = usize::from(written.starts_with("其他") == candidate.starts_with("其他"));
    let score = 2 * suffix + shared + other;
    // A two-character ending alone (项目, 服务, 活动) is too common to mean anything.
    let alike = suffix >= 3 || shared >= 3 || (suffix >= 2 && shared >= 2);
    (alike && score >= 4).then_some(score)
}

fn resolve<'a>(written: &str, candidates: &[&'a Entry]) -> Resolution<'a> {
    if let Some(e) = candidates.iter().find(|e| e.name == written) {
        return Resolution::Exact(e);
    }
    let colloquial =
        candidates.iter().find(|e| written.strip_suffix("支出") == Some(e.name.as_str()) || e.name.strip_suffix("支出") == Some(written));
    if let Some(e) = colloquial {
        return Resolution::Colloquial(e);
    }
    // A name with a bracketed note 「科普活动（第一批）」: judge the part before the bracket.
    if let Some(i) = written.find('（').filter(|i| *i > 0) {
        return resolve(&written[..i], candidates);
    }
    candidates
        .iter()
        .filter_map(|e| similarity(written, &e.name).map(|s| (s, *e)))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.code.cmp(&a.1.code)))
        .map_or(Resolution::Description, |(_, e)| Resolution::Unknown(e))
}

const DASHES: &[char] = &['-', '－', '—', '–', '―', '‐'];

fn is_name_char(c: char) -> bool {
    cjk::is_han(c) || matches!(c, '（' | '）')
}

/// A written segment of a classification path: its text and byte range.
type Segment<'t> = (&'t str, (usize, usize));

/// Dash paths: 「…科学技术支出-社会科学支出-省级社科组织…」. Segment 0 runs back to the start of the
/// Han run and is matched by its longest suffix that is a 类 name.
fn dash_paths(text: &str) -> Vec<Vec<Segment<'_>>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |k: usize| chars.get(k).map_or(text.len(), |(b, _)| *b);
    let mut paths = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let is_junction = DASHES.contains(&chars[k].1) && k > 0 && is_name_char(chars[k - 1].1);
        if !is_junction {
            k += 1;
            continue;
        }
        let mut start = k;
        while start > 0 && is_name_char(chars[start - 1].1) && k - start < 30 {
            start -= 1;
        }
        let mut segments = vec![(&text[byte(start)..byte(k)], (byte(start), byte(k)))];
        let mut j = k;
        loop {
            while j < chars.len() && DASHES.contains(&chars[j].1) {
                j += 1;
            }
            let seg_start = j;
            while j < chars.len() && is_name_char(chars[j].1) && j - seg_start < 40 {
                j += 1;
            }
            if j == seg_start {
                break;
            }
            segments.push((&text[byte(seg_start)..byte(j)], (byte(seg_start), byte(j))));
            if !(j < chars.len() && DASHES.contains(&chars[j].1)) {
                break;
            }
        }
        if segments.len() >= 2 {
            paths.push(segments);
        }
        k = j.max(k + 1);
    }
    paths
}

/// Narrative paths: 「科学技术支出（类）科学技术普及（款）科普活动（项）」.
fn narrative_paths(text: &str) -> Vec<Vec<Segment<'_>>> {
    let mut paths = Vec::new();
    for (at, _) in text.match_indices("（类）") {
        let before = &text[..at];
        let start = before.char_indices().rev().take_while(|(_, c)| cjk::is_han(*c)).last().map_or(at, |(i, _)| i);
        let mut segments = vec![(&text[start..at], (start, at))];
        let mut pos = at + "（类）".len();
        for marker in ["（款）", "（项）"] {
            let rest = &text[pos..];
            let Some(m) = rest.find(marker) else { break };
            let name = &rest[..m];
            if name.is_empty() || !name.chars().all(cjk::is_han) || name.chars().count() > 30 {
                break;
            }
            segments.push((name, (pos, pos + m)));
            pos += m + marker.len();
        }
        if segments.len() >= 2 {
            paths.push(segments);
        }
    }
    paths
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let Some(index) = NameIndex::for_year(ctx.structure.report_year.map(|y| y.year)) else {
        return Vec::new();
    };
    let text = ctx.doc.text.as_str();
    let mut findings = Vec::new();
    let mut paths = dash_paths(text);
    paths.extend(narrative_paths(text));
    for segments in paths {
        check_path(ctx, &index, &segments, &mut findings);
    }
    check_codes(ctx, &index, &mut findings);
    findings
}

/// A segment as the writer meant it: without a trailing 「科目」 or 「等」, and cut where 「和」/「及」/「、」
/// starts the next path (「…-政协会议和一般公共服务支出-政协事务-…」 lists two paths).
/// Returns the segment and, when one was found, the offset where the next path's 类 begins.
fn split_segment<'t>(index: &NameIndex, written: &'t str) -> (&'t str, Option<usize>) {
    for (i, c) in written.char_indices() {
        if matches!(c, '和' | '及' | '与' | '、') {
            let rest = &written[i + c.len_utf8()..];
            if index.classes().any(|class| rest == class.name) {
                return (&written[..i], Some(i + c.len_utf8()));
            }
        }
    }
    let trimmed = written.trim_end_matches("科目");
    (trimmed.strip_suffix('等').unwrap_or(trimmed), None)
}

fn check_path(ctx: &Context, index: &NameIndex, segments: &[Segment], findings: &mut Vec<DocumentFinding>) {
    let Some(&(first, _)) = segments.first() else {
        return;
    };
    // The 类 is the longest class name the first segment ends with (「其中科学技术支出」 → 科学技术支出).
    let Some(class) = index.classes().filter(|c| first.ends_with(c.name.as_str())).max_by_key(|c| c.name.len()) else {
        return;
    };
    let year_note = &index.edition_note;
    let mut parent = class;
    for (n, &(full, full_range)) in segments.iter().enumerate().skip(1) {
        let (written, next_path) = split_segment(index, full);
        let range = (full_range.0, full_range.0 + written.len());
        if let Some(at) = next_path {
            // Check the rest of the text as its own path, whatever this segment turns out to be.
            let mut rest = vec![(&full[at..], (full_range.0 + at, full_range.1))];
            rest.extend_from_slice(&segments[n + 1..]);
            check_path(ctx, index, &rest, findings);
        }
        let stop_here = next_path.is_some();
        let candidates = index.children(parent);
        let resolution = resolve(written, &candidates);
        let shown = |e: &Entry| format!("{} {}（{}）", e.code, e.name, index.path(&e.code));
        match resolution {
            Resolution::Exact(e) if e.code.len() == 5 && !stop_here => parent = e,
            Resolution::Exact(_) | Resolution::Description => return,
            Resolution::Colloquial(e) => {
                findings.push(ctx.doc.finding(
                    rule::COLLOQUIAL_CLASSIFICATION,
                    Severity::Warning,
                    range,
                    format!("「{written}」是口语写法，支出功能分类科目名称为 {}{year_note}", shown(e)),
                ));
                if e.code.len() == 7 || stop_here {
                    return;
                }
                parent = e;
            }
            Resolution::Unknown(e) => {
                // 「其他…支出」 under a 款 means the 款's 99 item; suggest the item, not the 款.
                let e = if e.code.len() == 5 && written.starts_with("其他") {
                    candidates.iter().copied().find(|c| c.code == format!("{}99", e.code)).unwrap_or(e)
                } else {
                    e
                };
                let level = if parent.code.len() == 3 { "款/项" } else { "项" };
                findings.push(ctx.doc.finding(
                    rule::UNKNOWN_CLASSIFICATION,
                    Severity::Error,
                    range,
                    format!(
                        "「{written}」不是{}年支出功能分类「{}」下的{level}科目名称{year_note}；应为 {}",
                        index.tables.year,
                        parent.name,
                        shown(e)
                    ),
                ));
                return;
            }
        }
    }
}

/// 「2060702科普活动」: the code must exist, and the name after it must be the code's.
fn check_codes(ctx: &Context, index: &NameIndex, findings: &mut Vec<DocumentFinding>) {
    let text = ctx.doc.text.as_str();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let run = chars[k..].iter().take_while(|(_, c)| c.is_ascii_digit()).count();
        if run == 0 {
            k += 1;
            continue;
        }
        let glued_before = k > 0 && (chars[k - 1].1.is_ascii_alphanumeric() || matches!(chars[k - 1].1, '.' | '-' | '/'));
        let end = k + run;
        let code: String = chars[k..end].iter().map(|(_, c)| c).collect();
        k = end;
        if run != 7 || glued_before || index.tables.function(&code[..3]).is_none() {
            continue;
        }
        let mut n = end;
        while chars.get(n).is_some_and(|(_, c)| matches!(c, ' ' | '\u{3000}' | '：' | ':')) {
            n += 1;
        }
        let name_start = chars.get(n).map_or(text.len(), |(b, _)| *b);
        let name_len = chars[n.min(chars.len())..].iter().take_while(|(_, c)| cjk::is_han(*c)).count();
        if name_len < 2 {
            continue;
        }
        let name_end = chars.get(n + name_len).map_or(text.len(), |(b, _)| *b);
        let written = &text[name_start..name_end];
        let code_range = (chars[end - run].0, chars.get(end).map_or(text.len(), |(b, _)| *b));
        if !index.tables.is_valid_function_item(&code) {
            let suggestions = index.tables.suggest_function(&code);
            findings.push(ctx.doc.finding(
                rule::CLASSIFICATION_CODE,
                Severity::Error,
                (code_range.0, name_end),
                format!(
                    "科目编码 {code} 不在{}年支出功能分类中{}；相近的有：{}",
                    index.tables.year,
                    index.edition_note,
                    suggestions.join("；")
                ),
            ));
            continue;
        }
        let Some(entry) = index.tables.function(&code) else {
            continue;
        };
        let name = entry.name.as_str();
        let matches = written.starts_with(name) || written.starts_with(name.strip_suffix("支出").unwrap_or(name));
        if !matches {
            findings.push(ctx.doc.finding(
                rule::CLASSIFICATION_CODE,
                Severity::Warning,
                (code_range.0, name_end),
                format!("科目编码 {code} 的名称是「{name}」（{}），报告写作「{written}」{}", index.path(&code), index.edition_note),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_misspelt_item_points_to_2060799() {
        let index = NameIndex::for_year(Some(2020)).unwrap();
        let class = index.classes().find(|c| c.code == "206").unwrap();
        let candidates = index.children(class);
        match resolve("其他社会科学普及支出", &candidates) {
            Resolution::Unknown(e) => assert_eq!(e.code, "2060799", "{}", e.name),
            _ => panic!("not recognised as a misspelt 科目"),
        }
        assert!(matches!(resolve("社会科学支出", &candidates), Resolution::Colloquial(e) if e.code == "20606"));
        assert!(matches!(resolve("科学技术管理事务", &candidates), Resolution::Exact(e) if e.code == "20601"));
        assert!(matches!(resolve("院士工作站项目支出", &candidates), Resolution::Description));
    }

    #[test]
    fn finds_dash_and_narrative_paths() {
        let p = dash_paths("其中科学技术支出-社会科学支出-省级社科组织能力提升支出2万元");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].iter().map(|s| s.0).collect::<Vec<_>>(), vec!["其中科学技术支出", "社会科学支出", "省级社科组织能力提升支出"]);
        let n = narrative_paths("用于科学技术支出（类）科学技术普及（款）科普活动（项）24.13万元");
        assert_eq!(n[0].iter().map(|s| s.0).collect::<Vec<_>>(), vec!["用于科学技术支出", "科学技术普及", "科普活动"]);
    }
}
