//! Markdown and HTML writers of an [`Outline`] — the same blocks the DOCX writer and the PDF template lay
//! out, so every format says the same words and figures in the same order.
//!
//! API (stable; other report kinds render through it):
//! - [`markdown`]`(&Outline) -> String`: plain text for other tools. Nothing is escaped (a table cell's `|`
//!   becomes `｜` and a line break a space, so that the table holds); charts are left out; the trace table
//!   is not printed.
//! - [`html`]`(&Outline) -> String`: one self-contained page with one `<style>` block (the web serves it
//!   under a CSP that allows that block by hash). Every text is escaped. A span or cell that carries a
//!   figure id links to its row of the trace table 「附：数字来源」 (which links back to the figure's first
//!   use) and shows the figure's label, formula and sources on hover; an outline with an empty trace has no
//!   trace table.
//!
//! Build the outline with [`crate::outline::Blocks`]: `heading(level, …)` with the 公文 levels 1 (一、),
//! 2 (（一）), 3 (1.); `paragraph(Line)`, where `Line::figure(&Figure)` keeps the figure's id;
//! `table(headers, widths, rows)` with `OutlineCell::figure`; `finish(title, trace)`, where `trace` holds every
//! figure used, its `id` being its number in the trace table. Both writers print the title as the only
//! first-rank heading; 一、 is the second rank, （一） and 1. the third (the 1. headings carry their own
//! number), deeper levels below.
//!
//! ```
//! use jixiao_core::report_model::Figure;
//! use jixiao_documents::outline::{Blocks, OutlineCell, Line};
//! let total = Figure::new(1, "242.96", "财政拨款收入合计（万元）", "Σ 收入凭证.金额", vec![], None);
//! let mut b = Blocks::default();
//! b.heading(1, "一、收入情况");
//! b.paragraph(Line::new().text("收入合计").figure(&total).text("万元。"));
//! b.table(&["项目", "金额（万元）"], &[3, 2], vec![vec![OutlineCell::text("合计"), OutlineCell::figure(&total)]]);
//! let doc = b.finish("示例报告", vec![total]);
//! assert!(jixiao_documents::text::markdown(&doc).contains("收入合计242.96万元。"));
//! assert!(jixiao_documents::text::html(&doc).contains(r##"<a class="fig" id="use-1" href="#fig-1""##));
//! ```

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

/// The rank of a heading in Markdown and HTML: the title is 1, 一、 2, （一） and 1. 3, deeper levels below.
fn heading_rank(level: u8) -> usize {
    match level {
        0..=1 => 2,
        2 | 3 => 3,
        n => usize::from(n),
    }
}

/// Drops trailing spaces, runs of blank lines and the blank lines at the start (also what template control
/// flow leaves behind in the consolidated report).
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_start().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::{Blocks, Line, OutlineCell};
    use jixiao_core::finding::RecordRef;
    use jixiao_core::report_model::Figure;

    const PAYLOAD: &str = "X\"onmouseover='alert(3)'<script>alert(1)</script>|";

    fn hostile() -> crate::Outline {
        let figure = Figure::new(
            7,
            format!("1.00{PAYLOAD}"),
            format!("含义{PAYLOAD}"),
            format!("公式{PAYLOAD}"),
            vec![RecordRef::new("receipts", PAYLOAD)],
            None,
        );
        let untraced = Figure::new(8, "2.00", "未列入", "—", vec![], None);
        let mut b = Blocks::default();
        b.heading(1, format!("一、{PAYLOAD}"));
        b.paragraph(Line::new().text(PAYLOAD).figure(&figure).figure(&untraced).missing_data(PAYLOAD));
        b.list(true, vec![Line::new().text(PAYLOAD)]);
        b.table(&[PAYLOAD], &[1], vec![vec![OutlineCell::figure(&figure)], vec![OutlineCell::text(format!("a\nb{PAYLOAD}"))]]);
        b.signature(PAYLOAD, Line::new().missing_data("报告日期"));
        b.finish(PAYLOAD, vec![figure])
    }

    #[test]
    fn html_escapes_every_text_and_links_only_traced_figures() {
        let page = html(&hostile());
        assert!(!page.contains("<script") && !page.contains("\"onmouseover") && !page.contains("'onmouseover"), "{page}");
        // Title twice, heading, paragraph text, its figure (text and hover), the missing note, list, header,
        // cells, signature, and the trace row's number, label, formula and source.
        assert!(page.matches("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;").count() >= 15, "{page}");
        assert_eq!(page.matches("id=\"use-7\"").count(), 1, "one anchor for the first use");
        assert_eq!(page.matches("href=\"#fig-7\"").count(), 2, "both uses link to the trace row");
        assert!(page.contains("<tr id=\"fig-7\"><td><a href=\"#use-7\">7</a></td>"));
        assert!(!page.contains("fig-8"), "a figure without a trace row is plain text");
        assert!(page.contains("<span class=\"missing\">「缺少数据：报告日期」</span>"));
    }

    #[test]
    fn markdown_keeps_text_as_typed_and_tables_whole() {
        let md = markdown(&hostile());
        assert!(md.starts_with(&format!("# {PAYLOAD}\n\n## 一、{PAYLOAD}\n\n")), "{md}");
        assert!(md.contains(&format!("{PAYLOAD}1.00{PAYLOAD}2.00「缺少数据：{PAYLOAD}」")));
        assert!(md.contains("| a bX\"onmouseover='alert(3)'<script>alert(1)</script>｜ |"), "{md}");
        assert!(!md.contains("附：数字来源"));
    }
}
