//! Next year's 绩效目标申报表 (`jixiao report --kind targets --year Y` drafts year Y+1): one 项目支出绩效目标申报表 per
//! continuing project and the 部门整体支出绩效目标申报表, drafted from this year's project library and actuals.
//!
//! What the draft takes from the records: each continuing project's name, 实施科室, 年度总体目标 and indicators as
//! this year set them; this year's 实际完成值 of each indicator as its 参考值 (reference value); this year's
//! 全年预算数 and 执行数 as reference figures. What it cannot know — next year's budget — is printed
//! 「缺少数据：…」. A target that asks less than this year achieved (≥ below the actual, ≤ above it) is flagged.
//! Which projects continue is decided by `data/target-drafting.toml` (see [`continuation`]).
//!
//! The forms follow published ones: the 项目支出绩效目标申报表 (项目名称, 主管部门, 实施单位, 项目属性 新增/延续,
//! 资金情况 年度资金总额 / 财政拨款 / 其他资金, 年度目标, 一级/二级/三级指标, 指标值) and the 部门整体支出绩效目标表
//! (部门预算 by 基本支出/项目支出, 年度主要任务, 年度总体目标, 年度绩效指标); e.g. the 绩效目标申报表参考模板 of
//! 财预〔2021〕101号's 指标体系 (http://lsrwf.cn/news/708af42006d811ec81694b356a0c000d, 《中央部门项目支出核心绩效目标
//! 和指标设置及取值指引（试行）》: 产出/效益/满意度 indicators, 成本指标 from 2022).

use crate::books::Books;
use crate::evaluation::reading::read_quantity;
use crate::finding::RecordRef;
use crate::money::{Fen, MoneyUnit};
use crate::records::*;
use crate::report_model::{Figure, Tracer};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Deserialize)]
struct DraftingRules {
    one_off_economic_classes: Vec<String>,
}

fn drafting_rules() -> &'static DraftingRules {
    static RULES: OnceLock<DraftingRules> = OnceLock::new();
    RULES.get_or_init(|| {
        toml::from_str(include_str!("../data/target-drafting.toml")).expect("target-drafting.toml is valid (checked by tests)")
    })
}

/// One indicator of a draft: this year's target carried over, this year's actual as the reference.
#[derive(Debug, Clone, Serialize)]
pub struct DraftIndicator {
    pub indicator_code: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    /// ≥, ≤, = or 定性.
    pub direction: String,
    pub unit: String,
    /// 指标值 proposed for next year: this year's target as written.
    pub target: String,
    /// 参考值: this year's 实际完成值, absent when not measured.
    pub reference: Option<String>,
    /// Why the target should be looked at: it asks less than this year achieved.
    pub flag: Option<String>,
}

/// Whether a project is drafted into next year, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Continuation {
    pub continues: bool,
    pub reason: String,
}

/// A project's draft 项目支出绩效目标申报表.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTargets {
    pub project_code: String,
    pub name: String,
    pub is_key: bool,
    pub department: Option<String>,
    /// 项目属性 and why.
    pub continuation: Continuation,
    pub goal: String,
    /// This year's 全年预算数 and 执行数: the reference for next year's amount.
    pub this_year_annual: Figure,
    pub this_year_spent: Figure,
    /// Next year's 年度资金总额: not in this year's records.
    pub next_year_amount: Figure,
    pub indicators: Vec<DraftIndicator>,
}

/// The draft 部门整体支出绩效目标申报表.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentTargets {
    /// 年度总体目标: this year's, when the unit recorded one.
    pub goal: Option<String>,
    pub this_year_basic: Figure,
    pub this_year_project: Figure,
    pub this_year_total: Figure,
    pub next_year_amount: Figure,
    /// 年度主要任务: the continuing projects with this year's 全年预算数.
    pub tasks: Vec<(String, Figure)>,
    /// The department's own indicators (部门整体绩效指标).
    pub indicators: Vec<DraftIndicator>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetDraft {
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    /// 主管部门.
    pub parent_department: String,
    /// The year whose records the draft is made from.
    pub year: i32,
    /// The year the targets are for.
    pub target_year: i32,
    pub money_unit: &'static str,
    pub department: DepartmentTargets,
    pub projects: Vec<ProjectTargets>,
    /// This year's projects not drafted, with why.
    pub ended: Vec<(String, String, String)>,
    /// Every flagged target, for the reviewer.
    pub flags: Vec<String>,
    pub figures: Vec<Figure>,
}

