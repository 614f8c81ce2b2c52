//! The nine tables of the 部门决算公开 set, in the order and with the columns of the official set.

use super::{AccountTable, FinalAccounts, HeaderCell, Value, add_at, chinese_ordinal, economic_name, function_rows, h, h_span, money_row};
use crate::Fen;
use crate::balance::fund_balances;
use crate::books::Books;
use crate::codes::{ExpenseGroup, SanGongKind};
use crate::disclosure::accounts_edition;
use crate::records::{AppropriationLine, FundSource, IncomeKind, SpendingKind};
use std::collections::BTreeMap;

/// The tables of the year's edition (core `disclosure`, `data/final-accounts-editions.toml`) for one
/// unit-year, coded 公开01表 … in the edition's order and titled as it titles them.
pub fn final_accounts(books: &Books) -> FinalAccounts {
    let year = books.year.year;
    let tables = accounts_edition(year)
        .tables
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut table = match spec.id.as_str() {
                "income_expenditure_summary" => income_expenditure_summary(books),
                "income" => income(books),
                "expenditure" => expenditure(books),
                "fiscal_summary" => fiscal_summary(books),
                "general_budget_expenditure" => general_budget_expenditure(books),
                "general_budget_basic_detail" => general_budget_basic_detail(books),
                "sangong_general_budget" => sangong(books, |s| s == FundSource::GeneralBudget, "一般公共预算财政拨款“三公”经费预算和支出"),
                "sangong_fiscal" => sangong(books, FundSource::is_fiscal, "财政拨款“三公”经费预算和支出"),
                "government_fund" => government_fund(books),
                "state_capital" => state_capital(books),
                other => panic!("final-accounts-editions.toml: unknown table {other}"),
            };
            table.code = format!("公开{:02}表", i + 1);
            table.name = spec.name.clone();
            table
        })
        .collect();
    FinalAccounts { unit_name: books.unit.name.clone(), year, tables }
}

/// What each line paid out (reversals included), with the line, in the books' line order.
fn paid(books: &Books) -> Vec<(Fen, &AppropriationLine)> {
    let spending = books.spending_by_line();
    books.records.appropriation_lines.iter().filter_map(|l| spending.get(&l.line_code).map(|s| (s.amount, l))).collect()
}

fn empty_note(books: &Books, what: &str) -> Option<String> {
    Some(format!("本单位{}年度无{what}，此表为空。", books.year.year))
}

/// A table laid out by 科目编码: empty (with its note) when no 项 has an amount.
fn by_function(
    code: &str,
    name: &str,
    header: Vec<Vec<HeaderCell>>,
    books: &Books,
    items: BTreeMap<String, Vec<Fen>>,
    columns: usize,
    nothing: &str,
) -> AccountTable {
    let (rows, empty_note) =
        if items.is_empty() { (vec![], empty_note(books, nothing)) } else { (function_rows(books, &items, columns), None) };
    AccountTable { code: code.into(), name: name.into(), header, rows, empty_note }
}

/// Two tables side by side (收入 | 支出): item rows padded to the same length, then the summary rows in pairs,
/// as the official 总表 align 本年收入合计 with 本年支出合计 and 总计 with 总计.
fn side_by_side(
    left: Vec<Vec<Value>>,
    left_width: usize,
    right: Vec<Vec<Value>>,
    right_width: usize,
    summary: Vec<(Vec<Value>, Vec<Value>)>,
) -> Vec<Vec<Value>> {
    let pad = |row: Option<Vec<Value>>, width: usize| row.unwrap_or_else(|| vec![Value::Blank; width]);
    let n = left.len().max(right.len());
    let (mut left, mut right) = (left.into_iter(), right.into_iter());
    let mut rows: Vec<Vec<Value>> = (0..n).map(|_| [pad(left.next(), left_width), pad(right.next(), right_width)].concat()).collect();
    rows.extend(
        summary.into_iter().map(|(l, r)| {
            [pad(Some(l).filter(|l| !l.is_empty()), left_width), pad(Some(r).filter(|r| !r.is_empty()), right_width)].concat()
        }),
    );
    rows
}

