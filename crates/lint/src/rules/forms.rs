//! The checks a reviewer makes first on a 自评表 (财预〔2020〕10号 layout: a 资金 block of 年初预算数 |
//! 全年(调整后)预算数 | 全年执行数 | 执行率 | 分值 | 得分, with 其中 rows, then a grid of indicators):
//!
//! - `total-row-mismatch`: the 合计/年度资金总额 row below one of its own 其中 rows;
//! - `adjustment-without-reason`: 年初 ≠ 调整后 with the 原因 cell empty (the form's note asks for it);
//! - `rate-mismatch`: the stated 执行率 not 执行数 ÷ 全年预算数;
//! - `execution-score-short` / `score-truncated`: the score below 分值 × 执行率 by a point or more, or
//!   cut instead of rounded;
//! - `full-marks-withheld`: 100% executed, or an indicator met exactly, yet less than full marks;
//! - `score-above-maximum`: a score above its 分值;
//! - `non-numeric-completion`: 「完成」 written against a numeric target (≤ 30 万元);
//! - `receipts-above-budget`: 全年执行数 above 全年预算数 with the 原因 cell empty.
//!
//! Cells are read as published: split by 「|」 or tabs, one per line, or (forms flattened to one line
//! by a document site) by blanks.

use super::Context;
use crate::cjk;
use crate::finding::{DocumentFinding, Severity, rule};

#[derive(Debug, Clone, Copy)]
struct Cell<'a> {
    text: &'a str,
    range: (usize, usize),
}

/// The cells of the text, in reading order, keeping empty ones (they hold places in a row).
fn cells(text: &str) -> Vec<Cell<'_>> {
    let tabular = text.contains('|') || text.contains('\t');
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut pieces: Vec<(usize, &str)> = Vec::new();
        if tabular {
            let mut at = 0;
            for piece in line.split(['|', '\t']) {
                pieces.push((at, piece));
                at += piece.len() + 1;
            }
            // 「100 |」: the empty piece after the row's last bar is not a cell.
            if line.trim_end().ends_with('|') {
                pieces.pop();
            }
        } else {
            let mut at = 0;
            for piece in line.split(' ') {
                if !piece.is_empty() {
                    pieces.push((at, piece));
                }
                at += piece.len() + 1;
            }
        }
        for (at, piece) in pieces {
            let lead = piece.len() - piece.trim_start().len();
            let t = piece.trim();
            let start = line_start + at + lead;
            out.push(Cell { text: t, range: (start, start + t.len()) });
        }
        line_start += line.len() + 1;
    }
    out
}

/// A cell that is a number (「89.974」「1,234.56」「100.00%」), as an exact value scaled to 4 decimals,
/// with its printed decimals and whether it had a %.
fn number(cell: &str) -> Option<(i64, u32, bool)> {
    let (body, percent) = match cell.strip_suffix(['%', '％']) {
        Some(b) => (b.trim(), true),
        None => (cell, false),
    };
    if body.is_empty() {
        return None;
    }
    let mut digits = String::new();
    let mut decimals: Option<u32> = None;
    for c in body.chars() {
        match c {
            ',' if decimals.is_none() => {}
            '.' | '．' if decimals.is_none() => decimals = Some(0),
            c if cjk::is_digit(c) => {
                digits.push(char::from_digit(cjk::digit_value(c)?, 10)?);
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            _ => return None,
        }
    }
    let places = decimals.unwrap_or(0);
    if digits.is_empty() || places > 4 || digits.len() > 15 {
        return None;
    }
    let value: i64 = digits.parse().ok()?;
    Some((value * 10_i64.pow(4 - places), places, percent))
}

fn show(value: i64) -> String {
    let whole = value / 10_000;
    let mut frac = format!("{:04}", value % 10_000);
    while frac.ends_with('0') {
        frac.pop();
    }
    if frac.is_empty() { whole.to_string() } else { format!("{whole}.{frac}") }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Initial,
    Annual,
    Executed,
    Rate,
    Weight,
    Score,
}

fn column_of(cell: &str) -> Option<Column> {
    let c: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if c.starts_with("年初预算") {
        Some(Column::Initial)
    } else if c.contains("预算数") && (c.contains("全年") || c.contains("调整")) {
        Some(Column::Annual)
    } else if c.contains("执行数") {
        Some(Column::Executed)
    } else if c.contains("执行率") && c.chars().count() <= 8 {
        Some(Column::Rate)
    } else if c == "分值" || c == "权重" || c == "执行率权重" {
        Some(Column::Weight)
    } else if c == "得分" || c.starts_with("得分(") || c == "执行率得分" {
        Some(Column::Score)
    } else {
        None
    }
}

/// One row of the 资金 block: its label cell and values by column.
struct Row<'a> {
    label: Cell<'a>,
    values: Vec<(Column, i64, u32, Cell<'a>)>,
    /// Index of the first cell after the values.
    end: usize,
}

impl Row<'_> {
    fn get(&self, column: Column) -> Option<(i64, u32, Cell<'_>)> {
        self.values.iter().find(|(c, ..)| *c == column).map(|(_, v, d, cell)| (*v, *d, *cell))
    }
}

