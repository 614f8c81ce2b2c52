//! `opening-balance-mismatch`: this year's 年初结转和结余 (opening balance) must be the prior year's
//! 上年年末结转和结余 (closing balance); a 决算说明 stating both with different figures has an error in
//! one of them, or an adjustment it does not name.
//! `receipts-above-budget`: funds received (收入、到位资金) above the approved budget (预算) with no
//! word of why in the sentence or the next one.

use super::{Context, clause_head};
use crate::amounts::{Money, format_in};
use crate::finding::{DocumentFinding, Severity, rule};
use jixiao_core::Fen;

/// Which balance a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Balance {
    /// 年初结转和结余: what this year opened with.
    Opening,
    /// 上年年末结转和结余: what the prior year closed with.
    PriorClosing,
    /// 年末结转和结余: what this year closed with.
    Closing,
}

/// Scopes a balance may be stated for; figures of different scopes are not compared.
const SCOPES: &[&str] = &["", "财政拨款", "一般公共预算财政拨款", "政府性基金预算财政拨款", "一般公共预算", "政府性基金预算"];

/// Reads a label head as a balance and its scope: 「年初财政拨款结转和结余」 → (Opening, 财政拨款).
/// Only exact heads count (「较上年年末结转和结余」 is a comparison, not a statement).
pub fn balance_of(head: &str) -> Option<(Balance, String)> {
    let head = head.trim_end_matches(['为', '是', '：', ':', ' ', '\u{3000}']);
    let head = head.strip_suffix('数').unwrap_or(head);
    let (which, rest) = if let Some(i) = head.find("上年年末").or_else(|| head.find("上年末")) {
        let word = if head[i..].starts_with("上年年末") { "上年年末" } else { "上年末" };
        (Balance::PriorClosing, format!("{}{}", &head[..i], &head[i + word.len()..]))
    } else if let Some(i) = head.find("年初") {
        (Balance::Opening, format!("{}{}", &head[..i], &head[i + "年初".len()..]))
    } else if let Some(i) = head.find("年末") {
        if head[..i].ends_with('上') || head[..i].contains("上年") {
            return None;
        }
        (Balance::Closing, format!("{}{}", &head[..i], &head[i + "年末".len()..]))
    } else {
        return None;
    };
    let scope = rest.strip_suffix("结转和结余").or_else(|| rest.strip_suffix("结转结余"))?;
    SCOPES.contains(&scope).then(|| (which, scope.to_string()))
}