/// Spending by 功能分类 类 as 一、二、… rows with `columns` amounts, from the expenditures `keep` selects.
fn class_rows(books: &Books, columns: usize, amounts: impl Fn(Fen, &AppropriationLine) -> Option<Vec<Fen>>) -> (Vec<Vec<Value>>, Vec<Fen>) {
    let mut by_class: BTreeMap<String, Vec<Fen>> = BTreeMap::new();
    let mut total = vec![Fen::ZERO; columns];
    for (amount, l) in paid(books) {
        if let Some(a) = amounts(amount, l) {
            let entry = by_class.entry(l.function_code.chars().take(3).collect()).or_insert_with(|| vec![Fen::ZERO; columns]);
            entry.iter_mut().zip(&a).for_each(|(t, x)| *t += *x);
            total.iter_mut().zip(&a).for_each(|(t, x)| *t += *x);
        }
    }
    let rows = by_class
        .iter()
        .enumerate()
        .map(|(i, (code, a))| money_row([Value::text(format!("{}、{}", chinese_ordinal(i + 1), books.function_name(code)))], a))
        .collect();
    (rows, total)
}

/// 公开01表 收入支出决算总表.
fn income_expenditure_summary(books: &Books) -> AccountTable {
    // The 收支 identity by fund source (core `balance`); 财政专户管理资金 is reported under 事业收入.
    let balances = fund_balances(books);
    let of_kind = |kind: IncomeKind| -> Fen { balances.sum_where(|s, _| !s.is_fiscal() && s.income_kind() == kind).income };
    let income = [
        ("一、一般公共预算财政拨款收入", balances.of(FundSource::GeneralBudget).income),
        ("二、政府性基金预算财政拨款收入", balances.of(FundSource::GovernmentFund).income),
        ("三、国有资本经营预算财政拨款收入", balances.of(FundSource::StateCapital).income),
        ("四、上级补助收入", of_kind(IncomeKind::SuperiorSubsidy)),
        ("五、事业收入", of_kind(IncomeKind::ServiceRevenue)),
        ("六、经营收入", of_kind(IncomeKind::OperatingRevenue)),
        ("七、附属单位上缴收入", of_kind(IncomeKind::AffiliateRemittance)),
        ("八、其他收入", of_kind(IncomeKind::Other)),
    ];
    let total = balances.total();
    let grand_total = total.income + total.opening;
    let (spending, _) = class_rows(books, 1, |amount, _| Some(vec![amount]));
    let pair = |label: &str, amount: Fen| vec![Value::text(label), Value::Money(amount)];
    let rows = side_by_side(
        income.iter().map(|(label, a)| pair(label, *a)).collect(),
        2,
        spending,
        2,
        vec![
            (pair("本年收入合计", total.income), pair("本年支出合计", total.spending)),
            (pair("使用非财政拨款结余", Fen::ZERO), pair("结余分配", total.returned)),
            (pair("年初结转和结余", total.opening), pair("年末结转和结余", total.closing())),
            (pair("总计", grand_total), pair("总计", grand_total)),
        ],
    );
    AccountTable {
        code: "公开01表".into(),
        name: "收入支出决算总表".into(),
        header: vec![vec![h_span("收入", 2, 1), h_span("支出", 2, 1)], vec![h("项目"), h("金额"), h("项目"), h("金额")]],
        rows,
        empty_note: None,
    }
}

/// 公开02表 收入决算表.
fn income(books: &Books) -> AccountTable {
    const COLUMNS: usize = 7;
    let mut items = BTreeMap::new();
    for r in &books.records.receipts {
        let col = match r.fund_source.income_kind() {
            IncomeKind::FiscalAppropriation => 1,
            IncomeKind::SuperiorSubsidy => 2,
            IncomeKind::ServiceRevenue => 3,
            IncomeKind::OperatingRevenue => 4,
            IncomeKind::AffiliateRemittance => 5,
            IncomeKind::Other => 6,
        };
        add_at(&mut items, &r.function_code, COLUMNS, 0, r.amount);
        add_at(&mut items, &r.function_code, COLUMNS, col, r.amount);
    }
    let header = vec![
        ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
            .map(h)
            .to_vec(),
    ];
    by_function("公开02表", "收入决算表", header, books, items, COLUMNS, "收入")
}

