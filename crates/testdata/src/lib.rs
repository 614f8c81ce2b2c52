//! Seeded random but valid unit records, written as CSV import directories (unit.toml + one CSV per record
//! kind): the input of the backend-equivalence test and of the benchmark. The same seed gives the same files.
//!
//! A [`Scenario`] is a 财政局 with a few 主管部门 and their units; each unit has one import directory per fiscal
//! year. The books are valid for import (references, ledger rules, reversals) and mostly clean for the books
//! check, with a few deliberate faults (overspent lines, unreconciled receipts, dates outside the year, missing
//! prose) so that findings, grades and rankings vary. Everything else — amounts, counts, which kinds are
//! present, how enums, booleans and dates are spelled — varies with the seed.

pub mod examples;
pub mod harness;

use jixiao_core::Fen;
use jixiao_core::schema::record_kinds;
use std::collections::BTreeMap;
use std::path::Path;

/// SplitMix64: small, seedable, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// How big and how faulty the generated books are.
#[derive(Debug, Clone)]
pub struct Profile {
    /// 主管部门 in the bureau.
    pub departments: (i64, i64),
    /// Units per 主管部门.
    pub units_per_department: (i64, i64),
    /// Appropriation lines per unit-year.
    pub lines: (i64, i64),
    /// Expenditures per line (before reversals).
    pub expenditures_per_line: (i64, i64),
    /// Whether deliberate faults (check errors and warnings) are mixed in.
    pub faults: bool,
    /// Whether units may carry a second year (2021 beside 2020), for the prior-year indicators.
    pub two_years: bool,
}

impl Profile {
    /// Small scenarios for the equivalence test: a few units with a few dozen records each.
    pub fn small() -> Profile {
        Profile {
            departments: (1, 2),
            units_per_department: (1, 3),
            lines: (2, 7),
            expenditures_per_line: (0, 5),
            faults: true,
            two_years: true,
        }
    }

    /// Benchmark units: ~`vouchers` money records (budget vouchers, receipts, expenditures) per unit, clean books, one year.
    pub fn bench(vouchers: i64) -> Profile {
        let lines = 12;
        // Besides the expenditures (8 % of them reversed and entered again) come ~2 budget vouchers a line and a few receipts.
        let per_line = ((vouchers - lines * 2 - 4) * 100 / (lines * 116)).max(1);
        Profile {
            departments: (1, 1),
            units_per_department: (1, 1),
            lines: (lines, lines),
            expenditures_per_line: (per_line, per_line),
            faults: false,
            two_years: false,
        }
    }
}

/// The files of one import: `unit.toml` and the CSV files, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDir {
    pub files: Vec<(String, String)>,
}

impl ImportDir {
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, text) in &self.files {
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }

    /// Number of records (CSV rows) in the import.
    pub fn records(&self) -> usize {
        self.files.iter().filter(|(n, _)| n.ends_with(".csv")).map(|(_, t)| csv::Reader::from_reader(t.as_bytes()).records().count()).sum()
    }
}

/// One unit: its code and its imports, one per fiscal year, in order.
#[derive(Debug, Clone)]
pub struct UnitSource {
    pub code: String,
    pub department_code: Option<String>,
    pub imports: Vec<ImportDir>,
}

/// A 财政局 and its units.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub seed: u64,
    pub bureau_code: String,
    pub bureau_name: String,
    /// The fiscal years the books carry.
    pub years: Vec<i32>,
    pub units: Vec<UnitSource>,
}

