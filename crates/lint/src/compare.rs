//! `cross-document-mismatch`: `jixiao lint A B …` groups the documents of one unit and year (a 自评表,
//! its 决算说明, the 部门整体 report) and compares the figures they share, in 分, so a table in 元 and a
//! text in 万元 are compared after conversion. Each document is told what the other says.

use crate::amounts::{Unit, format_in};
use crate::finding::{Severity, rule};
use crate::kind::DocumentKind;
use crate::{Document, LintReport};
use jixiao_core::Fen;
use serde::Serialize;

/// A headline figure a document states: what it is, its value and where.
#[derive(Debug, Clone, Serialize)]
pub struct StatedFigure {
    /// 支出合计, 基本支出, 项目支出, 收入, 年初结转和结余, 年末结转和结余, 全年预算数, 全年执行数.
    pub name: &'static str,
    pub fen: i64,
    pub unit: Unit,
    /// As written: 「4143.91万元」.
    pub text: String,
    pub line: usize,
    #[serde(skip)]
    pub range: (usize, usize),
}

/// Which quantity two figures must agree on: a 部门整体自评表's 全年执行数 is the unit's spending.
fn key(kind: DocumentKind, name: &str) -> Option<&'static str> {
    match (kind, name) {
        (DocumentKind::ProjectForm | DocumentKind::ProjectReport, _) => None,
        (DocumentKind::DeptForm, "全年执行数") => Some("支出合计"),
        (DocumentKind::DeptForm, _) => None,
        (_, "支出合计") => Some("支出合计"),
        (_, "基本支出") => Some("基本支出"),
        (_, "项目支出") => Some("项目支出"),
        (_, "收入") => Some("收入"),
        (_, "年初结转和结余") => Some("年初结转和结余"),
        (_, "年末结转和结余") => Some("年末结转和结余"),
        _ => None,
    }
}

/// The unit's name from the title line: what is left once the year and the document's own name are
/// taken out (「长沙市开福区农业农村局2021年度部门整体支出绩效自评报告」 → 长沙市开福区农业农村局).
pub fn unit_name(doc: &Document, title: Option<(usize, usize)>) -> Option<String> {
    let line = match title {
        Some((s, e)) => doc.slice(s, e).lines().find(|l| l.contains('年'))?.to_string(),
        None => doc.lines().find(|l| l.text.contains("年度"))?.text.to_string(),
    };
    let mut name: String = line.chars().filter(|c| !crate::document::is_blank(*c) && !matches!(c, '#' | '*' | '《' | '》')).collect();
    // The year: 「2021年度」「2021年」.
    if let Some(at) = name.find('年') {
        let digits = name[..at].chars().rev().take_while(|c| c.is_ascii_digit()).count();
        if digits == 4 {
            let start = at - 4;
            let end = at + '年'.len_utf8() + if name[at + 3..].starts_with('度') { '度'.len_utf8() } else { 0 };
            name.replace_range(start..end, "");
        }
    }
    for word in [
        "部门整体支出绩效自评报告",
        "整体支出绩效自评报告",
        "项目支出绩效自评报告",
        "部门整体支出绩效自评表",
        "部门整体绩效自评表",
        "项目支出绩效自评表",
        "部门决算情况说明",
        "单位决算情况说明",
        "部门决算公开",
        "部门决算",
        "单位决算",
        "决算公开",
        "部门预算",
        "整体支出绩效",
        "报告",
    ] {
        if let Some(i) = name.find(word) {
            name.truncate(i);
        }
    }
    // 「第二部分」「一、」 before the title are numbering, not the unit.
    let mut name = name.as_str();
    if let Some(rest) = name.strip_prefix('第')
        && let Some(i) = rest.find("部分")
    {
        name = &rest[i + "部分".len()..];
    }
    let numerals = name.chars().take_while(|c| crate::cjk::is_chinese_numeral(*c)).count();
    if numerals > 0 && name.chars().nth(numerals) == Some('、') {
        name = name.split_once('、').map_or(name, |(_, r)| r);
    }
    let name = name.trim_matches(|c: char| !crate::cjk::is_han(c)).to_string();
    (name.chars().count() >= 3).then_some(name)
}

