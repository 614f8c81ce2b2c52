//! The numbers of the evaluation tables — 部门整体支出绩效评分表 (分值, 指标值, 得分) and each 项目支出绩效自评表
//! (项目资金, 执行率, 指标值, 实际完成值, 分值, 得分, 总分) — as traced [`Figure`]s: what each is, where its
//! rule comes from (the framework files applied and the indicator id) and the records it was measured
//! from. Texts are printed here, once, so that every writer only lays them out. Part of the report model (not
//! of `evaluation`), which the evaluation does not depend on.

use super::{Figure, Quantity};
use crate::evaluation::{Amount, Evaluation, Points, ProjectEvaluation, ProjectIndicatorScore, ScoredIndicator};
use crate::finding::RecordRef;
use crate::money::{BasisPoints, Fen};

/// One row of the 评分表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorFigures {
    pub weight: Figure,
    pub value: Figure,
    /// 得分: 「不参与」 for an excluded indicator, 「*」 after an overridden score.
    pub score: Figure,
}

/// One row of a project's 项目资金 block; 全年执行数 only where the row has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundFigures {
    pub initial: Figure,
    pub annual: Figure,
    pub spent: Option<Figure>,
}

/// One 绩效指标 row of a 项目支出绩效自评表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectIndicatorFigures {
    /// 年度指标值 with its direction and unit (≥90%), or the qualitative target.
    pub target: Figure,
    /// 实际完成值 with its unit; 「缺少数据」 (missing) when the unit gave none.
    pub actual: Figure,
    pub weight: Figure,
    /// 得分, with the computed score after a reviewer's override.
    pub score: Figure,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFigures {
    pub funds: Vec<FundFigures>,
    pub execution_weight: Figure,
    /// 执行率, or 「无法计算」.
    pub execution_rate: Figure,
    pub execution_score: Figure,
    pub indicators: Vec<ProjectIndicatorFigures>,
    pub total: Figure,
}

/// Every number of the evaluation tables, and all of them in id order for the trace table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationFigures {
    /// 自评总分.
    pub total: Figure,
    pub indicators: Vec<IndicatorFigures>,
    pub projects: Vec<ProjectFigures>,
    /// The figures made here (not a `total` passed in), ids `first_id..`.
    pub figures: Vec<Figure>,
}

/// 得分 as the 评分表 prints it: 不参与 for excluded indicators, `*` after an overridden score.
pub fn score_text(i: &ScoredIndicator) -> String {
    if i.excluded {
        "不参与".into()
    } else if i.overridden.is_some() {
        format!("{}*", i.score)
    } else {
        i.score.to_string()
    }
}

struct Ids {
    next: usize,
    figures: Vec<Figure>,
}

impl Ids {
    fn add(&mut self, text: String, label: String, formula: String, sources: Vec<RecordRef>, quantity: Option<Quantity>) -> Figure {
        self.push(Figure::new(self.next, text, label, formula, sources, quantity))
    }

    fn add_missing(&mut self, text: String, label: String, formula: String, sources: Vec<RecordRef>) -> Figure {
        self.push(Figure { missing: true, ..Figure::new(self.next, text, label, formula, sources, None) })
    }

    fn push(&mut self, f: Figure) -> Figure {
        self.next += 1;
        self.figures.push(f.clone());
        f
    }
}

impl EvaluationFigures {
    /// The evaluation's figures, numbered from `first_id` on (after the report's own figures). `total` is the
    /// report's traced 自评总分 when there is one; otherwise one is made here.
    pub fn trace(ev: &Evaluation, first_id: usize, total: Option<&Figure>) -> EvaluationFigures {
        let mut ids = Ids { next: first_id, figures: vec![] };
        // The files each table's rules come from: a region's override file may change both.
        let rules = |skip: &str| ev.applied.iter().filter(|f| f.as_str() != skip).cloned().collect::<Vec<_>>().join(" + ");
        let total = match total {
            Some(f) => f.clone(),
            None => ids.add(
                ev.total.to_string(),
                "部门整体支出绩效自评总分（分）".into(),
                format!("Σ 各指标得分（{}）", ev.framework),
                ev.indicators.iter().flat_map(|i| i.evidence.iter().cloned()).collect(),
                Some(Quantity::Points(ev.total)),
            ),
        };
        let indicators = ev.indicators.iter().map(|i| indicator(&mut ids, i, &rules("project.toml"))).collect();
        let projects = ev.projects.iter().map(|p| project(&mut ids, p, &rules("department.toml"))).collect();
        EvaluationFigures { total, indicators, projects, figures: ids.figures }
    }
}

