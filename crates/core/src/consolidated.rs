//! Consolidated views over many units: a 主管部门 and its units, or a 财政局's region with its 主管部门 and their
//! units (the hierarchy 财政局 → 主管部门 → 单位 of the unit profiles). Budget execution by unit, the ranking by
//! self-evaluation score with grade, and the units whose books check found errors or warnings.
//!
//! Pure: the caller gathers one [`ConsolidatedUnit`] per unit — the execution sums (the store computes them with
//! aggregate SQL, equal to [`UnitExecution::of_books`]), the findings and the evaluation — and [`build`] lays
//! them out as figures, as `report_model` does for one unit.

use crate::books::Books;
use crate::evaluation::{Evaluation, Points};
use crate::finding::{Finding, RecordRef, Severity};
use crate::money::{BasisPoints, Fen};
use crate::records::UnitProfile;
use serde::Serialize;
use std::collections::BTreeMap;

/// The name of a region view over the whole database when its units name no single 财政局.
pub const ALL_UNITS: &str = "全部单位";

/// Which consolidated view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// A 主管部门 and the units under it.
    Department,
    /// A 财政局's region: every unit of the bureau, grouped by 主管部门.
    Region,
}

/// A unit-year's budget and spending totals: what its own report prints as 全年预算数 and 本年支出合计.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UnitExecution {
    /// Σ budget vouchers on the year's lines (上年结转 + 年初预算 + 追加 − 调减 ± 调剂).
    pub annual: Fen,
    /// Σ expenditures, reversals included.
    pub spent: Fen,
    /// Number of budget vouchers of the year.
    pub budget_vouchers: i64,
    /// Number of expenditures of the year.
    pub expenditures: i64,
}

impl UnitExecution {
    /// The sums computed from one unit-year's books, as `report_model::build` computes them.
    pub fn of_books(books: &Books) -> UnitExecution {
        let r = &books.records;
        let on_a_line = |line: &str| r.appropriation_lines.iter().any(|l| l.line_code == line);
        let spent = books.spending_total();
        UnitExecution {
            annual: r.budget_vouchers.iter().filter(|v| on_a_line(&v.line_code)).map(|v| v.budget_effect()).sum(),
            spent: spent.amount,
            budget_vouchers: r.budget_vouchers.len() as i64,
            expenditures: spent.expenditures,
        }
    }
}

/// Everything the consolidated view needs of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsolidatedUnit {
    pub code: String,
    pub name: String,
    pub department_code: Option<String>,
    /// The 主管部门's name (the profile's `parent_department`).
    pub department_name: String,
    /// Whether the unit has books for the year.
    pub has_year: bool,
    pub execution: UnitExecution,
    /// The self-evaluation total and grade, when the unit has books for the year.
    pub score: Option<Points>,
    pub grade: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Rule ids of the error and warning findings, each once, errors first.
    pub rules: Vec<String>,
}

impl ConsolidatedUnit {
    /// A unit without books for the year.
    pub fn absent(unit: &UnitProfile) -> ConsolidatedUnit {
        ConsolidatedUnit {
            code: unit.code.clone(),
            name: unit.name.clone(),
            department_code: unit.department_code.clone(),
            department_name: unit.parent_department.clone(),
            has_year: false,
            execution: UnitExecution::default(),
            score: None,
            grade: None,
            errors: 0,
            warnings: 0,
            rules: vec![],
        }
    }

    /// A unit with books for the year: its execution sums, its books check and its evaluation.
    pub fn evaluated(unit: &UnitProfile, execution: UnitExecution, findings: &[Finding], evaluation: &Evaluation) -> ConsolidatedUnit {
        let mut rules: Vec<String> = Vec::new();
        for f in findings.iter().filter(|f| f.severity != Severity::Info) {
            if !rules.iter().any(|r| r == f.rule_id) {
                rules.push(f.rule_id.to_string());
            }
        }
        ConsolidatedUnit {
            has_year: true,
            execution,
            score: Some(evaluation.total),
            grade: Some(evaluation.grade.clone()),
            errors: findings.iter().filter(|f| f.severity == Severity::Error).count(),
            warnings: findings.iter().filter(|f| f.severity == Severity::Warning).count(),
            rules,
            ..ConsolidatedUnit::absent(unit)
        }
    }
}

/// What a consolidated view is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsolidationInput {
    pub kind: ScopeKind,
    /// The 主管部门编码 or 财政局编码; none for a region that is the whole database.
    pub code: Option<String>,
    /// The 主管部门 or 财政局 name.
    pub name: String,
    pub year: i32,
    pub units: Vec<ConsolidatedUnit>,
}

