//! `rate-mismatch`: a percentage that does not follow from the figures it is stated with, read by the
//! meaning of the sentence as a 决算说明 writes it:
//!
//! - a change: 「收入X万元，较上年增加Y万元，增长Z%」 is Y ÷ (X − Y) (减少: Y ÷ (X + Y)); 「比上年P万元减少
//!   Y万元，下降Z%」 is Y ÷ P; 「X万元，比上年P万元下降Z%」 is |X − P| ÷ P; 「收、支总计各是A、B，各减少C、D，
//!   各下降c%、d%」 pairs them in order;
//! - a share: 「合计T，其中：A，占a%；B，占b%」 is A ÷ T; 「占年计划P万元的a%」 is A ÷ P; 「占一般公共预算收入
//!   的a%」 is A over the figure the text gives that name; 「占总支出的a%」 over the report's total;
//! - a ratio of two figures (执行率、完成率…): either over the other.
//!
//! Exact integer interval arithmetic: every figure may be off by half of its last printed digit, the
//! rate by half of its own; only a rate no such rounding can give is reported.

use super::Context;
use super::budget::KeyFigures;
use crate::amounts::{Money, Rate, Unit, format_in, to_fen};
use crate::finding::{DocumentFinding, Severity, rule};
use jixiao_core::{BasisPoints, Fen};

/// Words that say a figure is a change against last year, and which way.
const UP_WORDS: &[&str] = &["增加", "增长", "增收", "上升", "提高", "多支", "超支"];
const DOWN_WORDS: &[&str] = &["减少", "下降", "减收", "降低", "节约", "压减", "少支"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// The direction the last change word in `label` gives, if any.
fn direction(label: &str) -> Option<Direction> {
    let last = |words: &[&str]| words.iter().filter_map(|w| label.rfind(w)).max();
    match (last(UP_WORDS), last(DOWN_WORDS)) {
        (Some(u), Some(d)) => Some(if u > d { Direction::Up } else { Direction::Down }),
        (Some(_), None) => Some(Direction::Up),
        (None, Some(_)) => Some(Direction::Down),
        (None, None) => None,
    }
}

const PRIOR_WORDS: &[&str] = &["上年", "去年", "上一年", "同期"];

/// A figure in the text: money, or a number whose unit a later figure of its clause gives
/// (「收、支总计各是4125.49,4143.91万元」).
#[derive(Debug, Clone, Copy)]
struct Figure<'a> {
    fen: i64,
    unit: Unit,
    money: &'a Money,
}

impl Figure<'_> {
    fn error(&self) -> i128 {
        self.unit.rounding_fen().into()
    }

    fn shown(&self) -> String {
        format!("{}{}", self.money.number, self.unit.label())
    }

    fn start(&self) -> usize {
        self.money.range.0
    }
}

/// numerator ÷ denominator, each with how far rounding may have moved it, in 分.
#[derive(Debug, Clone, Copy)]
struct Fraction {
    numerator: i128,
    numerator_error: i128,
    denominator: i128,
    denominator_error: i128,
}

impl Fraction {
    fn of(part: &Figure, whole: &Figure) -> Fraction {
        Fraction {
            numerator: part.fen.into(),
            numerator_error: part.error(),
            denominator: whole.fen.into(),
            denominator_error: whole.error(),
        }
    }

    /// Whether some true values within rounding give the stated percentage (within its own rounding).
    /// min ≤ stated + ½ulp and max ≥ stated − ½ulp, in integers.
    fn allows(&self, rate: &Rate) -> bool {
        if self.denominator <= 0 || self.numerator < 0 || rate.decimals > 6 {
            return true;
        }
        let scale = 2 * 10_i128.pow(rate.decimals);
        let stated = i128::from(rate.scaled);
        let n_low = (self.numerator - self.numerator_error).max(0);
        let n_high = self.numerator + self.numerator_error;
        let d_low = (self.denominator - self.denominator_error).max(1);
        let d_high = self.denominator + self.denominator_error;
        let low_ok = 100 * n_low * scale <= (2 * stated + 1) * d_high;
        let high_ok = 100 * n_high * scale >= (2 * stated - 1) * d_low;
        low_ok && high_ok
    }

