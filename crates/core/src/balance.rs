//! 收支平衡 — the one identity every output closes the books by, per fund source (资金来源):
//!
//! 年初结转和结余 + 本年收入 = 本年支出 + 结余分配/缴回 + 年末结转和结余
//!
//! [`fund_balances`] is the only place it is computed. The report model (and so the Markdown, HTML, DOCX and
//! PDF reports and the web dashboard), the 部门决算 workbook (公开01, 04, 08表) and the 结转结余率 and
//! 结转结余变动率 indicators all read it.
//!
//! - 年初结转和结余: the lines' 上年结转 vouchers.
//! - 本年收入: the receipts (收入凭证), plus the appropriation not disbursed by year end that a 结转下年 or 收回
//!   voucher settles — an appropriation counts as income of the year it was given for (财政应返还额度), and
//!   what the finance bureau takes back leaves again as 缴回. Own funds have no such vouchers as a rule.
//! - 本年支出: the expenditures (reversals included) on the lines of the source.
//! - 结余分配/缴回: the 收回 vouchers.
//! - 年末结转和结余: what the identity leaves; never entered.
//!
//! Amounts are kept per fund source and function code (项): a receipt has its own function code, a budget
//! voucher or an expenditure that of its line. Expenditures on a line the books lack are left out (the books
//! check reports them as REFERENCE_UNKNOWN errors, which stop every report).

use crate::books::Books;
use crate::money::Fen;
use crate::records::{BudgetVoucherKind, FundSource};
use std::collections::BTreeMap;

/// One row of the identity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FundBalance {
    /// 年初结转和结余.
    pub opening: Fen,
    /// 本年收入.
    pub income: Fen,
    /// 本年支出.
    pub spending: Fen,
    /// 结余分配/缴回.
    pub returned: Fen,
}

impl FundBalance {
    /// 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出 − 结余分配/缴回.
    pub fn closing(&self) -> Fen {
        self.opening + self.income - self.spending - self.returned
    }

    fn add(&mut self, other: &FundBalance) {
        self.opening += other.opening;
        self.income += other.income;
        self.spending += other.spending;
        self.returned += other.returned;
    }
}

/// The identity of one unit-year, per fund source and function code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    pub by_source_function: BTreeMap<(FundSource, String), FundBalance>,
}

impl Balances {
    /// The rows whose source and function code satisfy `keep`, summed.
    pub fn sum_where(&self, keep: impl Fn(FundSource, &str) -> bool) -> FundBalance {
        let mut out = FundBalance::default();
        for ((s, f), b) in &self.by_source_function {
            if keep(*s, f) {
                out.add(b);
            }
        }
        out
    }

    /// Every source together.
    pub fn total(&self) -> FundBalance {
        self.sum_where(|_, _| true)
    }

    /// 财政拨款 (the three budgets) together.
    pub fn fiscal(&self) -> FundBalance {
        self.sum_where(|s, _| s.is_fiscal())
    }

    pub fn of(&self, source: FundSource) -> FundBalance {
        self.sum_where(|s, _| s == source)
    }

    /// Per fund source, in the order of [`FundSource::ALL`], the sources the books use.
    pub fn by_source(&self) -> Vec<(FundSource, FundBalance)> {
        FundSource::ALL.iter().filter(|s| self.by_source_function.keys().any(|(x, _)| x == *s)).map(|s| (*s, self.of(*s))).collect()
    }

    /// One source per function code (项), in code order.
    pub fn by_function(&self, source: FundSource) -> BTreeMap<String, FundBalance> {
        let mut out: BTreeMap<String, FundBalance> = BTreeMap::new();
        for ((s, f), b) in &self.by_source_function {
            if *s == source {
                out.entry(f.clone()).or_default().add(b);
            }
        }
        out
    }
}

