//! The report as a DOCX in the 公文 layout of GB/T 9704-2012: A4, margins 37 mm top / 28 bottom / 28 left /
//! 26 right; title in 小标宋 二号; body 仿宋_GB2312 三号 (16 pt) on a fixed 28-point line; headings 一、 in
//! 黑体, （一） in 楷体, 1. in bold 仿宋; bordered tables; page numbers 「— N —」 in the footer.

mod package;

use crate::DocumentError;
use crate::outline::{Block, Line, Outline, OutlineCell};
use docx_rs::*;

/// Twips (1/20 pt) per millimetre, rounded: margins are given in mm by the standard.
fn mm(millimetres: i32) -> i32 {
    millimetres * 1440 * 10 / 254
}

/// Half-points, the unit of font sizes in WordprocessingML.
const BODY_SIZE: usize = 32; // 三号 16 pt
const TITLE_SIZE: usize = 44; // 二号 22 pt
const TABLE_SIZE: usize = 21; // 五号 10.5 pt
const PAGE_NUMBER_SIZE: usize = 28; // 四号 14 pt
/// 28 pt, the fixed line pitch that gives 22 lines a page.
const LINE_PITCH: i32 = 560;
/// Two characters of 三号: the first-line indent of every paragraph and heading.
const TWO_CHARS: i32 = 640;
/// Width of the text block: A4 210 mm less 28 mm and 26 mm margins.
const TEXT_WIDTH: usize = 8844;
/// Width of the text block of a landscape page: A4 297 mm less two 28 mm margins.
const LANDSCAPE_TEXT_WIDTH: usize = 13663;

/// How the page is turned: the report reads portrait; a wide form (the 绩效运行监控表) is laid out landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// East Asian fonts named as Chinese Word installs them; `package` declares the ones to use where absent.
pub(crate) const TITLE_FONT: &str = "方正小标宋简体";
pub(crate) const BODY_FONT: &str = "仿宋_GB2312";
pub(crate) const HEI_FONT: &str = "黑体";
pub(crate) const KAI_FONT: &str = "楷体_GB2312";
pub(crate) const SONG_FONT: &str = "宋体";
const LATIN_FONT: &str = "Times New Roman";
/// 「缺少数据」 stands out in red, bold.
const MISSING_COLOR: &str = "C00000";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(LATIN_FONT).hi_ansi(LATIN_FONT)
}

fn fixed_lines(pitch: i32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(pitch).before(0).after(0)
}

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, level: usize, font: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .fonts(fonts(font))
            .size(BODY_SIZE)
            .outline_lvl(level)
            .indent(None, Some(SpecialIndentType::FirstLine(TWO_CHARS)), None, None)
            .line_spacing(fixed_lines(LINE_PITCH))
    };
    docx.add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .fonts(fonts(TITLE_FONT))
            .size(TITLE_SIZE)
            .align(AlignmentType::Center)
            .line_spacing(fixed_lines(700)),
    )
    .add_style(heading("Heading1", "heading 1", 0, HEI_FONT))
    .add_style(heading("Heading2", "heading 2", 1, KAI_FONT))
    .add_style(heading("Heading3", "heading 3", 2, BODY_FONT).bold())
}

fn runs(mut p: Paragraph, line: &Line, size: Option<usize>) -> Paragraph {
    for span in &line.untraced().0 {
        let mut run = Run::new().add_text(&span.text);
        if let Some(size) = size {
            run = run.size(size);
        }
        if span.missing {
            run = run.color(MISSING_COLOR).bold();
        }
        p = p.add_run(run);
    }
    p
}

fn body(line: &Line) -> Paragraph {
    runs(Paragraph::new().align(AlignmentType::Both).indent(None, Some(SpecialIndentType::FirstLine(TWO_CHARS)), None, None), line, None)
}

fn table_cell(cell: &OutlineCell, width: usize, header: bool) -> TableCell {
    let align = if header {
        AlignmentType::Center
    } else if cell.numeric {
        AlignmentType::Right
    } else {
        AlignmentType::Left
    };
    let mut run = Run::new().add_text(&cell.text).size(TABLE_SIZE);
    if header {
        run = run.bold();
    }
    if cell.missing {
        run = run.color(MISSING_COLOR).bold();
    }
    let p = Paragraph::new()
        .align(align)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(0))
        .add_run(run);
    TableCell::new().add_paragraph(p).width(width, WidthType::Dxa).vertical_align(VAlignType::Center)
}