/// The stated balances of a text, first of each (kind, scope), outside tables and approximations.
pub fn balances<'a>(ctx: &Context<'a>) -> Vec<(Balance, String, &'a Money)> {
    let mut out: Vec<(Balance, String, &'a Money)> = Vec::new();
    for m in ctx.amounts.money.iter().filter(|m| !m.approximate && !m.in_table) {
        let label = ctx.money_label(m);
        // 「…，较上年增加X万元」: a change, not a balance.
        if ["增加", "减少", "增长", "下降"].iter().any(|w| label.contains(w)) {
            continue;
        }
        let Some((which, scope)) = balance_of(clause_head(label)) else {
            continue;
        };
        if !out.iter().any(|(w, s, _)| *w == which && *s == scope) {
            out.push((which, scope, m));
        }
    }
    out
}

/// Words that name why two balances differ.
const BALANCE_EXPLAINED: &[&str] = &["调整", "更正", "差错", "原因", "由于", "因为", "说明"];
/// Words that name why receipts exceed the budget (「调整预算」 alone names the budget, not a reason).
const RECEIPTS_EXPLAINED: &[&str] = &["原因", "主要是", "由于", "因为", "追加", "超收", "超出", "超过", "说明"];

/// Whether the sentence or the next one holds one of `words`.
fn explained_near(ctx: &Context, sentence: usize, words: &[&str]) -> bool {
    (sentence..=sentence + 1).any(|s| {
        let (a, b) = ctx.sentence_range(s);
        let text = ctx.doc.slice(a, b);
        words.iter().any(|w| text.contains(w))
    })
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let mut findings = Vec::new();
    opening_balances(ctx, &mut findings);
    receipts_above_budget(ctx, &mut findings);
    findings
}

fn opening_balances(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    let stated = balances(ctx);
    for (which, scope, opening) in &stated {
        if *which != Balance::Opening {
            continue;
        }
        let Some((_, _, prior)) = stated.iter().find(|(w, s, _)| *w == Balance::PriorClosing && s == scope) else {
            continue;
        };
        let tolerance = opening.unit.rounding_fen() + prior.unit.rounding_fen();
        let gap = (opening.fen.0 - prior.fen.0).abs();
        if gap <= tolerance {
            continue;
        }
        let explained = explained_near(ctx, opening.sentence, BALANCE_EXPLAINED) || explained_near(ctx, prior.sentence, BALANCE_EXPLAINED);
        let unit = opening.unit;
        findings.push(ctx.doc.finding(
            rule::OPENING_BALANCE_MISMATCH,
            if explained { Severity::Warning } else { Severity::Error },
            opening.range,
            format!(
                "{scope}年初结转和结余 {}{}（第{}行）与{scope}上年年末结转和结余 {}{}（第{}行）不一致，差 {}{}{}",
                opening.number,
                opening.unit.label(),
                opening.line,
                prior.number,
                prior.unit.label(),
                prior.line,
                format_in(Fen(gap), unit),
                unit.label(),
                if explained {
                    "；附近提到调整或原因，请核对差额是否已说明"
                } else {
                    "，未说明差额的原因（年初数应等于上年年末数，有调整应写明）"
                }
            ),
        ));
    }
}

/// What was received: 「收入合计」「到位资金」「实际到位」…; what was approved: 「预算」「年初预算」….
fn is_receipt(head: &str) -> bool {
    let head = head.trim_end_matches(['为', '是', '达', '：', ':']);
    ["到位资金", "资金到位", "实际到位", "到位", "收入合计", "收入总计", "总收入"].iter().any(|w| head.ends_with(w))
}

fn is_budget(head: &str) -> bool {
    let head = head.trim_end_matches(['为', '是', '：', ':']);
    ["预算", "预算数", "预算资金", "批复预算", "年初预算", "全年预算", "调整后预算"].iter().any(|w| head.ends_with(w))
}

fn receipts_above_budget(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    let money: Vec<&Money> = ctx.amounts.money.iter().filter(|m| !m.approximate && !m.in_table).collect();
    for (i, received) in money.iter().enumerate() {
        let label = ctx.money_label(received);
        // The clause only: an earlier 「年中增加8个项目」 in the sentence does not make it a change.
        let head = clause_head(label);
        if super::is_delta_label(head) || !is_receipt(head) {
            continue;
        }
        // The budget it is set against: in the same sentence, before it.
        let Some(budget) = money[..i].iter().rev().find(|m| m.sentence == received.sentence && is_budget(clause_head(ctx.money_label(m))))
        else {
            continue;
        };
        let tolerance = received.unit.rounding_fen() + budget.unit.rounding_fen();
        if received.fen.0 <= budget.fen.0 + tolerance || explained_near(ctx, received.sentence, RECEIPTS_EXPLAINED) {
            continue;
        }
        let unit = received.unit;
        findings.push(ctx.doc.finding(
            rule::RECEIPTS_ABOVE_BUDGET,
            Severity::Warning,
            (budget.range.0, received.range.1),
            format!(
                "到位/收入 {}{} 超过预算 {}{}，多 {}{}，未说明超出预算的资金来源或原因",
                received.number,
                received.unit.label(),
                budget.number,
                budget.unit.label(),
                format_in(Fen(received.fen.0 - budget.fen.0), unit),
                unit.label()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::{Balance, balance_of};

    #[test]
    fn balance_heads() {
        assert_eq!(balance_of("年初结转和结余"), Some((Balance::Opening, String::new())));
        assert_eq!(balance_of("上年年末结转和结余为"), Some((Balance::PriorClosing, String::new())));
        assert_eq!(balance_of("年初财政拨款结转和结余"), Some((Balance::Opening, "财政拨款".into())));
        assert_eq!(balance_of("年末结转和结余"), Some((Balance::Closing, String::new())));
        assert_eq!(balance_of("较上年年末结转和结余"), None);
        assert_eq!(balance_of("年初结转和结余中的基本支出"), None);
    }
}
