//! A finding: which rule, how serious, where, and the arithmetic behind it.

use serde::Serialize;

/// How serious a finding is: the same scale as the books check (`jixiao check`), so both commands
/// speak of 错误/警告/提示 alike.
pub use jixiao_core::finding::Severity;

/// A place in the checked text. Byte offsets for programs, characters and line/column for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    /// Byte offsets into the text, `start..end`; always on char boundaries.
    pub start: usize,
    pub end: usize,
    /// Character offsets, `char_start..char_end`.
    pub char_start: usize,
    pub char_end: usize,
    /// 1-based line and character column of `start`.
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentFinding {
    /// Stable English id, e.g. `sum-mismatch`.
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong, in Chinese, with the arithmetic written out.
    pub message: String,
    /// The quoted text the finding is about.
    pub quote: String,
    pub span: TextSpan,
}

/// The rule ids, one place to read them all.
pub mod rule {
    pub const SUM_MISMATCH: &str = "sum-mismatch";
    pub const BASIC_PROJECT_TOTAL: &str = "basic-project-total";
    pub const RATE_MISMATCH: &str = "rate-mismatch";
    pub const SPENDING_EXCEEDS_INCOME: &str = "spending-exceeds-income";
    pub const MIXED_UNITS: &str = "mixed-units";
    pub const MISSING_UNIT: &str = "missing-unit";
    pub const DUPLICATE_SECTION: &str = "duplicate-section";
    pub const DUPLICATE_PARAGRAPH: &str = "duplicate-paragraph";
    pub const CONTENT_AFTER_SIGNATURE: &str = "content-after-signature";
    pub const MISSING_SECTION: &str = "missing-section";
    pub const MISPLACED_SECTION: &str = "misplaced-section";
    pub const UNKNOWN_CLASSIFICATION: &str = "unknown-classification";
    pub const COLLOQUIAL_CLASSIFICATION: &str = "colloquial-classification";
    pub const CLASSIFICATION_CODE: &str = "classification-code";
    pub const MISSING_REPORT_YEAR: &str = "missing-report-year";
    pub const MISSING_SIGNATURE: &str = "missing-signature";
    pub const SIGNATURE_DATE: &str = "signature-date";
    pub const DATE_OUTSIDE_YEAR: &str = "date-outside-year";
    pub const TEMPLATE_TEXT: &str = "template-text";
    pub const MOJIBAKE: &str = "mojibake";
    pub const COUNT_MISMATCH: &str = "count-mismatch";
    pub const TOTAL_ROW_MISMATCH: &str = "total-row-mismatch";
    pub const ADJUSTMENT_WITHOUT_REASON: &str = "adjustment-without-reason";
    pub const NON_NUMERIC_COMPLETION: &str = "non-numeric-completion";
    pub const EXECUTION_SCORE_SHORT: &str = "execution-score-short";
    pub const SCORE_TRUNCATED: &str = "score-truncated";
    pub const SCORE_ABOVE_MAXIMUM: &str = "score-above-maximum";
    pub const FULL_MARKS_WITHHELD: &str = "full-marks-withheld";
    pub const CROSS_DOCUMENT_MISMATCH: &str = "cross-document-mismatch";
    pub const OPENING_BALANCE_MISMATCH: &str = "opening-balance-mismatch";
    pub const RECEIPTS_ABOVE_BUDGET: &str = "receipts-above-budget";

    /// Every rule id with a one-line description, for `--help`-style listings and the README.
    pub const ALL: &[(&str, &str)] = &[
        (SUM_MISMATCH, "「合计X，其中A、B」分项之和与合计不符"),
        (BASIC_PROJECT_TOTAL, "基本支出 + 项目支出 ≠ 支出合计（或与收入的差额未说明）"),
        (RATE_MISMATCH, "同一句中的百分比与其金额算不上"),
        (SPENDING_EXCEEDS_INCOME, "支出大于收入且未说明资金来源"),
        (MIXED_UNITS, "同一组加总中混用 元/万元/亿元"),
        (MISSING_UNIT, "加总中的数字没有单位"),
        (DUPLICATE_SECTION, "整节内容重复出现"),
        (DUPLICATE_PARAGRAPH, "段落重复出现"),
        (CONTENT_AFTER_SIGNATURE, "落款之后还有正文"),
        (MISSING_SECTION, "缺少标准章节（存在的问题、改进措施、结果应用等）"),
        (MISPLACED_SECTION, "章节位置不当（如下一步计划写在部门概况中）"),
        (UNKNOWN_CLASSIFICATION, "支出功能分类科目名称不在当年科目表中"),
        (COLLOQUIAL_CLASSIFICATION, "科目名称用了口语写法（如「社会科学支出」）"),
        (CLASSIFICATION_CODE, "科目编码不存在或与名称不符"),
        (MISSING_REPORT_YEAR, "标题中看不出报告年度"),
        (MISSING_SIGNATURE, "没有落款单位和日期"),
        (SIGNATURE_DATE, "落款日期不在年度结束之后"),
        (DATE_OUTSIDE_YEAR, "正文日期不在报告年度内"),
        (TEMPLATE_TEXT, "填表说明、模板占位符（xx年）或 Word 域代码留在正文中"),
        (MOJIBAKE, "乱码（编码转换错误）"),
        (COUNT_MISMATCH, "个数对不上（年初项目数 + 年中增加数 ≠ 总数）"),
        (TOTAL_ROW_MISMATCH, "自评表合计行与其中各行矛盾"),
        (ADJUSTMENT_WITHOUT_REASON, "年初预算与调整后预算不同，未说明调整理由"),
        (NON_NUMERIC_COMPLETION, "定量指标的完成值不是数值"),
        (EXECUTION_SCORE_SHORT, "预算执行得分低于 分值 × 执行率"),
        (SCORE_TRUNCATED, "得分截尾而非四舍五入"),
        (SCORE_ABOVE_MAXIMUM, "得分超过分值或总分超过各项分值之和"),
        (FULL_MARKS_WITHHELD, "执行率 100% 或指标恰好完成，却未得满分"),
        (CROSS_DOCUMENT_MISMATCH, "同一单位同一年度的两份文件数字不一致"),
        (OPENING_BALANCE_MISMATCH, "年初结转和结余与上年年末结转和结余不一致"),
        (RECEIPTS_ABOVE_BUDGET, "到位资金或收入超过预算，未说明原因"),
    ];
}
