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
}
