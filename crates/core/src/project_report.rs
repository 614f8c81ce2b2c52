//! The 项目支出绩效自评报告 of one project (`jixiao report --kind project --project CODE`): 项目概况, 资金投入和使用,
//! 绩效目标完成情况 with the project's 自评表 (`evaluation::project`), 偏差原因, 存在的问题, 改进措施 and 结果应用.
//! Every figure is traced to its records like the department report's; what the records do not say is printed
//! as 「缺少数据：…」, never written for the unit.
//!
//! The outline follows published project self-evaluation reports, e.g.
//! 红河州数据发展中心2024年度项目支出绩效单位自评报告 (https://www.hh.gov.cn/info/11481/1179592.htm: 基本情况 /
//! 项目概况, 资金投入和使用, 绩效目标完成情况, 偏差及原因, 问题与改进) and the outline of 财预〔2020〕10号's 单位自评
//! (项目基本情况 and 资金投入使用情况, 绩效目标实现情况, 偏差原因分析, 存在的问题及改进措施, 结果应用).

use crate::books::Books;
use crate::evaluation::{Evaluation, ProjectEvaluation};
use crate::finding::RecordRef;
use crate::money::MoneyUnit;
use crate::records::*;
use crate::report_model::{Figure, Tracer};
use crate::sections::project_report_sections;
use serde::Serialize;

/// One appropriation line of the project: what it was given and what it spent.
#[derive(Debug, Clone, Serialize)]
pub struct FundLine {
    pub line_code: String,
    /// 功能分类 code and name.
    pub function: String,
    pub economic_code: String,
    pub fund_source: String,
    pub annual: Figure,
    pub spent: Figure,
    pub rate: Figure,
}

/// 资金投入和使用情况.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectFunds {
    pub carry_over: Figure,
    pub initial: Figure,
    pub adjustments: Figure,
    pub annual: Figure,
    pub spent: Figure,
    /// 全年预算数 − 全年执行数.
    pub unspent: Figure,
    pub execution_rate: Figure,
    pub lines: Vec<FundLine>,
}

