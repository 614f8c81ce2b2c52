//! The departmental indicators' values, computed from records with exact integer arithmetic.
//! Each gives its numerator, denominator and records, or says why it cannot be computed.

use super::framework::{Evidence, IndicatorSpec, QualitativeShares, ScoringRule};
use super::reading::{TextQuantity, negated_core, read_quantity, same_negation};
use super::{EvaluationInput, ItemResult};
use crate::assets;
use crate::books::Books;
use crate::books::spending_refs;
use crate::codes::ExpenseGroup;
use crate::date::Date;
use crate::finding::{RecordRef, Severity};
use crate::money::{BasisPoints, Fen};
use crate::records::*;

/// A measured value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measured {
    Rate {
        numerator: String,
        denominator: String,
        rate_bp: i64,
        text: String,
        sources: Vec<RecordRef>,
    },
    Checklist {
        items: Vec<ItemResult>,
    },
    /// The records cannot give a value: scored as the rules file says. `not_applicable` when there is
    /// nothing to measure (no 三公 budget nor spending, no government procurement), as opposed to records
    /// that are missing (no prior year, no survey).
    Unavailable {
        reason: String,
        not_applicable: bool,
    },
    /// The value cannot be a rate but is plainly a failure (spending with no budget at all): no points.
    Failed {
        reason: String,
        sources: Vec<RecordRef>,
    },
}

type Parts = (String, Option<String>, Option<String>, Option<i64>, Option<String>, Vec<ItemResult>, Vec<RecordRef>);

impl Measured {
    /// (value text, numerator, denominator, rate, unavailable reason, checklist, evidence).
    pub fn parts(self) -> Parts {
        match self {
            Measured::Rate { numerator, denominator, rate_bp, text, sources } => {
                (text, Some(numerator), Some(denominator), Some(rate_bp), None, vec![], sources)
            }
            Measured::Checklist { items } => {
                let met = items.iter().filter(|i| i.met).count();
                (format!("{met}/{} 项满足", items.len()), None, None, None, None, items, vec![])
            }
            Measured::Unavailable { reason, .. } => ("无法计算".into(), None, None, None, Some(reason), vec![], vec![]),
            Measured::Failed { reason, sources } => ("不达标".into(), None, None, None, Some(reason), vec![], sources),
        }
    }
}

fn money_rate(numerator: Fen, denominator: Fen, sources: Vec<RecordRef>, zero_reason: &str) -> Measured {
    match BasisPoints::ratio(numerator.0, denominator.0) {
        Some(bp) => Measured::Rate {
            numerator: format!("{}万元", numerator.wan_yuan_string()),
            denominator: format!("{}万元", denominator.wan_yuan_string()),
            rate_bp: bp.0,
            text: bp.percent_string(),
            sources,
        },
        None => Measured::Unavailable { reason: zero_reason.to_string(), not_applicable: false },
    }
}

fn count_rate(numerator: i64, denominator: i64, unit: &str, sources: Vec<RecordRef>, zero_reason: &str) -> Measured {
    match BasisPoints::ratio(numerator, denominator) {
        Some(bp) => Measured::Rate {
            numerator: format!("{numerator}{unit}"),
            denominator: format!("{denominator}{unit}"),
            rate_bp: bp.0,
            text: bp.percent_string(),
            sources,
        },
        None => Measured::Unavailable { reason: zero_reason.to_string(), not_applicable: false },
    }
}

