//! The prose sections of the report, read from `data/report-sections.toml`.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
pub struct SectionSpec {
    pub id: String,
    pub title: String,
    /// Where the report prints it, in the report's own numbering: 「七、（二）有效性」.
    pub heading: String,
    pub required: bool,
}

#[derive(Deserialize)]
struct RawSections {
    section: Vec<SectionSpec>,
}

pub fn report_sections() -> &'static [SectionSpec] {
    static SECTIONS: OnceLock<Vec<SectionSpec>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        toml::from_str::<RawSections>(include_str!("../data/report-sections.toml"))
            .expect("report-sections.toml is valid (checked by tests)")
            .section
    })
}

pub fn report_section(id: &str) -> Option<&'static SectionSpec> {
    report_sections().iter().find(|s| s.id == id)
}

/// The prose sections of the 项目支出绩效自评报告, from `data/project-report-sections.toml`: written once per
/// project, as 报告文字 with 章节 `id.项目编码`.
pub fn project_report_sections() -> &'static [SectionSpec] {
    static SECTIONS: OnceLock<Vec<SectionSpec>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        toml::from_str::<RawSections>(include_str!("../data/project-report-sections.toml"))
            .expect("project-report-sections.toml is valid (checked by tests)")
            .section
    })
}

/// A project section's 章节 value, `project_problems.XM2024-01`, read as (section, project code).
pub fn project_section(section: &str) -> Option<(&'static SectionSpec, &str)> {
    let (id, project) = section.split_once('.')?;
    let spec = project_report_sections().iter().find(|s| s.id == id)?;
    (!project.trim().is_empty()).then_some((spec, project))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sections_load_with_unique_ids() {
        let s = super::report_sections();
        assert!(s.len() >= 9);
        let mut ids: Vec<_> = s.iter().map(|x| &x.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), s.len());
        assert_eq!(super::report_section("problems").unwrap().title, "存在的主要问题及原因分析");
    }

    #[test]
    fn project_sections_are_named_with_their_project() {
        let (spec, project) = super::project_section("project_problems.XM2024-01").unwrap();
        assert_eq!((spec.title.as_str(), project), ("存在的问题", "XM2024-01"));
        assert!(super::project_section("project_problems").is_none());
        assert!(super::project_section("problems.XM1").is_none());
        assert!(super::project_section("project_problems.").is_none());
    }
}
