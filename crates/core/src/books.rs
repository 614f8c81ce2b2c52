//! One unit-year's books and the sums over them: what each appropriation line was given and what it spent.

use crate::codes::{CodeTables, ExpenseGroup, SanGongKind};
use crate::finding::RecordRef;
use crate::money::Fen;
use crate::records::*;
use std::collections::{BTreeMap, BTreeSet};

/// One unit's books for one fiscal year: what `check` reads and what a report is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Books {
    pub unit: UnitProfile,
    pub year: UnitYear,
    pub records: RecordSet,
    /// Set for books in summary form (`Books::summarize`, the store's `books_summary`): the line-month and
    /// procurement totals over every expenditure of the year, while `records.expenditures` holds only the
    /// notable ones. Spending is then read from the totals; `None`: the records hold every voucher.
    pub expenditure_totals: Option<ExpenditureTotals>,
}

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
    /// Adds a budget voucher of the line under its kind. 收回 and 结转下年 settle what was given at year end
    /// and change none of these (see [`crate::balance`]).
    pub fn add(&mut self, v: &BudgetVoucher) {
        match v.kind {
            BudgetVoucherKind::CarryOver => self.carry_over += v.effect(),
            BudgetVoucherKind::Initial => self.initial += v.effect(),
            BudgetVoucherKind::Addition | BudgetVoucherKind::Reduction | BudgetVoucherKind::Transfer => self.adjustments += v.effect(),
            BudgetVoucherKind::Recovery | BudgetVoucherKind::CarryForward => {}
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
    pub spending: Fen,
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
        self.add_expenditure_amount(e.amount);
    }

    /// One expenditure (a payment) of `amount`, given by its amount alone.
    pub fn add_expenditure_amount(&mut self, amount: Fen) {
        self.spending += amount;
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

/// The key of a [`procurement_totals`] entry: fiscal year, line code, 采购编号.
pub type ProcurementKey = (i32, String, String);

/// 采购付款汇总 — per fiscal year, line and 采购编号, what the expenditures naming that procurement paid
/// (reversals naming it included) and how many they are: the definition the store's aggregates must equal.
pub fn procurement_totals<'a>(expenditures: impl IntoIterator<Item = &'a Expenditure>) -> BTreeMap<ProcurementKey, LineSpending> {
    let mut totals: BTreeMap<ProcurementKey, LineSpending> = BTreeMap::new();
    for e in expenditures {
        add_procurement_expenditure(&mut totals, e);
    }
    totals
}

/// Adds an expenditure to the procurement totals when it names a procurement.
pub fn add_procurement_expenditure(totals: &mut BTreeMap<ProcurementKey, LineSpending>, e: &Expenditure) {
    if let Some(p) = &e.procurement_ref {
        add_procurement_expenditure_of(totals, (e.year, e.line_code.clone(), p.clone()), e.amount);
    }
}

/// [`add_procurement_expenditure`] of a payment given by its year, line, 采购编号 and amount.
pub fn add_procurement_expenditure_of(totals: &mut BTreeMap<ProcurementKey, LineSpending>, key: ProcurementKey, amount: Fen) {
    let t = totals.entry(key).or_default();
    t.amount += amount;
    t.expenditures += 1;
}

/// What books in summary form carry in place of every expenditure: the aggregates the store keeps beside the
/// vouchers, updated in the transaction that inserts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpenditureTotals {
    pub by_line_month: BTreeMap<MonthKey, MonthTotal>,
    pub by_procurement: BTreeMap<ProcurementKey, LineSpending>,
}

/// Σ 支出凭证.金额 of one line and the number of its expenditures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineSpending {
    pub amount: Fen,
    pub expenditures: i64,
}

/// 支出 — the spending of a set of lines: Σ 支出凭证.金额 (reversals included), the number of expenditures, and
/// the lines that carry them (by code), the trace of a spending figure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpendingSum {
    pub amount: Fen,
    pub expenditures: i64,
    pub lines: Vec<String>,
}

/// The trace of a spending figure: the expenditures of each line summed (`expenditures_by_line`, keyed by
/// line code), read from the line-month totals; the line's own page lists its vouchers.
pub fn spending_refs(spent: &SpendingSum) -> Vec<RecordRef> {
    spent.lines.iter().map(|l| RecordRef::new("expenditures_by_line", l.clone())).collect()
}

