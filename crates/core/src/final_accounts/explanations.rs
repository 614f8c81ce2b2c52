//! The 决算说明 paragraphs (其他重要事项的情况说明) published with the 部门决算 tables, computed from the records.

use crate::books::Books;
use crate::codes::ExpenseGroup;
use crate::money::{BasisPoints, Fen};
use crate::records::{AssetStatus, FundSource, SpendingKind};

/// One paragraph of the 决算说明 (其他重要事项的情况说明), computed from the records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    /// e.g. 机关运行经费支出情况.
    pub title: String,
    pub text: String,
}

/// The 决算说明 paragraphs: 机关运行经费, 一般性支出 and “三公”经费 (each with the 上年 comparison when the
/// prior year's books are given), 政府采购, 国有资产占用 and 预算绩效. Money in 万元.
pub fn explanations(books: &Books, prior: Option<&Books>) -> Vec<Explanation> {
    let year = books.year.year;
    let wan = |f: Fen| format!("{}万元", f.wan_yuan_string());
    // 比上年: the change and its rate, or why there is none.
    let compare = |now: Fen, before: Option<Fen>| -> String {
        match before {
            None => format!("（缺少{}年度数据，未与上年比较）", year - 1),
            Some(b) if now == b => "，与上年持平".to_string(),
            Some(b) => {
                let (word, diff) = if now > b { ("增加", now - b) } else { ("减少", b - now) };
                let rate = BasisPoints::ratio(diff.0, b.0)
                    .map_or(String::new(), |r| format!("，{}{}", if now > b { "增长" } else { "下降" }, r.percent_string()));
                format!("，比上年{word}{}{rate}", wan(diff))
            }
        }
    };
    // 机关运行经费: the 一般公共预算财政拨款 basic spending on 公用经费.
    let running = |b: &Books| {
        b.spending_where(|l| {
            l.fund_source == FundSource::GeneralBudget
                && l.spending_kind == SpendingKind::Basic
                && b.expense_group(l) == Some(ExpenseGroup::PublicUse)
        })
        .amount
    };
    // “三公”经费 as each year's edition covers them in its 三公 table (the prior year's as it was published).
    let sangong = |b: &Books| super::sangong_amounts(b, super::sangong_coverage(b.year.year)).spending_total();
    let by_code = |b: &Books, code: &str| b.spending_where(|l| l.fund_source.is_fiscal() && l.economic_code == code).amount;
    let (meetings, training) = (by_code(books, "30215"), by_code(books, "30216"));
    let mut out = vec![
        Explanation {
            title: "机关运行经费支出情况".into(),
            text: format!("{year}年度机关运行经费支出{}{}。", wan(running(books)), compare(running(books), prior.map(running))),
        },
        Explanation {
            title: "一般性支出情况".into(),
            text: format!(
                "{year}年度“三公”经费支出{}{}；会议费支出{}，培训费支出{}。",
                wan(sangong(books)),
                compare(sangong(books), prior.map(sangong)),
                wan(meetings),
                wan(training)
            ),
        },
    ];
    let gov: Vec<_> = books.records.procurements.iter().filter(|p| p.is_government_procurement).collect();
    out.push(Explanation {
        title: "政府采购支出情况".into(),
        text: format!(
            "{year}年度政府采购合同金额{}（{}项）；授予中小企业合同金额「缺少数据：采购记录未登记供应商是否为中小企业」。",
            wan(gov.iter().map(|p| p.contract_amount).sum()),
            gov.len()
        ),
    });
    let held: Vec<_> =
        books.records.fixed_assets.iter().filter(|a| crate::assets::effective_status(&books.records, a) != AssetStatus::Disposed).collect();
    let vehicles = held.iter().filter(|a| a.name.contains('车')).count();
    out.push(Explanation {
        title: "国有资产占用情况".into(),
        text: format!(
            "截至{year}年12月31日，本单位固定资产{}件，原值{}，其中车辆{vehicles}辆。",
            held.len(),
            wan(held.iter().map(|a| a.original_value).sum())
        ),
    });
    let indicators = books.project_indicators();
    let evaluated: Vec<_> = books.records.projects.iter().filter(|p| indicators.iter().any(|i| i.project_code == p.project_code)).collect();
    let money: Fen = books
        .lines_where(|l| l.project_code.as_deref().is_some_and(|c| evaluated.iter().any(|p| p.project_code == c)))
        .map(|l| books.line_budget(&l.line_code).annual())
        .sum();
    out.push(Explanation {
        title: "预算绩效情况".into(),
        text: format!("{year}年度对{}个项目开展绩效自评，涉及资金{}。", evaluated.len(), wan(money)),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_explanations_are_computed_from_the_records_with_the_prior_year() {
        let b = crate::fixture::books();
        let texts = |prior| explanations(&b, prior).into_iter().map(|e| e.text).collect::<Vec<_>>();
        let alone = texts(None);
        assert_eq!(alone[0], "2020年度机关运行经费支出0.00万元（缺少2019年度数据，未与上年比较）。");
        assert!(alone[2].contains("缺少数据") && alone[4].contains("1个项目") && alone[4].contains("0.05万元"), "{alone:?}");
        // The same books as the prior year: 持平.
        let mut prior = b.clone();
        prior.year.year = 2019;
        assert!(texts(Some(&prior))[1].contains("与上年持平"));
        // A 公用经费 line spent more than last year.
        let mut now = b.clone();
        now.records.appropriation_lines[0].economic_code = "30201".into();
        let mut before = now.clone();
        // (kept at 2020: the fixture's codes are of the 2020 edition)
        before.records.expenditures[0].amount = jixiao_money(40_000);
        let t = explanations(&now, Some(&before)).remove(0).text;
        assert_eq!(t, "2020年度机关运行经费支出0.08万元，比上年增加0.04万元，增长100.00%。");
    }

    fn jixiao_money(fen: i64) -> crate::money::Fen {
        crate::money::Fen(fen)
    }
}
