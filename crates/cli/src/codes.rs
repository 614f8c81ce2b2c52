//! `jixiao codes`: the 政府收支分类科目 editions — list a year's codes, load a year's official table into the
//! database, compare two years, and harvest codes from saved texts of published disclosures to check the
//! embedded editions against them.

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};
use jixiao_core::check::codes_import_command;
use jixiao_core::codes::{CodeChange, CodeLevel, CodeTables};
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CodesCommand {
    /// List a year's codes, one a line, the code first (then the name, and for an embedded edition whether a
    /// public source confirms the row).
    List {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum)]
        level: Option<Level>,
        #[arg(long, value_enum, default_value_t = ListingFormat::Text)]
        format: ListingFormat,
    },
    /// Load a year's official 科目 table (xlsx or CSV exported from the 预算管理一体化 system: columns 科目编码 and
    /// 科目名称, the header in the first 10 rows). For this database it replaces the embedded edition of the
    /// year, and codes the table lacks become errors.
    Import {
        file: PathBuf,
        #[arg(long)]
        year: i32,
    },
    /// What changed between two years' editions (as in force for this database).
    Diff {
        #[arg(long)]
        from: i32,
        #[arg(long)]
        to: i32,
    },
    /// Read saved texts of published 部门预算/决算 disclosures (DIR/*.txt, the first line `来源：URL`) and say
    /// which rows of the year's embedded edition they confirm, which they contradict (same code, other name)
    /// and which codes they show that the edition lacks.
    Harvest {
        dir: PathBuf,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = ListingFormat::Text)]
        format: ListingFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Level {
    /// 类
    Class,
    /// 款
    Section,
    /// 项
    Item,
}

/// How `codes list` and `codes harvest` print: text for people, JSON for programs.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListingFormat {
    Text,
    Json,
}

impl Level {
    fn code_level(self) -> CodeLevel {
        match self {
            Level::Class => CodeLevel::Class,
            Level::Section => CodeLevel::Section,
            Level::Item => CodeLevel::Item,
        }
    }
}

/// The edition of `year`, or the error that says how to load one.
pub fn edition(year: i32) -> Result<&'static CodeTables> {
    match CodeTables::for_year(year) {
        Some(t) => Ok(t),
        None => bail!(
            "没有{year}年度的政府收支分类科目表（内置年度：{:?}）：请从预算管理一体化系统导出本年度科目表（列「科目编码」「科目名称」），运行 {} [IMPORT_NO_CODE_TABLE]",
            CodeTables::years(),
            codes_import_command(year)
        ),
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    code: &'a str,
    name: &'a str,
    classification: &'static str,
    level: CodeLevel,
    source: &'a str,
    checked: bool,
}

pub fn list(year: i32, level: Option<Level>, format: ListingFormat) -> Result<()> {
    let t = edition(year)?;
    let level = level.map(Level::code_level);
    let mut rows: Vec<Listed> = t
        .functions(level)
        .map(|f| Listed {
            code: &f.code,
            name: &f.name,
            classification: "function",
            level: CodeLevel::of(&f.code).expect("codes are 3, 5 or 7 digits"),
            source: &f.source,
            checked: f.checked,
        })
        .collect();
    rows.extend(t.economics(level).map(|e| Listed {
        code: &e.code,
        name: &e.name,
        classification: "economic",
        level: CodeLevel::of(&e.code).expect("codes are 3 or 5 digits"),
        source: &e.source,
        checked: e.checked,
    }));
    let mut out = std::io::stdout().lock();
    match format {
        ListingFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "year": year, "edition": t.edition_label(), "codes": rows }))?
        )?,
        ListingFormat::Text => {
            for r in &rows {
                writeln!(out, "{}\t{}\t{}", r.code, r.name, if r.checked { "已核对" } else { "未核对" })?;
            }
        }
    }
    Ok(())
}