/// Which expenditures a per-voucher rule of the books check reads (a 重点凭证): each such rule declares its
/// filter in `check::voucher_filters`. Books in summary form keep the expenditures some filter matches (and
/// the originals of matched reversals); every other expenditure counts only through the line-month and
/// procurement totals — sound given the import's ledger rules (positive amounts, every reversal the exact
/// negative of an original on its line, reversed at most once), which the importer enforces before anything
/// is stored. The store translates each filter to SQL in one place (`Store::books_summary`). A filter is
/// built from the books' other records, never from their expenditures, so that the store can build it before
/// reading any voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoucherFilter {
    /// Dated outside the fiscal year.
    DatedOutside { year: i32 },
    /// A payment above the amount, or the reversal of one: |金额| > bound.
    AmountBeyond(Fen),
    /// On an appropriation line not among these.
    LineNotIn(BTreeSet<String>),
    /// Naming a 采购编号 not among these.
    ProcurementNotIn(BTreeSet<String>),
}

impl VoucherFilter {
    pub fn matches(&self, e: &Expenditure) -> bool {
        match self {
            VoucherFilter::DatedOutside { year } => e.date.year != *year,
            VoucherFilter::AmountBeyond(bound) => e.amount.0.abs() > bound.0,
            VoucherFilter::LineNotIn(lines) => !lines.contains(&e.line_code),
            VoucherFilter::ProcurementNotIn(known) => e.procurement_ref.as_ref().is_some_and(|p| !known.contains(p)),
        }
    }
}

impl Books {
    /// Books holding every voucher of the year.
    pub fn new(unit: UnitProfile, year: UnitYear, records: RecordSet) -> Books {
        Books { unit, year, records, expenditure_totals: None }
    }

    /// The code edition of this fiscal year, if shipped.
    pub fn code_tables(&self) -> Option<&'static CodeTables> {
        CodeTables::for_year(self.year.year)
    }

    /// A function code's name: the year's edition, else the 原报科目名称 an appropriation line with that code
    /// gives (a 项 the embedded edition does not confirm keeps the name the unit published), else 科目CODE.
    pub fn function_name(&self, code: &str) -> String {
        self.code_tables()
            .and_then(|t| t.function(code))
            .map(|f| f.name.clone())
            .or_else(|| self.reported_function_name(code))
            .unwrap_or_else(|| format!("科目{code}"))
    }

    /// 类-款-项 names of a function code; where the edition lacks the code itself, the line's 原报科目名称 ends
    /// the path (so 2130106 reads 农林水支出-…-原报名称, not just its 类).
    pub fn function_path(&self, code: &str) -> String {
        let tables = self.code_tables();
        let known = tables.and_then(|t| t.function(code)).is_some();
        let path = tables.and_then(|t| t.function_path(code));
        match (path, known, self.reported_function_name(code)) {
            (Some(path), false, Some(reported)) => format!("{path}-{reported}"),
            (Some(path), _, _) => path,
            (None, _, Some(reported)) => reported,
            (None, _, None) => format!("科目{code}"),
        }
    }

    fn reported_function_name(&self, code: &str) -> Option<String> {
        self.records
            .appropriation_lines
            .iter()
            .filter(|l| l.function_code == code)
            .find_map(|l| l.reported_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(String::from))
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
            let latest = results
                .iter()
                .filter(|r| r.indicator_code == i.indicator_code)
                .max_by(|a, b| (a.date, &a.result_code).cmp(&(b.date, &b.result_code)));
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

    /// The line-month totals of the year: stored ones for books in summary form, else computed from the
    /// vouchers held.
    pub fn month_totals(&self) -> std::borrow::Cow<'_, BTreeMap<MonthKey, MonthTotal>> {
        match &self.expenditure_totals {
            Some(t) => std::borrow::Cow::Borrowed(&t.by_line_month),
            None => std::borrow::Cow::Owned(month_totals(&self.records.budget_vouchers, &self.records.expenditures)),
        }
    }

    /// What the expenditures naming each procurement paid, by year, line and 采购编号: stored totals for books
    /// in summary form, else computed from the vouchers held.
    pub fn procurement_spending(&self) -> std::borrow::Cow<'_, BTreeMap<ProcurementKey, LineSpending>> {
        match &self.expenditure_totals {
            Some(t) => std::borrow::Cow::Borrowed(&t.by_procurement),
            None => std::borrow::Cow::Owned(procurement_totals(&self.records.expenditures)),
        }
    }

    /// Σ 支出凭证.金额 (reversals included) and the number of expenditures, by line code: over every voucher
    /// of the year, whether the books hold them all or only the notable ones with the totals.
    pub fn spending_by_line(&self) -> BTreeMap<String, LineSpending> {
        let mut out: BTreeMap<String, LineSpending> = BTreeMap::new();
        for ((_, line, _), t) in self.month_totals().iter().filter(|(_, t)| t.expenditures != 0) {
            let s = out.entry(line.clone()).or_default();
            s.amount += t.spending;
            s.expenditures += t.expenditures;
        }
        out
    }

    /// Everything paid out of a line, reversals included.
    pub fn line_spending(&self, line_code: &str) -> Fen {
        self.month_totals().iter().filter(|((_, line, _), _)| line == line_code).map(|(_, t)| t.spending).sum()
    }

    /// What was paid out of the lines that satisfy `keep`, with the lines that carry spending.
    pub fn spending_where(&self, keep: impl Fn(&AppropriationLine) -> bool) -> SpendingSum {
        self.spending_by(keep, |_| ()).remove(&()).unwrap_or_default()
    }

    /// [`Books::spending_where`] grouped by `key` of the line (its economic code, function code …), in key order;
    /// a group whose lines carry no expenditure is left out.
    pub fn spending_by<K: Ord>(
        &self,
        keep: impl Fn(&AppropriationLine) -> bool,
        key: impl Fn(&AppropriationLine) -> K,
    ) -> BTreeMap<K, SpendingSum> {
        let by_line = self.spending_by_line();
        let mut out: BTreeMap<K, SpendingSum> = BTreeMap::new();
        for l in self.records.appropriation_lines.iter().filter(|l| keep(l)) {
            if let Some(s) = by_line.get(&l.line_code) {
                let group = out.entry(key(l)).or_default();
                group.amount += s.amount;
                group.expenditures += s.expenditures;
                group.lines.push(l.line_code.clone());
            }
        }
        out
    }

    /// What was paid in the year, on any line (known or not), reversals included.
    pub fn spending_total(&self) -> SpendingSum {
        let mut out = SpendingSum::default();
        for (line, s) in self.spending_by_line() {
            out.amount += s.amount;
            out.expenditures += s.expenditures;
            out.lines.push(line);
        }
        out
    }

    /// Σ 支出凭证.金额 dated in or before month `period` (`yyyymm`), reversals included.
    pub fn spending_through(&self, period: i32) -> Fen {
        self.month_totals().iter().filter(|((_, _, p), _)| *p <= period).map(|(_, t)| t.spending).sum()
    }

    /// The lines that satisfy `keep`.
    pub fn lines_where<'a>(&'a self, keep: impl Fn(&AppropriationLine) -> bool + 'a) -> impl Iterator<Item = &'a AppropriationLine> + 'a {
        self.records.appropriation_lines.iter().filter(move |l| keep(l))
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