/// 公开03表 支出决算表.
fn expenditure(books: &Books) -> AccountTable {
    const COLUMNS: usize = 6;
    let mut items = BTreeMap::new();
    for (amount, l) in paid(books) {
        add_at(&mut items, &l.function_code, COLUMNS, 0, amount);
        add_at(&mut items, &l.function_code, COLUMNS, if l.spending_kind == SpendingKind::Basic { 1 } else { 2 }, amount);
    }
    let header = vec![
        ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"].map(h).to_vec(),
    ];
    by_function("公开03表", "支出决算表", header, books, items, COLUMNS, "支出")
}

const FISCAL_SOURCES: [FundSource; 3] = [FundSource::GeneralBudget, FundSource::GovernmentFund, FundSource::StateCapital];

/// 公开04表 财政拨款收入支出决算总表.
fn fiscal_summary(books: &Books) -> AccountTable {
    let balances = fund_balances(books);
    let by_source = FISCAL_SOURCES.map(|s| balances.of(s));
    let received = by_source.map(|b| b.income);
    let carry = by_source.map(|b| b.opening);
    let (spending, spent) = class_rows(books, 4, |amount, l| {
        let col = FISCAL_SOURCES.iter().position(|s| *s == l.fund_source)?;
        let mut a = vec![Fen::ZERO; 4];
        a[0] = amount;
        a[col + 1] = amount;
        Some(a)
    });
    let received_total: Fen = received.iter().copied().sum();
    let carry_total: Fen = carry.iter().copied().sum();
    let closing: Vec<Fen> = by_source.iter().map(|b| b.closing()).collect();
    let closing = [vec![closing.iter().copied().sum()], closing].concat();
    let returned: Vec<Fen> = by_source.iter().map(|b| b.returned).collect();
    let returned = [vec![returned.iter().copied().sum()], returned].concat();
    let grand = received_total + carry_total;
    let grand_by_source: Vec<Fen> = spent.iter().zip(&closing).zip(&returned).map(|((s, c), r)| *s + *c + *r).collect();
    let pair = |label: &str, amount: Fen| vec![Value::text(label), Value::Money(amount)];
    let rows = side_by_side(
        vec![
            pair("一、一般公共预算财政拨款", received[0]),
            pair("二、政府性基金预算财政拨款", received[1]),
            pair("三、国有资本经营预算财政拨款", received[2]),
        ],
        2,
        spending,
        5,
        vec![
            (pair("本年收入合计", received_total), money_row([Value::text("本年支出合计")], &spent)),
            (pair("年初财政拨款结转和结余", carry_total), money_row([Value::text("结余分配/缴回")], &returned)),
            (vec![], money_row([Value::text("年末财政拨款结转和结余")], &closing)),
            (pair("一般公共预算财政拨款", carry[0]), vec![]),
            (pair("政府性基金预算财政拨款", carry[1]), vec![]),
            (pair("国有资本经营预算财政拨款", carry[2]), vec![]),
            (pair("总计", grand), money_row([Value::text("总计")], &grand_by_source)),
        ],
    );
    AccountTable {
        code: "公开04表".into(),
        name: "财政拨款收入支出决算总表".into(),
        header: vec![
            vec![h_span("收入", 2, 1), h_span("支出", 5, 1)],
            vec![
                h("项目"),
                h("金额"),
                h("项目"),
                h("合计"),
                h("一般公共预算财政拨款"),
                h("政府性基金预算财政拨款"),
                h("国有资本经营预算财政拨款"),
            ],
        ],
        rows,
        empty_note: None,
    }
}

/// Header of the tables with 本年支出 split into 小计/合计, 基本支出, 项目支出.
fn spending_header(first: &str) -> Vec<Vec<HeaderCell>> {
    vec![vec![h_span("科目编码", 1, 2), h_span("科目名称", 1, 2), h_span("本年支出", 3, 1)], vec![h(first), h("基本支出"), h("项目支出")]]
}

/// Spending of the lines of one fund source by function code: [total, basic, project].
fn spending_by_function(books: &Books, source: FundSource) -> BTreeMap<String, Vec<Fen>> {
    let mut items = BTreeMap::new();
    for (amount, l) in paid(books).into_iter().filter(|(_, l)| l.fund_source == source) {
        add_at(&mut items, &l.function_code, 3, 0, amount);
        add_at(&mut items, &l.function_code, 3, if l.spending_kind == SpendingKind::Basic { 1 } else { 2 }, amount);
    }
    items
}

