//! The record model: what a unit's books hold for a fiscal year.
//!
//! Every record has a stable key within (unit, year) so that re-importing it adds nothing.
//! Nothing here is ever updated or deleted: a correction is a reversal record (`reverses`) plus a new record.

use crate::date::Date;
use crate::money::Fen;
use serde::{Deserialize, Serialize};

/// Declares a closed set of domain values, each with an English id (stored) and a Chinese label (printed, and
/// accepted on import beside the id and any alias).
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $id:literal, $label:literal $(| $alias:literal)*;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $id)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The English id, as stored.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)+ }
            }

            /// The Chinese term, as printed.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Reads the Chinese label, an alias or the English id.
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim();
                $(if t == $id || t == $label $(|| t == $alias)* { return Some($name::$variant); })+
                None
            }

            /// The Chinese labels, for error messages and spreadsheet dropdowns.
            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }
        }
    };
}

labelled_enum! {
    /// 资金来源 — where an appropriation line's or a receipt's money comes from: the 收入 kinds of the 部门决算
    /// (财政拨款收入 in its three budgets, 上级补助收入, 事业收入 with 财政专户管理资金, 经营收入, 附属单位上缴收入,
    /// 其他收入). Stored by the English id, so the labels may be renamed; the older labels stay accepted.
    FundSource {
        GeneralBudget = "general_budget", "一般公共预算" | "一般公共预算财政拨款" | "一般公共预算财政拨款收入" | "财政拨款";
        GovernmentFund = "government_fund", "政府性基金" | "政府性基金预算财政拨款" | "政府性基金预算财政拨款收入";
        StateCapital = "state_capital", "国有资本经营" | "国有资本经营预算财政拨款" | "国有资本经营预算财政拨款收入";
        /// 上级补助收入: from the unit's superior, not from the finance bureau.
        SuperiorSubsidy = "superior_subsidy", "上级补助收入" | "上级补助";
        /// 事业收入 other than what passes through the 财政专户.
        ServiceRevenue = "service_revenue", "事业收入";
        /// 财政专户管理资金: 事业收入 collected into and paid back from the finance bureau's special account.
        FiscalSpecialAccount = "fiscal_special_account", "财政专户管理资金" | "财政专户" | "事业收入（财政专户管理资金）";
        /// 经营收入: from activities outside the unit's public-service mandate.
        OperatingRevenue = "operating_revenue", "经营收入";
        /// 附属单位上缴收入.
        AffiliateRemittance = "affiliate_remittance", "附属单位上缴收入" | "附属单位上缴";
        Other = "other", "其他收入" | "其他";
    }
}

labelled_enum! {
    /// 收入类别 — the rows of 本年收入 in the 部门决算 (公开01表): each fund source belongs to one.
    IncomeKind {
        FiscalAppropriation = "fiscal_appropriation", "财政拨款收入";
        SuperiorSubsidy = "superior_subsidy", "上级补助收入";
        ServiceRevenue = "service_revenue", "事业收入";
        OperatingRevenue = "operating_revenue", "经营收入";
        AffiliateRemittance = "affiliate_remittance", "附属单位上缴收入";
        Other = "other", "其他收入";
    }
}

impl FundSource {
    /// 财政拨款: money appropriated by the finance bureau from one of its three budgets. Everything else is the
    /// unit's own funds (其他资金), which may carry a plan (部门预算 of own funds) or none.
    pub fn is_fiscal(self) -> bool {
        matches!(self, FundSource::GeneralBudget | FundSource::GovernmentFund | FundSource::StateCapital)
    }

    /// The 收入 row the source is reported under.
    pub fn income_kind(self) -> IncomeKind {
        match self {
            FundSource::GeneralBudget | FundSource::GovernmentFund | FundSource::StateCapital => IncomeKind::FiscalAppropriation,
            FundSource::SuperiorSubsidy => IncomeKind::SuperiorSubsidy,
            FundSource::ServiceRevenue | FundSource::FiscalSpecialAccount => IncomeKind::ServiceRevenue,
            FundSource::OperatingRevenue => IncomeKind::OperatingRevenue,
            FundSource::AffiliateRemittance => IncomeKind::AffiliateRemittance,
            FundSource::Other => IncomeKind::Other,
        }
    }
}

