-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- The hierarchy 财政局 → 主管部门 → 单位 (optional profile fields), and the indexes the consolidated
-- department and region reports read through (ARCHITECTURE.md, "Scale").
ALTER TABLE unit ADD COLUMN department_code TEXT;
ALTER TABLE unit ADD COLUMN bureau_code TEXT;
ALTER TABLE unit ADD COLUMN bureau_name TEXT;
CREATE INDEX unit_bureau_department ON unit (bureau_code, department_code);
CREATE INDEX unit_department ON unit (department_code);
CREATE INDEX import_batch_unit ON import_batch (unit_id);
-- Year-wide aggregates by unit read only these columns (an index-only scan on PostgreSQL).
CREATE INDEX budget_voucher_year_unit ON budget_voucher (year, unit_id, line_code, kind, amount);
CREATE INDEX expenditure_year_unit ON expenditure (year, unit_id, amount);
