-- The unit's chosen evaluation framework (unit.toml `framework = "…"`, 单位信息「评价框架」): a regional framework
-- file applied whatever its region and checking; NULL, the national rules and the checked files of its region apply.
ALTER TABLE unit ADD COLUMN framework TEXT;
