//! 政府收支分类科目 code tables, one edition per fiscal year, embedded from `data/`.
//!
//! 支出功能分类 (function codes: 类 3 digits → 款 5 → 项 7) and 部门预算支出经济分类 (economic codes: 类 3 → 款 5),
//! with which economic codes are 人员经费 / 公用经费 and which are 三公经费.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The editions shipped, by fiscal year. Adding a year is adding its two files here.
const EDITIONS: &[(i32, &str, &str)] = &[
    (2020, include_str!("../data/function-codes/2020.csv"), include_str!("../data/economic-codes/2020.csv")),
    (2021, include_str!("../data/function-codes/2021.csv"), include_str!("../data/economic-codes/2021.csv")),
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCode {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomicCode {
    pub code: String,
    pub name: String,
    pub expense_group: Option<ExpenseGroup>,
    pub sangong: Option<SanGongKind>,
}

#[derive(Deserialize)]
struct RawFunction {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct RawEconomic {
    code: String,
    name: String,
    expense_group: Option<ExpenseGroup>,
    sangong_kind: Option<SanGongKind>,
}

/// One fiscal year's edition of both classifications.
#[derive(Debug)]
pub struct CodeTables {
    pub year: i32,
    functions: BTreeMap<String, FunctionCode>,
    economics: BTreeMap<String, EconomicCode>,
}

fn read_csv<T: for<'de> Deserialize<'de>>(text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .expect("embedded code tables are valid CSV (checked by tests)")
}

impl CodeTables {
    /// The edition for `year`, if one is shipped.
    pub fn for_year(year: i32) -> Option<&'static CodeTables> {
        static ALL: OnceLock<Vec<CodeTables>> = OnceLock::new();
        ALL.get_or_init(|| {
            EDITIONS
                .iter()
                .map(|(year, functions, economics)| CodeTables {
                    year: *year,
                    functions: read_csv::<RawFunction>(functions)
                        .into_iter()
                        .map(|r| (r.code.clone(), FunctionCode { code: r.code, name: r.name }))
                        .collect(),
                    economics: read_csv::<RawEconomic>(economics)
                        .into_iter()
                        .map(|r| {
                            let e = EconomicCode { code: r.code, name: r.name, expense_group: r.expense_group, sangong: r.sangong_kind };
                            (e.code.clone(), e)
                        })
                        .collect(),
                })
                .collect()
        })
        .iter()
        .find(|t| t.year == year)
    }

    /// The years that have an edition.
    pub fn years() -> Vec<i32> {
        EDITIONS.iter().map(|e| e.0).collect()
    }

    pub fn function(&self, code: &str) -> Option<&FunctionCode> {
        self.functions.get(code)
    }

    pub fn economic(&self, code: &str) -> Option<&EconomicCode> {
        self.economics.get(code)
    }

    /// A function code a line may carry: a 项 (7 digits) of this edition.
    pub fn is_valid_function_item(&self, code: &str) -> bool {
        code.len() == 7 && self.functions.contains_key(code)
    }

    /// An economic code a line may carry: a 款 (5 digits) of this edition.
    pub fn is_valid_economic_item(&self, code: &str) -> bool {
        code.len() == 5 && self.economics.contains_key(code)
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
        self.functions.values().filter(|f| f.code.len() == 7)
    }

    /// All 款 economic codes, in order (for dropdowns).
    pub fn economic_items(&self) -> impl Iterator<Item = &EconomicCode> {
        self.economics.values().filter(|e| e.code.len() == 5)
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
    fn suggests_nearest_valid_codes() {
        let t = CodeTables::for_year(2020).unwrap();
        let s = t.suggest_function("2060798");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], "2060799 其他科学技术普及支出");
        assert!(s.iter().all(|x| x.starts_with("20607")), "{s:?}");
        assert!(t.suggest_economic("30298")[0].starts_with("3029"));
    }
}
