//! `jixiao check`: the books check run before any report. Each rule is a function over one unit-year's books
//! returning findings; a finding names its rule, its severity, a Chinese message and the records involved.

use crate::assets;
use crate::books::{Books, ExpenditureTotals, LineBudget, VoucherFilter};
use crate::budget_control;
use crate::codes::CodeStatus;
use crate::date::Date;
use crate::finding::{Finding, RecordRef, Severity};
use crate::governance;
use crate::ledger::{Entry, Ledger};
use crate::money::Fen;
use crate::procurement;
use crate::records::*;
use crate::sections::report_sections;
use std::collections::BTreeMap;

fn finding(severity: Severity, rule_id: &'static str, message: String, records: Vec<RecordRef>) -> Finding {
    Finding { severity, rule_id, message, records }
}

type Rule = fn(&Books) -> Vec<Finding>;

/// Every rule, in the order findings are printed.
pub const RULES: &[(&str, Rule)] = &[
    ("CODE_TABLE_MISSING", code_table_missing),
    ("CODE_INVALID", code_invalid),
    ("CODE_NAME_MAPPED", code_name_mapped),
    ("BUDGET_STATED_MISMATCH", budget_stated_mismatch),
    ("LINE_OVERSPENT", line_overspent),
    ("OWN_FUNDS_BEYOND_PLAN", own_funds_beyond_plan),
    ("BUDGET_CONTROL_WARN", budget_control_warn),
    ("BUDGET_CONTROL_OVERRIDDEN", budget_control_overridden),
    ("RECEIPTS_UNRECONCILED", receipts_unreconciled),
    ("SPLIT_INCONSISTENT", split_inconsistent),
    ("SANGONG_SUMMARY", sangong_summary),
    ("DATE_OUTSIDE_YEAR", date_outside_year),
    ("REVERSAL_INVALID", reversal_invalid),
    ("REFERENCE_UNKNOWN", reference_unknown),
    ("PROCUREMENT_OVERPAID", procurement_overpaid),
    ("PROCUREMENT_TENDER_REQUIRED", procurement::tender_required),
    ("PROCUREMENT_SPLIT", procurement::split_purchases),
    ("PROCUREMENT_QUOTES_MISSING", procurement::quotes_missing),
    ("PROCUREMENT_CONTRACT_MISSING", procurement::contract_or_acceptance_missing),
    ("MAJOR_DECISION_MISSING", governance::major_decision_missing),
    ("SEGREGATION_OF_DUTIES", governance::segregation_of_duties),
    ("ASSET_DISPOSAL_UNAPPROVED", assets::disposal_unapproved),
    ("ASSET_COUNT_DIFFERENCE", assets::count_differences),
    ("PROJECT_TARGETS_MISSING", project_targets_missing),
    ("SECTION_DATA_MISSING", section_data_missing),
];

/// A rule's Chinese name (`data/check-rules.toml`), what a reader sees instead of its id.
pub fn rule_name(id: &str) -> Option<&'static str> {
    #[derive(serde::Deserialize)]
    struct Names {
        rule: Vec<Named>,
    }
    #[derive(serde::Deserialize)]
    struct Named {
        id: String,
        name: String,
    }
    static NAMES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let names: Names =
                toml::from_str(include_str!("../data/check-rules.toml")).expect("check-rules.toml is valid (checked by tests)");
            names.rule.into_iter().map(|r| (r.id, r.name)).collect()
        })
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, name)| name.as_str())
}

/// The expenditures the per-voucher rules read, each rule's filter named beside it. Books in summary form
/// keep only what these match (see [`VoucherFilter`]): a new rule that reads single expenditures adds its
/// filter here, or the summary would hide from it what it looks for (`books::summary_tests` would fail).
pub fn voucher_filters(b: &Books) -> Vec<VoucherFilter> {
    let mut filters = vec![
        // DATE_OUTSIDE_YEAR
        vouchers_dated_outside(b),
        // REFERENCE_UNKNOWN
        vouchers_on_unknown_lines(b),
        vouchers_of_unknown_procurements(b),
    ];
    // MAJOR_DECISION_MISSING: payments above the 三重一大 threshold, and their reversals (which take the
    // payment out of the rule).
    filters.extend(governance::major_decision_threshold(b).map(|(threshold, _)| VoucherFilter::AmountBeyond(threshold)));
    filters
}