labelled_enum! {
    /// 支出性质 — basic spending (基本支出: 人员经费 and 公用经费) or project spending (项目支出).
    SpendingKind {
        Basic = "basic", "基本支出";
        Project = "project", "项目支出";
    }
}

labelled_enum! {
    /// 指标变动类型 — what a budget voucher does to an appropriation line.
    BudgetVoucherKind {
        /// 上年结转: unspent money of the prior year carried into this line.
        CarryOver = "carry_over", "上年结转";
        /// 年初预算: the budget approved at the start of the year.
        Initial = "initial", "年初预算";
        /// 追加: an in-year increase.
        Addition = "addition", "追加";
        /// 调减: an in-year decrease (entered as a positive amount).
        Reduction = "reduction", "调减";
        /// 调剂: a transfer between lines (entered signed: + in, − out).
        Transfer = "transfer", "调剂";
        /// 收回: at year end, part of the line's appropriation not disbursed is taken back by the finance bureau
        /// (positive). It leaves 全年预算数 as it was and counts as 结余分配/缴回 in the 收支 identity.
        Recovery = "recovery", "收回" | "指标收回" | "缴回";
        /// 结转下年: at year end, part of the line's appropriation not disbursed is kept for the next year
        /// (positive; 财政应返还额度). It leaves 全年预算数 as it was and stays in 年末结转和结余.
        CarryForward = "carry_forward", "结转下年" | "结转";
    }
}

labelled_enum! {
    /// 采购方式.
    ProcurementMethod {
        OpenTender = "open_tender", "公开招标";
        InvitedTender = "invited_tender", "邀请招标";
        CompetitiveNegotiation = "competitive_negotiation", "竞争性谈判";
        CompetitiveConsultation = "competitive_consultation", "竞争性磋商";
        RequestForQuotation = "request_for_quotation", "询价";
        SingleSource = "single_source", "单一来源";
        FrameworkAgreement = "framework_agreement", "框架协议";
        ElectronicMall = "electronic_mall", "电子卖场";
        ThreeQuotes = "three_quotes", "三方询价";
        Decentralized = "decentralized", "分散采购";
    }
}

labelled_enum! {
    /// 绩效指标方向 — how an indicator's actual value is compared with its target.
    IndicatorDirection {
        AtLeast = "at_least", "≥" | ">=";
        AtMost = "at_most", "≤" | "<=";
        Equal = "equal", "=";
        /// 定性: judged in words, not by a number.
        Qualitative = "qualitative", "定性";
    }
}

labelled_enum! {
    /// 完成目标可能性 — the unit's judgement, at a 绩效运行监控, of whether the year's target will be met (the
    /// three answers of the 项目支出绩效目标执行监控表, 财预〔2019〕136号).
    GoalLikelihood {
        Certain = "certain", "确定能";
        Possible = "possible", "有可能";
        Impossible = "impossible", "完全不可能";
    }
}

labelled_enum! {
    /// 调整原因 — why a budget was adjusted in the year; all but `Ordinary` are left out of 预算调整率.
    AdjustmentCause {
        Ordinary = "ordinary", "一般调整" | "一般";
        Policy = "policy", "政策性" | "国家政策" | "政策性调整";
        ForceMajeure = "force_majeure", "不可抗力";
        Assigned = "assigned", "上级交办" | "上级临时交办";
    }
}

labelled_enum! {
    /// 数量修饰 — how an output count is qualified in prose ("近2万人", "300多人").
    QuantityQualifier {
        Exact = "exact", "准确";
        /// 近: just under the figure.
        Nearly = "nearly", "近";
        /// 多: more than the figure.
        MoreThan = "more_than", "多" | "以上";
        /// 约: about the figure, either side.
        About = "about", "约" | "左右";
    }
}

labelled_enum! {
    /// 公开内容 — what a disclosure published.
    DisclosureKind {
        Budget = "budget", "部门预算";
        FinalAccounts = "final_accounts", "部门决算";
        Performance = "performance", "绩效自评结果";
    }
}

