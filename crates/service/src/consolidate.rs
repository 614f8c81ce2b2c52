//! The consolidated views (a 主管部门, a 财政局's region): per unit in scope, the execution sums the store adds
//! up in SQL for the whole scope, and each unit-year's findings and evaluation from [`crate::assess`]. The
//! layout is jixiao-core's `consolidated::build`.

use crate::{RulesFile, ServiceError, assess};
use jixiao_core::consolidated::{ConsolidatedUnit, ConsolidationInput};
use jixiao_core::records::UnitProfile;
use jixiao_store::Store;
use jixiao_store::consolidate::Scope;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// How many units are read and evaluated at once (each holds one unit-year's books in memory).
const WORKERS: usize = 4;

/// Everything a consolidated view of `year` needs: per unit in scope, the execution sums (aggregate SQL),
/// the books check and the evaluation under the rules of its region and year (plus `extra_rules`). Units
/// are read a few at a time, one unit-year's books each, then dropped.
pub async fn consolidation_input(
    store: &Store,
    scope: &Scope,
    year: i32,
    extra_rules: Option<Arc<RulesFile>>,
) -> Result<ConsolidationInput, ServiceError> {
    let units = store.directory(scope).await?;
    let with_year = store.units_with_year(scope, year).await?;
    let execution = Arc::new(store.execution_totals(scope, year).await?);
    let name = scope_name(scope, &units);

    let queue: Arc<Mutex<Vec<UnitProfile>>> =
        Arc::new(Mutex::new(units.iter().filter(|u| with_year.contains(&u.code)).rev().cloned().collect()));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..WORKERS {
        let (store, queue, execution, extra_rules) = (store.clone(), queue.clone(), execution.clone(), extra_rules.clone());
        workers.spawn(async move {
            let mut done: Vec<ConsolidatedUnit> = Vec::new();
            loop {
                let Some(unit) = queue.lock().expect("queue lock").pop() else { break };
                let assessment = assess(&store, &unit.code, year, extra_rules.clone()).await?;
                done.push(ConsolidatedUnit::evaluated(
                    &unit,
                    execution.get(&unit.code).copied().unwrap_or_default(),
                    &assessment.findings,
                    assessment.evaluation()?,
                ));
            }
            Ok::<_, ServiceError>(done)
        });
    }
    let mut summaries: Vec<ConsolidatedUnit> =
        units.iter().filter(|u| !with_year.contains(&u.code)).map(ConsolidatedUnit::absent).collect();
    while let Some(joined) = workers.join_next().await {
        summaries.extend(joined.map_err(|e| ServiceError::Worker(e.to_string()))??);
    }
    summaries.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(ConsolidationInput { kind: scope.kind(), code: scope_code(scope), name, year, units: summaries })
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