impl Books {
    /// The books in summary form, as [`Books`] read from the store for reports: every record
    /// but the expenditures as they are; of the expenditures only those a [`VoucherFilter`] of the books check
    /// matches (plus the originals of matched reversals), and the line-month and procurement totals over all.
    /// Defined here, beside the filters it applies, so that `books` needs nothing of the check.
    pub fn summarize(&self) -> Books {
        let filters = voucher_filters(self);
        let expenditures = &self.records.expenditures;
        let notable: Vec<bool> = expenditures.iter().map(|e| filters.iter().any(|f| f.matches(e))).collect();
        let originals: std::collections::BTreeSet<&str> =
            expenditures.iter().zip(&notable).filter(|(_, n)| **n).filter_map(|(e, _)| e.reverses.as_deref()).collect();
        let mut records = self.records.clone();
        records.expenditures = expenditures
            .iter()
            .zip(&notable)
            .filter(|(e, n)| **n || originals.contains(e.voucher_no.as_str()))
            .map(|(e, _)| e.clone())
            .collect();
        let totals =
            ExpenditureTotals { by_line_month: self.month_totals().into_owned(), by_procurement: self.procurement_spending().into_owned() };
        Books { unit: self.unit.clone(), year: self.year.clone(), records, expenditure_totals: Some(totals) }
    }
}

fn vouchers_dated_outside(b: &Books) -> VoucherFilter {
    VoucherFilter::DatedOutside { year: b.year.year }
}

fn vouchers_on_unknown_lines(b: &Books) -> VoucherFilter {
    VoucherFilter::LineNotIn(b.records.appropriation_lines.iter().map(|l| l.line_code.clone()).collect())
}

fn vouchers_of_unknown_procurements(b: &Books) -> VoucherFilter {
    VoucherFilter::ProcurementNotIn(b.records.procurements.iter().map(|p| p.procurement_code.clone()).collect())
}

/// Runs every rule. Findings come sorted by severity (errors first), then in rule order.
pub fn check(books: &Books) -> Vec<Finding> {
    let mut all: Vec<Finding> = RULES.iter().flat_map(|(_, rule)| rule(books)).collect();
    all.sort_by_key(|f| f.severity);
    all
}

/// Whether any finding is an error (the books are not fit to report from).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

fn line_ref(l: &AppropriationLine) -> RecordRef {
    RecordRef::new("appropriation_lines", &l.line_code)
}

/// The command that loads a year's official 科目 table, as the messages name it.
pub fn codes_import_command(year: i32) -> String {
    format!("jixiao codes import 科目表.xlsx --year {year}")
}

fn code_table_missing(b: &Books) -> Vec<Finding> {
    match b.code_tables() {
        Some(t) if t.is_official() => {
            vec![finding(Severity::Info, "CODE_TABLE_MISSING", format!("核对科目所用：{}", t.edition_label()), vec![])]
        }
        Some(_) => vec![],
        None => vec![finding(
            Severity::Error,
            "CODE_TABLE_MISSING",
            format!(
                "没有{year}年度的政府收支分类科目表，无法核对科目（内置年度：{:?}）：请导出本年度预算管理一体化系统的科目表并运行 {}",
                crate::codes::CodeTables::years(),
                codes_import_command(b.year.year),
                year = b.year.year
            ),
            vec![],
        )],
    }
}

/// The findings of the code rules alone (what `jixiao import` prints after an import).
pub fn code_findings(b: &Books) -> Vec<Finding> {
    let mut out = code_table_missing(b);
    out.extend(code_invalid(b));
    out
}

