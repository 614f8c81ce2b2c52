//! The checks. Each module owns one family of rule ids (see `finding::rule`); all read the same
//! [`Context`]: the text, its recovered structure and its amounts.

pub mod balances;
pub mod budget;
mod classification;
mod dates;
mod duplicates;
pub mod forms;
mod rates;
mod residue;
mod sections;
mod sums;

use crate::amounts::{Amounts, Money};
use crate::document::Document;
use crate::finding::DocumentFinding;
use crate::kind::DocumentKind;
use crate::structure::Structure;

pub struct Context<'a> {
    pub doc: &'a Document,
    pub structure: &'a Structure,
    pub amounts: &'a Amounts,
    pub kind: DocumentKind,
    /// Byte ranges of every number read (money, bare numbers, rates), sorted: the edges of labels.
    number_edges: Vec<(usize, usize)>,
}

impl<'a> Context<'a> {
    pub fn new(doc: &'a Document, structure: &'a Structure, amounts: &'a Amounts, kind: DocumentKind) -> Context<'a> {
        let mut number_edges: Vec<(usize, usize)> =
            amounts.money.iter().chain(&amounts.bare).map(|m| m.range).chain(amounts.rates.iter().map(|r| r.range)).collect();
        number_edges.sort_unstable();
        Context { doc, structure, amounts, kind, number_edges }
    }

    pub fn sentence_range(&self, sentence: usize) -> (usize, usize) {
        self.doc.sentences.get(sentence).map_or((0, 0), |r| (r.start, r.end))
    }

    /// What a figure is of: the words between the previous number in its sentence and the figure
    /// (「，项目支出」108.37万元 → 「，项目支出」).
    pub fn label_before(&self, start: usize, sentence: usize) -> &'a str {
        let (sentence_start, _) = self.sentence_range(sentence);
        let i = self.number_edges.partition_point(|r| r.1 <= start);
        let previous_end = i.checked_sub(1).map_or(0, |j| self.number_edges[j].1);
        self.doc.slice(previous_end.max(sentence_start).min(start), start)
    }

    pub fn money_label(&self, money: &Money) -> &'a str {
        self.label_before(money.range.0, money.sentence)
    }
}

/// The head of a label: what follows its last comma or colon, without numbering, 「其中」, a year, or
/// 「我单位」 — so 「2020年本级财政拨款收入合计」 reads 「本级财政拨款收入合计」.
pub fn clause_head(label: &str) -> &str {
    let cut =
        label.rfind(['，', '；', '：', ':', ',', ';', '。', '\n']).map_or(0, |i| i + label[i..].chars().next().map_or(1, char::len_utf8));
    let mut head = label[cut..].trim_matches(crate::document::is_blank);
    loop {
        let before = head;
        for prefix in [
            "其中",
            "包括",
            "全年",
            "本年度",
            "本年",
            "年度",
            "当年",
            "我单位",
            "本单位",
            "单位",
            "我部门",
            "本部门",
            "部门",
            "我局",
            "本局",
            "我会",
            "本会",
            "共计",
            "共",
            "实际",
            "全部",
            "：",
            "、",
        ] {
            head = head.strip_prefix(prefix).unwrap_or(head);
        }
        // Numbering (「1、」「（二）」) and a leading year (「2020年」).
        let digits = head.chars().take_while(|c| crate::cjk::is_digit(*c)).count();
        if digits == 4 && head.chars().nth(4) == Some('年') {
            let skip = if head.chars().nth(5) == Some('度') { 6 } else { 5 };
            head = head.char_indices().nth(skip).map_or("", |(i, _)| &head[i..]);
        } else if (1..=2).contains(&digits) && matches!(head.chars().nth(digits), Some('、' | '.' | '．')) {
            head = head.char_indices().nth(digits + 1).map_or("", |(i, _)| &head[i..]);
        }
        for bracket in ['（', '('] {
            if let Some(rest) = head.strip_prefix(bracket)
                && let Some(close) = rest.find(['）', ')'])
                && rest[..close].chars().all(crate::cjk::is_chinese_numeral)
            {
                head = rest[close..].char_indices().nth(1).map_or("", |(i, _)| &rest[close + i..]);
            }
        }
        head = head.trim_start_matches(crate::document::is_blank);
        if head == before {
            return head;
        }
    }
}

