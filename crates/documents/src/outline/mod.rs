//! A report as a sequence of blocks — headings, paragraphs, lists, tables — with its title and its trace
//! table. Every writer lays out the same blocks: Markdown and HTML (`crate::text`), DOCX (`crate::docx`) and
//! the PDF template (jixiao-pdf), so all formats carry the same words and figures in the same order.
//!
//! A figure keeps its trace: a [`Span`] or [`OutlineCell`] made from a `Figure` carries the figure's `id`, its row
//! in [`Outline::trace`] (what the figure is, how it was computed, from which records). Writers only lay out;
//! they compute nothing. Build an outline with [`Blocks`] and [`Blocks::finish`].

mod consolidated;
pub(crate) mod evaluation;
pub mod monitor;
mod project;
mod report;
mod targets;

use jixiao_core::report_model::Figure;
use serde::Serialize;

pub use consolidated::consolidated_outline;
pub use evaluation::evaluation_outline;
pub use monitor::monitor_outline;
pub use project::project_outline;
pub use report::outline;
pub use targets::targets_outline;

/// A stretch of text. `missing` marks 「缺少数据：…」 so that every format can make it stand out; `figure`
/// is the trace id of the figure the text prints (its row in [`Outline::trace`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure: Option<usize>,
}

/// One line of running text, built from literal text and figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Line(pub Vec<Span>);

impl Line {
    pub fn new() -> Line {
        Line::default()
    }

    /// Literal text; joins the previous span when that one is plain too.
    pub fn text(mut self, text: impl AsRef<str>) -> Line {
        let text = text.as_ref();
        if text.is_empty() {
            return self;
        }
        match self.0.last_mut() {
            Some(last) if !last.missing && last.figure.is_none() => last.text.push_str(text),
            _ => self.0.push(Span { text: text.to_string(), missing: false, figure: None }),
        }
        self
    }

    /// A computed figure as printed, with its trace id; a missing one keeps its 「缺少数据」 mark.
    pub fn figure(mut self, figure: &Figure) -> Line {
        self.0.push(Span { text: figure.text.clone(), missing: figure.missing, figure: Some(figure.id) });
        self
    }

    /// Text that reports missing data.
    pub fn missing(mut self, text: impl Into<String>) -> Line {
        self.0.push(Span { text: text.into(), missing: true, figure: None });
        self
    }

    /// 「缺少数据：what」.
    pub fn missing_data(self, what: &str) -> Line {
        self.missing(format!("「缺少数据：{what}」"))
    }

    /// This line after `prefix` (a list marker).
    pub fn prefixed(&self, prefix: &str) -> Line {
        let mut line = Line::new().text(prefix);
        line.0.extend(self.0.iter().cloned());
        line
    }

    /// The line without figure ids, plain spans joined: what a format without links lays out (DOCX runs,
    /// the PDF's text), one span per stretch of plain text and one per 「缺少数据」.
    pub fn untraced(&self) -> Line {
        let mut out: Vec<Span> = Vec::new();
        for span in &self.0 {
            match out.last_mut() {
                Some(last) if !last.missing && !span.missing => last.text.push_str(&span.text),
                _ => out.push(Span { figure: None, ..span.clone() }),
            }
        }
        Line(out)
    }

    pub fn plain_text(&self) -> String {
        self.0.iter().map(|s| s.text.as_str()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|s| s.text.is_empty())
    }
}

/// A table cell. Numbers are right-aligned in every format; `figure` is the trace id of the figure the
/// cell prints, as in [`Span`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineCell {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub numeric: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure: Option<usize>,
}

impl OutlineCell {
    /// Text; a cell that is only a 「缺少数据…」 note is marked missing (a note that merely mentions one is not).
    pub fn text(text: impl Into<String>) -> OutlineCell {
        let text = text.into();
        let missing = text.starts_with("「缺少数据");
        OutlineCell { text, numeric: false, missing, figure: None }
    }

    /// A number printed as text (分值, 得分, 执行率): right-aligned.
    pub fn number(text: impl Into<String>) -> OutlineCell {
        OutlineCell { numeric: true, ..OutlineCell::text(text) }
    }

    /// A figure as printed, with its trace id.
    pub fn figure(figure: &Figure) -> OutlineCell {
        OutlineCell { text: figure.text.clone(), numeric: !figure.missing, missing: figure.missing, figure: Some(figure.id) }
    }

    /// A figure printed with more than its own text (an override's 「*」, a unit after the number): the
    /// cell still links to the figure's trace.
    pub fn figure_as(figure: &Figure, text: impl Into<String>) -> OutlineCell {
        OutlineCell { text: text.into(), ..OutlineCell::figure(figure) }
    }
}

