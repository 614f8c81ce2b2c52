//! `duplicate-section` and `duplicate-paragraph`: text pasted twice. The seed repeats 三（一）（二）, 四 and
//! the performance section after its signature — a copy-and-paste slip a reviewer should not miss.

use super::Context;
use crate::finding::{DocumentFinding, Severity, rule};
use crate::structure::HeadingStyle;
use std::collections::HashMap;

/// Paragraphs shorter than this (「有效性：」, a unit name) repeat legitimately.
const MIN_KEY_CHARS: usize = 6;
/// A repeated block counts only if one of its paragraphs is real prose, not just a heading.
const MIN_PROSE_CHARS: usize = 20;

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let s = ctx.structure;
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut original: Vec<Option<usize>> = vec![None; s.paragraphs.len()];
    for (i, p) in s.paragraphs.iter().enumerate() {
        if p.key.chars().count() < MIN_KEY_CHARS {
            continue;
        }
        match first_seen.get(p.key.as_str()) {
            Some(&first) => original[i] = Some(first),
            None => {
                first_seen.insert(&p.key, i);
            }
        }
    }
    // Runs of consecutive repeated paragraphs, cut where a level-1 heading starts a new section.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..s.paragraphs.len() {
        let continues = i > 0 && original[i - 1].is_some();
        let starts_section = s.paragraphs[i].heading.is_some_and(|h| s.headings[h].level == 1);
        if original[i].is_none() {
            continue;
        }
        match groups.last_mut() {
            Some(g) if continues && !starts_section => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    let mut findings = Vec::new();
    for group in groups {
        // Prose: long enough and written in clauses. A title printed twice, or a heading that the
        // 目录 lists and the body repeats, is not a pasting slip.
        if !group.iter().any(|&i| {
            let key = &s.paragraphs[i].key;
            key.chars().count() >= MIN_PROSE_CHARS && key.contains(['。', '，', '；', ',', ';'])
        }) {
            continue;
        }
        let (first, last) = (group[0], group[group.len() - 1]);
        let (Some(orig_first), Some(orig_last)) = (original[first], original[last]) else {
            continue;
        };
        let headings: Vec<String> = group
            .iter()
            .filter_map(|&i| s.paragraphs[i].heading)
            .map(|h| &s.headings[h])
            .filter(|h| h.style != HeadingStyle::Label)
            .map(|h| h.display())
            .collect();
        // Name the section the copied text came from, e.g. 「三、部门项目组织实施情况」.
        let orig_line = s.paragraphs[orig_first].line;
        let enclosing = s.headings.iter().rev().find(|h| h.level == 1 && h.line <= orig_line).map(|h| h.display());
        let mut names: Vec<String> = Vec::new();
        if let Some(e) = enclosing.filter(|e| !headings.contains(e)) {
            names.push(e);
        }
        names.extend(headings.iter().cloned());
        let (rule_id, what) = if headings.is_empty() { (rule::DUPLICATE_PARAGRAPH, "段落") } else { (rule::DUPLICATE_SECTION, "章节") };
        let lines = |a: usize, b: usize| {
            let (la, lb) = (s.paragraphs[a].line, s.paragraphs[b].line);
            if la == lb { format!("第{la}行") } else { format!("第{la}–{lb}行") }
        };
        let named = if names.is_empty() { String::new() } else { format!("（{}）", names.join(" ")) };
        findings.push(ctx.doc.finding(
            rule_id,
            Severity::Error,
            (s.paragraphs[first].range.0, s.paragraphs[last].range.1),
            format!("{what}重复{named}：{}与{}内容相同（共{}段）", lines(first, last), lines(orig_first, orig_last), group.len()),
        ));
    }
    findings
}