labelled_enum! {
    /// 资产状态.
    AssetStatus {
        InUse = "in_use", "在用";
        Idle = "idle", "闲置";
        PendingDisposal = "pending_disposal", "待处置";
        Disposed = "disposed", "已处置";
    }
}

labelled_enum! {
    /// "三重一大" 事项类别.
    MajorDecisionKind {
        MajorMatter = "major_matter", "重大事项决策";
        Appointment = "appointment", "重要干部任免";
        MajorProject = "major_project", "重大项目安排";
        LargeFunds = "large_funds", "大额度资金运作";
    }
}

labelled_enum! {
    /// 控制方式 — what entry does with a voucher that would overdraw its appropriation line (budget control, 预算控制).
    ControlMode {
        /// 刚性控制: the voucher is refused unless a user with the override role passes it with a written reason.
        Stop = "stop", "刚性控制" | "控制";
        /// 预警控制: the voucher is accepted and `check` reports the overdraft.
        Warn = "warn", "预警控制" | "预警";
        /// 不控制.
        Ignore = "ignore", "不控制";
    }
}

labelled_enum! {
    /// 占用类型 — what reserves part of a line's budget before it is paid.
    CommitmentKind {
        PurchaseRequest = "purchase_request", "采购申请";
        Contract = "contract", "合同";
    }
}

labelled_enum! {
    /// 关联记录类别 — what kind of record a collective decision covers.
    LinkedKind {
        Expenditure = "expenditures", "支出凭证";
        Procurement = "procurements", "采购记录";
        Commitment = "commitments", "预算占用";
    }
}

labelled_enum! {
    /// 资产变动类型.
    AssetEventKind {
        /// 调拨: transferred to another unit.
        Transfer = "transfer", "调拨";
        /// 处置: 报废、出售、出让、对外捐赠等 — only with an approval (批复文号).
        Disposal = "disposal", "处置";
    }
}

/// 「无内设机构」: the office name that says a unit has no internal offices.
pub const NO_OFFICES: &str = "无内设机构";

/// 内设机构 — an internal office and what it does (or, named [`NO_OFFICES`], that the unit has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    pub name: String,
    pub duties: String,
}

/// The part of a 行政区划代码 that an area covers: trailing "00" pairs are a wildcard (430000 → every unit of
/// 湖南 "43", 430100 → 长沙 "4301", 430102 → 芙蓉区 "430102"); an empty code covers everything.
pub fn area_prefix(region_code: &str) -> &str {
    let mut prefix = region_code;
    while prefix.len() >= 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix
}

/// 单位基本信息 — the unit's profile, shared by all its fiscal years.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProfile {
    /// 单位编码: the unit's key in a database holding many units.
    pub code: String,
    pub name: String,
    /// 行政区划代码.
    pub region_code: String,
    /// 主管部门 — its name; its code is `department_code`.
    pub parent_department: String,
    /// 职能职责, in order.
    pub duties: Vec<String>,
    pub offices: Vec<Office>,
    /// 主管部门编码: the unit's place in the hierarchy 财政局 → 主管部门 → 单位 (consolidated reports).
    /// Optional, and left out of the profile's fingerprint when absent, so profiles stored before schema 3 still match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_code: Option<String>,
    /// 财政局编码 — the finance bureau whose region the unit belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bureau_code: Option<String>,
    /// 财政局名称.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bureau_name: Option<String>,
    /// 评价框架 (schema version 13): the regional framework file the unit chose (`framework = "hunan-2020"` in
    /// unit.toml); absent, the national rules and the checked regional files for its region and year apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
}

/// 年度信息 — what belongs to a unit's fiscal year but to no ledger: the report's signing date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitYear {
    pub year: i32,
    /// 报告日期, printed under the signature.
    pub report_date: Option<Date>,
}