/// The formula of a measure, as the evaluation table prints it.
pub fn formula(measure: &str) -> &'static str {
    match measure {
        "staff_control_rate" => "年底实有在职人数 ÷ 编制数 × 100%",
        "sangong_change_rate" => "（本年“三公经费”预算数 − 上年预算数）÷ 上年预算数 × 100%",
        "key_spending_rate" => "重点项目支出 ÷ 项目支出合计 × 100%",
        "budget_completion_rate" => "本年支出合计 ÷ 全年预算数（含上年结转、年中调整）× 100%",
        "budget_adjustment_rate" => {
            "年中预算调整数（追加、调减的绝对值与调剂金额之和，调剂一进一出计一次；已冲销的及政策性、不可抗力、上级交办的除外）÷ 年初预算数 × 100%"
        }
        "payment_progress_rate" => "各季度末累计支出（不超过序时进度）之和 ÷ 各季度序时进度（全年预算数 × 季度 ÷ 4）之和 × 100%",
        "carryover_rate" => "年末结转和结余（收支平衡）÷ 全年预算数 × 100%",
        "carryover_change_rate" => "（本年结转结余 − 上年结转结余）÷ 上年结转结余 × 100%",
        "public_use_control_rate" => "基本支出中公用经费实际支出 ÷ 公用经费全年预算数 × 100%",
        "sangong_control_rate" => "“三公经费”实际支出 ÷ “三公经费”全年预算数 × 100%",
        "procurement_execution_rate" => "政府采购合同金额 ÷ 政府采购预算金额 × 100%",
        "asset_utilization_rate" => "在用固定资产原值 ÷ 固定资产原值（不含已处置）× 100%",
        "output_completion_rate" => "达到年度指标值的数量指标数 ÷ 数量指标数 × 100%",
        "output_timeliness_rate" => "达到年度指标值的时效指标数 ÷ 时效指标数 × 100%",
        "output_quality_rate" => "达到年度指标值的质量指标数 ÷ 质量指标数 × 100%",
        "key_work_completion_rate" => "重点项目达到年度指标值的产出指标数 ÷ 重点项目产出指标数 × 100%",
        "benefit_achievement_rate" => "达到年度指标值的效益指标数 ÷ 效益指标数 × 100%",
        "satisfaction_rate" => "满意人数 ÷ 调查样本数 × 100%（无调查记录时取项目满意度指标实际值的平均）",
        "checklist" => "按佐证逐项评分",
        _ => "",
    }
}

/// How far a project indicator reached its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Achievement {
    /// 0–10 000 basis points of the indicator's points.
    pub share_bp: i64,
    pub met: bool,
    pub reason: Option<String>,
}

/// The first number in a text, in thousandths, with its magnitude ("≥90" → 90 000, "95.5%" → 95 500, "3万" → 30 000 000).
fn number_milli(text: &str) -> Option<i64> {
    read_quantity(text).map(|q| q.milli)
}

/// Whether an actual value, with its qualifier, reaches the target: 「3万余」 reaches ≥30 000, 「近2万」 does not
/// reach ≥20 000 (it is just under), 「近3万」 does; 「约」 is read as the figure itself.
fn reaches(direction: IndicatorDirection, actual: TextQuantity, target: i64) -> bool {
    use QuantityQualifier::*;
    let v = actual.milli;
    match (direction, actual.qualifier) {
        (IndicatorDirection::AtLeast, Nearly) => v > target,
        (IndicatorDirection::AtLeast, _) => v >= target,
        (IndicatorDirection::AtMost, MoreThan) => v < target,
        (IndicatorDirection::AtMost, _) => v <= target,
        (_, Exact | About) => v == target,
        _ => false,
    }
}

