//! Sums over one unit-year's books: what each appropriation line was given and what it spent.

use crate::codes::{CodeTables, ExpenseGroup, SanGongKind};
use crate::money::Fen;
use crate::records::*;

/// What an appropriation line was given over the year, by kind of budget voucher.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineBudget {
    /// 上年结转.
    pub carry_over: Fen,
    /// 年初预算.
    pub initial: Fen,
    /// 追加 − 调减 ± 调剂.
    pub adjustments: Fen,
}

impl LineBudget {
    /// Adds a budget voucher of the line under its kind.
    pub fn add(&mut self, v: &BudgetVoucher) {
        match v.kind {
            BudgetVoucherKind::CarryOver => self.carry_over += v.effect(),
            BudgetVoucherKind::Initial => self.initial += v.effect(),
            _ => self.adjustments += v.effect(),
        }
    }

    /// 全年预算数 = 上年结转 + 年初预算 + 调整.
    pub fn annual(&self) -> Fen {
        self.carry_over + self.initial + self.adjustments
    }
}

/// 指标月度汇总 — what one appropriation line was given and spent in one month (by voucher date), with the
/// number of vouchers behind it. The store keeps these beside the vouchers, updated in the same transaction,
/// so totals are read per line and month instead of summed over every voucher.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthTotal {
    pub budget: LineBudget,
    /// Σ 支出凭证.金额 (reversals included).
    pub spent: Fen,
    pub budget_vouchers: i64,
    pub expenditures: i64,
}

/// The key of a [`MonthTotal`]: fiscal year, line code, and the voucher date's month as `yyyymm` (a voucher may
/// be dated outside its fiscal year, e.g. a 年初预算 of the prior December).
pub type MonthKey = (i32, String, i32);

/// `yyyymm` of a date.
pub fn period(d: crate::Date) -> i32 {
    d.year * 100 + d.month as i32
}

impl MonthTotal {
    pub fn add_budget_voucher(&mut self, v: &BudgetVoucher) {
        self.budget.add(v);
        self.budget_vouchers += 1;
    }

    pub fn add_expenditure(&mut self, e: &Expenditure) {
        self.spent += e.amount;
        self.expenditures += 1;
    }
}

/// Line-month totals of the given vouchers: the definition the store's aggregates must equal.
pub fn month_totals<'a>(
    budget_vouchers: impl IntoIterator<Item = &'a BudgetVoucher>,
    expenditures: impl IntoIterator<Item = &'a Expenditure>,
) -> std::collections::BTreeMap<MonthKey, MonthTotal> {
    let mut totals: std::collections::BTreeMap<MonthKey, MonthTotal> = std::collections::BTreeMap::new();
    for v in budget_vouchers {
        totals.entry((v.year, v.line_code.clone(), period(v.date))).or_default().add_budget_voucher(v);
    }
    for e in expenditures {
        totals.entry((e.year, e.line_code.clone(), period(e.date))).or_default().add_expenditure(e);
    }
    totals
}

impl Books {
    /// The code edition of this fiscal year, if shipped.
    pub fn code_tables(&self) -> Option<&'static CodeTables> {
        CodeTables::for_year(self.year.year)
    }

    pub fn line(&self, line_code: &str) -> Option<&AppropriationLine> {
        self.records.appropriation_lines.iter().find(|l| l.line_code == line_code)
    }

    pub fn project(&self, project_code: &str) -> Option<&Project> {
        self.records.projects.iter().find(|p| p.project_code == project_code)
    }

    /// The project indicators as they stand: each with the latest 指标完成登记 (by date, then code) as its
    /// 实际完成值, and that result's evidence and deviation reason where it gives them.
    pub fn project_indicators(&self) -> std::borrow::Cow<'_, [ProjectIndicator]> {
        let results = &self.records.indicator_results;
        if results.is_empty() {
            return std::borrow::Cow::Borrowed(&self.records.project_indicators);
        }
        let mut indicators = self.records.project_indicators.clone();
        for i in &mut indicators {
            let latest = results.iter().filter(|r| r.indicator_code == i.indicator_code).max_by(|a, b| (a.date, &a.result_code).cmp(&(b.date, &b.result_code)));
            if let Some(r) = latest {
                i.actual = Some(r.actual.clone());
                i.evidence = r.evidence.clone().or(i.evidence.take());
                i.deviation_reason = r.deviation_reason.clone().or(i.deviation_reason.take());
            }
        }
        std::borrow::Cow::Owned(indicators)
    }

    pub fn line_budget(&self, line_code: &str) -> LineBudget {
        let mut b = LineBudget::default();
        for v in self.records.budget_vouchers.iter().filter(|v| v.line_code == line_code) {
            b.add(v);
        }
        b
    }

    /// Every line's budget and spending in one pass over the vouchers, by line code.
    pub fn line_totals(&self) -> std::collections::HashMap<&str, (LineBudget, Fen)> {
        let mut totals: std::collections::HashMap<&str, (LineBudget, Fen)> = std::collections::HashMap::new();
        for v in &self.records.budget_vouchers {
            totals.entry(v.line_code.as_str()).or_default().0.add(v);
        }
        for e in &self.records.expenditures {
            totals.entry(e.line_code.as_str()).or_default().1 += e.amount;
        }
        totals
    }

    /// Everything paid out of a line, reversals included.
    pub fn line_spent(&self, line_code: &str) -> Fen {
        self.records.expenditures.iter().filter(|e| e.line_code == line_code).map(|e| e.amount).sum()
    }

    /// The lines that satisfy `keep`.
    pub fn lines_where<'a>(&'a self, keep: impl Fn(&AppropriationLine) -> bool + 'a) -> impl Iterator<Item = &'a AppropriationLine> + 'a {
        self.records.appropriation_lines.iter().filter(move |l| keep(l))
    }

    /// The expenditures booked on lines that satisfy `keep`.
    pub fn expenditures_where<'a>(&'a self, keep: impl Fn(&AppropriationLine) -> bool + 'a) -> impl Iterator<Item = &'a Expenditure> + 'a {
        self.records.expenditures.iter().filter(move |e| self.line(&e.line_code).is_some_and(&keep))
    }

    /// The 经费类别 of a line's economic code (人员经费 / 公用经费), for basic lines.
    pub fn expense_group(&self, line: &AppropriationLine) -> Option<ExpenseGroup> {
        self.code_tables().and_then(|t| t.economic(&line.economic_code)).and_then(|e| e.expense_group)
    }

    /// Which of the 三公经费 a line's economic code is, if any.
    pub fn sangong_kind(&self, line: &AppropriationLine) -> Option<SanGongKind> {
        self.code_tables().and_then(|t| t.economic(&line.economic_code)).and_then(|e| e.sangong)
    }

    /// The text of a prose section, if written and not blank.
    pub fn narrative(&self, section: &str) -> Option<&str> {
        self.records.narratives.iter().find(|n| n.section == section).map(|n| n.text.trim()).filter(|t| !t.is_empty())
    }
}