pub fn diff(from: i32, to: i32) -> Result<()> {
    let (a, b) = (edition(from)?, edition(to)?);
    let changes = a.diff(b);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} → {}", a.edition_label(), b.edition_label())?;
    for c in &changes {
        match c {
            CodeChange::Added { code, name } => writeln!(out, "+ {code}\t{name}")?,
            CodeChange::Removed { code, name } => writeln!(out, "- {code}\t{name}")?,
            CodeChange::Renamed { code, from, to } => writeln!(out, "~ {code}\t{from} → {to}")?,
        }
    }
    let count = |f: fn(&CodeChange) -> bool| changes.iter().filter(|c| f(c)).count();
    writeln!(
        out,
        "新增 {} 个，删除 {} 个，更名 {} 个。",
        count(|c| matches!(c, CodeChange::Added { .. })),
        count(|c| matches!(c, CodeChange::Removed { .. })),
        count(|c| matches!(c, CodeChange::Renamed { .. }))
    )?;
    Ok(())
}

pub async fn import(db: &str, file: &Path, year: i32) -> Result<ExitCode> {
    let rows = match jixiao_import::code_table::read(file) {
        Ok(rows) => rows,
        Err(errors) => {
            eprint!("{errors}");
            return Ok(ExitCode::from(1));
        }
    };
    let name = file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let store = crate::open(db).await?;
    let added = store.load_code_table(year, &name, &rows).await?;
    crate::install_code_tables(&store).await?;
    let t = edition(year)?;
    let (functions, economics) = (t.functions(None).count(), t.economics(None).count());
    if added {
        println!(
            "已导入 {year} 年度科目表 {name}：{} 个科目（支出功能分类 {functions} 个，部门预算支出经济分类 {economics} 个）；本数据库 {year} 年度改按此表核对科目。",
            rows.len()
        );
    } else {
        println!("{year} 年度科目表 {name} 与已导入的相同，未重复导入。");
    }
    if !rows.iter().any(|r| r.code.starts_with('3')) {
        println!("注意：表中没有部门预算支出经济分类科目（3 开头），经济科目仍按内置科目表核对。");
    }
    Ok(ExitCode::SUCCESS)
}

/// One code and name seen in a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub code: String,
    pub name: String,
    pub file: String,
    pub source: String,
}

/// What one harvest found against an edition.
#[derive(Debug, Default, Serialize)]
pub struct Harvest {
    pub year: i32,
    pub files: usize,
    /// Same code and name as the edition (with whether the edition already marks the row checked).
    pub confirmed: Vec<(Seen, bool)>,
    /// Same code, another name: (seen, the edition's name).
    pub contradicted: Vec<(Seen, String)>,
    /// Codes the edition lacks.
    pub missing: Vec<Seen>,
}

/// Names compared without spaces and without a trailing level mark such as （项）.
fn normalize(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut name = name.as_str();
    for mark in ["（类）", "（款）", "（项）", "(类)", "(款)", "(项)"] {
        name = name.strip_suffix(mark).unwrap_or(name);
    }
    name.to_string()
}

/// Codes with names in a disclosure's text: 「2010101 行政运行」 (tables and 说明) and 「“耕地保护考核奖惩基金支出”
/// （22006款）」 (amendment notices). Function codes (2xx) of 3, 5 or 7 digits and economic codes (3xx) of 3
/// or 5; a 类 only when its name ends in 支出 or 费 (a bare three-digit number is usually something else).
pub fn extract(text: &str) -> Vec<(String, String)> {
    static CODE_NAME: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    static NAME_CODE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let code_name = CODE_NAME.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9])(2\d{6}|2\d{4}|2\d{2}|3\d{4}|3\d{2})[ \t　:：、.．]*([\p{Han}（）()、]+)").expect("valid pattern")
    });
    let name_code = NAME_CODE.get_or_init(|| {
        Regex::new(r"[“\x22]([\p{Han}（）、]+)[”\x22]\s*[（(]([23]\d{2}(?:\d{2}){0,2})(?:类|款|项)?[）)]").expect("valid pattern")
    });
    let mut out = Vec::new();
    for c in code_name.captures_iter(text) {
        let (code, name) = (c[1].to_string(), normalize(&c[2]));
        let name = name.trim_end_matches(['（', '(', '、']).to_string();
        // 「22006款）」: the code's level mark inside a notice's brackets, not a name.
        let level_mark = name.starts_with(['类', '款', '项']) && name.chars().nth(1).is_none_or(|c| c == '）' || c == ')');
        if level_mark || name.chars().count() < 2 || (code.len() == 3 && !(name.ends_with("支出") || name.ends_with('费'))) {
            continue;
        }
        out.push((code, name));
    }
    for c in name_code.captures_iter(text) {
        out.push((c[2].to_string(), normalize(&c[1])));
    }
    out
}