/// Whether and how far an indicator's actual value reaches its target (财预〔2020〕10号 scoring).
pub fn achievement(i: &ProjectIndicator, q: &QualitativeShares) -> Achievement {
    let Some(actual) = i.actual.as_deref().map(str::trim).filter(|a| !a.is_empty()) else {
        return Achievement { share_bp: 0, met: false, reason: Some("缺少实际完成值".into()) };
    };
    let qualitative = |actual: &str| {
        // A negated target (「无安全事故」) is met by an actual that negates the same thing (「未发生安全事故」, 「无」),
        // and missed by one that names it without negation (「发生安全事故1起」).
        if let Some(target_core) = negated_core(&i.target) {
            match negated_core(actual) {
                Some(actual_core) if same_negation(&target_core, &actual_core) => {
                    return Achievement { share_bp: q.met_bp, met: q.met_bp >= 10_000, reason: None };
                }
                None if !target_core.is_empty() && actual.contains(target_core.as_str()) => {
                    return Achievement {
                        share_bp: q.unmet_bp,
                        met: false,
                        reason: Some(format!("未达成：{actual}（年度指标值：{}）", i.target)),
                    };
                }
                _ => {}
            }
        }
        if q.unmet_prefixes.iter().any(|p| actual.starts_with(p.as_str())) {
            Achievement { share_bp: q.unmet_bp, met: false, reason: Some(format!("未达成：{actual}")) }
        } else if q.partial_prefixes.iter().any(|p| actual.starts_with(p.as_str())) {
            Achievement { share_bp: q.partial_bp, met: false, reason: Some(format!("部分达成：{actual}")) }
        } else {
            Achievement { share_bp: q.met_bp, met: q.met_bp >= 10_000, reason: None }
        }
    };
    if i.direction == IndicatorDirection::Qualitative {
        return qualitative(actual);
    }
    let (Some(target), Some(value)) = (number_milli(&i.target), read_quantity(actual)) else { return qualitative(actual) };
    let ratio = |n: i64, d: i64| BasisPoints::ratio(n, d).map_or(10_000, |b| b.0).clamp(0, 10_000);
    let met = reaches(i.direction, value, target);
    let v = value.milli;
    let share = if met {
        10_000
    } else {
        let by_ratio = match i.direction {
            IndicatorDirection::AtLeast => ratio(v, target),
            IndicatorDirection::AtMost => ratio(target, v),
            _ => ratio(v.min(target), v.max(target)),
        };
        // A shortfall earns 完成值/指标值 of the points (财预〔2020〕10号: 未完成的按照完成值与指标值的比例记分); only
        // an actual whose figure reads as the target yet falls short by its qualifier (「近2万」 against ≥20 000)
        // gets the near-miss share, since its ratio says nothing.
        if by_ratio >= 10_000 { q.near_miss_bp } else { by_ratio }
    };
    Achievement {
        share_bp: share,
        met,
        reason: (!met).then(|| format!("实际完成 {actual}，未达到年度指标值 {}{}", i.direction.label(), i.target)),
    }
}

/// The indicators the departmental 产出 and 效果 are read from: the department's own (部门整体绩效指标) when it
/// set any, else its projects'. The record kind goes with them, for the evidence.
fn performance_indicators(books: &Books) -> (Vec<ProjectIndicator>, &'static str) {
    if books.records.department_indicators.is_empty() {
        (books.project_indicators().into_owned(), "project_indicators")
    } else {
        (books.records.department_indicators.iter().map(DepartmentIndicator::as_project_indicator).collect(), "department_indicators")
    }
}

/// Share of `chosen` indicators (records of `kind`) that reached their targets.
fn met_rate(chosen: &[&ProjectIndicator], kind: &'static str, q: &QualitativeShares, zero_reason: &str) -> Measured {
    let met = chosen.iter().filter(|i| achievement(i, q).met).count() as i64;
    count_rate(met, chosen.len() as i64, "项", chosen.iter().map(|i| RecordRef::new(kind, &i.indicator_code)).collect(), zero_reason)
}

/// Share of the indicators selected by `keep` that reached their targets.
fn indicators_met(input: &EvaluationInput, q: &QualitativeShares, keep: impl Fn(&ProjectIndicator) -> bool, what: &str) -> Measured {
    let (all, kind) = performance_indicators(input.books);
    met_rate(&all.iter().filter(|i| keep(i)).collect::<Vec<_>>(), kind, q, &format!("没有{what}"))
}

/// 重点工作: the department's indicators marked 重点工作, or else the key projects' 产出 indicators.
fn key_work_met(input: &EvaluationInput, q: &QualitativeShares) -> Measured {
    let b = input.books;
    let department: Vec<ProjectIndicator> = b
        .records
        .department_indicators
        .iter()
        .filter(|i| i.is_key && i.level1.contains("产出"))
        .map(DepartmentIndicator::as_project_indicator)
        .collect();
    if !department.is_empty() {
        return met_rate(&department.iter().collect::<Vec<_>>(), "department_indicators", q, "");
    }
    let all = b.project_indicators();
    let chosen: Vec<&ProjectIndicator> =
        all.iter().filter(|i| i.level1.contains("产出") && b.project(&i.project_code).is_some_and(|p| p.is_key)).collect();
    let what = if b.records.department_indicators.is_empty() {
        "没有重点项目产出指标"
    } else {
        "没有重点工作指标，也没有重点项目产出指标"
    };
    met_rate(&chosen, "project_indicators", q, what)
}

