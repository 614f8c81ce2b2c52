//! jixiao's documents: a report as blocks (`outline`), written as Markdown and HTML (`text`), as a DOCX in
//! 公文 layout (GB/T 9704, `docx`) and — by the PDF crate — as a PDF, so every format carries the same
//! content in the same order; and the workbook of 部门决算公开 tables (computed by core's `final_accounts`)
//! and 绩效自评表 (xlsx).

pub mod docx;
pub mod outline;
pub mod text;
pub mod workbook;

pub use docx::{Orientation, docx, docx_in};
pub use outline::{Outline, consolidated_outline, evaluation_outline, monitor_outline, outline};
pub use workbook::{monitor_workbook, workbook, workbook_in};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("写入 xlsx 失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("写入 docx 失败：{0}")]
    Docx(String),
}