/// 公开05表 一般公共预算财政拨款支出决算表.
fn general_budget_expenditure(books: &Books) -> AccountTable {
    let items = spending_by_function(books, FundSource::GeneralBudget);
    by_function("公开05表", "一般公共预算财政拨款支出决算表", spending_header("小计"), books, items, 3, "一般公共预算财政拨款支出")
}

/// 公开06表 一般公共预算财政拨款基本支出决算明细表: 人员经费 (301, 303) beside 公用经费 (302, 310 …).
fn general_budget_basic_detail(books: &Books) -> AccountTable {
    let mut personnel: BTreeMap<String, Fen> = BTreeMap::new();
    let mut public_use: BTreeMap<String, Fen> = BTreeMap::new();
    for (amount, l) in
        paid(books).into_iter().filter(|(_, l)| l.fund_source == FundSource::GeneralBudget && l.spending_kind == SpendingKind::Basic)
    {
        let side = if books.expense_group(l) == Some(ExpenseGroup::Personnel) { &mut personnel } else { &mut public_use };
        *side.entry(l.economic_code.clone()).or_default() += amount;
    }
    // Each 类 row (301 …) with its sum, then its 款 rows.
    let side_rows = |items: &BTreeMap<String, Fen>| -> (Vec<Vec<Value>>, Fen) {
        let mut classes: BTreeMap<String, Vec<(&String, Fen)>> = BTreeMap::new();
        for (code, amount) in items {
            classes.entry(code.chars().take(3).collect()).or_default().push((code, *amount));
        }
        let mut rows = Vec::new();
        for (class, members) in &classes {
            rows.push(vec![
                Value::text(class),
                Value::text(economic_name(books, class)),
                Value::Money(members.iter().map(|(_, a)| *a).sum()),
            ]);
            rows.extend(
                members.iter().map(|(code, a)| vec![Value::text(*code), Value::text(economic_name(books, code)), Value::Money(*a)]),
            );
        }
        (rows, items.values().copied().sum())
    };
    let (left, personnel_total) = side_rows(&personnel);
    let (right, public_total) = side_rows(&public_use);
    let (rows, note) = if left.is_empty() && right.is_empty() {
        (vec![], empty_note(books, "一般公共预算财政拨款基本支出"))
    } else {
        let totals = (
            vec![Value::text("人员经费合计"), Value::Blank, Value::Money(personnel_total)],
            vec![Value::text("公用经费合计"), Value::Blank, Value::Money(public_total)],
        );
        (side_by_side(left, 3, right, 3, vec![totals]), None)
    };
    AccountTable {
        code: "公开06表".into(),
        name: "一般公共预算财政拨款基本支出决算明细表".into(),
        header: vec![
            vec![h_span("人员经费", 3, 1), h_span("公用经费", 3, 1)],
            vec![h("科目编码"), h("科目名称"), h("决算数"), h("科目编码"), h("科目名称"), h("决算数")],
        ],
        rows,
        empty_note: note,
    }
}

/// The kinds of “三公”经费 in the order of the 三公 table's columns.
pub const SANGONG_KINDS: [SanGongKind; 4] =
    [SanGongKind::OutboundTravel, SanGongKind::VehiclePurchase, SanGongKind::VehicleOperation, SanGongKind::OfficialReception];

/// “三公”经费 全年预算数 and 支出 by kind (in [`SANGONG_KINDS`] order) of the lines whose fund source is covered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SanGongAmounts {
    pub budget: [Fen; 4],
    pub spent: [Fen; 4],
    /// Whether any covered line is a 三公 line at all (an empty table says so instead of printing zeros).
    pub any: bool,
}

impl SanGongAmounts {
    pub fn spending_total(&self) -> Fen {
        self.spent.iter().copied().sum()
    }
}

/// The 三公 amounts of the lines whose fund source `covered` keeps.
pub fn sangong_amounts(books: &Books, covered: impl Fn(FundSource) -> bool) -> SanGongAmounts {
    let mut out = SanGongAmounts::default();
    for l in books.lines_where(|l| covered(l.fund_source)) {
        if let Some(k) = books.sangong_kind(l).and_then(|k| SANGONG_KINDS.iter().position(|x| *x == k)) {
            out.any = true;
            out.budget[k] += books.line_budget(&l.line_code).annual();
            out.spent[k] += books.line_spending(&l.line_code);
        }
    }
    out
}