fn table(headers: &[String], rows: &[Vec<OutlineCell>], widths: &[u16], text_width: usize) -> Table {
    let total: usize = widths.iter().map(|w| usize::from(*w)).sum::<usize>().max(1);
    let grid: Vec<usize> = widths.iter().map(|w| usize::from(*w) * text_width / total).collect();
    let header = TableRow::new(headers.iter().zip(&grid).map(|(h, w)| table_cell(&OutlineCell::text(h), *w, true)).collect()).cant_split();
    let body = rows.iter().map(|r| TableRow::new(r.iter().zip(&grid).map(|(c, w)| table_cell(c, *w, false)).collect()).cant_split());
    Table::new(std::iter::once(header).chain(body).collect())
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(text_width, WidthType::Dxa)
}

/// 「— N —」 centred, in 宋体 四号 as the standard sets page numbers.
fn footer() -> Footer {
    let text = |t: &str| Run::new().add_text(t).size(PAGE_NUMBER_SIZE).fonts(fonts(SONG_FONT));
    let page = Run::new()
        .size(PAGE_NUMBER_SIZE)
        .fonts(fonts(SONG_FONT))
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE {}))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Footer::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(text("— ")).add_run(page).add_run(text(" —")))
}

fn add_block(docx: Docx, block: &Block, text_width: usize) -> Docx {
    match block {
        Block::Heading { level, text, new_page } => docx.add_paragraph(
            Paragraph::new()
                .style(&format!("Heading{}", level.clamp(&1, &3)))
                .keep_next(true)
                .page_break_before(*new_page)
                .add_run(Run::new().add_text(text)),
        ),
        Block::Paragraph { line } if line.is_empty() => docx,
        Block::Paragraph { line } => docx.add_paragraph(body(line)),
        Block::List { numbered, items } => items.iter().enumerate().fold(docx, |d, (i, item)| {
            let marker = if *numbered { format!("{}. ", i + 1) } else { "• ".to_string() };
            d.add_paragraph(body(&item.prefixed(&marker)))
        }),
        Block::Table { headers, rows, widths } => docx
            .add_table(table(headers, rows, widths, text_width))
            .add_paragraph(Paragraph::new().line_spacing(fixed_lines(LINE_PITCH / 2))),
        Block::Chart { .. } => docx,
        Block::Signature { unit, date } => {
            // 成文日期 右空四字; the unit's name above it.
            let right = |p: Paragraph| p.align(AlignmentType::Right).indent(None, None, Some(2 * TWO_CHARS), None);
            docx.add_paragraph(Paragraph::new())
                .add_paragraph(right(Paragraph::new().add_run(Run::new().add_text(unit))))
                .add_paragraph(runs(right(Paragraph::new()), date, None))
        }
    }
}

/// The report as DOCX bytes. Same outline, same bytes.
pub fn docx(outline: &Outline) -> Result<Vec<u8>, DocumentError> {
    docx_in(outline, Orientation::Portrait)
}

/// [`docx`] on pages turned as given.
pub fn docx_in(outline: &Outline, orientation: Orientation) -> Result<Vec<u8>, DocumentError> {
    let (page, (width, height), text_width) = match orientation {
        Orientation::Portrait => (PageMargin::new().top(mm(37)).bottom(mm(28)).left(mm(28)).right(mm(26)), (11906, 16838), TEXT_WIDTH),
        Orientation::Landscape => {
            (PageMargin::new().top(mm(26)).bottom(mm(26)).left(mm(28)).right(mm(28)), (16838, 11906), LANDSCAPE_TEXT_WIDTH)
        }
    };
    let page = page.header(mm(15)).footer(mm(14));
    let mut doc = Docx::new().page_size(width, height);
    if orientation == Orientation::Landscape {
        doc = doc.page_orient(PageOrientationType::Landscape);
    }
    let mut doc = styles(
        doc.page_margin(page)
            .default_fonts(fonts(BODY_FONT))
            .default_size(BODY_SIZE)
            .default_line_spacing(fixed_lines(LINE_PITCH))
            .footer(footer())
            .created_at("2000-01-01T00:00:00Z")
            .updated_at("2000-01-01T00:00:00Z"),
    )
    .add_paragraph(Paragraph::new().style("Title").add_run(Run::new().add_text(&outline.title)))
    .add_paragraph(Paragraph::new());
    for block in &outline.blocks {
        doc = add_block(doc, block, text_width);
    }
    let mut raw = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut raw).map_err(|e| DocumentError::Docx(e.to_string()))?;
    package::with_chinese_fonts(&raw.into_inner())
}
