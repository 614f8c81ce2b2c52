//! The ledger rules every money record obeys: unique keys, positive entries, and reversals that cancel
//! exactly one earlier entry of the same line. A line's balance is always the sum of its entries.

use crate::money::Fen;
use std::collections::{HashMap, HashSet};

/// One money record as the ledger sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// What the entry is booked against: an appropriation line, or a fund source × function code for receipts.
    pub line: String,
    pub amount: Fen,
    pub reverses: Option<String>,
}

/// Why an entry was refused. Each has a rule id and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("凭证号「{0}」已存在且内容不同")]
    DuplicateKey(String),
    #[error("金额必须为正数（冲销请填写冲销凭证号并使用负数）")]
    NotPositive,
    #[error("金额不能为零")]
    Zero,
    #[error("冲销的凭证「{0}」不存在")]
    UnknownReversed(String),
    #[error("凭证「{0}」已被冲销过，不能重复冲销")]
    AlreadyReversed(String),
    #[error("凭证「{0}」本身是冲销凭证，不能再冲销")]
    ReversalOfReversal(String),
    #[error("冲销金额应为原凭证金额的相反数 {expected}，实为 {actual}")]
    ReversalAmount { expected: Fen, actual: Fen },
    #[error("冲销凭证应记在原凭证同一科目/指标「{0}」上")]
    ReversalLine(String),
}

impl LedgerError {
    pub fn rule_id(&self) -> &'static str {
        match self {
            LedgerError::DuplicateKey(_) => "LEDGER_DUPLICATE_KEY",
            LedgerError::NotPositive => "LEDGER_NOT_POSITIVE",
            LedgerError::Zero => "LEDGER_ZERO_AMOUNT",
            LedgerError::UnknownReversed(_) => "LEDGER_REVERSAL_UNKNOWN",
            LedgerError::AlreadyReversed(_) => "LEDGER_REVERSAL_TWICE",
            LedgerError::ReversalOfReversal(_) => "LEDGER_REVERSAL_OF_REVERSAL",
            LedgerError::ReversalAmount { .. } => "LEDGER_REVERSAL_AMOUNT",
            LedgerError::ReversalLine(_) => "LEDGER_REVERSAL_LINE",
        }
    }
}

