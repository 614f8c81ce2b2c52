//! A 部门整体绩效自评表 in the project layout (the Chongqing form): the 部门预算执行情况 block, whose 执行率
//! earns 执行率权重 × 执行率, then the department's own indicators (部门整体绩效指标), each earning its
//! 指标权重 × 得分系数 (how far the actual reached the target, at most 100%).

use super::framework::QualitativeShares;
use super::measures::achievement;
use super::{Points, ScoredIndicator, apply_override};
use crate::books::Books;
use crate::finding::RecordRef;
use crate::money::{BasisPoints, Fen};

/// Every row of the form, the 执行率 first.
pub fn indicators(books: &Books, execution_weight: Points, q: &QualitativeShares) -> Vec<ScoredIndicator> {
    let overrides = &books.records.score_overrides;
    let annual: Fen = books.records.appropriation_lines.iter().map(|l| books.line_budget(&l.line_code).annual()).sum();
    let spent = books.spending_total().amount;
    let rate = BasisPoints::ratio(spent.0, annual.0);
    let computed = rate.map_or(Points(0), |r| execution_weight.share(r.0.clamp(0, 10_000)));
    let mut lost = (computed < execution_weight).then(|| match rate {
        Some(r) => format!("执行率 {}，执行率得分 = {} × {}", r.percent_string(), execution_weight, r.percent_string()),
        None => "全年预算数为0，执行率无法计算".to_string(),
    });
    let (score, overridden) = apply_override(overrides, "execution_rate", execution_weight, computed, &mut lost);
    let mut rows = vec![ScoredIndicator {
        id: "execution_rate".into(),
        level1: "部门预算执行情况".into(),
        level2: "资金情况".into(),
        level3: "执行率".into(),
        weight: execution_weight,
        standard: "100%".into(),
        formula: "全年执行数 ÷ 全年预算数 × 100%；执行率得分 = 执行率权重 × 执行率（最高100%）".into(),
        value: rate.map_or_else(|| "无法计算".into(), |r| r.percent_string()),
        numerator: Some(format!("{}万元", spent.wan_yuan_string())),
        denominator: Some(format!("{}万元", annual.wan_yuan_string())),
        rate_bp: rate.map(|r| r.0),
        unavailable: rate.is_none().then(|| "全年预算数为0".to_string()),
        checklist: vec![],
        computed_score: computed,
        score,
        excluded: false,
        overridden,
        lost_reason: lost,
        evidence_count: books.records.appropriation_lines.len(),
        evidence: books.records.appropriation_lines.iter().take(50).map(|l| RecordRef::new("appropriation_lines", &l.line_code)).collect(),
    }];
    let indicators = &books.records.department_indicators;
    let for_indicators = Points::FULL.0 - execution_weight.0;
    if indicators.is_empty() {
        rows.push(ScoredIndicator {
            id: "department_indicators".into(),
            level1: "绩效指标".into(),
            level2: "—".into(),
            level3: "部门整体绩效指标".into(),
            weight: Points(for_indicators),
            standard: "—".into(),
            formula: "指标得分 = 指标权重 × 得分系数".into(),
            value: "无法计算".into(),
            numerator: None,
            denominator: None,
            rate_bp: None,
            unavailable: Some("没有部门整体绩效指标记录".into()),
            checklist: vec![],
            computed_score: Points(0),
            score: Points(0),
            excluded: false,
            overridden: None,
            lost_reason: Some("无法计算：没有部门整体绩效指标记录（按规则不得分）".into()),
            evidence_count: 0,
            evidence: vec![],
        });
        return rows;
    }
    // The unit's own 指标权重; indicators without one share what the others leave of the 90 points equally.
    let given: i64 = indicators.iter().filter_map(|i| i.weight).sum();
    let unweighted = indicators.iter().filter(|i| i.weight.is_none()).count() as i64;
    let spare = (for_indicators - given).max(0);
    let mut handed = 0;
    let mut k = 0;
    for i in indicators {
        let weight = match i.weight {
            Some(w) => Points(w),
            None => {
                k += 1;
                let share = if k == unweighted { spare - handed } else { spare / unweighted };
                handed += share;
                Points(share)
            }
        };
        let a = achievement(&i.as_project_indicator(), q);
        let computed = weight.share(a.share_bp);
        let mut lost = a.reason.clone();
        let (score, overridden) = apply_override(overrides, &i.indicator_code, weight, computed, &mut lost);
        rows.push(ScoredIndicator {
            id: i.indicator_code.clone(),
            level1: i.level1.clone(),
            level2: i.level2.clone(),
            level3: i.level3.clone(),
            weight,
            standard: format!("{}{}{}", i.direction.label(), i.target, i.unit.as_deref().unwrap_or("")).replace("定性", ""),
            formula: "指标得分 = 指标权重 × 得分系数（实际完成值达到年度指标值的程度，最高100%）".into(),
            value: i.actual.clone().filter(|a| !a.trim().is_empty()).unwrap_or_else(|| "无法计算".into()),
            numerator: None,
            denominator: None,
            rate_bp: Some(a.share_bp),
            unavailable: i.actual.as_deref().is_none_or(|a| a.trim().is_empty()).then(|| "缺少实际完成值".to_string()),
            checklist: vec![],
            computed_score: computed,
            score,
            excluded: false,
            overridden,
            lost_reason: (score < weight).then_some(lost).flatten(),
            evidence_count: 1,
            evidence: vec![RecordRef::new("department_indicators", &i.indicator_code)],
        });
    }
    rows
}