/// Indicators whose target asks less than the prior year achieved (≥ below last year's actual, ≤ above it), matched
/// by project name (or the department's own targets) and 三级指标 — a target set low is full marks by construction.
pub fn targets_below_prior_actuals(books: &Books, prior: &Books) -> Vec<String> {
    let owner = |b: &Books, i: &ProjectIndicator| {
        if i.project_code.is_empty() {
            "部门整体".to_string()
        } else {
            b.project(&i.project_code).map_or_else(|| i.project_code.clone(), |p| format!("项目「{}」", p.name))
        }
    };
    let all = |b: &Books| -> Vec<ProjectIndicator> {
        b.project_indicators()
            .iter()
            .cloned()
            .chain(b.records.department_indicators.iter().map(DepartmentIndicator::as_project_indicator))
            .collect()
    };
    let before = all(prior);
    let mut flags = Vec::new();
    for i in all(books) {
        let Some(target) = number_milli(&i.target) else { continue };
        let last = before
            .iter()
            .find(|p| p.level3 == i.level3 && owner(prior, p) == owner(books, &i))
            .and_then(|p| Some((p, read_quantity(p.actual.as_deref()?)?)));
        let Some((p, actual)) = last else { continue };
        let low = match i.direction {
            IndicatorDirection::AtLeast => target < actual.milli,
            IndicatorDirection::AtMost => target > actual.milli,
            _ => false,
        };
        if low {
            flags.push(format!(
                "{}指标「{}」年度指标值 {}{} 低于上年（{}年）实际完成值 {}，目标可能定得偏低",
                owner(books, &i),
                i.level3,
                i.direction.label(),
                i.target,
                prior.year.year,
                p.actual.as_deref().unwrap_or_default()
            ));
        }
    }
    flags
}

/// The prior year's figures recorded under this year (上年决算摘要), the last one recorded if several.
fn prior_summary(books: &Books) -> Option<&PriorYearSummary> {
    books.records.prior_year_summaries.last()
}

fn sangong_budget(books: &Books) -> (Fen, Vec<RecordRef>) {
    let lines: Vec<&AppropriationLine> = books.lines_where(|l| books.sangong_kind(l).is_some()).collect();
    (
        lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum(),
        lines.iter().map(|l| RecordRef::new("appropriation_lines", &l.line_code)).collect(),
    )
}

/// 年末结转和结余, from the 收支 identity (`balance::fund_balances`), as every report prints it.
fn carryover(books: &Books) -> Fen {
    crate::balance::fund_balances(books).total().closing()
}

/// A checklist item about targets, for a unit without projects: read on the department's own targets.
fn department_targets_hold(r: &RecordSet, field: &str) -> (bool, String) {
    let inds = &r.department_indicators;
    let (met, what) = match field {
        "goal" => (r.department_goals.iter().any(|g| !g.goal.trim().is_empty()), "部门整体年度总体目标"),
        "indicators" => (!inds.is_empty(), "部门整体绩效指标"),
        "quantified_output" => (
            inds.iter()
                .any(|i| i.level1.contains("产出") && i.direction != IndicatorDirection::Qualitative && number_milli(&i.target).is_some()),
            "量化的部门整体产出指标",
        ),
        _ => (
            !inds.iter().any(|i| i.direction != IndicatorDirection::Qualitative && i.unit.as_deref().is_none_or(|u| u.trim().is_empty())),
            "部门整体量化指标的计量单位",
        ),
    };
    (met, if met { format!("无项目，按{what}评价：满足") } else { format!("无项目，且缺少{what}") })
}

fn year_end(year: i32) -> Date {
    Date::new(year, 12, 31).expect("31 December exists")
}

