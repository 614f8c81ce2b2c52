//! The one translation of the books check's voucher filters (`jixiao_core::books::VoucherFilter`) to SQL:
//! which stored expenditures books in summary form keep.

use jixiao_core::books::{ExpenditureTotals, VoucherFilter};
use std::collections::BTreeSet;

/// A value bound to a condition's placeholder.
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// The conditions on table `expenditure` (each added to `unit_id = $1 AND year = $2`, its own values from
/// `$3`) that together find the stored expenditures `filter` matches. The totals show which lines, 采购编号
/// and months have vouchers at all, so a filter that can match nothing gives no condition, and the others
/// name the exact lines or references — each condition is served by an index (`expenditure_year_unit` for
/// the amounts, the unique key and `expenditure_procurement` for the rest).
pub(crate) fn conditions(filter: &VoucherFilter, totals: &ExpenditureTotals) -> Vec<(String, Vec<Bind>)> {
    match filter {
        VoucherFilter::DatedOutside { year: fiscal } => {
            let any = totals.by_line_month.iter().any(|((_, _, period), t)| period / 100 != *fiscal && t.expenditures != 0);
            if any {
                vec![(
                    "(date < $3 OR date > $4)".into(),
                    vec![Bind::Text(format!("{fiscal:04}-01-01")), Bind::Text(format!("{fiscal:04}-12-31"))],
                )]
            } else {
                vec![]
            }
        }
        // Two conditions rather than an OR, so that each is one range of the amount index.
        VoucherFilter::AmountBeyond(bound) => {
            vec![("amount > $3".into(), vec![Bind::Int(bound.0)]), ("amount < $3".into(), vec![Bind::Int(-bound.0)])]
        }
        VoucherFilter::LineNotIn(lines) => {
            let unknown: BTreeSet<&String> = totals
                .by_line_month
                .iter()
                .filter(|(_, t)| t.expenditures != 0)
                .map(|((_, line, _), _)| line)
                .filter(|l| !lines.contains(*l))
                .collect();
            unknown.into_iter().map(|line| ("line_code = $3".into(), vec![Bind::Text(line.clone())])).collect()
        }
        VoucherFilter::ProcurementNotIn(known) => {
            let unknown: BTreeSet<&String> =
                totals.by_procurement.keys().map(|(_, _, reference)| reference).filter(|p| !known.contains(*p)).collect();
            unknown
                .into_iter()
                .map(|p| ("procurement_ref IS NOT NULL AND procurement_ref = $3".into(), vec![Bind::Text(p.clone())]))
                .collect()
        }
    }
}
