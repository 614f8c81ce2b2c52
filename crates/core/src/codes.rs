//! 政府收支分类科目 code tables, one edition per fiscal year, embedded from `data/`.
//!
//! 支出功能分类 (function codes: 类 3 digits → 款 5 → 项 7) and 部门预算支出经济分类 (economic codes: 类 3 → 款 5),
//! with which economic codes are 人员经费 / 公用经费 and which are 三公经费.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{OnceLock, RwLock};

/// The editions shipped, by fiscal year. Adding a year is adding its two files here.
const EDITIONS: &[(i32, &str, &str)] = &[
    (2019, include_str!("../data/function-codes/2019.csv"), include_str!("../data/economic-codes/2019.csv")),
    (2020, include_str!("../data/function-codes/2020.csv"), include_str!("../data/economic-codes/2020.csv")),
    (2021, include_str!("../data/function-codes/2021.csv"), include_str!("../data/economic-codes/2021.csv")),
    (2022, include_str!("../data/function-codes/2022.csv"), include_str!("../data/economic-codes/2022.csv")),
    (2023, include_str!("../data/function-codes/2023.csv"), include_str!("../data/economic-codes/2023.csv")),
    (2024, include_str!("../data/function-codes/2024.csv"), include_str!("../data/economic-codes/2024.csv")),
    (2025, include_str!("../data/function-codes/2025.csv"), include_str!("../data/economic-codes/2025.csv")),
    (2026, include_str!("../data/function-codes/2026.csv"), include_str!("../data/economic-codes/2026.csv")),
];

/// 经费类别 of an economic code within basic spending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseGroup {
    /// 人员经费 (301 工资福利支出, 303 对个人和家庭的补助).
    Personnel,
    /// 公用经费 (302 商品和服务支出, 310 资本性支出, within basic spending).
    PublicUse,
}

/// Which of the "三公经费" an economic code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanGongKind {
    /// 因公出国（境）费用 (30212).
    OutboundTravel,
    /// 公务用车购置 (31013).
    VehiclePurchase,
    /// 公务用车运行维护费 (30231).
    VehicleOperation,
    /// 公务接待费 (30217).
    OfficialReception,
}

impl SanGongKind {
    pub fn label(self) -> &'static str {
        match self {
            SanGongKind::OutboundTravel => "因公出国（境）费",
            SanGongKind::VehiclePurchase => "公务用车购置费",
            SanGongKind::VehicleOperation => "公务用车运行维护费",
            SanGongKind::OfficialReception => "公务接待费",
        }
    }
}

/// Depth of a code: 类 (3 digits), 款 (5), 项 (7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeLevel {
    /// 类
    Class,
    /// 款
    Section,
    /// 项
    Item,
}

impl CodeLevel {
    pub fn of(code: &str) -> Option<CodeLevel> {
        match code.len() {
            3 => Some(CodeLevel::Class),
            5 => Some(CodeLevel::Section),
            7 => Some(CodeLevel::Item),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CodeLevel::Class => "类",
            CodeLevel::Section => "款",
            CodeLevel::Item => "项",
        }
    }
}