fn is_total_label(t: &str) -> bool {
    let t = t.trim_end_matches([':', '：']);
    ["年度资金总额", "资金总额", "总额", "合计"].contains(&t)
}

fn is_part_label(t: &str) -> bool {
    t.starts_with("其中")
        || ["财政资金", "本年财政拨款", "当年财政拨款", "上年结转资金", "上年结转", "其他资金", "财政专户管理资金", "单位资金"].contains(&t)
}

fn read_row<'a>(cells: &[Cell<'a>], at: usize, columns: &[Column]) -> Row<'a> {
    let mut values = Vec::new();
    let mut k = at + 1;
    while k < cells.len() && values.len() < columns.len() {
        let t = cells[k].text;
        if t.is_empty() {
            k += 1;
            continue;
        }
        if t == "/" {
            // A struck-out cell holds its column's place.
            values.push(None);
            k += 1;
            continue;
        }
        match number(t) {
            Some((v, d, _)) => values.push(Some((v, d, cells[k]))),
            None => break,
        }
        k += 1;
    }
    Row {
        label: cells[at],
        values: values.into_iter().zip(columns).filter_map(|(v, c)| v.map(|(v, d, cell)| (*c, v, d, cell))).collect(),
        end: k,
    }
}

/// A form's first 资金 total row: 全年预算数 and 全年执行数 in 分, the unit its header gives, and where
/// the row's label stands.
pub struct FundsTotal {
    pub annual: Option<i64>,
    pub executed: Option<i64>,
    pub unit: crate::amounts::Unit,
    pub range: (usize, usize),
}

pub fn funds_total(text: &str) -> Option<FundsTotal> {
    use crate::amounts::Unit;
    let unit = if text.contains("单位：元") || text.contains("单位:元") || text.contains("(元)") || text.contains("（元）") {
        Unit::Yuan
    } else {
        Unit::WanYuan
    };
    let cells = cells(text);
    let header = cells.iter().position(|c| column_of(c.text) == Some(Column::Initial))?;
    let mut columns = vec![Column::Initial];
    for c in &cells[header + 1..(header + 12).min(cells.len())] {
        match column_of(c.text) {
            Some(col) if !columns.contains(&col) => columns.push(col),
            _ => {}
        }
    }
    let at = cells[header..].iter().position(|c| is_total_label(c.text))? + header;
    let row = read_row(&cells, at, &columns);
    // ×10⁴ of the unit → 分: 万元 ×10⁴ is 元, so ×100; 元 ×10⁴ is 0.0001 元, so ÷100.
    let fen = |v: i64| match unit {
        Unit::Yuan => v / 100,
        _ => v * 100,
    };
    Some(FundsTotal {
        annual: row.get(Column::Annual).map(|(v, ..)| fen(v)),
        executed: row.get(Column::Executed).map(|(v, ..)| fen(v)),
        unit,
        range: row.label.range,
    })
}

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    if !ctx.kind.is_form() {
        return Vec::new();
    }
    let text = ctx.doc.text.as_str();
    let cells = cells(text);
    let mut findings = Vec::new();
    funds_block(ctx, &cells, &mut findings);
    indicators(ctx, &cells, &mut findings);
    findings
}

fn funds_block(ctx: &Context, cells: &[Cell], findings: &mut Vec<DocumentFinding>) {
    // Every 资金 block (a page may hold several forms): its header, then its rows.
    let mut i = 0;
    while i < cells.len() {
        if column_of(cells[i].text) != Some(Column::Initial) {
            i += 1;
            continue;
        }
        let mut columns = vec![Column::Initial];
        let mut k = i + 1;
        while k < cells.len() && k < i + 12 {
            match column_of(cells[k].text) {
                Some(c) if !columns.contains(&c) => columns.push(c),
                Some(_) => {}
                None if cells[k].text.is_empty() || cells[k].text == "原因" => {}
                None => break,
            }
            k += 1;
        }
        let mut total: Option<Row> = None;
        let mut parts: Vec<Row> = Vec::new();
        while k < cells.len() {
            let t = cells[k].text;
            if is_total_label(t) && total.is_none() {
                let row = read_row(cells, k, &columns);
                k = row.end;
                total = Some(row);
            } else if is_part_label(t) && total.is_some() {
                let row = read_row(cells, k, &columns);
                k = row.end;
                parts.push(row);
            } else if column_of(t) == Some(Column::Initial) || t.contains("绩效指标") || t.contains("年度总体目标") {
                break;
            } else {
                k += 1;
            }
        }
        if let Some(total) = &total {
            check_funds(ctx, cells, total, &parts, findings);
        }
        i = k.max(i + 1);
    }
}

