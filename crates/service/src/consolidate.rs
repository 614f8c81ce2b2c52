//! The consolidated views (a 主管部门, a 财政局's region): per unit in scope, the execution sums the store adds
//! up in SQL for the whole scope, and each unit-year's findings and evaluation from [`crate::assess`] — kept
//! as a stored summary per unit-year, keyed by everything the assessment depends on, so a region view reads
//! one row per unit once the summaries are computed. The layout is jixiao-core's `consolidated::build`.

use crate::{RulesFile, ServiceError, assess};
use jixiao_core::consolidated::{ConsolidatedUnit, ConsolidationInput, UnitExecution};
use jixiao_core::evaluation::Points;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::records::UnitProfile;
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use jixiao_store::summary::{StoredSummary, SummaryState};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

// The summaries' engine: a digest of the code and data that compute them (build.rs, `engine_digest.rs`).
//
// Derived, not a version raised by hand: a hand-kept number is only as reliable as the memory of whoever
// changes check.rs, a measure or the notable vouchers' SQL, and a missed raise would print stale findings and
// scores with nothing to show it. The digest covers more than strictly needed (a comment in core also
// changes it), so after an upgrade every summary is recomputed once — about a minute for 10,000 units
// (BENCHMARKS.md) — but a summary is never read under other code than computed it.
include!(concat!(env!("OUT_DIR"), "/engine.rs"));

/// How many units are read and evaluated at once (each holds one unit-year's books in memory).
const WORKERS: usize = 4;

/// Everything a consolidated view of `year` needs: per unit in scope, the execution sums (aggregate SQL),
/// the books check and the evaluation under the rules of its region and year (plus `extra_rules`).
///
/// Without `extra_rules`, each unit-year's findings and evaluation are read from its stored summary (one row
/// per unit, [`Store::summary_states`]) when the summary's key is the one computed now; the others are
/// assessed — their books read a few units at a time, then dropped — and their summaries written back, so the
/// next view reads them. With `extra_rules` (`--rules`) every unit is assessed and nothing is stored.
pub async fn consolidation_input(
    store: &Store,
    scope: &Scope,
    year: i32,
    extra_rules: Option<Arc<RulesFile>>,
) -> Result<ConsolidationInput, ServiceError> {
    let use_stored = extra_rules.is_none();
    Ok(build_input(store, scope, year, extra_rules, use_stored).await?.0)
}

/// [`consolidation_input`] assessing every unit from its books, neither reading nor writing stored summaries:
/// what the stored ones must equal (tests, and a check that they do).
pub async fn consolidation_input_fresh(store: &Store, scope: &Scope, year: i32) -> Result<ConsolidationInput, ServiceError> {
    Ok(build_input(store, scope, year, None, false).await?.0)
}

/// Assesses the unit-years of `year` in scope whose stored summary is missing or out of date and stores
/// theirs (`jixiao summarize`): after a mass import, so the first consolidated view is as quick as the next.
/// Returns (units with books for the year, summaries computed).
pub async fn warm_summaries(store: &Store, scope: &Scope, year: i32) -> Result<(usize, usize), ServiceError> {
    let (input, computed) = build_input(store, scope, year, None, true).await?;
    Ok((input.units.iter().filter(|u| u.has_year).count(), computed))
}

/// A unit to assess, with its id and the key to store its summary under (none: not stored).
type Pending = (UnitProfile, Option<(i64, String)>);

