//! The books in formats other tools read: a plain-text accounting journal (`journal`, for ledger and
//! hledger) and a Fiscal Data Package (`fdp`). Pure: they turn `Books` into text; the CLI writes the files.

pub mod fdp;
pub mod journal;
