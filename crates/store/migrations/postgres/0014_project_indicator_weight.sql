-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- 绩效指标：分值 (project_indicators.weight)
ALTER TABLE project_indicator ADD COLUMN weight BIGINT;