/// Codes checked against the year's edition: a code that cannot be of the year (unknown 类, or missing from a
/// loaded official table) is an error at every record; a code of a known 类 that the embedded (incomplete)
/// edition does not list is one warning per distinct code, naming every record that carries it.
fn code_invalid(b: &Books) -> Vec<Finding> {
    let Some(t) = b.code_tables() else { return vec![] };
    let mut out = Vec::new();
    // (functional?, code) → the records carrying it and the name the import gave, if any.
    let mut unconfirmed: BTreeMap<(bool, String), (Vec<RecordRef>, Option<String>)> = BTreeMap::new();
    let mut note = |functional: bool, code: &str, record: RecordRef, reported: Option<&str>| {
        let entry = unconfirmed.entry((functional, code.to_string())).or_default();
        entry.0.push(record);
        if entry.1.is_none() {
            entry.1 = reported.map(str::to_string);
        }
    };
    let invalid = |what: &str, code: &str, level: &str, suggestions: Vec<String>| {
        let class = code.get(..3).unwrap_or(code);
        let class_exists = if what == "功能科目" { t.function(class).is_some() } else { t.economic(class).is_some() };
        let reason = if t.is_official() {
            format!("不在已导入的{}中", t.edition_label())
        } else if class_exists {
            format!("应为{level}编码")
        } else {
            format!("其类 {class} 在{}年度不存在", t.year)
        };
        format!("{what} {code} 不是{}年度有效的{level}科目（{reason}）；相近的有：{}", t.year, suggestions.join("、"))
    };
    for l in &b.records.appropriation_lines {
        match t.function_status(&l.function_code) {
            CodeStatus::Known => {}
            CodeStatus::Unconfirmed => note(true, &l.function_code, line_ref(l), l.reported_name.as_deref()),
            CodeStatus::Invalid => out.push(finding(
                Severity::Error,
                "CODE_INVALID",
                format!("指标「{}」的{}", l.line_code, invalid("功能科目", &l.function_code, "项级", t.suggest_function(&l.function_code))),
                vec![line_ref(l)],
            )),
        }
        match t.economic_status(&l.economic_code) {
            CodeStatus::Known => {}
            CodeStatus::Unconfirmed => note(false, &l.economic_code, line_ref(l), None),
            CodeStatus::Invalid => out.push(finding(
                Severity::Error,
                "CODE_INVALID",
                format!("指标「{}」的{}", l.line_code, invalid("经济科目", &l.economic_code, "款级", t.suggest_economic(&l.economic_code))),
                vec![line_ref(l)],
            )),
        }
    }
    for r in &b.records.receipts {
        let record = RecordRef::new("receipts", &r.voucher_no);
        match t.function_status(&r.function_code) {
            CodeStatus::Known => {}
            CodeStatus::Unconfirmed => note(true, &r.function_code, record, None),
            CodeStatus::Invalid => out.push(finding(
                Severity::Error,
                "CODE_INVALID",
                format!(
                    "收入「{}」的{}",
                    r.voucher_no,
                    invalid("功能科目", &r.function_code, "项级", t.suggest_function(&r.function_code))
                ),
                vec![record],
            )),
        }
    }
    for ((functional, code), (records, reported)) in unconfirmed {
        let (what, mut nearest) =
            if functional { ("功能科目", t.suggest_function(&code)) } else { ("经济科目", t.suggest_economic(&code)) };
        // Codes of other 类 are no help in choosing this one.
        nearest.retain(|n| n.starts_with(&code[..3]));
        let class = if functional { t.function_class_name(&code) } else { t.economic(&code[..3]).map(|e| e.name.as_str()) };
        let name = match reported {
            Some(n) => format!("原报科目名称「{n}」"),
            None => "科目名称缺失（可在预算指标的「原报科目名称」列填写）".to_string(),
        };
        out.push(finding(
            Severity::Warning,
            "CODE_UNCONFIRMED",
            format!(
                "{what} {code}（{}，{name}）未能核对：请导入本年度官方科目表。{year} 年度内置科目表（依公开资料整理，不完整）未列出此科目；相近的已知科目：{}；导入官方科目表：{}",
                class.unwrap_or_default(),
                if nearest.is_empty() { format!("无（内置科目表未列出 {} 类的款、项）", &code[..3]) } else { nearest.join("、") },
                codes_import_command(t.year),
                year = t.year
            ),
            records,
        ));
    }
    out
}

