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
    /// 全年预算数 = 上年结转 + 年初预算 + 调整.
    pub fn annual(&self) -> Fen {
        self.carry_over + self.initial + self.adjustments
    }
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
            match v.kind {
                BudgetVoucherKind::CarryOver => b.carry_over += v.effect(),
                BudgetVoucherKind::Initial => b.initial += v.effect(),
                _ => b.adjustments += v.effect(),
            }
        }
        b
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
