//! 部门决算公开: which tables an edition publishes, in which order and under which title, chosen by the fiscal
//! year (`data/final-accounts-editions.toml`). `final_accounts` computes each table by its `id` (and the
//! 决算说明 paragraphs, `final_accounts::explanations`).

use serde::Deserialize;
use std::sync::OnceLock;

/// One table of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TableSpec {
    /// The builder: `income_expenditure_summary`, `sangong_fiscal` ….
    pub id: String,
    /// The published title, e.g. 收入支出决算总表.
    pub name: String,
}

/// The table set of a range of fiscal years.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountsEdition {
    pub name: String,
    pub from_year: i32,
    pub to_year: Option<i32>,
    pub tables: Vec<TableSpec>,
}

#[derive(Deserialize)]
struct Editions {
    edition: Vec<AccountsEdition>,
}

fn editions() -> &'static [AccountsEdition] {
    static EDITIONS: OnceLock<Vec<AccountsEdition>> = OnceLock::new();
    EDITIONS.get_or_init(|| {
        toml::from_str::<Editions>(include_str!("../data/final-accounts-editions.toml"))
            .expect("final-accounts-editions.toml is valid (checked by tests)")
            .edition
    })
}

/// The edition of a fiscal year: the one whose years hold it, else the nearest (the first for earlier years,
/// the last for later ones).
pub fn accounts_edition(year: i32) -> &'static AccountsEdition {
    let all = editions();
    all.iter()
        .find(|e| year >= e.from_year && e.to_year.is_none_or(|t| year <= t))
        .unwrap_or_else(|| if year < all[0].from_year { &all[0] } else { &all[all.len() - 1] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_picks_the_edition_and_the_sangong_table_moves_in_2022() {
        let ids = |year| accounts_edition(year).tables.iter().map(|t| t.id.as_str()).collect::<Vec<_>>();
        assert_eq!(ids(2020)[6], "sangong_general_budget");
        assert_eq!(ids(2021), ids(2018), "earlier years take the first edition");
        assert_eq!(ids(2022)[8], "sangong_fiscal");
        assert_eq!(ids(2025), ids(2022));
        for e in editions() {
            assert_eq!(e.tables.len(), 9, "{}", e.name);
        }
    }
}
