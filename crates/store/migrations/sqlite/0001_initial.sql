-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).
CREATE TABLE unit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    parent_department TEXT NOT NULL,
    content_hash TEXT NOT NULL
);

CREATE TABLE unit_duty (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    seq BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (unit_id, seq)
);

CREATE TABLE unit_office (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    duties TEXT NOT NULL,
    PRIMARY KEY (unit_id, seq)
);

CREATE TABLE unit_year (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    year BIGINT NOT NULL,
    report_date TEXT,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE import_batch (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    source TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    added BIGINT NOT NULL,
    unchanged BIGINT NOT NULL
);

-- 人员编制 (staffing)
CREATE TABLE staffing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    year BIGINT NOT NULL,
    category TEXT NOT NULL,
    authorized BIGINT NOT NULL,
    actual BIGINT NOT NULL,
    UNIQUE (unit_id, year, category)
);

-- 预算指标 (appropriation_lines)
CREATE TABLE appropriation_line (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    line_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    function_code TEXT NOT NULL,
    economic_code TEXT NOT NULL,
    spending_kind TEXT NOT NULL,
    project_code TEXT,
    fund_source TEXT NOT NULL,
    stated_annual_budget BIGINT,
    reported_name TEXT,
    note TEXT,
    UNIQUE (unit_id, year, line_code)
);

-- 指标变动 (budget_vouchers)
CREATE TABLE budget_voucher (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    voucher_no TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    line_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    document TEXT,
    reverses TEXT,
    recorded_by TEXT,
    note TEXT,
    UNIQUE (unit_id, year, voucher_no)
);

-- 收入 (receipts)
CREATE TABLE receipt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    voucher_no TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    fund_source TEXT NOT NULL,
    function_code TEXT NOT NULL,
    amount BIGINT NOT NULL,
    payer TEXT,
    reverses TEXT,
    recorded_by TEXT,
    note TEXT,
    UNIQUE (unit_id, year, voucher_no)
);

-- 支出凭证 (expenditures)
CREATE TABLE expenditure (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    voucher_no TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    line_code TEXT NOT NULL,
    amount BIGINT NOT NULL,
    payee TEXT NOT NULL,
    purpose TEXT NOT NULL,
    procurement_ref TEXT,
    reverses TEXT,
    recorded_by TEXT,
    note TEXT,
    UNIQUE (unit_id, year, voucher_no)
);

-- 项目 (projects)
CREATE TABLE project (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    project_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    is_key BIGINT NOT NULL,
    department TEXT,
    goal TEXT NOT NULL,
    outcome TEXT,
    note TEXT,
    UNIQUE (unit_id, year, project_code)
);

-- 绩效指标 (project_indicators)
CREATE TABLE project_indicator (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    project_code TEXT NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    level3 TEXT NOT NULL,
    direction TEXT NOT NULL,
    target TEXT NOT NULL,
    actual TEXT,
    unit TEXT,
    evidence TEXT,
    deviation_reason TEXT,
    UNIQUE (unit_id, year, indicator_code)
);

-- 活动产出 (activity_outputs)
CREATE TABLE activity_output (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    output_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT,
    activity TEXT NOT NULL,
    project_code TEXT,
    output TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    qualifier TEXT NOT NULL,
    unit TEXT NOT NULL,
    evidence TEXT,
    UNIQUE (unit_id, year, output_code)
);

-- 采购记录 (procurements)
CREATE TABLE procurement (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    procurement_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    project_code TEXT,
    item TEXT NOT NULL,
    method TEXT NOT NULL,
    is_government_procurement BIGINT NOT NULL,
    budget_amount BIGINT,
    contract_amount BIGINT NOT NULL,
    supplier TEXT,
    contract_no TEXT,
    accepted_on TEXT,
    note TEXT,
    UNIQUE (unit_id, year, procurement_code)
);

-- 固定资产 (fixed_assets)
CREATE TABLE fixed_asset (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    asset_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    original_value BIGINT NOT NULL,
    acquired_on TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    UNIQUE (unit_id, year, asset_code)
);

-- 内控制度 (control_documents)
CREATE TABLE control_document (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    document_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    note TEXT,
    UNIQUE (unit_id, year, document_code)
);

-- 三重一大 (major_decisions)
CREATE TABLE major_decision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    decision_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    amount BIGINT,
    meeting TEXT,
    UNIQUE (unit_id, year, decision_code)
);

-- 报告文字 (narratives)
CREATE TABLE narrative (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    section TEXT NOT NULL,
    year BIGINT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (unit_id, year, section)
);
