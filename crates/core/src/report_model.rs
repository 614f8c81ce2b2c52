//! The figures of the 部门整体支出绩效自评报告, computed from one unit-year's books. Every figure carries
//! what it is, how it was computed and the records behind it; a figure whose records are missing says so
//! (「缺少数据：…」) instead of showing a number. Rendering (Markdown, HTML) is the report crate's job.

use crate::books::Books;
use crate::books::{SpendingSum, spending_refs};
use crate::codes::ExpenseGroup;
use crate::evaluation::Evaluation;
use crate::finding::RecordRef;
use crate::money::{BasisPoints, Fen, MoneyUnit};
use crate::records::*;
use crate::sections::report_sections;
use serde::Serialize;
use std::collections::BTreeMap;

pub mod evaluation_figures;

/// How many source records a figure lists by key; the count is always complete.
const LISTED_SOURCES: usize = 30;

/// A printed figure and its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Position in the report's trace table (1-based).
    pub id: usize,
    /// As printed: `242.96`, `86.98%`, `4`, or 「缺少数据：…」.
    pub text: String,
    pub missing: bool,
    /// What the figure is, e.g. 财政拨款收入合计（万元）.
    pub label: String,
    /// How it was computed.
    pub formula: String,
    pub source_count: usize,
    /// Up to LISTED_SOURCES of the records it was computed from.
    pub sources: Vec<RecordRef>,
    /// The number the text prints, for writers that need it as a number (a spreadsheet cell, a chart);
    /// `None` for a missing figure and for text that is not one number (「2/2 项满足」).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
}

/// The number behind a [`Figure`]'s text, in the exact unit it is computed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Quantity {
    Money(Fen),
    Rate(BasisPoints),
    Count(i64),
    /// 分值 or 得分, in hundredths of a point.
    Points(crate::evaluation::Points),
}

impl Figure {
    /// A figure that is not allocated by a report model's tracer (the evaluation tables, other report kinds):
    /// `id` is its row in the trace table the caller keeps.
    pub fn new(
        id: usize,
        text: impl Into<String>,
        label: impl Into<String>,
        formula: impl Into<String>,
        sources: Vec<RecordRef>,
        quantity: Option<Quantity>,
    ) -> Figure {
        Figure {
            id,
            text: text.into(),
            missing: false,
            label: label.into(),
            formula: formula.into(),
            source_count: sources.len(),
            sources: sources.into_iter().take(LISTED_SOURCES).collect(),
            quantity,
        }
    }
}

/// Allocates figure ids in report order and keeps every figure for the trace table.
#[derive(Default)]
pub(crate) struct Tracer {
    pub(crate) figures: Vec<Figure>,
    /// How money is printed: 万元 (the default) or 元.
    pub(crate) unit: MoneyUnit,
}

impl Tracer {
    pub(crate) fn add(&mut self, text: String, label: &str, formula: &str, sources: Vec<RecordRef>) -> Figure {
        self.add_quantity(text, label, formula, sources, None)
    }

    pub(crate) fn add_quantity(
        &mut self,
        text: String,
        label: &str,
        formula: &str,
        sources: Vec<RecordRef>,
        quantity: Option<Quantity>,
    ) -> Figure {
        let f = Figure::new(self.figures.len() + 1, text, label, formula, sources, quantity);
        self.figures.push(f.clone());
        f
    }

    pub(crate) fn money(&mut self, amount: Fen, label: &str, formula: &str, sources: Vec<RecordRef>) -> Figure {
        let label = if self.unit == MoneyUnit::Wan {
            label.to_string()
        } else {
            label.replace("（万元）", &format!("（{}）", self.unit.label()))
        };
        self.add_quantity(amount.in_unit(self.unit), &label, formula, sources, Some(Quantity::Money(amount)))
    }

    pub(crate) fn missing(&mut self, what: &str, label: &str) -> Figure {
        let mut f = self.add(format!("「缺少数据：{what}」"), label, "无法计算", vec![]);
        f.missing = true;
        if let Some(last) = self.figures.last_mut() {
            last.missing = true;
        }
        f
    }

    /// A rate in percent with two decimals, or 「缺少数据」 when the denominator is zero.
    pub(crate) fn rate(&mut self, numerator: Fen, denominator: Fen, label: &str, formula: &str, sources: Vec<RecordRef>) -> Figure {
        match BasisPoints::ratio(numerator.0, denominator.0) {
            Some(bp) => {
                self.add_quantity(bp.percent_string(), label, &format!("{formula}（四舍五入到0.01%）"), sources, Some(Quantity::Rate(bp)))
            }
            None => self.missing(&format!("{label}的分母为零"), label),
        }
    }

    /// A spending figure: its amount, traced to the lines that carry it (each line's vouchers are its
    /// 明细账) with the number of vouchers summed.
    pub(crate) fn spending(&mut self, spent: &SpendingSum, label: &str, formula: &str) -> Figure {
        self.money(spent.amount, label, &format!("{formula}；{} 张凭证", spent.expenditures), spending_refs(spent))
    }

