//! `missing-report-year`, `signature-date`, `date-outside-year`: dates against the fiscal year the
//! title names. A self-evaluation is written after the year closes, so the signing date must fall
//! after 12月31日; dates in the body belong to the year, except budget approvals just before it,
//! evaluation work just after it (up to the signing date) and the dates of rules being cited.

use super::Context;
use crate::cjk::{self, FoundDate};
use crate::finding::{DocumentFinding, Severity, rule};
use jixiao_core::Date;

/// A sentence with one of these may name a date in the year before (the budget is approved then).
const BUDGET_WORDS: &[&str] = &["预算", "批复", "下达", "上年", "去年", "编制", "部署", "印发", "制定", "出台"];
/// A sentence with one of these cites history (a rule issued, a unit founded), not the year's work.
const HISTORY_WORDS: &[&str] = &["以来", "成立", "组建", "制定", "印发", "出台", "发布", "颁布", "修订", "施行", "实施", "设立"];
/// 「2019年底」 next to one of these is a comparison, not a misdated fact.
const COMPARE_WORDS: &[&str] = &["较", "比", "上年", "去年", "同比", "增加", "减少", "增长", "下降"];

fn shown(d: &FoundDate) -> String {
    match d.day {
        Some(day) => format!("{}年{}月{}日", d.year, d.month, day),
        None => format!("{}年{}月", d.year, d.month),
    }
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let s = ctx.structure;
    let doc = ctx.doc;
    let mut findings = Vec::new();
    let Some(report_year) = s.report_year else {
        if ctx.kind.is_report() && s.headings.iter().any(|h| h.is_outline()) {
            let anchor = s.title.unwrap_or_else(|| s.paragraphs.first().map_or((0, 0), |p| p.range));
            findings.push(doc.finding(
                rule::MISSING_REPORT_YEAR,
                Severity::Warning,
                anchor,
                "标题中没有报告年度（如「2020年度」），无法核对日期和科目表版本".to_string(),
            ));
        }
        return findings;
    };
    let year = report_year.year;
    let signature = s.signature.as_ref();
    if let Some(sig) = signature {
        if Date::new(year, 12, 31).is_some_and(|end| sig.date <= end) {
            findings.push(doc.finding(
                rule::SIGNATURE_DATE,
                Severity::Error,
                sig.date_range,
                format!(
                    "落款日期 {} 不在{year}年度结束（{year}年12月31日）之后；年度自评报告应在年度结束后出具，请核对",
                    sig.date.chinese()
                ),
            ));
        } else if sig.date.year > year + 1 {
            findings.push(doc.finding(
                rule::SIGNATURE_DATE,
                Severity::Warning,
                sig.date_range,
                format!("落款日期 {} 比报告年度 {year} 晚了 {} 年，请核对标题年度或落款年份", sig.date.chinese(), sig.date.year - year),
            ));
        }
    }

    // Body: from the end of the title to the signature (what follows is checked as duplicated text).
    let body_start = s.title.map_or(0, |t| t.1);
    let body_end = signature.map_or(doc.text.len(), |sig| sig.date_range.0);
    let body_end = s.attachments_from.and_then(|a| s.paragraphs.get(a)).map_or(body_end, |p| body_end.min(p.range.0));
    let sentence_text = |offset: usize| doc.sentence_of(offset).map_or("", |i| doc.slice(doc.sentences[i].start, doc.sentences[i].end));
    for d in cjk::find_dates(&doc.text) {
        if d.start < body_start || d.start >= body_end || d.year == year {
            continue;
        }
        let sentence = sentence_text(d.start);
        let has = |words: &[&str]| words.iter().any(|w| sentence.contains(w));
        let problem = if d.year == year + 1 {
            // Evaluation work in the following spring is normal, up to the day the report is signed.
            let after_signing = signature.is_some_and(|sig| {
                let day = d.day.unwrap_or(1);
                (d.year, d.month, day) > (sig.date.year, sig.date.month, sig.date.day)
            });
            after_signing.then(|| format!("晚于落款日期 {}", signature.map(|s| s.date.chinese()).unwrap_or_default()))
        } else if d.year == year - 1 {
            (!has(BUDGET_WORDS) && !has(HISTORY_WORDS)).then(|| format!("在{year}年度开始之前，且不是预算批复等上年事项"))
        } else {
            (!has(HISTORY_WORDS)).then(|| format!("不在{year}年度内"))
        };
        if let Some(problem) = problem {
            findings.push(doc.finding(
                rule::DATE_OUTSIDE_YEAR,
                Severity::Warning,
                (d.start, d.end),
                format!("正文日期 {} {problem}（报告年度 {year}），请核对", shown(&d)),
            ));
        }
    }
    findings.extend(year_end_mentions(ctx, year, body_start, body_end));
    findings
}

/// 「2019年底实有在职人数」 in a 2020 report: a year-end figure of an earlier year given as this year's.
fn year_end_mentions(ctx: &Context, year: i32, body_start: usize, body_end: usize) -> Vec<DocumentFinding> {
    let doc = ctx.doc;
    let text = doc.slice(body_start, body_end);
    let mut findings = Vec::new();
    for marker in ["年底", "年末"] {
        for (i, _) in text.match_indices(marker) {
            let before = &text[..i];
            let digits: Vec<(usize, char)> = before.char_indices().rev().take(5).collect();
            if digits.len() < 4
                || !digits[..4].iter().all(|(_, c)| cjk::is_digit(*c))
                || digits.get(4).is_some_and(|(_, c)| cjk::is_digit(*c))
            {
                continue;
            }
            let mentioned = digits[..4].iter().rev().fold(0i32, |acc, (_, c)| acc * 10 + cjk::digit_value(*c).unwrap_or(0) as i32);
            let start = body_start + digits[3].0;
            let sentence = doc.sentence_of(start).map_or("", |k| doc.slice(doc.sentences[k].start, doc.sentences[k].end));
            if mentioned < year && !COMPARE_WORDS.iter().any(|w| sentence.contains(w)) {
                findings.push(doc.finding(
                    rule::DATE_OUTSIDE_YEAR,
                    Severity::Warning,
                    (start, body_start + i + marker.len()),
                    format!("「{mentioned}{marker}」早于报告年度 {year}；年末数应为{year}{marker}，请核对"),
                ));
            }
        }
    }
    findings
}