/// A line that an earlier hand-written report named differently: say which official code it maps to.
fn code_name_mapped(b: &Books) -> Vec<Finding> {
    let Some(t) = b.code_tables() else { return vec![] };
    b.records
        .appropriation_lines
        .iter()
        .filter_map(|l| {
            let reported = l.reported_name.as_deref()?;
            let official = t.function(&l.function_code)?;
            (reported != official.name).then(|| {
                finding(
                    Severity::Info,
                    "CODE_NAME_MAPPED",
                    format!(
                        "指标「{}」原报科目名称「{}」不是规范名称，已按科目 {} {}（{}）列示",
                        l.line_code,
                        reported,
                        official.code,
                        official.name,
                        t.function_path(&official.code).unwrap_or_default()
                    ),
                    vec![line_ref(l)],
                )
            })
        })
        .collect()
}

fn budget_stated_mismatch(b: &Books) -> Vec<Finding> {
    b.records
        .appropriation_lines
        .iter()
        .filter_map(|l| {
            let stated = l.stated_annual_budget?;
            let budget: LineBudget = b.line_budget(&l.line_code);
            (budget.annual() != stated).then(|| {
                finding(
                    Severity::Error,
                    "BUDGET_STATED_MISMATCH",
                    format!(
                        "指标「{}」上年结转 {} + 年初预算 {} + 调整 {} = {} 元，与填报的全年预算数 {} 元不符",
                        l.line_code,
                        budget.carry_over,
                        budget.initial,
                        budget.adjustments,
                        budget.annual(),
                        stated
                    ),
                    vec![line_ref(l)],
                )
            })
        })
        .collect()
}

/// A 财政拨款 line that paid out more than its 全年预算数: money that was never appropriated.
fn line_overspent(b: &Books) -> Vec<Finding> {
    b.records
        .appropriation_lines
        .iter()
        .filter(|l| l.fund_source.is_fiscal())
        .filter_map(|l| {
            let annual = b.line_budget(&l.line_code).annual();
            let spent = b.line_spending(&l.line_code);
            (spent > annual).then(|| {
                let records = vec![line_ref(l), RecordRef::new("expenditures_by_line", &l.line_code)];
                finding(
                    Severity::Error,
                    "LINE_OVERSPENT",
                    format!("指标「{}」支出 {} 元超过全年预算数 {} 元，超支 {} 元", l.line_code, spent, annual, spent - annual),
                    records,
                )
            })
        })
        .collect()
}

/// An own-fund line (其他资金: 事业收入, 经营收入 …) that paid out more than its plan, or that has no plan: the
/// unit's own money is spent as it comes in, so this is a warning to review the plan, never an overspend.
fn own_funds_beyond_plan(b: &Books) -> Vec<Finding> {
    b.records
        .appropriation_lines
        .iter()
        .filter(|l| !l.fund_source.is_fiscal())
        .filter_map(|l| {
            let plan = b.line_budget(&l.line_code).annual();
            let spent = b.line_spending(&l.line_code);
            (spent > plan).then(|| {
                let records = vec![line_ref(l), RecordRef::new("expenditures_by_line", &l.line_code)];
                let message = if plan.is_zero() && !b.records.budget_vouchers.iter().any(|v| v.line_code == l.line_code) {
                    format!(
                        "其他资金指标「{}」（{}）未编列计划数，本年支出 {} 元；如有单位资金预算，请补录「年初预算」指标变动",
                        l.line_code,
                        l.fund_source.label(),
                        spent
                    )
                } else {
                    format!(
                        "其他资金指标「{}」（{}）支出 {} 元，超出计划数 {} 元 {} 元；请核对单位资金预算或补录「追加」指标变动",
                        l.line_code,
                        l.fund_source.label(),
                        spent,
                        plan,
                        spent - plan
                    )
                };
                finding(Severity::Warning, "OWN_FUNDS_BEYOND_PLAN", message, records)
            })
        })
        .collect()
}