/// 人员状态 — what a staffing category counts as (`data/staff-categories.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StaffStatus {
    /// 在职: staff with an 编制 (行政编制, 事业编制, 工勤 …).
    InService,
    /// 离退休.
    Retired,
    /// 编外: staff outside the establishment (聘用, 劳务派遣 …).
    OutsideEstablishment,
}

#[derive(Deserialize)]
struct StaffCategories {
    retired: Vec<String>,
    outside_establishment: Vec<String>,
}

fn staff_categories() -> &'static StaffCategories {
    static CATEGORIES: std::sync::OnceLock<StaffCategories> = std::sync::OnceLock::new();
    CATEGORIES.get_or_init(|| {
        toml::from_str(include_str!("../data/staff-categories.toml")).expect("staff-categories.toml is valid (checked by tests)")
    })
}

/// 人员编制 — authorized (编制数) and actual (实有人数) staff of one category at year end. 离退休 and 编外
/// categories are recorded the same way (their 编制数 is ignored); see [`Staffing::status`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staffing {
    pub year: i32,
    /// 人员类别, e.g. 行政编制, 事业编制, 工勤.
    pub category: String,
    pub authorized: i64,
    pub actual: i64,
}

impl Staffing {
    /// 在职, 离退休 or 编外, by the category's name.
    pub fn status(&self) -> StaffStatus {
        let c = staff_categories();
        let name = self.category.trim();
        if c.retired.iter().any(|x| x == name) {
            StaffStatus::Retired
        } else if c.outside_establishment.iter().any(|x| x == name) {
            StaffStatus::OutsideEstablishment
        } else {
            StaffStatus::InService
        }
    }
}

/// 预算指标 — an appropriation line: money for one function code × economic code × spending kind × project × fund source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppropriationLine {
    /// 指标编号.
    pub line_code: String,
    pub year: i32,
    /// 支出功能分类科目编码 (项, 7 digits).
    pub function_code: String,
    /// 部门预算支出经济分类科目编码 (款, 5 digits).
    pub economic_code: String,
    pub spending_kind: SpendingKind,
    /// 项目编码 — required for project spending, absent for basic spending.
    pub project_code: Option<String>,
    pub fund_source: FundSource,
    /// 全年预算数 as stated by the budget system, checked against the vouchers; optional.
    pub stated_annual_budget: Option<Fen>,
    /// 原报科目名称 — the name this line carried in an earlier hand-written report, when it differs from the official one.
    pub reported_name: Option<String>,
    pub note: Option<String>,
}

/// 指标变动凭证 — a dated change to an appropriation line: 上年结转, 年初预算, 追加, 调减 or 调剂.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetVoucher {
    /// 凭证号.
    pub voucher_no: String,
    pub year: i32,
    pub date: Date,
    pub line_code: String,
    pub kind: BudgetVoucherKind,
    /// As entered: positive, except a 调剂 out of the line and a reversal (红字), which are negative.
    pub amount: Fen,
    /// 文号 — the approving document.
    pub document: Option<String>,
    /// 冲销凭证号 — the voucher this one reverses.
    pub reverses: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
    /// 调整原因 (schema version 13): an adjustment made for national policy, force majeure or a task handed down
    /// is left out of 预算调整率 (财预〔2013〕53号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment_cause: Option<AdjustmentCause>,
}

impl BudgetVoucherKind {
    /// 收回 and 结转下年: they settle at year end what a line was given, and change no budget.
    pub fn is_year_end_settlement(self) -> bool {
        matches!(self, BudgetVoucherKind::Recovery | BudgetVoucherKind::CarryForward)
    }
}

impl BudgetVoucher {
    /// The voucher's signed amount: negative for a 调减 (and for reversals and 调剂 out, as entered).
    pub fn effect(&self) -> Fen {
        match self.kind {
            BudgetVoucherKind::Reduction => -self.amount,
            _ => self.amount,
        }
    }

    /// What the voucher adds to its line's 全年预算数: its effect, or nothing for a year-end settlement.
    pub fn budget_effect(&self) -> Fen {
        if self.kind.is_year_end_settlement() { Fen::ZERO } else { self.effect() }
    }
}

