//! The 项目支出绩效自评报告 (core `project_report`) as blocks: 一、项目概况 … 七、自评结果应用 and the signature;
//! the figures go to the outline's trace. Figures come from the model; nothing here computes one.

use super::evaluation::project_table;
use super::{Blocks, Line, Outline, OutlineCell};
use jixiao_core::project_report::{ProjectProse, ProjectReport};
use jixiao_core::report_model::evaluation_figures::EvaluationFigures;

/// The unit's text for a section, one paragraph each; or its 「缺少数据」 note; or `otherwise`.
fn prose(b: &mut Blocks, section: &ProjectProse, otherwise: &str) {
    if !section.paragraphs.is_empty() {
        section.paragraphs.iter().for_each(|p| b.paragraph(Line::new().text(p)));
    } else if let Some(note) = &section.missing {
        b.paragraph(Line::new().missing(note));
    } else if !otherwise.is_empty() {
        b.paragraph(Line::new().text(otherwise));
    }
}

/// The unit and the date under the text; without a date, 「缺少数据：`missing`」.
pub(super) fn signature(b: &mut Blocks, unit: &str, date: Option<&String>, missing: &str) {
    b.signature(unit, date.map_or_else(|| Line::new().missing_data(missing), |d| Line::new().text(d)));
}

/// The project report's blocks.
pub fn project_outline(r: &ProjectReport) -> Outline {
    let mut b = Blocks::default();
    let money = r.money_unit;
    b.heading(1, "一、项目概况");
    let mut line = Line::new().text(format!("{}（项目编码 {}）由{}", r.project_name, r.project_code, r.unit_name));
    line = match &r.department {
        Some(d) => line.text(format!("{d}实施")),
        None => line.text("实施（").missing_data("实施科室").text("）"),
    };
    line = line.text(if r.is_key { "，为本单位重点项目。" } else { "。" });
    b.paragraph(line);
    prose(&mut b, &r.background, "");
    b.paragraph(Line::new().text(format!("年度总体目标：{}", r.goal.trim())));

    b.heading(1, "二、资金投入和使用情况");
    let f = &r.funds;
    b.paragraph(
        Line::new()
            .text(format!("{}年项目全年预算数", r.year))
            .figure(&f.annual)
            .text(format!("{money}，其中上年结转"))
            .figure(&f.carry_over)
            .text(format!("{money}、年初预算"))
            .figure(&f.initial)
            .text(format!("{money}、年中调整"))
            .figure(&f.adjustments)
            .text(format!("{money}。全年执行数"))
            .figure(&f.spent)
            .text(format!("{money}，未执行"))
            .figure(&f.unspent)
            .text(format!("{money}，预算执行率"))
            .figure(&f.execution_rate)
            .text("。"),
    );
    if f.lines.is_empty() {
        b.paragraph(Line::new().missing_data("项目的预算指标"));
    } else {
        let rows = f
            .lines
            .iter()
            .map(|l| {
                vec![
                    OutlineCell::text(&l.line_code),
                    OutlineCell::text(&l.function),
                    OutlineCell::text(&l.economic_code),
                    OutlineCell::text(&l.fund_source),
                    OutlineCell::figure(&l.annual),
                    OutlineCell::figure(&l.spent),
                    OutlineCell::figure(&l.rate),
                ]
            })
            .collect();
        let annual = format!("全年预算数（{money}）");
        let spent = format!("全年执行数（{money}）");
        b.table(&["指标编号", "功能分类科目", "经济分类", "资金来源", &annual, &spent, "执行率"], &[4, 8, 3, 4, 4, 4, 3], rows);
    }

    b.heading(1, "三、绩效目标完成情况");
    let mut line = Line::new().text("年度总体目标完成情况：");
    line = match &r.outcome {
        Some(o) => line.text(o.trim()),
        None => line.missing_data("年度总体目标实际完成情况"),
    };
    b.paragraph(line);
    b.paragraph(
        Line::new()
            .text("项目共设绩效指标")
            .figure(&r.indicator_count)
            .text("个，全部完成")
            .figure(&r.indicators_met)
            .text(format!("个；自评得分{}分，自评等级为“{}”。", r.evaluation.total, r.evaluation.grade)),
    );
    b.heading(2, "（一）项目支出绩效自评表");
    // The 自评表's numbers are traced after the report's own figures.
    let scored = EvaluationFigures::trace(&r.scope, r.figures.len() + 1, Some(&r.funds.annual));
    project_table(&mut b, &r.evaluation, &scored.projects[0]);

    b.heading(1, "四、偏差原因分析");
    if r.deviations.is_empty() {
        b.paragraph(Line::new().text("预算全部执行，各项绩效指标均已完成，无偏差。"));
    } else {
        b.list(true, r.deviations.iter().map(|d| Line::new().text(d)).collect());
    }
    prose(&mut b, &r.deviation_text, "");

    b.heading(1, "五、存在的问题");
    prose(&mut b, &r.problems, "");
    b.heading(1, "六、改进措施");
    prose(&mut b, &r.improvements, "");
    b.heading(1, "七、自评结果应用");
    prose(&mut b, &r.result_application, "");

    signature(&mut b, &r.unit_name, r.report_date.as_ref(), "报告日期");
    b.finish(&r.title, r.figures.iter().cloned().chain(scored.figures).collect())
}