/// A prose section of the project report: the unit's text, or the 「缺少数据」 note naming where to write it.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectProse {
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub missing: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectReport {
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    pub year: i32,
    pub money_unit: &'static str,
    pub project_code: String,
    pub project_name: String,
    pub is_key: bool,
    /// 实施科室.
    pub department: Option<String>,
    pub goal: String,
    pub outcome: Option<String>,
    pub background: ProjectProse,
    pub funds: ProjectFunds,
    /// The 项目支出绩效自评表, as the evaluation scored it.
    pub evaluation: ProjectEvaluation,
    /// The unit's evaluation narrowed to this project (no departmental indicators): what the 自评表's traced
    /// numbers are made from (`report_model::evaluation_figures::EvaluationFigures::trace`).
    pub scope: Evaluation,
    pub indicator_count: Figure,
    pub indicators_met: Figure,
    /// 偏差原因: each computed deviation (execution below 100%, every indicator that lost points) with its reason.
    pub deviations: Vec<String>,
    /// The unit's own analysis of the deviations, when written.
    pub deviation_text: ProjectProse,
    pub problems: ProjectProse,
    pub improvements: ProjectProse,
    pub result_application: ProjectProse,
    pub report_date: Option<String>,
    /// Every figure, in order, for the trace table.
    pub figures: Vec<Figure>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProjectReportError {
    #[error("{year}年度没有项目「{code}」；本年项目：{known}")]
    UnknownProject { code: String, year: i32, known: String },
}

fn prose(books: &Books, id: &str, project_code: &str) -> ProjectProse {
    let spec = project_report_sections().iter().find(|s| s.id == id).expect("the section is listed in project-report-sections.toml");
    let section = format!("{id}.{project_code}");
    let text = books.narrative(&section);
    let paragraphs: Vec<String> =
        text.map(|t| t.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()).unwrap_or_default();
    let missing = (text.is_none() && spec.required).then(|| format!("「缺少数据：报告文字「{}」未填写」", spec.title));
    ProjectProse { id: id.to_string(), title: spec.title.clone(), paragraphs, missing }
}

/// The report of `project_code` in `books`, with its 自评表 taken from `evaluation` (so reviewers' overrides and the
/// unit's framework apply exactly as in the department report's annex).
pub fn build(books: &Books, evaluation: &Evaluation, project_code: &str, unit: MoneyUnit) -> Result<ProjectReport, ProjectReportError> {
    let project = books.project(project_code).filter(|p| p.year == books.year.year);
    let scored = evaluation.projects.iter().find(|p| p.project_code == project_code);
    let (Some(project), Some(scored)) = (project, scored) else {
        return Err(ProjectReportError::UnknownProject {
            code: project_code.to_string(),
            year: books.year.year,
            known: books.records.projects.iter().map(|p| format!("{}（{}）", p.project_code, p.name)).collect::<Vec<_>>().join("、"),
        });
    };
    let mut t = Tracer { figures: vec![], unit };
    let lines: Vec<&AppropriationLine> = books.lines_where(|l| l.project_code.as_deref() == Some(project_code)).collect();
    let line_refs: Vec<RecordRef> = lines.iter().map(|l| RecordRef::new("appropriation_lines", &l.line_code)).collect();
    let budget = lines.iter().fold(crate::books::LineBudget::default(), |mut acc, l| {
        let b = books.line_budget(&l.line_code);
        acc.carry_over += b.carry_over;
        acc.initial += b.initial;
        acc.adjustments += b.adjustments;
        acc
    });
    let name = &project.name;
    let [carry_over, initial, adjustments] = [
        (budget.carry_over, "上年结转（万元）", "上年结转"),
        (budget.initial, "年初预算数（万元）", "年初预算"),
        (budget.adjustments, "年中调整（万元）", "追加、调减、调剂"),
    ]
    .map(|(amount, label, kinds)| {
        t.money(amount, label, &format!("Σ 指标变动凭证（{kinds}）.金额，项目「{name}」的指标"), line_refs.clone())
    });
    let annual = t.money(budget.annual(), "全年预算数（万元）", "上年结转 + 年初预算数 + 年中调整", line_refs.clone());
    let spent_all = books.spending_where(|l| l.project_code.as_deref() == Some(project_code));
    let spent = t.spending(&spent_all, "全年执行数（万元）", &format!("Σ 支出凭证.金额，项目「{name}」的指标"));
    let unspent = t.money(budget.annual() - spent_all.amount, "未执行数（万元）", "全年预算数 − 全年执行数", line_refs.clone());
    let execution_rate = t.rate(spent_all.amount, budget.annual(), "预算执行率", "全年执行数 ÷ 全年预算数 × 100%", line_refs.clone());
    let fund_lines = lines
        .iter()
        .map(|l| {
            let b = books.line_budget(&l.line_code);
            let s = books.line_spending(&l.line_code);
            let r = vec![RecordRef::new("appropriation_lines", &l.line_code)];
            FundLine {
                line_code: l.line_code.clone(),
                function: format!("{} {}", l.function_code, books.function_name(&l.function_code)),
                economic_code: l.economic_code.clone(),
                fund_source: l.fund_source.label().to_string(),
                annual: t.money(b.annual(), &format!("指标 {} 全年预算数（万元）", l.line_code), "上年结转 + 年初预算 + 调整", r.clone()),
                spent: t.money(
                    s,
                    &format!("指标 {} 全年执行数（万元）", l.line_code),
                    "Σ 支出凭证.金额",
                    vec![RecordRef::new("expenditures_by_line", &l.line_code)],
                ),
                rate: t.rate(s, b.annual(), &format!("指标 {} 执行率", l.line_code), "全年执行数 ÷ 全年预算数 × 100%", r),
            }
        })
        .collect();
    let indicator_refs: Vec<RecordRef> =
        scored.indicators.iter().map(|i| RecordRef::new("project_indicators", &i.indicator_code)).collect();
    let met = scored.indicators.iter().filter(|i| i.weight.0 > 0 && i.score == i.weight).count();
    let indicator_count = t.count(scored.indicators.len() as i64, "绩效指标个数", "项目的绩效指标记录数", indicator_refs.clone());
    let indicators_met = t.count(met as i64, "全部完成的指标个数", "得分等于分值的指标数（自评表）", indicator_refs);

    let mut deviations = Vec::new();
    if budget.annual() > spent_all.amount && !execution_rate.missing {
        deviations.push(format!(
            "预算执行率{}，未执行{}{}（全年预算数{}{}，全年执行数{}{}）",
            execution_rate.text,
            unspent.text,
            unit.label(),
            annual.text,
            unit.label(),
            spent.text,
            unit.label()
        ));
    }
    for i in scored.indicators.iter().filter(|i| i.score < i.weight || i.weight.0 == 0) {
        let actual =
            if i.actual.is_empty() { "「缺少数据：实际完成值」".to_string() } else { format!("{}{}", i.actual, i.unit) };
        let target = if i.direction == "定性" { i.target.clone() } else { format!("{}{}{}", i.direction, i.target, i.unit) };
        let reason = if i.deviation_reason.trim().is_empty() {
            "「缺少数据：偏差原因分析」".to_string()
        } else {
            i.deviation_reason.trim_end_matches('。').to_string()
        };
        deviations
            .push(format!("「{}」年度指标值{}，实际完成值{}，得{}分（分值{}分）：{}", i.level3, target, actual, i.score, i.weight, reason));
    }
    // The unit's analysis is optional when nothing deviated, and asked for when something did.
    let mut deviation_text = prose(books, "project_deviation", project_code);
    if !deviations.is_empty() && deviation_text.paragraphs.is_empty() {
        deviation_text.missing = Some(format!("「缺少数据：报告文字「{}」未填写」", deviation_text.title));
    }
    Ok(ProjectReport {
        title: format!("{}{}年度{}项目支出绩效自评报告", books.unit.name, books.year.year, project.name),
        unit_name: books.unit.name.clone(),
        unit_code: books.unit.code.clone(),
        year: books.year.year,
        money_unit: unit.label(),
        project_code: project.project_code.clone(),
        project_name: project.name.clone(),
        is_key: project.is_key,
        department: project.department.clone(),
        goal: project.goal.clone(),
        outcome: project.outcome.clone(),
        background: prose(books, "project_background", project_code),
        funds: ProjectFunds { carry_over, initial, adjustments, annual, spent, unspent, execution_rate, lines: fund_lines },
        evaluation: scored.clone(),
        scope: Evaluation { indicators: vec![], projects: vec![scored.clone()], review_flags: vec![], ..evaluation.clone() },
        indicator_count,
        indicators_met,
        deviations,
        deviation_text,
        problems: prose(books, "project_problems", project_code),
        improvements: prose(books, "project_improvements", project_code),
        result_application: prose(books, "project_result_application", project_code),
        report_date: books.year.report_date.map(|d| d.chinese()),
        figures: t.figures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::framework::Rules;
    use crate::evaluation::{EvaluationInput, evaluate};
    use crate::fixture::books;
    use crate::money::Fen;

    fn report(b: &Books, code: &str) -> Result<ProjectReport, ProjectReportError> {
        let ev = evaluate(&EvaluationInput { books: b, prior: None, findings: &[] }, &Rules::defaults());
        build(b, &ev, code, MoneyUnit::Yuan)
    }

    #[test]
    fn figures_come_from_the_project_lines_and_are_traced() {
        let r = report(&books(), "XM1").unwrap();
        // Line P1: 年初 500.00 元, spent 500.00 元.
        assert_eq!(
            (r.funds.initial.text.as_str(), r.funds.annual.text.as_str(), r.funds.spent.text.as_str()),
            ("500.00", "500.00", "500.00")
        );
        assert_eq!(r.funds.execution_rate.text, "100.00%");
        assert_eq!(r.funds.spent.sources, vec![RecordRef::new("expenditures_by_line", "P1")]);
        assert_eq!(r.funds.lines.len(), 1);
        assert_eq!(r.evaluation.project_code, "XM1");
        assert_eq!((r.indicator_count.text.as_str(), r.indicators_met.text.as_str()), ("1", "1"));
        assert!(r.deviations.is_empty(), "{:?}", r.deviations);
        assert!(r.figures.iter().all(|f| !f.formula.is_empty()));
    }

    #[test]
    fn missing_prose_is_named_with_the_section_to_write_and_written_prose_is_used() {
        let mut b = books();
        let r = report(&b, "XM1").unwrap();
        assert_eq!(r.problems.missing.as_deref(), Some("「缺少数据：报告文字「存在的问题」未填写」"));
        assert!(r.background.missing.is_none(), "optional sections are not demanded");
        b.records.narratives.push(Narrative {
            section: "project_problems.XM1".into(),
            year: 2020,
            text: "宣传面不广。\n\n经费偏少。".into(),
        });
        let r = report(&b, "XM1").unwrap();
        assert_eq!(r.problems.paragraphs, vec!["宣传面不广。", "经费偏少。"]);
        assert!(r.problems.missing.is_none());
    }

    #[test]
    fn deviations_list_unspent_money_and_indicators_that_lost_points() {
        let mut b = books();
        // Half of the project's 500.00 元 spent, and the indicator not reached.
        b.records.expenditures.retain(|e| e.line_code != "P1");
        let mut pay = books().records.expenditures.into_iter().find(|e| e.line_code == "P1").unwrap();
        pay.amount = Fen(25_000);
        b.records.expenditures.push(pay);
        b.records.receipts.iter_mut().filter(|r| r.voucher_no == "SR2").for_each(|r| r.amount = Fen(25_000));
        b.records.project_indicators[0].actual = Some("3".into());
        b.records.project_indicators[0].deviation_reason = Some("疫情影响，部分活动取消。".into());
        let r = report(&b, "XM1").unwrap();
        assert_eq!(r.funds.execution_rate.text, "50.00%");
        assert_eq!(r.deviations[0], "预算执行率50.00%，未执行250.00元（全年预算数500.00元，全年执行数250.00元）");
        assert!(r.deviations[1].starts_with("「科普活动场次」年度指标值≥6场，实际完成值3场，得"), "{}", r.deviations[1]);
        assert!(r.deviations[1].ends_with("：疫情影响，部分活动取消"), "{}", r.deviations[1]);
    }

    #[test]
    fn an_unknown_project_is_refused_naming_the_year_s_projects() {
        let e = report(&books(), "XM9").unwrap_err().to_string();
        assert_eq!(e, "2020年度没有项目「XM9」；本年项目：XM1（科普活动）");
    }
}
