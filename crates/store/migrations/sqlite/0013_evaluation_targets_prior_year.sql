-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- 部门整体绩效目标 (department_goals)
CREATE TABLE department_goal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    goal_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    goal TEXT NOT NULL,
    outcome TEXT,
    note TEXT,
    UNIQUE (unit_id, year, goal_code)
);

-- 部门整体绩效指标 (department_indicators)
CREATE TABLE department_indicator (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    level3 TEXT NOT NULL,
    direction TEXT NOT NULL,
    target TEXT NOT NULL,
    actual TEXT,
    unit TEXT,
    is_key BIGINT NOT NULL,
    weight BIGINT,
    evidence TEXT,
    deviation_reason TEXT,
    UNIQUE (unit_id, year, indicator_code)
);

-- 上年决算摘要 (prior_year_summaries)
CREATE TABLE prior_year_summary (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    year BIGINT NOT NULL,
    basic_spending BIGINT,
    project_spending BIGINT,
    sangong_budget BIGINT,
    sangong_travel_abroad BIGINT,
    sangong_reception BIGINT,
    sangong_vehicle_purchase BIGINT,
    sangong_vehicle_running BIGINT,
    carryover BIGINT,
    staff_count BIGINT,
    public_use BIGINT,
    UNIQUE (unit_id, year, source)
);

-- 指标变动：调整原因 (budget_vouchers.adjustment_cause)
ALTER TABLE budget_voucher ADD COLUMN adjustment_cause TEXT;

-- The unit's chosen evaluation framework (unit.toml `framework = "…"`, 单位信息「评价框架」): a regional framework
-- file applied whatever its region and checking; NULL, the national rules and the checked files of its region apply.
ALTER TABLE unit ADD COLUMN framework TEXT;