use crate::report_model::Figure;

#[derive(Default)]
struct Tracer {
    figures: Vec<Figure>,
}

impl Tracer {
    fn add(&mut self, text: String, missing: bool, label: String, formula: &str, sources: Vec<RecordRef>) -> Figure {
        let f = Figure { missing, ..Figure::new(self.figures.len() + 1, text, label, formula, sources, None) };
        self.figures.push(f.clone());
        f
    }

    /// A unit's 自评总分 (the ranking lists scored units only).
    fn score(&mut self, u: &ConsolidatedUnit, year: i32) -> Figure {
        let text = u.score.map(|s| s.to_string()).unwrap_or_default();
        // Where a reader finds the score's make-up: the unit's own report, not a command.
        let formula = format!("该单位{year}年度部门整体支出绩效自评总分（各项指标得分之和，明细见该单位自评报告 七、（五））");
        let f = Figure {
            quantity: u.score.map(crate::report_model::Quantity::Points),
            ..self.add(text, false, format!("{}：自评得分（分）", u.name), &formula, vec![RecordRef::new("unit", u.code.clone())])
        };
        if let Some(last) = self.figures.last_mut() {
            last.quantity = f.quantity;
        }
        f
    }

    fn missing(&mut self, what: &str, label: String) -> Figure {
        self.add(format!("「缺少数据：{what}」"), true, label, "无法计算", vec![])
    }