/// The input, and how many unit-years were assessed from their books.
async fn build_input(
    store: &Store,
    scope: &Scope,
    year: i32,
    extra_rules: Option<Arc<RulesFile>>,
    use_stored: bool,
) -> Result<(ConsolidationInput, usize), ServiceError> {
    let units = store.directory_in(scope, year).await?;
    let execution = Arc::new(store.execution_totals(scope, year).await?);
    let name = scope_name(scope, &units);
    // Read before any books: a summary computed from books newer than its key is only ever ignored.
    let states = if use_stored { store.summary_states(scope, year).await? } else { BTreeMap::new() };
    let with_year: BTreeSet<String> =
        if use_stored { states.keys().cloned().collect() } else { store.units_with_year(scope, year).await? };

    let mut summaries: Vec<ConsolidatedUnit> =
        units.iter().filter(|u| !with_year.contains(&u.code)).map(ConsolidatedUnit::absent).collect();
    let mut to_assess: Vec<Pending> = Vec::new();
    let mut digests: BTreeMap<(String, Option<String>), Option<String>> = BTreeMap::new();
    for unit in units.iter().filter(|u| with_year.contains(&u.code)) {
        let Some(state) = states.get(&unit.code) else {
            to_assess.push((unit.clone(), None));
            continue;
        };
        let rules = digests
            .entry((unit.region_code.clone(), state.framework.clone()))
            .or_insert_with(|| rules_digest(&unit.region_code, year, state.framework.as_deref()))
            .clone();
        // Rules that do not resolve: assessed, so the view fails with the rules' own error.
        let Some(rules) = rules else {
            to_assess.push((unit.clone(), None));
            continue;
        };
        let key = summary_key(state, year, &rules);
        match &state.stored {
            Some(stored) if stored.key == key => {
                summaries.push(from_stored(unit, execution.get(&unit.code).copied().unwrap_or_default(), stored))
            }
            _ => to_assess.push((unit.clone(), Some((state.unit_id, key)))),
        }
    }

    let assessed = to_assess.len();
    let queue: Arc<Mutex<Vec<Pending>>> = Arc::new(Mutex::new(to_assess.into_iter().rev().collect()));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..WORKERS {
        let (store, queue, execution, extra_rules) = (store.clone(), queue.clone(), execution.clone(), extra_rules.clone());
        workers.spawn(async move {
            let mut done: Vec<(ConsolidatedUnit, Option<(i64, StoredSummary)>)> = Vec::new();
            loop {
                let Some((unit, key)) = queue.lock().expect("queue lock").pop() else { break };
                let assessment = assess(&store, &unit.code, year, extra_rules.clone()).await?;
                let summary = ConsolidatedUnit::evaluated(
                    &unit,
                    execution.get(&unit.code).copied().unwrap_or_default(),
                    &assessment.findings,
                    assessment.evaluation()?,
                );
                let stored = key.map(|(unit_id, key)| (unit_id, to_stored(key, &summary)));
                done.push((summary, stored));
            }
            Ok::<_, ServiceError>(done)
        });
    }
    let mut computed: Vec<(i64, StoredSummary)> = Vec::new();
    while let Some(joined) = workers.join_next().await {
        for (summary, stored) in joined.map_err(|e| ServiceError::Worker(e.to_string()))?? {
            summaries.push(summary);
            computed.extend(stored);
        }
    }
    if use_stored {
        store.store_summaries(year, &computed).await?;
    }
    summaries.sort_by(|a, b| a.code.cmp(&b.code));
    Ok((ConsolidationInput { kind: scope.kind(), code: scope_code(scope), name, year, units: summaries }, assessed))
}

/// The digest of the evaluation rules in force for a region, year and chosen framework (as resolved, so any
/// field of any applied file counts), or none when they do not resolve.
fn rules_digest(region_code: &str, year: i32, framework: Option<&str>) -> Option<String> {
    let rules = Rules::for_unit_choosing(region_code, year, framework).ok()?;
    Some(format!("{:x}", Sha256::digest(format!("{rules:?}").as_bytes())))
}

