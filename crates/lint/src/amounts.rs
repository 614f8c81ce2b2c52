//! Every amount of money (with 元 / 万元 / 亿元) and every percentage in the text, normalised to 分
//! and basis-point-exact integers. No floats: 242.96万元 is read digit by digit as 2 429 600.00 元.

use crate::cjk;
use crate::document::Document;
use jixiao_core::Fen;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    #[serde(rename = "元")]
    Yuan,
    #[serde(rename = "万元")]
    WanYuan,
    #[serde(rename = "亿元")]
    YiYuan,
    /// A money-like number written without a unit (「148.93、5.03万元」).
    #[serde(rename = "")]
    Missing,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
            Unit::YiYuan => "亿元",
            Unit::Missing => "",
        }
    }

    /// How many places the decimal point moves to turn this unit into 元.
    fn places_to_yuan(self) -> usize {
        match self {
            Unit::Yuan | Unit::Missing => 0,
            Unit::WanYuan => 4,
            Unit::YiYuan => 8,
        }
    }

    /// 分 in one unit.
    pub fn fen(self) -> i64 {
        100 * 10_i64.pow(self.places_to_yuan() as u32)
    }

    /// Half of 0.01 of the unit, in 分: how far a figure printed to two decimals may be from the truth.
    /// Writers drop trailing zeros (「2万元」 for 2.00万元), so every figure is taken as printed to 0.01.
    pub fn rounding_fen(self) -> i64 {
        self.fen() / 200
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Money {
    pub fen: Fen,
    pub unit: Unit,
    /// The number as written, with full-width digits and thousands separators normalised: `242.96`.
    pub number: String,
    /// Byte range of number and unit.
    pub range: (usize, usize),
    /// 约 / 近 / 余 / 多 / 左右: not to be used in arithmetic.
    pub approximate: bool,
    /// Index into `Document::sentences`.
    pub sentence: usize,
    pub line: usize,
    /// On a table row (cells split by 「|」 or tabs): the form checks read it, the sentence rules do not.
    pub in_table: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    /// The percentage times 10^decimals: 95.5% → (955, 1).
    pub scaled: i64,
    pub decimals: u32,
    pub number: String,
    pub range: (usize, usize),
    pub sentence: usize,
    pub in_table: bool,
}

impl Rate {
    pub fn text(&self) -> String {
        format!("{}%", self.number)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Amounts {
    pub money: Vec<Money>,
    /// Money-like numbers with no unit; only sums look at them.
    pub bare: Vec<Money>,
    pub rates: Vec<Rate>,
}

impl Amounts {
    pub fn money_in_sentence(&self, sentence: usize) -> impl Iterator<Item = &Money> {
        self.money.iter().filter(move |m| m.sentence == sentence)
    }
}

/// A number as read: ASCII digits and at most one '.', and where it ends.
struct Number {
    text: String,
    decimals: usize,
    end: usize,
}

fn read_number(chars: &[(usize, char)], i: usize, text_len: usize) -> Option<(Number, usize)> {
    let end_of = |k: usize| chars.get(k).map(|(b, _)| *b).unwrap_or(text_len);
    let mut text = String::new();
    let mut decimals = None;
    let mut j = i;
    while j < chars.len() {
        let c = chars[j].1;
        if let Some(d) = cjk::digit_value(c) {
            text.push(char::from_digit(d, 10)?);
            if let Some(n) = decimals.as_mut() {
                *n += 1;
            }
            j += 1;
        } else if c == ','
            && decimals.is_none()
            && (1..=3).all(|k| chars.get(j + k).is_some_and(|(_, c)| cjk::is_digit(*c)))
            && !chars.get(j + 4).is_some_and(|(_, c)| cjk::is_digit(*c))
        {
            // A thousands separator: exactly three digits follow. 「12,13万元」 is not 1213.
            j += 1;
        } else if matches!(c, '.' | '．') && decimals.is_none() && chars.get(j + 1).is_some_and(|(_, c)| cjk::is_digit(*c)) {
            text.push('.');
            decimals = Some(0);
            j += 1;
        } else {
            break;
        }
    }
    (!text.is_empty()).then(|| (Number { text, decimals: decimals.unwrap_or(0), end: end_of(j) }, j))
}

/// Moves the decimal point `places` to the right and reads the result as 元; rounds half up past 分.
pub fn to_fen(number: &str, places: usize) -> Option<Fen> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.len() + places > 17 {
        return None;
    }
    let mut fraction: String = fraction.to_string();
    while fraction.len() < places {
        fraction.push('0');
    }
    let (moved, rest) = fraction.split_at(places);
    let yuan_whole = format!("{whole}{moved}");
    let (kept, dropped) = if rest.len() > 2 { rest.split_at(2) } else { (rest, "") };
    let Fen(fen) = Fen::parse_yuan(&format!("{yuan_whole}.{kept}")).ok()?;
    let round_up = dropped.chars().next().and_then(|c| c.to_digit(10)).is_some_and(|d| d >= 5);
    Some(Fen(fen + i64::from(round_up)))
}

const APPROXIMATE_BEFORE: &[char] = &['约', '近', '逾', '超'];

/// Reads all amounts and rates. Numbers glued to ASCII letters (model numbers, URLs) are skipped.
pub fn extract(doc: &Document) -> Amounts {
    let text = doc.text.as_str();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Amounts::default();
    let table_unit = declared_unit(text);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let glued = i > 0 && {
            let p = chars[i - 1].1;
            cjk::is_digit(p) || p.is_ascii_alphabetic() || matches!(p, '.' | '．' | '-' | '/' | '_')
        };
        if !cjk::is_digit(c) || glued {
            i += 1;
            continue;
        }
        let first = i;
        let Some((number, next)) = read_number(&chars, i, text.len()) else {
            i += 1;
            continue;
        };
        i = next.max(i + 1);
        // Blanks may stand between the number and its unit (「242.96 万元」).
        let mut k = next;
        while chars.get(k).is_some_and(|(_, c)| *c == ' ' || *c == '\u{3000}') {
            k += 1;
        }
        // 「1037103.63\n元」: a wrapped line may part the number from its unit; 「242.96?万元」: a stray
        // 「?」 where a blank was lost in conversion.
        if chars.get(k).is_some_and(|(_, c)| matches!(c, '\n' | '?' | '？'))
            && matches!(chars.get(k + 1).map(|(_, c)| *c), Some('元' | '万' | '亿'))
        {
            k += 1;
        }
        let at = |n: usize| chars.get(n).map(|(_, c)| *c);
        let byte_at = |n: usize| chars.get(n).map(|(b, _)| *b).unwrap_or(text.len());
        let mut approximate = approximate_before(&chars, first);
        // 「30余万元」「20多万元」
        let mut u = k;
        if matches!(at(u), Some('余' | '多')) {
            approximate = true;
            u += 1;
        }
        let unit = match (at(u), at(u + 1), at(u + 2)) {
            (Some('万'), Some('余' | '多'), Some('元')) => {
                approximate = true;
                Some((Unit::WanYuan, u + 3))
            }
            (Some('亿'), Some('元'), _) => Some((Unit::YiYuan, u + 2)),
            (Some('万'), Some('元'), _) => Some((Unit::WanYuan, u + 2)),
            (Some('元'), _, _) => Some((Unit::Yuan, u + 1)),
            _ => None,
        };
        let sentence = doc.sentence_of(start).unwrap_or(0);
        if let Some((unit, unit_end)) = unit {
            let end = byte_at(unit_end);
            approximate |= text.get(end..).is_some_and(|t| t.starts_with("左右"));
            if let Some(fen) = to_fen(&number.text, unit.places_to_yuan()) {
                out.money.push(Money {
                    fen,
                    unit,
                    number: number.text,
                    range: (start, end),
                    approximate,
                    sentence,
                    line: doc.line_number(start),
                    in_table: table_row(text, start),
                });
            }
            i = unit_end;
            continue;
        }
        // 「下降 4.03 %」: a percentage may stand apart from its sign, as the number from its unit.
        if matches!(at(k), Some('%' | '％')) {
            if number.decimals <= 6 && number.text.len() <= 13 {
                let scaled: Option<i64> = number.text.replace('.', "").parse().ok();
                if let Some(scaled) = scaled {
                    out.rates.push(Rate {
                        scaled,
                        decimals: number.decimals as u32,
                        number: number.text,
                        range: (start, byte_at(k + 1)),
                        sentence,
                        in_table: table_row(text, start),
                    });
                }
            }
            i = k + 1;
            continue;
        }
        // A cell of a table whose unit the table declares (「金额单位：元」… 「25,754,899.39」) is money in
        // that unit, kept for the form checks and the count, out of the sentence rules.
        let cell_end = at(next).is_none_or(|c| c.is_whitespace() || matches!(c, '|' | '\t'));
        if let Some(unit) = table_unit
            && cell_end
            && number.decimals >= 2
            && !approximate
            && table_row(text, start)
            && let Some(fen) = to_fen(&number.text, unit.places_to_yuan())
        {
            out.money.push(Money {
                fen,
                unit,
                number: number.text,
                range: (start, number.end),
                approximate,
                sentence,
                line: doc.line_number(start),
                in_table: true,
            });
            continue;
        }
        // A number with two decimals and nothing after it but punctuation reads as money without a unit.
        let followed_by_punctuation = at(next).is_none_or(|c| matches!(c, '、' | '，' | '；' | '。' | ',' | ';' | '）' | ')' | '\n'));
        if number.decimals == 2
            && followed_by_punctuation
            && !approximate
            && let Some(fen) = to_fen(&number.text, 0)
        {
            out.bare.push(Money {
                fen,
                unit: Unit::Missing,
                number: number.text,
                range: (start, number.end),
                approximate,
                sentence,
                line: doc.line_number(start),
                in_table: table_row(text, start),
            });
        }
    }
    out
}

/// Whether the line holding byte `at` is a table row: cells split by 「|」 or tabs, or a row flattened by a
/// document site into blank-separated numbers (「11,122,315.04 13,628,965.89 1,003,618.46」).
pub fn table_row(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    line.contains(['|', '\t'])
        || line
            .split([' ', '\u{3000}'])
            .filter(|t| {
                // 「89.974」「1,003,618.46」, not 「1.」 numbering a paragraph.
                t.chars().next().is_some_and(cjk::is_digit)
                    && t.chars().last().is_some_and(|c| cjk::is_digit(c) || c == '%')
                    && t.contains(['.', ','])
                    && t.chars().all(|c| cjk::is_digit(c) || matches!(c, ',' | '.' | '%'))
            })
            .count()
            >= 3
}

/// The unit a table declares for its cells: 「金额单位：元」「单位：万元」「项目资金（万元）」.
fn declared_unit(text: &str) -> Option<Unit> {
    let wan = ["单位：万元", "单位:万元", "(万元)", "（万元）"].iter().filter_map(|w| text.find(w)).min();
    let yuan = ["单位：元", "单位:元", "(元)", "（元）"].iter().filter_map(|w| text.find(w)).min();
    match (wan, yuan) {
        (Some(w), Some(y)) => Some(if w < y { Unit::WanYuan } else { Unit::Yuan }),
        (Some(_), None) => Some(Unit::WanYuan),
        (None, Some(_)) => Some(Unit::Yuan),
        (None, None) => None,
    }
}

/// 约 / 近 / 逾 / 超过 / 大约 right before the number at `first`.
fn approximate_before(chars: &[(usize, char)], first: usize) -> bool {
    let before = |k: usize| first.checked_sub(k).and_then(|j| chars.get(j)).map(|(_, c)| *c);
    before(1).is_some_and(|c| APPROXIMATE_BEFORE.contains(&c)) || (before(1) == Some('过') && before(2) == Some('超'))
}

/// An amount printed in `unit`, exact: 2 429 600 00 分 in 万元 is `242.96`, 123 456 分 in 万元 is `0.123456`.
pub fn format_in(fen: Fen, unit: Unit) -> String {
    let per = i128::from(match unit {
        Unit::Missing => Unit::Yuan.fen(),
        u => u.fen(),
    });
    let value = i128::from(fen.0);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.abs();
    let whole = abs / per;
    let mut fraction = abs % per;
    // Digits after the point: 2 for 元, 6 for 万元, 10 for 亿元; trailing zeros beyond two dropped.
    let mut digits = per.ilog10() as usize;
    let mut text = String::new();
    while digits > 2 && fraction % 10 == 0 {
        fraction /= 10;
        digits -= 1;
    }
    if digits > 0 {
        text = format!(".{fraction:0digits$}");
    }
    format!("{sign}{whole}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Vec<(i64, Unit, bool)> {
        let doc = Document::new("t", text);
        extract(&doc).money.iter().map(|m| (m.fen.0, m.unit, m.approximate)).collect()
    }

    #[test]
    fn reads_units_exactly() {
        assert_eq!(
            money("合计242.96万元，其中1,234.56元、２万元、0.5亿元"),
            vec![
                (242_960_000, Unit::WanYuan, false),
                (123_456, Unit::Yuan, false),
                (2_000_000, Unit::WanYuan, false),
                (5_000_000_000, Unit::YiYuan, false)
            ]
        );
        assert_eq!(
            money("约30万元、近2万元、20余万元"),
            vec![(30_000_000, Unit::WanYuan, true), (2_000_000, Unit::WanYuan, true), (20_000_000, Unit::WanYuan, true)]
        );
        assert!(money("近2万人，2020年，湘财绩〔2020〕7号").is_empty());
        assert_eq!(money("1.2345678万元"), vec![(1_234_568, Unit::WanYuan, false)]);
    }

    #[test]
    fn reads_rates_and_bare_numbers() {
        let doc = Document::new("t", "执行率为95.5%，其中148.93、5.03万元");
        let a = extract(&doc);
        assert_eq!(a.rates.iter().map(|r| (r.scaled, r.decimals)).collect::<Vec<_>>(), vec![(955, 1)]);
        assert_eq!(a.bare.len(), 1);
        assert_eq!(a.money.len(), 1);
    }

    #[test]
    fn table_cells_in_a_declared_unit_are_money() {
        // 大关县天星镇中心卫生院 2021 决算公开表 (金额单位：元), flattened to one line by a document site.
        let text = "收入支出决算总表 八、其他收入 8 11,122,315.04 13,628,965.89 1,003,618.46 9 10 本年收入合计 27 总计 30 25,754,899.39 25,754,899.39 公开01表 金额单位:元";
        let a = extract(&Document::new("t", text));
        let cells: Vec<(i64, Unit, bool)> = a.money.iter().map(|m| (m.fen.0, m.unit, m.in_table)).collect();
        assert_eq!(cells.len(), 5);
        assert_eq!(cells[0], (1_112_231_504, Unit::Yuan, true));
        assert_eq!(cells[4], (2_575_489_939, Unit::Yuan, true));
        // 「1.」 numbering a paragraph does not make prose a table row.
        assert!(!table_row("1. 基本支出预算 2476260.58 元,同比减少 4966.66 元", 0));
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(format_in(Fen(242_960_000), Unit::WanYuan), "242.96");
        assert_eq!(format_in(Fen(123_456), Unit::WanYuan), "0.123456");
        assert_eq!(format_in(Fen(-8_900_000_000), Unit::YiYuan), "-0.89");
        assert_eq!(format_in(Fen(150), Unit::Yuan), "1.50");
    }
}