/// A controlled line (预警 or 刚性控制) whose commitments and spending together pass its 全年预算数 by more than
/// the tolerance: what 预警控制 accepted at entry, or what a later 调减 left overdrawn.
fn budget_control_warn(b: &Books) -> Vec<Finding> {
    b.records
        .appropriation_lines
        .iter()
        .filter_map(|l| {
            let control = budget_control::line_control(&b.unit, &b.records, b.year.year, &l.line_code);
            let p = budget_control::line_position(b, &l.line_code);
            let over = -p.available().0 - control.tolerance(p.annual).0;
            (control.mode != ControlMode::Ignore && over > 0).then(|| {
                let mut records = vec![line_ref(l)];
                records.extend(
                    b.records
                        .commitments
                        .iter()
                        .filter(|c| c.line_code == l.line_code)
                        .map(|c| RecordRef::new("commitments", &c.commitment_no)),
                );
                finding(
                    Severity::Warning,
                    "BUDGET_CONTROL_WARN",
                    format!(
                        "指标「{}」（{}）全年预算 {} 元，已占用 {} 元、已支出 {} 元，超出可用额度 {} 元",
                        l.line_code,
                        control.mode.label(),
                        p.annual,
                        p.committed,
                        p.spent,
                        Fen(over)
                    ),
                    records,
                )
            })
        })
        .collect()
}

/// Every voucher passed over 刚性控制, with who passed it and why: the evidence a reviewer reads.
fn budget_control_overridden(b: &Books) -> Vec<Finding> {
    b.records
        .control_overrides
        .iter()
        .map(|o| {
            finding(
                Severity::Info,
                "BUDGET_CONTROL_OVERRIDDEN",
                format!(
                    "凭证「{}」超出指标「{}」可用余额 {} 元，由 {}（{}）超控登记，理由：{}",
                    o.voucher_no, o.line_code, o.shortfall, o.approved_by, o.role, o.reason
                ),
                vec![RecordRef::new("control_overrides", &o.override_no), RecordRef::new("appropriation_lines", &o.line_code)],
            )
        })
        .collect()
}

/// Per 财政拨款 source, what the lines were newly given this year (全年预算数 less 上年结转) must be accounted
/// for: received (收入凭证), or settled at year end by a 收回 or 结转下年 voucher. More received and settled
/// than was given cannot hold (an error); less is an appropriation not disbursed at year end, a normal case
/// that a 收回 or 结转下年 voucher settles (a warning naming the lines that still hold a balance).
/// Own funds are received as they are earned and need not match a plan.
fn receipts_unreconciled(b: &Books) -> Vec<Finding> {
    #[derive(Default)]
    struct Source<'a> {
        given: Fen,
        received: Fen,
        settled: Fen,
        /// Lines with what is left on them after spending and settlement.
        open_lines: Vec<(&'a AppropriationLine, Fen)>,
    }
    let mut sources: BTreeMap<FundSource, Source> = BTreeMap::new();
    let spending = b.spending_by_line();
    for l in b.records.appropriation_lines.iter().filter(|l| l.fund_source.is_fiscal()) {
        let budget = b.line_budget(&l.line_code);
        let settled: Fen = b
            .records
            .budget_vouchers
            .iter()
            .filter(|v| v.line_code == l.line_code && v.kind.is_year_end_settlement())
            .map(|v| v.effect())
            .sum();
        let s = sources.entry(l.fund_source).or_default();
        s.given += budget.annual() - budget.carry_over;
        s.settled += settled;
        let left = budget.annual() - spending.get(&l.line_code).map_or(Fen::ZERO, |x| x.amount) - settled;
        if left > Fen::ZERO {
            s.open_lines.push((l, left));
        }
    }
    for r in b.records.receipts.iter().filter(|r| r.fund_source.is_fiscal()) {
        sources.entry(r.fund_source).or_default().received += r.amount;
    }
    let receipt_refs = |s: FundSource| -> Vec<RecordRef> {
        b.records.receipts.iter().filter(|x| x.fund_source == s).map(|x| RecordRef::new("receipts", &x.voucher_no)).collect()
    };
    let mut out = Vec::new();
    for (source, s) in sources {
        let open = s.given - s.received - s.settled;
        if open < Fen::ZERO {
            let settled =
                if s.settled.is_zero() { String::new() } else { format!("与年末收回、结转下年 {} 元合计", s.settled) };
            out.push(finding(
                Severity::Error,
                "RECEIPTS_UNRECONCILED",
                format!(
                    "资金来源「{}」本年收入 {} 元{settled}超过本年下达的预算指标（全年预算数减上年结转）{} 元，差额 {} 元：请核对收入凭证的资金来源和金额",
                    source.label(),
                    s.received,
                    s.given,
                    -open
                ),
                receipt_refs(source),
            ));
        } else if open > Fen::ZERO {
            let lines: Vec<String> = s.open_lines.iter().map(|(l, left)| format!("「{}」（余额 {} 元）", l.line_code, left)).collect();
            let mut records: Vec<RecordRef> = s.open_lines.iter().map(|(l, _)| line_ref(l)).collect();
            records.extend(receipt_refs(source));
            out.push(finding(
                Severity::Warning,
                "RECEIPTS_UNRECONCILED",
                format!(
                    "资金来源「{}」本年下达预算指标 {} 元，已收到 {} 元{}，尚有 {} 元年末未拨付也未处理：请为指标{}补录变动类型为「收回」（财政收回）或「结转下年」（留待下年使用）的指标变动凭证，金额合计 {} 元",
                    source.label(),
                    s.given,
                    s.received,
                    if s.settled.is_zero() { String::new() } else { format!("、年末收回或结转下年 {} 元", s.settled) },
                    open,
                    if lines.is_empty() { "（无余额的指标）".to_string() } else { lines.join("、") },
                    open
                ),
                records,
            ));
        }
    }
    out
}