/// The key a unit-year's summary is valid under: the engine (code and reference data), the rules in force, the
/// unit's books version, profile and chosen framework, the year's row and the prior year's (held or not).
fn summary_key(state: &SummaryState, year: i32, rules: &str) -> String {
    let text = format!(
        "{ENGINE_DIGEST}\n{rules}\n{year}\n{}\n{}\n{:?}\n{}\n{:?}",
        state.books_version, state.unit_hash, state.framework, state.year_hash, state.prior_hash
    );
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

fn to_stored(key: String, s: &ConsolidatedUnit) -> StoredSummary {
    StoredSummary {
        key,
        errors: s.errors as i64,
        warnings: s.warnings as i64,
        rules: s.rules.clone(),
        score: s.score.map(|p| p.0).unwrap_or_default(),
        grade: s.grade.clone().unwrap_or_default(),
    }
}

fn from_stored(unit: &UnitProfile, execution: UnitExecution, s: &StoredSummary) -> ConsolidatedUnit {
    ConsolidatedUnit {
        has_year: true,
        execution,
        score: Some(Points(s.score)),
        grade: Some(s.grade.clone()),
        errors: s.errors as usize,
        warnings: s.warnings as usize,
        rules: s.rules.clone(),
        ..ConsolidatedUnit::absent(unit)
    }
}

fn scope_code(scope: &Scope) -> Option<String> {
    match scope {
        Scope::Department(code) | Scope::Region(Some(code)) | Scope::Area(code) => Some(code.clone()),
        Scope::Region(None) => None,
    }
}

/// The 主管部门's or 财政局's name as the units give it (the most common, then the first by text).
fn scope_name(scope: &Scope, units: &[UnitProfile]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for u in units {
        let name = match scope {
            Scope::Department(_) => Some(u.parent_department.as_str()),
            Scope::Region(_) | Scope::Area(_) => u.bureau_name.as_deref(),
        };
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            *counts.entry(n).or_default() += 1;
        }
    }
    let best = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(n, _)| n.to_string());
    match (scope, best) {
        (_, Some(n)) => n,
        (Scope::Department(code), None) => format!("主管部门{code}"),
        (Scope::Region(Some(code)), None) => format!("财政局{code}"),
        (Scope::Area(code), None) => format!("行政区划{code}"),
        (Scope::Region(None), None) => jixiao_core::consolidated::ALL_UNITS.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any change to what an assessment depends on gives another key: books, profile, framework, the year's
    /// or the prior year's row (a prior year arriving or changing), the rules in force, the year.
    #[test]
    fn the_summary_key_changes_with_everything_the_assessment_reads() {
        let base = SummaryState {
            unit_id: 1,
            books_version: 7,
            unit_hash: "u".into(),
            framework: None,
            year_hash: "y".into(),
            prior_hash: None,
            stored: None,
        };
        let key = summary_key(&base, 2020, "r");
        assert_eq!(key, summary_key(&base.clone(), 2020, "r"), "deterministic");
        let changed = [
            SummaryState { books_version: 8, ..base.clone() },
            SummaryState { unit_hash: "u2".into(), ..base.clone() },
            SummaryState { framework: Some("hunan".into()), ..base.clone() },
            SummaryState { year_hash: "y2".into(), ..base.clone() },
            SummaryState { prior_hash: Some("p".into()), ..base.clone() },
        ];
        for state in &changed {
            assert_ne!(summary_key(state, 2020, "r"), key, "{state:?}");
        }
        assert_ne!(summary_key(&base, 2020, "r2"), key, "rules");
        assert_ne!(summary_key(&base, 2021, "r"), key, "year");
    }

    /// The rules digest follows the resolved rules: a region whose checked override file applies gets another
    /// digest than the national rules, and an unknown chosen framework gives none (assessed, so it errs).
    #[test]
    fn the_rules_digest_follows_the_rules_in_force() {
        let national = rules_digest("000000", 2020, None).expect("national rules resolve");
        assert_eq!(rules_digest("000000", 2020, None).as_deref(), Some(national.as_str()));
        assert!(rules_digest("000000", 2020, Some("没有这个框架")).is_none());
        // data/frameworks/overrides/chongqing-2021.toml (checked) applies to Chongqing's units in 2021.
        assert_ne!(Rules::for_unit("500000", 2021).unwrap(), Rules::for_unit("000000", 2021).unwrap());
        assert_ne!(rules_digest("500000", 2021, None), rules_digest("000000", 2021, None));
    }

    /// The embedded engine digest is that of the files as they are now (build.rs reran on every change), and
    /// it covers what computes a summary: the books check, the measures, the reference data, the notable
    /// vouchers' SQL and books in summary form, and this file.
    #[test]
    fn the_engine_digest_is_of_the_code_and_data_that_compute_a_summary() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        assert_eq!(ENGINE_DIGEST, crate::engine_digest::digest(&root, env!("CARGO_PKG_VERSION")));
        let files = crate::engine_digest::files(&root);
        for needed in [
            "crates/core/src/check.rs",
            "crates/core/src/evaluation/measures.rs",
            "crates/core/src/consolidated.rs",
            "crates/core/data/frameworks/department.toml",
            "crates/core/data/record-kinds.toml",
            "crates/store/src/notable.rs",
            "crates/store/src/lib.rs",
            "crates/service/src/consolidate.rs",
            "Cargo.lock",
        ] {
            assert!(files.iter().any(|f| f == needed), "{needed} is not digested: {files:?}");
        }
    }
}