    /// The three execution figures, with the texts a unit's own report prints for the same sums.
    fn execution(&mut self, who: &str, e: &UnitExecution, sources: Vec<RecordRef>, how: &str) -> (Figure, Figure, Figure) {
        let annual = if e.budget_vouchers == 0 {
            self.missing("预算指标变动凭证", format!("{who}：全年预算数（万元）"))
        } else {
            self.add(
                e.annual.wan_yuan_string(),
                false,
                format!("{who}：全年预算数（万元）"),
                &format!("Σ 指标变动凭证（上年结转 + 年初预算 + 追加 − 调减 ± 调剂）{how}"),
                sources.clone(),
            )
        };
        let spent = if e.expenditures == 0 {
            self.missing("支出凭证", format!("{who}：本年支出合计（万元）"))
        } else {
            self.add(
                e.spent.wan_yuan_string(),
                false,
                format!("{who}：本年支出合计（万元）"),
                &format!("Σ 支出凭证.金额（含冲销）{how}"),
                sources,
            )
        };
        let rate = if e.budget_vouchers == 0 || e.expenditures == 0 {
            self.missing("预算指标或支出凭证", format!("{who}：预算执行率"))
        } else {
            match BasisPoints::ratio(e.spent.0, e.annual.0) {
                Some(bp) => self.add(
                    bp.percent_string(),
                    false,
                    format!("{who}：预算执行率"),
                    "本年支出合计 ÷ 全年预算数 × 100%（四舍五入到0.01%）",
                    vec![],
                ),
                None => self.missing("预算执行率的分母为零", format!("{who}：预算执行率")),
            }
        };
        (annual, spent, rate)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExecutionRow {
    pub code: String,
    pub name: String,
    pub department: String,
    pub has_year: bool,
    pub annual: Figure,
    pub spent: Figure,
    pub rate: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentRow {
    pub code: String,
    pub name: String,
    pub units: usize,
    pub annual: Figure,
    pub spent: Figure,
    pub rate: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankRow {
    /// Competition ranking: equal scores share a rank (1, 2, 2, 4).
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub department: String,
    /// The unit's 自评总分, traced to the unit.
    pub score: Figure,
    pub grade: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub code: String,
    pub name: String,
    pub department: String,
    pub errors: usize,
    pub warnings: usize,
    pub rules: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsolidatedModel {
    pub title: String,
    pub kind: ScopeKind,
    /// 主管部门 or 财政局.
    pub scope_label: String,
    /// What the view covers, as its first sentence says it: 财政局：某区财政局（编码）.
    pub scope_text: String,
    pub name: String,
    pub code: Option<String>,
    pub year: i32,
    pub unit_count: usize,
    /// Units with books for the year.
    pub reporting_count: usize,
    pub annual: Figure,
    pub spent: Figure,
    pub rate: Figure,
    /// By 主管部门 (region view only).
    pub departments: Vec<DepartmentRow>,
    pub units: Vec<ExecutionRow>,
    pub ranking: Vec<RankRow>,
    pub findings: Vec<FindingRow>,
    /// Every figure, in order, for the trace table.
    pub figures: Vec<Figure>,
}

fn department_label(u: &ConsolidatedUnit) -> String {
    match &u.department_code {
        Some(code) => format!("{}（{code}）", u.department_name),
        None => u.department_name.clone(),
    }
}

fn total(units: &[&ConsolidatedUnit]) -> UnitExecution {
    let mut t = UnitExecution::default();
    for u in units.iter().filter(|u| u.has_year) {
        t.annual += u.execution.annual;
        t.spent += u.execution.spent;
        t.budget_vouchers += u.execution.budget_vouchers;
        t.expenditures += u.execution.expenditures;
    }
    t
}

/// Builds the consolidated model. Pure: the same input gives the same model, whatever order the units came in.
pub fn build(input: &ConsolidationInput) -> ConsolidatedModel {
    let mut t = Tracer::default();
    let mut units: Vec<&ConsolidatedUnit> = input.units.iter().collect();
    // Region: by 主管部门 then unit; department: by unit.
    units.sort_by(|a, b| match input.kind {
        ScopeKind::Region => (a.department_code.as_deref().unwrap_or(""), &a.department_name, &a.code).cmp(&(
            b.department_code.as_deref().unwrap_or(""),
            &b.department_name,
            &b.code,
        )),
        ScopeKind::Department => a.code.cmp(&b.code),
    });
    let scope_label = match input.kind {
        ScopeKind::Department => "主管部门",
        ScopeKind::Region => "财政局",
    };
    let title = match input.kind {
        ScopeKind::Department => format!("{}年度{}所属单位部门整体支出绩效汇总报告", input.year, input.name),
        ScopeKind::Region => format!("{}年度{}部门整体支出绩效汇总报告", input.year, input.name),
    };
    let all_refs =
        |us: &[&ConsolidatedUnit]| us.iter().filter(|u| u.has_year).map(|u| RecordRef::new("unit", u.code.clone())).collect::<Vec<_>>();
    let (annual, spent, rate) = t.execution(&format!("{}合计", input.name), &total(&units), all_refs(&units), "，各单位合计");

    let mut departments = Vec::new();
    if input.kind == ScopeKind::Region {
        let mut groups: BTreeMap<(String, String), Vec<&ConsolidatedUnit>> = BTreeMap::new();
        for u in &units {
            groups.entry((u.department_code.clone().unwrap_or_default(), u.department_name.clone())).or_default().push(u);
        }
        for ((code, name), members) in groups {
            let (annual, spent, rate) = t.execution(&name, &total(&members), all_refs(&members), "，所属单位合计");
            departments.push(DepartmentRow { code, name, units: members.len(), annual, spent, rate });
        }
    }

    let rows = units
        .iter()
        .map(|u| {
            let (annual, spent, rate) = if u.has_year {
                t.execution(&u.name, &u.execution, vec![RecordRef::new("unit", u.code.clone())], "，按单位在数据库中汇总")
            } else {
                let what = format!("{}年度账套", input.year);
                (
                    t.missing(&what, format!("{}：全年预算数（万元）", u.name)),
                    t.missing(&what, format!("{}：本年支出合计（万元）", u.name)),
                    t.missing(&what, format!("{}：预算执行率", u.name)),
                )
            };
            ExecutionRow {
                code: u.code.clone(),
                name: u.name.clone(),
                department: department_label(u),
                has_year: u.has_year,
                annual,
                spent,
                rate,
            }
        })
        .collect();

    let mut scored: Vec<&ConsolidatedUnit> = units.iter().copied().filter(|u| u.score.is_some()).collect();
    scored.sort_by(|a, b| b.score.cmp(&a.score).then(a.code.cmp(&b.code)));
    let mut ranking: Vec<RankRow> = Vec::new();
    for (i, u) in scored.iter().enumerate() {
        let rank = match ranking.last() {
            Some(prev) if scored[i - 1].score == u.score => prev.rank,
            _ => i + 1,
        };
        ranking.push(RankRow {
            rank,
            code: u.code.clone(),
            name: u.name.clone(),
            department: department_label(u),
            score: t.score(u, input.year),
            grade: u.grade.clone().unwrap_or_default(),
            note: if u.errors > 0 { "账务核对有错误".into() } else { String::new() },
        });
    }

    let mut flagged: Vec<&ConsolidatedUnit> = units.iter().copied().filter(|u| u.errors + u.warnings > 0).collect();
    flagged.sort_by(|a, b| b.errors.cmp(&a.errors).then(b.warnings.cmp(&a.warnings)).then(a.code.cmp(&b.code)));
    let findings = flagged
        .iter()
        .map(|u| FindingRow {
            code: u.code.clone(),
            name: u.name.clone(),
            department: department_label(u),
            errors: u.errors,
            warnings: u.warnings,
            // Rule names, not ids: the report is read by people (an id without a name stays an id).
            rules: u.rules.iter().map(|r| crate::check::rule_name(r).unwrap_or(r)).collect::<Vec<_>>().join("、"),
        })
        .collect();

    ConsolidatedModel {
        title,
        kind: input.kind,
        scope_label: scope_label.into(),
        scope_text: match &input.code {
            Some(code) => format!("{scope_label}：{}（{code}）", input.name),
            None if input.kind == ScopeKind::Region && input.name == ALL_UNITS => "汇总范围：数据库中的全部单位".into(),
            None => format!("{scope_label}：{}", input.name),
        },
        name: input.name.clone(),
        code: input.code.clone(),
        year: input.year,
        unit_count: units.len(),
        reporting_count: units.iter().filter(|u| u.has_year).count(),
        annual,
        spent,
        rate,
        departments,
        units: rows,
        ranking,
        findings,
        figures: t.figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::evaluation::EvaluationInput;
    use crate::evaluation::evaluate;
    use crate::evaluation::framework::Rules;
    use crate::fixture;

    fn summary(code: &str, dept: Option<&str>, score: Option<i64>, errors: usize) -> ConsolidatedUnit {
        ConsolidatedUnit {
            code: code.into(),
            name: format!("单位{code}"),
            department_code: dept.map(Into::into),
            department_name: format!("部门{}", dept.unwrap_or("无")),
            has_year: score.is_some(),
            execution: UnitExecution { annual: Fen(100_000_000), spent: Fen(90_000_000), budget_vouchers: 2, expenditures: 3 },
            score: score.map(Points),
            grade: score.map(|_| "良".into()),
            errors,
            warnings: 0,
            rules: if errors > 0 { vec!["LINE_OVERSPENT".into()] } else { vec![] },
        }
    }

    #[test]
    fn execution_of_books_matches_the_unit_report() {
        let books = fixture::books();
        let e = UnitExecution::of_books(&books);
        let model = crate::report_model::build(&books, None);
        assert_eq!(e.annual.wan_yuan_string(), model.spending.annual_budget.text);
        assert_eq!(e.spent.wan_yuan_string(), model.spending.total.text);
        let findings = check(&books);
        let evaluation = evaluate(&EvaluationInput { books: &books, prior: None, findings: &findings }, &Rules::defaults());
        let s = ConsolidatedUnit::evaluated(&books.unit, e, &findings, &evaluation);
        let c = build(&ConsolidationInput {
            kind: ScopeKind::Department,
            code: Some("D".into()),
            name: "部门".into(),
            year: 2020,
            units: vec![s],
        });
        assert_eq!(c.units[0].rate.text, model.spending.execution_rate.text);
        assert_eq!(c.ranking[0].score.text, evaluation.total.to_string());
    }

    #[test]
    fn ranks_share_places_on_equal_scores_and_departments_group_units() {
        let input = ConsolidationInput {
            kind: ScopeKind::Region,
            code: Some("CZ".into()),
            name: "某区财政局".into(),
            year: 2020,
            units: vec![
                summary("U3", Some("D2"), Some(8000), 0),
                summary("U1", Some("D1"), Some(9000), 1),
                summary("U2", Some("D1"), Some(8000), 0),
                summary("U4", Some("D2"), None, 0),
            ],
        };
        let m = build(&input);
        let ranks: Vec<(usize, &str)> = m.ranking.iter().map(|r| (r.rank, r.code.as_str())).collect();
        assert_eq!(ranks, vec![(1, "U1"), (2, "U2"), (2, "U3")]);
        assert_eq!(m.ranking[0].note, "账务核对有错误");
        assert_eq!(m.departments.len(), 2);
        assert_eq!((m.departments[0].units, m.departments[0].annual.text.as_str()), (2, "200.00"));
        assert_eq!(m.departments[1].annual.text, "100.00", "a unit without books adds nothing");
        assert_eq!(m.annual.text, "300.00");
        assert_eq!(m.rate.text, "90.00%");
        assert_eq!(m.units.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), vec!["U1", "U2", "U3", "U4"]);
        assert!(m.units[3].annual.missing);
        assert_eq!(m.findings.len(), 1);
        let mut shuffled = input.clone();
        shuffled.units.reverse();
        assert_eq!(serde_json::to_string(&build(&shuffled)).unwrap(), serde_json::to_string(&m).unwrap(), "order of input does not matter");
    }
}
