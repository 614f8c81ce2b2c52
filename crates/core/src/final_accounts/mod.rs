//! The 部门决算公开 table set (domain.md §5): nine tables computed from one unit-year's books, in 分, and
//! the chart data of the report (`budget_by_function_class`). Titles, header cells and rows, so that the
//! workbook writer only lays them out. A table with no
//! data is kept, with the note the official set prints (本单位无…，此表为空).

mod explanations;
mod tables;

use crate::Fen;
use crate::books::Books;
use std::collections::BTreeMap;

pub use explanations::{Explanation, explanations};
pub use tables::{SANGONG_KINDS, SanGongAmounts, final_accounts, sangong_amounts, sangong_coverage};

/// One cell of a table body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Money(Fen),
    Blank,
}

impl Value {
    pub fn text(t: impl Into<String>) -> Value {
        Value::Text(t.into())
    }
}

/// A header cell spanning `cols` columns and `rows` header rows, placed left to right like an HTML table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    pub text: String,
    pub cols: u16,
    pub rows: u16,
}

pub fn h(text: &str) -> HeaderCell {
    HeaderCell { text: text.to_string(), cols: 1, rows: 1 }
}

pub fn h_span(text: &str, cols: u16, rows: u16) -> HeaderCell {
    HeaderCell { text: text.to_string(), cols, rows }
}

/// One table of the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTable {
    /// 公开01表 … 公开09表.
    pub code: String,
    /// The table's name, e.g. 收入支出决算总表.
    pub name: String,
    pub header: Vec<Vec<HeaderCell>>,
    pub rows: Vec<Vec<Value>>,
    /// Present when the unit has nothing to show in this table.
    pub empty_note: Option<String>,
}

impl AccountTable {
    pub fn column_count(&self) -> u16 {
        self.header.first().map_or(0, |r| r.iter().map(|c| c.cols).sum())
    }

    /// The amount in the row whose label column holds `label`, column `col` — for tests and checks.
    pub fn amount(&self, label: &str, col: usize) -> Option<Fen> {
        self.rows.iter().find(|r| r.iter().any(|v| matches!(v, Value::Text(t) if t == label))).and_then(|r| match r.get(col) {
            Some(Value::Money(f)) => Some(*f),
            _ => None,
        })
    }
}

/// The whole set for one unit-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalAccounts {
    pub unit_name: String,
    pub year: i32,
    pub tables: Vec<AccountTable>,
}

/// 全年预算数 and 本年支出 of one 支出功能分类 类: the PDF's budget chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassBudget {
    pub code: String,
    pub name: String,
    pub budget: Fen,
    pub spent: Fen,
}

/// Budget and spending by function class (first three digits of the lines' function codes), in code order.
pub fn budget_by_function_class(books: &Books) -> Vec<ClassBudget> {
    let mut by_class: BTreeMap<String, (Fen, Fen)> = BTreeMap::new();
    for line in &books.records.appropriation_lines {
        let entry = by_class.entry(class_of(&line.function_code).to_string()).or_default();
        entry.0 += books.line_budget(&line.line_code).annual();
        entry.1 += books.line_spending(&line.line_code);
    }
    by_class.into_iter().map(|(code, (budget, spent))| ClassBudget { name: books.function_name(&code), code, budget, spent }).collect()
}

/// 类 of a function code.
fn class_of(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

pub(crate) fn economic_name(books: &Books, code: &str) -> String {
    books.code_tables().and_then(|t| t.economic(code)).map(|e| e.name.clone()).unwrap_or_else(|| format!("科目{code}"))
}

/// Amounts per function code (项), one column each, summed into 类 and 款 rows with names: the body of the
/// tables laid out by 科目编码 / 科目名称. The first row is 合计.
pub(crate) fn function_rows(books: &Books, items: &BTreeMap<String, Vec<Fen>>, columns: usize) -> Vec<Vec<Value>> {
    let mut totals: BTreeMap<String, Vec<Fen>> = BTreeMap::new();
    let mut grand = vec![Fen::ZERO; columns];
    for (code, amounts) in items {
        // 类 (3), 款 (5), 项 (7): every prefix that is a level gets the amounts.
        for len in [3, 5, 7].into_iter().filter(|l| *l <= code.len()) {
            let entry = totals.entry(code[..len].to_string()).or_insert_with(|| vec![Fen::ZERO; columns]);
            entry.iter_mut().zip(amounts).for_each(|(t, a)| *t += *a);
        }
        grand.iter_mut().zip(amounts).for_each(|(t, a)| *t += *a);
    }
    let mut rows = vec![money_row([Value::Blank, Value::text("合计")], &grand)];
    // BTreeMap order puts 201 before 20101 before 2010101: each level right after its parent.
    rows.extend(totals.iter().map(|(code, amounts)| money_row([Value::text(code), Value::text(books.function_name(code))], amounts)));
    rows
}

pub(crate) fn money_row<const N: usize>(labels: [Value; N], amounts: &[Fen]) -> Vec<Value> {
    labels.into_iter().chain(amounts.iter().map(|a| Value::Money(*a))).collect()
}

/// Sums `amount` into a per-function-code table of `columns` columns, at column `col`.
pub(crate) fn add_at(table: &mut BTreeMap<String, Vec<Fen>>, code: &str, columns: usize, col: usize, amount: Fen) {
    table.entry(code.to_string()).or_insert_with(|| vec![Fen::ZERO; columns])[col] += amount;
}

/// 一、二、… for numbering rows, up to 九十九.
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_chinese_numbering() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(20), "二十");
        assert_eq!(chinese_ordinal(23), "二十三");
    }
}