    fn percent(&self) -> String {
        let n = i64::try_from(self.numerator).unwrap_or(i64::MAX);
        let d = i64::try_from(self.denominator).unwrap_or(i64::MAX);
        BasisPoints::ratio(n, d).map_or_else(|| "—".into(), |b| b.percent_string())
    }
}

/// Every figure of the text in reading order; bare numbers take the unit of the next money figure of
/// their sentence (or are left out).
fn figures<'a>(ctx: &Context<'a>) -> Vec<Figure<'a>> {
    let mut all: Vec<&Money> = ctx.amounts.money.iter().chain(&ctx.amounts.bare).filter(|m| !m.in_table).collect();
    all.sort_by_key(|m| m.range.0);
    let mut out = Vec::new();
    for (i, m) in all.iter().enumerate() {
        if m.unit != Unit::Missing {
            out.push(Figure { fen: m.fen.0, unit: m.unit, money: m });
            continue;
        }
        let unit = all[i + 1..].iter().take_while(|n| n.sentence == m.sentence).find(|n| n.unit != Unit::Missing).map(|n| n.unit);
        let places = match unit {
            Some(Unit::WanYuan) => 4,
            Some(Unit::YiYuan) => 8,
            Some(_) => 0,
            None => continue,
        };
        if let (Some(unit), Some(fen)) = (unit, to_fen(&m.number, places)) {
            out.push(Figure { fen: fen.0, unit, money: m });
        }
    }
    out
}

/// 「X，较上年增加Y」: last year's figure is X − Y (X + Y after 减少), and the rate Y over it.
fn change_over_prior(current: &Figure, delta: &Figure, dir: Direction) -> Fraction {
    let prior = match dir {
        Direction::Up => i128::from(current.fen) - i128::from(delta.fen),
        Direction::Down => i128::from(current.fen) + i128::from(delta.fen),
    };
    Fraction {
        numerator: delta.fen.into(),
        numerator_error: delta.error(),
        denominator: prior,
        denominator_error: current.error() + delta.error(),
    }
}

/// The arithmetic of [`change_over_prior`] written out, for a message.
fn change_arithmetic(current: &Figure, delta: &Figure, dir: Direction, f: &Fraction) -> String {
    let unit = current.unit;
    let prior_text = format!("{}{}", format_in(Fen(i64::try_from(f.denominator).unwrap_or(0)), unit), unit.label());
    let (sign, word) = match dir {
        Direction::Up => ("−", "增加"),
        Direction::Down => ("+", "减少"),
    };
    format!(
        "上年数 = {} {sign} {} = {prior_text}，{word} {} ÷ {prior_text} = {}",
        current.shown(),
        delta.shown(),
        delta.shown(),
        f.percent()
    )
}

struct Checker<'a, 'c> {
    ctx: &'c Context<'a>,
    figures: Vec<Figure<'a>>,
    key: KeyFigures<'a>,
    findings: Vec<DocumentFinding>,
}