/// The fund sources the year's edition covers in its 三公 table: 一般公共预算 (`sangong_general_budget`, the
/// 2019–2021 set) or every 财政拨款 (`sangong_fiscal`, from 2022); the 决算说明's 三公 figure follows it.
pub fn sangong_coverage(year: i32) -> fn(FundSource) -> bool {
    if accounts_edition(year).tables.iter().any(|t| t.id == "sangong_fiscal") {
        FundSource::is_fiscal
    } else {
        |s| s == FundSource::GeneralBudget
    }
}

/// The “三公”经费支出决算表: 预算数 and 决算数, each split by kind, of the lines whose fund source `covered` keeps.
fn sangong(books: &Books, covered: impl Fn(FundSource) -> bool, nothing: &str) -> AccountTable {
    let SanGongAmounts { budget, spent, any } = sangong_amounts(books, covered);
    // 合计, 因公出国（境）费, 公务用车购置及运行维护费 (小计, 购置费, 运行费), 公务接待费.
    let columns = |a: [Fen; 4]| vec![a.iter().copied().sum(), a[0], a[1] + a[2], a[1], a[2], a[3]];
    let group = |title: &str| {
        [
            vec![h_span(title, 6, 1)],
            vec![
                h_span("合计", 1, 2),
                h_span("因公出国（境）费", 1, 2),
                h_span("公务用车购置及运行维护费", 3, 1),
                h_span("公务接待费", 1, 2),
            ],
            vec![h("小计"), h("公务用车购置费"), h("公务用车运行费")],
        ]
    };
    let (b, d) = (group("预算数"), group("决算数"));
    let header = (0..3).map(|i| [b[i].clone(), d[i].clone()].concat()).collect();
    AccountTable {
        code: "公开07表".into(),
        name: "一般公共预算财政拨款“三公”经费支出决算表".into(),
        header,
        rows: if any { vec![[columns(budget), columns(spent)].concat().into_iter().map(Value::Money).collect()] } else { vec![] },
        empty_note: if any { None } else { empty_note(books, nothing) },
    }
}

/// 公开08表 政府性基金预算财政拨款收入支出决算表.
fn government_fund(books: &Books) -> AccountTable {
    const COLUMNS: usize = 6;
    let fund = |l: &AppropriationLine| l.fund_source == FundSource::GovernmentFund;
    let mut items: BTreeMap<String, Vec<Fen>> = BTreeMap::new();
    for l in books.lines_where(|l| fund(l)) {
        items.entry(l.function_code.clone()).or_insert_with(|| vec![Fen::ZERO; COLUMNS]);
    }
    // 年初, 本年收入 and 年末 from the 收支 identity (core `balance`), 本年支出 split into 基本/项目.
    for (code, b) in fund_balances(books).by_function(FundSource::GovernmentFund) {
        add_at(&mut items, &code, COLUMNS, 0, b.opening);
        add_at(&mut items, &code, COLUMNS, 1, b.income);
        add_at(&mut items, &code, COLUMNS, 5, b.closing());
    }
    for (code, spent) in spending_by_function(books, FundSource::GovernmentFund) {
        for (col, amount) in spent.into_iter().enumerate() {
            add_at(&mut items, &code, COLUMNS, col + 2, amount);
        }
    }
    let header = vec![
        vec![
            h_span("科目编码", 1, 2),
            h_span("科目名称", 1, 2),
            h_span("年初结转和结余", 1, 2),
            h_span("本年收入", 1, 2),
            h_span("本年支出", 3, 1),
            h_span("年末结转和结余", 1, 2),
        ],
        vec![h("小计"), h("基本支出"), h("项目支出")],
    ];
    by_function(
        "公开08表",
        "政府性基金预算财政拨款收入支出决算表",
        header,
        books,
        items,
        COLUMNS,
        "政府性基金预算财政拨款收入、支出及结转和结余",
    )
}

/// 公开09表 国有资本经营预算财政拨款支出决算表.
fn state_capital(books: &Books) -> AccountTable {
    let mut items = spending_by_function(books, FundSource::StateCapital);
    for l in books.lines_where(|l| l.fund_source == FundSource::StateCapital) {
        items.entry(l.function_code.clone()).or_insert_with(|| vec![Fen::ZERO; 3]);
    }
    by_function("公开09表", "国有资本经营预算财政拨款支出决算表", spending_header("合计"), books, items, 3, "国有资本经营预算财政拨款支出")
}
