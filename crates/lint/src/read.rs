//! Reading a report file into text: .txt/.md (UTF-8, UTF-16 with BOM, or GB18030 as older Chinese
//! office machines save it), .docx (the w:t runs of each w:p paragraph), .pdf (the text layer, through
//! poppler's `pdftotext`), .xlsx/.xls (自评表 and 决算表 published as spreadsheets: one line a row,
//! cells split by tabs, so they read like the text ones).

use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Why a file could not be checked. Each maps to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("无法读取文件：{0}")]
    Io(#[from] std::io::Error),
    #[error("不是文本文件（含二进制内容）；支持 .txt .md .docx .pdf")]
    NotText,
    #[error("不是有效的 .docx 文件：{0}")]
    Docx(String),
    #[error("读取 PDF 需要 pdftotext 命令（poppler-utils），未找到：请安装 poppler-utils（apt-get install poppler-utils）")]
    PdfToTextMissing,
    #[error("pdftotext 无法读取该 PDF：{0}")]
    Pdf(String),
    #[error("PDF 没有文字层（可能是扫描件），无法检查；请提供 Word 或文本版本")]
    PdfNoText,
    #[error("无法读取电子表格：{0}")]
    Spreadsheet(String),
}

/// Larger inputs are not reports; refusing them keeps a zip bomb from filling memory.
const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

pub fn read_report(path: &Path) -> Result<String, LintError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "docx" => read_docx(path),
        "pdf" => read_pdf(path),
        "xlsx" | "xlsm" | "xls" | "ods" => read_spreadsheet(path),
        _ => {
            let mut bytes = Vec::new();
            std::fs::File::open(path)?.take(MAX_TEXT_BYTES).read_to_end(&mut bytes)?;
            decode_text(&bytes)
        }
    }
}

/// UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312).
pub fn decode_text(bytes: &[u8]) -> Result<String, LintError> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = encoding.decode(bytes);
        return Ok(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return if text.contains('\0') { Err(LintError::NotText) } else { Ok(text.to_string()) };
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors || text.contains('\0') {
        return Err(LintError::NotText);
    }
    Ok(text.into_owned())
}

pub fn read_docx(path: &Path) -> Result<String, LintError> {
    let file = std::fs::File::open(path)?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| LintError::Docx(e.to_string()))?;
    let mut entry = archive.by_name("word/document.xml").map_err(|_| LintError::Docx("缺少 word/document.xml".into()))?;
    let mut xml = String::new();
    (&mut entry)
        .take(MAX_TEXT_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| LintError::Docx(format!("word/document.xml 无法解压或不是 UTF-8：{e}")))?;
    docx_paragraphs(&xml).map_err(LintError::Docx)
}

/// The text of a WordprocessingML body: one line per `w:p`, the `w:t` runs of each joined,
/// `w:tab` as a tab and `w:br` as a line break. Table cells are paragraphs too, so each becomes a line.
pub fn docx_paragraphs(xml: &str) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| format!("XML 错误：{e}"))? {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                // An empty paragraph is still a paragraph: keep the blank line between sections.
                "p" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => out.push(c),
                _ => out.push_str(match &*r {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Every sheet of a workbook as text: a row a line, cells split by tabs, sheets apart by a blank line.
/// Numbers print as their shortest decimal (89.974 stays 89.974), so amounts are then read exactly.
pub fn read_spreadsheet(path: &Path) -> Result<String, LintError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(LintError::Spreadsheet("文件过大".into()));
    }
    spreadsheet_text(&bytes)
}

/// The text of a workbook given as bytes (.xlsx, .xls, .ods, told apart by their content).
pub fn spreadsheet_text(bytes: &[u8]) -> Result<String, LintError> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| LintError::Spreadsheet(e.to_string()))?;
    let mut out = String::new();
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.replace(['\t', '\n', '\r'], " "),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => format!("{f}"),
                    Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
                    Data::DateTime(d) => d.as_f64().to_string(),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("{e:?}"),
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push_str(cells.join("\t").trim_end_matches('\t'));
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if out.trim().is_empty() {
        return Err(LintError::Spreadsheet("工作簿中没有内容".into()));
    }
    Ok(out)
}