impl<'a> Checker<'a, '_> {
    fn label(&self, f: &Figure) -> &'a str {
        self.ctx.money_label(f.money)
    }

    /// Figures of `sentence` that stand before byte `before`.
    fn before_in_sentence(&self, sentence: usize, before: usize) -> Vec<Figure<'a>> {
        self.figures.iter().filter(|f| f.money.sentence == sentence && f.money.range.1 <= before).copied().collect()
    }

    fn report(&mut self, rate: &Rate, from: usize, severity: Severity, text: String) {
        self.findings.push(self.ctx.doc.finding(rule::RATE_MISMATCH, severity, (from.min(rate.range.0), rate.range.1), text));
    }

    /// 「X万元，较上年增加Y万元，增长Z%」 and its variants. Returns whether the rate was understood.
    fn change(&mut self, rate: &Rate) -> bool {
        let before = self.before_in_sentence(rate.sentence, rate.range.0);
        let Some(delta) = before.last().copied() else {
            return false;
        };
        if before.iter().any(|f| f.money.approximate) {
            return true;
        }
        let delta_label = self.label(&delta);
        let Some(dir) = direction(delta_label) else {
            // 「X万元（其中…），比上年P万元下降Z%」: the last figure is last year's; this year's is one
            // of those before it — the subject, or a part when the sentence breaks it down.
            let [earlier @ .., prior] = &before[..] else {
                return false;
            };
            if earlier.is_empty() || !PRIOR_WORDS.iter().any(|w| self.label(prior).contains(w)) {
                return false;
            }
            let change = |current: &Figure| Fraction {
                numerator: (i128::from(current.fen) - i128::from(prior.fen)).abs(),
                numerator_error: current.error() + prior.error(),
                denominator: prior.fen.into(),
                denominator_error: prior.error(),
            };
            let current = earlier[0];
            let f = change(&current);
            if !earlier.iter().any(|c| change(c).allows(rate)) {
                self.report(
                    rate,
                    current.start(),
                    Severity::Error,
                    format!(
                        "变动率算不上：|{} − {}| ÷ {} = {}，报告写 {}",
                        current.shown(),
                        prior.shown(),
                        prior.shown(),
                        f.percent(),
                        rate.text()
                    ),
                );
            }
            return true;
        };
        let earlier = &before[..before.len() - 1];
        // 「比上年P万元减少Y万元」: last year's figure stated outright.
        if let Some(prior) = earlier.last().filter(|p| {
            let l = self.label(p);
            PRIOR_WORDS.iter().any(|w| l.contains(w)) && direction(l).is_none()
        }) {
            let f = Fraction::of(&delta, prior);
            if !f.allows(rate) {
                self.report(
                    rate,
                    prior.start(),
                    Severity::Error,
                    format!("变动率算不上：{} ÷ 上年 {} = {}，报告写 {}", delta.shown(), prior.shown(), f.percent(), rate.text()),
                );
            }
            return true;
        }
        // 「X万元，较上年增加Y万元」: last year's figure is X − Y (or X + Y after 减少).
        let Some(current) = earlier.iter().rev().find(|f| direction(self.label(f)).is_none()).copied() else {
            return false;
        };
        if current.unit != delta.unit && current.unit.fen() != delta.unit.fen() {
            return false;
        }
        let f = change_over_prior(&current, &delta, dir);
        if f.allows(rate) {
            return true;
        }
        let wrong_base = Fraction::of(&delta, &current).allows(rate);
        self.report(
            rate,
            current.start(),
            Severity::Error,
            format!(
                "变动率算不上：{}，报告写 {}{}",
                change_arithmetic(&current, &delta, dir, &f),
                rate.text(),
                if wrong_base { format!("（报告似以本年数 {} 为分母）", current.shown()) } else { String::new() }
            ),
        );
        true
    }

    /// 「收、支总计各是A,B万元。…各减少C,D万元，各下降c%、d%」: rates of a 各 sentence, pairwise.
    /// Returns the rates it understood.
    fn respectively(&mut self, rates: &[&Rate]) -> Vec<(usize, usize)> {
        let mut done = Vec::new();
        let mut by_sentence: Vec<(usize, Vec<&Rate>)> = Vec::new();
        for r in rates {
            match by_sentence.last_mut() {
                Some((s, list)) if *s == r.sentence => list.push(r),
                _ => by_sentence.push((r.sentence, vec![r])),
            }
        }
        for (sentence, list) in by_sentence {
            let (start, end) = self.ctx.sentence_range(sentence);
            let text = self.ctx.doc.slice(start, end);
            if list.len() < 2 || !text.contains('各') {
                continue;
            }
            let Some(dir) = direction(text) else { continue };
            let first_rate = list[0].range.0;
            let deltas: Vec<Figure> = self.before_in_sentence(sentence, first_rate);
            let Some(previous) = sentence.checked_sub(1) else {
                continue;
            };
            let (ps, pe) = self.ctx.sentence_range(previous);
            let previous_text = self.ctx.doc.slice(ps, pe);
            if !(previous_text.contains('各') || previous_text.contains("分别")) {
                continue;
            }
            let currents: Vec<Figure> = self.before_in_sentence(previous, pe);
            if deltas.len() != list.len() || currents.len() != list.len() {
                continue;
            }
            for ((rate, delta), current) in list.iter().zip(&deltas).zip(&currents) {
                done.push(rate.range);
                let f = change_over_prior(current, delta, dir);
                if !f.allows(rate) {
                    self.report(
                        rate,
                        rate.range.0,
                        Severity::Error,
                        format!("变动率算不上（「各」按顺序对应）：{}，报告写 {}", change_arithmetic(current, delta, dir, &f), rate.text()),
                    );
                }
            }
        }
        done
    }

    /// 「…占a%」: a part of a whole. Returns whether the rate was understood.
    fn share(&mut self, rate: &Rate, label: &str) -> bool {
        let before = self.before_in_sentence(rate.sentence, rate.range.0);
        // 「占年计划100500万元的112.29%」: the whole stands between 占 and the rate.
        if !label.contains('占')
            && let [.., part, whole] = before[..]
            && self.label(&whole).rsplit(['，', ',', '；', ';']).next().is_some_and(|clause| clause.contains('占'))
        {
            let f = Fraction::of(&part, &whole);
            if !f.allows(rate) && !part.money.approximate && !whole.money.approximate {
                self.report(
                    rate,
                    part.start(),
                    Severity::Error,
                    format!("比例算不上：{} ÷ {} = {}，报告写 {}", part.shown(), whole.shown(), f.percent(), rate.text()),
                );
            }
            return true;
        }
        let Some(at) = label.rfind('占') else {
            return false;
        };
        let Some(part) = before.last().copied() else {
            return false;
        };
        if part.money.approximate {
            return true;
        }
        let named: String = label[at + '占'.len_utf8()..].chars().filter(|c| !crate::document::is_blank(*c) && *c != '的').collect();
        let named = named.as_str();
        if named.is_empty() {
            return self.share_of_breakdown(rate, &part);
        }
        self.share_of_named(rate, &part, named)
    }

    /// 「合计T，其中：A，占a%」: the whole is the total the 其中 refers to, on the same line.
    fn share_of_breakdown(&mut self, rate: &Rate, part: &Figure<'a>) -> bool {
        let line_start = self.ctx.doc.text[..part.start()].rfind('\n').map_or(0, |i| i + 1);
        let Some(other) = self.ctx.doc.slice(line_start, part.start()).rfind("其中") else {
            return false;
        };
        let other = line_start + other;
        let Some(total) = self
            .figures
            .iter()
            .rev()
            .filter(|f| f.money.range.1 <= other && f.start() >= line_start)
            .find(|f| direction(self.label(f)).is_none())
            .copied()
        else {
            return false;
        };
        if total.money.approximate {
            return true;
        }
        let f = Fraction::of(part, &total);
        if !f.allows(rate) {
            self.report(
                rate,
                part.start(),
                Severity::Error,
                format!("比例算不上：{} ÷ 合计 {} = {}，报告写 {}", part.shown(), total.shown(), f.percent(), rate.text()),
            );
        }
        true
    }

    /// 「占总支出的a%」「占一般公共预算收入的a%」: the whole is a figure the text names so.
    fn share_of_named(&mut self, rate: &Rate, part: &Figure<'a>, named: &str) -> bool {
        // The report's own headline totals first.
        let total_word = ["总", "合计", "全部", "整体", "全年"].iter().any(|w| named.contains(w));
        if total_word {
            let whole = if named.contains("收入") {
                self.key.income.map(|m| (m.fen.0, m.unit.rounding_fen(), "收入"))
            } else if named.contains("支出") && !named.contains("预算") {
                self.key.spending.map(|m| (m.fen.0, m.unit.rounding_fen(), "支出合计")).or_else(|| {
                    let (b, p) = (self.key.basic?, self.key.project?);
                    Some((b.fen.0 + p.fen.0, b.unit.rounding_fen() + p.unit.rounding_fen(), "基本支出 + 项目支出"))
                })
            } else {
                None
            };
            if let Some((fen, error, name)) = whole {
                let f = Fraction {
                    numerator: part.fen.into(),
                    numerator_error: part.error(),
                    denominator: fen.into(),
                    denominator_error: error.into(),
                };
                let in_sentence = self.before_in_sentence(rate.sentence, rate.range.0).iter().any(|w| Fraction::of(part, w).allows(rate));
                if !f.allows(rate) && !in_sentence {
                    self.report(
                        rate,
                        part.start(),
                        Severity::Error,
                        format!(
                            "比例算不上：{} ÷ {name} {}{} = {}，报告写 {}",
                            part.shown(),
                            format_in(Fen(fen), part.unit),
                            part.unit.label(),
                            f.percent(),
                            rate.text()
                        ),
                    );
                }
                return true;
            }
        }
        // Otherwise every figure whose own name carries the named whole (「一般公共预算收入」, or
        // 「…收支总预算」 for 「支出总预算」); the rate is fine if any of them gives it.
        let stem = if named.contains("支出") {
            Some('支')
        } else if named.contains("收入") {
            Some('收')
        } else {
            None
        };
        let candidates: Vec<Figure> = self
            .figures
            .iter()
            .filter(|w| w.start() != part.start() && !w.money.approximate)
            .filter(|w| {
                let head = super::clause_head(self.label(w));
                if direction(self.label(w)).is_some() {
                    return false;
                }
                head.contains(named)
                    || (total_word && stem.is_some_and(|s| head.contains(s)) && ["总", "合计"].iter().any(|t| head.contains(t)))
            })
            .copied()
            .collect();
        if candidates.is_empty() {
            return false;
        }
        if candidates.iter().any(|w| Fraction::of(part, w).allows(rate)) {
            return true;
        }
        let whole = candidates[0];
        let f = Fraction::of(part, &whole);
        // The whole was found by its name, not by the sentence: a reviewer should look, not be told.
        self.report(
            rate,
            part.start(),
            Severity::Warning,
            format!(
                "比例算不上：{} ÷「{named}」{}（第{}行）= {}，报告写 {}",
                part.shown(),
                whole.shown(),
                whole.money.line,
                f.percent(),
                rate.text()
            ),
        );
        true
    }

    /// 执行率、完成率…: two figures in the sentence, either over the other.
    fn ratio(&mut self, rate: &Rate) {
        let before: Vec<Figure> = self.figures.iter().filter(|f| f.money.sentence == rate.sentence).copied().collect();
        let [a, b] = before[..] else { return };
        if a.money.approximate || b.money.approximate {
            return;
        }
        if Fraction::of(&a, &b).allows(rate) || Fraction::of(&b, &a).allows(rate) {
            return;
        }
        let over_hundred = rate.scaled > 100 * 10_i64.pow(rate.decimals);
        let (part, whole) = if (a.fen <= b.fen) != over_hundred { (a, b) } else { (b, a) };
        let f = Fraction::of(&part, &whole);
        self.report(
            rate,
            a.start(),
            Severity::Error,
            format!("比例算不上：{} ÷ {} = {}，报告写 {}", part.shown(), whole.shown(), f.percent(), rate.text()),
        );
    }
}