/// 收入凭证 — money received, by fund source and function code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub voucher_no: String,
    pub year: i32,
    pub date: Date,
    pub fund_source: FundSource,
    pub function_code: String,
    pub amount: Fen,
    /// 拨款单位 / 来源.
    pub payer: Option<String>,
    pub reverses: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
}

/// 支出凭证 — money paid out of an appropriation line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expenditure {
    pub voucher_no: String,
    pub year: i32,
    pub date: Date,
    pub line_code: String,
    pub amount: Fen,
    pub payee: String,
    /// 用途.
    pub purpose: String,
    /// 采购编号 — the procurement this payment settles, if any.
    pub procurement_ref: Option<String>,
    pub reverses: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
}

/// 项目 (专项) — a project with its 年度总体目标.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub project_code: String,
    pub year: i32,
    pub name: String,
    /// 重点项目 — tied to core duties or to what the Party committee and government single out.
    pub is_key: bool,
    /// 实施科室.
    pub department: Option<String>,
    /// 年度总体目标 — 预期目标.
    pub goal: String,
    /// 年度总体目标 — 实际完成情况.
    pub outcome: Option<String>,
    pub note: Option<String>,
}

/// 绩效指标 — one three-level performance indicator of a project, with target and actual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectIndicator {
    pub indicator_code: String,
    pub year: i32,
    pub project_code: String,
    /// 一级指标, e.g. 产出指标.
    pub level1: String,
    /// 二级指标, e.g. 数量指标.
    pub level2: String,
    /// 三级指标.
    pub level3: String,
    pub direction: IndicatorDirection,
    /// 年度指标值.
    pub target: String,
    /// 实际完成值 — absent until measured.
    pub actual: Option<String>,
    /// 计量单位.
    pub unit: Option<String>,
    /// 佐证材料.
    pub evidence: Option<String>,
    /// 偏差原因分析及改进措施.
    pub deviation_reason: Option<String>,
    /// 分值 in hundredths of a point, where the 项目支出绩效自评表 gives each indicator its own (财预〔2020〕10号's
    /// form: the unit sets them, 90 in all); without one an indicator shares what its 一级指标 leaves. Schema
    /// version 14; left out of the hash while empty, so records stored before it keep their hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// 活动产出 — one measured output of an activity the unit ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityOutput {
    pub output_code: String,
    pub year: i32,
    pub date: Option<Date>,
    /// 活动名称.
    pub activity: String,
    pub project_code: Option<String>,
    /// 产出名称, e.g. 参会专家.
    pub output: String,
    pub quantity: i64,
    pub qualifier: QuantityQualifier,
    /// 计量单位, e.g. 人, 场次.
    pub unit: String,
    pub evidence: Option<String>,
}

/// 采购记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procurement {
    pub procurement_code: String,
    pub year: i32,
    pub date: Date,
    pub project_code: Option<String>,
    /// 采购品目 / 内容.
    pub item: String,
    pub method: ProcurementMethod,
    /// 政府采购 — inside the government procurement catalogue or above its threshold.
    pub is_government_procurement: bool,
    /// 采购预算（计划）金额.
    pub budget_amount: Option<Fen>,
    /// 合同金额.
    pub contract_amount: Fen,
    pub supplier: Option<String>,
    pub contract_no: Option<String>,
    /// 验收日期.
    pub accepted_on: Option<Date>,
    pub note: Option<String>,
}

/// 固定资产 — an asset in the year-end register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedAsset {
    pub asset_code: String,
    pub year: i32,
    pub name: String,
    /// 资产类别, e.g. 通用设备, 家具、用具及装具.
    pub category: String,
    /// 原值.
    pub original_value: Fen,
    pub acquired_on: Date,
    pub status: AssetStatus,
    pub note: Option<String>,
}

/// 内控制度 — an internal-control document the unit adopted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlDocument {
    pub document_code: String,
    pub year: i32,
    pub name: String,
    pub adopted_on: Date,
    pub note: Option<String>,
}

/// "三重一大" 集体决策记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorDecision {
    pub decision_code: String,
    pub year: i32,
    pub date: Date,
    pub kind: MajorDecisionKind,
    pub subject: String,
    pub amount: Option<Fen>,
    /// 会议 — the meeting that decided.
    pub meeting: Option<String>,
}