fn checklist(spec: &IndicatorSpec, input: &EvaluationInput) -> Measured {
    let b = input.books;
    let r = &b.records;
    let items = spec
        .items
        .iter()
        .map(|item| {
            let (met, detail) = match &item.evidence {
                Evidence::ProjectsAll { field } => {
                    let lacking: Vec<&str> = r
                        .projects
                        .iter()
                        .filter(|p| {
                            let inds: Vec<&ProjectIndicator> =
                                r.project_indicators.iter().filter(|i| i.project_code == p.project_code).collect();
                            match field.as_str() {
                                "goal" => p.goal.trim().is_empty(),
                                "indicators" => inds.is_empty(),
                                "quantified_output" => !inds.iter().any(|i| {
                                    i.level1.contains("产出")
                                        && i.direction != IndicatorDirection::Qualitative
                                        && number_milli(&i.target).is_some()
                                }),
                                _ => inds.iter().any(|i| {
                                    i.direction != IndicatorDirection::Qualitative && i.unit.as_deref().is_none_or(|u| u.trim().is_empty())
                                }),
                            }
                        })
                        .map(|p| p.name.as_str())
                        .collect();
                    if r.projects.is_empty() && !(r.department_goals.is_empty() && r.department_indicators.is_empty()) {
                        department_targets_hold(r, field)
                    } else if r.projects.is_empty() {
                        (false, "没有项目记录".to_string())
                    } else if lacking.is_empty() {
                        (true, format!("{}个项目均满足", r.projects.len()))
                    } else {
                        (false, format!("不满足的项目：{}", lacking.join("、")))
                    }
                }
                Evidence::ControlDocument { keywords } => {
                    match r
                        .control_documents
                        .iter()
                        .find(|d| d.adopted_on <= year_end(b.year.year) && keywords.iter().any(|k| d.name.contains(k.as_str())))
                    {
                        Some(d) => (true, format!("《{}》{}印发", d.name.trim_matches(['《', '》']), d.adopted_on.chinese())),
                        None => (false, format!("没有名称含「{}」的内控制度记录", keywords.join("、"))),
                    }
                }
                Evidence::NoFindings { rules, severity } => {
                    let hits: Vec<&crate::finding::Finding> = input
                        .findings
                        .iter()
                        .filter(|f| {
                            (rules.is_empty() || rules.iter().any(|x| x == f.rule_id))
                                && match severity.as_deref() {
                                    Some("error") => f.severity == Severity::Error,
                                    Some("warning") => f.severity <= Severity::Warning,
                                    _ => rules.is_empty() || f.severity <= Severity::Warning,
                                }
                        })
                        .collect();
                    if hits.is_empty() {
                        (true, "账务核对无此类问题".to_string())
                    } else {
                        (
                            false,
                            format!(
                                "账务核对发现 {} 项：{}",
                                hits.len(),
                                hits.iter().take(3).map(|f| f.message.as_str()).collect::<Vec<_>>().join("；")
                            ),
                        )
                    }
                }
                Evidence::DecisionsPresent => match r.major_decisions.len() {
                    0 => (false, "没有“三重一大”决策记录".to_string()),
                    n => (true, format!("{n}项集体决策记录")),
                },
                Evidence::Disclosure { disclosure, year_offset, by } => {
                    let deadline = Date::new(b.year.year + year_offset, by.0, by.1);
                    let found = r.disclosures.iter().filter(|d| d.kind.id() == disclosure).min_by_key(|d| d.date);
                    match (found, deadline) {
                        (Some(d), Some(deadline)) if d.date <= deadline => {
                            (true, format!("{}于{}在{}公开", d.kind.label(), d.date.chinese(), d.location))
                        }
                        (Some(d), Some(deadline)) => {
                            (false, format!("{}于{}公开，晚于{}", d.kind.label(), d.date.chinese(), deadline.chinese()))
                        }
                        _ => {
                            (false, format!("没有{}公开记录", DisclosureKind::parse(disclosure).map_or(disclosure.as_str(), |k| k.label())))
                        }
                    }
                }
                Evidence::AssetRegister => match r.fixed_assets.len() {
                    0 => (false, "没有固定资产记录".to_string()),
                    n => (true, format!("固定资产{n}件已登记")),
                },
                Evidence::NoAssetsWithStatus { statuses } => {
                    // The status after approved disposals, transfers and 盘亏 (assets::effective_status).
                    let hits: Vec<(&FixedAsset, AssetStatus)> = r
                        .fixed_assets
                        .iter()
                        .map(|a| (a, assets::effective_status(r, a)))
                        .filter(|(_, st)| statuses.iter().any(|s| s == st.id()))
                        .collect();
                    if hits.is_empty() {
                        (true, "无".to_string())
                    } else {
                        (
                            false,
                            hits.iter()
                                .map(|(a, st)| format!("{}（{}，{}）", a.name, a.asset_code, st.label()))
                                .collect::<Vec<_>>()
                                .join("、"),
                        )
                    }
                }
            };
            ItemResult { label: item.label.clone(), points: item.points, met, detail }
        })
        .collect();
    Measured::Checklist { items }
}

