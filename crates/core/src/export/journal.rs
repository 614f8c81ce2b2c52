//! 分录账 (journal) — the books as a ledger/hledger journal: one transaction per voucher, in CNY with two
//! decimals (exact: 分 are printed as 元.分, never through a float).
//!
//! Accounts follow unit:功能分类:经济分类. Under each `UNIT:FUNCTION:ECONOMIC` the sub-account `指标` holds what
//! is still available and `支出` what was spent, so the balance of `UNIT:FUNCTION:ECONOMIC` is the 全年预算数 of
//! its lines and that of its `支出` the spending:
//!
//! - a budget voucher (指标变动) moves its effect from `UNIT:财政拨款` to `UNIT:F:E:指标`;
//! - an expenditure (支出凭证) moves its amount from `UNIT:F:E:指标` to `UNIT:F:E:支出`;
//! - a receipt (收入凭证) moves its amount from `UNIT:收入:FUND:FUNCTION` to `UNIT:资金:FUND`.
//!
//! Reversals are transactions with negative amounts, as in the books.

use crate::books::Books;
use crate::money::Fen;
use crate::records::AppropriationLine;
use std::collections::HashMap;
use std::fmt::Write;

/// Sub-account of what is still available on a line.
pub const AVAILABLE: &str = "指标";
/// Sub-account of what a line spent.
pub const SPENT: &str = "支出";
/// Account a unit's appropriations come from.
pub const APPROPRIATED: &str = "财政拨款";

/// An account name part: no `:` (the separator), no tabs, newlines or double spaces (which end a name).
fn part(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = match c {
            ':' | '\t' | '\n' | '\r' | ';' => '-',
            c => c,
        };
        if !(c == ' ' && s.ends_with(' ')) {
            s.push(c);
        }
    }
    if s.is_empty() { "-".into() } else { s }
}

/// Free text on a transaction line: one line, no comment marker, no double spaces.
fn text(t: &str) -> String {
    let one_line: String = t
        .chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == ';' {
                '；'
            } else {
                c
            }
        })
        .collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn amount(f: Fen) -> String {
    format!("{} CNY", f.yuan_string())
}

/// One transaction: header, optional comment, then (account, amount) postings that sum to zero.
fn transaction(out: &mut String, date: &str, code: &str, description: &str, comment: &str, postings: [(&str, Fen); 2]) {
    debug_assert_eq!(postings[0].1 + postings[1].1, Fen(0));
    let _ = writeln!(out, "{date} ({}) {}", part(code), text(description));
    if !comment.is_empty() {
        let _ = writeln!(out, "    ; {}", text(comment));
    }
    for (account, value) in postings {
        let _ = writeln!(out, "    {account}  {}", amount(value));
    }
    out.push('\n');
}

/// The account of a line: `UNIT:FUNCTION:ECONOMIC`.
pub fn line_account(unit_code: &str, line: &AppropriationLine) -> String {
    format!("{}:{}:{}", part(unit_code), part(&line.function_code), part(&line.economic_code))
}

