//! What every sheet of the workbook shares: cell formats, CJK-aware column widths, the title block and
//! the print set-up (A4, one page wide, title rows repeated on every page).

use jixiao_core::evaluation::Points;
use jixiao_core::{Fen, MoneyUnit};
use rust_xlsxwriter::{ColNum, Format, FormatAlign, FormatBorder, RowNum, Worksheet, XlsxError};

/// Chinese spreadsheets default to 宋体; Calibri has no CJK glyphs.
const FONT: &str = "宋体";

/// The formats of the workbook, made once.
pub struct Formats {
    pub title: Format,
    pub caption_left: Format,
    pub caption_center: Format,
    pub caption_right: Format,
    pub header: Format,
    pub text: Format,
    pub text_center: Format,
    pub text_wrap: Format,
    pub money: Format,
    pub points: Format,
    pub percent: Format,
    pub note: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(10);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base.clone().set_font_size(16).set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            caption_left: base.clone().set_align(FormatAlign::Left),
            caption_center: base.clone().set_align(FormatAlign::Center),
            caption_right: base.clone().set_align(FormatAlign::Right),
            header: cell.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            text: cell.clone(),
            text_center: cell.clone().set_align(FormatAlign::Center).set_text_wrap(),
            text_wrap: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            money: cell.clone().set_num_format("#,##0.00"),
            points: cell.clone().set_num_format("0.00"),
            percent: cell.clone().set_num_format("0.00%"),
            note: base.set_align(FormatAlign::Left).set_text_wrap().set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// 分 as 万元, for a spreadsheet cell: the one place money becomes a float.
pub fn wan_yuan(amount: Fen) -> f64 {
    amount.0 as f64 / 1_000_000.0
}

/// 分 in `unit` (万元 or 元), for a spreadsheet cell.
pub fn in_cell(amount: Fen, unit: MoneyUnit) -> f64 {
    match unit {
        MoneyUnit::Wan => wan_yuan(amount),
        MoneyUnit::Yuan => amount.0 as f64 / 100.0,
    }
}

/// Points (hundredths) as a number of points.
pub fn points(p: Points) -> f64 {
    p.0 as f64 / 100.0
}

/// How wide `text` shows in Excel's column units: a CJK character takes about 2.1, other characters 1.1.
/// (`autofit` under-measures CJK and leaves `###` and cut-off headers.)
pub fn display_width(text: &str) -> f64 {
    text.lines().map(|line| line.chars().map(|c| if is_wide(c) { 2.1 } else { 1.1 }).sum::<f64>()).fold(0.0, f64::max)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x2018..=0x201D)
}

/// The widest content of each column, to set widths once a sheet is written.
pub struct ColumnWidths {
    widths: Vec<f64>,
    min: f64,
    max: f64,
}

impl ColumnWidths {
    pub fn new(columns: usize, min: f64, max: f64) -> ColumnWidths {
        ColumnWidths { widths: vec![min; columns], min, max }
    }

    pub fn fit_text(&mut self, col: ColNum, text: &str) {
        self.fit(col, display_width(text) + 2.0);
    }

    /// Room for an amount printed `#,##0.00` in `unit`.
    pub fn fit_money_in(&mut self, col: ColNum, amount: Fen, unit: MoneyUnit) {
        let printed = amount.in_unit(unit);
        let integer_digits = printed.trim_start_matches('-').split('.').next().map_or(1, str::len);
        self.fit(col, (printed.len() + integer_digits.saturating_sub(1) / 3) as f64 + 3.0);
    }

    pub fn fit(&mut self, col: ColNum, width: f64) {
        if let Some(w) = self.widths.get_mut(usize::from(col)) {
            *w = w.max(width.clamp(self.min, self.max));
        }
    }

    pub fn width(&self, col: ColNum) -> f64 {
        self.widths.get(usize::from(col)).copied().unwrap_or(self.min)
    }

    /// The summed width of columns `first..=last`.
    pub fn span(&self, first: ColNum, last: ColNum) -> f64 {
        (first..=last).map(|c| self.width(c)).sum()
    }

