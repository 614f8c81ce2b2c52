//! One sheet per 决算公开 table: table code, title, unit and 单位：万元 above a bordered grid whose header
//! cells are merged as the official tables print them.

use super::layout::{ColumnWidths, Formats, in_cell, print_setup, sheet_name, wrapped_row_height, write_across, write_block};
use jixiao_core::MoneyUnit;
use jixiao_core::final_accounts::{AccountTable, Value};
use rust_xlsxwriter::{ColNum, RowNum, Workbook, XlsxError};

/// Rows above the header: table code, title, unit line.
const HEADER_START: RowNum = 3;

/// Places header cells left to right, skipping positions covered by cells spanning down from rows above
/// (as an HTML table does): (row, col, last_row, last_col, text).
fn place_header(table: &AccountTable) -> Vec<(RowNum, ColNum, RowNum, ColNum, &str)> {
    let columns = usize::from(table.column_count());
    let mut taken = vec![vec![false; columns]; table.header.len()];
    let mut placed = Vec::new();
    for (r, cells) in table.header.iter().enumerate() {
        let mut c = 0;
        for cell in cells {
            while c < columns && taken[r][c] {
                c += 1;
            }
            let (rows, cols) = (usize::from(cell.rows), usize::from(cell.cols));
            for row in taken.iter_mut().skip(r).take(rows) {
                row.iter_mut().skip(c).take(cols).for_each(|t| *t = true);
            }
            placed.push((r as RowNum, c as ColNum, (r + rows - 1) as RowNum, (c + cols - 1) as ColNum, cell.text.as_str()));
            c += cols;
        }
    }
    placed
}

pub fn write(
    workbook: &mut Workbook,
    f: &Formats,
    unit_name: &str,
    year: i32,
    index: usize,
    table: &AccountTable,
    unit: MoneyUnit,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&format!("{:02} {}", index + 1, table.name)))?;
    let last_col = table.column_count().saturating_sub(1);
    let mut widths = ColumnWidths::new(usize::from(last_col) + 1, 8.0, 40.0);

    sheet.write_string_with_format(0, last_col, &table.code, &f.caption_right)?;
    write_across(sheet, 1, 0, last_col, &table.name, &f.title)?;
    sheet.set_row_height(1, 30)?;
    // 部门 on the left, the year in the middle, 单位：万元 on the right, as the published tables head them.
    let middle = last_col / 2;
    write_across(sheet, 2, 0, middle.saturating_sub(1), &format!("部门：{unit_name}"), &f.caption_left)?;
    if middle > 0 && middle < last_col {
        sheet.write_string_with_format(2, middle, format!("{year}年度"), &f.caption_center)?;
    }
    sheet.write_string_with_format(2, last_col, format!("单位：{}", unit.label()), &f.caption_right)?;

    for (r, c, last_r, last_c, text) in place_header(table) {
        write_block(sheet, (HEADER_START + r, c), (HEADER_START + last_r, last_c), text, &f.header)?;
        if c == last_c {
            widths.fit_text(c, text);
        }
    }
    let body_start = HEADER_START + table.header.len() as RowNum;
    let mut row = body_start;
    for values in &table.rows {
        for (c, value) in values.iter().enumerate() {
            let c = c as ColNum;
            match value {
                Value::Text(t) => {
                    sheet.write_string_with_format(row, c, t, &f.text)?;
                    widths.fit_text(c, t);
                }
                Value::Money(amount) => {
                    sheet.write_number_with_format(row, c, in_cell(*amount, unit), &f.money)?;
                    widths.fit_money_in(c, *amount, unit);
                }
                Value::Blank => {
                    sheet.write_blank(row, c, &f.text)?;
                }
            }
        }
        row += 1;
    }
    if let Some(note) = &table.empty_note {
        write_across(sheet, row, 0, last_col, note, &f.text_center)?;
        sheet.set_row_height(row, wrapped_row_height(note, widths.span(0, last_col)))?;
        row += 1;
    }
    widths.apply(sheet)?;
    let title_rows_end = body_start - 1;
    print_setup(sheet, row - 1, last_col, title_rows_end, last_col >= 5)?;
    sheet.set_freeze_panes(body_start, 0)?;
    Ok(())
}

/// The 决算说明 (其他重要事项的情况说明): one titled paragraph a row, after the tables.
pub fn write_explanations(
    workbook: &mut Workbook,
    f: &Formats,
    books: &jixiao_core::books::Books,
    items: &[jixiao_core::final_accounts::Explanation],
) -> Result<(), XlsxError> {
    const LAST_COL: ColNum = 1;
    let sheet = workbook.add_worksheet();
    sheet.set_name("决算说明")?;
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 80)?;
    write_across(sheet, 0, 0, LAST_COL, &format!("{}年度{}部门决算说明（其他重要事项）", books.year.year, books.unit.name), &f.title)?;
    sheet.set_row_height(0, 30)?;
    for (k, e) in items.iter().enumerate() {
        let row = 1 + k as RowNum;
        sheet.write_string_with_format(row, 0, &e.title, &f.text)?;
        sheet.write_string_with_format(row, 1, &e.text, &f.text_wrap)?;
        sheet.set_row_height(row, wrapped_row_height(&e.text, 80.0))?;
    }
    print_setup(sheet, items.len() as RowNum, LAST_COL, 0, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::final_accounts::{h, h_span};

    #[test]
    fn header_cells_flow_around_cells_spanning_down() {
        let table = AccountTable {
            code: String::new(),
            name: String::new(),
            header: vec![vec![h_span("编码", 1, 2), h_span("本年支出", 3, 1), h_span("结余", 1, 2)], vec![h("小计"), h("基本"), h("项目")]],
            rows: vec![],
            empty_note: None,
        };
        let placed = place_header(&table);
        assert_eq!(placed[0], (0, 0, 1, 0, "编码"));
        assert_eq!(placed[1], (0, 1, 0, 3, "本年支出"));
        assert_eq!(placed[2], (0, 4, 1, 4, "结余"));
        assert_eq!(placed[3], (1, 1, 1, 1, "小计"));
        assert_eq!(placed[5], (1, 3, 1, 3, "项目"));
    }
}