fn is_change(label: &str) -> bool {
    !label.contains('占') && ["增长", "增加", "下降", "减少", "降低", "提高", "变动", "上升"].iter().any(|w| label.contains(w))
}

fn is_ratio(label: &str) -> bool {
    ["执行率", "完成率", "支出率", "使用率", "支付率", "到位率", "执行进度", "支出进度"].iter().any(|w| label.contains(w))
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let mut checker = Checker { ctx, figures: figures(ctx), key: KeyFigures::find(ctx), findings: Vec::new() };
    let rates: Vec<&Rate> = ctx.amounts.rates.iter().filter(|r| r.decimals <= 6 && !r.in_table).collect();
    // 「各下降23.51%、38.28%」: the second rate's own label is just 「、」.
    let change_sentences: Vec<usize> =
        rates.iter().filter(|r| is_change(ctx.label_before(r.range.0, r.sentence))).map(|r| r.sentence).collect();
    let in_change_sentences: Vec<&Rate> = rates.iter().copied().filter(|r| change_sentences.contains(&r.sentence)).collect();
    let paired = checker.respectively(&in_change_sentences);
    for &rate in &rates {
        if paired.contains(&rate.range) {
            continue;
        }
        let label = ctx.label_before(rate.range.0, rate.sentence);
        if is_change(label) {
            checker.change(rate);
        } else if label.contains('占') || label.trim_matches(['的', ' ']).is_empty() {
            checker.share(rate, label);
        } else if is_ratio(label) || label.contains("比重") || label.contains("比例") {
            checker.ratio(rate);
        }
    }
    siblings(&mut checker, &rates);
    checker.findings
}