    pub fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, width) in self.widths.iter().enumerate() {
            sheet.set_column_width(col as ColNum, *width)?;
        }
        Ok(())
    }
}

/// A row tall enough for `text` wrapped in a cell `width` units wide (Excel does not grow merged rows).
pub fn wrapped_row_height(text: &str, width: f64) -> f64 {
    let lines: f64 = text.lines().map(|l| (display_width(l) / (width - 1.0).max(1.0)).ceil().max(1.0)).sum();
    (lines.max(1.0) * 14.0 + 4.0).max(20.0)
}

/// Writes `text` into `first..=last` of `row`, merging when it spans more than one column.
pub fn write_across(sheet: &mut Worksheet, row: RowNum, first: ColNum, last: ColNum, text: &str, format: &Format) -> Result<(), XlsxError> {
    if first == last {
        sheet.write_string_with_format(row, first, text, format)?;
    } else {
        sheet.merge_range(row, first, row, last, text, format)?;
    }
    Ok(())
}

/// Writes `text` into a block of cells, merging when it covers more than one.
pub fn write_block(
    sheet: &mut Worksheet,
    (first_row, first_col): (RowNum, ColNum),
    (last_row, last_col): (RowNum, ColNum),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if first_row == last_row && first_col == last_col {
        sheet.write_string_with_format(first_row, first_col, text, format)?;
    } else {
        sheet.merge_range(first_row, first_col, last_row, last_col, text, format)?;
    }
    Ok(())
}

/// The print set-up of every sheet: A4, centred, one page wide, rows `0..=title_rows_end` on every page.
pub fn print_setup(
    sheet: &mut Worksheet,
    last_row: RowNum,
    last_col: ColNum,
    title_rows_end: RowNum,
    landscape: bool,
) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    }
    sheet.set_print_center_horizontally(true);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_area(0, 0, last_row, last_col)?;
    sheet.set_repeat_rows(0, title_rows_end)?;
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A valid, unique-enough sheet name: at most 31 UTF-16 units (Excel counts a character outside the BMP, an
/// emoji, as two), none of `[]:*?/\`, and no apostrophe first or last (Excel and rust_xlsxwriter refuse one
/// there; a project name may end with one, or be cut before one).
pub fn sheet_name(name: &str) -> String {
    let mut units = 0;
    let mut chars: Vec<char> = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take_while(|c| {
            units += c.len_utf16();
            units <= 31
        })
        .collect();
    for i in [0, chars.len().saturating_sub(1)] {
        if chars.get(i) == Some(&'\'') {
            chars[i] = '_';
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_about_twice_as_wide_as_latin() {
        assert!((display_width("收入决算表") - 10.5).abs() < 1e-9);
        assert!((display_width("242.96") - 6.6).abs() < 1e-9);
    }

    #[test]
    fn money_cells_get_room_for_separators() {
        let mut w = ColumnWidths::new(1, 4.0, 60.0);
        w.fit_money_in(0, Fen(1_234_567_800_000), MoneyUnit::Wan); // 1,234,567.80 万元
        assert!(w.width(0) >= 12.0 + 3.0, "{}", w.width(0));
    }

    #[test]
    fn sheet_names_are_valid() {
        assert_eq!(sheet_name("a/b[c]"), "a_b_c_");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn hostile_project_names_give_sheet_names_the_writer_accepts() {
        let cut_before_apostrophe = format!("{}'b", "a".repeat(30));
        let emoji = "😀".repeat(20);
        for hostile in ["项目1 乡村'", "'项目", "'", cut_before_apostrophe.as_str(), "项目2 O'Neil 项目", emoji.as_str()] {
            let name = sheet_name(hostile);
            assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
            // The writer itself accepts it (it refuses SheetnameStartsOrEndsWithApostrophe otherwise).
            rust_xlsxwriter::Worksheet::new().set_name(&name).unwrap_or_else(|e| panic!("{hostile:?} → {name:?}: {e}"));
        }
        assert_eq!(sheet_name("项目2 O'Neil 项目"), "项目2 O'Neil 项目", "an apostrophe inside stays");
    }
}
