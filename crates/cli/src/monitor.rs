//! `jixiao report --kind monitor --as-of DATE`: the 预算绩效运行监控表 of one unit-year as of a date, in every
//! report format (the model is core `monitoring`, the blocks documents `outline::monitor`).

use crate::ReportFormat;
use anyhow::Result;
use jixiao_core::Date;
use jixiao_core::records::Books;
use jixiao_documents::outline::{Block, Line, Outline};

/// What `report` writes: text (md, html) or bytes (docx, pdf, xlsx).
pub enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

/// Reads `--as-of`: `2020-06-30`, `2020/6/30` or `2020年6月30日`.
pub fn parse_as_of(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("监控日期「{text}」不是有效日期（应为 YYYY-MM-DD）"))
}

pub fn render(books: &Books, as_of: Date, format: ReportFormat) -> Result<Rendered> {
    let model = jixiao_core::monitoring::build(books, as_of);
    let outline = jixiao_documents::monitor_outline(&model);
    Ok(match format {
        ReportFormat::Md => Rendered::Text(markdown(&outline)),
        ReportFormat::Html => Rendered::Text(html(&outline)),
        ReportFormat::Docx => Rendered::Bytes(jixiao_documents::docx_in(
            &outline,
            jixiao_documents::Orientation::Landscape,
        )?),
        ReportFormat::Pdf => Rendered::Bytes(jixiao_pdf::render_outline(
            &outline,
            &model.unit_name,
            &model.unit_code,
            as_of,
            jixiao_documents::Orientation::Landscape,
            &jixiao_pdf::FontSet::from_env()?,
        )?),
        ReportFormat::Xlsx => Rendered::Bytes(jixiao_documents::monitor_workbook(&model)?),
    })
}

/// Markdown of the blocks: a stop-gap until the shared block writers (branch wt-outline) are merged.
fn markdown(outline: &Outline) -> String {
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    let line = |l: &Line| {
        l.0.iter()
            .map(|s| {
                if s.missing {
                    format!("**{}**", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect::<String>()
    };
    let mut out = format!("# {}\n", outline.title);
    for b in &outline.blocks {
        out.push('\n');
        match b {
            Block::Heading { level, text, .. } => {
                out.push_str(&format!("{} {text}\n", "#".repeat(usize::from(*level) + 1)))
            }
            Block::Paragraph { line: l } => out.push_str(&format!("{}\n", line(l))),
            Block::List { numbered, items } => {
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&if *numbered {
                        format!("{}. {}\n", i + 1, line(item))
                    } else {
                        format!("- {}\n", line(item))
                    });
                }
            }
            Block::Table { headers, rows, .. } => {
                out.push_str(&format!(
                    "| {} |\n",
                    headers
                        .iter()
                        .map(|h| cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                out.push_str(&format!(
                    "|{}\n",
                    headers.iter().map(|_| "---|").collect::<String>()
                ));
                for r in rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        r.iter()
                            .map(|c| cell(&c.text))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ));
                }
            }
            Block::Chart { .. } => {}
            Block::Signature { unit, date } => out.push_str(&format!("{unit}\n\n{}\n", line(date))),
        }
    }
    out
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// HTML of the blocks, one self-contained page: a stop-gap like [`markdown`].
fn html(outline: &Outline) -> String {
    let line = |l: &Line| {
        l.0.iter()
            .map(|s| {
                if s.missing {
                    format!("<strong class=\"missing\">{}</strong>", escape(&s.text))
                } else {
                    escape(&s.text)
                }
            })
            .collect::<String>()
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}</title>\n<style>body{{font-family:serif;max-width:80rem;margin:auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #444;padding:.2rem .4rem}}td.n{{text-align:right}}.missing{{color:#c00000}}</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
        escape(&outline.title)
    );
    for b in &outline.blocks {
        match b {
            Block::Heading { level, text, .. } => {
                out.push_str(&format!("<h{0}>{1}</h{0}>\n", level + 1, escape(text)))
            }
            Block::Paragraph { line: l } => out.push_str(&format!("<p>{}</p>\n", line(l))),
            Block::List { numbered, items } => {
                let tag = if *numbered { "ol" } else { "ul" };
                out.push_str(&format!(
                    "<{tag}>{}</{tag}>\n",
                    items
                        .iter()
                        .map(|i| format!("<li>{}</li>", line(i)))
                        .collect::<String>()
                ));
            }
            Block::Table { headers, rows, .. } => {
                out.push_str(&format!(
                    "<table>\n<tr>{}</tr>\n",
                    headers
                        .iter()
                        .map(|h| format!("<th>{}</th>", escape(h)))
                        .collect::<String>()
                ));
                for r in rows {
                    let cells: String = r
                        .iter()
                        .map(|c| {
                            let class = match (c.numeric, c.missing) {
                                (_, true) => " class=\"missing\"",
                                (true, false) => " class=\"n\"",
                                _ => "",
                            };
                            format!("<td{class}>{}</td>", escape(&c.text))
                        })
                        .collect();
                    out.push_str(&format!("<tr>{cells}</tr>\n"));
                }
                out.push_str("</table>\n");
            }
            Block::Chart { .. } => {}
            Block::Signature { unit, date } => out.push_str(&format!(
                "<p class=\"signature\">{}<br>{}</p>\n",
                escape(unit),
                line(date)
            )),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
