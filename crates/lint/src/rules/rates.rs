//! `rate-mismatch`: a percentage that does not follow from the amounts it is computed from, when they
//! stand in the same sentence (「预算数200万元，执行数191万元，执行率96.5%」), or when it is a share of
//! the report's total (「基本支出102.96万元，占总支出的48.72%」).

use super::Context;
use super::budget::KeyFigures;
use crate::amounts::{Money, Rate, format_in};
use crate::finding::{Finding, Severity, rule};
use jixiao_core::{BasisPoints, Fen};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RateKind {
    /// part ÷ whole: 占、比重、执行率、完成率…
    Share,
    /// (new − old) ÷ old: 增长、下降…
    Change,
}

fn kind_of(label: &str) -> Option<RateKind> {
    if [
        "增长", "增加", "下降", "减少", "降低", "提高", "变动", "上升", "节约",
    ]
    .iter()
    .any(|w| label.contains(w))
        && !label.contains('占')
    {
        return Some(RateKind::Change);
    }
    let share_words = [
        "占",
        "比重",
        "比例",
        "执行率",
        "完成率",
        "支出率",
        "使用率",
        "支付率",
        "到位率",
        "执行进度",
        "支出进度",
    ];
    share_words
        .iter()
        .any(|w| label.contains(w))
        .then_some(RateKind::Share)
}

/// A numerator and denominator with how far each may be off from rounding, in 分.
#[derive(Debug, Clone, Copy)]
struct Fraction {
    numerator: i128,
    numerator_error: i128,
    denominator: i128,
    denominator_error: i128,
}

impl Fraction {
    fn share(part: &Money, whole_fen: i64, whole_error: i64) -> Fraction {
        Fraction {
            numerator: part.fen.0.into(),
            numerator_error: part.unit.rounding_fen().into(),
            denominator: whole_fen.into(),
            denominator_error: whole_error.into(),
        }
    }

    fn change(new: &Money, old: &Money) -> Fraction {
        let error = i128::from(new.unit.rounding_fen() + old.unit.rounding_fen());
        Fraction {
            numerator: (i128::from(new.fen.0) - i128::from(old.fen.0)).abs(),
            numerator_error: error,
            denominator: old.fen.0.into(),
            denominator_error: old.unit.rounding_fen().into(),
        }
    }

