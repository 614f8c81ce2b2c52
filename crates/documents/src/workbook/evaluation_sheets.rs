//! The scored tables: 部门整体支出绩效自评表 (one sheet) and a 项目支出绩效自评表 per project, in the layout of
//! the 财预〔2020〕10号 annex (项目资金 block, 年度总体目标, 绩效指标 grid, 总分).

use super::layout::{ColumnWidths, Formats, points, print_setup, sheet_name, wan_yuan, wrapped_row_height, write_across, write_block};
use crate::outline::evaluation::scoring_note;
use jixiao_core::BasisPoints;
use jixiao_core::evaluation::{Evaluation, Points, ProjectEvaluation};
use jixiao_core::records::UnitProfile;
use jixiao_core::report_model::evaluation_figures::score_text;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, Worksheet, XlsxError};

/// Writes `texts` down column `col` from row `first`, merging runs of equal `keys` (一级/二级指标 as the
/// printed tables group them).
fn merge_runs(sheet: &mut Worksheet, f: &Formats, col: ColNum, first: RowNum, keys: &[String], texts: &[&str]) -> Result<(), XlsxError> {
    let mut start = 0;
    while start < keys.len() {
        let end = (start..keys.len()).take_while(|k| keys[*k] == keys[start]).last().unwrap_or(start);
        write_block(sheet, (first + start as RowNum, col), (first + end as RowNum, col), texts[start], &f.text_center)?;
        start = end + 1;
    }
    Ok(())
}

pub fn write_department(workbook: &mut Workbook, f: &Formats, ev: &Evaluation) -> Result<(), XlsxError> {
    const LAST_COL: ColNum = 6;
    const NOTE_WIDTH: f64 = 60.0;
    let sheet = workbook.add_worksheet();
    sheet.set_name("部门整体支出绩效自评表")?;
    let mut widths = ColumnWidths::new(7, 8.0, NOTE_WIDTH);
    write_across(sheet, 0, 0, LAST_COL, &format!("{}年度{}部门整体支出绩效自评表", ev.year, ev.unit_name), &f.title)?;
    sheet.set_row_height(0, 30)?;
    write_across(sheet, 1, 0, LAST_COL - 1, &format!("评价依据：{}", ev.framework), &f.caption_left)?;
    sheet.write_string_with_format(1, LAST_COL, "单位：分", &f.caption_right)?;
    for (c, h) in ["一级指标", "二级指标", "三级指标", "分值", "指标值", "得分", "评分说明"].iter().enumerate() {
        sheet.write_string_with_format(2, c as ColNum, *h, &f.header)?;
        widths.fit_text(c as ColNum, h);
    }
    widths.fit(LAST_COL, NOTE_WIDTH);

    let first = 3;
    for (k, i) in ev.indicators.iter().enumerate() {
        let row = first + k as RowNum;
        sheet.write_string_with_format(row, 2, &i.level3, &f.text)?;
        sheet.write_number_with_format(row, 3, points(i.weight), &f.points)?;
        sheet.write_string_with_format(row, 4, &i.value, &f.text_center)?;
        if i.excluded {
            sheet.write_string_with_format(row, 5, score_text(i), &f.text_center)?;
        } else {
            sheet.write_number_with_format(row, 5, points(i.score), &f.points)?;
        }
        let note = scoring_note(i);
        sheet.write_string_with_format(row, 6, &note, &f.text_wrap)?;
        sheet.set_row_height(row, wrapped_row_height(&note, NOTE_WIDTH))?;
        for (col, text) in [(0, &i.level1), (1, &i.level2), (2, &i.level3), (4, &i.value)] {
            widths.fit_text(col, text);
        }
    }
    // 二级指标 merge only within their 一级指标: the key is both levels.
    let level1: Vec<String> = ev.indicators.iter().map(|i| i.level1.clone()).collect();
    let level2: Vec<String> = ev.indicators.iter().map(|i| format!("{}\u{0}{}", i.level1, i.level2)).collect();
    merge_runs(sheet, f, 0, first, &level1, &ev.indicators.iter().map(|i| i.level1.as_str()).collect::<Vec<_>>())?;
    merge_runs(sheet, f, 1, first, &level2, &ev.indicators.iter().map(|i| i.level2.as_str()).collect::<Vec<_>>())?;

    let mut row = first + ev.indicators.len() as RowNum;
    write_across(sheet, row, 0, 2, "合计", &f.header)?;
    let weights: Points = Points(ev.indicators.iter().filter(|i| !i.excluded).map(|i| i.weight.0).sum());
    sheet.write_number_with_format(row, 3, points(weights), &f.points)?;
    sheet.write_blank(row, 4, &f.text)?;
    sheet.write_number_with_format(row, 5, points(ev.total), &f.points)?;
    sheet.write_string_with_format(row, 6, format!("评价等级：{}", ev.grade), &f.text)?;
    if let Some(note) = &ev.note {
        row += 1;
        write_across(sheet, row, 0, LAST_COL, &format!("注：{note}。"), &f.note)?;
        sheet.set_row_height(row, wrapped_row_height(note, widths.span(0, LAST_COL)))?;
    }
    widths.apply(sheet)?;
    print_setup(sheet, row, LAST_COL, 2, true)?;
    Ok(())
}