/// The charts the PDF draws; other formats skip them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chart {
    /// 全年预算数 vs 本年支出 by 支出功能分类 类.
    BudgetByFunctionClass,
    /// Each departmental indicator's score against its weight.
    IndicatorScores,
}

/// Heading levels of a 公文: 一、 (黑体), （一） (楷体), 1. (仿宋 bold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
        /// Starts a page (the 附件).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        new_page: bool,
    },
    Paragraph {
        line: Line,
    },
    List {
        numbered: bool,
        items: Vec<Line>,
    },
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<OutlineCell>>,
        /// Relative column widths, one per header.
        widths: Vec<u16>,
    },
    Chart {
        chart: Chart,
    },
    /// The unit's name and the report date, right-aligned under the text.
    Signature {
        unit: String,
        date: Line,
    },
}

impl Block {
    /// The block without figure ids ([`Line::untraced`]): the PDF template reads these.
    pub fn untraced(&self) -> Block {
        match self {
            Block::Paragraph { line } => Block::Paragraph { line: line.untraced() },
            Block::List { numbered, items } => Block::List { numbered: *numbered, items: items.iter().map(Line::untraced).collect() },
            Block::Table { headers, rows, widths } => Block::Table {
                headers: headers.clone(),
                rows: rows.iter().map(|r| r.iter().map(|c| OutlineCell { figure: None, ..c.clone() }).collect()).collect(),
                widths: widths.clone(),
            },
            Block::Signature { unit, date } => Block::Signature { unit: unit.clone(), date: date.untraced() },
            other => other.clone(),
        }
    }
}

/// A whole document: title, blocks, and the trace table of its figures (printed by HTML as 「附：数字来源」).
/// `trace` holds every figure a span or cell refers to; a figure id with no row is laid out as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outline {
    pub title: String,
    pub blocks: Vec<Block>,
    #[serde(skip)]
    pub trace: Vec<Figure>,
}

impl Outline {
    /// The text of every block, one entry per heading, paragraph, list item and table row (cells joined by
    /// ` | `) — what the formats must all show; used to compare them.
    pub fn text_items(&self) -> Vec<String> {
        let mut out = vec![self.title.clone()];
        for block in &self.blocks {
            match block {
                Block::Heading { text, .. } => out.push(text.clone()),
                Block::Paragraph { line } => out.push(line.plain_text()),
                Block::List { numbered, items } => out.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, l)| if *numbered { format!("{}. {}", i + 1, l.plain_text()) } else { l.plain_text() }),
                ),
                Block::Table { headers, rows, .. } => {
                    out.push(headers.join(" | "));
                    out.extend(rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ")));
                }
                Block::Chart { .. } => {}
                Block::Signature { unit, date } => out.extend([unit.clone(), date.plain_text()]),
            }
        }
        out.retain(|t| !t.trim().is_empty());
        out
    }
}

/// Collects blocks in order.
#[derive(Debug, Default)]
pub struct Blocks(pub Vec<Block>);

impl Blocks {
    /// A heading of 公文 level 1 (一、), 2 (（一）) or 3 (1.).
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.0.push(Block::Heading { level, text: text.into(), new_page: false });
    }

    /// A heading that starts a new page in the paged formats.
    pub fn heading_on_new_page(&mut self, level: u8, text: impl Into<String>) {
        self.0.push(Block::Heading { level, text: text.into(), new_page: true });
    }

    pub fn paragraph(&mut self, line: Line) {
        self.0.push(Block::Paragraph { line });
    }

    pub fn list(&mut self, numbered: bool, items: Vec<Line>) {
        self.0.push(Block::List { numbered, items });
    }

    /// A table; `widths` are relative column widths, one per header.
    pub fn table(&mut self, headers: &[&str], widths: &[u16], rows: Vec<Vec<OutlineCell>>) {
        debug_assert_eq!(headers.len(), widths.len());
        self.0.push(Block::Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows, widths: widths.to_vec() });
    }

    pub fn chart(&mut self, chart: Chart) {
        self.0.push(Block::Chart { chart });
    }

    /// The unit's name and the date under the text.
    pub fn signature(&mut self, unit: impl Into<String>, date: Line) {
        self.0.push(Block::Signature { unit: unit.into(), date });
    }

    /// The document: these blocks under `title`, with the trace table of their figures.
    pub fn finish(self, title: impl Into<String>, trace: Vec<Figure>) -> Outline {
        Outline { title: title.into(), blocks: self.0, trace }
    }
}
