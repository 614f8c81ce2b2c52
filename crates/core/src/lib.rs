//! jixiao's domain core: money, code tables, the record model, the ledger rules, the books check and the
//! figures of the self-evaluation report. Pure: no IO, no async. Reference data is embedded from `data/`.

pub mod assets;
pub mod balance;
pub mod books;
pub mod budget_control;
pub mod check;
pub mod codes;
pub mod consolidated;
pub mod date;
pub mod disclosure;
pub mod evaluation;
pub mod export;
pub mod final_accounts;
pub mod finding;
pub mod governance;
pub mod ledger;
pub mod money;
pub mod monitoring;
pub mod period;
pub mod procurement;
pub mod project_report;
pub mod records;
pub mod regional;
pub mod report_model;
pub mod schema;
pub mod sections;
pub mod targets;
pub mod workflow;

#[cfg(test)]
mod fixture;

pub use books::Books;
pub use date::Date;
pub use money::{BasisPoints, Fen, MoneyUnit};
pub use records::*;