#[cfg(test)]
mod summary_tests {
    //! Books in summary form must give the same findings, evaluation and report as the books they summarize.
    use super::*;
    use crate::date::Date;
    use crate::evaluation::framework::Rules;
    use crate::evaluation::{EvaluationInput, evaluate};
    use crate::fixture::{books, date};
    use crate::money::Fen;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        /// A payment: line index, amount in 分, month (0 = the prior December, 13 = the next January), procurement.
        Pay { line: usize, amount: i64, month: u32, procurement: usize },
        /// Reverses the n-th payment not yet reversed (modulo their number).
        Reverse(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..3usize, 1..3_000_000i64, 0..14u32, 0..4usize).prop_map(|(line, amount, month, procurement)| Op::Pay { line, amount, month, procurement }),
            1 => any::<usize>().prop_map(Op::Reverse),
        ]
    }

    fn expenditure(no: String, line: &str, amount: i64, d: Date, procurement: Option<&str>, reverses: Option<String>) -> Expenditure {
        Expenditure {
            voucher_no: no,
            year: 2020,
            date: d,
            line_code: line.into(),
            amount: Fen(amount),
            payee: "某公司".into(),
            purpose: "用途".into(),
            procurement_ref: procurement.map(str::to_string),
            reverses,
            recorded_by: None,
            note: None,
        }
    }

    /// The fixture with the payments of `ops` (reversals always valid, as the importer guarantees), a
    /// procurement CG1 and, when `threshold` is set, a 三重一大 policy.
    fn books_with(ops: &[Op], threshold: Option<i64>) -> Books {
        let mut b = books();
        b.records.procurements.push(Procurement {
            procurement_code: "CG1".into(),
            year: 2020,
            date: date("2020-03-01"),
            project_code: Some("XM1".into()),
            item: "设备".into(),
            method: ProcurementMethod::RequestForQuotation,
            is_government_procurement: false,
            budget_amount: Some(Fen(2_000_000)),
            contract_amount: Fen(1_500_000),
            supplier: None,
            contract_no: None,
            accepted_on: None,
            note: None,
        });
        if let Some(t) = threshold {
            b.records.major_decision_policies.push(MajorDecisionPolicy {
                policy_code: "ZD1".into(),
                year: 2020,
                threshold: Fen(t),
                document: "办法".into(),
                adopted_on: date("2020-01-01"),
            });
        }
        let mut open: Vec<usize> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            match *op {
                Op::Pay { line, amount, month, procurement } => {
                    let d = match month {
                        0 => date("2019-12-20"),
                        13 => date("2021-01-05"),
                        m => Date::new(2020, m, 15).expect("a valid day"),
                    };
                    let line = ["B1", "P1", "X9"][line];
                    let procurement = [None, None, Some("CG1"), Some("CG-UNKNOWN")][procurement];
                    open.push(b.records.expenditures.len());
                    b.records.expenditures.push(expenditure(format!("G{i}"), line, amount, d, procurement, None));
                }
                Op::Reverse(n) if !open.is_empty() => {
                    let original = b.records.expenditures[open.remove(n % open.len())].clone();
                    let reversal = expenditure(
                        format!("R{i}"),
                        &original.line_code,
                        -original.amount.0,
                        date("2020-12-30"),
                        original.procurement_ref.as_deref(),
                        Some(original.voucher_no),
                    );
                    b.records.expenditures.push(reversal);
                }
                Op::Reverse(_) => {}
            }
        }
        b
    }

    fn outputs(b: &Books) -> (Vec<crate::finding::Finding>, crate::evaluation::Evaluation, serde_json::Value) {
        let findings = crate::check::check(b);
        let rules = Rules::for_unit(&b.unit.region_code, b.year.year).expect("the fixture's region has rules");
        let evaluation = evaluate(&EvaluationInput { books: b, prior: None, findings: &findings }, &rules);
        let model = crate::report_model::build(b, Some(&evaluation));
        (findings, evaluation, serde_json::to_value(model).expect("the model serializes"))
    }

    #[test]
    fn summary_keeps_only_notable_vouchers() {
        let ops = [
            Op::Pay { line: 0, amount: 100, month: 5, procurement: 0 },
            Op::Pay { line: 0, amount: 2_000_000, month: 5, procurement: 0 },
            Op::Pay { line: 1, amount: 300, month: 5, procurement: 2 },
            Op::Pay { line: 0, amount: 400, month: 13, procurement: 0 },
            Op::Reverse(1),
            Op::Pay { line: 1, amount: 500, month: 7, procurement: 3 },
        ];
        let full = books_with(&ops, Some(1_000_000));
        let summary = full.summarize();
        let kept: Vec<&str> = summary.records.expenditures.iter().map(|e| e.voucher_no.as_str()).collect();
        // The 大额 payment G1 and its reversal R4, the next-year G3, G5 of an unknown procurement — not G0, the
        // payment G2 of the known procurement CG1 (counted in the totals) nor the fixture's ZC1 and ZC2.
        assert_eq!(kept, ["G1", "G3", "R4", "G5"]);
        assert_eq!(summary.spending_total(), full.spending_total());
        assert_eq!(summary.spending_total().expenditures, 8);
        assert_eq!(summary.procurement_spending(), full.procurement_spending());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn summary_books_give_the_same_findings_evaluation_and_report(ops in proptest::collection::vec(op(), 0..40), threshold in proptest::option::of(100_000i64..2_000_000)) {
            let full = books_with(&ops, threshold);
            let summary = full.summarize();
            prop_assert!(summary.records.expenditures.len() <= full.records.expenditures.len());
            let (f1, e1, m1) = outputs(&full);
            let (f2, e2, m2) = outputs(&summary);
            prop_assert_eq!(f1, f2);
            prop_assert_eq!(e1, e2);
            prop_assert_eq!(m1, m2);
        }
    }
}

#[cfg(test)]
mod naming_tests {
    use crate::fixture;

    /// A 项 the embedded edition does not list keeps the name the unit published (原报科目名称) in the report,
    /// after the 类/款 names the edition does know; a listed code keeps its edition name.
    #[test]
    fn unconfirmed_function_code_is_named_by_the_lines_reported_name() {
        let mut books = fixture::books();
        let known = books.records.appropriation_lines[0].function_code.clone();
        let known_name = books.code_tables().unwrap().function(&known).unwrap().name.clone();
        assert_eq!(books.function_name(&known), known_name);
        books.records.appropriation_lines[1].function_code = "2060798".into();
        assert_eq!(books.function_name("2060798"), "科目2060798");
        books.records.appropriation_lines[1].reported_name = Some(" 其他科普支出 ".into());
        assert_eq!(books.function_name("2060798"), "其他科普支出");
        let path = books.function_path("2060798");
        assert!(path.starts_with("科学技术支出") && path.ends_with("-其他科普支出"), "{path}");
        assert_eq!(books.function_path("9990101"), "科目9990101");
    }
}