fn check_funds(ctx: &Context, cells: &[Cell], total: &Row, parts: &[Row], findings: &mut Vec<DocumentFinding>) {
    let doc = ctx.doc;
    let name = |c: Column| match c {
        Column::Initial => "年初预算数",
        Column::Annual => "全年预算数",
        Column::Executed => "全年执行数",
        _ => "",
    };
    // The total row below one of its own parts.
    for column in [Column::Initial, Column::Annual, Column::Executed] {
        let Some((t, _, t_cell)) = total.get(column) else {
            continue;
        };
        if let Some((part, p, _)) = parts.iter().filter_map(|r| r.get(column).map(|(v, _, c)| (r, v, c))).find(|(_, v, _)| *v > t + 50) {
            findings.push(doc.finding(
                rule::TOTAL_ROW_MISMATCH,
                Severity::Error,
                (total.label.range.0, t_cell.range.1),
                format!(
                    "合计行「{}」{} 为 {}，小于其中「{}」的 {}：合计不能小于其中一项",
                    total.label.text.trim_end_matches([':', '：']),
                    name(column),
                    show(t),
                    part.label.text,
                    show(p)
                ),
            ));
            break;
        }
    }
    // What the 原因 cell of the total row says, without the form's own note.
    let next_row = parts.first().map_or(cells.len(), |p| cells.iter().position(|c| c.range == p.label.range).unwrap_or(cells.len()));
    let reason: String = cells[total.end.min(next_row)..next_row]
        .iter()
        .map(|c| c.text)
        .filter(|t| !t.is_empty() && t.chars().any(cjk::is_han) && !(t.starts_with("1.") && t.contains("预算执行率=")))
        .collect();
    // 执行数 above 全年预算数: money spent that the approved budget does not cover.
    if let (Some((annual, _, a_cell)), Some((executed, _, e_cell))) = (total.get(Column::Annual), total.get(Column::Executed))
        && executed > annual + 50
        && reason.is_empty()
    {
        findings.push(doc.finding(
            rule::RECEIPTS_ABOVE_BUDGET,
            Severity::Warning,
            (a_cell.range.0, e_cell.range.1),
            format!(
                "全年执行数 {} 超过全年预算数 {}，多 {}，原因栏未说明超出预算的资金来源",
                show(executed),
                show(annual),
                show(executed - annual)
            ),
        ));
    }
    // 年初 ≠ 调整后 with nothing in the 原因 cell but the form's own note.
    if let (Some((initial, _, i_cell)), Some((annual, _, a_cell))) = (total.get(Column::Initial), total.get(Column::Annual))
        && (initial - annual).abs() > 50
        && reason.is_empty()
    {
        let (word, diff) = if annual > initial { ("追加", annual - initial) } else { ("调减", initial - annual) };
        findings.push(doc.finding(
            rule::ADJUSTMENT_WITHOUT_REASON,
            Severity::Warning,
            (i_cell.range.0, a_cell.range.1),
            format!(
                "年初预算 {} 调整为 {}（{word} {}），未说明调整理由；自评表要求年中预算调整（追加或调减）单独说明理由（财预〔2020〕10号 自评表填表说明）",
                show(initial),
                show(annual),
                show(diff)
            ),
        ));
    }
    // 执行率 = 执行数 ÷ 全年预算数. A spreadsheet keeps 99.97% as the fraction 0.9997.
    let rate = total.get(Column::Rate).map(|(v, d, cell)| {
        let fraction = !cell.text.ends_with(['%', '％']) && v <= 10_000 && d >= 2;
        let looks_like_percent = total
            .get(Column::Annual)
            .zip(total.get(Column::Executed))
            .is_some_and(|((a, ..), (e, ..))| a > 0 && i128::from(e) * 100 > i128::from(a) * 2);
        if fraction && looks_like_percent { (v * 100, d.saturating_sub(2), cell) } else { (v, d, cell) }
    });
    if let (Some((annual, a_dec, _)), Some((executed, e_dec, _)), Some((stated, r_dec, r_cell))) =
        (total.get(Column::Annual), total.get(Column::Executed), rate)
        && annual > 0
    {
        // Every figure may be off by half its last printed digit.
        let half = |d: u32| 5 * 10_i128.pow(3 - d.min(3));
        let (a, e) = (i128::from(annual), i128::from(executed));
        let (a_err, e_err) = (half(a_dec), half(e_dec));
        let stated = i128::from(stated); // percent × 10⁴
        let r_err = half(r_dec);
        // stated/10⁴ % ≈ 100 e / a  ⇔  stated · a ≈ 10⁶ e
        let low = 1_000_000 * (e - e_err).max(0) <= (stated + r_err) * (a + a_err);
        let high = 1_000_000 * (e + e_err) >= (stated - r_err) * (a - a_err).max(1);
        if !(low && high) {
            findings.push(doc.finding(
                rule::RATE_MISMATCH,
                Severity::Error,
                r_cell.range,
                format!(
                    "执行率算不上：全年执行数 {} ÷ 全年预算数 {} = {}，表中写 {}%",
                    show(executed),
                    show(annual),
                    jixiao_core::BasisPoints::ratio(executed, annual).map_or_else(|| "—".into(), |b| b.percent_string()),
                    show(stated as i64)
                ),
            ));
        }
    }
    // 得分 = 分值 × min(执行率, 100%), rounded to the score's decimals.
    if let (Some((weight, _, _)), Some((rate, _, _)), Some((score, s_dec, s_cell))) =
        (total.get(Column::Weight), rate, total.get(Column::Score))
    {
        let rate = rate.min(100 * 10_000);
        // weight and rate (in %) are both ×10⁴; the score weight × rate ÷ 100, ×10⁴.
        let exact_1e4 = i128::from(weight) * i128::from(rate) / 1_000_000;
        let unit = 10_i128.pow(4 - s_dec.min(4));
        let rounded = (exact_1e4 + unit / 2) / unit * unit;
        let truncated = exact_1e4 / unit * unit;
        let s = i128::from(score);
        if s + 10_000 <= exact_1e4 {
            findings.push(doc.finding(
                rule::EXECUTION_SCORE_SHORT,
                Severity::Error,
                s_cell.range,
                format!(
                    "预算执行得分 {} 低于 分值 {} × 执行率 {}% = {}，差 1 分以上（财预〔2020〕10号：执行率得分 = 分值 × 执行率）",
                    show(score),
                    show(weight),
                    show(rate),
                    show(exact_1e4 as i64)
                ),
            ));
        } else if s == truncated && s != rounded {
            findings.push(doc.finding(
                rule::SCORE_TRUNCATED,
                Severity::Warning,
                s_cell.range,
                format!(
                    "得分 {} 是截尾：分值 {} × 执行率 {}% = {}，四舍五入应为 {}",
                    show(score),
                    show(weight),
                    show(rate),
                    show(exact_1e4 as i64),
                    show(rounded as i64)
                ),
            ));
        } else if rate >= 100 * 10_000 && s < i128::from(weight) {
            findings.push(doc.finding(
                rule::FULL_MARKS_WITHHELD,
                Severity::Warning,
                s_cell.range,
                format!("执行率 100%，预算执行得分 {} 却低于分值 {}", show(score), show(weight)),
            ));
        }
        if s > i128::from(weight) {
            findings.push(doc.finding(
                rule::SCORE_ABOVE_MAXIMUM,
                Severity::Error,
                s_cell.range,
                format!("得分 {} 超过分值 {}", show(score), show(weight)),
            ));
        }
    }
}