/// 报告文字 — prose the unit writes for one report section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    /// The section id from the report outline (e.g. `problems`).
    pub section: String,
    pub year: i32,
    pub text: String,
}

/// 公开记录 — one publication of the budget, the final accounts or the self-evaluation (预决算公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    pub disclosure_code: String,
    pub year: i32,
    pub kind: DisclosureKind,
    pub date: Date,
    /// 公开渠道, e.g. the portal where it was published.
    pub location: String,
    pub note: Option<String>,
}

/// 满意度调查 — a survey of service recipients: how many answered and how many were satisfied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    pub survey_code: String,
    pub year: i32,
    pub subject: String,
    pub project_code: Option<String>,
    pub date: Option<Date>,
    pub sample_size: i64,
    pub satisfied: i64,
    pub evidence: Option<String>,
}

/// 评分调整 — a reviewer's score for one indicator, replacing the computed one, with the reason.
/// Kept as a record: the computed score stays visible beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreOverride {
    pub override_code: String,
    pub year: i32,
    /// The indicator: a departmental indicator id, or a project indicator's code.
    pub indicator: String,
    /// In hundredths of a point (2.5 points = 250).
    pub score: i64,
    pub reason: String,
    pub reviewer: String,
    pub date: Date,
}

/// 指标控制设置 — one appropriation line's own budget control, overriding the region/year default
/// (`data/budget-control.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineControlSetting {
    pub line_code: String,
    pub year: i32,
    pub mode: ControlMode,
    /// 容差 in basis points of the line's 全年预算数 (rounded down to the 分); absent means the default's.
    pub tolerance_bp: Option<i64>,
    pub note: Option<String>,
}

/// 预算占用 (commitment) — a purchase request or contract reserving part of a line's budget. It is released
/// when paid (expenditures on the same line naming the same 采购编号) or cancelled (a reversal: negative amount
/// naming it in `reverses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// 占用编号.
    pub commitment_no: String,
    pub year: i32,
    pub date: Date,
    pub line_code: String,
    pub kind: CommitmentKind,
    pub amount: Fen,
    /// 采购编号 — the payments that release it name the same code.
    pub procurement_ref: Option<String>,
    pub reverses: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
}

/// 超控记录 (control override) — a voucher or commitment passed over a 刚性控制 line by a user with the override
/// role, with the written reason. Kept like any record: it is the evidence of the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlOverride {
    /// 超控编号.
    pub override_no: String,
    pub year: i32,
    pub date: Date,
    /// The 凭证号 of the expenditure, or the 占用编号 of the commitment, that was passed.
    pub voucher_no: String,
    pub line_code: String,
    /// 超出金额 — how far past the available amount (and tolerance) the voucher went.
    pub shortfall: Fen,
    /// 超控理由.
    pub reason: String,
    /// 超控人.
    pub approved_by: String,
    /// The approver's role (reviewer, unit_admin, or cli for the command line).
    pub role: String,
}

/// 询价记录 — one supplier's quote for a procurement (the evidence of 三方询价).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcurementQuote {
    pub quote_code: String,
    pub year: i32,
    pub procurement_ref: String,
    pub supplier: String,
    pub amount: Fen,
    pub date: Option<Date>,
}

/// 采购方式变更批复 — the finance bureau's approval of a method other than 公开招标 for a purchase at or
/// above the 公开招标数额标准.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcurementException {
    pub exception_code: String,
    pub year: i32,
    pub procurement_ref: String,
    pub approved_method: ProcurementMethod,
    /// 批复文号.
    pub document: String,
    pub date: Date,
}

/// 三重一大实施办法 — the unit's own rule: the 大额资金 amount above which a collective decision is needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorDecisionPolicy {
    pub policy_code: String,
    pub year: i32,
    /// 大额资金标准.
    pub threshold: Fen,
    pub document: String,
    pub adopted_on: Date,
}