    /// Whether some true values within rounding give the stated percentage (within its own rounding).
    /// Exact integer interval arithmetic: min ≤ stated + ½ulp and max ≥ stated − ½ulp.
    fn allows(&self, rate: &Rate) -> bool {
        if self.denominator <= 0 || self.numerator < 0 {
            return true;
        }
        let scale = 2 * 10_i128.pow(rate.decimals);
        let stated = i128::from(rate.scaled);
        let n_low = (self.numerator - self.numerator_error).max(0);
        let n_high = self.numerator + self.numerator_error;
        let d_low = (self.denominator - self.denominator_error).max(1);
        let d_high = self.denominator + self.denominator_error;
        // 100·n/d ≤ (2s+1)/scale  ⇔  100·n·scale ≤ (2s+1)·d
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

fn shown(m: &Money) -> String {
    format!("{}{}", m.number, m.unit.label())
}

pub fn check(ctx: &Context) -> Vec<Finding> {
    let key = KeyFigures::find(ctx);
    let mut findings = Vec::new();
    for rate in &ctx.amounts.rates {
        if rate.decimals > 6 {
            continue;
        }
        let label = ctx.label_before(rate.range.0, rate.sentence);
        let Some(kind) = kind_of(label) else { continue };
        let figures: Vec<&Money> = ctx.amounts.money_in_sentence(rate.sentence).collect();
        if figures.iter().any(|m| m.approximate) {
            continue;
        }
        // 「占总支出的48.72%」: the whole is the report's total, not a figure in this sentence.
        let whole_named = label.find('占').map(|i| &label[i..]).filter(|rest| {
            ["总", "合计", "全部", "整体", "全年"]
                .iter()
                .any(|w| rest.contains(w))
        });
        if let Some(rest) = whole_named {
            let whole = if rest.contains("收入") {
                key.income.map(|m| (m.fen.0, m.unit.rounding_fen(), "收入"))
            } else if rest.contains("支出") {
                key.spending
                    .map(|m| (m.fen.0, m.unit.rounding_fen(), "支出合计"))
                    .or_else(|| {
                        let (b, p) = (key.basic?, key.project?);
                        Some((
                            b.fen.0 + p.fen.0,
                            b.unit.rounding_fen() + p.unit.rounding_fen(),
                            "基本支出 + 项目支出",
                        ))
                    })
            } else {
                None
            };
            // The part is the figure right before 「占」.
            let part = figures.iter().rev().find(|m| m.range.1 <= rate.range.0);
            if let (Some((whole_fen, whole_error, whole_name)), Some(part)) = (whole, part) {
                let f = Fraction::share(part, whole_fen, whole_error);
                let consistent = f.allows(rate)
                    || figures.iter().any(|m| {
                        Fraction::share(part, m.fen.0, m.unit.rounding_fen()).allows(rate)
                    });
                if !consistent {
                    findings.push(ctx.doc.finding(
                        rule::RATE_MISMATCH,
                        Severity::Error,
                        (part.range.0, rate.range.1),
                        format!(
                            "比例算不上：{} ÷ {} {}{} = {}，报告写 {}",
                            shown(part),
                            whole_name,
                            format_in(Fen(whole_fen), part.unit),
                            part.unit.label(),
                            f.percent(),
                            rate.text()
                        ),
                    ));
                }
            }
            continue;
        }
        if figures.len() != 2 {
            continue;
        }
        let (a, b) = (figures[0], figures[1]);
        let fractions = match kind {
            RateKind::Share => [
                Fraction::share(a, b.fen.0, b.unit.rounding_fen()),
                Fraction::share(b, a.fen.0, a.unit.rounding_fen()),
            ],
            RateKind::Change => [Fraction::change(b, a), Fraction::change(a, b)],
        };
        if fractions.iter().any(|f| f.allows(rate)) {
            continue;
        }
        // Show the reading a writer most likely meant: the smaller over the larger for a share,
        // the earlier (or the one labelled 上年) as base for a change.
        let (shown_fraction, text) = match kind {
            RateKind::Share => {
                let (part, whole) =
                    if (a.fen.0 <= b.fen.0) == (rate.scaled <= 100 * 10_i64.pow(rate.decimals)) {
                        (a, b)
                    } else {
                        (b, a)
                    };
                (
                    Fraction::share(part, whole.fen.0, whole.unit.rounding_fen()),
                    format!("{} ÷ {}", shown(part), shown(whole)),
                )
            }
            RateKind::Change => {
                let b_is_base = ["上年", "去年", "同期"]
                    .iter()
                    .any(|w| ctx.money_label(b).contains(w));
                let (new, old) = if b_is_base { (a, b) } else { (b, a) };
                (
                    Fraction::change(new, old),
                    format!("({} − {}) ÷ {}", shown(new), shown(old), shown(old)),
                )
            }
        };
        findings.push(ctx.doc.finding(
            rule::RATE_MISMATCH,
            Severity::Error,
            (a.range.0.min(rate.range.0), b.range.1.max(rate.range.1)),
            format!(
                "比例算不上：{text} = {}，报告写 {}",
                shown_fraction.percent(),
                rate.text()
            ),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amounts::Unit;

    fn money(fen: i64, unit: Unit) -> Money {
        Money {
            fen: Fen(fen),
            unit,
            number: String::new(),
            range: (0, 0),
            approximate: false,
            sentence: 0,
            line: 1,
        }
    }

    fn rate(scaled: i64, decimals: u32) -> Rate {
        Rate {
            scaled,
            decimals,
            number: String::new(),
            range: (0, 0),
            sentence: 0,
        }
    }

    #[test]
    fn rounding_of_both_sides_is_allowed() {
        // 191 ÷ 200 = 95.5%
        let f = Fraction::share(&money(191_000_000, Unit::WanYuan), 200_000_000, 5_000);
        assert!(f.allows(&rate(955, 1)));
        assert!(f.allows(&rate(9550, 2)));
        assert!(f.allows(&rate(96, 0)));
        assert!(!f.allows(&rate(965, 1)));
        // 102.96 ÷ 211.33 = 48.72%
        let f = Fraction::share(&money(102_960_000, Unit::WanYuan), 211_330_000, 10_000);
        assert!(f.allows(&rate(4872, 2)));
        assert!(!f.allows(&rate(4972, 2)));
    }
}
