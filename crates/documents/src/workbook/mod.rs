//! The workbook (xlsx): the nine 部门决算公开 tables, the 部门整体支出绩效自评表 and one 项目支出绩效自评表 per
//! project. Money is stored as numbers in 万元 with `#,##0.00`; the same books give the same bytes.

mod accounts_sheet;
mod evaluation_sheets;
mod layout;
mod monitor_sheet;

pub use monitor_sheet::monitor_workbook;

use crate::DocumentError;
use jixiao_core::MoneyUnit;
use jixiao_core::books::Books;
use jixiao_core::evaluation::Evaluation;
use jixiao_core::final_accounts::final_accounts;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

/// The whole workbook as bytes, the 决算公开 tables in 万元, the 决算说明 without the 上年 comparison.
pub fn workbook(books: &Books, evaluation: &Evaluation) -> Result<Vec<u8>, DocumentError> {
    workbook_in(books, evaluation, MoneyUnit::Wan, None)
}

/// [`workbook`] with the 决算公开 tables in `unit` (万元 or 元; the 绩效自评表 keep 万元, as their forms print it)
/// and the 决算说明 compared with the `prior` year's books when given.
pub fn workbook_in(books: &Books, evaluation: &Evaluation, unit: MoneyUnit, prior: Option<&Books>) -> Result<Vec<u8>, DocumentError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(books)?);
    let formats = layout::Formats::new();
    let accounts = final_accounts(books);
    for (index, table) in accounts.tables.iter().enumerate() {
        accounts_sheet::write(&mut wb, &formats, &accounts.unit_name, accounts.year, index, table, unit)?;
    }
    accounts_sheet::write_explanations(&mut wb, &formats, books, &jixiao_core::final_accounts::explanations(books, prior))?;
    evaluation_sheets::write_department(&mut wb, &formats, evaluation)?;
    for (index, project) in evaluation.projects.iter().enumerate() {
        evaluation_sheets::write_project(&mut wb, &formats, &books.unit, books.year.year, index, project)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Title and author, dated by the report date (or the year's last day) rather than the clock, so the
/// same books give byte-identical files.
fn properties(books: &Books) -> Result<DocProperties, DocumentError> {
    let (y, m, d) = books.year.report_date.map_or((books.year.year, 12, 31), |d| (d.year, d.month, d.day));
    let date = ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(1900), m as u8, d as u8)?;
    Ok(DocProperties::new()
        .set_title(format!("{}年度{}部门决算公开表及绩效自评表", books.year.year, books.unit.name))
        .set_author(books.unit.name.clone())
        .set_creation_datetime(&date))
}