/// 决策关联 — links a "三重一大" collective decision to the expenditure, procurement or commitment it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLink {
    pub link_code: String,
    pub year: i32,
    pub decision_code: String,
    pub record_kind: LinkedKind,
    pub record_key: String,
}

/// 凭证审核 — the approval of an expenditure voucher. Segregation of duties (不相容岗位分离): the approver must
/// not be the user who entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoucherApproval {
    pub approval_code: String,
    pub year: i32,
    pub voucher_no: String,
    /// 录入人 — the user who entered the voucher (the import's source when it came from a file).
    pub entered_by: String,
    /// 审核人.
    pub approved_by: String,
    pub date: Date,
}

/// 资产变动 — a fixed asset transferred (调拨) or disposed of (处置).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetEvent {
    pub event_code: String,
    pub year: i32,
    pub date: Date,
    pub asset_code: String,
    pub kind: AssetEventKind,
    /// 调入单位 (transfer) or 处置方式 (disposal).
    pub counterparty: Option<String>,
    /// 批复文号 — the approval; a disposal without one is refused at import.
    pub approval_document: Option<String>,
    /// 处置收入.
    pub proceeds: Option<Fen>,
    pub note: Option<String>,
}

/// 资产盘点 — one asset seen (or not) in a physical inventory count. A count of an asset the register does not
/// hold is a 盘盈; a registered asset counted as absent is a 盘亏.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetCount {
    pub count_code: String,
    pub year: i32,
    pub date: Date,
    pub asset_code: String,
    /// 实物存在.
    pub found: bool,
    pub note: Option<String>,
}

/// 指标完成登记 — the measured value of one project indicator, recorded after the indicator was set.
/// The indicator's own row is never edited: the latest result (by date, then code) is its 实际完成值.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub result_code: String,
    pub year: i32,
    pub indicator_code: String,
    pub date: Date,
    pub actual: String,
    pub evidence: Option<String>,
    pub deviation_reason: Option<String>,
    /// Who recorded it.
    pub recorder: Option<String>,
}

/// 部门整体绩效目标 — the department's annual overall goal (年度总体目标), set with its budget, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentGoal {
    pub goal_code: String,
    pub year: i32,
    pub goal: String,
    /// 实际完成情况.
    pub outcome: Option<String>,
    pub note: Option<String>,
}

/// 部门整体绩效指标 — one indicator of the department's annual goal, in the three levels projects use
/// (产出指标/效益指标/满意度指标 …). The departmental evaluation's 产出 and 效果 read these first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentIndicator {
    pub indicator_code: String,
    pub year: i32,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub direction: IndicatorDirection,
    pub target: String,
    pub actual: Option<String>,
    pub unit: Option<String>,
    /// 重点工作: counted by 重点工作办结率.
    pub is_key: bool,
    /// 指标权重 in hundredths of a point, where the form gives each indicator its own (重庆 部门整体绩效自评表).
    pub weight: Option<i64>,
    pub evidence: Option<String>,
    pub deviation_reason: Option<String>,
}

impl DepartmentIndicator {
    /// The same indicator in the project indicator's shape, so that one reading and scoring serves both.
    pub fn as_project_indicator(&self) -> ProjectIndicator {
        ProjectIndicator {
            indicator_code: self.indicator_code.clone(),
            year: self.year,
            project_code: String::new(),
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            level3: self.level3.clone(),
            direction: self.direction,
            target: self.target.clone(),
            actual: self.actual.clone(),
            unit: self.unit.clone(),
            evidence: self.evidence.clone(),
            deviation_reason: self.deviation_reason.clone(),
            weight: self.weight,
        }
    }
}