/// Columns of the 项目支出绩效自评表: A holds the block labels, B–I the blocks.
const LAST_COL: ColNum = 8;

pub fn write_project(
    workbook: &mut Workbook,
    f: &Formats,
    unit: &UnitProfile,
    year: i32,
    index: usize,
    p: &ProjectEvaluation,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&format!("项目{} {}", index + 1, p.name)))?;
    let mut widths = ColumnWidths::new(usize::from(LAST_COL) + 1, 9.0, 40.0);
    for (col, width) in [(0, 10.0), (1, 18.0), (3, 22.0), (8, 30.0)] {
        widths.fit(col, width);
    }
    for fund in &p.funds {
        widths.fit_text(1, &fund.label);
    }
    for i in &p.indicators {
        for (col, text) in [(1, &i.level1), (2, &i.level2), (3, &i.level3)] {
            widths.fit_text(col, text);
        }
    }

    write_across(sheet, 0, 0, LAST_COL, "项目支出绩效自评表", &f.title)?;
    sheet.set_row_height(0, 30)?;
    write_across(sheet, 1, 0, LAST_COL, &format!("（{year}年度）"), &f.caption_center)?;
    sheet.write_string_with_format(2, LAST_COL, "金额单位：万元", &f.caption_right)?;
    sheet.write_string_with_format(3, 0, "项目名称", &f.header)?;
    write_across(sheet, 3, 1, LAST_COL, &format!("{}（{}）", p.name, p.project_code), &f.text)?;
    sheet.write_string_with_format(4, 0, "主管部门", &f.header)?;
    write_across(sheet, 4, 1, 3, &unit.parent_department, &f.text)?;
    sheet.write_string_with_format(4, 4, "实施单位", &f.header)?;
    write_across(sheet, 4, 5, LAST_COL, &unit.name, &f.text)?;

    // 项目资金: header row and one row per fund line; 分值, 执行率 and 得分 only on 年度资金总额.
    let funds_start: RowNum = 5;
    write_block(sheet, (funds_start, 0), (funds_start + p.funds.len() as RowNum, 0), "项目资金\n（万元）", &f.header)?;
    sheet.write_blank(funds_start, 1, &f.header)?;
    for (c, h) in ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率"].iter().enumerate() {
        sheet.write_string_with_format(funds_start, 2 + c as ColNum, *h, &f.header)?;
    }
    write_across(sheet, funds_start, 7, LAST_COL, "得分", &f.header)?;
    for (k, fund) in p.funds.iter().enumerate() {
        let row = funds_start + 1 + k as RowNum;
        sheet.write_string_with_format(row, 1, &fund.label, &f.text)?;
        sheet.write_number_with_format(row, 2, wan_yuan(jixiao_core::Fen(fund.initial.fen)), &f.money)?;
        sheet.write_number_with_format(row, 3, wan_yuan(jixiao_core::Fen(fund.annual.fen)), &f.money)?;
        match &fund.spent {
            Some(s) => sheet.write_number_with_format(row, 4, wan_yuan(jixiao_core::Fen(s.fen)), &f.money)?,
            None => sheet.write_string_with_format(row, 4, "—", &f.text_center)?,
        };
        if k == 0 {
            sheet.write_number_with_format(row, 5, points(p.execution_weight), &f.points)?;
            let spent = fund.spent.as_ref().map_or(0, |s| s.fen);
            match BasisPoints::ratio(spent, fund.annual.fen) {
                Some(rate) => sheet.write_number_with_format(row, 6, rate.0 as f64 / 10_000.0, &f.percent)?,
                None => sheet.write_string_with_format(row, 6, "无法计算", &f.text_center)?,
            };
            sheet.merge_range(row, 7, row, LAST_COL, "", &f.points)?;
            sheet.write_number_with_format(row, 7, points(p.execution_score), &f.points)?;
        } else {
            sheet.write_string_with_format(row, 5, "—", &f.text_center)?;
            sheet.write_string_with_format(row, 6, "—", &f.text_center)?;
            write_across(sheet, row, 7, LAST_COL, "—", &f.text_center)?;
        }
    }

    // 年度总体目标: 预期目标 beside 实际完成情况.
    let goal_row = funds_start + 1 + p.funds.len() as RowNum;
    write_block(sheet, (goal_row, 0), (goal_row + 1, 0), "年度总体目标", &f.header)?;
    write_across(sheet, goal_row, 1, 4, "预期目标", &f.header)?;
    write_across(sheet, goal_row, 5, LAST_COL, "实际完成情况", &f.header)?;
    let outcome = p.outcome.clone().unwrap_or_else(|| "「缺少数据：实际完成情况」".into());
    write_across(sheet, goal_row + 1, 1, 4, &p.goal, &f.text_wrap)?;
    write_across(sheet, goal_row + 1, 5, LAST_COL, &outcome, &f.text_wrap)?;
    let height = wrapped_row_height(&p.goal, widths.span(1, 4)).max(wrapped_row_height(&outcome, widths.span(5, LAST_COL)));
    sheet.set_row_height(goal_row + 1, height)?;

    // 绩效指标.
    let grid = goal_row + 2;
    write_block(sheet, (grid, 0), (grid + p.indicators.len() as RowNum, 0), "绩效指标", &f.header)?;
    for (c, h) in
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"].iter().enumerate()
    {
        sheet.write_string_with_format(grid, 1 + c as ColNum, *h, &f.header)?;
    }
    for (k, i) in p.indicators.iter().enumerate() {
        let row = grid + 1 + k as RowNum;
        // 二级, 三级, 年度指标值, 实际完成值 as the report prints them.
        let texts = [i.level2.clone(), i.level3.clone(), i.target_text(), i.actual_text()];
        for (c, text) in (2..=5).zip(&texts) {
            sheet.write_string_with_format(row, c, text, &f.text_wrap)?;
            widths.fit_text(c, text);
        }
        sheet.write_number_with_format(row, 6, points(i.weight), &f.points)?;
        sheet.write_number_with_format(row, 7, points(i.score), &f.points)?;
        let deviation = if i.deviation_reason.is_empty() { "—" } else { i.deviation_reason.as_str() };
        sheet.write_string_with_format(row, 8, deviation, &f.text_wrap)?;
        sheet.set_row_height(row, wrapped_row_height(deviation, widths.width(8)).max(wrapped_row_height(&texts[2], widths.width(4))))?;
    }
    let level1: Vec<String> = p.indicators.iter().map(|i| i.level1.clone()).collect();
    merge_runs(sheet, f, 1, grid + 1, &level1, &p.indicators.iter().map(|i| i.level1.as_str()).collect::<Vec<_>>())?;

    let mut row = grid + 1 + p.indicators.len() as RowNum;
    write_across(sheet, row, 0, 5, "总分", &f.header)?;
    let full: Points = Points(p.execution_weight.0 + p.indicators.iter().map(|i| i.weight.0).sum::<i64>());
    sheet.write_number_with_format(row, 6, points(full), &f.points)?;
    sheet.write_number_with_format(row, 7, points(p.total), &f.points)?;
    sheet.write_string_with_format(row, 8, format!("自评等级：{}", p.grade), &f.text)?;
    if let Some(note) = &p.note {
        row += 1;
        write_across(sheet, row, 0, LAST_COL, &format!("注：{note}。"), &f.note)?;
        sheet.set_row_height(row, wrapped_row_height(note, widths.span(0, LAST_COL)))?;
    }
    widths.apply(sheet)?;
    print_setup(sheet, row, LAST_COL, 1, true)?;
    Ok(())
}
