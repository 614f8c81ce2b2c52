//! The consolidated report of a 主管部门 or a 财政局's region (`jixiao report --scope department|region`):
//! every number is a figure of core's `consolidated::build`; this module only lays them out.

use super::{Blocks, Line, Outline, OutlineCell};
use jixiao_core::consolidated::{ConsolidatedModel, ScopeKind};

/// The consolidated report's blocks. `in_browser`: where a unit's findings are detailed is its page in the
/// web application, not a command.
pub fn consolidated_outline(m: &ConsolidatedModel, in_browser: bool) -> Outline {
    let unit = |name: &str, code: &str| format!("{name}（{code}）");
    let mut b = Blocks::default();
    b.heading(1, "一、总体情况");
    let mut line = Line::new().text(format!("{}。", m.scope_text));
    if !m.departments.is_empty() {
        line = line.text(format!("所属主管部门{}个，", m.departments.len()));
    }
    line = line
        .text(format!("纳入汇总的单位{}个，其中有{}年度账套的{}个。{}年全年预算数合计", m.unit_count, m.year, m.reporting_count, m.year))
        .figure(&m.annual)
        .text("万元，本年支出合计")
        .figure(&m.spent)
        .text("万元，预算执行率")
        .figure(&m.rate)
        .text("。")
        .text(if m.findings.is_empty() {
            "各单位账务核对均无错误和警告。".to_string()
        } else {
            format!("账务核对发现错误或警告的单位{}个。", m.findings.len())
        });
    b.paragraph(line);

    b.heading(1, "二、预算执行情况");
    let money_headers = ["全年预算数（万元）", "本年支出（万元）", "执行率"];
    if !m.departments.is_empty() {
        b.heading(2, "（一）按主管部门");
        let rows = m
            .departments
            .iter()
            .map(|d| {
                let name = if d.code.is_empty() { d.name.clone() } else { unit(&d.name, &d.code) };
                vec![
                    OutlineCell::text(name),
                    OutlineCell::number(d.units.to_string()),
                    OutlineCell::figure(&d.annual),
                    OutlineCell::figure(&d.spent),
                    OutlineCell::figure(&d.rate),
                ]
            })
            .collect();
        b.table(&[&["主管部门", "单位数"][..], &money_headers].concat(), &[6, 2, 3, 3, 2], rows);
        b.heading(2, "（二）按单位");
    }
    let region = m.kind == ScopeKind::Region;
    let rows = m
        .units
        .iter()
        .map(|u| {
            let mut row = if region { vec![OutlineCell::text(&u.department)] } else { vec![] };
            row.extend([
                OutlineCell::text(unit(&u.name, &u.code)),
                OutlineCell::figure(&u.annual),
                OutlineCell::figure(&u.spent),
                OutlineCell::figure(&u.rate),
            ]);
            row
        })
        .collect();
    if region {
        b.table(&[&["主管部门", "单位"][..], &money_headers].concat(), &[5, 5, 3, 3, 2], rows);
    } else {
        b.table(&[&["单位"][..], &money_headers].concat(), &[6, 3, 3, 2], rows);
    }

    b.heading(1, "三、绩效自评排名");
    if m.ranking.is_empty() {
        b.paragraph(Line::new().text(format!("没有单位有{}年度的自评结果。", m.year)));
    } else {
        let rows = m
            .ranking
            .iter()
            .map(|r| {
                vec![
                    OutlineCell::number(r.rank.to_string()),
                    OutlineCell::text(unit(&r.name, &r.code)),
                    OutlineCell::text(&r.department),
                    OutlineCell::figure(&r.score),
                    OutlineCell::text(&r.grade),
                    OutlineCell::text(if r.note.is_empty() { "—" } else { r.note.as_str() }),
                ]
            })
            .collect();
        b.table(&["名次", "单位", "主管部门", "自评得分", "等级", "备注"], &[2, 6, 5, 2, 2, 4], rows);
    }

    b.heading(1, "四、账务核对发现问题的单位");
    if m.findings.is_empty() {
        b.paragraph(Line::new().text("无。"));
    } else {
        let rows = m
            .findings
            .iter()
            .map(|f| {
                vec![
                    OutlineCell::text(unit(&f.name, &f.code)),
                    OutlineCell::text(&f.department),
                    OutlineCell::number(f.errors.to_string()),
                    OutlineCell::number(f.warnings.to_string()),
                    OutlineCell::text(&f.rules),
                ]
            })
            .collect();
        b.table(&["单位", "主管部门", "错误", "警告", "涉及规则"], &[6, 5, 2, 2, 6], rows);
        b.paragraph(Line::new().text(if in_browser {
            "各单位的核对明细见单位一览中该单位的首页（待处理的核对问题）。".to_string()
        } else {
            format!("各单位的核对明细见 jixiao check --unit 单位编码 --year {}。", m.year)
        }));
    }
    b.finish(&m.title, m.figures.clone())
}