pub fn measure(spec: &IndicatorSpec, input: &EvaluationInput, q: &QualitativeShares) -> Measured {
    if spec.scoring == ScoringRule::Checklist {
        return checklist(spec, input);
    }
    let b = input.books;
    let r = &b.records;
    let annual: Fen = r.appropriation_lines.iter().map(|l| b.line_budget(&l.line_code).annual()).sum();
    let spending_total = b.spending_total();
    let spent = spending_total.amount;
    let all_expenditures = || spending_refs(&spending_total);
    match spec.measure.as_str() {
        // 在职 categories only: 离退休 and 编外 hold no 编制.
        "staff_control_rate" => count_rate(
            r.staffing.iter().filter(|s| s.status() == StaffStatus::InService).map(|s| s.actual).sum(),
            r.staffing.iter().filter(|s| s.status() == StaffStatus::InService).map(|s| s.authorized).sum(),
            "人",
            r.staffing.iter().filter(|s| s.status() == StaffStatus::InService).map(|s| RecordRef::new("staffing", &s.category)).collect(),
            "缺少人员编制记录（编制数为0）",
        ),
        "sangong_change_rate" => {
            // The prior year's books win; without them, its 决算 summary's 三公经费预算数.
            let ((now, mut sources), (before, before_sources)) = match (input.prior, prior_summary(b)) {
                (Some(prior), _) => (sangong_budget(b), sangong_budget(prior)),
                (None, Some(s)) if s.sangong_budget.is_some() => {
                    (sangong_budget(b), (s.sangong_budget.unwrap_or_default(), vec![RecordRef::new("prior_year_summaries", &s.source)]))
                }
                _ => {
                    return Measured::Unavailable {
                        reason: format!("缺少{}年度（上年）数据（账簿或上年决算摘要的三公经费预算数）", b.year.year - 1),
                        not_applicable: false,
                    };
                }
            };
            sources.extend(before_sources);
            match (before.0, now.0) {
                (0, 0) => Measured::Unavailable { reason: "上年和本年均无“三公经费”预算".into(), not_applicable: true },
                (0, _) => Measured::Failed {
                    reason: format!("上年无“三公经费”预算，本年预算 {} 万元", now.wan_yuan_string()), sources
                },
                _ => money_rate(now - before, before, sources, ""),
            }
        }
        "key_spending_rate" => {
            let project = b.spending_where(|l| l.spending_kind == SpendingKind::Project);
            let key = b.spending_where(|l| {
                l.spending_kind == SpendingKind::Project && l.project_code.as_deref().and_then(|p| b.project(p)).is_some_and(|p| p.is_key)
            });
            money_rate(key.amount, project.amount, spending_refs(&key), "没有项目支出")
        }
        "budget_completion_rate" => money_rate(spent, annual, all_expenditures(), "全年预算数为0"),
        "budget_adjustment_rate" => {
            let vouchers = &r.budget_vouchers;
            let reversed: Vec<&str> = vouchers.iter().filter_map(|v| v.reverses.as_deref()).collect();
            let live = |v: &&BudgetVoucher| v.reverses.is_none() && !reversed.contains(&v.voucher_no.as_str());
            // 53号 leaves out adjustments made for national policy, force majeure or tasks handed down.
            let counted = |v: &&BudgetVoucher| v.adjustment_cause.is_none_or(|c| c == AdjustmentCause::Ordinary);
            let adjustments: Vec<&BudgetVoucher> = vouchers
                .iter()
                .filter(|v| matches!(v.kind, BudgetVoucherKind::Addition | BudgetVoucherKind::Reduction | BudgetVoucherKind::Transfer))
                .filter(live)
                .filter(counted)
                .collect();
            // A 调剂 moves money: −x on one line, +x on another is one adjustment of x. Unpaired halves count as
            // the larger side.
            let (transfers_in, transfers_out) =
                adjustments.iter().filter(|v| v.kind == BudgetVoucherKind::Transfer).fold((0i64, 0i64), |(i, o), v| {
                    let e = v.effect().0;
                    if e >= 0 { (i + e, o) } else { (i, o - e) }
                });
            let others: i64 = adjustments.iter().filter(|v| v.kind != BudgetVoucherKind::Transfer).map(|v| v.effect().0.abs()).sum();
            let initial: Fen = vouchers.iter().filter(|v| v.kind == BudgetVoucherKind::Initial).map(|v| v.effect()).sum();
            money_rate(
                Fen(others + transfers_in.max(transfers_out)),
                initial,
                adjustments.iter().map(|v| RecordRef::new("budget_vouchers", &v.voucher_no)).collect(),
                "年初预算数为0",
            )
        }
        "payment_progress_rate" => {
            let (mut paid, mut due) = (Fen::ZERO, Fen::ZERO);
            for quarter in 1..=4u32 {
                let end =
                    Date::new(b.year.year, quarter * 3, if quarter == 1 || quarter == 4 { 31 } else { 30 }).expect("quarter ends exist");
                let cumulative: Fen = b.spending_through(crate::books::period(end));
                // 序时进度: the share of the year elapsed, quarter by quarter.
                let expected = Fen(annual.0 * i64::from(quarter) / 4);
                paid += cumulative.min(expected);
                due += expected;
            }
            money_rate(paid, due, all_expenditures(), "全年预算数为0")
        }
        "carryover_rate" => money_rate(carryover(b), annual, vec![], "全年预算数为0"),
        "carryover_change_rate" => {
            let (before, sources) = match (input.prior, prior_summary(b)) {
                (Some(prior), _) => (carryover(prior), vec![]),
                (None, Some(PriorYearSummary { carryover: Some(c), source, .. })) => {
                    (*c, vec![RecordRef::new("prior_year_summaries", source)])
                }
                _ => {
                    return Measured::Unavailable {
                        reason: format!("缺少{}年度（上年）数据（账簿或上年决算摘要的年末结转结余）", b.year.year - 1),
                        not_applicable: false,
                    };
                }
            };
            let now = carryover(b);
            money_rate(now - before, before, sources, "上年结转结余为0")
        }
        "public_use_control_rate" => {
            let lines: Vec<&AppropriationLine> =
                b.lines_where(|l| l.spending_kind == SpendingKind::Basic && b.expense_group(l) == Some(ExpenseGroup::PublicUse)).collect();
            let exp = b.spending_where(|l| l.spending_kind == SpendingKind::Basic && b.expense_group(l) == Some(ExpenseGroup::PublicUse));
            money_rate(
                exp.amount,
                lines.iter().map(|l| b.line_budget(&l.line_code).annual()).sum(),
                spending_refs(&exp),
                "没有公用经费预算",
            )
        }
        "sangong_control_rate" => {
            let (budget, _) = sangong_budget(b);
            let exp = b.spending_where(|l| b.sangong_kind(l).is_some());
            let used = exp.amount;
            match (budget.0, used.0) {
                (0, 0) => Measured::Unavailable {
                    reason: "无“三公经费”预算，也无“三公经费”支出".into(), not_applicable: true
                },
                (0, _) => Measured::Failed {
                    reason: format!("无“三公经费”预算却支出 {} 万元", used.wan_yuan_string()),
                    sources: spending_refs(&exp),
                },
                _ => money_rate(used, budget, spending_refs(&exp), ""),
            }
        }
        "procurement_execution_rate" => {
            let gov: Vec<&Procurement> = r.procurements.iter().filter(|p| p.is_government_procurement).collect();
            if gov.is_empty() {
                return Measured::Unavailable { reason: "本年无政府采购".into(), not_applicable: true };
            }
            if let Some(p) = gov.iter().find(|p| p.budget_amount.is_none()) {
                return Measured::Unavailable {
                    reason: format!("政府采购「{}」缺少采购预算金额", p.procurement_code),
                    not_applicable: false,
                };
            }
            money_rate(
                gov.iter().map(|p| p.contract_amount).sum(),
                gov.iter().filter_map(|p| p.budget_amount).sum(),
                gov.iter().map(|p| RecordRef::new("procurements", &p.procurement_code)).collect(),
                "政府采购预算金额为0",
            )
        }
        "asset_utilization_rate" => {
            // Statuses after approved disposals, transfers and 盘亏 (assets::effective_status).
            let held: Vec<&FixedAsset> =
                r.fixed_assets.iter().filter(|a| assets::effective_status(r, a) != AssetStatus::Disposed).collect();
            let in_use: Fen = held.iter().filter(|a| assets::effective_status(r, a) == AssetStatus::InUse).map(|a| a.original_value).sum();
            money_rate(
                in_use,
                held.iter().map(|a| a.original_value).sum(),
                held.iter().map(|a| RecordRef::new("fixed_assets", &a.asset_code)).collect(),
                "没有固定资产记录",
            )
        }
        "output_completion_rate" => indicators_met(input, q, |i| i.level1.contains("产出") && i.level2.contains("数量"), "数量指标"),
        "output_timeliness_rate" => indicators_met(input, q, |i| i.level1.contains("产出") && i.level2.contains("时效"), "时效指标"),
        "output_quality_rate" => indicators_met(input, q, |i| i.level1.contains("产出") && i.level2.contains("质量"), "质量指标"),
        "key_work_completion_rate" => key_work_met(input, q),
        "benefit_achievement_rate" => indicators_met(input, q, |i| i.level1.contains("效益"), "效益指标"),
        "satisfaction_rate" => {
            if !r.surveys.is_empty() {
                return count_rate(
                    r.surveys.iter().map(|s| s.satisfied).sum(),
                    r.surveys.iter().map(|s| s.sample_size).sum(),
                    "人",
                    r.surveys.iter().map(|s| RecordRef::new("surveys", &s.survey_code)).collect(),
                    "调查样本数为0",
                );
            }
            // Without a survey, the department's (else the projects') satisfaction indicators (percent actuals) stand in.
            let (all, kind) = performance_indicators(input.books);
            let measured: Vec<(&ProjectIndicator, i64)> =
                all.iter().filter(|i| i.level1.contains("满意度")).filter_map(|i| Some((i, number_milli(i.actual.as_deref()?)?))).collect();
            if measured.is_empty() {
                return Measured::Unavailable {
                    reason: "没有满意度调查记录，项目满意度指标也没有实际完成值".into(),
                    not_applicable: false,
                };
            }
            let sum: i64 = measured.iter().map(|(_, v)| v).sum();
            let n = measured.len() as i64;
            match BasisPoints::ratio(sum, n * 100_000) {
                Some(bp) => Measured::Rate {
                    numerator: format!("{}项满意度指标实际值之和{}%", n, sum / 1000),
                    denominator: format!("{}项 × 100%", n),
                    rate_bp: bp.0,
                    text: bp.percent_string(),
                    sources: measured.iter().map(|(i, _)| RecordRef::new(kind, &i.indicator_code)).collect(),
                },
                None => Measured::Unavailable { reason: "没有满意度数据".into(), not_applicable: false },
            }
        }
        other => Measured::Unavailable { reason: format!("未知的计算方法「{other}」"), not_applicable: false },
    }
}