impl Scenario {
    /// The 主管部门 codes that units carry, each once.
    pub fn department_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.units.iter().filter_map(|u| u.department_code.clone()).collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

const DEPARTMENTS: &[&str] = &[
    "区教育局",
    "区卫生健康局",
    "区科学技术协会",
    "区民政局",
    "区文化旅游体育局",
    "区农业农村局",
    "区人力资源和社会保障局",
    "区住房和城乡建设局",
];
const UNIT_KINDS: &[&str] = &["机关", "服务中心", "事务中心", "研究所", "管理站", "学校", "医院", "图书馆"];
const REGIONS: &[&str] = &["430102", "430103", "430104", "110101"];
const PERSONNEL: &[&str] = &["30101", "30102", "30103", "30107", "30108", "30110", "30113", "30199"];
const PUBLIC_USE: &[&str] = &["30201", "30202", "30205", "30206", "30209", "30211", "30213", "30215", "30216", "30228", "30229", "30299"];
const SANGONG: &[&str] = &["30217", "30231", "30212"];
const PROJECT_ECONOMIC: &[&str] = &["30227", "30226", "30202", "30299", "31002", "30218"];
const BASIC_FUNCTIONS: &[&str] = &["2012901", "2060101", "2080505", "2080506", "2101101", "2101102", "2210201"];
const PROJECT_FUNCTIONS: &[&str] = &["2060702", "2060799", "2012901", "2060101"];
const PROJECT_NAMES: &[&str] =
    &["科普活动经费", "学会工作经费", "院士工作站补助", "信息化建设", "人才培训", "社区服务试点", "设备购置", "专项调研"];
const SECTIONS: &[&str] = &[
    "key_work",
    "fund_management",
    "project_organization",
    "asset_management",
    "effectiveness",
    "sustainability",
    "problems",
    "improvements",
    "result_application",
    "other",
];
const INDICATOR_LEVELS: &[(&str, &str, &str)] = &[
    ("产出指标", "数量指标", "开展活动次数"),
    ("产出指标", "质量指标", "验收合格率"),
    ("产出指标", "时效指标", "按期完成率"),
    ("产出指标", "成本指标", "成本控制率"),
    ("效益指标", "社会效益指标", "受益群众人数"),
    ("效益指标", "可持续影响指标", "长效机制建立"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度"),
];

fn spell<'a>(rng: &mut Rng, id: &'a str, label: &'a str) -> &'a str {
    if rng.chance(70) { label } else { id }
}

fn date_text(rng: &mut Rng, year: i32, month: i64, day: i64) -> String {
    let day = day.min(28);
    match rng.range(0, 9) {
        0 => format!("{year}/{month}/{day}"),
        1 => format!("{year}年{month}月{day}日"),
        _ => format!("{year}-{month:02}-{day:02}"),
    }
}

fn random_date(rng: &mut Rng, year: i32) -> String {
    let (m, d) = (rng.range(1, 12), rng.range(1, 28));
    date_text(rng, year, m, d)
}

fn yuan(f: Fen) -> String {
    f.yuan_string()
}

/// Rows of one CSV file, by field name; written in the spec's column order under Chinese headers.
#[derive(Default)]
struct Tables {
    rows: BTreeMap<&'static str, Vec<BTreeMap<&'static str, String>>>,
}

impl Tables {
    fn push(&mut self, kind: &'static str, row: Vec<(&'static str, String)>) {
        self.rows.entry(kind).or_default().push(row.into_iter().filter(|(_, v)| !v.is_empty()).collect());
    }

    fn into_files(self, rng: &mut Rng) -> Vec<(String, String)> {
        let mut files = Vec::new();
        for kind in record_kinds() {
            let Some(rows) = self.rows.get(kind.id.as_str()) else { continue };
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            // Headers in Chinese, or now and then by English field name.
            let english = rng.chance(10);
            w.write_record(kind.columns.iter().map(|c| if english { c.field.as_str() } else { c.header.as_str() })).expect("in-memory CSV");
            for row in rows {
                w.write_record(kind.columns.iter().map(|c| row.get(c.field.as_str()).map(String::as_str).unwrap_or("")))
                    .expect("in-memory CSV");
            }
            let bytes = w.into_inner().expect("in-memory CSV");
            files.push((kind.file.clone(), String::from_utf8(bytes).expect("UTF-8 rows")));
        }
        files
    }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

struct UnitIdentity {
    code: String,
    name: String,
    region: String,
    department_code: Option<String>,
    department_name: String,
    bureau_code: String,
    bureau_name: String,
}

fn unit_toml(u: &UnitIdentity, years: &[(i32, Option<String>)], duties: usize, offices: usize) -> String {
    let mut t = format!(
        "# 生成的测试单位\ncode = {}\nname = {}\nregion_code = {}\nparent_department = {}\n",
        toml_string(&u.code),
        toml_string(&u.name),
        toml_string(&u.region),
        toml_string(&u.department_name)
    );
    if let Some(d) = &u.department_code {
        t.push_str(&format!("department_code = {}\n", toml_string(d)));
    }
    t.push_str(&format!("bureau_code = {}\nbureau_name = {}\n", toml_string(&u.bureau_code), toml_string(&u.bureau_name)));
    let duties: Vec<String> =
        (1..=duties).map(|i| toml_string(&format!("职能职责{i}：负责{}相关工作，含“引号”、逗号,和顿号、", u.name))).collect();
    t.push_str(&format!("duties = [{}]\n", duties.join(", ")));
    for i in 0..offices {
        t.push_str(&format!(
            "\n[[offices]]\nname = {}\nduties = {}\n",
            toml_string(&format!("科室{}", i + 1)),
            toml_string("负责文秘、财务、资产管理等工作。")
        ));
    }
    for (year, date) in years {
        t.push_str(&format!("\n[[years]]\nyear = {year}\n"));
        if let Some(d) = date {
            t.push_str(&format!("report_date = {}\n", toml_string(d)));
        }
    }
    t
}

struct Line {
    code: String,
    fund: &'static str,
    function: &'static str,
    project: Option<String>,
    initial: i64,
    carry: i64,
    adjust: i64,
    /// What its expenditures add up to (reversals cancelled).
    spent: i64,
    /// For an own-fund line without a plan: what it spends.
    own_spending: i64,
    /// Whether it pays out more than its budget (a fault): the line says 预警控制, else entry would refuse it.
    over: bool,
}

fn is_fiscal(fund: &str) -> bool {
    matches!(fund, "general_budget" | "government_fund" | "state_capital")
}

/// The 资金来源 as a unit would write it: the current label or an older spelling.
fn fund_label(rng: &mut Rng, fund: &str) -> &'static str {
    match fund {
        "government_fund" => "政府性基金",
        "other" => {
            if rng.chance(50) {
                "其他"
            } else {
                "其他收入"
            }
        }
        "service_revenue" => "事业收入",
        "operating_revenue" => "经营收入",
        "superior_subsidy" => "上级补助收入",
        _ => "一般公共预算",
    }
}

impl Line {
    fn annual(&self) -> i64 {
        self.carry + self.initial + self.adjust
    }
}

/// One unit-year's records.
fn unit_year(rng: &mut Rng, p: &Profile, year: i32) -> Tables {
    let mut t = Tables::default();
    let y = year.to_string();
    let faults = p.faults;

    // 人员编制.
    for cat in ["行政编制", "事业编制", "工勤"].iter().take(rng.range(if faults { 0 } else { 1 }, 3) as usize) {
        let authorized = rng.range(2, 40);
        let actual = authorized - rng.range(-1, 3);
        t.push(
            "staffing",
            vec![
                ("year", y.clone()),
                ("category", cat.to_string()),
                ("authorized", authorized.to_string()),
                ("actual", actual.max(0).to_string()),
            ],
        );
    }

    // 项目 and their indicators.
    let n_projects = rng.range(0, 3);
    let mut projects = Vec::new();
    let mut indicator_codes: Vec<String> = Vec::new();
    for i in 1..=n_projects {
        let code = format!("XM{year}-{i:02}");
        let name = format!("{}{i}", rng.pick(PROJECT_NAMES));
        let is_key = rng.chance(40);
        t.push(
            "projects",
            vec![
                ("project_code", code.clone()),
                ("year", y.clone()),
                ("name", name.clone()),
                ("is_key", if is_key { "是" } else { "否" }.into()),
                ("department", if rng.chance(70) { "办公室".into() } else { String::new() }),
                ("goal", format!("完成{name}年度任务，开展活动不少于{}次，服务群众不少于{}人。", rng.range(2, 10), rng.range(100, 5000))),
                (
                    "outcome",
                    if rng.chance(80) {
                        format!("全年完成{name}各项任务，\n活动照片与总结已归档。")
                    } else {
                        String::new()
                    },
                ),
                ("note", String::new()),
            ],
        );
        let n_ind = if faults && rng.chance(5) { 0 } else { rng.range(1, 4) };
        for k in 1..=n_ind {
            let (l1, l2, l3) = *rng.pick(INDICATOR_LEVELS);
            let direction = *rng.pick(&["≥", ">=", "≤", "=", "定性", "at_least"]);
            let qualitative = direction == "定性";
            let target = if qualitative { "有效提升".to_string() } else { rng.range(1, 100).to_string() };
            let actual = match rng.range(0, 9) {
                0 if faults => String::new(),
                1 => "基本达成".into(),
                2 => "未达成".into(),
                _ if qualitative => "达成".into(),
                _ => format!("{}.{}", rng.range(1, 120), rng.range(0, 9)),
            };
            indicator_codes.push(format!("{code}-ZB{k:02}"));
            t.push(
                "project_indicators",
                vec![
                    ("indicator_code", format!("{code}-ZB{k:02}")),
                    ("year", y.clone()),
                    ("project_code", code.clone()),
                    ("level1", l1.into()),
                    ("level2", l2.into()),
                    ("level3", l3.into()),
                    ("direction", direction.into()),
                    ("target", target),
                    ("actual", actual),
                    ("unit", if qualitative { String::new() } else { rng.pick(&["次", "%", "人", "个"]).to_string() }),
                    ("evidence", if rng.chance(50) { "台账、照片".into() } else { String::new() }),
                    ("deviation_reason", if rng.chance(20) { "受疫情影响，部分活动延期。".into() } else { String::new() }),
                ],
            );
        }
        projects.push(code);
    }

    // 预算指标.
    let n_lines = rng.range(p.lines.0, p.lines.1);
    let mut lines: Vec<Line> = Vec::new();
    for i in 1..=n_lines {
        let project = if !projects.is_empty() && rng.chance(40) { Some(rng.pick(&projects).clone()) } else { None };
        let (function, economic) = match &project {
            Some(_) => (*rng.pick(PROJECT_FUNCTIONS), *rng.pick(PROJECT_ECONOMIC)),
            None if rng.chance(15) => (*rng.pick(BASIC_FUNCTIONS), *rng.pick(SANGONG)),
            None if rng.chance(50) => (*rng.pick(BASIC_FUNCTIONS), *rng.pick(PERSONNEL)),
            None => (*rng.pick(BASIC_FUNCTIONS), *rng.pick(PUBLIC_USE)),
        };
        let fund = match rng.range(0, 19) {
            0 => "government_fund",
            1 => "other",
            2 => "service_revenue",
            3 => "operating_revenue",
            4 => "superior_subsidy",
            _ => "general_budget",
        };
        let fund_label = fund_label(rng, fund);
        // Own funds (其他资金) may have no plan at all.
        let planned = is_fiscal(fund) || rng.chance(60);
        let line = Line {
            code: format!("L{year}-{i:03}"),
            fund,
            function,
            project: project.clone(),
            initial: if planned {
                rng.range(1_000_000, 200_000_000) / 100 * 100 + if rng.chance(20) { rng.range(1, 99) } else { 0 }
            } else {
                0
            },
            carry: if rng.chance(30) { rng.range(100_000, 10_000_000) } else { 0 },
            adjust: 0,
            spent: 0,
            own_spending: if planned { 0 } else { rng.range(100_000, 5_000_000) },
            over: false,
        };
        t.push(
            "appropriation_lines",
            vec![
                ("line_code", line.code.clone()),
                ("year", y.clone()),
                ("function_code", function.into()),
                ("economic_code", economic.into()),
                (
                    "spending_kind",
                    if project.is_some() { spell(rng, "project", "项目支出") } else { spell(rng, "basic", "基本支出") }.into(),
                ),
                ("project_code", project.unwrap_or_default()),
                ("fund_source", spell(rng, fund, fund_label).into()),
                ("stated_annual_budget", String::new()), // filled below once the vouchers are known
                ("reported_name", if rng.chance(5) { "原报科目名称".into() } else { String::new() }),
                ("note", if rng.chance(10) { "备注，含逗号".into() } else { String::new() }),
            ],
        );
        lines.push(line);
    }

    // 指标变动: 上年结转, 年初预算, 追加, 调减, 调剂 and an occasional reversal.
    let mut vno = 0;
    let mut voucher =
        |rng: &mut Rng, t: &mut Tables, line: &str, kind: (&str, &str), amount: i64, reverses: Option<String>, date: String| -> String {
            vno += 1;
            let no = format!("BD{year}-{vno:05}");
            t.push(
                "budget_vouchers",
                vec![
                    ("voucher_no", no.clone()),
                    ("year", y.clone()),
                    ("date", date),
                    ("line_code", line.into()),
                    ("kind", spell(rng, kind.0, kind.1).into()),
                    ("amount", yuan(Fen(amount))),
                    ("document", format!("财预〔{year}〕{}号", rng.range(1, 99))),
                    ("reverses", reverses.unwrap_or_default()),
                    ("recorded_by", if rng.chance(50) { "张三".into() } else { String::new() }),
                    ("note", String::new()),
                ],
            );
            no
        };
    for line in lines.iter_mut() {
        if line.carry > 0 {
            let d = date_text(rng, year, 1, 5);
            voucher(rng, &mut t, &line.code, ("carry_over", "上年结转"), line.carry, None, d);
        }
        if line.initial == 0 {
            continue; // an own-fund line without a plan
        }
        let d = if rng.chance(20) {
            let day = rng.range(20, 28);
            date_text(rng, year - 1, 12, day)
        } else {
            let day = rng.range(2, 20);
            date_text(rng, year, 1, day)
        };
        voucher(rng, &mut t, &line.code, ("initial", "年初预算"), line.initial, None, d);
        if rng.chance(30) {
            let a = rng.range(100_000, line.initial / 3 + 100_000);
            let d = random_date(rng, year);
            voucher(rng, &mut t, &line.code, ("addition", "追加"), a, None, d);
            line.adjust += a;
        }
        if rng.chance(15) {
            let a = rng.range(10_000, line.initial / 4);
            let d = random_date(rng, year);
            voucher(rng, &mut t, &line.code, ("reduction", "调减"), a, None, d);
            line.adjust -= a;
        }
        if rng.chance(10) {
            // An entry made in error and reversed (红字冲销).
            let a = rng.range(100_000, 1_000_000);
            let d = random_date(rng, year);
            let kind = *rng.pick(&[("addition", "追加"), ("reduction", "调减")]);
            let original = voucher(rng, &mut t, &line.code, kind, a, None, d);
            let d = random_date(rng, year);
            voucher(rng, &mut t, &line.code, kind, -a, Some(original), d);
        }
    }
    if lines.len() >= 2 && rng.chance(40) {
        // 调剂 between two lines of the same fund source.
        let from = rng.range(0, lines.len() as i64 - 1) as usize;
        if let Some(to) = (0..lines.len()).find(|&j| j != from && lines[j].fund == lines[from].fund).filter(|_| lines[from].initial > 0) {
            let a = rng.range(10_000, lines[from].initial / 5);
            let d = random_date(rng, year);
            voucher(rng, &mut t, &lines[from].code.clone(), ("transfer", "调剂"), -a, None, d.clone());
            voucher(rng, &mut t, &lines[to].code.clone(), ("transfer", "调剂"), a, None, d);
            lines[from].adjust -= a;
            lines[to].adjust += a;
        }
    }
    // 全年预算数 as stated by the budget system: often given, sometimes (a fault) wrong.
    if let Some(rows) = t.rows.get_mut("appropriation_lines") {
        for (row, line) in rows.iter_mut().zip(&lines) {
            if rng.chance(50) {
                let wrong = faults && rng.chance(4);
                row.insert("stated_annual_budget", yuan(Fen(line.annual() + if wrong { 10_000 } else { 0 })));
            }
        }
    }

    // 采购 (referred to by project payments).
    let mut procurements: Vec<(String, Option<String>, i64)> = Vec::new();
    for i in 1..=rng.range(0, 3) {
        let code = format!("CG{year}-{i:02}");
        let project = if !projects.is_empty() && rng.chance(60) { Some(rng.pick(&projects).clone()) } else { None };
        let contract = rng.range(500_000, 30_000_000);
        let methods = [
            ("open_tender", "公开招标"),
            ("request_for_quotation", "询价"),
            ("single_source", "单一来源"),
            ("electronic_mall", "电子卖场"),
            ("three_quotes", "三方询价"),
            ("decentralized", "分散采购"),
        ];
        let (mid, mlabel) = *rng.pick(&methods);
        t.push(
            "procurements",
            vec![
                ("procurement_code", code.clone()),
                ("year", y.clone()),
                ("date", random_date(rng, year)),
                ("project_code", project.clone().unwrap_or_default()),
                ("item", format!("采购内容{i}：服务、物料")),
                ("method", spell(rng, mid, mlabel).into()),
                ("is_government_procurement", if rng.chance(50) { "是" } else { "否" }.into()),
                ("budget_amount", if rng.chance(70) { yuan(Fen(contract + rng.range(0, 1_000_000))) } else { String::new() }),
                ("contract_amount", yuan(Fen(contract))),
                ("supplier", "某某有限公司".into()),
                ("contract_no", format!("HT-{year}-{i:02}")),
                ("accepted_on", if rng.chance(70) { random_date(rng, year) } else { String::new() }),
                ("note", String::new()),
            ],
        );
        procurements.push((code, project, contract));
    }

    // 支出凭证: a share of each line's budget (now and then more: a fault), with reversals and re-entries.
    let mut eno = 0;
    let mut expenditure =
        |rng: &mut Rng, t: &mut Tables, line: &Line, amount: i64, reverses: Option<String>, procurement: Option<String>| -> String {
            eno += 1;
            let no = format!("ZC{year}-{eno:05}");
            let date = if faults && rng.chance(2) { random_date(rng, year + 1) } else { random_date(rng, year) };
            t.push(
                "expenditures",
                vec![
                    ("voucher_no", no.clone()),
                    ("year", y.clone()),
                    ("date", date),
                    ("line_code", line.code.clone()),
                    ("amount", yuan(Fen(amount))),
                    ("payee", rng.pick(&["某某有限公司", "本单位职工（附发放明细）", "区社会保险事业中心", "张三, 李四"]).to_string()),
                    ("purpose", format!("{}支付", if line.project.is_some() { "项目" } else { "日常" })),
                    ("procurement_ref", procurement.unwrap_or_default()),
                    ("reverses", reverses.unwrap_or_default()),
                    ("recorded_by", if rng.chance(30) { "李四".into() } else { String::new() }),
                    ("note", String::new()),
                ],
            );
            no
        };
    // By index: the loop body updates `lines[i]` after reading it.
    #[allow(clippy::needless_range_loop)]
    for i in 0..lines.len() {
        let line = &lines[i];
        let n = rng.range(p.expenditures_per_line.0, p.expenditures_per_line.1);
        let unplanned = line.own_spending > 0;
        if n == 0 || (line.annual() <= 0 && !unplanned) {
            continue;
        }
        let over = faults && rng.chance(3);
        let target = if unplanned {
            line.own_spending
        } else if over {
            line.annual() + rng.range(100, 100_000)
        } else {
            line.annual() * rng.range(40, 100) / 100
        };
        let mut remaining = target;
        for k in 0..n {
            let amount =
                if k + 1 == n { remaining } else { rng.range(1, (remaining / (n - k)).max(1) * 2 - 1).min(remaining - (n - k - 1)) };
            if amount <= 0 {
                break;
            }
            remaining -= amount;
            let procurement = procurements
                .iter()
                .find(|(_, pr, _)| pr.is_some() && *pr == line.project)
                .filter(|_| rng.chance(50))
                .map(|(c, _, _)| c.clone());
            let no = expenditure(rng, &mut t, line, amount, None, procurement.clone());
            if rng.chance(8) {
                // Reversed and entered again (e.g. the wrong payee).
                expenditure(rng, &mut t, line, -amount, Some(no), procurement.clone());
                expenditure(rng, &mut t, line, amount, None, procurement);
            }
        }
        lines[i].spent = target - remaining;
        lines[i].over = over;
    }

    // 收回 / 结转下年: part of a 财政拨款 line's balance not disbursed at year end, settled by the finance bureau.
    let mut settled: BTreeMap<&str, i64> = BTreeMap::new();
    for line in &lines {
        let left = line.annual() - line.spent;
        if is_fiscal(line.fund) && left > 0 && rng.chance(25) {
            let amount = rng.range(1, left);
            let kind = *rng.pick(&[("recovery", "收回"), ("carry_forward", "结转下年")]);
            let d = date_text(rng, year, 12, 31);
            voucher(rng, &mut t, &line.code, kind, amount, None, d);
            *settled.entry(line.fund).or_default() += amount;
        }
    }
    // 收入, in 1–3 receipts per fund source: for 财政拨款 what the lines were newly given (全年预算数 − 上年结转)
    // less what 收回/结转下年 settled; for own funds what was spent and a little more.
    let mut by_fund: BTreeMap<&str, (i64, Vec<&str>)> = BTreeMap::new();
    for l in &lines {
        let e = by_fund.entry(l.fund).or_default();
        e.0 += if is_fiscal(l.fund) { l.annual() - l.carry } else { l.spent.max(0) + rng.range(0, 1_000_000) };
        e.1.push(l.function);
    }
    let mut rno = 0;
    let mut receipt = |rng: &mut Rng, t: &mut Tables, fund: &str, function: &str, amount: i64, reverses: Option<String>| -> String {
        rno += 1;
        let no = format!("SR{year}-{rno:04}");
        let label = fund_label(rng, fund);
        let date = random_date(rng, year);
        t.push(
            "receipts",
            vec![
                ("voucher_no", no.clone()),
                ("year", y.clone()),
                ("date", date),
                ("fund_source", spell(rng, fund, label).into()),
                ("function_code", function.into()),
                ("amount", yuan(Fen(amount))),
                ("payer", "区财政局".into()),
                ("reverses", reverses.unwrap_or_default()),
                ("recorded_by", String::new()),
                ("note", String::new()),
            ],
        );
        no
    };
    for (fund, (given, functions)) in &by_fund {
        let mut remaining = *given - settled.get(fund).copied().unwrap_or(0) + if faults && rng.chance(4) { 10_000 } else { 0 };
        let parts = if remaining > 300 { rng.range(1, 3) } else { 1 };
        for k in 0..parts {
            let amount = if k + 1 == parts { remaining } else { rng.range(1, remaining / (parts - k)) };
            remaining -= amount;
            if amount > 0 {
                let f = *rng.pick(functions);
                receipt(rng, &mut t, fund, f, amount, None);
            }
        }
        if rng.chance(10) {
            let f = *rng.pick(functions);
            let a = rng.range(100, 1_000_000);
            let original = receipt(rng, &mut t, fund, f, a, None);
            receipt(rng, &mut t, fund, f, -a, Some(original));
        }
    }

    // 活动产出, 固定资产, 内控制度, 三重一大, 公开, 满意度, 报告文字, 评分调整.
    for i in 1..=rng.range(0, 4) {
        let quals = [("exact", "准确"), ("nearly", "近"), ("more_than", "多")];
        let (qid, qlabel) = *rng.pick(&quals);
        t.push(
            "activity_outputs",
            vec![
                ("output_code", format!("CC{year}-{i:02}")),
                ("year", y.clone()),
                ("date", if rng.chance(70) { random_date(rng, year) } else { String::new() }),
                ("activity", format!("活动{i}")),
                ("project_code", if !projects.is_empty() && rng.chance(60) { rng.pick(&projects).clone() } else { String::new() }),
                ("output", format!("产出{i}")),
                ("quantity", rng.range(1, 30_000).to_string()),
                ("qualifier", if rng.chance(30) { String::new() } else { spell(rng, qid, qlabel).into() }),
                ("unit", rng.pick(&["场", "人", "次", "份"]).to_string()),
                ("evidence", String::new()),
            ],
        );
    }
    let mut asset_codes = Vec::new();
    for i in 1..=rng.range(0, 5) {
        asset_codes.push(format!("ZC-{year}-{i:03}"));
        let acquired = year - rng.range(0, 8) as i32;
        let statuses = [("in_use", "在用"), ("idle", "闲置"), ("pending_disposal", "待处置"), ("in_use", "在用")];
        let (sid, slabel) = *rng.pick(&statuses);
        t.push(
            "fixed_assets",
            vec![
                ("asset_code", format!("ZC-{year}-{i:03}")),
                ("year", y.clone()),
                ("name", rng.pick(&["台式计算机", "打印机", "办公桌椅", "公务用车"]).to_string()),
                ("category", rng.pick(&["通用设备", "家具、用具及装具"]).to_string()),
                ("original_value", yuan(Fen(rng.range(100_000, 30_000_000)))),
                ("acquired_on", random_date(rng, acquired)),
                ("status", spell(rng, sid, slabel).into()),
                ("note", String::new()),
            ],
        );
    }
    let docs = ["内部控制手册", "财务管理制度", "专项资金管理办法", "固定资产管理办法", "政府采购内部管理办法"];
    for (i, d) in docs.iter().enumerate() {
        if !rng.chance(60) {
            continue;
        }
        t.push(
            "control_documents",
            vec![
                ("document_code", format!("NK-{:02}", i + 1)),
                ("year", y.clone()),
                ("name", format!("本单位{d}")),
                ("adopted_on", random_date(rng, year - 2)),
                ("note", String::new()),
            ],
        );
    }
    let mut decision_codes = Vec::new();
    for i in 1..=rng.range(0, 3) {
        decision_codes.push(format!("JC{year}-{i:02}"));
        let kinds = [
            ("major_matter", "重大事项决策"),
            ("large_funds", "大额度资金运作"),
            ("major_project", "重大项目安排"),
            ("appointment", "重要干部任免"),
        ];
        let (kid, klabel) = *rng.pick(&kinds);
        t.push(
            "major_decisions",
            vec![
                ("decision_code", format!("JC{year}-{i:02}")),
                ("year", y.clone()),
                ("date", random_date(rng, year)),
                ("kind", spell(rng, kid, klabel).into()),
                ("subject", format!("事项{i}")),
                ("amount", if rng.chance(60) { yuan(Fen(rng.range(1_000_000, 50_000_000))) } else { String::new() }),
                ("meeting", "党组会议".into()),
            ],
        );
    }
    for section in SECTIONS {
        if rng.chance(if faults { 85 } else { 100 }) {
            let text = format!("{section}部分：本年度，单位围绕中心工作，\"认真\"履职，完成了各项任务。\n\n二是加强管理, 提升绩效。");
            t.push("narratives", vec![("section", section.to_string()), ("year", y.clone()), ("text", text)]);
        }
    }
    let disclosures =
        [("budget", "部门预算", year, 3), ("final_accounts", "部门决算", year + 1, 9), ("performance", "绩效自评结果", year + 1, 5)];
    for (i, (did, dlabel, dyear, month)) in disclosures.iter().enumerate() {
        if !rng.chance(60) {
            continue;
        }
        let (m, d) = (rng.range(1, *month), rng.range(1, 28));
        let date = date_text(rng, *dyear, m, d);
        t.push(
            "disclosures",
            vec![
                ("disclosure_code", format!("GK{year}-{}", i + 1)),
                ("year", y.clone()),
                ("kind", spell(rng, did, dlabel).into()),
                ("date", date),
                ("location", "区政府门户网站".into()),
                ("note", String::new()),
            ],
        );
    }
    for i in 1..=rng.range(0, 2) {
        let sample = rng.range(10, 500);
        t.push(
            "surveys",
            vec![
                ("survey_code", format!("DC{year}-{i}")),
                ("year", y.clone()),
                ("subject", "服务对象".into()),
                ("project_code", if !projects.is_empty() && rng.chance(50) { rng.pick(&projects).clone() } else { String::new() }),
                ("date", if rng.chance(50) { random_date(rng, year) } else { String::new() }),
                ("sample_size", sample.to_string()),
                ("satisfied", rng.range(0, sample).to_string()),
                ("evidence", String::new()),
            ],
        );
    }
    if rng.chance(10) {
        let score = format!("{}.{}", rng.range(0, 9), rng.range(0, 9));
        t.push(
            "score_overrides",
            vec![
                ("override_code", format!("TZ{year}-1")),
                ("year", y.clone()),
                ("indicator", rng.pick(&["satisfaction_rate", "benefit_rate", "budget_completion_rate"]).to_string()),
                ("score", score),
                ("reason", "经审核，依据佐证材料调整".into()),
                ("reviewer", "王五".into()),
                ("date", random_date(rng, year + 1)),
            ],
        );
    }
    // 指标完成登记: actuals measured after the year, some superseding an earlier result for the same indicator.
    for (n, indicator) in indicator_codes.iter().enumerate() {
        if !rng.chance(20) {
            continue;
        }
        for k in 1..=rng.range(1, 2) {
            t.push(
                "indicator_results",
                vec![
                    ("result_code", format!("JG{year}-{n:03}-{k}")),
                    ("year", y.clone()),
                    ("indicator_code", indicator.clone()),
                    ("date", random_date(rng, year + 1)),
                    ("actual", format!("{}", rng.range(1, 120))),
                    ("evidence", if rng.chance(50) { "问卷调查表".into() } else { String::new() }),
                    ("deviation_reason", String::new()),
                    ("recorder", "赵六".into()),
                ],
            );
        }
    }
    controls(&mut t, year, faults, &lines, &procurements, eno, &asset_codes, &decision_codes);
    evaluation_targets(&mut t, year);
    monitoring_notes(&mut t, year, &projects, &indicator_codes);
    t
}

/// The records of schema version 15 (绩效监控记录), for some units, from their own generator so that the records
/// above stay as they were.
fn monitoring_notes(t: &mut Tables, year: i32, projects: &[String], indicators: &[String]) {
    let rows: usize = t.rows.values().map(Vec::len).sum();
    let rng = &mut Rng::new(rows as u64 * 7_919 + year as u64);
    if !rng.chance(40) {
        return;
    }
    let y = year.to_string();
    let subjects: Vec<(String, String)> = std::iter::once((String::new(), String::new()))
        .chain(projects.iter().filter(|_| rng.chance(70)).map(|p| (p.clone(), String::new())).collect::<Vec<_>>())
        .chain(indicators.iter().filter(|_| rng.chance(30)).map(|i| (String::new(), i.clone())).collect::<Vec<_>>())
        .collect();
    for (n, (project, indicator)) in subjects.into_iter().enumerate() {
        let funds = indicator.is_empty();
        let (month, day) = (rng.range(6, 9), rng.range(1, 28));
        let date = date_text(rng, year, month, day);
        t.push(
            "monitoring_notes",
            vec![
                ("monitor_code", format!("JK{year}-{n:03}")),
                ("year", y.clone()),
                ("date", date),
                ("project_code", project),
                ("indicator_code", indicator),
                ("deviation_reason", if rng.chance(60) { "政府采购程序未完成，资金尚未支付".into() } else { String::new() }),
                ("corrective_action", if rng.chance(60) { "加快采购进度，三季度末前完成支付".into() } else { String::new() }),
                ("expected_amount", if funds { format!("{}.00", rng.range(10_000, 500_000)) } else { String::new() }),
                ("expected_value", if funds { String::new() } else { rng.range(1, 100).to_string() }),
                ("likelihood", rng.pick(&["确定能", "有可能", "完全不可能", ""]).to_string()),
                ("recorder", "钱七".into()),
            ],
        );
    }
}

/// The records of schema version 13 (部门整体绩效目标, 上年决算摘要), for some units, from their own generator so
/// that the records above stay as they were.
fn evaluation_targets(t: &mut Tables, year: i32) {
    let rows: usize = t.rows.values().map(Vec::len).sum();
    let rng = &mut Rng::new(rows as u64 * 104_729 + year as u64);
    let y = year.to_string();
    if rng.chance(30) {
        t.push(
            "department_goals",
            vec![
                ("goal_code", format!("MB{year}")),
                ("year", y.clone()),
                ("goal", "履行职能职责，完成年度重点工作。".into()),
                ("outcome", String::new()),
                ("note", String::new()),
            ],
        );
        for k in 1..=rng.range(1, 3) {
            let (l1, l2, l3) = *rng.pick(INDICATOR_LEVELS);
            t.push(
                "department_indicators",
                vec![
                    ("indicator_code", format!("BM{year}-{k:02}")),
                    ("year", y.clone()),
                    ("level1", l1.into()),
                    ("level2", l2.into()),
                    ("level3", l3.into()),
                    ("direction", "≥".into()),
                    ("target", format!("{}万", rng.range(1, 5))),
                    ("actual", rng.pick(&["3万余", "近2万", "1.5万", "未达成"]).to_string()),
                    ("unit", "人次".into()),
                    ("is_key", if rng.chance(50) { "是" } else { "否" }.into()),
                    ("weight", String::new()),
                    ("evidence", String::new()),
                    ("deviation_reason", String::new()),
                ],
            );
        }
    }
    if rng.chance(30) {
        t.push(
            "prior_year_summaries",
            vec![
                ("source", format!("{}年度部门决算", year - 1)),
                ("year", y.clone()),
                ("basic_spending", format!("{}.00", rng.range(100_000, 900_000))),
                ("project_spending", format!("{}.00", rng.range(0, 500_000))),
                ("sangong_budget", if rng.chance(50) { format!("{}.00", rng.range(0, 50_000)) } else { String::new() }),
                ("sangong_travel_abroad", String::new()),
                ("sangong_reception", format!("{}.50", rng.range(0, 20_000))),
                ("sangong_vehicle_purchase", String::new()),
                ("sangong_vehicle_running", String::new()),
                ("carryover", format!("{}.00", rng.range(0, 200_000))),
                ("staff_count", rng.range(3, 40).to_string()),
                ("public_use", format!("{}.00", rng.range(10_000, 200_000))),
            ],
        );
    }
}

/// The records of schema version 5 (budget control, procurement evidence, 三重一大, approvals, asset lifecycle),
/// drawn from their own generator so that the records above stay as they were before version 5. Lines get
/// 预警控制 or 不控制 only: the faults above overdraw lines, which 刚性控制 would refuse at import.
#[allow(clippy::too_many_arguments)]
fn controls(
    t: &mut Tables,
    year: i32,
    faults: bool,
    lines: &[Line],
    procurements: &[(String, Option<String>, i64)],
    vouchers: usize,
    assets: &[String],
    decisions: &[String],
) {
    let rows: usize = t.rows.values().map(Vec::len).sum();
    let rng = &mut Rng::new(rows as u64 * 7_919 + year as u64);
    let y = year.to_string();
    // 财政拨款 lines are under 刚性控制 by default: a line that overspends (a fault) says 预警控制, and now and
    // then the first line has a setting of its own.
    for (i, line) in lines.iter().enumerate() {
        let setting = if line.over {
            Some(("warn", "预警控制"))
        } else if i == 0 && rng.chance(60) {
            Some(*rng.pick(&[("warn", "预警控制"), ("ignore", "不控制")]))
        } else {
            None
        };
        if let Some((mid, mlabel)) = setting {
            t.push(
                "line_controls",
                vec![
                    ("line_code", line.code.clone()),
                    ("year", y.clone()),
                    ("mode", spell(rng, mid, mlabel).into()),
                    ("tolerance_bp", if rng.chance(50) { rng.range(0, 500).to_string() } else { String::new() }),
                    ("note", String::new()),
                ],
            );
        }
    }
    for (i, line) in lines.iter().enumerate() {
        // A commitment fits in what the line has left (refused at entry otherwise).
        let room = line.annual() - line.spent;
        if !rng.chance(30) || (room < 100 && !line.over) {
            continue;
        }
        let code = format!("ZY{year}-{:02}", i + 1);
        let amount = if line.over { rng.range(100, 500_000) } else { rng.range(100, room.min(500_000)) };
        let (kid, klabel) = *rng.pick(&[("contract", "合同"), ("purchase_request", "采购申请")]);
        let reference = procurements.iter().find(|(_, p, _)| *p == line.project).map(|(c, _, _)| c.clone()).unwrap_or_default();
        let row = |no: &str, amount: i64, reverses: &str, kind: &str| {
            vec![
                ("commitment_no", no.to_string()),
                ("year", y.clone()),
                ("date", format!("{year}-06-01")),
                ("line_code", line.code.clone()),
                ("kind", kind.to_string()),
                ("amount", yuan(Fen(amount))),
                ("procurement_ref", reference.clone()),
                ("reverses", reverses.to_string()),
                ("recorded_by", String::new()),
                ("note", String::new()),
            ]
        };
        t.push("commitments", row(&code, amount, "", spell(rng, kid, klabel)));
        if rng.chance(30) {
            t.push("commitments", row(&format!("{code}-C"), -amount, &code, kid));
        }
    }
    if vouchers > 0 && rng.chance(40) {
        let line = lines.first().map(|l| l.code.clone()).unwrap_or_default();
        let no = format!("ZC{year}-00001");
        t.push(
            "control_overrides",
            vec![
                ("override_no", format!("CK-{no}")),
                ("year", y.clone()),
                ("date", format!("{year}-07-01")),
                ("voucher_no", no),
                ("line_code", line),
                ("shortfall", yuan(Fen(rng.range(1, 100_000)))),
                ("reason", "应急支出，经单位负责人同意".into()),
                ("approved_by", "王五".into()),
                ("role", "unit_admin".into()),
            ],
        );
    }
    for (code, _, contract) in procurements {
        for k in 1..=rng.range(0, 3) {
            t.push(
                "procurement_quotes",
                vec![
                    ("quote_code", format!("BJ-{code}-{k}")),
                    ("year", y.clone()),
                    ("procurement_ref", code.clone()),
                    ("supplier", format!("供应商{k}")),
                    ("amount", yuan(Fen(contract + k * 100))),
                    ("date", String::new()),
                ],
            );
        }
        if rng.chance(20) {
            t.push(
                "procurement_exceptions",
                vec![
                    ("exception_code", format!("PF-{code}")),
                    ("year", y.clone()),
                    ("procurement_ref", code.clone()),
                    ("approved_method", spell(rng, "single_source", "单一来源").into()),
                    ("document", "财采〔批〕1号".into()),
                    ("date", format!("{year}-03-01")),
                ],
            );
        }
        if let Some(d) = decisions.first().filter(|_| rng.chance(50)) {
            t.push(
                "decision_links",
                vec![
                    ("link_code", format!("GL-{code}")),
                    ("year", y.clone()),
                    ("decision_code", d.clone()),
                    ("record_kind", spell(rng, "procurements", "采购记录").into()),
                    ("record_key", code.clone()),
                ],
            );
        }
    }
    if rng.chance(50) {
        t.push(
            "major_decision_policies",
            vec![
                ("policy_code", format!("BF{year}")),
                ("year", y.clone()),
                ("threshold", yuan(Fen(rng.range(5_000_000, 50_000_000)))),
                ("document", "本单位三重一大实施办法".into()),
                ("adopted_on", format!("{}-12-01", year - 1)),
            ],
        );
    }
    if vouchers > 0 && rng.chance(50) {
        let approver = if faults && rng.chance(20) { "clerk" } else { "reviewer" };
        t.push(
            "voucher_approvals",
            vec![
                ("approval_code", format!("SH{year}-1")),
                ("year", y.clone()),
                ("voucher_no", format!("ZC{year}-00001")),
                ("entered_by", "clerk".into()),
                ("approved_by", approver.into()),
                ("date", format!("{year}-07-02")),
            ],
        );
    }
    if let Some(asset) = assets.first().filter(|_| rng.chance(40)) {
        let (kid, klabel) = *rng.pick(&[("transfer", "调拨"), ("disposal", "处置")]);
        t.push(
            "asset_events",
            vec![
                ("event_code", format!("BD{year}-1")),
                ("year", y.clone()),
                ("date", format!("{year}-10-01")),
                ("asset_code", asset.clone()),
                ("kind", spell(rng, kid, klabel).into()),
                ("counterparty", "报废".into()),
                ("approval_document", "财资〔批〕2号".into()),
                ("proceeds", String::new()),
                ("note", String::new()),
            ],
        );
    }
    if !assets.is_empty() && rng.chance(50) {
        for (i, asset) in assets.iter().enumerate() {
            t.push(
                "asset_counts",
                vec![
                    ("count_code", format!("PD{year}-{:02}", i + 1)),
                    ("year", y.clone()),
                    ("date", format!("{year}-12-20")),
                    ("asset_code", asset.clone()),
                    ("found", if faults && rng.chance(20) { "否" } else { "是" }.into()),
                    ("note", String::new()),
                ],
            );
        }
    }
}

/// One unit's imports, one per year.
fn unit_source(rng: &mut Rng, p: &Profile, id: &UnitIdentity, years: &[i32]) -> UnitSource {
    let duties = rng.range(if p.faults { 0 } else { 1 }, 4) as usize;
    let offices = rng.range(0, 2) as usize;
    let mut imports = Vec::new();
    for &year in years {
        let report_date = if p.faults && rng.chance(5) { None } else { Some(format!("{}-04-{:02}", year + 1, rng.range(1, 28))) };
        let tables = unit_year(rng, p, year);
        let mut files = vec![("unit.toml".to_string(), unit_toml(id, &[(year, report_date)], duties, offices))];
        files.extend(tables.into_files(rng));
        imports.push(ImportDir { files });
    }
    UnitSource { code: id.code.clone(), department_code: id.department_code.clone(), imports }
}

/// A scenario: a 财政局 (named by the seed) with 主管部门 and units, their books for 2020 (and for some, 2021).
pub fn scenario(seed: u64, p: &Profile) -> Scenario {
    let mut rng = Rng::new(seed);
    let bureau_code = format!("CZ{seed:05}");
    let bureau_name = format!("测试{seed}区财政局");
    let two_years = p.two_years && rng.chance(50);
    let years: Vec<i32> = if two_years { vec![2020, 2021] } else { vec![2020] };
    let mut units = Vec::new();
    let n_departments = rng.range(p.departments.0, p.departments.1);
    for d in 1..=n_departments {
        let department_name = format!("{}{d}", rng.pick(DEPARTMENTS));
        // Now and then a department's units carry no 主管部门编码: grouped by name.
        let department_code = if p.faults && rng.chance(10) { None } else { Some(format!("{bureau_code}-D{d:02}")) };
        for u in 1..=rng.range(p.units_per_department.0, p.units_per_department.1) {
            let id = UnitIdentity {
                code: format!("{bureau_code}-D{d:02}-U{u:03}"),
                name: format!("{department_name}{}{u}", rng.pick(UNIT_KINDS)),
                region: rng.pick(REGIONS).to_string(),
                department_code: department_code.clone(),
                department_name: department_name.clone(),
                bureau_code: bureau_code.clone(),
                bureau_name: bureau_name.clone(),
            };
            // A unit may lack one of the years (joined late, or not yet reported).
            let unit_years: Vec<i32> = if two_years && rng.chance(20) { vec![*rng.pick(&years)] } else { years.clone() };
            units.push(unit_source(&mut rng, p, &id, &unit_years));
        }
    }
    Scenario { seed, bureau_code, bureau_name, years, units }
}

/// `n` benchmark units under one 财政局 (10 主管部门), each with one year of clean books of about `vouchers`
/// money records. Unit `i` is the same whatever `n` is, so a load can be resumed or split.
pub fn bench_unit(i: usize, vouchers: i64, year: i32) -> UnitSource {
    clean_unit(Rng::new(0xBE7C_0000 + i as u64), "BENCH", "基准测试市财政局", i, vouchers, year)
}

/// Unit `i` of the dataset `jixiao gen --seed SEED` writes: clean books of about `vouchers` money records
/// (budget vouchers with adjustments, receipts, expenditures with reversals) under the 财政局 `GEN{seed}`.
/// The same (seed, i, vouchers, year) gives the same files, whatever the number of units.
pub fn generated_unit(seed: u64, i: usize, vouchers: i64, year: i32) -> UnitSource {
    // One stream per unit, distinct across seeds: the seed fills the high bits, the unit the low ones.
    let mut rng = Rng::new(seed);
    let base = rng.next_u64() & !0xFFFF_FFFF;
    clean_unit(Rng::new(base | i as u64), &format!("GEN{seed}"), &format!("生成{seed}区财政局"), i, vouchers, year)
}

/// How many money records unit `i` of `units` gets so that the units together carry `vouchers`.
pub fn vouchers_of_unit(i: usize, units: usize, vouchers: u64) -> i64 {
    let (each, rest) = (vouchers / units as u64, vouchers % units as u64);
    (each + u64::from((i as u64) < rest)) as i64
}

fn clean_unit(mut rng: Rng, bureau_code: &str, bureau_name: &str, i: usize, vouchers: i64, year: i32) -> UnitSource {
    let p = Profile::bench(vouchers);
    let d = i % 10 + 1;
    let department_name = format!("{}{d}", DEPARTMENTS[d % DEPARTMENTS.len()]);
    let id = UnitIdentity {
        code: format!("{bureau_code}-D{d:02}-U{i:05}"),
        name: format!("{department_name}{}{i}", UNIT_KINDS[i % UNIT_KINDS.len()]),
        region: "430102".into(),
        department_code: Some(format!("{bureau_code}-D{d:02}")),
        department_name,
        bureau_code: bureau_code.into(),
        bureau_name: bureau_name.into(),
    };
    unit_source(&mut rng, &p, &id, &[year])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_files_and_every_import_is_valid() {
        for seed in 0..40 {
            let a = scenario(seed, &Profile::small());
            let b = scenario(seed, &Profile::small());
            assert_eq!(a.units.iter().map(|u| &u.imports).collect::<Vec<_>>(), b.units.iter().map(|u| &u.imports).collect::<Vec<_>>());
            let tmp = tempfile::tempdir().unwrap();
            for u in &a.units {
                let mut existing = jixiao_core::RecordSet::default();
                let mut years = Vec::new();
                for (k, import) in u.imports.iter().enumerate() {
                    let dir = tmp.path().join(format!("{}-{k}", u.code));
                    import.write(&dir).unwrap();
                    let source = jixiao_import::read(&dir).unwrap_or_else(|e| panic!("seed {seed} {}: {e}", u.code));
                    // With budget control at entry: 财政拨款 lines are under 刚性控制 unless they say otherwise.
                    let (batch, _) = source
                        .validate_controlled(&existing, &years, None)
                        .unwrap_or_else(|e| panic!("seed {seed} {} import {k}: {e}", u.code));
                    for kind in record_kinds() {
                        for row in batch.records.rows(&kind.id) {
                            existing.push_row(&kind.id, row).unwrap();
                        }
                    }
                    years.extend(batch.years.clone());
                }
            }
        }
    }

    #[test]
    fn scenarios_cover_every_record_kind_voucher_kind_and_reversal() {
        let mut files = std::collections::BTreeSet::new();
        let mut text = String::new();
        for seed in 0..40 {
            for u in scenario(seed, &Profile::small()).units {
                for i in u.imports {
                    for (name, t) in i.files {
                        files.insert(name);
                        text.push_str(&t);
                    }
                }
            }
        }
        for kind in record_kinds() {
            assert!(files.contains(&kind.file), "{} never generated", kind.file);
        }
        for word in [
            "上年结转",
            "年初预算",
            "追加",
            "调减",
            "调剂",
            "收回",
            "结转下年",
            "事业收入",
            "经营收入",
            "上级补助收入",
            "其他收入",
            ",-",
            "ZC2020-",
            "SR2021-",
            "是",
            "否",
            "2019/",
            "年",
            "\"\"",
        ] {
            assert!(text.contains(word), "{word} never generated");
        }
    }

    #[test]
    fn bench_units_have_about_the_asked_number_of_vouchers() {
        let u = bench_unit(7, 1000, 2020);
        let money: usize = u.imports[0]
            .files
            .iter()
            .filter(|(n, _)| ["budget_vouchers.csv", "receipts.csv", "expenditures.csv"].contains(&n.as_str()))
            .map(|(_, t)| csv::Reader::from_reader(t.as_bytes()).records().count())
            .sum();
        assert!((900..=1150).contains(&money), "{money}");
    }
}
