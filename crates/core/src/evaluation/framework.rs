//! The evaluation frameworks as data: the departmental indicators (财预〔2013〕53号) and the project
//! self-evaluation rules (财预〔2020〕10号), from `data/frameworks/`, with region/year overrides applied.

use super::Points;
use std::collections::BTreeMap;

include!(concat!(env!("OUT_DIR"), "/overrides.rs"));

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("评价规则文件「{file}」有误：{message}")]
pub struct FrameworkError {
    pub file: String,
    pub message: String,
}

fn err(file: &str, message: impl Into<String>) -> FrameworkError {
    FrameworkError { file: file.to_string(), message: message.into() }
}

/// A number from a rules file in hundredths (points, or percent → basis points), read exactly.
fn hundredths(file: &str, value: &toml::Value) -> Result<i64, FrameworkError> {
    let text = match value {
        toml::Value::Integer(i) => i.to_string(),
        // Shortest text of the float, then read as decimal: 2.5 → "2.5" → 250.
        toml::Value::Float(f) => f.to_string(),
        toml::Value::String(s) => s.trim().trim_end_matches('%').to_string(),
        other => return Err(err(file, format!("应为数值，实为 {other}"))),
    };
    crate::Fen::parse_yuan(&text).map(|f| f.0).map_err(|e| err(file, format!("数值「{text}」无效：{e}")))
}

/// 评分规则.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoringRule {
    /// score = min(value, 100%) × weight.
    Proportional,
    /// score = min(value ÷ target, 1) × weight.
    RatioToTarget { target_bp: i64 },
    /// value ≤ threshold: full; else each whole step over deducts `deduct_bp` of the weight.
    OverThresholdSteps { threshold_bp: i64, step_bp: i64, deduct_bp: i64 },
    /// value ≥ target: full; else each whole step short deducts `deduct_bp` of the weight.
    ShortfallSteps { target_bp: i64, step_bp: i64, deduct_bp: i64 },
    /// value within [low, high]: full; outside it, each whole step beyond the nearer bound deducts `deduct_bp` of
    /// the weight, and on the sides `at_least_one_step` names at least one step is deducted (110.57% execution,
    /// a negative 结转结余率 never earn full marks).
    RangeSteps { low_bp: i64, high_bp: i64, step_bp: i64, deduct_bp: i64, at_least_one_step: Sides },
    /// The first band whose upper bound ≥ value gives its share of the weight; above all bands: `beyond_bp`.
    Bands { bands: Vec<(i64, i64)>, beyond_bp: i64 },
    /// The points of the evidence items that hold.
    Checklist,
}