    pub(crate) fn count(&mut self, n: i64, label: &str, formula: &str, sources: Vec<RecordRef>) -> Figure {
        self.add_quantity(n.to_string(), label, formula, sources, Some(Quantity::Count(n)))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StaffingRow {
    pub category: String,
    pub authorized: Figure,
    pub actual: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct StaffingFigures {
    /// 编制数 and 年底实有在职人数: the 在职 categories.
    pub authorized: Figure,
    pub actual: Figure,
    /// Each 在职 category, when there are several.
    pub rows: Vec<StaffingRow>,
    /// The one 在职 category, when there is only one (nothing to split).
    pub only_category: Option<String>,
    /// 离退休人员 and 编外人员 (实有人数), when recorded.
    pub retired: Option<Figure>,
    pub outside_establishment: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassAmount {
    pub code: String,
    pub name: String,
    pub amount: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct Income {
    /// 财政拨款收入合计 (一般公共预算 + 政府性基金 + 国有资本经营).
    pub fiscal_total: Figure,
    pub by_class: Vec<ClassAmount>,
    /// Receipts of own funds (上级补助收入, 事业收入, 经营收入 …), if any.
    pub other_total: Option<Figure>,
    /// The same by 收入类别, in the order of the 部门决算.
    pub other_by_kind: Vec<NamedAmount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedAmount {
    pub name: String,
    pub amount: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct Spending {
    pub annual_budget: Figure,
    pub initial_budget: Figure,
    pub adjustments: Figure,
    pub carry_over: Figure,
    pub total: Figure,
    pub execution_rate: Figure,
    pub unspent: Figure,
    pub basic: Figure,
    pub personnel: Figure,
    pub personnel_items: Vec<NamedAmount>,
    pub public_use: Figure,
    pub public_use_items: Vec<NamedAmount>,
    pub sangong_spent: Figure,
    pub sangong_budget: Figure,
    pub sangong_items: Vec<NamedAmount>,
    pub project: Figure,
    /// Project spending grouped by function code, as the seed writes it.
    pub project_by_function: Vec<ProjectFunctionLine>,
    /// 收支平衡 by fund source, then 合计 (`balance::fund_balances`).
    pub balance: Vec<BalanceRow>,
}

/// One row of the 收支 identity (年初结转和结余 + 本年收入 = 本年支出 + 结余分配/缴回 + 年末结转和结余).
#[derive(Debug, Clone, Serialize)]
pub struct BalanceRow {
    /// The fund source's name, or 合计.
    pub source: String,
    pub opening: Figure,
    pub income: Figure,
    pub spending: Figure,
    pub returned: Figure,
    pub closing: Figure,
}

const CLOSING_FORMULA: &str = "年初结转和结余 + 本年收入 − 本年支出 − 结余分配/缴回（收支平衡）";

#[derive(Debug, Clone, Serialize)]
pub struct ProjectFunctionLine {
    pub function_code: String,
    pub function_path: String,
    pub projects: Vec<String>,
    pub spent: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    /// 指标编码.
    pub code: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub direction: String,
    pub target: String,
    pub actual: String,
    pub unit: String,
    pub evidence: String,
    pub deviation_reason: String,
}

impl IndicatorRow {
    /// 年度指标值 as printed: 「≥6场」, or a qualitative target as written.
    pub fn target_text(&self) -> String {
        crate::evaluation::target_text(&self.direction, &self.target, &self.unit)
    }

    /// 实际完成值 as printed: 「6场」; the 「缺少数据：实际完成值」 marker takes no unit after it.
    pub fn actual_text(&self) -> String {
        crate::evaluation::actual_text(&self.direction, &self.actual, &self.unit)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectSummary {
    pub code: String,
    pub name: String,
    pub is_key: bool,
    pub function_paths: Vec<String>,
    pub budget: Figure,
    pub spent: Figure,
    pub execution_rate: Figure,
    pub goal: String,
    pub outcome: Option<String>,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FundBlock {
    pub present: bool,
    pub budget: Option<Figure>,
    pub spent: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodRow {
    pub method: String,
    pub count: Figure,
    pub amount: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcurementSummary {
    pub count: Figure,
    pub total: Figure,
    pub government_total: Figure,
    pub by_method: Vec<MethodRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    pub date: String,
    pub kind: String,
    pub subject: String,
    pub amount: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetSummary {
    pub count: Figure,
    pub original_value: Figure,
    pub in_use_value: Figure,
    pub utilization_rate: Figure,
    /// 本年计提折旧 of the held assets whose class has a useful life (straight-line, `assets.rs`).
    pub depreciation: Figure,
    /// 年末账面净值 of the same assets.
    pub net_value: Figure,
    /// Held assets whose 资产类别 maps to no depreciation class: named, not guessed.
    pub undepreciated: Vec<String>,
    /// 本年经批准处置 / 调拨 (asset events of the year).
    pub disposals: Figure,
    pub transfers: Figure,
    /// 盘点: assets counted in the year's inventory, and those not found (盘亏); none when no count was recorded.
    pub counted: Option<Figure>,
    pub missing: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutputRow {
    pub activity: String,
    pub output: String,
    pub value: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct Prose {
    pub id: String,
    pub title: String,
    /// The unit's text, or 「缺少数据：…」 when a required section has none.
    pub text: Option<String>,
    /// The text split at blank lines.
    pub paragraphs: Vec<String>,
    pub missing: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportModel {
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    pub year: i32,
    /// 万元 or 元: how the money figures are printed.
    pub money_unit: &'static str,
    pub duties: Vec<String>,
    /// The internal offices (内设机构), without the 「无内设机构」 marker.
    pub offices: Vec<Office>,
    /// The unit says it has no internal offices (an office named 「无内设机构」).
    pub no_offices: bool,
    pub staffing: StaffingFigures,
    pub income: Income,
    pub spending: Spending,
    pub projects: Vec<ProjectSummary>,
    pub government_fund: FundBlock,
    pub state_capital: FundBlock,
    pub procurement: ProcurementSummary,
    pub control_documents: Vec<String>,
    pub decisions: Vec<DecisionRow>,
    pub assets: AssetSummary,
    pub outputs: Vec<OutputRow>,
    /// Prose by section id.
    pub prose: BTreeMap<String, Prose>,
    pub report_date: Option<String>,
    /// The scored evaluation (绩效自评), when one was run.
    pub evaluation: Option<Evaluation>,
    pub evaluation_total: Option<Figure>,
    /// Every indicator that lost points and why: the computed part of 存在的主要问题.
    pub problems: Vec<String>,
    /// Every figure, in order, for the trace table.
    pub figures: Vec<Figure>,
}

fn refs<'a, T: 'a>(kind: &'static str, items: impl IntoIterator<Item = &'a T>, key: impl Fn(&T) -> &String) -> Vec<RecordRef> {
    items.into_iter().map(|x| RecordRef::new(kind, key(x).clone())).collect()
}

/// How an output count is written in prose: 近2万人, 300多人, 1869人.
pub fn quantity_text(quantity: i64, qualifier: QuantityQualifier, unit: &str) -> String {
    let number = if quantity >= 10_000 && quantity % 10_000 == 0 { format!("{}万", quantity / 10_000) } else { quantity.to_string() };
    match qualifier {
        QuantityQualifier::Exact => format!("{number}{unit}"),
        QuantityQualifier::Nearly => format!("近{number}{unit}"),
        QuantityQualifier::MoreThan => format!("{number}多{unit}"),
        QuantityQualifier::About => format!("约{number}{unit}"),
    }
}

/// Builds the report model, money in 万元. Pure: the same books (and evaluation) give the same model.
pub fn build(books: &Books, evaluation: Option<&Evaluation>) -> ReportModel {
    build_in(books, evaluation, MoneyUnit::Wan)
}

/// [`build`] with money printed in `unit` (万元 or 元).
pub fn build_in(books: &Books, evaluation: Option<&Evaluation>, unit: MoneyUnit) -> ReportModel {
    let mut t = Tracer { figures: vec![], unit };
    let r = &books.records;
    let year = books.year.year;
    let tables = books.code_tables();
    let function_path = |code: &str| books.function_path(code);
    let economic_name = |code: &str| tables.and_then(|t| t.economic(code)).map(|e| e.name.clone()).unwrap_or_else(|| format!("科目{code}"));

    // 一、部门基本情况 — staffing.
    let in_service: Vec<&crate::records::Staffing> = r.staffing.iter().filter(|s| s.status() == StaffStatus::InService).collect();
    let staff_refs = refs("staffing", in_service.iter().copied(), |s| &s.category);
    let staffing = if in_service.is_empty() {
        StaffingFigures {
            authorized: t.missing("人员编制（编制数）", "编制数（人）"),
            actual: t.missing("人员编制（实有人数）", "实有人数（人）"),
            rows: vec![],
            only_category: None,
            retired: None,
            outside_establishment: None,
        }
    } else {
        StaffingFigures {
            authorized: t.count(
                in_service.iter().map(|s| s.authorized).sum(),
                "编制数（人）",
                "Σ 人员编制.编制数（在职类别）",
                staff_refs.clone(),
            ),
            actual: t.count(
                in_service.iter().map(|s| s.actual).sum(),
                "年底实有在职人数（人）",
                "Σ 人员编制.实有人数（在职类别）",
                staff_refs,
            ),
            only_category: (in_service.len() == 1).then(|| in_service[0].category.clone()),
            retired: None,
            outside_establishment: None,
            rows: in_service
                .iter()
                .filter(|_| in_service.len() > 1)
                .map(|s| StaffingRow {
                    category: s.category.clone(),
                    authorized: t.count(
                        s.authorized,
                        &format!("{}编制数", s.category),
                        "人员编制.编制数",
                        vec![RecordRef::new("staffing", &s.category)],
                    ),
                    actual: t.count(
                        s.actual,
                        &format!("{}实有人数", s.category),
                        "人员编制.实有人数",
                        vec![RecordRef::new("staffing", &s.category)],
                    ),
                })
                .collect(),
        }
    };

    let mut staffing = staffing;
    let mut counted = |status: StaffStatus, label: &str| {
        let rows: Vec<&crate::records::Staffing> = r.staffing.iter().filter(|s| s.status() == status).collect();
        (!rows.is_empty()).then(|| {
            t.count(
                rows.iter().map(|s| s.actual).sum(),
                label,
                "Σ 人员编制.实有人数",
                refs("staffing", rows.iter().copied(), |s| &s.category),
            )
        })
    };
    staffing.retired = counted(StaffStatus::Retired, "离退休人员（人）");
    staffing.outside_establishment = counted(StaffStatus::OutsideEstablishment, "编外人员（人）");

    // Income: 财政拨款收入 by function class.
    let fiscal: Vec<&Receipt> = r.receipts.iter().filter(|x| x.fund_source.is_fiscal()).collect();
    let fiscal_total = if fiscal.is_empty() {
        t.missing("财政拨款收入凭证", "财政拨款收入合计（万元）")
    } else {
        t.money(
            fiscal.iter().map(|x| x.amount).sum(),
            "财政拨款收入合计（万元）",
            "Σ 收入凭证.金额（资金来源为一般公共预算、政府性基金、国有资本经营）",
            refs("receipts", fiscal.iter().copied(), |x| &x.voucher_no),
        )
    };
    let mut by_class: BTreeMap<String, Vec<&Receipt>> = BTreeMap::new();
    for x in &fiscal {
        by_class.entry(x.function_code.chars().take(3).collect()).or_default().push(x);
    }
    let by_class = by_class
        .into_iter()
        .map(|(code, receipts)| {
            let name = books.function_name(&code);
            // A record's 备注 is an internal note: it stays in the trace (the formula), never in the report's text.
            let mut notes: Vec<String> = receipts.iter().filter_map(|x| x.note.clone()).filter(|n| !n.trim().is_empty()).collect();
            notes.sort();
            notes.dedup();
            let noted = if notes.is_empty() { String::new() } else { format!("；备注：{}", notes.join("；")) };
            ClassAmount {
                amount: t.money(
                    receipts.iter().map(|x| x.amount).sum(),
                    &format!("财政拨款收入：{name}（万元）"),
                    &format!("Σ 收入凭证.金额（功能科目类 {code}）{noted}"),
                    refs("receipts", receipts.iter().copied(), |x| &x.voucher_no),
                ),
                code,
                name,
            }
        })
        .collect();
    let others: Vec<&Receipt> = r.receipts.iter().filter(|x| !x.fund_source.is_fiscal()).collect();
    let other_total = (!others.is_empty()).then(|| {
        t.money(
            others.iter().map(|x| x.amount).sum(),
            "其他资金收入（万元）",
            "Σ 收入凭证.金额（资金来源非财政拨款）",
            refs("receipts", others.iter().copied(), |x| &x.voucher_no),
        )
    });
    let mut other_kinds: BTreeMap<IncomeKind, Vec<&Receipt>> = BTreeMap::new();
    for x in &others {
        other_kinds.entry(x.fund_source.income_kind()).or_default().push(x);
    }
    let other_by_kind = other_kinds
        .into_iter()
        .map(|(kind, receipts)| NamedAmount {
            name: kind.label().to_string(),
            amount: t.money(
                receipts.iter().map(|x| x.amount).sum(),
                &format!("{}（万元）", kind.label()),
                &format!("Σ 收入凭证.金额（收入类别 {}）", kind.label()),
                refs("receipts", receipts.iter().copied(), |x| &x.voucher_no),
            ),
        })
        .collect();
    let income = Income { fiscal_total, by_class, other_total, other_by_kind };

    // 二、支出 — budget and spending.
    let voucher_refs =
        |keep: &dyn Fn(&BudgetVoucher) -> bool| refs("budget_vouchers", r.budget_vouchers.iter().filter(|v| keep(v)), |v| &v.voucher_no);
    let budgets: Vec<_> = r.appropriation_lines.iter().map(|l| books.line_budget(&l.line_code)).collect();
    let annual: Fen = budgets.iter().map(|b| b.annual()).sum();
    let spending_total = books.spending_total();
    let spent_all = spending_total.amount;
    let has_spending = spending_total.expenditures > 0;
    let has_budget = !r.budget_vouchers.is_empty();
    let annual_budget = if has_budget {
        t.money(annual, "全年预算数（万元）", "Σ 指标变动凭证（上年结转 + 年初预算 + 追加 − 调减 ± 调剂）", voucher_refs(&|_| true))
    } else {
        t.missing("预算指标变动凭证", "全年预算数（万元）")
    };
    let initial_budget = t.money(
        budgets.iter().map(|b| b.initial).sum(),
        "年初预算数（万元）",
        "Σ 指标变动凭证（年初预算）",
        voucher_refs(&|v| v.kind == BudgetVoucherKind::Initial),
    );
    let adjustments = t.money(
        budgets.iter().map(|b| b.adjustments).sum(),
        "年中调整数（万元）",
        "Σ 指标变动凭证（追加 − 调减 ± 调剂）",
        voucher_refs(&|v| matches!(v.kind, BudgetVoucherKind::Addition | BudgetVoucherKind::Reduction | BudgetVoucherKind::Transfer)),
    );
    let carry_over = t.money(
        budgets.iter().map(|b| b.carry_over).sum(),
        "上年结转（万元）",
        "Σ 指标变动凭证（上年结转）",
        voucher_refs(&|v| v.kind == BudgetVoucherKind::CarryOver),
    );
    let total = if has_spending {
        t.spending(&spending_total, "本年支出合计（万元）", "Σ 支出凭证.金额（含冲销）")
    } else {
        t.missing("支出凭证", "本年支出合计（万元）")
    };
    let execution_rate = if has_budget && has_spending {
        t.rate(spent_all, annual, "预算执行率", "本年支出合计 ÷ 全年预算数 × 100%", vec![])
    } else {
        t.missing("预算指标或支出凭证", "预算执行率")
    };
    let balances = crate::balance::fund_balances(books);
    let unspent = t.money(balances.total().closing(), "年末结转和结余（万元）", CLOSING_FORMULA, vec![]);

    let basic = t.spending(
        &books.spending_where(|l| l.spending_kind == SpendingKind::Basic),
        "基本支出（万元）",
        "Σ 支出凭证.金额（基本支出指标）",
    );
    let mut group_figures = |group: ExpenseGroup, label: &str| {
        let in_group = |l: &AppropriationLine| l.spending_kind == SpendingKind::Basic && books.expense_group(l) == Some(group);
        let total = t.spending(
            &books.spending_where(in_group),
            &format!("{label}（万元）"),
            &format!("Σ 支出凭证.金额（基本支出指标，经济科目属{label}）"),
        );
        let mut named: Vec<(Fen, NamedAmount)> = books
            .spending_by(in_group, |l| l.economic_code.clone())
            .into_iter()
            .map(|(code, spent)| {
                let name = economic_name(&code);
                (
                    spent.amount,
                    NamedAmount {
                        amount: t.spending(&spent, &format!("{label}：{name}（万元）"), &format!("Σ 支出凭证.金额（经济科目 {code}）")),
                        name,
                    },
                )
            })
            .collect();
        named.sort_by_key(|n| std::cmp::Reverse(n.0));
        (total, named.into_iter().map(|(_, n)| n).collect::<Vec<_>>())
    };
    let (personnel, personnel_items) = group_figures(ExpenseGroup::Personnel, "人员经费");
    let (public_use, public_use_items) = group_figures(ExpenseGroup::PublicUse, "公用经费");

    let sangong_lines: Vec<&AppropriationLine> = books.lines_where(|l| books.sangong_kind(l).is_some()).collect();
    let sangong_spent = t.spending(
        &books.spending_where(|l| books.sangong_kind(l).is_some()),
        "三公经费支出（万元）",
        "Σ 支出凭证.金额（经济科目 30212 因公出国（境）费、30217 公务接待费、30231 公务用车运行维护费、31013 公务用车购置）",
    );
    let sangong_budget = t.money(
        sangong_lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum(),
        "三公经费预算（万元）",
        "Σ 全年预算数（三公经费科目指标）",
        refs("appropriation_lines", sangong_lines.iter().copied(), |l| &l.line_code),
    );
    let sangong_items = books
        .spending_by(|l| books.sangong_kind(l).is_some(), |l| books.sangong_kind(l).map_or("", |k| k.label()))
        .into_iter()
        .map(|(name, spent)| NamedAmount {
            amount: t.spending(&spent, &format!("{name}（万元）"), "Σ 支出凭证.金额"),
            name: name.to_string(),
        })
        .collect();

    let project = t.spending(
        &books.spending_where(|l| l.spending_kind == SpendingKind::Project),
        "项目支出（万元）",
        "Σ 支出凭证.金额（项目支出指标）",
    );
    let project_by_function = books
        .spending_by(|l| l.spending_kind == SpendingKind::Project, |l| l.function_code.clone())
        .into_iter()
        .map(|(code, spent)| {
            let mut projects: Vec<String> = books
                .lines_where(|l| l.spending_kind == SpendingKind::Project && l.function_code == code)
                .filter_map(|l| l.project_code.as_deref().and_then(|p| books.project(p)).map(|p| p.name.clone()))
                .collect();
            projects.dedup();
            let path = function_path(&code);
            ProjectFunctionLine {
                spent: t.spending(
                    &spent,
                    &format!("项目支出：{path}（万元）"),
                    &format!("Σ 支出凭证.金额（项目支出指标，功能科目 {code}）"),
                ),
                function_path: path,
                function_code: code,
                projects,
            }
        })
        .collect();

    let spending = Spending {
        annual_budget,
        initial_budget,
        adjustments,
        carry_over,
        total,
        execution_rate,
        unspent,
        basic,
        personnel,
        personnel_items,
        public_use,
        public_use_items,
        sangong_spent,
        sangong_budget,
        sangong_items,
        project,
        project_by_function,
        balance: vec![],
    };

    // Projects.
    let indicators = books.project_indicators();
    let projects = r
        .projects
        .iter()
        .map(|p| {
            let lines: Vec<&AppropriationLine> =
                books.lines_where(|l| l.project_code.as_deref() == Some(p.project_code.as_str())).collect();
            let budget: Fen = lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum();
            let spending = books.spending_where(|l| l.project_code.as_deref() == Some(p.project_code.as_str()));
            let spent = spending.amount;
            let line_refs = refs("appropriation_lines", lines.iter().copied(), |l| &l.line_code);
            let mut paths: Vec<String> =
                lines.iter().map(|l| format!("{}（{}）", function_path(&l.function_code), l.function_code)).collect();
            paths.sort();
            paths.dedup();
            ProjectSummary {
                code: p.project_code.clone(),
                name: p.name.clone(),
                is_key: p.is_key,
                function_paths: paths,
                budget: t.money(budget, &format!("{}全年预算数（万元）", p.name), "Σ 该项目指标的全年预算数", line_refs),
                spent: t.spending(&spending, &format!("{}全年执行数（万元）", p.name), "Σ 该项目指标的支出凭证"),
                execution_rate: t.rate(spent, budget, &format!("{}执行率", p.name), "全年执行数 ÷ 全年预算数 × 100%", vec![]),
                goal: p.goal.clone(),
                outcome: p.outcome.clone(),
                indicators: indicators
                    .iter()
                    .filter(|i| i.project_code == p.project_code)
                    .map(|i| IndicatorRow {
                        code: i.indicator_code.clone(),
                        level1: i.level1.clone(),
                        level2: i.level2.clone(),
                        level3: i.level3.clone(),
                        direction: i.direction.label().to_string(),
                        target: i.target.clone(),
                        actual: i.actual.clone().unwrap_or_else(|| "「缺少数据：实际完成值」".into()),
                        unit: i.unit.clone().unwrap_or_default(),
                        evidence: i.evidence.clone().unwrap_or_default(),
                        deviation_reason: i.deviation_reason.clone().unwrap_or_default(),
                    })
                    .collect(),
            }
        })
        .collect();

    // 政府性基金 / 国有资本经营: present only when lines of that source exist.
    let mut fund_block = |source: FundSource| {
        let lines: Vec<&AppropriationLine> = books.lines_where(|l| l.fund_source == source).collect();
        if lines.is_empty() {
            return FundBlock { present: false, budget: None, spent: None };
        }
        FundBlock {
            present: true,
            budget: Some(t.money(
                lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum(),
                &format!("{}预算（万元）", source.label()),
                "Σ 全年预算数",
                refs("appropriation_lines", lines.iter().copied(), |l| &l.line_code),
            )),
            spent: Some(t.spending(
                &books.spending_where(|l| l.fund_source == source),
                &format!("{}支出（万元）", source.label()),
                "Σ 支出凭证.金额",
            )),
        }
    };
    let government_fund = fund_block(FundSource::GovernmentFund);
    let state_capital = fund_block(FundSource::StateCapital);

    // 三、项目组织实施 — procurement, controls, 三重一大.
    let proc_refs = |items: &[&Procurement]| refs("procurements", items.iter().copied(), |p| &p.procurement_code);
    let all_proc: Vec<&Procurement> = r.procurements.iter().collect();
    let gov: Vec<&Procurement> = all_proc.iter().copied().filter(|p| p.is_government_procurement).collect();
    let mut by_method: BTreeMap<ProcurementMethod, Vec<&Procurement>> = BTreeMap::new();
    for p in &all_proc {
        by_method.entry(p.method).or_default().push(p);
    }
    let procurement = ProcurementSummary {
        count: t.count(all_proc.len() as i64, "采购项目数（个）", "采购记录条数", proc_refs(&all_proc)),
        total: t.money(
            all_proc.iter().map(|p| p.contract_amount).sum(),
            "采购合同金额（万元）",
            "Σ 采购记录.合同金额",
            proc_refs(&all_proc),
        ),
        government_total: t.money(
            gov.iter().map(|p| p.contract_amount).sum(),
            "政府采购金额（万元）",
            "Σ 采购记录.合同金额（政府采购）",
            proc_refs(&gov),
        ),
        by_method: by_method
            .into_iter()
            .map(|(m, ps)| MethodRow {
                method: m.label().to_string(),
                count: t.count(ps.len() as i64, &format!("{}项目数", m.label()), "采购记录条数", proc_refs(&ps)),
                amount: t.money(
                    ps.iter().map(|p| p.contract_amount).sum(),
                    &format!("{}金额（万元）", m.label()),
                    "Σ 采购记录.合同金额",
                    proc_refs(&ps),
                ),
            })
            .collect(),
    };
    let control_documents = r
        .control_documents
        .iter()
        .map(|d| format!("《{}》（{}印发）", d.name.trim_matches(['《', '》']), d.adopted_on.chinese()))
        .collect();
    let decisions = r
        .major_decisions
        .iter()
        .map(|d| DecisionRow {
            date: d.date.to_string(),
            kind: d.kind.label().to_string(),
            subject: d.subject.clone(),
            amount: d.amount.map(|a| {
                t.money(
                    a,
                    &format!("三重一大：{}（万元）", d.subject),
                    "三重一大记录.金额",
                    vec![RecordRef::new("major_decisions", &d.decision_code)],
                )
            }),
        })
        .collect();

    // 四、资产.
    // The status after approved disposals, transfers and the inventory count, as the evaluation counts it.
    let status = |a: &FixedAsset| crate::assets::effective_status(r, a);
    let held: Vec<&FixedAsset> = r.fixed_assets.iter().filter(|a| status(a) != AssetStatus::Disposed).collect();
    let in_use: Vec<&FixedAsset> = held.iter().copied().filter(|a| status(a) == AssetStatus::InUse).collect();
    let mut depreciated: Vec<(&FixedAsset, crate::assets::DepreciationYear)> = Vec::new();
    let mut undepreciated: Vec<String> = Vec::new();
    for a in &held {
        match crate::assets::depreciation_in(a, year) {
            Some((_, _, d)) => depreciated.push((*a, d)),
            None => undepreciated.push(format!("{}（{}）", a.name, a.category)),
        }
    }
    let depreciated_assets: Vec<&FixedAsset> = depreciated.iter().map(|(a, _)| *a).collect();
    let this_year =
        |keep: fn(&AssetEvent) -> bool| -> Vec<&AssetEvent> { r.asset_events.iter().filter(|e| e.year == year && keep(e)).collect() };
    let event_refs = |items: &[&AssetEvent]| refs("asset_events", items.iter().copied(), |e| &e.event_code);
    let (disposals, transfers) = (this_year(crate::assets::is_approved_disposal), this_year(|e| e.kind == AssetEventKind::Transfer));
    let counts: Vec<&AssetCount> = r.asset_counts.iter().filter(|c| c.year == year).collect();
    let not_found: Vec<&AssetCount> = counts.iter().copied().filter(|c| !c.found).collect();
    let count_refs = |items: &[&AssetCount]| refs("asset_counts", items.iter().copied(), |c| &c.count_code);
    let held_value: Fen = held.iter().map(|a| a.original_value).sum();
    let in_use_value: Fen = in_use.iter().map(|a| a.original_value).sum();
    let asset_refs = |items: &[&FixedAsset]| refs("fixed_assets", items.iter().copied(), |a| &a.asset_code);
    let assets = AssetSummary {
        count: t.count(held.len() as i64, "固定资产（件）", "资产条数（不含已处置）", asset_refs(&held)),
        original_value: t.money(held_value, "固定资产原值（万元）", "Σ 固定资产.原值（不含已处置）", asset_refs(&held)),
        in_use_value: t.money(in_use_value, "在用固定资产原值（万元）", "Σ 固定资产.原值（在用）", asset_refs(&in_use)),
        utilization_rate: t.rate(in_use_value, held_value, "固定资产利用率", "在用固定资产原值 ÷ 固定资产原值 × 100%", asset_refs(&held)),
        depreciation: t.money(
            depreciated.iter().map(|(_, d)| d.charge).sum(),
            "本年计提折旧（万元）",
            "Σ 按类别折旧年限直线法计提的本年折旧",
            asset_refs(&depreciated_assets),
        ),
        net_value: t.money(
            depreciated.iter().map(|(_, d)| d.net).sum(),
            "年末账面净值（万元）",
            "Σ（原值 − 累计折旧）",
            asset_refs(&depreciated_assets),
        ),
        undepreciated,
        disposals: t.count(disposals.len() as i64, "本年经批准处置（件）", "资产变动：处置且有批复文号", event_refs(&disposals)),
        transfers: t.count(transfers.len() as i64, "本年调拨（件）", "资产变动：调拨", event_refs(&transfers)),
        counted: (!counts.is_empty()).then(|| t.count(counts.len() as i64, "本年盘点（件）", "资产盘点记录数", count_refs(&counts))),
        missing: (!counts.is_empty())
            .then(|| t.count(not_found.len() as i64, "盘亏（件）", "资产盘点：实物不存在", count_refs(&not_found))),
    };

    // 五、绩效 — outputs.
    let outputs = r
        .activity_outputs
        .iter()
        .map(|o| OutputRow {
            activity: o.activity.clone(),
            output: o.output.clone(),
            value: t.add(
                quantity_text(o.quantity, o.qualifier, &o.unit),
                &format!("{}：{}", o.activity, o.output),
                "活动产出.数量",
                vec![RecordRef::new("activity_outputs", &o.output_code)],
            ),
        })
        .collect();

    let prose = report_sections()
        .iter()
        .map(|s| {
            let text = books.narrative(&s.id).map(str::to_string);
            let missing = (text.is_none() && s.required).then(|| format!("「缺少数据：报告文字「{}」未填写」", s.title));
            let paragraphs = text.iter().flat_map(|t| t.split("\n\n")).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
            (s.id.clone(), Prose { id: s.id.clone(), title: s.title.clone(), text, paragraphs, missing })
        })
        .collect();

    let evaluation_total = evaluation.map(|e| {
        let sources = e.indicators.iter().flat_map(|i| i.evidence.iter().cloned()).collect();
        t.add_quantity(
            e.total.to_string(),
            "部门整体支出绩效自评总分（分）",
            &format!("Σ 各指标得分（{}）", e.framework),
            sources,
            Some(Quantity::Points(e.total)),
        )
    });
    // 收支平衡, by fund source: traced last so that the other figures keep their places in the trace table.
    let row = |t: &mut Tracer, name: &str, b: crate::balance::FundBalance| {
        let label = |what: &str| format!("{name}：{what}（万元）");
        BalanceRow {
            source: name.to_string(),
            opening: t.money(b.opening, &label("年初结转和结余"), "Σ 指标变动凭证（上年结转）", vec![]),
            income: t.money(b.income, &label("本年收入"), "Σ 收入凭证.金额 + Σ 指标变动凭证（结转下年、收回）", vec![]),
            spending: t.money(b.spending, &label("本年支出"), "Σ 支出凭证.金额（含冲销）", vec![]),
            returned: t.money(b.returned, &label("结余分配/缴回"), "Σ 指标变动凭证（收回）", vec![]),
            closing: t.money(b.closing(), &label("年末结转和结余"), CLOSING_FORMULA, vec![]),
        }
    };
    let mut balance: Vec<BalanceRow> = balances.by_source().into_iter().map(|(s, b)| row(&mut t, s.label(), b)).collect();
    balance.push(row(&mut t, "合计", balances.total()));
    let spending = Spending { balance, ..spending };
    ReportModel {
        title: format!("{}年度{}整体支出绩效自评报告", year, books.unit.name),
        unit_name: books.unit.name.clone(),
        unit_code: books.unit.code.clone(),
        year,
        money_unit: unit.label(),
        duties: books.unit.duties.clone(),
        offices: books.unit.offices.iter().filter(|o| o.name.trim() != NO_OFFICES).cloned().collect(),
        no_offices: books.unit.offices.iter().any(|o| o.name.trim() == NO_OFFICES),
        staffing,
        income,
        spending,
        projects,
        government_fund,
        state_capital,
        procurement,
        control_documents,
        decisions,
        assets,
        outputs,
        prose,
        report_date: books.year.report_date.map(|d| d.chinese()),
        problems: evaluation.map(Evaluation::problems).unwrap_or_default(),
        evaluation: evaluation.cloned(),
        evaluation_total,
        figures: t.figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::books;

    #[test]
    fn figures_come_from_the_books() {
        let m = build(&books(), None);
        assert_eq!(m.spending.annual_budget.text, "0.15");
        assert_eq!(m.spending.total.text, "0.13");
        assert_eq!(m.spending.execution_rate.text, "86.67%");
        assert_eq!(m.spending.personnel.text, "0.08");
        assert_eq!(m.spending.project.text, "0.05");
        assert_eq!(m.staffing.authorized.text, "4");
        assert_eq!(m.outputs[0].value.text, "6次");
        assert_eq!(m.spending.total.source_count, 2);
        // ids are the positions in the trace table
        for (i, f) in m.figures.iter().enumerate() {
            assert_eq!(f.id, i + 1);
        }
    }

    #[test]
    fn missing_records_are_named_not_invented() {
        let mut b = books();
        b.records.receipts.clear();
        b.records.expenditures.clear();
        b.records.narratives.retain(|n| n.section != "problems");
        let m = build(&b, None);
        assert!(m.income.fiscal_total.missing);
        assert!(m.income.fiscal_total.text.contains("缺少数据"));
        assert!(m.spending.total.missing);
        assert!(m.spending.execution_rate.missing);
        // The report names the section by its title, never by its internal id (was 「…」（章节 problems）未填写」).
        assert_eq!(m.prose["problems"].missing.as_deref(), Some("「缺少数据：报告文字「存在的主要问题及原因分析」未填写」"));
    }

    #[test]
    fn indicator_cells_carry_direction_and_unit_but_a_missing_actual_none() {
        let mut b = books();
        let row = |b: &Books| build(b, None).projects[0].indicators[0].clone();
        assert_eq!((row(&b).target_text(), row(&b).actual_text()), ("≥6场".to_string(), "6场".to_string()));
        b.records.project_indicators[0].actual = None;
        assert_eq!(row(&b).actual_text(), "「缺少数据：实际完成值」", "no 场 after the marker");
        b.records.project_indicators[0].direction = crate::records::IndicatorDirection::Qualitative;
        b.records.project_indicators[0].target = "无安全事故".into();
        b.records.project_indicators[0].actual = Some("未发生安全事故".into());
        assert_eq!((row(&b).target_text(), row(&b).actual_text()), ("无安全事故".to_string(), "未发生安全事故".to_string()));
    }

    #[test]
    fn staffing_counts_in_service_categories_apart_from_retired_and_outside_staff() {
        let mut b = books();
        let row =
            |category: &str, authorized, actual| crate::records::Staffing { year: 2020, category: category.into(), authorized, actual };
        b.records.staffing = vec![row("行政编制", 4, 4), row("事业编制", 3, 2), row("离退休人员", 0, 5), row("编外聘用", 0, 2)];
        let m = build(&b, None);
        let s = &m.staffing;
        assert_eq!((s.authorized.text.as_str(), s.actual.text.as_str()), ("7", "6"), "离退休 and 编外 hold no 编制");
        assert_eq!(s.rows.iter().map(|r| r.category.as_str()).collect::<Vec<_>>(), ["行政编制", "事业编制"]);
        assert_eq!(s.retired.as_ref().map(|f| f.text.as_str()), Some("5"));
        assert_eq!(s.outside_establishment.as_ref().map(|f| f.text.as_str()), Some("2"));
        assert_eq!(s.only_category, None);
        // One category: nothing to split, no figure printed twice.
        let m = build(&books(), None);
        assert_eq!(m.staffing.only_category.as_deref(), Some("行政编制"));
        assert!(m.staffing.rows.is_empty() && m.staffing.retired.is_none());
    }

    #[test]
    fn a_unit_may_say_it_has_no_internal_offices() {
        let mut b = books();
        assert!(!build(&b, None).no_offices);
        b.unit.offices = vec![Office { name: NO_OFFICES.into(), duties: String::new() }];
        let m = build(&b, None);
        assert!(m.no_offices && m.offices.is_empty());
    }

    #[test]
    fn quantities_read_as_the_seed_writes_them() {
        assert_eq!(quantity_text(20_000, QuantityQualifier::Nearly, "人"), "近2万人");
        assert_eq!(quantity_text(300, QuantityQualifier::MoreThan, "人"), "300多人");
        assert_eq!(quantity_text(11_000, QuantityQualifier::MoreThan, "份"), "11000多份");
        assert_eq!(quantity_text(1_869, QuantityQualifier::Exact, "人"), "1869人");
    }
}