/// 上年决算摘要 — the prior year's 部门决算 figures, recorded under this year, for the indicators that compare
/// with the prior year (“三公经费”变动率, 结转结余变动率) when the prior year's books are not held. The books win
/// where both exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorYearSummary {
    /// 数据来源, e.g. 「2019年度部门决算」.
    pub source: String,
    /// The year these figures serve (the prior year is `year − 1`).
    pub year: i32,
    /// 基本支出.
    pub basic_spending: Option<Fen>,
    /// 项目支出.
    pub project_spending: Option<Fen>,
    /// “三公经费”预算数 (财预〔2013〕53号 compares budgets).
    pub sangong_budget: Option<Fen>,
    /// 因公出国（境）费 决算数.
    pub sangong_travel_abroad: Option<Fen>,
    /// 公务接待费 决算数.
    pub sangong_reception: Option<Fen>,
    /// 公务用车购置费 决算数.
    pub sangong_vehicle_purchase: Option<Fen>,
    /// 公务用车运行维护费 决算数.
    pub sangong_vehicle_running: Option<Fen>,
    /// 年末结转结余.
    pub carryover: Option<Fen>,
    /// 年末在职人数.
    pub staff_count: Option<i64>,
    /// 公用经费.
    pub public_use: Option<Fen>,
}

/// 绩效监控记录 — what a unit states at a 绩效运行监控 (双监控) about the unit as a whole, one project, or one
/// indicator: 偏差原因, 纠偏措施 and its forecast for the year. Dated; the monitoring table as of a date reads the
/// latest note on or before it (by date, then code) for each row. Never edited: a later note stands beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringNote {
    pub monitor_code: String,
    pub year: i32,
    /// 监控日期 — the date the note speaks for.
    pub date: Date,
    /// 项目编码; absent: the unit as a whole (部门整体), or a department indicator.
    pub project_code: Option<String>,
    /// 指标编码 of a project or department indicator; absent: the row of the project's or the unit's funds.
    pub indicator_code: Option<String>,
    /// 偏差原因.
    pub deviation_reason: Option<String>,
    /// 纠偏措施.
    pub corrective_action: Option<String>,
    /// 全年预计执行数, for a funds row.
    pub expected_amount: Option<Fen>,
    /// 全年预计完成值, for an indicator row.
    pub expected_value: Option<String>,
    /// 完成目标可能性.
    pub likelihood: Option<GoalLikelihood>,
    /// 填报人.
    pub recorder: Option<String>,
}

/// All records of one unit, over any number of years: what one import carries, and what the store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSet {
    pub staffing: Vec<Staffing>,
    pub appropriation_lines: Vec<AppropriationLine>,
    pub budget_vouchers: Vec<BudgetVoucher>,
    pub receipts: Vec<Receipt>,
    pub expenditures: Vec<Expenditure>,
    pub projects: Vec<Project>,
    pub project_indicators: Vec<ProjectIndicator>,
    pub activity_outputs: Vec<ActivityOutput>,
    pub procurements: Vec<Procurement>,
    pub fixed_assets: Vec<FixedAsset>,
    pub control_documents: Vec<ControlDocument>,
    pub major_decisions: Vec<MajorDecision>,
    pub narratives: Vec<Narrative>,
    pub disclosures: Vec<Disclosure>,
    pub surveys: Vec<Survey>,
    pub score_overrides: Vec<ScoreOverride>,
    pub line_controls: Vec<LineControlSetting>,
    pub commitments: Vec<Commitment>,
    pub control_overrides: Vec<ControlOverride>,
    pub procurement_quotes: Vec<ProcurementQuote>,
    pub procurement_exceptions: Vec<ProcurementException>,
    pub major_decision_policies: Vec<MajorDecisionPolicy>,
    pub decision_links: Vec<DecisionLink>,
    pub voucher_approvals: Vec<VoucherApproval>,
    pub asset_events: Vec<AssetEvent>,
    pub asset_counts: Vec<AssetCount>,
    pub indicator_results: Vec<IndicatorResult>,
    #[serde(default)]
    pub department_goals: Vec<DepartmentGoal>,
    #[serde(default)]
    pub department_indicators: Vec<DepartmentIndicator>,
    #[serde(default)]
    pub prior_year_summaries: Vec<PriorYearSummary>,
    #[serde(default)]
    pub monitoring_notes: Vec<MonitoringNote>,
}

/// What one import carries: a unit's profile, its fiscal years and records of any years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub unit: UnitProfile,
    pub years: Vec<UnitYear>,
    pub records: RecordSet,
}
