//! jixiao's domain core: money, code tables, the record model, the ledger rules, the books check and the
//! figures of the self-evaluation report. Pure: no IO, no async. Reference data is embedded from `data/`.

pub mod books;
pub mod check;
pub mod codes;
pub mod consolidated;
pub mod evaluation;
pub mod date;
pub mod ledger;
pub mod money;
pub mod period;
pub mod records;
pub mod report_model;
pub mod schema;
pub mod sections;

#[cfg(test)]
mod fixture;

pub use date::Date;
pub use money::{BasisPoints, Fen};
pub use records::*;