impl ScoringRule {
    fn parse(file: &str, table: &toml::Table) -> Result<ScoringRule, FrameworkError> {
        let get = |k: &str| table.get(k).ok_or_else(|| err(file, format!("评分规则缺少「{k}」"))).and_then(|v| hundredths(file, v));
        let rule = table.get("rule").and_then(toml::Value::as_str).unwrap_or_default();
        Ok(match rule {
            "proportional" => ScoringRule::Proportional,
            "ratio_to_target" => ScoringRule::RatioToTarget { target_bp: get("target")? },
            "over_threshold_steps" => {
                ScoringRule::OverThresholdSteps { threshold_bp: get("threshold")?, step_bp: get("step")?, deduct_bp: get("deduct")? }
            }
            "shortfall_steps" => {
                ScoringRule::ShortfallSteps { target_bp: get("target")?, step_bp: get("step")?, deduct_bp: get("deduct")? }
            }
            "range_steps" => ScoringRule::RangeSteps {
                low_bp: get("low")?,
                high_bp: get("high")?,
                step_bp: get("step")?,
                deduct_bp: get("deduct")?,
                at_least_one_step: match table.get("at_least_one_step").and_then(toml::Value::as_str).unwrap_or("both") {
                    "both" => Sides::Both,
                    "above" => Sides::Above,
                    "below" => Sides::Below,
                    other => return Err(err(file, format!("at_least_one_step「{other}」应为 both、above 或 below"))),
                },
            },
            "bands" => {
                let bands = table
                    .get("bands")
                    .and_then(toml::Value::as_array)
                    .ok_or_else(|| err(file, "bands 规则缺少 bands"))?
                    .iter()
                    .map(|b| match b.as_array().map(Vec::as_slice) {
                        Some([upper, share]) => Ok((hundredths(file, upper)?, hundredths(file, share)?)),
                        _ => Err(err(file, "bands 的每一项应为 [上限, 得分比例]")),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                ScoringRule::Bands { bands, beyond_bp: table.get("beyond").map(|v| hundredths(file, v)).transpose()?.unwrap_or(0) }
            }
            "checklist" => ScoringRule::Checklist,
            other => return Err(err(file, format!("未知的评分规则「{other}」"))),
        })
    }

    /// Steps and zero-width bands would divide by zero or never end.
    fn validate(&self, file: &str, id: &str) -> Result<(), FrameworkError> {
        match self {
            ScoringRule::OverThresholdSteps { step_bp, .. }
            | ScoringRule::ShortfallSteps { step_bp, .. }
            | ScoringRule::RangeSteps { step_bp, .. }
                if *step_bp <= 0 =>
            {
                Err(err(file, format!("{id}：step 必须大于 0")))
            }
            ScoringRule::RatioToTarget { target_bp } if *target_bp <= 0 => Err(err(file, format!("{id}：target 必须大于 0"))),
            ScoringRule::RangeSteps { low_bp, high_bp, .. } if low_bp > high_bp => Err(err(file, format!("{id}：low 不能大于 high"))),
            _ => Ok(()),
        }
    }
}

/// Which sides of a range a value outside it loses at least one step on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    Both,
    /// Above the range only: below it, whole steps only (预算完成率 99.27% is less than one 5% step short).
    Above,
    Below,
}

/// What an indicator scores when the records cannot give its value (无法计算).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenUnavailable {
    Zero,
    Full,
    /// Left out; the total is rescaled to the full score.
    Exclude,
}

/// Evidence that a checklist item holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// Every project has: `goal`, `indicators`, `quantified_output` (a numeric 产出 indicator) or `units`.
    ProjectsAll { field: String },
    /// A control document whose name contains one of the keywords, adopted by the year's end.
    ControlDocument { keywords: Vec<String> },
    /// No `jixiao check` finding of these rules (any rule when empty) at this severity (error when absent, or any listed rule at any severity).
    NoFindings { rules: Vec<String>, severity: Option<String> },
    /// At least one 三重一大 decision recorded in the year.
    DecisionsPresent,
    /// A disclosure of `disclosure` (DisclosureKind id) dated on or before month-day of year + `year_offset`.
    Disclosure { disclosure: String, year_offset: i32, by: (u32, u32) },
    /// A fixed-asset register exists for the year.
    AssetRegister,
    /// No fixed asset in any of these statuses (AssetStatus ids).
    NoAssetsWithStatus { statuses: Vec<String> },
}

