//! `basic-project-total` and `spending-exceeds-income`: the report's headline figures must agree.
//! 基本支出 + 项目支出 = 支出合计, and what is left of income is explained (seed: 102.96 + 108.37 =
//! 211.33万元 against 财政拨款收入 242.96万元, 31.63万元 never accounted for).

use super::{Context, clause_head, is_delta_label};
use crate::amounts::{Money, Unit, format_in};
use crate::finding::{DocumentFinding, Severity, rule};
use jixiao_core::Fen;

/// The first figure the report gives for each headline quantity.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyFigures<'a> {
    pub basic: Option<&'a Money>,
    pub project: Option<&'a Money>,
    pub spending: Option<&'a Money>,
    pub income: Option<&'a Money>,
    /// Whether `income` is total income (收入合计) rather than only 财政拨款收入.
    pub income_is_total: bool,
}

const TOTAL_SUFFIXES: &[&str] = &["合计", "总计", "总额", "共计", "决算数", "总数", "数", ""];
const SPENDING_PREFIXES: &[&str] = &["", "总", "整体", "部门整体", "决算", "财政拨款", "本级财政拨款", "一般公共预算财政拨款", "累计"];
const FISCAL_INCOME_PREFIXES: &[&str] = &["财政拨款", "本级财政拨款", "一般公共预算财政拨款", "一般公共预算", "预算", "部门预算"];

/// `head` is `prefix + stem + suffix + (为|：)?` for one of the given prefixes and a total suffix.
fn head_is(head: &str, prefixes: &[&str], stem: &str) -> bool {
    let head = head.trim_end_matches(['为', '是', '达', '：', ':', ' ', '\u{3000}']);
    prefixes
        .iter()
        .any(|p| head.strip_prefix(p).and_then(|rest| rest.strip_prefix(stem)).is_some_and(|suffix| TOTAL_SUFFIXES.contains(&suffix)))
}

/// 「基本支出」「基本支出财政拨款」, but not 「基本支出中人员经费」 or 「基本支出年初预算数」.
fn names_part(head: &str, stem: &str) -> bool {
    head.strip_prefix(stem).is_some_and(|rest| {
        rest.chars().count() <= 8 && !["预算", "人员", "公用", "占", "中", "其中", "结余", "结转"].iter().any(|w| rest.contains(w))
    })
}