fn indicator(ids: &mut Ids, i: &ScoredIndicator, rules: &str) -> IndicatorFigures {
    let name = format!("{}（{}-{}）", i.level3, i.level1, i.level2);
    let weight = ids.add(
        i.weight.to_string(),
        format!("{name}：分值"),
        format!("评价规则 {rules} 中指标 {} 的分值", i.id),
        vec![],
        Some(Quantity::Points(i.weight)),
    );
    let mut how = i.formula.clone();
    if let (Some(n), Some(d)) = (&i.numerator, &i.denominator) {
        how.push_str(&format!("；分子 {n}，分母 {d}"));
    }
    if let Some(u) = &i.unavailable {
        how.push_str(&format!("；{u}"));
    }
    let value = Figure::new(
        ids.next,
        i.value.clone(),
        format!("{name}：指标值"),
        format!("{how}（指标 {}）", i.id),
        i.evidence.clone(),
        i.rate_bp.map(|bp| Quantity::Rate(BasisPoints(bp))),
    );
    // The evaluation keeps a sample of the records; the count is the full one.
    let value = ids.push(Figure { source_count: value.source_count.max(i.evidence_count), ..value });
    let mut rule = if i.standard.is_empty() {
        format!("按评价规则 {rules} 中指标 {} 的评分规则", i.id)
    } else {
        format!("评分标准：{}（指标 {}）", i.standard, i.id)
    };
    if i.excluded {
        rule.push_str("；无法计算，不参与评分，总分按其余指标折算");
    } else if let Some(lost) = &i.lost_reason {
        rule.push_str(&format!("；失分：{lost}"));
    }
    if let Some(o) = &i.overridden {
        rule.push_str(&format!(
            "；审核调整（{} {}，{}）：计算得分 {}，调整为 {}，理由：{}",
            o.reviewer, o.date, o.override_code, i.computed_score, o.score, o.reason
        ));
    }
    let score = ids.add(score_text(i), format!("{name}：得分"), rule, vec![], (!i.excluded).then_some(Quantity::Points(i.score)));
    IndicatorFigures { weight, value, score }
}

fn project(ids: &mut Ids, p: &ProjectEvaluation, rules: &str) -> ProjectFigures {
    let source = || vec![RecordRef::new("projects", p.project_code.clone())];
    let money = |ids: &mut Ids, amount: &Amount, row: &str, column: &str, how: &str| {
        ids.add(
            amount.wan_yuan.clone(),
            format!("{}：{row}：{column}（万元）", p.name),
            how.to_string(),
            source(),
            Some(Quantity::Money(Fen(amount.fen))),
        )
    };
    let funds = p
        .funds
        .iter()
        .map(|f| FundFigures {
            initial: money(ids, &f.initial, &f.label, "年初预算数", "Σ 该项目指标的年初预算数（此行的资金来源）"),
            annual: money(ids, &f.annual, &f.label, "全年预算数", "Σ 该项目指标的全年预算数（此行的资金来源）"),
            spent: f.spent.as_ref().map(|s| money(ids, s, &f.label, "全年执行数", "Σ 该项目指标的支出凭证.金额（此行的资金来源）")),
        })
        .collect();
    let execution_weight = ids.add(
        p.execution_weight.to_string(),
        format!("{}：预算执行率分值", p.name),
        format!("评价规则 {rules} 中项目的 budget_execution_weight"),
        vec![],
        Some(Quantity::Points(p.execution_weight)),
    );
    let execution_rate = ids.add(
        p.execution_rate.clone().unwrap_or_else(|| "无法计算".into()),
        format!("{}：预算执行率", p.name),
        "年度资金总额的全年执行数 ÷ 全年预算数 × 100%（四舍五入到0.01%；全年预算数为零时无法计算）".into(),
        source(),
        None,
    );
    let execution_score = ids.add(
        p.execution_score.to_string(),
        format!("{}：预算执行率得分", p.name),
        "分值 × 执行率（执行率按0–100%计，四舍五入到0.01分）".into(),
        vec![],
        Some(Quantity::Points(p.execution_score)),
    );
    let indicators = p
        .indicators
        .iter()
        .map(|i| {
            let name = format!("{}：{}", p.name, i.level3);
            let record = || vec![RecordRef::new("project_indicators", i.indicator_code.clone())];
            let target = ids.add(
                i.target_text(),
                format!("{name}：年度指标值"),
                format!("项目绩效指标 {} 的年度指标值（单位填报）", i.indicator_code),
                record(),
                None,
            );
            let actual = if i.actual.is_empty() {
                ids.add_missing(i.actual_text(), format!("{name}：实际完成值"), "无法计算：单位未填报实际完成值".into(), record())
            } else {
                ids.add(
                    i.actual_text(),
                    format!("{name}：实际完成值"),
                    format!("项目绩效指标 {} 的实际完成值（单位填报）", i.indicator_code),
                    record(),
                    None,
                )
            };
            let peers: Vec<&ProjectIndicatorScore> = p.indicators.iter().filter(|o| o.level1 == i.level1).collect();
            let level = Points(peers.iter().map(|o| o.weight.0).sum());
            let weight = ids.add(
                i.weight.to_string(),
                format!("{name}：分值"),
                format!(
                    "评价规则 {rules}：一级指标「{}」的分值 {level}（含没有指标的一级指标按权重转来的分值）由其 {} 个指标均分",
                    i.level1,
                    peers.len()
                ),
                vec![],
                Some(Quantity::Points(i.weight)),
            );
            let mut rule = "分值 × 完成程度（定量指标按实际完成值与年度指标值之比，定性指标按评价规则的档次）".to_string();
            if let Some(o) = &i.overridden {
                rule.push_str(&format!(
                    "；审核调整（{} {}，{}）：计算得分 {}，调整为 {}，理由：{}",
                    o.reviewer, o.date, o.override_code, i.computed_score, o.score, o.reason
                ));
            }
            let text = if i.overridden.is_some() { format!("{}（计算 {}）", i.score, i.computed_score) } else { i.score.to_string() };
            let score = ids.add(text, format!("{name}：得分"), rule, record(), Some(Quantity::Points(i.score)));
            ProjectIndicatorFigures { target, actual, weight, score }
        })
        .collect();
    let total = ids.add(
        p.total.to_string(),
        format!("{}：项目自评总分（分）", p.name),
        "预算执行率得分 + Σ 绩效指标得分".into(),
        source(),
        Some(Quantity::Points(p.total)),
    );
    ProjectFigures { funds, execution_weight, execution_rate, execution_score, indicators, total }
}
