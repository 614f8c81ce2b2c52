//! `missing-section`, `misplaced-section`, `content-after-signature`, `missing-signature`: the report
//! against the standard outline (domain.md §6.1). Headings are matched by keywords, since every unit
//! words them its own way; the outline's variants (南县 opens with 自评得分情况) are all accepted.

use super::Context;
use crate::finding::{Finding, Severity, rule};
use crate::structure::{HeadingStyle, SectionKind};

/// Sections every report must have, with the core's section id where the core names one.
const REQUIRED: &[(SectionKind, Option<&str>)] = &[
    (SectionKind::Overview, None),
    (SectionKind::Spending, None),
    (SectionKind::Performance, None),
    (SectionKind::Problems, Some("problems")),
    (SectionKind::Improvements, Some("improvements")),
    (SectionKind::ResultApplication, Some("result_application")),
];

fn title_of(kind: SectionKind, core_id: Option<&str>) -> String {
    core_id
        .and_then(jixiao_core::sections::report_section)
        .map_or_else(|| kind.label().to_string(), |s| s.title.clone())
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let s = ctx.structure;
    let doc = ctx.doc;
    let mut findings = Vec::new();

    // A closing section (problems, next steps, use of results) written inside an opening one
    // (概况, 支出情况) is misplaced, and does not count as the section being present.
    let mut misplaced = vec![false; s.headings.len()];
    for (i, h) in s.headings.iter().enumerate() {
        let Some(top) = h.top.filter(|t| *t != i) else {
            continue;
        };
        let parent = &s.headings[top];
        let closing = h.kinds.iter().find(|k| k.is_closing());
        if let Some(kind) = closing
            && !parent.kinds.is_empty()
            && parent.kinds.iter().all(|k| k.is_opening())
            && h.level > parent.level
        {
            misplaced[i] = true;
            let standard = REQUIRED
                .iter()
                .find(|(k, _)| k == kind)
                .map_or_else(|| kind.label().to_string(), |(k, id)| title_of(*k, *id));
            findings.push(doc.finding(
                rule::MISPLACED_SECTION,
                Severity::Warning,
                h.range,
                format!(
                    "「{}」写在「{}」之中；按标准提纲应单列为一级标题「{standard}」",
                    h.title,
                    parent.display()
                ),
            ));
        }
    }

    let anchor = s
        .title
        .unwrap_or_else(|| s.paragraphs.first().map_or((0, 0), |p| p.range));
    for &(kind, core_id) in REQUIRED {
        let present = s
            .headings
            .iter()
            .enumerate()
            .any(|(i, h)| !misplaced[i] && h.kinds.contains(&kind));
        if !present {
            findings.push(doc.finding(
                rule::MISSING_SECTION,
                Severity::Warning,
                anchor,
                format!(
                    "缺少「{}」部分（标准提纲 domain.md §6.1；按关键词未找到相应标题）",
                    title_of(kind, core_id)
                ),
            ));
        }
    }

    match &s.signature {
        Some(sig) => {
            let after = s.after_signature();
            if !after.is_empty() {
                let (first, last) = (&s.paragraphs[after.start], &s.paragraphs[after.end - 1]);
                findings.push(doc.finding(
                    rule::CONTENT_AFTER_SIGNATURE,
                    Severity::Warning,
                    (first.range.0, last.range.1),
                    format!(
                        "落款（{}{}）之后还有 {} 段正文（第{}–{}行）；落款应在报告末尾，附件须以「附件」开头",
                        sig.unit.as_deref().map(|u| format!("{u} ")).unwrap_or_default(),
                        sig.date.chinese(),
                        after.len(),
                        first.line,
                        last.line
                    ),
                ));
            }
        }
        None if s.headings.iter().any(|h| h.style != HeadingStyle::Label) => {
            let end = doc.text.trim_end().len();
            let start = doc.text[..end].rfind('\n').map_or(0, |i| i + 1);
            findings.push(doc.finding(
                rule::MISSING_SIGNATURE,
                Severity::Warning,
                (start, end),
                "未找到落款：报告末尾应有单位名称和出具日期（如「2021年4月25日」）".to_string(),
            ));
        }
        None => {}
    }
    findings
}
