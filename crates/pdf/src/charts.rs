//! The two charts of the PDF, written as SVG by hand (typst draws them as vector graphics with real text):
//! budget against spending by 支出功能分类 类, and each departmental indicator's score against its weight.
//! Bar lengths are computed in integers from 分 and hundredths of points, so the same data give the same bytes.

use jixiao_core::Fen;
use jixiao_core::evaluation::Evaluation;
use jixiao_core::final_accounts::ClassBudget;
use std::fmt::Write;

/// In px; the PDF scales the chart to the text width (156 mm), so 13 px labels print at about 9.5 pt.
const WIDTH: i64 = 600;
const BUDGET_COLOR: &str = "#9dc3e6";
const SPENT_COLOR: &str = "#2f5597";
const WEIGHT_COLOR: &str = "#d9d9d9";
const SCORE_COLOR: &str = "#2f5597";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Rough width of a label in px: CJK characters take a full em, others about half.
fn label_width(text: &str, font_size: i64) -> i64 {
    text.chars().map(|c| if c.is_ascii() { font_size / 2 + 1 } else { font_size }).sum()
}

/// `value` of `max` as a length of `full` px; at least 1 px for a non-zero value.
fn scaled(value: i64, max: i64, full: i64) -> i64 {
    if max <= 0 || value <= 0 {
        return 0;
    }
    (i128::from(value) * i128::from(full) / i128::from(max)).max(1) as i64
}

struct Svg {
    out: String,
    font: String,
}

impl Svg {
    fn new(height: i64, font: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(out, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">"#);
        let _ = write!(out, r#"<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="white"/>"#);
        Svg { out, font: escape(font) }
    }

    fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, fill: &str) {
        let _ = write!(self.out, r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>"#);
    }

    fn line(&mut self, x1: i64, y1: i64, x2: i64, y2: i64) {
        let _ = write!(self.out, r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#595959" stroke-width="1"/>"##);
    }

    /// Text with its baseline at `y`; `anchor` is start, middle or end.
    fn text(&mut self, x: i64, y: i64, size: i64, anchor: &str, text: &str) {
        let _ = write!(
            self.out,
            r##"<text x="{x}" y="{y}" font-family="{}" font-size="{size}" text-anchor="{anchor}" fill="#262626">{}</text>"##,
            self.font,
            escape(text)
        );
    }

    fn legend(&mut self, x: i64, items: &[(&str, &str)]) {
        let mut x = x;
        for (color, label) in items {
            self.rect(x, 8, 14, 14, color);
            self.text(x + 20, 20, 13, "start", label);
            x += 20 + label_width(label, 13) + 28;
        }
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// 全年预算数 and 本年支出 of each function class, as paired horizontal bars labelled in 万元.
pub fn budget_by_function_class(classes: &[ClassBudget], font: &str) -> String {
    const ROW: i64 = 46;
    const TOP: i64 = 36;
    let labels: Vec<String> = classes.iter().map(|c| format!("{}（{}）", c.name, c.code)).collect();
    let label_col = labels.iter().map(|l| label_width(l, 13)).max().unwrap_or(0) + 14;
    let bar_room = WIDTH - label_col - 80;
    let max = classes.iter().map(|c| c.budget.0.max(c.spent.0)).max().unwrap_or(0);
    let height = TOP + ROW * classes.len() as i64 + 12;
    let mut svg = Svg::new(height, font);
    svg.legend(label_col, &[(BUDGET_COLOR, "全年预算数（万元）"), (SPENT_COLOR, "本年支出（万元）")]);
    for (i, (class, label)) in classes.iter().zip(&labels).enumerate() {
        let y = TOP + ROW * i as i64;
        svg.text(label_col - 8, y + 24, 13, "end", label);
        for (k, (amount, color)) in [(class.budget, BUDGET_COLOR), (class.spent, SPENT_COLOR)].into_iter().enumerate() {
            let bar_y = y + 4 + 18 * k as i64;
            let length = scaled(amount.0, max, bar_room);
            svg.rect(label_col, bar_y, length, 15, color);
            svg.text(label_col + length + 6, bar_y + 12, 12, "start", &Fen::wan_yuan_string(amount));
        }
    }
    svg.line(label_col, TOP - 4, label_col, height - 8);
    svg.finish()
}

/// Indicator names, with the 二级指标 added where two share a name (管理制度健全性 under 预算管理 and 资产管理).
fn indicator_labels(evaluation: &Evaluation) -> Vec<String> {
    let names = &evaluation.indicators;
    names
        .iter()
        .map(|i| {
            if names.iter().filter(|o| o.level3 == i.level3).count() > 1 {
                format!("{}（{}）", i.level3, i.level2)
            } else {
                i.level3.clone()
            }
        })
        .collect()
}

/// Each departmental indicator: its weight as a grey bar, its score drawn over it.
pub fn indicator_scores(evaluation: &Evaluation, font: &str) -> String {
    const ROW: i64 = 22;
    const TOP: i64 = 34;
    let labels = indicator_labels(evaluation);
    let label_col = labels.iter().map(|l| label_width(l, 12)).max().unwrap_or(0) + 14;
    let bar_room = WIDTH - label_col - 110;
    let max = evaluation.indicators.iter().map(|i| i.weight.0).max().unwrap_or(0);
    let height = TOP + ROW * evaluation.indicators.len() as i64 + 10;
    let mut svg = Svg::new(height, font);
    svg.legend(label_col, &[(WEIGHT_COLOR, "分值"), (SCORE_COLOR, "得分")]);
    for (k, (i, label)) in evaluation.indicators.iter().zip(&labels).enumerate() {
        let y = TOP + ROW * k as i64;
        svg.text(label_col - 8, y + 14, 12, "end", label);
        svg.rect(label_col, y + 3, scaled(i.weight.0, max, bar_room), 14, WEIGHT_COLOR);
        let note = if i.excluded {
            format!("不参与 / {}", i.weight)
        } else {
            svg.rect(label_col, y + 3, scaled(i.score.0, max, bar_room), 14, SCORE_COLOR);
            format!("{} / {}", i.score, i.weight)
        };
        svg.text(label_col + scaled(i.weight.0, max, bar_room) + 6, y + 14, 11, "start", &note);
    }
    svg.line(label_col, TOP - 4, label_col, height - 6);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_in_integers_and_labels_are_escaped() {
        assert_eq!(scaled(50, 100, 400), 200);
        assert_eq!(scaled(1, 1_000_000, 400), 1, "a non-zero amount stays visible");
        assert_eq!(scaled(0, 100, 400), 0);
        let classes =
            [ClassBudget { code: "206".into(), name: "科学技术支出<&>".into(), budget: Fen(154_930_000), spent: Fen(125_880_000) }];
        let svg = budget_by_function_class(&classes, "Noto Sans CJK SC");
        assert!(svg.contains("科学技术支出&lt;&amp;&gt;（206）"));
        assert!(svg.contains(">154.93<") && svg.contains(">125.88<"));
        assert_eq!(svg, budget_by_function_class(&classes, "Noto Sans CJK SC"));
    }
}