pub fn harvest_dir(dir: &Path, year: i32) -> Result<Harvest> {
    let Some(t) = CodeTables::embedded(year) else { bail!("没有{year}年度的内置科目表") };
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    paths.sort();
    let mut h = Harvest { year, files: paths.len(), ..Harvest::default() };
    // One entry per (code, name) across files: the first file that shows it.
    let mut seen: BTreeMap<(String, String), Seen> = BTreeMap::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)?;
        let source = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("来源：").or_else(|| l.strip_prefix("来源:")))
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        if source.is_empty() {
            bail!("{}：第一行应为「来源：URL 或文号」", path.display());
        }
        let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        for (code, name) in extract(&text) {
            seen.entry((code.clone(), name.clone())).or_insert(Seen { code, name, file: file.clone(), source: source.clone() });
        }
    }
    for s in seen.into_values() {
        let known = if s.code.starts_with('2') {
            t.function(&s.code).map(|f| (f.name.clone(), f.checked))
        } else {
            t.economic(&s.code).map(|e| (e.name.clone(), e.checked))
        };
        match known {
            Some((name, checked)) if normalize(&name) == s.name => h.confirmed.push((s, checked)),
            Some((name, _)) => h.contradicted.push((s, name)),
            None => h.missing.push(s),
        }
    }
    Ok(h)
}

pub fn harvest(dir: &Path, year: i32, format: ListingFormat) -> Result<()> {
    let h = harvest_dir(dir, year)?;
    let mut out = std::io::stdout().lock();
    if format == ListingFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&h)?)?;
        return Ok(());
    }
    for (s, checked) in &h.confirmed {
        writeln!(out, "确认\t{}\t{}\t{}{}", s.code, s.name, s.source, if *checked { "" } else { "\t（内置表标为未核对）" })?;
    }
    for (s, name) in &h.contradicted {
        writeln!(out, "矛盾\t{}\t{}\t内置表：{name}\t{}", s.code, s.name, s.source)?;
    }
    for s in &h.missing {
        writeln!(out, "缺少\t{}\t{}\t{}", s.code, s.name, s.source)?;
    }
    let newly = h.confirmed.iter().filter(|(_, checked)| !checked).count();
    writeln!(
        out,
        "{year} 年度：{} 个文本；确认 {} 行（其中内置表标为未核对的 {newly} 行），矛盾 {} 行，内置表缺少 {} 个科目。",
        h.files,
        h.confirmed.len(),
        h.contradicted.len(),
        h.missing.len()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_codes_with_names_and_skips_numbers_that_are_not_codes() {
        let text = "2010101 行政运行 12.50\n2080505机关事业单位基本养老保险缴费支出（项）\n2019年度 本单位 301人；支出 2050.12 万元\n\
                    增设“耕地保护考核奖惩基金支出”(22006款)及其项级科目；“中央金融机构注资特别国债收入”(1050305项)\n205 教育支出\n30217 公务接待费\n“中央金融机构注资特别国债支出”（2170404项）";
        let found = extract(text);
        assert_eq!(
            found,
            vec![
                ("2010101".into(), "行政运行".into()),
                ("2080505".into(), "机关事业单位基本养老保险缴费支出".into()),
                ("205".into(), "教育支出".into()),
                ("30217".into(), "公务接待费".into()),
                ("22006".into(), "耕地保护考核奖惩基金支出".into()),
                ("2170404".into(), "中央金融机构注资特别国债支出".into()),
            ]
        );
    }
}
