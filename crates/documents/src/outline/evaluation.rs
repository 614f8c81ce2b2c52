//! The evaluation tables — 部门整体支出绩效评分表 and each 项目支出绩效自评表 — and the evaluation on its own
//! (`jixiao evaluate --format md|html`). Every number is a traced figure of
//! `jixiao_core::report_model::evaluation_figures`; this module only lays them out.

use super::{Blocks, Line, Outline, OutlineCell};
use jixiao_core::evaluation::{Evaluation, ProjectEvaluation, ScoredIndicator};
use jixiao_core::report_model::evaluation_figures::{EvaluationFigures, ProjectFigures};

/// 评分说明: the checklist, why points were lost, or why the value could not be computed; and any
/// reviewer's override.
pub(crate) fn scoring_note(i: &ScoredIndicator) -> String {
    let mut parts = Vec::new();
    if !i.checklist.is_empty() {
        parts.push(
            i.checklist
                .iter()
                .map(|c| format!("{}{}：{}", if c.met { "✓" } else { "✗" }, c.label, c.detail))
                .collect::<Vec<_>>()
                .join("；"),
        );
    } else if let Some(lost) = &i.lost_reason {
        parts.push(lost.clone());
    } else if let Some(why) = &i.unavailable {
        parts.push(format!("无法计算：{why}，按规则给分"));
    }
    if let Some(o) = &i.overridden {
        parts.push(format!(
            "审核调整（{} {}，{}）：计算得分 {}，调整为 {}，理由：{}",
            o.reviewer, o.date, o.override_code, i.computed_score, o.score, o.reason
        ));
    }
    if parts.is_empty() { "—".into() } else { parts.join("。") }
}

/// 部门整体支出绩效评分表 with its basis and the total.
pub(super) fn department(b: &mut Blocks, ev: &Evaluation, figures: &EvaluationFigures) {
    b.paragraph(Line::new().text(format!("评价依据：{}（{}）。", ev.basis.join("、"), ev.framework)));
    let rows = ev
        .indicators
        .iter()
        .zip(&figures.indicators)
        .map(|(i, f)| {
            vec![
                OutlineCell::text(&i.level1),
                OutlineCell::text(&i.level2),
                OutlineCell::text(&i.level3),
                OutlineCell::figure(&f.weight),
                OutlineCell::figure(&f.value),
                OutlineCell::figure(&f.score),
                OutlineCell::text(scoring_note(i)),
            ]
        })
        .collect();
    b.table(&["一级指标", "二级指标", "三级指标", "分值", "指标值", "得分", "评分说明"], &[4, 4, 6, 3, 4, 3, 11], rows);
    let mut line = Line::new().text("自评总分").figure(&figures.total).text(format!("分，评价等级为“{}”。", ev.grade));
    if let Some(note) = &ev.note {
        line = line.text(format!("{note}。"));
    }
    b.paragraph(line);
}

/// 项目资金 rows: the execution columns only on 年度资金总额.
fn fund_rows(p: &ProjectEvaluation, f: &ProjectFigures) -> Vec<Vec<OutlineCell>> {
    p.funds
        .iter()
        .zip(&f.funds)
        .enumerate()
        .map(|(k, (row, money))| {
            let dash = || OutlineCell::number("—");
            let first = k == 0;
            vec![
                OutlineCell::text(&row.label),
                OutlineCell::figure(&money.initial),
                OutlineCell::figure(&money.annual),
                money.spent.as_ref().map_or_else(dash, OutlineCell::figure),
                if first { OutlineCell::figure(&f.execution_weight) } else { dash() },
                if first { OutlineCell::figure(&f.execution_rate) } else { dash() },
                if first { OutlineCell::figure(&f.execution_score) } else { dash() },
            ]
        })
        .collect()
}

/// 绩效指标 rows: target and actual with direction and unit, weight, score, 偏差原因.
fn indicator_rows(p: &ProjectEvaluation, f: &ProjectFigures) -> Vec<Vec<OutlineCell>> {
    p.indicators
        .iter()
        .zip(&f.indicators)
        .map(|(i, f)| {
            vec![
                OutlineCell::text(&i.level1),
                OutlineCell::text(&i.level2),
                OutlineCell::text(&i.level3),
                OutlineCell { numeric: false, ..OutlineCell::figure(&f.target) },
                OutlineCell { numeric: false, ..OutlineCell::figure(&f.actual) },
                OutlineCell::figure(&f.weight),
                OutlineCell::figure(&f.score),
                OutlineCell::text(if i.deviation_reason.is_empty() { "—".to_string() } else { i.deviation_reason.clone() }),
            ]
        })
        .collect()
}

/// One 项目支出绩效自评表 per project.
pub(super) fn projects(b: &mut Blocks, ev: &Evaluation, figures: &EvaluationFigures) {
    for (n, (p, f)) in ev.projects.iter().zip(&figures.projects).enumerate() {
        b.heading(3, format!("{}. {}（{}）项目支出绩效自评表", n + 1, p.name, p.project_code));
        project_table(b, p, f);
    }
}

/// A project's 自评表 with its traced numbers: the funds block, 年度总体目标, the indicators and the total (also
/// the project report's).
pub(super) fn project_table(b: &mut Blocks, p: &ProjectEvaluation, f: &ProjectFigures) {
    b.table(
        &["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        &[7, 4, 4, 4, 3, 3, 3],
        fund_rows(p, f),
    );
    let mut line = Line::new().text(format!("年度总体目标——预期目标：{}；实际完成情况：", p.goal.trim_matches('。')));
    line = match &p.outcome {
        Some(outcome) => line.text(outcome.trim_matches('。')),
        None => line.missing_data("实际完成情况"),
    };
    b.paragraph(line.text("。"));
    b.table(
        &["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        &[5, 6, 7, 5, 5, 3, 3, 7],
        indicator_rows(p, f),
    );
    let mut line = Line::new().text("总分").figure(&f.total).text(format!("分（满分100分），自评等级为“{}”。", p.grade));
    if let Some(note) = &p.note {
        line = line.text(format!("{note}。"));
    }
    b.paragraph(line);
}

/// The evaluation on its own: the 评分表, the indicators that lost points, every 项目支出绩效自评表 and the
/// reviewer's hints, with the trace table of their numbers.
pub fn evaluation_outline(ev: &Evaluation) -> Outline {
    let figures = EvaluationFigures::trace(ev, 1, None);
    let mut b = Blocks::default();
    b.heading(1, "一、部门整体支出绩效评分表");
    department(&mut b, ev, &figures);
    b.heading(1, "二、失分指标");
    let problems = ev.problems();
    if problems.is_empty() {
        b.paragraph(Line::new().text("无失分指标。"));
    } else {
        b.list(true, problems.iter().map(|p| Line::new().text(p)).collect());
    }
    b.heading(1, "三、项目支出绩效自评表");
    projects(&mut b, ev, &figures);
    if !ev.review_flags.is_empty() {
        b.heading(1, "四、审核提示");
        b.list(true, ev.review_flags.iter().map(|p| Line::new().text(p)).collect());
    }
    b.finish(format!("{}年度{}部门整体支出绩效自评评分表", ev.year, ev.unit_name), figures.figures)
}
