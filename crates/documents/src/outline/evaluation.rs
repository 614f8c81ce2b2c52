//! The evaluation tables — 部门整体支出绩效评分表 and each 项目支出绩效自评表 — as `evaluation_parts.j2` lays
//! them out, with the cell texts of the report crate's `context.rs`.

use super::{Blocks, Cell, Line};
use jixiao_core::evaluation::{Evaluation, ProjectEvaluation, ScoredIndicator};
use jixiao_core::report_model::Figure;

/// 评分说明: the checklist, why points were lost, or why the value could not be computed; and any
/// reviewer's override.
pub(crate) fn scoring_note(i: &ScoredIndicator) -> String {
    let mut parts = Vec::new();
    if !i.checklist.is_empty() {
        parts.push(i.checklist.iter().map(|c| format!("{}{}：{}", if c.met { "✓" } else { "✗" }, c.label, c.detail)).collect::<Vec<_>>().join("；"));
    } else if let Some(lost) = &i.lost_reason {
        parts.push(lost.clone());
    } else if let Some(why) = &i.unavailable {
        parts.push(format!("无法计算：{why}，按规则给分"));
    }
    if let Some(o) = &i.overridden {
        parts.push(format!("审核调整（{} {}，{}）：计算得分 {}，调整为 {}，理由：{}", o.reviewer, o.date, o.override_code, i.computed_score, o.score, o.reason));
    }
    if parts.is_empty() { "—".into() } else { parts.join("。") }
}

/// 得分 as the scored table prints it: 不参与 for excluded indicators, `*` after an overridden score.
pub(crate) fn score_text(i: &ScoredIndicator) -> String {
    if i.excluded {
        "不参与".into()
    } else if i.overridden.is_some() {
        format!("{}*", i.score)
    } else {
        i.score.to_string()
    }
}

/// 部门整体支出绩效评分表 with its basis and the total.
pub(super) fn department(b: &mut Blocks, ev: &Evaluation, total: Option<&Figure>) {
    b.paragraph(Line::new().text(format!("评价依据：{}（{}）。", ev.basis.join("、"), ev.framework)));
    let rows = ev
        .indicators
        .iter()
        .map(|i| {
            vec![
                Cell::text(&i.level1),
                Cell::text(&i.level2),
                Cell::text(&i.level3),
                Cell::number(i.weight.to_string()),
                Cell::number(&i.value),
                Cell::number(score_text(i)),
                Cell::text(scoring_note(i)),
            ]
        })
        .collect();
    b.table(&["一级指标", "二级指标", "三级指标", "分值", "指标值", "得分", "评分说明"], &[4, 4, 6, 3, 4, 3, 11], rows);
    let mut line = Line::new().text("自评总分");
    line = match total {
        Some(f) => line.figure(f),
        None => line.text(ev.total.to_string()),
    };
    line = line.text(format!("分，评价等级为“{}”。", ev.grade));
    if let Some(note) = &ev.note {
        line = line.text(format!("{note}。"));
    }
    b.paragraph(line);
}

/// 项目资金 rows: the execution columns only on 年度资金总额.
pub(crate) fn fund_rows(p: &ProjectEvaluation) -> Vec<Vec<Cell>> {
    p.funds
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let first = k == 0;
            let only_first = |text: String| if first { Cell::number(text) } else { Cell::number("—") };
            vec![
                Cell::text(&f.label),
                Cell::number(&f.initial.wan_yuan),
                Cell::number(&f.annual.wan_yuan),
                Cell::number(f.spent.as_ref().map_or("—".to_string(), |s| s.wan_yuan.clone())),
                only_first(p.execution_weight.to_string()),
                only_first(p.execution_rate.clone().unwrap_or_else(|| "无法计算".into())),
                only_first(p.execution_score.to_string()),
            ]
        })
        .collect()
}

/// 绩效指标 rows: target and actual with direction and unit, weight, score, 偏差原因.
pub(crate) fn indicator_rows(p: &ProjectEvaluation) -> Vec<Vec<Cell>> {
    p.indicators
        .iter()
        .map(|i| {
            let qualitative = i.direction == "定性";
            let actual = if i.actual.is_empty() {
                "「缺少数据」".to_string()
            } else if qualitative {
                i.actual.clone()
            } else {
                format!("{}{}", i.actual, i.unit)
            };
            vec![
                Cell::text(&i.level1),
                Cell::text(&i.level2),
                Cell::text(&i.level3),
                Cell::text(if qualitative { i.target.clone() } else { format!("{}{}{}", i.direction, i.target, i.unit) }),
                Cell::text(actual),
                Cell::number(i.weight.to_string()),
                Cell::number(if i.overridden.is_some() { format!("{}（计算 {}）", i.score, i.computed_score) } else { i.score.to_string() }),
                Cell::text(if i.deviation_reason.is_empty() { "—".to_string() } else { i.deviation_reason.clone() }),
            ]
        })
        .collect()
}

/// One 项目支出绩效自评表 per project.
pub(super) fn projects(b: &mut Blocks, ev: &Evaluation) {
    for (n, p) in ev.projects.iter().enumerate() {
        b.heading(3, format!("{}. {}（{}）项目支出绩效自评表", n + 1, p.name, p.project_code));
        project_table(b, p);
    }
}

/// A project's 自评表: the funds block, 年度总体目标, the indicators and the total (also the project report's).
pub(super) fn project_table(b: &mut Blocks, p: &ProjectEvaluation) {
    b.table(&["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], &[7, 4, 4, 4, 3, 3, 3], fund_rows(p));
    let mut line = Line::new().text(format!("年度总体目标——预期目标：{}；实际完成情况：", p.goal.trim_matches('。')));
    line = match &p.outcome {
        Some(outcome) => line.text(outcome.trim_matches('。')),
        None => line.missing_data("实际完成情况"),
    };
    b.paragraph(line.text("。"));
    b.table(&["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"], &[5, 6, 7, 5, 5, 3, 3, 7], indicator_rows(p));
    let mut line = Line::new().text(format!("总分{}分（满分100分），自评等级为“{}”。", p.total, p.grade));
    if let Some(note) = &p.note {
        line = line.text(format!("{note}。"));
    }
    b.paragraph(line);
}
