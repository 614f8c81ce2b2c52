//! What kind of published document a text is. Reviewers receive five kinds, and each has its own
//! outline: a 部门决算情况说明 or a 项目支出绩效自评表 must not be told it lacks 「部门基本情况」.

use crate::document::{Document, is_blank};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// 部门整体支出绩效自评报告 (the report jixiao writes).
    DeptReport,
    /// 项目支出绩效自评报告.
    ProjectReport,
    /// 部门整体支出绩效自评表 (a form, published as a table).
    DeptForm,
    /// 项目支出绩效自评表.
    ProjectForm,
    /// 部门决算 / 决算情况说明 (and government 决算 reports, 三公经费 explanations).
    FinalAccounts,
    /// 部门预算公开说明 (and 预算执行情况 reports).
    BudgetStatement,
    /// None of the above could be told from the title.
    Unknown,
}

impl DocumentKind {
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::DeptReport => "dept-report",
            DocumentKind::ProjectReport => "project-report",
            DocumentKind::DeptForm => "dept-form",
            DocumentKind::ProjectForm => "project-form",
            DocumentKind::FinalAccounts => "final-accounts",
            DocumentKind::BudgetStatement => "budget-statement",
            DocumentKind::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::DeptReport => "部门整体支出绩效自评报告",
            DocumentKind::ProjectReport => "项目支出绩效自评报告",
            DocumentKind::DeptForm => "部门整体支出绩效自评表",
            DocumentKind::ProjectForm => "项目支出绩效自评表",
            DocumentKind::FinalAccounts => "部门决算情况说明",
            DocumentKind::BudgetStatement => "预算公开说明",
            DocumentKind::Unknown => "未识别的文件类型",
        }
    }

    pub fn is_form(self) -> bool {
        matches!(self, DocumentKind::DeptForm | DocumentKind::ProjectForm)
    }

    pub fn is_report(self) -> bool {
        matches!(self, DocumentKind::DeptReport | DocumentKind::ProjectReport)
    }

    /// Recognises the kind from the first line (of the first 40) that names one; within that line the
    /// more specific name wins (「部门预算项目支出绩效自评表」 is a form, 「预算/决算」 is 决算).
    pub fn detect(doc: &Document) -> DocumentKind {
        for line in doc.lines().take(40) {
            let compact: String = line.text.chars().filter(|c| !is_blank(*c)).collect();
            if let Some(kind) = kind_of_line(&compact) {
                return kind;
            }
        }
        DocumentKind::Unknown
    }
}

fn kind_of_line(line: &str) -> Option<DocumentKind> {
    let has = |words: &[&str]| words.iter().any(|w| line.contains(w));
    let form = ["自评表", "评价表", "评分表"].iter().filter_map(|w| line.find(w)).min();
    let report = ["自评报告", "评价报告", "绩效报告"].iter().filter_map(|w| line.find(w)).min();
    let whole = line.find("整体");
    let project = line.find("项目");
    // 「…整体支出绩效」 with 「报告」 on the next line (the seed's title) is a report too.
    if let Some(at) = form.filter(|f| report.is_none_or(|r| f < &r)) {
        return Some(if whole.is_some_and(|w| w < at) { DocumentKind::DeptForm } else { DocumentKind::ProjectForm });
    }
    if report.is_some() || (has(&["整体支出绩效"]) && !has(&["决算", "预算"])) {
        return Some(match (whole, project) {
            (Some(_), _) => DocumentKind::DeptReport,
            (None, Some(_)) => DocumentKind::ProjectReport,
            (None, None) => DocumentKind::DeptReport,
        });
    }
    if has(&["决算"]) {
        return Some(DocumentKind::FinalAccounts);
    }
    // 「七、一般公共预算“三公”经费情况说明」 in a 预算说明; a bare 三公 explanation is a 决算 one.
    if has(&["三公"]) && !has(&["支出预算", "预算安排", "预算情况"]) {
        return Some(DocumentKind::FinalAccounts);
    }
    if has(&[
        "支出预算",
        "收入预算",
        "预算情况说明",
        "三公",
        "预算公开",
        "部门预算",
        "单位预算",
        "预算说明",
        "预算草案",
        "预算执行情况",
        "收支预算",
        "预算总体情况",
    ]) {
        return Some(DocumentKind::BudgetStatement);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> DocumentKind {
        DocumentKind::detect(&Document::new("t", text))
    }

    #[test]
    fn kinds_from_real_titles() {
        assert_eq!(kind("2020年度芙蓉区科学技术协会整体支出绩效\n\n报  告"), DocumentKind::DeptReport);
        assert_eq!(kind("预算绩效管理\n红河州数据发展中心2024年度项目支出绩效单位自评报告"), DocumentKind::ProjectReport);
        assert_eq!(kind("部门预算项目支出绩效自评表(2023年度) |"), DocumentKind::ProjectForm);
        assert_eq!(kind("《部门整体绩效自评表.docx》由会员分享"), DocumentKind::DeptForm);
        assert_eq!(kind("沧源县纪委2024年度部门决算公开报告\n十四、2024年度部门整体支出绩效自评表"), DocumentKind::FinalAccounts);
        assert_eq!(kind("首页>预算/决算>决算公开>县级"), DocumentKind::FinalAccounts);
        assert_eq!(kind("关于上海市2021年预算执行情况和2022年预算草案的报告"), DocumentKind::BudgetStatement);
        assert_eq!(kind("一、部门职责"), DocumentKind::Unknown);
        // 梧州 单位预算说明 pages that open mid-document.
        assert_eq!(kind("(二)按支出结构分类划分,分为基本支出预算和项目支"), DocumentKind::BudgetStatement);
        assert_eq!(kind("一、“三公”经费财政拨款支出总体情况说明。"), DocumentKind::FinalAccounts);
    }
}
