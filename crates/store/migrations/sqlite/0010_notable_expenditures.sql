-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- Books in summary form (`Store::books_summary`) read the notable expenditures through indexes: those naming a
-- procurement here (few), the 大额 ones through expenditure_year_unit (year, unit_id, amount).
CREATE INDEX expenditure_procurement ON expenditure (unit_id, year) WHERE procurement_ref IS NOT NULL;