/// Computes the identity from the books (full or in summary form).
pub fn fund_balances(books: &Books) -> Balances {
    let mut rows: BTreeMap<(FundSource, String), FundBalance> = BTreeMap::new();
    let lines: BTreeMap<&str, (FundSource, &str)> =
        books.records.appropriation_lines.iter().map(|l| (l.line_code.as_str(), (l.fund_source, l.function_code.as_str()))).collect();
    fn row<'a>(rows: &'a mut BTreeMap<(FundSource, String), FundBalance>, source: FundSource, function: &str) -> &'a mut FundBalance {
        rows.entry((source, function.to_string())).or_default()
    }
    for r in &books.records.receipts {
        row(&mut rows, r.fund_source, &r.function_code).income += r.amount;
    }
    for v in &books.records.budget_vouchers {
        let Some((source, function)) = lines.get(v.line_code.as_str()) else { continue };
        let b = row(&mut rows, *source, function);
        match v.kind {
            BudgetVoucherKind::CarryOver => b.opening += v.effect(),
            BudgetVoucherKind::CarryForward => b.income += v.effect(),
            BudgetVoucherKind::Recovery => {
                b.income += v.effect();
                b.returned += v.effect();
            }
            BudgetVoucherKind::Initial | BudgetVoucherKind::Addition | BudgetVoucherKind::Reduction | BudgetVoucherKind::Transfer => {}
        }
    }
    for (line, spent) in books.spending_by_line() {
        let Some((source, function)) = lines.get(line.as_str()) else { continue };
        row(&mut rows, *source, function).spending += spent.amount;
    }
    Balances { by_source_function: rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::books;
    use crate::records::BudgetVoucher;

    fn voucher(no: &str, line: &str, kind: BudgetVoucherKind, amount: i64) -> BudgetVoucher {
        let mut v = books().records.budget_vouchers[0].clone();
        v.voucher_no = no.into();
        v.line_code = line.into();
        v.kind = kind;
        v.amount = Fen(amount);
        v
    }

    #[test]
    fn the_identity_closes_per_source_with_carry_overs_recoveries_and_own_funds() {
        let mut b = books();
        // B1: 1000.00 given, 800.00 spent; 50.00 carried in; of the 1000.00 only 900.00 received, 60.00 kept for
        // next year and 40.00 taken back.
        b.records.budget_vouchers.push(voucher("JZ1", "B1", BudgetVoucherKind::CarryOver, 5_000));
        b.records.receipts[0].amount = Fen(90_000);
        b.records.budget_vouchers.push(voucher("JX1", "B1", BudgetVoucherKind::CarryForward, 6_000));
        b.records.budget_vouchers.push(voucher("SH1", "B1", BudgetVoucherKind::Recovery, 4_000));
        // An own-fund line without a plan: 300.00 received, 120.00 spent.
        let mut own = b.records.appropriation_lines[0].clone();
        own.line_code = "DW1".into();
        own.fund_source = FundSource::OperatingRevenue;
        b.records.appropriation_lines.push(own);
        let mut r = b.records.receipts[0].clone();
        r.voucher_no = "DWSR1".into();
        r.fund_source = FundSource::OperatingRevenue;
        r.amount = Fen(30_000);
        b.records.receipts.push(r);
        let mut e = b.records.expenditures[0].clone();
        e.voucher_no = "DWZC1".into();
        e.line_code = "DW1".into();
        e.amount = Fen(12_000);
        b.records.expenditures.push(e);

        let balances = fund_balances(&b);
        let fiscal = balances.of(FundSource::GeneralBudget);
        assert_eq!(
            fiscal,
            FundBalance { opening: Fen(5_000), income: Fen(90_000 + 50_000 + 6_000 + 4_000), spending: Fen(130_000), returned: Fen(4_000) }
        );
        // 50 + 1500 − 1300 − 40 = 210.00: B1's 1000 + 50 − 800 − 40, P1's 500 − 500.
        assert_eq!(fiscal.closing(), Fen(21_000));
        assert_eq!(balances.of(FundSource::OperatingRevenue).closing(), Fen(18_000));
        assert_eq!(balances.total().closing(), Fen(39_000));
        assert_eq!(balances.fiscal(), fiscal);
        assert_eq!(
            balances.by_source().iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            [FundSource::GeneralBudget, FundSource::OperatingRevenue]
        );
        // Summary form gives the same.
        assert_eq!(fund_balances(&b.summarize()), balances);
    }
}