fn split_inconsistent(b: &Books) -> Vec<Finding> {
    let mut out = Vec::new();
    for l in &b.records.appropriation_lines {
        let problem = match (l.spending_kind, &l.project_code) {
            (SpendingKind::Basic, Some(p)) => Some(format!("基本支出指标「{}」不应挂项目「{}」", l.line_code, p)),
            (SpendingKind::Project, None) => Some(format!("项目支出指标「{}」未填项目编码", l.line_code)),
            (SpendingKind::Project, Some(p)) if b.project(p).is_none() => {
                Some(format!("项目支出指标「{}」的项目「{}」不在项目表中", l.line_code, p))
            }
            (SpendingKind::Basic, None) if b.code_tables().is_some() && b.expense_group(l).is_none() => Some(format!(
                "基本支出指标「{}」的经济科目 {} 既非人员经费（301、303）也非公用经费（302、310）",
                l.line_code, l.economic_code
            )),
            _ => None,
        };
        if let Some(message) = problem {
            out.push(finding(Severity::Error, "SPLIT_INCONSISTENT", message, vec![line_ref(l)]));
        }
    }
    out
}

/// 三公经费 are computed from economic codes, never typed: state the figure and where it came from.
fn sangong_summary(b: &Books) -> Vec<Finding> {
    let lines: Vec<&AppropriationLine> = b.lines_where(|l| b.sangong_kind(l).is_some()).collect();
    let spent: Fen = lines.iter().map(|l| b.line_spending(&l.line_code)).sum();
    let budget: Fen = lines.iter().map(|l| b.line_budget(&l.line_code).annual()).sum();
    let mut out = vec![finding(
        Severity::Info,
        "SANGONG_SUMMARY",
        format!("按经济科目（30212、30217、30231、31013）计算，三公经费预算 {} 元，支出 {} 元", budget, spent),
        lines.iter().map(|l| line_ref(l)).collect(),
    )];
    for l in lines.iter().filter(|l| l.spending_kind == SpendingKind::Project) {
        out.push(finding(
            Severity::Warning,
            "SANGONG_SUMMARY",
            format!("项目支出指标「{}」使用三公经费科目 {}，三公经费一般应在基本支出中列支", l.line_code, l.economic_code),
            vec![line_ref(l)],
        ));
    }
    out
}

fn date_outside_year(b: &Books) -> Vec<Finding> {
    let year = b.year.year;
    let outside = |d: &Date| d.year != year;
    let mut out = Vec::new();
    let mut flag = |kind: &'static str, key: &str, d: &Date, what: &str| {
        out.push(finding(
            Severity::Error,
            "DATE_OUTSIDE_YEAR",
            format!("{what}「{key}」日期 {d} 不在 {year} 年度内"),
            vec![RecordRef::new(kind, key)],
        ));
    };
    let dated_outside = vouchers_dated_outside(b);
    for e in b.records.expenditures.iter().filter(|e| dated_outside.matches(e)) {
        flag("expenditures", &e.voucher_no, &e.date, "支出凭证");
    }
    for r in b.records.receipts.iter().filter(|r| outside(&r.date)) {
        flag("receipts", &r.voucher_no, &r.date, "收入凭证");
    }
    // 年初预算 is often approved in the prior December; anything else must fall in the year.
    for v in
        b.records.budget_vouchers.iter().filter(|v| outside(&v.date) && !(v.kind != BudgetVoucherKind::Addition && v.date.year == year - 1))
    {
        flag("budget_vouchers", &v.voucher_no, &v.date, "指标变动凭证");
    }
    out
}