/// Where an edition comes from: shipped with jixiao (as complete as public sources allow), or the official
/// 科目 table a user loaded into the database (`jixiao codes import`), which makes checking strict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EditionSource {
    Embedded,
    Official { file: String, loaded_at: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionCode {
    pub code: String,
    pub name: String,
    /// The URL or document that shows this row for this year.
    pub source: String,
    /// Whether that source was read and confirms code and name for this year (else carried or from pattern).
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EconomicCode {
    pub code: String,
    pub name: String,
    #[serde(skip)]
    pub expense_group: Option<ExpenseGroup>,
    #[serde(skip)]
    pub sangong: Option<SanGongKind>,
    pub source: String,
    pub checked: bool,
}

#[derive(Deserialize)]
struct RawFunction {
    code: String,
    name: String,
    source: String,
    checked: bool,
}

#[derive(Deserialize)]
struct RawEconomic {
    code: String,
    name: String,
    expense_group: Option<ExpenseGroup>,
    sangong_kind: Option<SanGongKind>,
    source: String,
    checked: bool,
}

/// What an edition says of a code a record carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeStatus {
    /// A 项 (function) or 款 (economic) of the edition.
    Known,
    /// Well formed, of a 类 the edition has, but not listed by an embedded (incomplete) edition: it may
    /// well exist — a warning until the year's official table is loaded.
    Unconfirmed,
    /// Not a code of this year: its 类 does not exist, or the official table loaded for the year lacks it,
    /// or it is not a 7-digit (function) / 5-digit (economic) code.
    Invalid,
}

/// One fiscal year's edition of both classifications.
#[derive(Debug)]
pub struct CodeTables {
    pub year: i32,
    pub source: EditionSource,
    functions: BTreeMap<String, FunctionCode>,
    economics: BTreeMap<String, EconomicCode>,
}

fn read_csv<T: for<'de> Deserialize<'de>>(text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .expect("embedded code tables are valid CSV (checked by tests)")
}

fn embedded_editions() -> &'static [CodeTables] {
    static ALL: OnceLock<Vec<CodeTables>> = OnceLock::new();
    ALL.get_or_init(|| {
        EDITIONS
            .iter()
            .map(|(year, functions, economics)| CodeTables {
                year: *year,
                source: EditionSource::Embedded,
                functions: read_csv::<RawFunction>(functions)
                    .into_iter()
                    .map(|r| (r.code.clone(), FunctionCode { code: r.code, name: r.name, source: r.source, checked: r.checked }))
                    .collect(),
                economics: read_csv::<RawEconomic>(economics)
                    .into_iter()
                    .map(|r| {
                        let e = EconomicCode {
                            code: r.code,
                            name: r.name,
                            expense_group: r.expense_group,
                            sangong: r.sangong_kind,
                            source: r.source,
                            checked: r.checked,
                        };
                        (e.code.clone(), e)
                    })
                    .collect(),
            })
            .collect()
    })
}

/// Official tables loaded from the database this process serves (one database per process: the CLI
/// command's or the web server's), by year. Installed by [`CodeTables::install_official`].
fn official_editions() -> &'static RwLock<BTreeMap<i32, &'static CodeTables>> {
    static OFFICIAL: OnceLock<RwLock<BTreeMap<i32, &'static CodeTables>>> = OnceLock::new();
    OFFICIAL.get_or_init(Default::default)
}

/// One row of an official 科目 table as a user's system exports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficialRow {
    pub code: String,
    pub name: String,
}