fn shown(f: &StatedFigure, unit: Unit) -> String {
    if f.unit == unit || f.unit == Unit::Missing {
        f.text.clone()
    } else {
        format!("{}（= {}{}）", f.text, format_in(Fen(f.fen), unit), unit.label())
    }
}

/// Adds a `cross-document-mismatch` finding to every document whose shared figure differs from another
/// document's of the same unit and year.
pub fn compare(reports: &mut [LintReport]) {
    let mut notes: Vec<(usize, crate::DocumentFinding)> = Vec::new();
    for a in 0..reports.len() {
        for b in 0..reports.len() {
            if a == b {
                continue;
            }
            let (ra, rb) = (&reports[a], &reports[b]);
            let same =
                ra.unit_name.is_some() && ra.unit_name == rb.unit_name && ra.report_year.is_some() && ra.report_year == rb.report_year;
            if !same {
                continue;
            }
            for fa in &ra.figures {
                let Some(k) = key(ra.kind, fa.name) else {
                    continue;
                };
                let Some(fb) = rb.figures.iter().find(|fb| key(rb.kind, fb.name) == Some(k)) else {
                    continue;
                };
                let tolerance = fa.unit.rounding_fen() + fb.unit.rounding_fen();
                if (fa.fen - fb.fen).abs() <= tolerance {
                    continue;
                }
                let doc = Document::new(&ra.name, &ra.text);
                notes.push((
                    a,
                    doc.finding(
                        rule::CROSS_DOCUMENT_MISMATCH,
                        Severity::Warning,
                        fa.range,
                        format!(
                            "与同单位同年度的《{}》不一致：本文件{} {}（第{}行），该文件{} {}（第{}行），差 {}{}",
                            rb.name,
                            fa.name,
                            fa.text,
                            fa.line,
                            fb.name,
                            shown(fb, fa.unit),
                            fb.line,
                            format_in(Fen((fa.fen - fb.fen).abs()), fa.unit),
                            fa.unit.label()
                        ),
                    ),
                ));
            }
        }
    }
    opening_against_prior_closing(reports, &mut notes);
    for (i, finding) in notes {
        reports[i].findings.push(finding);
    }
    for r in reports.iter_mut() {
        r.findings.sort_by(|x, y| x.span.start.cmp(&y.span.start).then_with(|| x.rule.cmp(y.rule)));
    }
}

/// A document's 年初结转和结余 against the 年末结转和结余 the same unit's document of the year before
/// states: this year opens with what last year closed with.
fn opening_against_prior_closing(reports: &[LintReport], notes: &mut Vec<(usize, crate::DocumentFinding)>) {
    for (a, ra) in reports.iter().enumerate() {
        let (Some(unit), Some(year)) = (&ra.unit_name, ra.report_year) else {
            continue;
        };
        let Some(opening) = ra.figures.iter().find(|f| f.name == "年初结转和结余") else {
            continue;
        };
        for rb in reports.iter().filter(|rb| rb.unit_name.as_ref() == Some(unit) && rb.report_year == Some(year - 1)) {
            let Some(closing) = rb.figures.iter().find(|f| f.name == "年末结转和结余") else {
                continue;
            };
            let tolerance = opening.unit.rounding_fen() + closing.unit.rounding_fen();
            if (opening.fen - closing.fen).abs() <= tolerance {
                continue;
            }
            let doc = Document::new(&ra.name, &ra.text);
            notes.push((
                a,
                doc.finding(
                    rule::OPENING_BALANCE_MISMATCH,
                    Severity::Warning,
                    opening.range,
                    format!(
                        "本文件{year}年年初结转和结余 {}（第{}行）与同单位上一年度《{}》的年末结转和结余 {}（第{}行）不一致，差 {}{}；年初数应等于上年年末数，有调整应写明",
                        opening.text,
                        opening.line,
                        rb.name,
                        shown(closing, opening.unit),
                        closing.line,
                        format_in(Fen((opening.fen - closing.fen).abs()), opening.unit),
                        opening.unit.label()
                    ),
                ),
            ));
        }
    }
}
