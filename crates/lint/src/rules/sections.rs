//! `missing-section`, `misplaced-section`, `content-after-signature`, `missing-signature`: a report
//! against the outline its kind is written to. Only the two report kinds have one: a 部门整体 report
//! follows the 部门整体支出 framework of 财预〔2013〕53号 (附件2) as the provinces' self-evaluation
//! notices lay it out; a 项目 report that of 财预〔2020〕10号. Forms, 决算说明 and 预算说明 have their
//! own fixed layouts and are not checked for sections. Headings are matched by keywords, since every
//! unit words them its own way; the outline's variants (南县 opens with 自评得分情况) are all accepted.

use super::Context;
use crate::finding::{DocumentFinding, Severity, rule};
use crate::kind::DocumentKind;
use crate::structure::{HeadingStyle, SectionKind};

/// Sections every 部门整体 report must have, with the core's section id where the core names one.
const REQUIRED: &[(SectionKind, Option<&str>)] = &[
    (SectionKind::Overview, None),
    (SectionKind::Spending, None),
    (SectionKind::Performance, None),
    (SectionKind::Problems, Some("problems")),
    (SectionKind::Improvements, Some("improvements")),
    (SectionKind::ResultApplication, Some("result_application")),
];

/// Sections a 项目支出绩效自评报告 must have (财预〔2020〕10号: problems found and what is proposed).
const REQUIRED_PROJECT: &[(SectionKind, Option<&str>)] =
    &[(SectionKind::Problems, Some("problems")), (SectionKind::Improvements, Some("improvements"))];

/// Where the outline a kind is held to comes from, named by its public title.
fn outline_source(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::ProjectReport => "《项目支出绩效评价管理办法》（财预〔2020〕10号）",
        _ => "部门整体支出绩效自评报告通行提纲，依据《预算绩效评价共性指标体系框架》（财预〔2013〕53号）附件2",
    }
}

fn title_of(kind: SectionKind, core_id: Option<&str>) -> String {
    core_id.and_then(jixiao_core::sections::report_section).map_or_else(|| kind.label().to_string(), |s| s.title.clone())
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
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
            && ctx.kind == DocumentKind::DeptReport
            && !parent.kinds.is_empty()
            && parent.kinds.iter().all(|k| k.is_opening())
            && h.level > parent.level
        {
            misplaced[i] = true;
            let standard = REQUIRED.iter().find(|(k, _)| k == kind).map_or_else(|| kind.label().to_string(), |(k, id)| title_of(*k, *id));
            findings.push(doc.finding(
                rule::MISPLACED_SECTION,
                Severity::Warning,
                h.range,
                format!("「{}」写在「{}」之中；按标准提纲应单列为一级标题「{standard}」", h.title, parent.display()),
            ));
        }
    }

    let anchor = s.title.unwrap_or_else(|| s.paragraphs.first().map_or((0, 0), |p| p.range));
    let required: &[(SectionKind, Option<&str>)] = match ctx.kind {
        DocumentKind::DeptReport => REQUIRED,
        DocumentKind::ProjectReport => REQUIRED_PROJECT,
        _ => &[],
    };
    for &(kind, core_id) in required {
        let present = s.headings.iter().enumerate().any(|(i, h)| !misplaced[i] && h.kinds.contains(&kind));
        if !present {
            findings.push(doc.finding(
                rule::MISSING_SECTION,
                Severity::Warning,
                anchor,
                format!("缺少「{}」部分（{}；按关键词未找到相应标题）", title_of(kind, core_id), outline_source(ctx.kind)),
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
        None if ctx.kind.is_report() && s.headings.iter().any(|h| h.style != HeadingStyle::Label) => {
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