impl Evidence {
    fn parse(file: &str, t: &toml::Table) -> Result<Evidence, FrameworkError> {
        let strings = |k: &str| -> Vec<String> {
            t.get(k)
                .and_then(toml::Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let string = |k: &str| t.get(k).and_then(toml::Value::as_str).map(String::from);
        Ok(match t.get("kind").and_then(toml::Value::as_str).unwrap_or_default() {
            "projects_all" => {
                let field = string("field").unwrap_or_default();
                if !["goal", "indicators", "quantified_output", "units"].contains(&field.as_str()) {
                    return Err(err(file, format!("projects_all 的 field「{field}」无效")));
                }
                Evidence::ProjectsAll { field }
            }
            "control_document" => Evidence::ControlDocument { keywords: strings("keywords") },
            "no_findings" => Evidence::NoFindings { rules: strings("rules"), severity: string("severity") },
            "decisions_present" => Evidence::DecisionsPresent,
            "disclosure" => {
                let by = string("by").unwrap_or_else(|| "12-31".into());
                let (m, d) = by
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                    .ok_or_else(|| err(file, format!("by「{by}」应为 MM-DD")))?;
                Evidence::Disclosure {
                    disclosure: string("disclosure").unwrap_or_default(),
                    year_offset: t.get("year_offset").and_then(toml::Value::as_integer).unwrap_or(0) as i32,
                    by: (m, d),
                }
            }
            "asset_register" => Evidence::AssetRegister,
            "no_assets_with_status" => Evidence::NoAssetsWithStatus { statuses: strings("status") },
            other => return Err(err(file, format!("未知的佐证类型「{other}」"))),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub label: String,
    pub points: Points,
    pub evidence: Evidence,
}

/// One departmental indicator: where it sits, its weight, how it is measured and scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorSpec {
    pub id: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub weight: Points,
    pub measure: String,
    pub standard: String,
    pub scoring: ScoringRule,
    /// When there is nothing to measure (e.g. no 三公 budget and no 三公 spending).
    pub when_unavailable: WhenUnavailable,
    /// When the records the value needs are missing (e.g. no prior year, no survey).
    pub when_missing: WhenUnavailable,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub min: Points,
    pub label: String,
}

/// Grade bands, highest first.
pub fn grade_of(grades: &[Grade], score: Points) -> String {
    grades.iter().find(|g| score >= g.min).map(|g| g.label.clone()).unwrap_or_default()
}

/// How the departmental evaluation is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepartmentForm {
    /// 财预〔2013〕53号: 投入/过程/产出/效果 indicators measured from the books.
    CommonIndicators,
    /// A 部门整体绩效自评表 in the 项目 layout (e.g. Chongqing): a 资金情况 block whose 执行率 earns
    /// `execution_weight` × rate, and the department's own indicators (部门整体绩效指标) with their 指标权重.
    TargetTable { execution_weight: Points },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentFramework {
    pub name: String,
    /// The document the framework follows, by title and number, as the report names it.
    pub document: String,
    pub form: DepartmentForm,
    pub grades: Vec<Grade>,
    pub indicators: Vec<IndicatorSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualitativeShares {
    pub met_bp: i64,
    pub partial_bp: i64,
    pub unmet_bp: i64,
    /// The most a numeric actual that falls short earns (「近2万」 against ≥20 000: a ratio of 100%, yet not met).
    pub near_miss_bp: i64,
    pub partial_prefixes: Vec<String>,
    pub unmet_prefixes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFramework {
    pub name: String,
    /// The document the rules follow, by title and number.
    pub document: String,
    pub budget_execution_weight: Points,
    /// (一级指标 name, weight), in order, for the year the rules were chosen for.
    pub levels: Vec<(String, Points)>,
    /// Level sets that replace `levels` from a year on (`[[levels_from]]`: 成本指标 became a 一级指标 in 2022).
    pub levels_from: Vec<(i32, Vec<(String, Points)>)>,
    pub redistribute_to: Vec<String>,
    /// A level whose weight, when a project has no indicators at it, goes to one other level (`absent_to`):
    /// 成本指标 back to 产出指标, where the 10号 自评表 keeps 成本 as a 二级指标 (产出 50).
    pub absent_to: BTreeMap<String, String>,
    pub qualitative: QualitativeShares,
    pub grades: Vec<Grade>,
}

/// The rules one evaluation uses, and the files they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub department: DepartmentFramework,
    pub project: ProjectFramework,
    /// Names of the files applied, defaults first (for `--format json` and tests; the report names documents).
    pub applied: Vec<String>,
}

/// What a region's framework file says about itself (the head of an `overrides/*.toml` file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalFramework {
    /// The file stem; what `framework = "…"` in unit.toml names.
    pub id: String,
    pub file: &'static str,
    /// 行政区划代码 prefix it covers (430000: 湖南省).
    pub region: String,
    pub from_year: i32,
    pub to_year: i32,
    /// The source document (title and number, or the published form) the file was checked against. Without one
    /// the file applies only to units that choose it.
    pub checked_against: Option<String>,
    pub text: &'static str,
}

impl RegionalFramework {
    /// Every embedded regional file, with its head read.
    pub fn all() -> Result<Vec<RegionalFramework>, FrameworkError> {
        OVERRIDES
            .iter()
            .filter(|(name, _)| name.ends_with(".toml"))
            .map(|(name, text)| {
                let t = parse_table(name, text)?;
                let year = |k: &str, default: i32| t.get(k).and_then(toml::Value::as_integer).map_or(default, |y| y as i32);
                Ok(RegionalFramework {
                    id: name.trim_end_matches(".toml").to_string(),
                    file: name,
                    region: str_of(&t, "region"),
                    from_year: year("from_year", i32::MIN),
                    to_year: year("to_year", i32::MAX),
                    checked_against: Some(str_of(&t, "checked_against")).filter(|c| !c.trim().is_empty()),
                    text,
                })
            })
            .collect()
    }

    /// Whether it covers a unit of this region and year: its region code starts with the file's prefix
    /// (the trailing zeros of 430000 or 430100 removed).
    fn covers(&self, region_code: &str, year: i32) -> bool {
        let prefix = self.region.trim_end_matches("00");
        !prefix.is_empty() && region_code.starts_with(prefix) && (self.from_year..=self.to_year).contains(&year)
    }
}

fn parse_grades(file: &str, t: &toml::Table) -> Result<Vec<Grade>, FrameworkError> {
    let mut grades = t
        .get("grade")
        .and_then(toml::Value::as_array)
        .ok_or_else(|| err(file, "缺少 [[grade]] 等级"))?
        .iter()
        .map(|g| {
            Ok(Grade {
                min: Points(hundredths(file, g.get("min").ok_or_else(|| err(file, "grade 缺少 min"))?)?),
                label: g.get("label").and_then(toml::Value::as_str).unwrap_or_default().to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    grades.sort_by_key(|g| std::cmp::Reverse(g.min));
    Ok(grades)
}

fn parse_table(file: &str, text: &str) -> Result<toml::Table, FrameworkError> {
    text.parse::<toml::Table>().map_err(|e| err(file, e.to_string()))
}

fn str_of(t: &toml::Table, k: &str) -> String {
    t.get(k).and_then(toml::Value::as_str).unwrap_or_default().to_string()
}

/// Applies the fields an indicator table sets (all, for a default; some, for an override).
fn apply_indicator_fields(file: &str, spec: &mut IndicatorSpec, t: &toml::Table) -> Result<(), FrameworkError> {
    if let Some(w) = t.get("weight") {
        spec.weight = Points(hundredths(file, w)?);
    }
    if let Some(s) = t.get("scoring").and_then(toml::Value::as_table) {
        spec.scoring = ScoringRule::parse(file, s)?;
    }
    if let Some(s) = t.get("standard").and_then(toml::Value::as_str) {
        spec.standard = s.to_string();
    }
    for (key, target) in [("when_unavailable", &mut spec.when_unavailable), ("when_missing", &mut spec.when_missing)] {
        if let Some(w) = t.get(key).and_then(toml::Value::as_str) {
            *target = match w {
                "zero" => WhenUnavailable::Zero,
                "full" => WhenUnavailable::Full,
                "exclude" => WhenUnavailable::Exclude,
                other => return Err(err(file, format!("{}：{key}「{other}」应为 zero、full 或 exclude", spec.id))),
            };
        }
    }
    if let Some(items) = t.get("items").and_then(toml::Value::as_array) {
        spec.items = items
            .iter()
            .map(|i| {
                let i = i.as_table().ok_or_else(|| err(file, "items 的每一项应为表"))?;
                Ok(ChecklistItem {
                    label: str_of(i, "label"),
                    points: Points(hundredths(file, i.get("points").ok_or_else(|| err(file, "item 缺少 points"))?)?),
                    evidence: Evidence::parse(
                        file,
                        i.get("evidence").and_then(toml::Value::as_table).ok_or_else(|| err(file, "item 缺少 evidence"))?,
                    )?,
                })
            })
            .collect::<Result<_, _>>()?;
    }
    spec.scoring.validate(file, &spec.id)
}

impl DepartmentFramework {
    pub fn parse(file: &str, text: &str) -> Result<DepartmentFramework, FrameworkError> {
        let t = parse_table(file, text)?;
        let mut indicators = Vec::new();
        for i in t.get("indicator").and_then(toml::Value::as_array).ok_or_else(|| err(file, "缺少 [[indicator]]"))? {
            let i = i.as_table().ok_or_else(|| err(file, "indicator 应为表"))?;
            let mut spec = IndicatorSpec {
                id: str_of(i, "id"),
                level1: str_of(i, "level1"),
                level2: str_of(i, "level2"),
                level3: str_of(i, "level3"),
                weight: Points(0),
                measure: str_of(i, "measure"),
                standard: String::new(),
                scoring: ScoringRule::Proportional,
                when_unavailable: WhenUnavailable::Zero,
                when_missing: WhenUnavailable::Zero,
                items: Vec::new(),
            };
            if spec.id.is_empty() || spec.measure.is_empty() || !i.contains_key("weight") || !i.contains_key("scoring") {
                return Err(err(file, format!("指标「{}」缺少 id、weight、measure 或 scoring", spec.id)));
            }
            apply_indicator_fields(file, &mut spec, i)?;
            indicators.push(spec);
        }
        Ok(DepartmentFramework {
            name: str_of(&t, "name"),
            document: str_of(&t, "document"),
            form: DepartmentForm::CommonIndicators,
            grades: parse_grades(file, &t)?,
            indicators,
        })
    }

    pub fn total_weight(&self) -> Points {
        Points(self.indicators.iter().map(|i| i.weight.0).sum())
    }
}

impl ProjectFramework {
    pub fn parse(file: &str, text: &str) -> Result<ProjectFramework, FrameworkError> {
        let t = parse_table(file, text)?;
        let level_list = |v: Option<&toml::Value>| -> Result<Vec<(String, Points)>, FrameworkError> {
            v.and_then(toml::Value::as_array)
                .ok_or_else(|| err(file, "缺少 [[level]]"))?
                .iter()
                .map(|l| {
                    Ok((
                        l.get("name").and_then(toml::Value::as_str).unwrap_or_default().to_string(),
                        Points(hundredths(file, l.get("weight").ok_or_else(|| err(file, "level 缺少 weight"))?)?),
                    ))
                })
                .collect()
        };
        let levels = level_list(t.get("level"))?;
        // `absent_to` of any level entry, [[level]] or [[levels_from]]'s.
        let entries = t.get("level").and_then(toml::Value::as_array).into_iter().flatten().chain(
            t.get("levels_from")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("level").and_then(toml::Value::as_array))
                .flatten(),
        );
        let absent_to =
            entries.filter_map(|l| Some((l.get("name")?.as_str()?.to_string(), l.get("absent_to")?.as_str()?.to_string()))).collect();
        let levels_from = t
            .get("levels_from")
            .and_then(toml::Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|entry| {
                        let year =
                            entry.get("year").and_then(toml::Value::as_integer).ok_or_else(|| err(file, "levels_from 缺少 year"))? as i32;
                        Ok((year, level_list(entry.get("level"))?))
                    })
                    .collect::<Result<Vec<_>, FrameworkError>>()
            })
            .transpose()?
            .unwrap_or_default();
        let q = t.get("qualitative").and_then(toml::Value::as_table).ok_or_else(|| err(file, "缺少 [qualitative]"))?;
        let share = |k: &str| q.get(k).ok_or_else(|| err(file, format!("qualitative 缺少 {k}"))).and_then(|v| hundredths(file, v));
        let list = |k: &str| -> Vec<String> {
            q.get(k)
                .and_then(toml::Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        Ok(ProjectFramework {
            name: str_of(&t, "name"),
            document: str_of(&t, "document"),
            levels_from,
            budget_execution_weight: Points(hundredths(
                file,
                t.get("budget_execution_weight").ok_or_else(|| err(file, "缺少 budget_execution_weight"))?,
            )?),
            levels,
            absent_to,
            redistribute_to: t
                .get("redistribute_to")
                .and_then(toml::Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default(),
            qualitative: QualitativeShares {
                met_bp: share("met")?,
                partial_bp: share("partial")?,
                unmet_bp: share("unmet")?,
                near_miss_bp: share("near_miss")?,
                partial_prefixes: list("partial_prefixes"),
                unmet_prefixes: list("unmet_prefixes"),
            },
            grades: parse_grades(file, &t)?,
        })
    }

    pub fn total_weight(&self) -> Points {
        Points(self.budget_execution_weight.0 + self.levels.iter().map(|l| l.1.0).sum::<i64>())
    }

    /// The rules for a fiscal year: the latest `levels_from` set that has begun replaces the levels.
    pub fn for_year(mut self, year: i32) -> ProjectFramework {
        if let Some((_, levels)) = self.levels_from.iter().filter(|(from, _)| *from <= year).max_by_key(|(from, _)| *from) {
            self.levels = levels.clone();
        }
        // The rules are now one year's: an override's level weights apply to these levels.
        self.levels_from.clear();
        self
    }
}

impl Rules {
    /// The default frameworks (parsed once).
    pub fn defaults() -> Rules {
        static DEFAULTS: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
        DEFAULTS
            .get_or_init(|| Rules {
                department: DepartmentFramework::parse("department.toml", include_str!("../../data/frameworks/department.toml"))
                    .expect("the default department framework is valid (tested)"),
                project: ProjectFramework::parse("project.toml", include_str!("../../data/frameworks/project.toml"))
                    .expect("the default project framework is valid (tested)"),
                applied: vec!["department.toml".into(), "project.toml".into()],
            })
            .clone()
    }

    /// The rules for a unit and year: the national defaults, then every regional file that covers the unit's
    /// region and year and says what source it was checked against (province, then city, then county).
    /// `chosen` (unit.toml `framework = "…"`) names a regional file to apply instead, whatever its region and
    /// checking. Computed once per region, year and choice: a consolidated report evaluates thousands of units.
    pub fn for_unit(region_code: &str, year: i32) -> Result<Rules, FrameworkError> {
        Rules::for_unit_choosing(region_code, year, None)
    }

    pub fn for_unit_choosing(region_code: &str, year: i32, chosen: Option<&str>) -> Result<Rules, FrameworkError> {
        type Cache = std::sync::Mutex<BTreeMap<(String, i32, Option<String>), Rules>>;
        static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key = (region_code.to_string(), year, chosen.map(str::to_string));
        if let Some(rules) = cache.lock().map_err(|_| err("rules", "规则缓存不可用"))?.get(&key) {
            return Ok(rules.clone());
        }
        let rules = Rules::for_unit_uncached(region_code, year, chosen)?;
        cache.lock().map_err(|_| err("rules", "规则缓存不可用"))?.insert(key, rules.clone());
        Ok(rules)
    }

    fn for_unit_uncached(region_code: &str, year: i32, chosen: Option<&str>) -> Result<Rules, FrameworkError> {
        let mut rules = Rules::defaults();
        rules.project = rules.project.for_year(year);
        let regional = RegionalFramework::all()?;
        let files: Vec<&RegionalFramework> = match chosen.map(str::trim).filter(|c| !c.is_empty()) {
            Some(id) => vec![regional.iter().find(|r| r.id == id).ok_or_else(|| {
                err(
                    "unit.toml",
                    format!(
                        "所选评价框架「{id}」不存在（可选：{}）",
                        regional.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join("、")
                    ),
                )
            })?],
            None => {
                let mut files: Vec<&RegionalFramework> =
                    regional.iter().filter(|r| r.checked_against.is_some() && r.covers(region_code, year)).collect();
                // Province first, then city, then county: the longer prefix applies last.
                files.sort_by_key(|r| r.region.trim_end_matches("00").len());
                files
            }
        };
        for f in files {
            rules = rules.with_override(f.file, f.text)?;
        }
        Ok(rules)
    }

    /// These rules with one more override file applied; refused if the weights no longer add up to 100.
    pub fn with_override(mut self, file: &str, text: &str) -> Result<Rules, FrameworkError> {
        let t = parse_table(file, text)?;
        if let Some(list) = t.get("department").and_then(toml::Value::as_array) {
            for o in list {
                let o = o.as_table().ok_or_else(|| err(file, "[[department]] 应为表"))?;
                let id = str_of(o, "id");
                let spec =
                    self.department.indicators.iter_mut().find(|i| i.id == id).ok_or_else(|| err(file, format!("没有指标「{id}」")))?;
                apply_indicator_fields(file, spec, o)?;
            }
        }
        if let Some(p) = t.get("project").and_then(toml::Value::as_table) {
            if let Some(w) = p.get("budget_execution_weight") {
                self.project.budget_execution_weight = Points(hundredths(file, w)?);
            }
            if let Some(levels) = p.get("levels").and_then(toml::Value::as_table) {
                let by_name: BTreeMap<&String, &toml::Value> = levels.iter().collect();
                for (name, weight) in self.project.levels.iter_mut() {
                    if let Some(v) = by_name.get(name) {
                        *weight = Points(hundredths(file, v)?);
                    }
                }
                let known = |k: &str| {
                    self.project.levels.iter().chain(self.project.levels_from.iter().flat_map(|(_, l)| l.iter())).any(|(n, _)| n == k)
                };
                if let Some(unknown) = levels.keys().find(|k| !known(k)) {
                    return Err(err(file, format!("项目一级指标「{unknown}」不存在")));
                }
            }
        }
        if let Some(name) = t.get("name").and_then(toml::Value::as_str) {
            self.department.name = name.to_string();
        }
        if let Some(document) = t.get("document").and_then(toml::Value::as_str) {
            self.department.document = document.to_string();
        }
        if let Some(form) = t.get("form").and_then(toml::Value::as_table) {
            match form.get("kind").and_then(toml::Value::as_str) {
                Some("target_table") => {
                    let weight = form.get("execution_weight").ok_or_else(|| err(file, "form 缺少 execution_weight"))?;
                    self.department.form = DepartmentForm::TargetTable { execution_weight: Points(hundredths(file, weight)?) };
                }
                Some("common_indicators") => self.department.form = DepartmentForm::CommonIndicators,
                other => {
                    return Err(err(file, format!("未知的评价表式「{}」（应为 target_table 或 common_indicators）", other.unwrap_or(""))));
                }
            }
        }
        self.validate(file)?;
        self.applied.push(file.to_string());
        Ok(self)
    }

    fn validate(&self, file: &str) -> Result<(), FrameworkError> {
        let full = Points::FULL;
        // A target table's indicator weights are the unit's own (指标权重), checked when scored.
        if self.department.form == DepartmentForm::CommonIndicators && self.department.total_weight() != full {
            return Err(err(file, format!("部门整体指标权重合计为 {}，应为 100", self.department.total_weight())));
        }
        for (year, levels) in std::iter::once((0, &self.project.levels)).chain(self.project.levels_from.iter().map(|(y, l)| (*y, l))) {
            let total = Points(self.project.budget_execution_weight.0 + levels.iter().map(|l| l.1.0).sum::<i64>());
            if total != full {
                let when = if year == 0 { String::new() } else { format!("（{year}年起）") };
                return Err(err(file, format!("项目自评权重合计为 {total}{when}，应为 100")));
            }
        }
        for i in &self.department.indicators {
            if i.weight.0 < 0 {
                return Err(err(file, format!("指标「{}」权重为负", i.id)));
            }
            if i.scoring == ScoringRule::Checklist && i.items.iter().map(|x| x.points.0).sum::<i64>() < i.weight.0 {
                return Err(err(file, format!("指标「{}」各佐证项分值之和小于权重，满分无法得到", i.id)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_every_override_are_valid_and_add_up_to_100() {
        let d = Rules::defaults();
        d.validate("defaults").unwrap();
        assert_eq!(d.department.indicators.len(), 26);
        for (name, text) in OVERRIDES {
            Rules::defaults().with_override(name, text).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn a_regional_file_applies_only_when_checked_or_chosen() {
        let weight = |r: &Rules, id: &str| r.department.indicators.iter().find(|i| i.id == id).unwrap().weight;
        // The Hunan file names no source it was checked against: a 43xxxx unit of 2020 gets the national rules.
        let unchecked = Rules::for_unit("430102", 2020).unwrap();
        assert_eq!(unchecked.applied, vec!["department.toml", "project.toml"]);
        assert_eq!(unchecked.department.document, "《预算绩效评价共性指标体系框架》（财预〔2013〕53号）");
        // …unless the unit chooses it.
        let hunan = Rules::for_unit_choosing("430102", 2020, Some("hunan-2020")).unwrap();
        assert_eq!(hunan.applied.last().map(String::as_str), Some("hunan-2020.toml"));
        assert_eq!(weight(&Rules::defaults(), "budget_completion_rate"), Points(400));
        assert_eq!(weight(&hunan, "budget_completion_rate"), Points(800));
        let e = Rules::for_unit_choosing("430102", 2020, Some("nope")).unwrap_err();
        assert!(e.message.contains("所选评价框架「nope」不存在") && e.message.contains("hunan-2020"), "{e}");
        // Chongqing's file says what it was checked against: it applies to 50xxxx units of 2021 by itself.
        let chongqing = Rules::for_unit("500106", 2021).unwrap();
        assert_eq!(chongqing.department.form, DepartmentForm::TargetTable { execution_weight: Points(1000) });
        assert_eq!(Rules::for_unit("500106", 2020).unwrap().department.form, DepartmentForm::CommonIndicators, "not for 2020");
        assert_eq!(Rules::for_unit("110101", 2021).unwrap().department.form, DepartmentForm::CommonIndicators);
    }

    #[test]
    fn cost_indicators_are_a_first_level_from_2022() {
        let names =
            |year: i32| Rules::for_unit("110101", year).unwrap().project.levels.iter().map(|(n, w)| format!("{n}{w}")).collect::<Vec<_>>();
        assert_eq!(names(2021), ["产出指标50.00", "效益指标30.00", "满意度指标10.00"]);
        assert_eq!(names(2022), ["产出指标40.00", "成本指标10.00", "效益指标30.00", "满意度指标10.00"]);
    }

    #[test]
    fn overrides_that_break_the_total_or_name_nothing_are_refused() {
        let e = Rules::defaults().with_override("x.toml", "[[department]]\nid = \"budget_completion_rate\"\nweight = 9\n").unwrap_err();
        assert!(e.message.contains("合计为 105.00"), "{e}");
        let e = Rules::defaults().with_override("x.toml", "[[department]]\nid = \"nope\"\nweight = 1\n").unwrap_err();
        assert!(e.message.contains("没有指标「nope」"), "{e}");
        let e = Rules::defaults().with_override("x.toml", "[project]\nlevels = { \"产出指标\" = 60, \"效益指标\" = 20 }\n").unwrap();
        assert_eq!(e.project.levels[0].1, Points(6000));
    }
}
