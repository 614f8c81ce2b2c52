//! The 绩效运行监控表 (双监控) as blocks: 预算执行情况 (one row for the unit, its basic and project spending and
//! each project) and 绩效目标完成情况 (the unit's and each project's indicators), after the columns of the
//! published monitoring forms — 财政部《项目支出绩效目标执行监控表》 (财预〔2019〕136号: 全年预算数, 1-N月执行数,
//! 执行率, 全年预计执行数, 偏差原因分析, 完成目标可能性) and the 部门整体/重点项目预算绩效运行监控表 a 财政局 asks for
//! (溧阳市财政局, https://www.liyang.gov.cn/html/czly/2022/AQPBAIAN_0112/29078.html). Every cell is a figure of
//! `jixiao_core::monitoring::build`; nothing is computed here.

use super::{Blocks, Line, Outline, OutlineCell};
use jixiao_core::monitoring::{FundsRow, IndicatorProgress, Monitoring};

/// （一）, （二）, … for the second heading level.
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let text = match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    };
    format!("（{text}）")
}

/// The column headings of 预算执行情况.
pub fn funds_headers(m: &Monitoring) -> Vec<String> {
    ["项目", "年初预算数", "全年预算数", &m.spent_heading(), "执行率", "较序时进度（百分点）", "全年预计执行数", "偏差原因", "纠偏措施"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

pub const FUNDS_WIDTHS: [u16; 9] = [6, 3, 3, 3, 3, 3, 4, 7, 7];

pub fn funds_cells(r: &FundsRow) -> Vec<OutlineCell> {
    vec![
        OutlineCell::text(&r.label),
        OutlineCell::figure(&r.initial),
        OutlineCell::figure(&r.annual),
        OutlineCell::figure(&r.spent),
        OutlineCell::figure(&r.execution_rate),
        OutlineCell::figure(&r.gap),
        OutlineCell::figure(&r.expected),
        statement(&r.deviation_reason),
        statement(&r.corrective_action),
    ]
}

/// A statement (偏差原因, 纠偏措施 …) is text, left-aligned, unless it is missing.
fn statement(f: &jixiao_core::report_model::Figure) -> OutlineCell {
    OutlineCell { numeric: false, ..OutlineCell::figure(f) }
}

pub const INDICATOR_HEADERS: [&str; 9] =
    ["一级指标", "二级指标", "三级指标", "年度指标值", "截至监控日完成情况", "全年预计完成值", "完成目标可能性", "偏差原因", "纠偏措施"];
pub const INDICATOR_WIDTHS: [u16; 9] = [3, 3, 5, 3, 5, 3, 3, 6, 6];

pub fn indicator_cells(i: &IndicatorProgress) -> Vec<OutlineCell> {
    vec![
        OutlineCell::text(&i.level1),
        OutlineCell::text(&i.level2),
        OutlineCell::text(&i.level3),
        OutlineCell::text(&i.target),
        statement(&i.progress),
        statement(&i.expected),
        statement(&i.likelihood),
        statement(&i.deviation_reason),
        statement(&i.corrective_action),
    ]
}

/// The title of the table, as the 财政局's forms name it.
pub fn title(m: &Monitoring) -> String {
    format!("{}{}年度预算绩效运行监控表", m.unit_name, m.year)
}

/// The monitoring table as blocks, for DOCX, PDF and the text formats.
pub fn monitor_outline(m: &Monitoring) -> Outline {
    let mut b = Blocks::default();
    b.paragraph(
        Line::new()
            .text(format!("监控日期：{}。序时进度：", m.as_of.chinese()))
            .figure(&m.time_progress)
            .text(format!("（{} ÷ 12；{}）。金额单位：万元。", m.months, m.time_progress_rule)),
    );

    b.heading(1, "一、预算执行情况");
    let headers = funds_headers(m);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    b.table(&headers, &FUNDS_WIDTHS, m.funds.iter().map(funds_cells).collect());
    let behind: Vec<String> = m.funds.iter().filter(|r| r.behind).map(|r| format!("{}（{}）", r.label, r.execution_rate.text)).collect();
    b.paragraph(if behind.is_empty() {
        Line::new().text(format!("各行执行率均不低于序时进度（{}）。", m.time_progress.text))
    } else {
        Line::new().text(format!("执行率低于序时进度（{}）的：{}。", m.time_progress.text, behind.join("、")))
    });

    b.heading(1, "二、绩效目标完成情况");
    if m.goals.is_empty() {
        b.paragraph(Line::new().missing_data("绩效目标（部门整体或项目绩效指标）"));
    }
    for (n, g) in m.goals.iter().enumerate() {
        let subject = match &g.project_code {
            Some(code) => format!("{}（{code}）", g.subject),
            None => format!("{}绩效目标", g.subject),
        };
        b.heading(2, format!("{}{subject}", ordinal(n + 1)));
        b.paragraph(match &g.goal {
            Some(goal) => Line::new().text(format!("年度总体目标：{}", goal.trim())),
            None => Line::new().text("年度总体目标：").missing_data("年度总体目标"),
        });
        if g.indicators.is_empty() {
            b.paragraph(Line::new().text("绩效指标：").missing_data("绩效指标"));
        } else {
            b.table(&INDICATOR_HEADERS, &INDICATOR_WIDTHS, g.indicators.iter().map(indicator_cells).collect());
        }
    }

    b.heading(1, "三、填报说明");
    b.list(
        true,
        vec![
            Line::new().text(format!("执行数为截至{}的支出凭证合计（含冲销），全年预算数为同期已下达的预算指标（上年结转、年初预算及调整）。", if m.months == 0 { format!("{}年末", m.year - 1) } else { format!("{}月末", m.months) })),
            Line::new().text("指标完成情况取监控日期及以前最新的指标完成登记；偏差原因、纠偏措施、全年预计和完成目标可能性取单位填报的绩效监控记录（监控日期及以前最新一条），未填报而须说明的，标「缺少数据」。"),
            Line::new().text(format!("表式参照：{}。", m.sources.iter().map(|s| s.title.as_str()).collect::<Vec<_>>().join("；"))),
        ],
    );
    b.signature(m.unit_name.clone(), Line::new().text(m.as_of.chinese()));
    b.finish(title(m), m.figures.clone())
}

#[cfg(test)]
mod tests {
    use super::ordinal;

    #[test]
    fn second_level_headings_count_in_chinese() {
        assert_eq!([1, 9, 10, 12, 21].map(ordinal), ["（一）", "（九）", "（十）", "（十二）", "（二十一）"]);
    }
}
