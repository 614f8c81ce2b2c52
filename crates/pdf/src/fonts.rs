//! Fonts for the PDF: scanned from one directory (default /usr/share/fonts, or JIXIAO_FONT_DIR), and a
//! family chosen for each role of a 公文 — title 小标宋, headings 黑体 and 楷体, body 仿宋 — from those that
//! cover Chinese. Where the official family is absent the nearest one present stands in (Noto Serif CJK SC
//! for 仿宋 and 小标宋, Noto Sans CJK SC for 黑体); with no Chinese family at all, rendering stops with an
//! error naming the directory.

use crate::PdfError;
use serde::Serialize;
use std::path::{Path, PathBuf};
use typst::text::FontBook;
use typst_kit::fonts::FontStore;

pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts";
pub const FONT_DIR_VARIABLE: &str = "JIXIAO_FONT_DIR";

/// Preferred families per role, best first. Names as fonts declare them (the book matches case-insensitively).
const TITLE: &[&str] = &[
    "FZXiaoBiaoSong-B05S",
    "方正小标宋简体",
    "FZXiaoBiaoSong-B05",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "SimSun",
    "AR PL UMing CN",
];
const HEI: &[&str] = &[
    "SimHei",
    "黑体",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
];
const KAI: &[&str] = &["KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", "AR PL UKai CN", "AR PL KaitiM GB", "LXGW WenKai"];
const BODY: &[&str] = &[
    "FangSong_GB2312",
    "仿宋_GB2312",
    "FangSong",
    "仿宋",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "SimSun",
    "AR PL UMing CN",
];
/// Families that are 小标宋 itself: any other title family is set bold to come near its weight.
const XIAOBIAOSONG: &[&str] = &["FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXiaoBiaoSong-B05"];

/// Characters a family must have to set the report.
const PROBE: &str = "部门整体支出绩效自评报告一二三（）万元";

/// The family of each role, as the template receives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FontRoles {
    pub title: String,
    /// `bold` when the title family is not 小标宋 itself.
    pub title_weight: &'static str,
    pub heading: String,
    pub kai: String,
    pub body: String,
    /// A sans family for the charts' labels.
    pub chart: String,
}

/// The scanned fonts and the chosen families.
pub struct FontSet {
    pub(crate) store: FontStore,
    pub roles: FontRoles,
    pub dir: PathBuf,
}

impl FontSet {
    /// Fonts from JIXIAO_FONT_DIR, or /usr/share/fonts.
    pub fn from_env() -> Result<FontSet, PdfError> {
        let dir = std::env::var_os(FONT_DIR_VARIABLE).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_FONT_DIR));
        FontSet::scan(&dir)
    }

    /// Fonts found under `dir` (recursively).
    pub fn scan(dir: &Path) -> Result<FontSet, PdfError> {
        if !dir.is_dir() {
            return Err(PdfError::FontDir { dir: dir.to_path_buf() });
        }
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::scan(dir));
        let roles = choose(store.book(), dir)?;
        Ok(FontSet { store, roles, dir: dir.to_path_buf() })
    }
}

/// The families in the book that can set Chinese text, in the book's order.
fn chinese_families(book: &FontBook) -> Vec<String> {
    let covers = |id: usize| book.info(id).is_some_and(|info| PROBE.chars().all(|c| info.coverage.contains(c as u32)));
    book.families().filter_map(|(name, mut ids)| ids.any(covers).then(|| name.to_string())).collect()
}

fn choose(book: &FontBook, dir: &Path) -> Result<FontRoles, PdfError> {
    let chinese = chinese_families(book);
    let Some(any) = chinese.first().cloned() else {
        return Err(PdfError::NoChineseFont { dir: dir.to_path_buf() });
    };
    let pick = |preferred: &[&str]| preferred.iter().find_map(|p| chinese.iter().find(|c| c.eq_ignore_ascii_case(p))).cloned();
    let body = pick(BODY).unwrap_or_else(|| any.clone());
    let title = pick(TITLE).unwrap_or_else(|| body.clone());
    let heading = pick(HEI).unwrap_or_else(|| body.clone());
    Ok(FontRoles {
        title_weight: if XIAOBIAOSONG.iter().any(|x| x.eq_ignore_ascii_case(&title)) { "regular" } else { "bold" },
        title,
        kai: pick(KAI).unwrap_or_else(|| body.clone()),
        chart: heading.clone(),
        heading,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_without_chinese_fonts_is_named_in_the_error() {
        let empty = tempfile::tempdir().unwrap();
        let err = FontSet::scan(empty.path()).err().expect("no fonts, no report");
        let message = err.to_string();
        assert!(message.contains(&empty.path().display().to_string()), "{message}");
        assert!(message.contains("fonts-noto-cjk") && message.contains(FONT_DIR_VARIABLE), "{message}");
    }

    #[test]
    fn a_missing_directory_is_named_in_the_error() {
        let message = FontSet::scan(Path::new("/nonexistent/fonts")).err().unwrap().to_string();
        assert!(message.contains("/nonexistent/fonts"), "{message}");
    }
}