pub fn read_pdf(path: &Path) -> Result<String, LintError> {
    // Without -layout pdftotext keeps reading order, which prose needs; a 自评表 is then re-read with
    // -layout, whose rows keep their cells apart by runs of blanks, and the runs become tabs.
    let text = pdftotext(path, false)?;
    let kind = crate::kind::DocumentKind::detect(&crate::Document::new("", &text));
    if kind.is_form() {
        return Ok(layout_cells(&pdftotext(path, true)?));
    }
    Ok(reflow_pdf_lines(&text))
}

/// `pdftotext -layout` text with each row's cells split by tabs: a run of two or more blanks (or a
/// full-width blank) between two pieces of text is a cell border; one blank stays inside a cell
/// (「实施单位 (盖章)」). Leading indentation and page breaks go.
pub fn layout_cells(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // pdftotext puts the form feed of a page break before the next page's first line.
    for line in text.lines() {
        let line = line.trim_matches(|c: char| matches!(c, ' ' | '\u{3000}' | '\r' | '\u{c}'));
        let mut blanks = 0usize;
        let mut full_width = false;
        for c in line.chars() {
            if c == ' ' || c == '\u{3000}' {
                blanks += 1;
                full_width |= c == '\u{3000}';
                continue;
            }
            if blanks >= 2 || full_width {
                out.push('\t');
            } else if blanks == 1 {
                out.push(' ');
            }
            blanks = 0;
            full_width = false;
            out.push(c);
        }
        out.push('\n');
    }
    out
}

fn pdftotext(path: &Path, layout: bool) -> Result<String, LintError> {
    let mut command = Command::new("pdftotext");
    if layout {
        command.arg("-layout");
    }
    let output = command.arg("-enc").arg("UTF-8").arg(path).arg("-").output();
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(LintError::PdfToTextMissing);
        }
        Err(e) => return Err(LintError::Io(e)),
    };
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(LintError::Pdf(if message.is_empty() { format!("退出码 {}", output.status) } else { message }));
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !text.chars().any(|c| !c.is_whitespace() && c != '\u{c}') {
        return Err(LintError::PdfNoText);
    }
    Ok(text)
}

/// pdftotext breaks a paragraph wherever the page's line ended. Join a line to the next when it ran to
/// the full width of the page and does not end a sentence, so sums and rates stay in one sentence.
pub fn reflow_pdf_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split(['\n', '\u{c}']).collect();
    let width = lines.iter().map(|l| l.trim().chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        out.push_str(trimmed);
        let full = width >= 20 && trimmed.chars().count() * 10 >= width * 9;
        let ends_sentence = trimmed.ends_with(['。', '：', ':', '；', '！', '？', '」', '”']);
        let next_is_blank = lines.get(i + 1).is_none_or(|n| n.trim().is_empty());
        if !(full && !ends_sentence && !next_is_blank) && i + 1 < lines.len() {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_runs_join_per_paragraph() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>合计</w:t></w:r><w:r><w:t xml:space="preserve">242.96</w:t></w:r><w:r><w:t>万元&amp;</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>二</w:t><w:tab/><w:t>&#x4e09;</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(docx_paragraphs(xml).unwrap(), "合计242.96万元&\n\n二\t三\n");
    }

    #[test]
    fn decodes_gb18030() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("合计242.96万元");
        assert_eq!(decode_text(&bytes).unwrap(), "合计242.96万元");
        assert!(matches!(decode_text(b"a\0b"), Err(LintError::NotText)));
    }

    /// Rows as `pdftotext -layout` prints the 资金 block of a 自评表 (the layout of the 池州 2022 form,
    /// tests/real-corpus/anhui-2022-project-form-chizhou-tangxi.txt): cells apart by runs of blanks.
    #[test]
    fn layout_rows_split_into_cells() {
        let layout = "   项目资金           年初预算数    全年预算数    全年执行数   分值   执行率   得分\n  (万元)\n   实施单位 (盖章)    棠溪镇人民政府\n\u{c}   其中：本年财政拨款      90          89.974       89.974\n";
        assert_eq!(
            layout_cells(layout),
            "项目资金\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n(万元)\n实施单位 (盖章)\t棠溪镇人民政府\n其中：本年财政拨款\t90\t89.974\t89.974\n"
        );
    }

    #[test]
    fn reflows_full_width_lines_only() {
        let long = "一".repeat(30);
        let text = format!("{long}\n二二二。\n短行\n下一行");
        assert_eq!(reflow_pdf_lines(&text), format!("{long}二二二。\n短行\n下一行"));
    }
}