/// Words that make a figure a change against another year rather than a part of a total.
pub const DELTA_WORDS: &[&str] = &["增加", "减少", "增长", "下降", "降低", "提高", "同比", "较上年", "比上年", "上年", "去年", "上一年"];

/// Whether a figure's label makes it a change against another year. 「上年结转」「上年结余」 name money
/// carried into this year — a part of this year's income, not a change.
pub fn is_delta_label(label: &str) -> bool {
    let mut label = label.to_string();
    for carried in ["上年结转和结余", "上年结转", "上年结余", "年初结转", "上年末", "上年年末"] {
        label = label.replace(carried, "");
    }
    DELTA_WORDS.iter().any(|w| label.contains(w))
}

/// The headline figures a document states, for comparing documents of one unit and year.
pub fn headline_figures(doc: &Document, structure: &Structure, amounts: &Amounts, kind: DocumentKind) -> Vec<crate::compare::StatedFigure> {
    let ctx = Context::new(doc, structure, amounts, kind);
    let stated = |name: &'static str, m: &Money| crate::compare::StatedFigure {
        name,
        fen: m.fen.0,
        unit: m.unit,
        text: format!("{}{}", m.number, m.unit.label()),
        line: m.line,
        range: m.range,
    };
    let mut out = Vec::new();
    if kind.is_form() {
        if let Some(forms::FundsTotal { annual, executed, unit, range }) = forms::funds_total(&doc.text) {
            for (name, fen) in [("全年预算数", annual), ("全年执行数", executed)] {
                if let Some(fen) = fen {
                    out.push(crate::compare::StatedFigure {
                        name,
                        fen,
                        unit,
                        text: format!("{}{}", crate::amounts::format_in(jixiao_core::Fen(fen), unit), unit.label()),
                        line: doc.line_number(range.0),
                        range,
                    });
                }
            }
        }
        return out;
    }
    let k = budget::KeyFigures::find(&ctx);
    for (name, m) in
        [("支出合计", k.spending), ("基本支出", k.basic), ("项目支出", k.project), ("收入", k.income.filter(|_| k.income_is_total))]
    {
        if let Some(m) = m {
            out.push(stated(name, m));
        }
    }
    // Balances of the whole unit (no 财政拨款 scope): compared with the same year's and, for the
    // opening one, with the prior year's closing.
    for (which, scope, m) in balances::balances(&ctx) {
        let name = match which {
            balances::Balance::Opening => "年初结转和结余",
            balances::Balance::Closing => "年末结转和结余",
            balances::Balance::PriorClosing => continue,
        };
        if scope.is_empty() {
            out.push(stated(name, m));
        }
    }
    out
}

pub fn check_all(doc: &Document, structure: &Structure, amounts: &Amounts, kind: DocumentKind) -> Vec<DocumentFinding> {
    let ctx = Context::new(doc, structure, amounts, kind);
    let mut findings = Vec::new();
    findings.extend(sums::check(&ctx));
    findings.extend(budget::check(&ctx));
    findings.extend(balances::check(&ctx));
    findings.extend(rates::check(&ctx));
    findings.extend(duplicates::check(&ctx));
    findings.extend(sections::check(&ctx));
    findings.extend(classification::check(&ctx));
    findings.extend(dates::check(&ctx));
    findings.extend(residue::check(&ctx));
    findings.extend(forms::check(&ctx));
    findings
}

#[cfg(test)]
mod tests {
    use super::clause_head;

    #[test]
    fn clause_heads_drop_numbering_years_and_fillers() {
        assert_eq!(clause_head("2020年本级财政拨款收入合计"), "本级财政拨款收入合计");
        assert_eq!(clause_head("1、项目支出"), "项目支出");
        assert_eq!(clause_head("，其中基本支出"), "基本支出");
        assert_eq!(clause_head("（二）本年度项目支出"), "项目支出");
        assert_eq!(clause_head("我单位2020年度支出合计"), "支出合计");
    }
}
