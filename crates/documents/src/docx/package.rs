//! Finishing touches docx-rs has no setter for, applied to the packed file:
//! - the font table names each Chinese font with a fallback (`w:altName`: 方正小标宋简体 → 宋体, 仿宋_GB2312 →
//!   仿宋, 楷体_GB2312 → 楷体), so a machine without the GB2312 fonts substitutes the right style;
//! - the default language is zh-CN for East Asian text, so renderers pick Simplified Chinese glyph forms
//!   (LibreOffice otherwise takes the Japanese forms of Noto CJK).
//!
//! The parts are rewritten in a fixed order with fixed timestamps: the same document gives the same bytes.

use super::{BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT, TITLE_FONT};
use crate::DocumentError;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// (font, fallback) as Chinese Word installations name them.
const FONTS: [(&str, &str); 5] =
    [(TITLE_FONT, SONG_FONT), (BODY_FONT, "仿宋"), (HEI_FONT, "SimHei"), (KAI_FONT, "楷体"), (SONG_FONT, "SimSun")];

fn font_table() -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    );
    for (name, alt) in FONTS {
        // charset 86 = GB2312.
        xml.push_str(&format!(r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#));
    }
    xml.push_str("</w:fonts>");
    xml
}

/// Adds `<w:lang w:eastAsia="zh-CN">` to the document's default run properties.
fn with_chinese_language(styles: &str) -> Result<String, DocumentError> {
    const DEFAULTS_END: &str = "</w:rPr></w:rPrDefault>";
    let at = styles.find(DEFAULTS_END).ok_or_else(|| DocumentError::Docx("styles.xml 中没有默认字符格式（w:rPrDefault）".into()))?;
    Ok(format!(r#"{}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>{}"#, &styles[..at], &styles[at..]))
}

fn zip_error(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Docx(e.to_string())
}

pub fn with_chinese_fonts(packed: &[u8]) -> Result<Vec<u8>, DocumentError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(packed)).map_err(zip_error)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(zip_error)?;
        let name = entry.name().map_err(zip_error)?.to_string();
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(zip_error)?;
        let bytes = match name.as_str() {
            "word/fontTable.xml" => font_table().into_bytes(),
            "word/styles.xml" => with_chinese_language(&String::from_utf8(bytes).map_err(zip_error)?)?.into_bytes(),
            _ => bytes,
        };
        out.start_file(name, options).map_err(zip_error)?;
        out.write_all(&bytes).map_err(zip_error)?;
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
}
