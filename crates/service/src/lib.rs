//! The unit-year service: what every output of one unit-year is computed from, written once.
//!
//! [`assess`] reads a unit-year's books in summary form and the prior year's (when held) from the store, runs
//! the books check, and resolves the evaluation rules (the unit's region and year, the framework the unit
//! chose, plus an extra rules file such as `--rules`); the evaluation is computed on first use. The CLI's
//! `check`/`evaluate`/`report`, the web's unit pages and API, the consolidated views ([`consolidate`]) and the
//! test harness all go through it, so they cannot disagree. The store only stores: it has no rules.

pub mod consolidate;
#[cfg(test)]
mod engine_digest;

use jixiao_core::MoneyUnit;
use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::{FrameworkError, Rules};
use jixiao_core::evaluation::{Evaluation, EvaluationInput, evaluate};
use jixiao_core::finding::Finding;
use jixiao_core::report_model::{ReportModel, build_in};
use jixiao_store::{Store, StoreError};
use std::sync::{Arc, OnceLock};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rules(#[from] FrameworkError),
    /// A unit's worker of a consolidated view stopped (a panic): the view is not built.
    #[error("汇总任务失败：{0}")]
    Worker(String),
}

/// An evaluation rules file applied over the defaults and the region's overrides (`--rules FILE`): the name
/// its errors give, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesFile {
    pub label: String,
    pub text: String,
}

/// One unit-year, assessed: its books in summary form, the prior year's books when held (for the 变动率
/// indicators and the 决算说明's comparisons), the books check's findings, and — computed once, on first use —
/// the evaluation under its rules.
#[derive(Debug)]
pub struct Assessment {
    pub books: Books,
    pub prior: Option<Books>,
    pub findings: Vec<Finding>,
    extra_rules: Option<Arc<RulesFile>>,
    evaluation: OnceLock<Result<Evaluation, FrameworkError>>,
}

/// Reads and checks one unit-year: `code`'s books of `year` in summary form and, when the store holds the
/// year before, that year's. `extra_rules` is applied over the unit's rules when it is evaluated.
pub async fn assess(store: &Store, code: &str, year: i32, extra_rules: Option<Arc<RulesFile>>) -> Result<Assessment, ServiceError> {
    let books = store.books_summary(code, year).await?;
    let prior = prior_books(store, code, year).await?;
    Ok(Assessment::new(books, prior, extra_rules))
}

/// The books of the year before `year` in summary form, when the store holds that year of the unit.
pub async fn prior_books(store: &Store, code: &str, year: i32) -> Result<Option<Books>, StoreError> {
    let held = store.years(code).await?.iter().any(|y| y.year == year - 1);
    Ok(if held { Some(store.books_summary(code, year - 1).await?) } else { None })
}

impl Assessment {
    /// Checks `books` (any form: summary or full); `prior` are the prior year's, as [`prior_books`] reads them.
    pub fn new(books: Books, prior: Option<Books>, extra_rules: Option<Arc<RulesFile>>) -> Assessment {
        let findings = check(&books);
        Assessment { books, prior, findings, extra_rules, evaluation: OnceLock::new() }
    }

    /// The evaluation rules of the unit-year: its region's and year's, the framework the unit chose
    /// (unit.toml `framework`), then the extra rules file.
    pub fn rules(&self) -> Result<Rules, FrameworkError> {
        let mut rules = Rules::for_unit_choosing(&self.books.unit.region_code, self.books.year.year, self.books.unit.framework.as_deref())?;
        if let Some(file) = &self.extra_rules {
            rules = rules.with_override(&file.label, &file.text)?;
        }
        Ok(rules)
    }

    /// The evaluation (绩效评价) of the unit-year, computed once.
    pub fn evaluation(&self) -> Result<&Evaluation, FrameworkError> {
        self.evaluation
            .get_or_init(|| {
                let rules = self.rules()?;
                Ok(evaluate(&EvaluationInput { books: &self.books, prior: self.prior.as_ref(), findings: &self.findings }, &rules))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The report model with the evaluation, money in `money`.
    pub fn report_model(&self, money: MoneyUnit) -> Result<ReportModel, FrameworkError> {
        Ok(build_in(&self.books, Some(self.evaluation()?), money))
    }

    /// The report model's figures without the evaluation (the web dashboard: no rules needed).
    pub fn figures(&self) -> ReportModel {
        build_in(&self.books, None, MoneyUnit::default())
    }
}
