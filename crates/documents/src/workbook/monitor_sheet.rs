//! The 预算绩效运行监控表 as a workbook of one sheet, the form a 财政局 collects: 预算执行情况 with amounts in
//! 万元 and rates as numbers, then each subject's 绩效目标完成情况; the same cells as the DOCX/PDF table.

use super::layout::{ColumnWidths, Formats, in_cell, print_setup, sheet_name, wrapped_row_height, write_across};
use crate::DocumentError;
use crate::outline::monitor::{INDICATOR_HEADERS, funds_headers, indicator_cells, title};
use jixiao_core::MoneyUnit;
use jixiao_core::monitoring::Monitoring;
use jixiao_core::report_model::Figure;
use rust_xlsxwriter::{ColNum, DocProperties, ExcelDateTime, Format, RowNum, Workbook, Worksheet, XlsxError};

const LAST_COL: ColNum = 8;
const WIDE: f64 = 30.0;

/// A rate (basis points) as a spreadsheet fraction for `0.00%`.
fn fraction(bp: i64) -> f64 {
    bp as f64 / 10_000.0
}

/// A statement cell: its text, or the missing marker, wrapped.
fn statement(sheet: &mut Worksheet, row: RowNum, col: ColNum, f: &Figure, format: &Format) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, &f.text, format)?;
    Ok(())
}

/// The workbook's bytes; dated by the monitoring date, so the same books and date give the same file.
pub fn monitor_workbook(m: &Monitoring) -> Result<Vec<u8>, DocumentError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(u16::try_from(m.as_of.year).unwrap_or(1900), m.as_of.month as u8, m.as_of.day as u8)?;
    wb.set_properties(&DocProperties::new().set_title(title(m)).set_author(m.unit_name.clone()).set_creation_datetime(&date));
    let f = Formats::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(sheet_name("预算绩效运行监控表"))?;
    let mut widths = ColumnWidths::new(usize::from(LAST_COL) + 1, 9.0, WIDE);

    write_across(sheet, 0, 0, LAST_COL, &title(m), &f.title)?;
    sheet.set_row_height(0, 30)?;
    write_across(
        sheet,
        1,
        0,
        LAST_COL - 1,
        &format!("监控日期：{}　序时进度：{}（{} ÷ 12）", m.as_of.chinese(), m.time_progress.text, m.months),
        &f.caption_left,
    )?;
    sheet.write_string_with_format(1, LAST_COL, "单位：万元", &f.caption_right)?;
    write_across(sheet, 2, 0, LAST_COL, "一、预算执行情况", &f.caption_left)?;
    for (c, h) in funds_headers(m).iter().enumerate() {
        sheet.write_string_with_format(3, c as ColNum, h, &f.header)?;
        widths.fit_text(c as ColNum, h);
    }
    let mut row: RowNum = 4;
    for r in &m.funds {
        let a = &r.amounts;
        sheet.write_string_with_format(row, 0, &r.label, &f.text_wrap)?;
        widths.fit_text(0, &r.label);
        for (col, amount) in [(1, a.initial), (2, a.annual), (3, a.spent)] {
            sheet.write_number_with_format(row, col, in_cell(amount, MoneyUnit::Wan), &f.money)?;
            widths.fit_money_in(col, amount, MoneyUnit::Wan);
        }
        match a.execution_rate {
            Some(bp) => sheet.write_number_with_format(row, 4, fraction(bp.0), &f.percent)?,
            None => sheet.write_string_with_format(row, 4, &r.execution_rate.text, &f.text_wrap)?,
        };
        match a.gap {
            Some(bp) => sheet.write_number_with_format(row, 5, bp.0 as f64 / 100.0, &f.points)?,
            None => sheet.write_string_with_format(row, 5, &r.gap.text, &f.text_wrap)?,
        };
        match a.expected {
            Some(amount) => sheet.write_number_with_format(row, 6, in_cell(amount, MoneyUnit::Wan), &f.money)?,
            None => sheet.write_string_with_format(row, 6, &r.expected.text, &f.text_wrap)?,
        };
        statement(sheet, row, 7, &r.deviation_reason, &f.text_wrap)?;
        statement(sheet, row, 8, &r.corrective_action, &f.text_wrap)?;
        let tallest = [&r.deviation_reason.text, &r.corrective_action.text, &r.expected.text]
            .iter()
            .map(|t| wrapped_row_height(t, WIDE))
            .fold(20.0, f64::max);
        sheet.set_row_height(row, tallest)?;
        row += 1;
    }
    widths.fit(7, WIDE);
    widths.fit(8, WIDE);

    row += 1;
    write_across(sheet, row, 0, LAST_COL, "二、绩效目标完成情况", &f.caption_left)?;
    row += 1;
    if m.goals.is_empty() {
        write_across(sheet, row, 0, LAST_COL, "「缺少数据：绩效目标（部门整体或项目绩效指标）」", &f.note)?;
        row += 1;
    }
    for g in &m.goals {
        let subject = match &g.project_code {
            Some(code) => format!("{}（{code}）", g.subject),
            None => format!("{}绩效目标", g.subject),
        };
        let goal = g.goal.as_deref().map_or("「缺少数据：年度总体目标」".to_string(), |t| t.trim().to_string());
        let text = format!("{subject}　年度总体目标：{goal}");
        write_across(sheet, row, 0, LAST_COL, &text, &f.note)?;
        sheet.set_row_height(row, wrapped_row_height(&text, widths.span(0, LAST_COL).max(120.0)))?;
        row += 1;
        if g.indicators.is_empty() {
            write_across(sheet, row, 0, LAST_COL, "绩效指标：「缺少数据：绩效指标」", &f.note)?;
            row += 2;
            continue;
        }
        for (c, h) in INDICATOR_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(row, c as ColNum, *h, &f.header)?;
        }
        row += 1;
        for i in &g.indicators {
            let cells = indicator_cells(i);
            let mut tallest: f64 = 20.0;
            for (c, cell) in cells.iter().enumerate() {
                sheet.write_string_with_format(row, c as ColNum, &cell.text, &f.text_wrap)?;
                tallest = tallest.max(wrapped_row_height(&cell.text, widths.width(c as ColNum).max(if c >= 7 { WIDE } else { 9.0 })));
            }
            sheet.set_row_height(row, tallest.min(120.0))?;
            row += 1;
        }
        row += 1;
    }
    let note = format!(
        "说明：{}。偏差原因、纠偏措施、全年预计和完成目标可能性取单位填报的绩效监控记录（监控日期及以前最新一条）；未填报而须说明的，标「缺少数据」。",
        m.time_progress_rule
    );
    write_across(sheet, row, 0, LAST_COL, &note, &f.note)?;
    sheet.set_row_height(row, wrapped_row_height(&note, widths.span(0, LAST_COL).max(120.0)))?;
    widths.apply(sheet)?;
    print_setup(sheet, row, LAST_COL, 3, true)?;
    Ok(wb.save_to_buffer()?)
}