/// Whether `project` continues into next year: money left at year end continues; a project all of whose lines are
/// one-off (capital) spending and that spent its whole budget ended; any other continues as a recurring project.
pub fn continuation(books: &Books, project: &Project, unit: MoneyUnit) -> Continuation {
    let lines: Vec<&AppropriationLine> = books.lines_where(|l| l.project_code.as_deref() == Some(project.project_code.as_str())).collect();
    let annual: Fen = lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum();
    let spent: Fen = lines.iter().map(|l| books.line_spending(&l.line_code)).sum();
    let one_off =
        |l: &&AppropriationLine| drafting_rules().one_off_economic_classes.iter().any(|c| l.economic_code.starts_with(c.as_str()));
    let (continues, reason) = if lines.is_empty() {
        (true, "本年无预算指标".to_string())
    } else if annual > spent {
        (true, format!("本年预算未执行完毕，尚余{}{}", (annual - spent).in_unit(unit), unit.label()))
    } else if lines.iter().all(one_off) {
        (false, "资本性支出项目，本年预算已全部执行".to_string())
    } else {
        (true, "经常性支出项目".to_string())
    };
    Continuation { continues, reason }
}

/// This year's indicator as next year's draft.
fn draft_indicator(i: &ProjectIndicator) -> DraftIndicator {
    let unit = i.unit.clone().unwrap_or_default();
    let reference = i.actual.clone().filter(|a| !a.trim().is_empty());
    let flag = match (read_quantity(&i.target), reference.as_deref().and_then(read_quantity)) {
        (Some(target), Some(actual)) => {
            let (low, wanted) = match i.direction {
                IndicatorDirection::AtLeast => (target.milli < actual.milli, "不低于"),
                IndicatorDirection::AtMost => (target.milli > actual.milli, "不高于"),
                _ => (false, ""),
            };
            low.then(|| {
                format!(
                    "拟定目标{}{}{unit}低于本年实际完成值{}{unit}，宜{wanted}本年实际",
                    i.direction.label(),
                    i.target,
                    reference.as_deref().unwrap_or_default()
                )
            })
        }
        _ => None,
    };
    DraftIndicator {
        indicator_code: i.indicator_code.clone(),
        level1: i.level1.clone(),
        level2: i.level2.clone(),
        level3: i.level3.clone(),
        direction: i.direction.label().to_string(),
        unit,
        target: i.target.clone(),
        reference,
        flag,
    }
}

/// The flagged indicators of `owner` (项目「…」 or 部门整体) as the review list prints them.
fn flagged<'a>(owner: &'a str, indicators: &'a [DraftIndicator]) -> impl Iterator<Item = String> + 'a {
    indicators.iter().filter_map(move |d| d.flag.as_ref().map(|f| format!("{owner}指标「{}」{f}", d.level3)))
}