fn reversal_invalid(b: &Books) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut run = |kind: &'static str, allow_negative: bool, entries: Vec<Entry>| {
        let mut ledger = Ledger::new(allow_negative);
        for e in entries {
            let key = e.key.clone();
            if let Err(err) = ledger.post(e) {
                out.push(finding(
                    Severity::Error,
                    "REVERSAL_INVALID",
                    format!("「{key}」：{err}（{}）", err.rule_id()),
                    vec![RecordRef::new(kind, key)],
                ));
            }
        }
    };
    run(
        "expenditures",
        false,
        b.records
            .expenditures
            .iter()
            .map(|e| Entry { key: e.voucher_no.clone(), line: e.line_code.clone(), amount: e.amount, reverses: e.reverses.clone() })
            .collect(),
    );
    run(
        "receipts",
        false,
        b.records
            .receipts
            .iter()
            .map(|r| Entry {
                key: r.voucher_no.clone(),
                line: format!("{}/{}", r.fund_source.id(), r.function_code),
                amount: r.amount,
                reverses: r.reverses.clone(),
            })
            .collect(),
    );
    run(
        "budget_vouchers",
        true,
        b.records
            .budget_vouchers
            .iter()
            .map(|v| Entry { key: v.voucher_no.clone(), line: v.line_code.clone(), amount: v.amount, reverses: v.reverses.clone() })
            .collect(),
    );
    out
}

fn reference_unknown(b: &Books) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut missing = |kind: &'static str, key: &str, what: &str, target: &str| {
        out.push(finding(
            Severity::Error,
            "REFERENCE_UNKNOWN",
            format!("「{key}」引用的{what}「{target}」不存在"),
            vec![RecordRef::new(kind, key)],
        ));
    };
    for v in &b.records.budget_vouchers {
        if b.line(&v.line_code).is_none() {
            missing("budget_vouchers", &v.voucher_no, "预算指标", &v.line_code);
        }
    }
    let (unknown_line, unknown_procurement) = (vouchers_on_unknown_lines(b), vouchers_of_unknown_procurements(b));
    for e in &b.records.expenditures {
        if unknown_line.matches(e) {
            missing("expenditures", &e.voucher_no, "预算指标", &e.line_code);
        }
        if let Some(p) = e.procurement_ref.as_ref().filter(|_| unknown_procurement.matches(e)) {
            missing("expenditures", &e.voucher_no, "采购记录", p);
        }
    }
    for i in &b.records.project_indicators {
        if b.project(&i.project_code).is_none() {
            missing("project_indicators", &i.indicator_code, "项目", &i.project_code);
        }
    }
    // A 指标完成登记 or a 绩效监控记录 may name a project's or the department's indicator.
    let indicator_known = |code: &str| {
        b.records.project_indicators.iter().any(|i| i.indicator_code == code)
            || b.records.department_indicators.iter().any(|i| i.indicator_code == code)
    };
    for r in &b.records.indicator_results {
        if !indicator_known(&r.indicator_code) {
            missing("indicator_results", &r.result_code, "绩效指标", &r.indicator_code);
        }
    }
    for n in &b.records.monitoring_notes {
        if let Some(p) = n.project_code.as_deref().filter(|p| !p.is_empty())
            && b.project(p).is_none()
        {
            missing("monitoring_notes", &n.monitor_code, "项目", p);
        }
        if let Some(i) = n.indicator_code.as_deref().filter(|i| !i.is_empty())
            && !indicator_known(i)
        {
            missing("monitoring_notes", &n.monitor_code, "绩效指标", i);
        }
    }
    for (kind, key, project) in b
        .records
        .activity_outputs
        .iter()
        .map(|a| ("activity_outputs", &a.output_code, &a.project_code))
        .chain(b.records.procurements.iter().map(|p| ("procurements", &p.procurement_code, &p.project_code)))
    {
        if let Some(p) = project
            && b.project(p).is_none()
        {
            missing(kind, key, "项目", p);
        }
    }
    out
}

