//! Builders for the binary formats the corpus needs, so no .docx or .pdf is committed.
#![allow(dead_code)]

use std::path::Path;

/// A .docx written by docx-rs from text: one paragraph per line, lines starting with `|` become
/// table rows (`|a|b|c|`). Each paragraph is split into several runs, with every number in a bold run
/// of its own, as Word does after editing — the reader must join runs back into one paragraph.
pub fn build_docx(source: &str, path: &Path) {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    fn runs(text: &str) -> Paragraph {
        let mut p = Paragraph::new();
        let mut current = String::new();
        let mut in_number = false;
        for c in text.chars() {
            let is_number = c.is_ascii_digit() || (in_number && (c == '.' || c == ','));
            if is_number != in_number && !current.is_empty() {
                let run = Run::new().add_text(std::mem::take(&mut current));
                p = p.add_run(if in_number { run.bold() } else { run });
            }
            in_number = is_number;
            current.push(c);
        }
        if !current.is_empty() {
            p = p.add_run(Run::new().add_text(current));
        }
        p
    }
    let mut docx = Docx::new();
    let mut rows: Vec<TableRow> = Vec::new();
    for line in source.lines() {
        if let Some(row) = line.strip_prefix('|') {
            let cells = row.trim_end_matches('|').split('|').map(|c| TableCell::new().add_paragraph(runs(c))).collect();
            rows.push(TableRow::new(cells));
            continue;
        }
        if !rows.is_empty() {
            docx = docx.add_table(Table::new(std::mem::take(&mut rows)));
        }
        docx = docx.add_paragraph(if line.is_empty() { Paragraph::new() } else { runs(line) });
    }
    if !rows.is_empty() {
        docx = docx.add_table(Table::new(rows));
    }
    let file = std::fs::File::create(path).expect("create docx");
    docx.pack(file).expect("write docx");
}

pub fn pdftotext_available() -> bool {
    std::process::Command::new("pdftotext").arg("-v").output().is_ok()
}

fn pdf_hex(text: &str) -> String {
    text.chars().filter(|c| (*c as u32) < 0x10000).map(|c| format!("{:04X}", c as u32)).collect()
}

/// A minimal PDF whose text layer is `text`, one line per text line. The font is a Type0 font with
/// Identity-H encoding and a ToUnicode map (CID = Unicode code point), so pdftotext recovers the
/// Chinese without any font being embedded. An empty `text` gives a page with no text layer.
pub fn build_pdf(text: &str, path: &Path) {
    let mut content = String::from("BT /F1 6 Tf 20 1660 Td 8 TL\n");
    for line in text.lines() {
        content.push_str(&format!("<{}> Tj T*\n", pdf_hex(line)));
    }
    content.push_str("ET\n");
    if text.is_empty() {
        content.clear();
    }
    write_pdf(text, &content, path);
}

/// A table as PDF producers draw it: every cell its own text object at its column's x, so the text
/// layer holds no blanks between cells.
#[allow(dead_code)]
pub fn build_table_pdf(rows: &[Vec<&str>], column_x: &[u32], path: &Path) {
    let mut content = String::new();
    let mut all = String::new();
    for (r, row) in rows.iter().enumerate() {
        let y = 1660 - 14 * r as u32;
        for (cell, x) in row.iter().zip(column_x) {
            if cell.is_empty() {
                continue;
            }
            content.push_str(&format!("BT /F1 6 Tf {x} {y} Td <{}> Tj ET\n", pdf_hex(cell)));
            all.push_str(cell);
        }
    }
    write_pdf(&all, &content, path);
}

fn write_pdf(text: &str, content: &str, path: &Path) {
    let mut high_bytes: Vec<u32> = text.chars().map(|c| (c as u32) >> 8).filter(|h| *h < 0x100).collect();
    high_bytes.sort_unstable();
    high_bytes.dedup();
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in high_bytes.chunks(100) {
        cmap.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for h in chunk {
            cmap.push_str(&format!("<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n"));
        }
        cmap.push_str("endbfrange\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1200 1700] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>".to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>".to_string(),
        format!("<< /Length {} >>\nstream\n{cmap}endstream", cmap.len()),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    std::fs::write(path, pdf).expect("write pdf");
}