impl CodeTables {
    /// The edition in force for `year`: the official table loaded for it, else the embedded one.
    pub fn for_year(year: i32) -> Option<&'static CodeTables> {
        let official = official_editions().read().unwrap_or_else(|e| e.into_inner()).get(&year).copied();
        official.or_else(|| CodeTables::embedded(year))
    }

    /// The edition shipped for `year`, whatever is loaded.
    pub fn embedded(year: i32) -> Option<&'static CodeTables> {
        embedded_editions().iter().find(|t| t.year == year)
    }

    /// Builds an official edition from an exported 科目 table: its 支出功能分类 rows (codes 2xx of 3, 5 or
    /// 7 digits) and 部门预算支出经济分类 rows (3xx of 3 or 5 digits); other rows (收入 1xx, 政府经济分类
    /// 5xx) are not used. Without any economic row the embedded economic part of the year (or the latest
    /// before it) is kept. 人员经费/公用经费 and 三公 marks come from the embedded editions.
    pub fn official(year: i32, rows: &[OfficialRow], file: &str, loaded_at: &str) -> CodeTables {
        let source = format!("{file}（{loaded_at} 导入）");
        let reference = CodeTables::embedded(year)
            .or_else(|| embedded_editions().iter().rev().find(|t| t.year < year))
            .or_else(|| embedded_editions().first());
        let digits = |c: &str| c.bytes().all(|b| b.is_ascii_digit());
        let functions: BTreeMap<String, FunctionCode> = rows
            .iter()
            .filter(|r| r.code.starts_with('2') && digits(&r.code) && CodeLevel::of(&r.code).is_some())
            .map(|r| (r.code.clone(), FunctionCode { code: r.code.clone(), name: r.name.clone(), source: source.clone(), checked: true }))
            .collect();
        let mut economics: BTreeMap<String, EconomicCode> = rows
            .iter()
            .filter(|r| r.code.starts_with('3') && digits(&r.code) && matches!(r.code.len(), 3 | 5))
            .map(|r| {
                let known = reference.and_then(|t| t.economics.get(&r.code).or_else(|| t.economics.get(&r.code[..3])));
                let group = known.and_then(|e| e.expense_group);
                let sangong = reference.and_then(|t| t.economics.get(&r.code)).and_then(|e| e.sangong);
                (
                    r.code.clone(),
                    EconomicCode {
                        code: r.code.clone(),
                        name: r.name.clone(),
                        expense_group: group,
                        sangong,
                        source: source.clone(),
                        checked: true,
                    },
                )
            })
            .collect();
        if economics.is_empty() {
            economics = reference.map(|t| t.economics.clone()).unwrap_or_default();
        }
        CodeTables {
            year,
            source: EditionSource::Official { file: file.to_string(), loaded_at: loaded_at.to_string() },
            functions,
            economics,
        }
    }

    /// Makes `tables` the edition in force for its year in this process (see [`official_editions`]).
    pub fn install_official(tables: CodeTables) -> &'static CodeTables {
        let year = tables.year;
        let leaked: &'static CodeTables = Box::leak(Box::new(tables));
        official_editions().write().unwrap_or_else(|e| e.into_inner()).insert(year, leaked);
        leaked
    }

    /// The years that have an edition, embedded or loaded.
    pub fn years() -> Vec<i32> {
        let mut years: Vec<i32> = EDITIONS.iter().map(|e| e.0).collect();
        years.extend(official_editions().read().unwrap_or_else(|e| e.into_inner()).keys());
        years.sort_unstable();
        years.dedup();
        years
    }

    /// How this edition is named to users, e.g. 「2024 年度内置科目表（部分核对）」.
    pub fn edition_label(&self) -> String {
        match &self.source {
            EditionSource::Embedded => format!("{} 年度内置科目表（依公开资料整理，不完整）", self.year),
            EditionSource::Official { file, loaded_at } => format!("{} 年度官方科目表（{file}，{loaded_at} 导入）", self.year),
        }
    }

    pub fn is_official(&self) -> bool {
        matches!(self.source, EditionSource::Official { .. })
    }

    pub fn function(&self, code: &str) -> Option<&FunctionCode> {
        self.functions.get(code)
    }

    pub fn economic(&self, code: &str) -> Option<&EconomicCode> {
        self.economics.get(code)
    }

    /// Every function code of `level` (all levels with `None`), in code order.
    pub fn functions(&self, level: Option<CodeLevel>) -> impl Iterator<Item = &FunctionCode> {
        self.functions.values().filter(move |f| level.is_none_or(|l| CodeLevel::of(&f.code) == Some(l)))
    }

    /// Every economic code of `level` (类 or 款; all with `None`), in code order.
    pub fn economics(&self, level: Option<CodeLevel>) -> impl Iterator<Item = &EconomicCode> {
        self.economics.values().filter(move |e| level.is_none_or(|l| CodeLevel::of(&e.code) == Some(l)))
    }

    /// A function code a line may carry: a 项 (7 digits) of this edition.
    pub fn is_valid_function_item(&self, code: &str) -> bool {
        code.len() == 7 && self.functions.contains_key(code)
    }

    /// An economic code a line may carry: a 款 (5 digits) of this edition.
    pub fn is_valid_economic_item(&self, code: &str) -> bool {
        code.len() == 5 && self.economics.contains_key(code)
    }

    /// What this edition says of a function code a record carries (a 项, 7 digits).
    pub fn function_status(&self, code: &str) -> CodeStatus {
        status(
            code,
            7,
            self.is_valid_function_item(code),
            self.functions.contains_key(code.get(..3).unwrap_or_default()),
            self.is_official(),
        )
    }

    /// What this edition says of an economic code a record carries (a 款, 5 digits).
    pub fn economic_status(&self, code: &str) -> CodeStatus {
        status(
            code,
            5,
            self.is_valid_economic_item(code),
            self.economics.contains_key(code.get(..3).unwrap_or_default()),
            self.is_official(),
        )
    }

    /// 类-款-项 names of a function code, e.g. `科学技术支出-科学技术普及-科普活动`.
    pub fn function_path(&self, code: &str) -> Option<String> {
        let names: Vec<&str> = [3, 5, 7]
            .iter()
            .filter(|len| code.len() >= **len)
            .filter_map(|len| self.functions.get(&code[..*len]).map(|f| f.name.as_str()))
            .collect();
        (!names.is_empty()).then(|| names.join("-"))
    }

    /// The 类 (first three digits) name of a function code.
    pub fn function_class_name(&self, code: &str) -> Option<&str> {
        code.get(..3).and_then(|c| self.functions.get(c)).map(|f| f.name.as_str())
    }

    /// Up to three valid 项 (or 款, for economic codes) nearest to a code that is not valid:
    /// longest shared prefix first, then fewest differing digits.
    pub fn suggest_function(&self, code: &str) -> Vec<String> {
        suggest(code, self.functions.values().filter(|f| f.code.len() == 7).map(|f| (&f.code, &f.name)))
    }

    pub fn suggest_economic(&self, code: &str) -> Vec<String> {
        suggest(code, self.economics.values().filter(|e| e.code.len() == 5).map(|e| (&e.code, &e.name)))
    }

    /// Function codes (项) whose name is `name` — to map a name written in a report to its code.
    pub fn function_items_named(&self, name: &str) -> Vec<&FunctionCode> {
        self.functions.values().filter(|f| f.code.len() == 7 && f.name == name).collect()
    }

    /// All 项 function codes, in order (for dropdowns).
    pub fn function_items(&self) -> impl Iterator<Item = &FunctionCode> {
        self.functions(Some(CodeLevel::Item))
    }

    /// All 款 economic codes, in order (for dropdowns).
    pub fn economic_items(&self) -> impl Iterator<Item = &EconomicCode> {
        self.economics(Some(CodeLevel::Section))
    }

    /// What changed from `self` to `later` (function and economic codes alike, in code order).
    pub fn diff(&self, later: &CodeTables) -> Vec<CodeChange> {
        let before: BTreeMap<&str, &str> = self
            .functions
            .values()
            .map(|f| (f.code.as_str(), f.name.as_str()))
            .chain(self.economics.values().map(|e| (e.code.as_str(), e.name.as_str())))
            .collect();
        let after: BTreeMap<&str, &str> = later
            .functions
            .values()
            .map(|f| (f.code.as_str(), f.name.as_str()))
            .chain(later.economics.values().map(|e| (e.code.as_str(), e.name.as_str())))
            .collect();
        let mut changes: Vec<CodeChange> = Vec::new();
        for (code, name) in &before {
            match after.get(code) {
                None => changes.push(CodeChange::Removed { code: code.to_string(), name: name.to_string() }),
                Some(new) if new != name => {
                    changes.push(CodeChange::Renamed { code: code.to_string(), from: name.to_string(), to: new.to_string() })
                }
                Some(_) => {}
            }
        }
        for (code, name) in &after {
            if !before.contains_key(code) {
                changes.push(CodeChange::Added { code: code.to_string(), name: name.to_string() });
            }
        }
        changes.sort_by(|a, b| a.code().cmp(b.code()));
        changes
    }
}