/// 「基本支出A，占一般公共预算支出的a%」…「项目支出B，占一般公共预算支出的b%」: shares of one named whole
/// each imply that whole (A ÷ a); rounding allows an interval for each, and the intervals must meet.
/// A share whose interval misses the others' is flagged (a warning: the whole is not stated).
fn siblings(checker: &mut Checker, rates: &[&Rate]) {
    let ctx = checker.ctx;
    let mut groups: Vec<(String, i128, i128)> = Vec::new();
    for rate in rates {
        let label = ctx.label_before(rate.range.0, rate.sentence);
        let Some(at) = label.rfind('占') else {
            continue;
        };
        let named: String = label[at + '占'.len_utf8()..].chars().filter(|c| !crate::document::is_blank(*c) && *c != '的').collect();
        // 「占调整预算100.93%」「占年计划…」: each item against its own budget, not shares of one whole.
        let own_budget = (named.contains("预算") || named.contains("计划")) && !named.contains("支出") && !named.contains("收入");
        if named.chars().count() < 2 || rate.scaled <= 0 || own_budget {
            continue;
        }
        let Some(part) = checker.before_in_sentence(rate.sentence, rate.range.0).last().copied() else {
            continue;
        };
        if part.money.approximate || part.fen <= 0 {
            continue;
        }
        // whole = part × 100 ÷ rate; with part ± e and rate ± ½ulp, in 分.
        let scale = 10_i128.pow(rate.decimals);
        let stated = i128::from(rate.scaled);
        let (p_low, p_high) = (i128::from(part.fen) - part.error(), i128::from(part.fen) + part.error());
        // ×2 to keep the half ulp an integer: rate ∈ [(2s−1)/(2·scale), (2s+1)/(2·scale)] %.
        let low = p_low.max(0) * 100 * 2 * scale / (2 * stated + 1);
        let high = p_high * 100 * 2 * scale / (2 * stated - 1).max(1);
        match groups.iter_mut().find(|(n, ..)| *n == named) {
            None => groups.push((named, low, high)),
            Some((_, g_low, g_high)) => {
                if high < *g_low || low > *g_high {
                    let already = checker.findings.iter().any(|f| f.rule == rule::RATE_MISMATCH && f.span.end == rate.range.1);
                    if !already {
                        // Shown to two decimals of the part's unit.
                        let cents = i128::from(part.unit.fen() / 100);
                        let implied = |l: i128, h: i128| {
                            let two = |v: i128| {
                                let v = i64::try_from(v / cents * cents).unwrap_or(0);
                                let text = format_in(Fen(v), part.unit);
                                match text.split_once('.') {
                                    Some((w, f)) => format!("{w}.{}", &f[..f.len().min(2)]),
                                    None => text,
                                }
                            };
                            format!("{}–{}{}", two(l), two(h), part.unit.label())
                        };
                        let message = format!(
                            "占比互相矛盾：{} 占「{named}」{} 推出总数为 {}，而同一总数的其他占比推出 {}",
                            part.shown(),
                            rate.text(),
                            implied(low, high),
                            implied(*g_low, *g_high)
                        );
                        checker.report(rate, part.start(), Severity::Warning, message);
                    }
                } else {
                    *g_low = (*g_low).max(low);
                    *g_high = (*g_high).min(high);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn findings(text: &str) -> Vec<DocumentFinding> {
        crate::lint_text("t.txt", text).findings.into_iter().filter(|f| f.rule == rule::RATE_MISMATCH).collect()
    }

    #[test]
    fn a_change_is_over_last_years_figure() {
        // 城口县财政预算评审中心 2022: 146.96 ÷ (388.51 + 146.96) = 27.4%.
        assert!(findings("2022年度收入合计388.51万元,较上年决算数减少146.96万元,下降27.4%,主要原因是部分评审费用未结算。").is_empty());
        // 梧州 2025: 16803.36 ÷ (116433.12 − 16803.36) = 16.87%, not 14.43% (that is over this year).
        let f = findings("(二)社会保障和就业支出类科目 116433.12 元,同比增加 16803.36 元,增长 14.43%。");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("16.87%"), "{}", f[0].message);
        assert!(f[0].message.contains("本年数"), "{}", f[0].message);
        // hlx 2020: 2 ÷ 433 = 0.46%, last year's figure given outright.
        assert!(findings("2020年“三公”经费支出431万元,比上年累计支出433万元减少2万元,下降0.46%,原因是厉行节约。").is_empty());
    }

    #[test]
    fn shares_are_of_the_total_of_their_breakdown() {
        // 大邑 2022: shares of 4143.91, not of each other.
        assert!(
            findings(
                "2022年本年支出合计4143.91万元,其中:基本支出1140.27万元,占27.52%;项目支出3003.64万元,占72.48%;上缴上级支出0万元,占0%。"
            )
            .is_empty()
        );
        // 桃江 2019: the total in the sentence before 其中.
        assert!(
            findings("2019年实际支出“三公经费”决算为22.62万元。其中公务接待费为20.10万元,占88.86%;公务用车运行维护费为2.52万元,占11.14%。")
                .is_empty()
        );
        // 华容 2021: the whole between 占 and the rate.
        assert!(findings("全县一般公共预算收入完成112853万元,占年计划100500万元的112.29%,同比增长21.41%。").is_empty());
        assert_eq!(findings("全县一般公共预算收入完成112853万元,占年计划100500万元的113.29%。").len(), 1);
    }

    #[test]
    fn respectively_pairs_in_order() {
        // 大邑 2022: 2570.97 ÷ (4143.91 + 2570.97) = 38.2876% → 38.29%, the report truncates to 38.28%.
        let f =
            findings("2022年度收、支总计各是4125.49,4143.91万元。与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.28%。");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].quote.contains("38.28"));
        assert!(f[0].message.contains("38.29%"), "{}", f[0].message);
    }

    #[test]
    fn shares_of_one_whole_must_imply_one_whole() {
        // 梧州 2024 单位预算: 469500 ÷ 19.62% implies a whole of 2.39 million, 2476260.58 ÷ 84.06% one
        // of 2.95 million.
        let f = findings(
            "1. 基本支出预算 2476260.58 元,占一般公共预算支出的84.06%,同比减少 4966.66 元,下降 0.2%。\n2. 项目支出 469500 元,占一般公共预算支出的 19.62%,同比增加 70100 元 ,增长 17.55%。",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].quote.contains("19.62"));
        assert!(
            findings("1. 基本支出预算 2476260.58 元,占一般公共预算支出的84.06%。\n2. 项目支出 469500 元,占一般公共预算支出的 15.94%。")
                .is_empty()
        );
        // 黄平 2022: each against its own adjusted budget.
        assert!(findings("税务部门完成13,866万元,占调整预算100.93%;财政部门完成14,717万元,占调整预算110.14%。").is_empty());
    }

    #[test]
    fn wrapped_lines_keep_the_sentence() {
        let doc = Document::new("t", "(三)卫生健康支出类科目 43897.73 元,占支出总预\n算4.04 %,同比减少 6014.46 元,下降 12.05 %。");
        assert_eq!(doc.sentences.len(), 1);
    }
}