/// Appends the journal of one unit-year to `out`.
pub fn write(books: &Books, out: &mut String) {
    let unit = part(&books.unit.code);
    let _ = writeln!(
        out,
        "; {} {}（{}）{} 年度账簿\n",
        books.unit.code,
        text(&books.unit.name),
        text(&books.unit.parent_department),
        books.year.year
    );
    let accounts: HashMap<&str, String> =
        books.records.appropriation_lines.iter().map(|l| (l.line_code.as_str(), line_account(&books.unit.code, l))).collect();
    // A voucher names a line of its own year (the importer checks it); a missing one still balances.
    let account = |line: &str| accounts.get(line).cloned().unwrap_or_else(|| format!("{unit}:未知指标:{}", part(line)));
    let appropriated = format!("{unit}:{APPROPRIATED}");
    // 收回 and 结转下年 settle at year end what was given and leave 全年预算数 as it was: nothing moves here.
    for v in books.records.budget_vouchers.iter().filter(|v| !v.kind.is_year_end_settlement()) {
        let a = format!("{}:{AVAILABLE}", account(&v.line_code));
        let description = format!("{} {}", v.kind.label(), v.document.as_deref().unwrap_or(""));
        let comment = format!("line: {}{}", v.line_code, v.reverses.as_deref().map(|r| format!(", reverses: {r}")).unwrap_or_default());
        transaction(out, &v.date.to_string(), &v.voucher_no, &description, &comment, [(&a, v.effect()), (&appropriated, -v.effect())]);
    }
    for r in &books.records.receipts {
        let fund = part(r.fund_source.label());
        let comment = r.reverses.as_deref().map(|x| format!("reverses: {x}")).unwrap_or_default();
        let cash = format!("{unit}:资金:{fund}");
        let income = format!("{unit}:收入:{fund}:{}", part(&r.function_code));
        transaction(
            out,
            &r.date.to_string(),
            &r.voucher_no,
            r.payer.as_deref().unwrap_or("收入"),
            &comment,
            [(&cash, r.amount), (&income, -r.amount)],
        );
    }
    for e in &books.records.expenditures {
        let line = account(&e.line_code);
        let (spent, available) = (format!("{line}:{SPENT}"), format!("{line}:{AVAILABLE}"));
        let comment = format!("line: {}{}", e.line_code, e.reverses.as_deref().map(|r| format!(", reverses: {r}")).unwrap_or_default());
        transaction(
            out,
            &e.date.to_string(),
            &e.voucher_no,
            &format!("{} {}", e.payee, e.purpose),
            &comment,
            [(&spent, e.amount), (&available, -e.amount)],
        );
    }
}

/// The journal of one unit-year, as a string.
pub fn journal(books: &Books) -> String {
    let mut out = String::new();
    write(books, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::books;

    /// (account, 分) of every posting, by transaction.
    fn transactions(journal: &str) -> Vec<Vec<(String, i64)>> {
        let mut out: Vec<Vec<(String, i64)>> = Vec::new();
        for line in journal.lines() {
            if line.starts_with(|c: char| c.is_ascii_digit()) {
                out.push(Vec::new());
            } else if let Some(posting) = line.strip_prefix("    ").filter(|l| !l.starts_with(';')) {
                let (account, amount) = posting.split_once("  ").expect("two spaces end the account");
                let yuan = amount.strip_suffix(" CNY").unwrap();
                let (w, f) = yuan.split_once('.').unwrap();
                let v = w.trim_start_matches('-').parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap();
                out.last_mut().unwrap().push((account.to_string(), if w.starts_with('-') { -v } else { v }));
            }
        }
        out
    }

    #[test]
    fn one_balanced_transaction_per_voucher_and_line_accounts_hold_the_annual_budget() {
        let b = books();
        let j = journal(&b);
        let t = transactions(&j);
        let r = &b.records;
        assert_eq!(t.len(), r.budget_vouchers.len() + r.receipts.len() + r.expenditures.len());
        assert!(t.iter().all(|p| p.len() == 2 && p[0].1 + p[1].1 == 0), "{j}");
        let sum = |suffix: &str| t.iter().flatten().filter(|(a, _)| a.ends_with(suffix)).map(|(_, v)| v).sum::<i64>();
        let annual: i64 = r.appropriation_lines.iter().map(|l| b.line_budget(&l.line_code).annual().0).sum();
        let spent: i64 = r.expenditures.iter().map(|e| e.amount.0).sum();
        assert_eq!(sum(":支出"), spent);
        assert_eq!(sum(":指标") + sum(":支出"), annual);
        assert_eq!(sum(":财政拨款"), -annual);
    }

    #[test]
    fn names_and_text_cannot_break_the_journal_syntax() {
        let mut b = books();
        b.unit.code = "A:B\tC  D".into();
        b.records.expenditures[0].payee = "张三;  李四\n王五".into();
        let j = journal(&b);
        assert!(j.contains("    A-B-C D:"), "{j}");
        assert!(j.contains(" 张三； 李四 王五 "), "{j}");
        assert!(transactions(&j).iter().all(|p| p.len() == 2));
    }
}