/// One difference between two editions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum CodeChange {
    Added { code: String, name: String },
    Removed { code: String, name: String },
    Renamed { code: String, from: String, to: String },
}

impl CodeChange {
    pub fn code(&self) -> &str {
        match self {
            CodeChange::Added { code, .. } | CodeChange::Removed { code, .. } | CodeChange::Renamed { code, .. } => code,
        }
    }
}

fn status(code: &str, len: usize, known: bool, class_exists: bool, official: bool) -> CodeStatus {
    if known {
        CodeStatus::Known
    } else if code.len() != len || !code.bytes().all(|b| b.is_ascii_digit()) || !class_exists || official {
        CodeStatus::Invalid
    } else {
        CodeStatus::Unconfirmed
    }
}

fn suggest<'a>(code: &str, candidates: impl Iterator<Item = (&'a String, &'a String)>) -> Vec<String> {
    let mut ranked: Vec<(usize, usize, &String, &String)> = candidates
        .map(|(c, n)| {
            let prefix = c.chars().zip(code.chars()).take_while(|(a, b)| a == b).count();
            let differing = c.chars().zip(code.chars()).filter(|(a, b)| a != b).count() + c.len().abs_diff(code.len());
            (prefix, differing, c, n)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
    ranked.into_iter().take(3).map(|(_, _, c, n)| format!("{c} {n}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edition_loads_with_parents_for_every_code() {
        for year in CodeTables::years() {
            let t = CodeTables::for_year(year).unwrap();
            assert!(t.functions.len() > 50, "{year}: {} function codes", t.functions.len());
            for code in t.functions.keys() {
                if code.len() > 3 {
                    assert!(t.functions.contains_key(&code[..code.len() - 2]), "{year}: {code} has no parent");
                }
            }
            for code in t.economics.keys() {
                if code.len() == 5 {
                    assert!(t.economics.contains_key(&code[..3]), "{year}: {code} has no parent");
                }
            }
        }
    }

    #[test]
    fn seed_codes_and_their_meaning() {
        let t = CodeTables::for_year(2020).unwrap();
        assert_eq!(t.function_path("2060799").as_deref(), Some("科学技术支出-科学技术普及-其他科学技术普及支出"));
        assert_eq!(t.function_class_name("2080505"), Some("社会保障和就业支出"));
        assert!(t.is_valid_function_item("2060702"));
        assert!(!t.is_valid_function_item("20607"));
        assert_eq!(t.economic("30217").unwrap().sangong, Some(SanGongKind::OfficialReception));
        assert_eq!(t.economic("31013").unwrap().sangong, Some(SanGongKind::VehiclePurchase));
        assert_eq!(t.economic("30211").unwrap().sangong, None, "差旅费 is not 三公");
        assert_eq!(t.economic("30101").unwrap().expense_group, Some(ExpenseGroup::Personnel));
        assert_eq!(t.economic("30201").unwrap().expense_group, Some(ExpenseGroup::PublicUse));
        assert!(CodeTables::for_year(1999).is_none());
    }

    #[test]
    fn every_edition_2019_to_2026_has_every_class_and_names_its_sources() {
        assert_eq!(CodeTables::years().iter().filter(|y| (2019..=2026).contains(*y)).count(), 8);
        for year in 2019..=2026 {
            let t = CodeTables::embedded(year).unwrap();
            let classes: Vec<&str> = t.functions(Some(CodeLevel::Class)).map(|f| f.code.as_str()).collect();
            for class in ["201", "204", "205", "212", "213", "215", "220", "224", "229", "233"] {
                assert!(classes.contains(&class), "{year} lacks 类 {class}");
            }
            assert!(!classes.contains(&"234"), "{year}: 234 was not seen in any source");
            for class in ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"] {
                assert!(t.economic(class).is_some(), "{year} lacks economic 类 {class}");
            }
            assert!(
                t.functions(None).all(|f| !f.source.is_empty()) && t.economics(None).all(|e| !e.source.is_empty()),
                "{year}: a row without source"
            );
            // The demo's figures rest on these marks, the same in every edition.
            assert_eq!(t.economic("30231").unwrap().sangong, Some(SanGongKind::VehicleOperation));
            assert_eq!(t.economic("30302").unwrap().expense_group, Some(ExpenseGroup::Personnel));
        }
        assert_eq!(CodeTables::embedded(2023).unwrap().function_class_name("2200101"), Some("国土海洋气象等支出"));
        assert_eq!(CodeTables::embedded(2024).unwrap().function_class_name("2200101"), Some("自然资源海洋气象等支出"));
        assert!(CodeTables::embedded(2024).unwrap().function("22006").unwrap().checked);
        assert!(CodeTables::embedded(2023).unwrap().function("22006").is_none());
        assert_eq!(CodeTables::embedded(2025).unwrap().function("2170404").unwrap().name, "中央金融机构注资特别国债支出");
        assert!(CodeTables::embedded(2024).unwrap().function("2170404").is_none());
        assert!(CodeTables::embedded(2026).unwrap().function("23107").is_some());
    }

    #[test]
    fn a_code_of_a_known_class_is_unconfirmed_and_an_unknown_class_invalid() {
        let t = CodeTables::embedded(2024).unwrap();
        assert_eq!(t.function_status("2080505"), CodeStatus::Known);
        assert_eq!(t.function_status("2050201"), CodeStatus::Unconfirmed, "205 教育支出 exists; its 项 are not listed");
        assert_eq!(t.function_status("2350101"), CodeStatus::Invalid, "no 类 235");
        assert_eq!(t.function_status("20502"), CodeStatus::Invalid, "a 款 is not what a line carries");
        assert_eq!(t.function_status("20502x1"), CodeStatus::Invalid);
        assert_eq!(t.economic_status("30201"), CodeStatus::Known);
        assert_eq!(t.economic_status("30230"), CodeStatus::Unconfirmed);
        assert_eq!(t.economic_status("50201"), CodeStatus::Invalid);
    }

    #[test]
    fn an_official_table_is_strict_and_keeps_the_expense_marks() {
        let rows: Vec<OfficialRow> = [
            ("205", "教育支出"),
            ("20502", "普通教育"),
            ("2050201", "学前教育"),
            ("302", "商品和服务支出"),
            ("30217", "公务接待费"),
            ("1010101", "国内增值税"),
        ]
        .iter()
        .map(|(c, n)| OfficialRow { code: c.to_string(), name: n.to_string() })
        .collect();
        let t = CodeTables::official(2024, &rows, "科目表.xlsx", "2026-12-07");
        assert!(t.is_official());
        assert_eq!(t.function_status("2050201"), CodeStatus::Known);
        assert_eq!(t.function_status("2050202"), CodeStatus::Invalid, "an official table is complete: a missing 项 is an error");
        assert_eq!(t.function_status("2080505"), CodeStatus::Invalid);
        assert!(t.function("1010101").is_none(), "revenue codes are not function codes");
        assert_eq!(t.economic("30217").unwrap().sangong, Some(SanGongKind::OfficialReception));
        assert_eq!(t.economic("30217").unwrap().expense_group, Some(ExpenseGroup::PublicUse));
        assert!(t.edition_label().contains("科目表.xlsx"));
        // Installing makes it the edition in force for that year only (a year no other test reads).
        let installed = CodeTables::install_official(CodeTables::official(2031, &rows, "x.csv", "2026-12-07"));
        assert!(std::ptr::eq(CodeTables::for_year(2031).unwrap(), installed));
        assert!(CodeTables::years().contains(&2031));
        assert!(CodeTables::embedded(2031).is_none());
    }

    #[test]
    fn diff_names_renames_and_additions() {
        let changes = CodeTables::embedded(2023).unwrap().diff(CodeTables::embedded(2024).unwrap());
        assert!(
            changes.contains(&CodeChange::Renamed {
                code: "220".into(),
                from: "国土海洋气象等支出".into(),
                to: "自然资源海洋气象等支出".into()
            }),
            "{changes:?}"
        );
        assert!(changes.contains(&CodeChange::Added { code: "22006".into(), name: "耕地保护考核奖惩基金支出".into() }));
        assert!(changes.iter().all(|c| !matches!(c, CodeChange::Removed { .. })));
        assert!(CodeTables::embedded(2022).unwrap().diff(CodeTables::embedded(2023).unwrap()).is_empty());
    }

    #[test]
    fn suggests_nearest_valid_codes() {
        let t = CodeTables::for_year(2020).unwrap();
        let s = t.suggest_function("2060798");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], "2060799 其他科学技术普及支出");
        assert!(s.iter().all(|x| x.starts_with("20607")), "{s:?}");
        assert!(t.suggest_economic("30298")[0].starts_with("3029"));
    }
}