impl<'a> KeyFigures<'a> {
    pub fn find(ctx: &Context<'a>) -> KeyFigures<'a> {
        let mut k = KeyFigures::default();
        let mut fiscal_income = None;
        for money in ctx.amounts.money.iter().filter(|m| !m.approximate && !m.in_table) {
            let label = ctx.money_label(money);
            if is_delta_label(label) {
                continue;
            }
            let head = clause_head(label);
            if k.basic.is_none() && names_part(head, "基本支出") {
                k.basic = Some(money);
            } else if k.project.is_none() && names_part(head, "项目支出") {
                k.project = Some(money);
            } else if k.spending.is_none() && head_is(head, SPENDING_PREFIXES, "支出") {
                k.spending = Some(money);
            } else if k.income.is_none() && head_is(head, &["", "总"], "收入") {
                k.income = Some(money);
                k.income_is_total = true;
            } else if fiscal_income.is_none() && head_is(head, FISCAL_INCOME_PREFIXES, "收入") {
                fiscal_income = Some(money);
            }
        }
        if k.income.is_none() {
            k.income = fiscal_income;
        }
        k
    }
}

fn explained_by_carry_over(ctx: &Context, gap: i64, tolerance: i64) -> bool {
    ctx.amounts.money.iter().any(|m| {
        let label = ctx.money_label(m);
        ["结转", "结余", "结存", "余额"].iter().any(|w| label.contains(w)) && (m.fen.0 - gap).abs() <= tolerance
    })
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let k = KeyFigures::find(ctx);
    let mut findings = Vec::new();
    let doc = ctx.doc;
    let unit = k.income.or(k.basic).or(k.spending).map_or(Unit::WanYuan, |m| m.unit);
    let show = |fen: i64| format!("{}{}", format_in(Fen(fen), unit), unit.label());
    let tol = |ms: &[&Money]| ms.iter().map(|m| m.unit.rounding_fen()).sum::<i64>();

    if let (Some(basic), Some(project)) = (k.basic, k.project) {
        let sum = basic.fen.0.saturating_add(project.fen.0);
        // Two figures far apart would highlight whole sections; then point at the basic figure and
        // give both lines in the message.
        let span =
            if basic.line == project.line { (basic.range.0.min(project.range.0), basic.range.1.max(project.range.1)) } else { basic.range };
        let figures = if basic.line == project.line {
            format!("基本支出 {} + 项目支出 {}", show(basic.fen.0), show(project.fen.0))
        } else {
            format!("基本支出 {}（第{}行）+ 项目支出 {}（第{}行）", show(basic.fen.0), basic.line, show(project.fen.0), project.line)
        };
        if let Some(total) = k.spending {
            let same_sentence = basic.sentence == total.sentence && project.sentence == total.sentence;
            let gap = total.fen.0.saturating_sub(sum);
            let tolerance = tol(&[basic, project, total]);
            // 「支出总计」 in a 决算 includes 年末结转和结余: a gap the carry-over explains is no gap, and
            // with carry-over mentioned at all the comparison is only a reviewer's question.
            let grand_total = ctx.money_label(total).contains("总计");
            let carried = grand_total && explained_by_carry_over(ctx, gap, tolerance);
            let severity = if grand_total && doc.text.contains("结转") { Severity::Warning } else { Severity::Error };
            // In one sentence this is a 「合计…其中」 statement, which sum-mismatch already checks.
            if !same_sentence && !carried && gap.abs() > tolerance {
                findings.push(doc.finding(
                    rule::BASIC_PROJECT_TOTAL,
                    severity,
                    span,
                    format!(
                        "{} = {}，与支出合计 {}（第{}行）不符，差 {}",
                        figures.clone(),
                        show(sum),
                        show(total.fen.0),
                        total.line,
                        show(gap)
                    ),
                ));
            }
        } else if let Some(income) = k.income {
            let gap = income.fen.0.saturating_sub(sum);
            let tolerance = tol(&[basic, project, income]);
            if gap > tolerance && !explained_by_carry_over(ctx, gap, tolerance) {
                findings.push(doc.finding(
                    rule::BASIC_PROJECT_TOTAL,
                    Severity::Warning,
                    span,
                    format!(
                        "{} = {}，与{}「{}」{}（第{}行）相差 {}，报告未说明差额去向（年末结转结余？）；也未给出支出合计",
                        figures.clone(),
                        show(sum),
                        if k.income_is_total { "收入合计" } else { "收入" },
                        clause_head(ctx.money_label(income)).trim_end_matches(['为', '：', ':']),
                        show(income.fen.0),
                        income.line,
                        show(gap)
                    ),
                ));
            }
        }
    }

    // Spending above income needs a source: carry-over from earlier years, or other income.
    let spending = k.spending.map(|m| (m.fen.0, m.range, vec![m])).or_else(|| {
        let (b, p) = (k.basic?, k.project?);
        Some((b.fen.0.saturating_add(p.fen.0), (b.range.0.min(p.range.0), b.range.1.max(p.range.1)), vec![b, p]))
    });
    // A 决算 or 预算 statement spends carry-over as a matter of course; only reports must explain it.
    let explains_sources = ctx.kind.is_report() || ctx.kind == crate::kind::DocumentKind::Unknown;
    if let (Some((spent, range, from)), Some(income), true) = (spending, k.income, explains_sources) {
        let text = &doc.text;
        let other_income = ["其他收入", "事业收入", "经营收入", "上级补助"].iter().any(|w| text.contains(w));
        let carried = ["上年结转", "年初结转", "以前年度", "非财政拨款结余", "结转和结余", "结转结余", "历年结余", "动用"]
            .iter()
            .any(|w| text.contains(w));
        let mut all = from.clone();
        all.push(income);
        let excess = spent.saturating_sub(income.fen.0);
        if excess > tol(&all) && !carried && (k.income_is_total || !other_income) {
            findings.push(doc.finding(
                rule::SPENDING_EXCEEDS_INCOME,
                Severity::Warning,
                range,
                format!(
                    "支出 {} 大于收入 {}（第{}行），超出 {}，报告未说明资金来源（上年结转结余等）",
                    show(spent),
                    show(income.fen.0),
                    income.line,
                    show(excess)
                ),
            ));
        }
    }
    findings
}