/// A 128-bit digest of a key given in parts (SipHash, twice with different seeds; deterministic). Compact
/// state keyed by it needs no copy of the key text: errors always name the key of the record at hand.
/// Two different keys share a digest with probability about n² / 2¹²⁹ — nil for any real set of books.
pub fn key_digest(parts: &[&[u8]]) -> u128 {
    use std::hash::{DefaultHasher, Hasher};
    let half = |seed: u8| {
        let mut h = DefaultHasher::new();
        h.write_u8(seed);
        for p in parts {
            h.write_usize(p.len());
            h.write(p);
        }
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// What the ledger keeps of a posted entry: compact, so that a million vouchers fit in a few dozen MB
/// (an import keeps the unit's whole ledger of a kind while it streams the rows).
#[derive(Debug, Clone, Copy)]
struct Posted {
    /// Index into `Ledger::lines`.
    line: u32,
    amount: Fen,
    is_reversal: bool,
}

/// Entries of one kind of money record, in posting order.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    /// By [`key_digest`] of the entry's key.
    entries: HashMap<u128, Posted>,
    /// Line texts, each once; entries refer to them by index.
    lines: Vec<String>,
    line_index: HashMap<String, u32>,
    reversed: HashSet<u128>,
    /// Whether an original entry may be negative (a 调剂 out of a line).
    allow_negative: bool,
}

impl Ledger {
    pub fn new(allow_negative: bool) -> Ledger {
        Ledger { allow_negative, ..Ledger::default() }
    }

    /// Books an entry, or refuses it and leaves the ledger as it was.
    pub fn post(&mut self, entry: Entry) -> Result<(), LedgerError> {
        let key = key_digest(&[entry.key.as_bytes()]);
        if self.entries.contains_key(&key) {
            return Err(LedgerError::DuplicateKey(entry.key));
        }
        if entry.amount.is_zero() {
            return Err(LedgerError::Zero);
        }
        match &entry.reverses {
            None if entry.amount.0 < 0 && !self.allow_negative => return Err(LedgerError::NotPositive),
            None => {}
            Some(target) => {
                let target_key = key_digest(&[target.as_bytes()]);
                let original = *self.entries.get(&target_key).ok_or_else(|| LedgerError::UnknownReversed(target.clone()))?;
                if original.is_reversal {
                    return Err(LedgerError::ReversalOfReversal(target.clone()));
                }
                if self.reversed.contains(&target_key) {
                    return Err(LedgerError::AlreadyReversed(target.clone()));
                }
                if entry.amount != -original.amount {
                    return Err(LedgerError::ReversalAmount { expected: -original.amount, actual: entry.amount });
                }
                let original_line = &self.lines[original.line as usize];
                if entry.line != *original_line {
                    return Err(LedgerError::ReversalLine(original_line.clone()));
                }
                self.reversed.insert(target_key);
            }
        }
        let line = match self.line_index.get(&entry.line) {
            Some(&i) => i,
            None => {
                let i = self.lines.len() as u32;
                self.lines.push(entry.line.clone());
                self.line_index.insert(entry.line, i);
                i
            }
        };
        self.entries.insert(key, Posted { line, amount: entry.amount, is_reversal: entry.reverses.is_some() });
        Ok(())
    }

    /// The sum of a line's entries, reversals included.
    pub fn balance(&self, line: &str) -> Fen {
        let Some(&index) = self.line_index.get(line) else { return Fen(0) };
        self.entries.values().filter(|e| e.line == index).map(|e| e.amount).sum()
    }

    pub fn is_reversed(&self, key: &str) -> bool {
        self.reversed.contains(&key_digest(&[key.as_bytes()]))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(key: &str, line: &str, amount: i64, reverses: Option<&str>) -> Entry {
        Entry { key: key.into(), line: line.into(), amount: Fen(amount), reverses: reverses.map(Into::into) }
    }

    #[test]
    fn reversal_cancels_exactly_one_entry() {
        let mut l = Ledger::new(false);
        l.post(entry("A", "L1", 500, None)).unwrap();
        l.post(entry("B", "L1", 300, None)).unwrap();
        assert_eq!(l.post(entry("R", "L1", -400, Some("A"))), Err(LedgerError::ReversalAmount { expected: Fen(-500), actual: Fen(-400) }));
        assert_eq!(l.post(entry("R", "L2", -500, Some("A"))), Err(LedgerError::ReversalLine("L1".into())));
        l.post(entry("R", "L1", -500, Some("A"))).unwrap();
        assert_eq!(l.balance("L1"), Fen(300));
        assert_eq!(l.post(entry("R2", "L1", -500, Some("A"))), Err(LedgerError::AlreadyReversed("A".into())));
        assert_eq!(l.post(entry("R3", "L1", 500, Some("R"))), Err(LedgerError::ReversalOfReversal("R".into())));
        assert_eq!(l.post(entry("X", "L1", -1, None)), Err(LedgerError::NotPositive));
        assert_eq!(l.post(entry("B", "L1", 1, None)), Err(LedgerError::DuplicateKey("B".into())));
        assert_eq!(l.post(entry("Z", "L1", 0, None)), Err(LedgerError::Zero));
        assert_eq!(l.len(), 3);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Post { line: u8, amount: i64 },
        Reverse { target: usize, wrong_amount: bool },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..3, -50i64..100_000).prop_map(|(line, amount)| Op::Post { line, amount }),
            (0usize..40, any::<bool>()).prop_map(|(target, wrong_amount)| Op::Reverse { target, wrong_amount }),
        ]
    }

    proptest! {
        /// Whatever sequence of vouchers and reversals is offered, each line's balance equals the sum of
        /// the entries the ledger accepted on it, a refused entry changes nothing, and a reversed pair nets to zero.
        #[test]
        fn balances_equal_the_sum_of_accepted_entries(ops in proptest::collection::vec(op(), 0..60)) {
            let mut ledger = Ledger::new(false);
            let mut accepted: Vec<Entry> = Vec::new();
            for (i, op) in ops.into_iter().enumerate() {
                let candidate = match op {
                    Op::Post { line, amount } => entry(&format!("V{i}"), &format!("L{line}"), amount, None),
                    Op::Reverse { target, wrong_amount } => match accepted.get(target % accepted.len().max(1)) {
                        Some(t) => entry(&format!("V{i}"), &t.line, if wrong_amount { -t.amount.0 + 1 } else { -t.amount.0 }, Some(&t.key)),
                        None => entry(&format!("V{i}"), "L0", -1, Some("missing")),
                    },
                };
                let before: Vec<Fen> = (0..3).map(|l| ledger.balance(&format!("L{l}"))).collect();
                match ledger.post(candidate.clone()) {
                    Ok(()) => accepted.push(candidate),
                    Err(_) => {
                        let after: Vec<Fen> = (0..3).map(|l| ledger.balance(&format!("L{l}"))).collect();
                        prop_assert_eq!(before, after);
                    }
                }
            }
            for l in 0..3 {
                let line = format!("L{l}");
                let expected: Fen = accepted.iter().filter(|e| e.line == line).map(|e| e.amount).sum();
                prop_assert_eq!(ledger.balance(&line), expected);
                let unreversed: Fen = accepted.iter()
                    .filter(|e| e.line == line && e.reverses.is_none() && !ledger.is_reversed(&e.key))
                    .map(|e| e.amount).sum();
                prop_assert_eq!(ledger.balance(&line), unreversed, "reversed pairs net to zero");
                prop_assert!(ledger.balance(&line).0 >= 0, "positive entries and exact reversals never go below zero");
            }
        }
    }
}
