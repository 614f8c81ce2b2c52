//! jixiao's office documents: the self-evaluation report as a DOCX in 公文 layout (GB/T 9704), and the
//! workbook of 部门决算公开 tables and 绩效自评表 (xlsx). The report's blocks (`outline`) are shared with
//! the PDF crate, so every format carries the same content in the same order as the Markdown report.

pub mod accounts;
pub mod docx;
pub mod outline;
pub mod workbook;

pub use docx::{Orientation, docx, docx_in};
pub use outline::{Outline, monitor_outline, outline};
pub use workbook::{monitor_workbook, workbook, workbook_in};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("写入 xlsx 失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("写入 docx 失败：{0}")]
    Docx(String),
}
