//! The Markdown writer.

use super::{heading_rank, tidy};
use crate::outline::{Block, Outline, OutlineCell};
use std::fmt::Write;

/// The outline as Markdown: one block per paragraph, blank lines between.
pub fn markdown(doc: &Outline) -> String {
    let mut out = format!("# {}\n", doc.title);
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text, .. } => {
                let _ = write!(out, "\n{} {text}\n", "#".repeat(heading_rank(*level)));
            }
            Block::Paragraph { line } => {
                let _ = write!(out, "\n{}\n", line.plain_text());
            }
            Block::List { numbered, items } => {
                out.push('\n');
                for (i, item) in items.iter().enumerate() {
                    let text = item.plain_text();
                    let _ = if *numbered { writeln!(out, "{}. {text}", i + 1) } else { writeln!(out, "- {text}") };
                }
            }
            Block::Table { headers, rows, .. } => {
                let _ = write!(out, "\n| {} |\n|{}\n", headers.join(" | "), "---|".repeat(headers.len()));
                for row in rows {
                    let _ = writeln!(out, "| {} |", row.iter().map(cell).collect::<Vec<_>>().join(" | "));
                }
            }
            Block::Chart { .. } => {}
            Block::Signature { unit, date } => {
                let _ = write!(out, "\n{unit}\n\n{}\n", date.plain_text());
            }
        }
    }
    tidy(&out)
}

/// A cell's text, kept on one line and inside its column.
fn cell(c: &OutlineCell) -> String {
    c.text.replace('|', "｜").replace('\n', " ")
}
