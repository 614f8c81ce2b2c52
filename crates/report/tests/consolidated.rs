//! The consolidated report (a 主管部门 or a 财政局's region) written from its outline in both formats.

use jixiao_core::Fen;
use jixiao_core::consolidated::{ConsolidatedUnit, ConsolidationInput, ScopeKind, UnitExecution, build};
use jixiao_core::evaluation::Points;
use jixiao_report::{Format, render_consolidated, render_consolidated_in_browser};

fn unit(code: &str, dept: &str, annual: i64, spent: i64, score: Option<i64>, errors: usize) -> ConsolidatedUnit {
    ConsolidatedUnit {
        code: code.into(),
        name: format!("{code}单位"),
        department_code: Some(dept.into()),
        department_name: format!("{dept}部门"),
        has_year: score.is_some(),
        execution: UnitExecution { annual: Fen(annual), spent: Fen(spent), budget_vouchers: 3, expenditures: 5 },
        score: score.map(Points),
        grade: score.map(|s| if s >= 9000 { "优" } else { "良" }.to_string()),
        errors,
        warnings: 1,
        rules: vec!["LINE_OVERSPENT".into()],
    }
}

fn input(kind: ScopeKind) -> ConsolidationInput {
    ConsolidationInput {
        kind,
        code: Some("CZ01".into()),
        name: "某区财政局".into(),
        year: 2020,
        units: vec![
            unit("U1", "D1", 200_000_000, 180_000_000, Some(9150), 0),
            unit("U2", "D2", 100_000_000, 50_000_000, Some(8200), 2),
            unit("U3", "D2", 0, 0, None, 0),
        ],
    }
}

#[test]
fn region_report_in_markdown_lists_departments_units_ranking_and_findings() {
    let md = render_consolidated(&build(&input(ScopeKind::Region)), Format::Markdown).unwrap();
    assert!(md.starts_with("# 2020年度某区财政局部门整体支出绩效汇总报告\n"), "{md}");
    assert!(md.contains("财政局：某区财政局（CZ01）。所属主管部门2个，纳入汇总的单位3个，其中有2020年度账套的2个。2020年全年预算数合计300.00万元，本年支出合计230.00万元，预算执行率76.67%。"), "{md}");
    assert!(md.contains("| D2部门（D2） | 2 | 100.00 | 50.00 | 50.00% |"), "{md}");
    assert!(md.contains("| D2部门（D2） | U3单位（U3） | 「缺少数据：2020年度账套」 |"), "{md}");
    assert!(md.contains("| 1 | U1单位（U1） | D1部门（D1） | 91.50 | 优 | — |"), "{md}");
    assert!(md.contains("| 2 | U2单位（U2） | D2部门（D2） | 82.00 | 良 | 账务核对有错误 |"), "{md}");
    assert!(md.contains("| U2单位（U2） | D2部门（D2） | 2 | 1 | 指标超支 |"), "{md}");
    assert!(md.contains("各单位的核对明细见 jixiao check --unit 单位编码 --year 2020。"), "{md}");
}

/// The web application's view points to each unit's page where the printed one names the command.
#[test]
fn region_report_in_the_browser_points_to_the_units_pages_not_a_command() {
    let model = build(&input(ScopeKind::Region));
    let html = render_consolidated_in_browser(&model, Format::Html).unwrap();
    assert!(html.contains("各单位的核对明细见单位一览中该单位的首页（待处理的核对问题）。"), "{html}");
    assert!(!html.contains("jixiao check"), "{html}");
}

#[test]
fn department_report_in_html_links_every_figure_to_its_trace_row() {
    let model = build(&input(ScopeKind::Department));
    let html = render_consolidated(&model, Format::Html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("所属单位部门整体支出绩效汇总报告"));
    assert!(!html.contains("按主管部门"), "no department table in a department's own view");
    for f in &model.figures {
        assert!(html.contains(&format!("href=\"#fig-{}\"", f.id)) && html.contains(&format!("id=\"fig-{}\"", f.id)), "figure {}", f.id);
    }
    // The ranking's scores are figures too, traced to their unit.
    let score = model.figures.iter().find(|f| f.label == "U1单位：自评得分（分）").expect("the score is traced");
    assert_eq!((score.text.as_str(), score.sources[0].key.as_str()), ("91.50", "U1"));
    assert!(html.contains(&format!("href=\"#fig-{}\" title=\"U1单位：自评得分（分）", score.id)), "{html}");
    assert_eq!(render_consolidated(&model, Format::Html).unwrap(), html, "same model, same bytes");
}