fn procurement_overpaid(b: &Books) -> Vec<Finding> {
    let payments = b.procurement_spending();
    b.records
        .procurements
        .iter()
        .filter_map(|p| {
            let paid: Fen = payments.iter().filter(|((_, _, code), _)| *code == p.procurement_code).map(|(_, s)| s.amount).sum();
            (paid > p.contract_amount).then(|| {
                let records = vec![
                    RecordRef::new("procurements", &p.procurement_code),
                    RecordRef::new("expenditures_by_procurement", &p.procurement_code),
                ];
                finding(
                    Severity::Warning,
                    "PROCUREMENT_OVERPAID",
                    format!("采购「{}」已付 {} 元，超过合同金额 {} 元", p.procurement_code, paid, p.contract_amount),
                    records,
                )
            })
        })
        .collect()
}

fn project_targets_missing(b: &Books) -> Vec<Finding> {
    let mut out = Vec::new();
    let all = b.project_indicators();
    for p in &b.records.projects {
        let indicators: Vec<&ProjectIndicator> = all.iter().filter(|i| i.project_code == p.project_code).collect();
        if indicators.is_empty() {
            out.push(finding(
                Severity::Error,
                "PROJECT_TARGETS_MISSING",
                format!("项目「{}」{}没有绩效指标（年度指标值）", p.project_code, p.name),
                vec![RecordRef::new("projects", &p.project_code)],
            ));
        }
        for i in indicators.iter().filter(|i| i.actual.as_deref().is_none_or(|a| a.trim().is_empty())) {
            out.push(finding(
                Severity::Warning,
                "PROJECT_TARGETS_MISSING",
                format!("项目「{}」的绩效指标「{}」没有实际完成值", p.project_code, i.level3),
                vec![RecordRef::new("project_indicators", &i.indicator_code)],
            ));
        }
    }
    out
}

/// Every report section has what it is computed or written from.
fn section_data_missing(b: &Books) -> Vec<Finding> {
    let mut missing: Vec<(String, &'static str)> = Vec::new();
    if b.unit.duties.is_empty() {
        missing.push(("一、部门基本情况：职能职责".into(), "unit"));
    }
    if b.records.staffing.is_empty() {
        missing.push(("一、部门基本情况：编制数与实有人数".into(), "staffing"));
    }
    if b.records.receipts.is_empty() {
        missing.push(("一、部门基本情况：本年收入".into(), "receipts"));
    }
    if b.records.appropriation_lines.is_empty() || b.records.budget_vouchers.is_empty() {
        missing.push(("二、部门整体支出管理及使用情况：预算指标".into(), "budget_vouchers"));
    }
    if b.spending_total().expenditures == 0 {
        missing.push(("二、部门整体支出管理及使用情况：支出凭证".into(), "expenditures"));
    }
    if b.records.activity_outputs.is_empty() {
        missing.push(("五、部门整体支出绩效情况：活动产出".into(), "activity_outputs"));
    }
    if b.year.report_date.is_none() {
        missing.push(("落款：报告日期".into(), "unit"));
    }
    let mut findings: Vec<Finding> = missing
        .into_iter()
        .map(|(what, kind)| finding(Severity::Warning, "SECTION_DATA_MISSING", format!("缺少数据：{what}"), vec![RecordRef::new(kind, "")]))
        .collect();
    // A section is named as the report numbers it; its id (the 报告文字 record's 章节) is the record reference.
    for s in report_sections().iter().filter(|s| s.required && b.narrative(&s.id).is_none()) {
        findings.push(finding(
            Severity::Warning,
            "SECTION_DATA_MISSING",
            format!("缺少数据：报告文字「{}」", s.heading),
            vec![RecordRef::new("narratives", &s.id)],
        ));
    }
    findings
}

#[cfg(test)]
mod tests;
