//! The HTML writer: every text escaped, every traced figure linked to its row of 「附：数字来源」.

use super::heading_rank;
use crate::outline::{Block, Line, Outline, OutlineCell, Span};
use jixiao_core::report_model::Figure;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const STYLE: &str = r#"body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; max-width: 52em; margin: 2em auto; line-height: 1.9; color: #222; padding: 0 1em; }
h1 { text-align: center; font-family: "Noto Sans CJK SC", "SimHei", sans-serif; font-size: 1.6em; }
h2, h3 { font-family: "Noto Sans CJK SC", "SimHei", sans-serif; }
p { text-indent: 2em; margin: 0.4em 0; }
a.fig { color: #0b4f9c; text-decoration: none; border-bottom: 1px dotted #0b4f9c; }
a.fig.missing, .missing { color: #b00020; font-weight: bold; }
table { border-collapse: collapse; margin: 0.8em 0; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; text-indent: 0; }
th { background: #eef2f8; }
td.num { text-align: right; white-space: nowrap; }
.signature { text-align: right; margin-top: 2em; }
.trace td { font-size: 0.85em; vertical-align: top; }
.trace tr:target { background: #fff6cc; }
"#;

/// Escapes text for an element or a quoted attribute: minijinja's HTML escaping, the one the web pages'
/// templates and `jixiao lint` use (`/` included, so that no `</script>` survives even in an attribute).
pub(crate) fn escape(text: &str) -> String {
    minijinja::HtmlEscape(text).to_string()
}

/// The outline as one HTML page.
pub fn html(doc: &Outline) -> String {
    let mut w = Writer { trace: doc.trace.iter().map(|f| (f.id, f)).collect(), used: BTreeSet::new(), out: String::new() };
    let title = escape(&doc.title);
    let _ = write!(
        w.out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    for block in &doc.blocks {
        w.block(block);
    }
    w.trace_table(&doc.trace);
    w.out.push_str("</body>\n</html>\n");
    w.out
}

struct Writer<'a> {
    trace: BTreeMap<usize, &'a Figure>,
    /// Figures already linked: the first use gets the anchor the trace table links back to.
    used: BTreeSet<usize>,
    out: String,
}

impl Writer<'_> {
    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, text, .. } => {
                let rank = heading_rank(*level);
                let _ = writeln!(self.out, "<h{rank}>{}</h{rank}>", escape(text));
            }
            Block::Paragraph { line } => {
                let text = self.line(line);
                let _ = writeln!(self.out, "<p>{text}</p>");
            }
            Block::List { numbered, items } => {
                let tag = if *numbered { "ol" } else { "ul" };
                let items: String = items.iter().map(|i| format!("<li>{}</li>", self.line(i))).collect();
                let _ = writeln!(self.out, "<{tag}>{items}</{tag}>");
            }
            Block::Table { headers, rows, .. } => {
                self.out.push_str("<table>\n<tr>");
                for h in headers {
                    let _ = write!(self.out, "<th>{}</th>", escape(h));
                }
                self.out.push_str("</tr>\n");
                for row in rows {
                    self.out.push_str("<tr>");
                    for c in row {
                        let cell = self.cell(c);
                        self.out.push_str(&cell);
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</table>\n");
            }
            Block::Chart { .. } => {}
            Block::Signature { unit, date } => {
                let date = self.line(date);
                let _ = writeln!(self.out, "<p class=\"signature\">{}<br>{date}</p>", escape(unit));
            }
        }
    }

    fn line(&mut self, line: &Line) -> String {
        line.0.iter().map(|s| self.span(s)).collect()
    }

    fn span(&mut self, span: &Span) -> String {
        match span.figure {
            Some(id) if self.trace.contains_key(&id) => self.figure_link(id, &span.text, span.missing),
            _ if span.missing => format!("<span class=\"missing\">{}</span>", escape(&span.text)),
            _ => escape(&span.text),
        }
    }

    fn cell(&mut self, cell: &OutlineCell) -> String {
        let class = if cell.numeric { " class=\"num\"" } else { "" };
        let text = match cell.figure {
            Some(id) if self.trace.contains_key(&id) => self.figure_link(id, &cell.text, cell.missing),
            _ if cell.missing => format!("<span class=\"missing\">{}</span>", escape(&cell.text)),
            _ => escape(&cell.text),
        };
        format!("<td{class}>{text}</td>")
    }

    /// `text` linked to the figure's trace row, its provenance on hover.
    fn figure_link(&mut self, id: usize, text: &str, missing: bool) -> String {
        let f = self.trace[&id];
        let anchor = if self.used.insert(id) { format!(" id=\"use-{id}\"") } else { String::new() };
        let mut hover = format!("{}：{}", f.label, f.formula);
        if f.source_count > 0 {
            hover.push_str(&format!("；来源：{}", sources(f)));
        }
        let class = if missing || f.missing { "fig missing" } else { "fig" };
        format!("<a class=\"{class}\"{anchor} href=\"#fig-{id}\" title=\"{}\">{}</a>", escape(&hover), escape(text))
    }

    fn trace_table(&mut self, trace: &[Figure]) {
        if trace.is_empty() {
            return;
        }
        self.out.push_str("<h2>附：数字来源</h2>\n<p>报告中的每个数字都由数据库中的记录计算得出。点击正文中的数字可跳到此处；记录以「类别:编号」标识。</p>\n<table class=\"trace\">\n<tr><th>序号</th><th>数字</th><th>含义</th><th>计算方法</th><th>来源记录</th></tr>\n");
        for f in trace {
            let id = f.id;
            let number = if self.used.contains(&id) { format!("<a href=\"#use-{id}\">{id}</a>") } else { id.to_string() };
            let from = if f.source_count > 0 { escape(&sources(f)) } else { "—".to_string() };
            let _ = writeln!(
                self.out,
                "<tr id=\"fig-{id}\"><td>{number}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{from}</td></tr>",
                escape(&f.text),
                escape(&f.label),
                escape(&f.formula)
            );
        }
        self.out.push_str("</table>\n");
    }
}

/// The records a figure was computed from, as 「类别:编号」, with the full count when only some are listed.
fn sources(f: &Figure) -> String {
    let mut text = f.sources.iter().map(|r| format!("{}:{}", r.kind, r.key)).collect::<Vec<_>>().join("、");
    if f.source_count > f.sources.len() {
        text.push_str(&format!(" 等{}条", f.source_count));
    }
    text
}