/// An indicator's target: 「≥50个」 in one cell, or 「≤ | 30 | 万元」 over three.
fn indicators(ctx: &Context, cells: &[Cell], findings: &mut Vec<DocumentFinding>) {
    let doc = ctx.doc;
    let ops = ['≥', '≤', '=', '＝', '>', '<', '＞', '＜'];
    for (i, cell) in cells.iter().enumerate() {
        let t = cell.text;
        let Some(op) = t.chars().next().filter(|c| ops.contains(c)) else {
            continue;
        };
        let rest = t[op.len_utf8()..].trim();
        // Target value and where the completion cell is.
        let (target, completion_at) = if rest.is_empty() {
            // Sichuan: op | value | unit | completion | weight | score
            let Some((v, _, _)) = cells.get(i + 1).and_then(|c| number(c.text)) else {
                continue;
            };
            (v, i + 3)
        } else {
            let digits: String = rest.chars().take_while(|c| cjk::is_digit(*c) || *c == '.').collect();
            let Some((v, _, _)) = number(&digits) else {
                continue;
            };
            (v, i + 1)
        };
        let Some(completion) = cells.get(completion_at) else {
            continue;
        };
        let c = completion.text;
        if c.is_empty() || c == "/" {
            continue;
        }
        if !c.chars().any(cjk::is_digit) {
            if c.chars().count() <= 6 {
                findings.push(doc.finding(
                    rule::NON_NUMERIC_COMPLETION,
                    Severity::Warning,
                    (cell.range.0, completion.range.1),
                    format!("指标值为数值（{op}{}），完成值却写「{c}」：定量指标应填实际完成的数值", show(target)),
                ));
            }
            continue;
        }
        // Met exactly (or better), yet below full marks.
        let digits: String = c.chars().take_while(|c| cjk::is_digit(*c) || *c == '.').collect();
        let (Some((done, _, _)), Some((weight, _, _)), Some((score, _, score_cell))) = (
            number(&digits),
            cells.get(completion_at + 1).and_then(|c| number(c.text)),
            cells.get(completion_at + 2).and_then(|c| number(c.text).map(|(v, d, _)| (v, d, c))),
        ) else {
            continue;
        };
        let met = match op {
            '≥' | '>' | '＞' => done >= target,
            '≤' | '<' | '＜' => done <= target,
            _ => done == target,
        };
        if score > weight {
            findings.push(doc.finding(
                rule::SCORE_ABOVE_MAXIMUM,
                Severity::Error,
                score_cell.range,
                format!("指标得分 {} 超过其分值 {}", show(score), show(weight)),
            ));
        } else if met && score < weight && ['=', '＝'].contains(&op) {
            findings.push(doc.finding(
                rule::FULL_MARKS_WITHHELD,
                Severity::Warning,
                (cell.range.0, score_cell.range.1),
                format!(
                    "指标值 {op}{}，完成值 {}，恰好完成，得分 {} 却低于分值 {}；如有扣分应在偏差原因中说明",
                    show(target),
                    show(done),
                    show(score),
                    show(weight)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    fn rules(text: &str) -> Vec<(&'static str, String)> {
        crate::lint_text("t.txt", text).findings.iter().filter(|f| f.rule != "template-text").map(|f| (f.rule, f.message.clone())).collect()
    }

    #[test]
    fn a_total_row_below_its_part() {
        // 池州市贵池区棠溪镇 2022 项目支出绩效自评表.
        let f = rules(
            "附件: 项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款 90 89.974 89.974 上年结转资金 其他资金 年度总体目标",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "total-row-mismatch");
        assert!(f[0].1.contains("90"), "{}", f[0].1);
    }

    #[test]
    fn an_adjustment_needs_its_reason() {
        // 大英县司法局 2023: 0.00 → 3.36 with only the form's note in the 原因 cell.
        let text = "部门预算项目支出绩效自评表(2023年度) |\n预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 | ||\n总额 | 0.00 | 3.36 | 3.36 | 100.00% | 10 | 10 | 1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),应单独说明理由 | |||\n其中:财政资金 | 0.00 | 3.36 | 3.36 | 100.00% | / | / | ||||\n产出指标 | 经济成本指标 | 成本控制数 | ≤ | 30 | 万元 | 完成 | 90 | 90 | ||";
        let f = rules(text);
        let ids: Vec<&str> = f.iter().map(|f| f.0).collect();
        assert_eq!(ids, vec!["adjustment-without-reason", "non-numeric-completion"], "{f:?}");
        // With a reason written, no finding.
        let reasoned = text.replace("| 1.预算执行率", "| 年中追加安可替代补助 | 1.预算执行率");
        assert!(!rules(&reasoned).iter().any(|f| f.0 == "adjustment-without-reason"));
    }

    #[test]
    fn execution_scores() {
        let form = |rate: &str, score: &str| {
            format!(
                "项目支出绩效自评表\n年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n年度资金总额\t100\t100\t{rate}\t10\t{rate}%\t{score}\n"
            )
        };
        assert!(rules(&form("96.85", "9.69")).is_empty());
        assert_eq!(rules(&form("96.85", "9.68"))[0].0, "score-truncated");
        assert_eq!(rules(&form("96.85", "8.5"))[0].0, "execution-score-short");
        assert_eq!(rules(&form("100", "9.5"))[0].0, "full-marks-withheld");
        assert_eq!(rules(&form("96.85", "12"))[0].0, "score-above-maximum");
    }
}
