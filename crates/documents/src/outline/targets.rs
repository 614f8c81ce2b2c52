//! Next year's 绩效目标申报表 (core `targets`) as blocks: the 部门整体支出绩效目标申报表, one 项目支出绩效目标申报表
//! per continuing project, the projects left out and the targets to look at; the figures go to the outline's trace.

use super::project::signature;
use super::{Blocks, Line, Outline, OutlineCell};
use jixiao_core::final_accounts::chinese_ordinal;
use jixiao_core::report_model::Figure;
use jixiao_core::targets::{DraftIndicator, TargetDraft};

const INDICATOR_HEADERS: [&str; 6] = ["一级指标", "二级指标", "三级指标", "指标值（拟定）", "参考值（本年实际）", "审核提示"];
const INDICATOR_WIDTHS: [u16; 6] = [4, 5, 7, 4, 4, 8];

fn indicator_rows(indicators: &[DraftIndicator]) -> Vec<Vec<OutlineCell>> {
    indicators
        .iter()
        .map(|i| {
            let qualitative = i.direction == "定性";
            let target = if qualitative { i.target.clone() } else { format!("{}{}{}", i.direction, i.target, i.unit) };
            let reference = match &i.reference {
                Some(r) if qualitative => r.clone(),
                Some(r) => format!("{r}{}", i.unit),
                None => "「缺少数据：本年实际完成值」".to_string(),
            };
            vec![
                OutlineCell::text(&i.level1),
                OutlineCell::text(&i.level2),
                OutlineCell::text(&i.level3),
                OutlineCell::text(target),
                OutlineCell::text(reference),
                OutlineCell::text(i.flag.clone().unwrap_or_else(|| "—".into())),
            ]
        })
        .collect()
}

fn amount_row(label: &str, this_year: &Figure, next_year: Option<&Figure>) -> Vec<OutlineCell> {
    vec![OutlineCell::text(label), OutlineCell::figure(this_year), next_year.map_or_else(|| OutlineCell::text("—"), OutlineCell::figure)]
}

/// The draft's blocks.
pub fn targets_outline(d: &TargetDraft) -> Outline {
    let mut b = Blocks::default();
    let (year, next, money) = (d.year, d.target_year, d.money_unit);
    b.paragraph(Line::new().text(format!(
        "本表依据{year}年度项目库、绩效目标及实际完成情况草拟，供编制{next}年度预算时填报：指标值沿用{year}年目标，参考值为{year}年实际完成值；低于本年实际的目标值列入审核提示；{next}年金额待预算批复后填写。"
    )));

    b.heading(1, "一、部门整体支出绩效目标申报表");
    let dep = &d.department;
    let this_col = format!("{year}年全年预算数（参考，{money}）");
    let next_col = format!("{next}年预算数（{money}）");
    b.table(
        &["部门预算", &this_col, &next_col],
        &[6, 6, 6],
        vec![
            amount_row("基本支出", &dep.this_year_basic, None),
            amount_row("项目支出", &dep.this_year_project, None),
            amount_row("合计", &dep.this_year_total, Some(&dep.next_year_amount)),
        ],
    );
    let mut line = Line::new().text("年度总体目标：");
    line = match &dep.goal {
        Some(g) => line.text(g),
        None => line.missing_data(&format!("部门整体年度总体目标（{year}年未录入部门整体绩效目标）")),
    };
    b.paragraph(line);
    b.paragraph(Line::new().text("年度主要任务："));
    if dep.tasks.is_empty() {
        b.paragraph(Line::new().text("无延续项目。"));
    } else {
        let col = format!("{year}年全年预算数（参考，{money}）");
        b.table(
            &["任务（项目）", &col],
            &[12, 6],
            dep.tasks.iter().map(|(name, f)| vec![OutlineCell::text(name), OutlineCell::figure(f)]).collect(),
        );
    }
    b.paragraph(Line::new().text("年度绩效指标："));
    if dep.indicators.is_empty() {
        b.paragraph(Line::new().missing_data(&format!("部门整体绩效指标（{year}年未录入）")));
    } else {
        b.table(&INDICATOR_HEADERS, &INDICATOR_WIDTHS, indicator_rows(&dep.indicators));
    }

    b.heading(1, "二、项目支出绩效目标申报表");
    if d.projects.is_empty() {
        b.paragraph(Line::new().text("无延续项目。"));
    }
    for (n, p) in d.projects.iter().enumerate() {
        b.heading(2, format!("（{}）{}（{}）", chinese_ordinal(n + 1), p.name, p.project_code));
        let mut line = Line::new().text(format!("主管部门：{}；实施单位：{}；实施科室：", d.parent_department, d.unit_name));
        line = match &p.department {
            Some(dept) => line.text(dept),
            None => line.missing_data("实施科室"),
        };
        b.paragraph(line.text(format!("；项目属性：延续项目（{}）{}。", p.continuation.reason, if p.is_key { "；重点项目" } else { "" })));
        b.table(
            &[
                "资金情况",
                &format!("{next}年（{money}）"),
                &format!("{year}年全年预算数（参考，{money}）"),
                &format!("{year}年全年执行数（参考，{money}）"),
            ],
            &[5, 6, 6, 6],
            vec![vec![
                OutlineCell::text("年度资金总额"),
                OutlineCell::figure(&p.next_year_amount),
                OutlineCell::figure(&p.this_year_annual),
                OutlineCell::figure(&p.this_year_spent),
            ]],
        );
        b.paragraph(Line::new().text(format!("年度目标：{}", p.goal.trim())));
        if p.indicators.is_empty() {
            b.paragraph(Line::new().missing_data(&format!("绩效指标（{year}年未设）")));
        } else {
            b.table(&INDICATOR_HEADERS, &INDICATOR_WIDTHS, indicator_rows(&p.indicators));
        }
    }

    b.heading(1, "三、不再延续的项目");
    if d.ended.is_empty() {
        b.paragraph(Line::new().text("无。"));
    } else {
        b.list(true, d.ended.iter().map(|(code, name, why)| Line::new().text(format!("{name}（{code}）：{why}"))).collect());
    }
    b.heading(1, "四、审核提示");
    if d.flags.is_empty() {
        b.paragraph(Line::new().text("无。"));
    } else {
        b.list(true, d.flags.iter().map(|f| Line::new().text(f)).collect());
    }
    signature(&mut b, &d.unit_name, None, "填报日期");
    b.finish(&d.title, d.figures.clone())
}