/// The draft targets of the year after `books.year`.
pub fn build(books: &Books, unit: MoneyUnit) -> TargetDraft {
    let year = books.year.year;
    let next = year + 1;
    let mut t = Tracer { figures: vec![], unit };
    let indicators = books.project_indicators();
    let mut projects = Vec::new();
    let mut ended = Vec::new();
    let mut flags = Vec::new();
    for p in books.records.projects.iter().filter(|p| p.year == year) {
        let continuation = continuation(books, p, unit);
        if !continuation.continues {
            ended.push((p.project_code.clone(), p.name.clone(), continuation.reason));
            continue;
        }
        let code = p.project_code.as_str();
        let lines: Vec<&AppropriationLine> = books.lines_where(|l| l.project_code.as_deref() == Some(code)).collect();
        let refs: Vec<RecordRef> = lines.iter().map(|l| RecordRef::new("appropriation_lines", &l.line_code)).collect();
        let annual: Fen = lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum();
        let this_year_annual =
            t.money(annual, &format!("项目「{}」{year}年全年预算数（万元）", p.name), "Σ 项目指标的上年结转 + 年初预算 + 调整", refs);
        let spent = books.spending_where(|l| l.project_code.as_deref() == Some(code));
        let this_year_spent = t.spending(&spent, &format!("项目「{}」{year}年全年执行数（万元）", p.name), "Σ 支出凭证.金额，项目的指标");
        let next_year_amount =
            t.missing(&format!("{next}年度资金总额（预算批复后填写）"), &format!("项目「{}」{next}年度资金总额（万元）", p.name));
        let owner = format!("项目「{}」", p.name);
        let drafted: Vec<DraftIndicator> = indicators.iter().filter(|i| i.project_code == code).map(draft_indicator).collect();
        flags.extend(flagged(&owner, &drafted));
        projects.push(ProjectTargets {
            project_code: p.project_code.clone(),
            name: p.name.clone(),
            is_key: p.is_key,
            department: p.department.clone(),
            continuation,
            goal: p.goal.clone(),
            this_year_annual,
            this_year_spent,
            next_year_amount,
            indicators: drafted,
        });
    }

    let sum_kind = |kind: SpendingKind| -> (Fen, Vec<RecordRef>) {
        let lines: Vec<&AppropriationLine> = books.lines_where(|l| l.spending_kind == kind).collect();
        (
            lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum(),
            lines.iter().map(|l| RecordRef::new("appropriation_lines", &l.line_code)).collect(),
        )
    };
    let (basic, basic_refs) = sum_kind(SpendingKind::Basic);
    let (project, project_refs) = sum_kind(SpendingKind::Project);
    let this_year_basic = t.money(basic, &format!("{year}年基本支出全年预算数（万元）"), "Σ 基本支出指标的全年预算数", basic_refs.clone());
    let this_year_project =
        t.money(project, &format!("{year}年项目支出全年预算数（万元）"), "Σ 项目支出指标的全年预算数", project_refs.clone());
    let this_year_total = t.money(
        basic + project,
        &format!("{year}年全年预算数合计（万元）"),
        "基本支出 + 项目支出",
        basic_refs.into_iter().chain(project_refs).collect(),
    );
    let next_year_amount = t.missing(&format!("{next}年部门预算（预算批复后填写）"), &format!("{next}年部门预算（万元）"));
    let tasks = projects.iter().map(|p| (p.name.clone(), p.this_year_annual.clone())).collect();
    let department_indicators: Vec<DraftIndicator> =
        books.records.department_indicators.iter().filter(|i| i.year == year).map(|i| draft_indicator(&i.as_project_indicator())).collect();
    flags.extend(flagged("部门整体", &department_indicators));
    let goal = books.records.department_goals.iter().filter(|g| g.year == year).map(|g| g.goal.trim().to_string()).rfind(|g| !g.is_empty());

    TargetDraft {
        title: format!("{}{next}年度绩效目标申报表（草稿）", books.unit.name),
        unit_name: books.unit.name.clone(),
        unit_code: books.unit.code.clone(),
        parent_department: books.unit.parent_department.clone(),
        year,
        target_year: next,
        money_unit: unit.label(),
        department: DepartmentTargets {
            goal,
            this_year_basic,
            this_year_project,
            this_year_total,
            next_year_amount,
            tasks,
            indicators: department_indicators,
        },
        projects,
        ended,
        flags,
        figures: t.figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::books;

    #[test]
    fn a_recurring_project_is_drafted_with_this_year_s_actuals_as_references() {
        let mut b = books();
        // Target ≥6, achieved 8: carried over as ≥6 and flagged.
        b.records.project_indicators[0].actual = Some("8".into());
        let d = build(&b, MoneyUnit::Yuan);
        assert_eq!((d.year, d.target_year), (2020, 2021));
        assert_eq!(d.title, "测试单位2021年度绩效目标申报表（草稿）");
        let p = &d.projects[0];
        assert_eq!(p.continuation, Continuation { continues: true, reason: "经常性支出项目".into() });
        assert_eq!((p.this_year_annual.text.as_str(), p.this_year_spent.text.as_str()), ("500.00", "500.00"));
        assert!(p.next_year_amount.missing);
        let i = &p.indicators[0];
        assert_eq!((i.target.as_str(), i.reference.as_deref()), ("6", Some("8")));
        assert_eq!(i.flag.as_deref(), Some("拟定目标≥6场低于本年实际完成值8场，宜不低于本年实际"));
        assert_eq!(d.flags, vec!["项目「科普活动」指标「科普活动场次」拟定目标≥6场低于本年实际完成值8场，宜不低于本年实际"]);
        assert_eq!(d.department.this_year_total.text, "1500.00");
    }

    #[test]
    fn a_target_at_or_above_the_actual_and_an_unmeasured_one_are_not_flagged() {
        let mut b = books();
        b.records.project_indicators[0].actual = Some("6".into());
        assert!(build(&b, MoneyUnit::Wan).flags.is_empty());
        b.records.project_indicators[0].actual = None;
        let d = build(&b, MoneyUnit::Wan);
        assert!(d.flags.is_empty());
        assert_eq!(d.projects[0].indicators[0].reference, None);
        // ≤ targets are flagged when they allow more than was reached.
        b.records.project_indicators[0].direction = IndicatorDirection::AtMost;
        b.records.project_indicators[0].actual = Some("2".into());
        assert!(build(&b, MoneyUnit::Wan).flags[0].contains("拟定目标≤6场低于本年实际完成值2场，宜不高于本年实际"));
    }

    #[test]
    fn a_capital_project_spent_in_full_ends_and_one_with_money_left_continues() {
        let mut b = books();
        b.records.appropriation_lines.iter_mut().filter(|l| l.line_code == "P1").for_each(|l| l.economic_code = "31002".into());
        let d = build(&b, MoneyUnit::Wan);
        assert!(d.projects.is_empty());
        assert_eq!(d.ended, vec![("XM1".to_string(), "科普活动".to_string(), "资本性支出项目，本年预算已全部执行".to_string())]);
        // The same project with 200.00 元 unspent continues.
        b.records.expenditures.iter_mut().filter(|e| e.line_code == "P1").for_each(|e| e.amount = Fen(30_000));
        let c = continuation(&b, &b.records.projects[0], MoneyUnit::Yuan);
        assert_eq!(c, Continuation { continues: true, reason: "本年预算未执行完毕，尚余200.00元".into() });
    }
}
