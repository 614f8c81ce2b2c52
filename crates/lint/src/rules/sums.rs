//! `sum-mismatch`, `mixed-units`, `missing-unit`: 「合计X，其中A、B」 and 「A、B，合计X」 statements whose
//! parts do not add up to their total (the seed: 242.96万元 of which only 148.93 + 5.03 are itemised).

use super::{Context, clause_head, is_delta_label};
use crate::amounts::{Money, Unit, format_in, to_fen};
use crate::finding::{DocumentFinding, Severity, rule};
use jixiao_core::Fen;

/// A figure taking part in a sum, in the unit it is read in (a bare number takes the total's unit).
struct Term<'a> {
    money: &'a Money,
    fen: Fen,
    unit: Unit,
}

impl<'a> Term<'a> {
    fn new(money: &'a Money, fallback: Unit) -> Option<Term<'a>> {
        if money.unit != Unit::Missing {
            return Some(Term { money, fen: money.fen, unit: money.unit });
        }
        let unit = if fallback == Unit::Missing { Unit::Yuan } else { fallback };
        let places = match unit {
            Unit::WanYuan => 4,
            Unit::YiYuan => 8,
            _ => 0,
        };
        to_fen(&money.number, places).map(|fen| Term { money, fen, unit })
    }
}

/// Bracket depth just before each byte of `text` is needed only at a few offsets; scanning is cheap.
fn bracket_depth(text: &str, upto: usize) -> i32 {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        if i >= upto {
            break;
        }
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth
}

/// Where the bracket open at `from` closes (or the text ends).
fn bracket_close(text: &str, from: usize) -> usize {
    let mut depth = 0;
    for (i, c) in text.get(from..).unwrap_or("").char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth == 0 => return from + i,
            '）' | ')' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let mut findings = Vec::new();
    for (index, range) in ctx.doc.sentences.iter().enumerate() {
        let mut items: Vec<&Money> =
            ctx.amounts.money.iter().chain(&ctx.amounts.bare).filter(|m| m.sentence == index && !m.in_table).collect();
        let text = ctx.doc.slice(range.start, range.end);
        let base = range.start;
        // 「…共完成预算资金89.97万元。其中：30万元…」: a sentence that opens with 其中 breaks down the
        // last figure of the sentence before, when both are on one line.
        let opens_with_breakdown =
            text.trim_start_matches(|c: char| crate::document::is_blank(c) || "（(0123456789.、".contains(c)).starts_with("其中");
        let carried_total = index
            .checked_sub(1)
            .filter(|_| opens_with_breakdown && !text.starts_with('\n'))
            .filter(|&prev| !ctx.doc.slice(ctx.doc.sentences[prev].start, ctx.doc.sentences[prev].end).ends_with('\n'))
            .and_then(|prev| {
                // Only when that sentence states one figure (besides shares and changes): with
                // several (预算数、差值…) the breakdown may run over any of them.
                let mut candidates = ctx.amounts.money.iter().filter(|m| {
                    m.sentence == prev && !m.in_table && m.unit != Unit::Missing && {
                        let label = ctx.money_label(m);
                        !is_delta_label(label) && !label.contains('占')
                    }
                });
                let total = candidates.next();
                candidates.next().is_none().then_some(total).flatten()
            });
        if let Some(total) = carried_total {
            items.push(total);
        }
        // One figure is enough when its 其中 lists the parts on the lines below.
        if items.is_empty() || (items.len() < 2 && !text.contains("其中")) {
            continue;
        }
        items.sort_by_key(|m| m.range.0);
        let breakdowns: Vec<usize> = text.match_indices("其中").map(|(i, _)| base + i).collect();
        for (k, &at) in breakdowns.iter().enumerate() {
            let Some(total) = items.iter().rev().find(|m| m.range.1 <= at && m.unit != Unit::Missing) else {
                continue;
            };
            // The total must be the figure 「其中」 refers to, not a change against last year.
            if is_delta_label(ctx.money_label(total)) {
                continue;
            }
            let after = ctx.doc.slice(at + "其中".len(), range.end).trim_start_matches(['：', ':', '，', ' ']);
            if after.trim().is_empty() {
                findings.extend(check_listed_breakdown(ctx, total, index));
                continue;
            }
            if after.starts_with("主要") || (after.starts_with("包括") && after.contains("等")) {
                continue;
            }
            let depth = bracket_depth(text, at - base);
            let mut end = if depth > 0 { base + bracket_close(text, at - base) } else { range.end };
            if let Some(&next) = breakdowns.get(k + 1) {
                let next_total = items.iter().rev().find(|m| m.range.1 <= next).map_or(next, |m| m.range.0);
                end = end.min(next_total.max(at));
            }
            let candidates: Vec<&Money> = items
                .iter()
                .copied()
                .filter(|m| m.range.0 >= at && m.range.1 <= end && bracket_depth(text, m.range.0 - base) == depth)
                .collect();
            if let Some(f) = check_statement(ctx, total, &candidates, end) {
                findings.extend(f);
            }
        }
        if breakdowns.is_empty() {
            findings.extend(check_trailing_total(ctx, text, base, &items));
        }
    }
    findings
}

/// 「基本支出 911000.39 元,其中:⏎人员经费 809961.19 元,主要包括…⏎公用经费 71339.2 元,…」: a 其中 that
/// ends its line lists the parts one a sentence below; each part is the first figure of its sentence,
/// until a heading, a sentence without a figure, or a blank line. A warning: the list is read from layout.
fn check_listed_breakdown(ctx: &Context, total: &Money, sentence: usize) -> Vec<DocumentFinding> {
    let mut parts: Vec<&Money> = Vec::new();
    for next in sentence + 1..ctx.doc.sentences.len().min(sentence + 12) {
        let r = &ctx.doc.sentences[next];
        let text = ctx.doc.slice(r.start, r.end);
        let trimmed = text.trim_start_matches(crate::document::is_blank);
        if trimmed.is_empty() || text.starts_with("\n\n") || starts_heading(trimmed) {
            break;
        }
        let first = ctx.amounts.money.iter().filter(|m| m.sentence == next && !m.in_table).min_by_key(|m| m.range.0);
        let Some(first) = first else { break };
        let label = clause_head(ctx.money_label(first));
        if label.chars().count() > 12 || is_delta_label(label) || first.unit != total.unit {
            break;
        }
        parts.push(first);
    }
    if parts.len() < 2 || total.approximate || parts.iter().any(|p| p.approximate) {
        return Vec::new();
    }
    let sum: i64 = parts.iter().map(|p| p.fen.0).sum();
    let tolerance: i64 = parts.iter().chain([&total]).map(|m| m.unit.rounding_fen()).sum();
    if (sum - total.fen.0).abs() <= tolerance {
        return Vec::new();
    }
    let unit = total.unit;
    let named = |m: &Money| {
        let value = format_in(m.fen, unit);
        match name_of(ctx, m) {
            Some(name) => format!("{name} {value}"),
            None => value,
        }
    };
    vec![ctx.doc.finding(
        rule::SUM_MISMATCH,
        Severity::Warning,
        (total.range.0, total.range.1),
        format!(
            "分项之和与合计不符：{} = {}{u}，合计{} {}{u}（第{}行），差 {}{u}",
            parts.iter().map(|p| named(p)).collect::<Vec<_>>().join(" + "),
            format_in(Fen(sum), unit),
            name_of(ctx, total).map(|n| format!("（{n}）")).unwrap_or_default(),
            format_in(total.fen, unit),
            total.line,
            format_in(Fen((sum - total.fen.0).abs()), unit),
            u = unit.label()
        ),
    )]
}

/// 「七、」「(二)」「2.」 opening a sentence: a new heading, which ends a list.
fn starts_heading(text: &str) -> bool {
    let first = text.chars().next();
    let second = text.chars().nth(1);
    let numeral = text.chars().take_while(|c| crate::cjk::is_chinese_numeral(*c)).count();
    let digits = text.chars().take_while(|c| crate::cjk::is_digit(*c)).count();
    matches!(first, Some('(' | '（'))
        || (numeral > 0 && numeral <= 3 && matches!(text.chars().nth(numeral), Some('、' | '.' | '．')))
        || (digits > 0
            && digits <= 2
            && matches!(text.chars().nth(digits), Some('、' | '.' | '．'))
            && !second.is_some_and(|c| crate::cjk::is_digit(c) && digits == 1))
}

/// 「基本支出100万元、项目支出50万元，合计150万元」: the total comes after its parts.
fn check_trailing_total(ctx: &Context, text: &str, base: usize, items: &[&Money]) -> Vec<DocumentFinding> {
    for keyword in ["合计", "共计", "总计"] {
        for (i, _) in text.match_indices(keyword) {
            let after = base + i + keyword.len();
            let Some(total) = items.iter().find(|m| m.range.0 >= after && m.unit != Unit::Missing) else {
                continue;
            };
            let between = ctx.doc.slice(after, total.range.0);
            if !between.chars().all(|c| matches!(c, '为' | '：' | ':' | ' ' | '\u{3000}')) {
                continue;
            }
            let parts: Vec<&Money> = items.iter().copied().filter(|m| m.range.1 <= base + i).collect();
            if parts.len() >= 2 {
                return check_statement(ctx, total, &parts, total.range.1).unwrap_or_default();
            }
        }
    }
    Vec::new()
}

/// Checks one total against its candidate parts. `None` when the statement is not a clear breakdown.
fn check_statement(ctx: &Context, total: &Money, candidates: &[&Money], end: usize) -> Option<Vec<DocumentFinding>> {
    let mut parts: Vec<Term> = Vec::new();
    for money in candidates {
        let label = ctx.money_label(money);
        if ["合计", "总计", "共计", "总额"].iter().any(|w| label.contains(w)) && !parts.is_empty() {
            break;
        }
        if is_delta_label(label) || label.contains('占') {
            continue;
        }
        parts.push(Term::new(money, total.unit)?);
    }
    let last = parts.last()?;
    // 「其中A 10万元、B 20万元等」 lists examples, not the whole.
    let tail = ctx.doc.slice(last.money.range.1, end).trim_start_matches(crate::document::is_blank);
    if tail.starts_with('等') || total.approximate || parts.iter().any(|p| p.money.approximate) {
        return None;
    }
    let parts_sum: i64 = parts.iter().try_fold(0i64, |acc, p| acc.checked_add(p.fen.0))?;
    let total_term = Term { money: total, fen: total.fen, unit: total.unit };
    // One part alone is 「其中」 in its "among which" sense; only flag it when it exceeds the whole.
    if parts.len() < 2 && parts_sum <= total.fen.0 {
        return None;
    }
    let mut findings = Vec::new();
    let doc = ctx.doc;
    let span = (total.range.0, last.money.range.1);
    let unit = total.unit;
    let shown = |t: &Term| {
        let value = format_in(t.fen, unit);
        let value = match name_of(ctx, t.money) {
            Some(name) => format!("{name} {value}"),
            None => value,
        };
        if t.money.unit != unit && t.money.unit != Unit::Missing {
            format!("{value}（原文{}{}）", t.money.number, t.money.unit.label())
        } else {
            value
        }
    };
    for p in parts.iter().filter(|p| p.money.unit == Unit::Missing) {
        findings.push(doc.finding(
            rule::MISSING_UNIT,
            Severity::Warning,
            p.money.range,
            format!("加总中的「{}」没有单位，按合计的单位{}计算", p.money.number, unit.label()),
        ));
    }
    let mut units: Vec<Unit> = parts.iter().map(|p| p.money.unit).chain([total.unit]).filter(|u| *u != Unit::Missing).collect();
    units.sort_by_key(|u| u.fen());
    units.dedup();
    if units.len() > 1 {
        let list: Vec<&str> = units.iter().map(|u| u.label()).collect();
        findings.push(doc.finding(
            rule::MIXED_UNITS,
            Severity::Warning,
            span,
            format!(
                "同一加总中混用单位（{}）：合计 {}{}，分项 {}（均已折算为{}）",
                list.join("、"),
                format_in(total.fen, unit),
                unit.label(),
                parts.iter().map(&shown).collect::<Vec<_>>().join("、"),
                unit.label()
            ),
        ));
    }
    let tolerance: i64 = parts.iter().chain([&total_term]).map(|t| t.unit.rounding_fen()).sum();
    let diff = total.fen.0.checked_sub(parts_sum)?;
    if diff.abs() > tolerance {
        let sum_text = parts.iter().map(&shown).collect::<Vec<_>>().join(" + ");
        let u = unit.label();
        let total_text = match name_of(ctx, total) {
            Some(name) => format!("（{name}）{}", format_in(total.fen, unit)),
            None => format_in(total.fen, unit),
        };
        let sum = format_in(Fen(parts_sum), unit);
        let message = if diff > 0 {
            format!("分项之和与合计不符：{sum_text} = {sum}{u}，合计{total_text}{u}，差 {}{u} 未说明", format_in(Fen(diff), unit))
        } else {
            format!("分项之和超过合计：{sum_text} = {sum}{u} > 合计{total_text}{u}，多出 {}{u}", format_in(Fen(-diff), unit))
        };
        findings.push(doc.finding(rule::SUM_MISMATCH, Severity::Error, span, message));
    }
    Some(findings)
}

/// A short name for a figure in messages (「科学技术支出」), when its label has one.
fn name_of(ctx: &Context, money: &Money) -> Option<String> {
    let name = clause_head(ctx.money_label(money)).trim_end_matches(['为', '是', '：', ':', ' ', '\u{3000}']);
    let ok = (1..=12).contains(&name.chars().count()) && !name.chars().any(crate::cjk::is_digit) && name.chars().any(crate::cjk::is_han);
    ok.then(|| name.to_string())
}
