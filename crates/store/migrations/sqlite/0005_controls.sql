-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- 指标控制设置 (line_controls)
CREATE TABLE line_control (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    line_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    mode TEXT NOT NULL,
    tolerance_bp BIGINT,
    note TEXT,
    UNIQUE (unit_id, year, line_code)
);

-- 预算占用 (commitments)
CREATE TABLE commitment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    commitment_no TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    line_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    procurement_ref TEXT,
    reverses TEXT,
    recorded_by TEXT,
    note TEXT,
    UNIQUE (unit_id, year, commitment_no)
);

-- 超控记录 (control_overrides)
CREATE TABLE control_override (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    override_no TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    voucher_no TEXT NOT NULL,
    line_code TEXT NOT NULL,
    shortfall BIGINT NOT NULL,
    reason TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    role TEXT NOT NULL,
    UNIQUE (unit_id, year, override_no)
);

-- 询价记录 (procurement_quotes)
CREATE TABLE procurement_quote (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    quote_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    procurement_ref TEXT NOT NULL,
    supplier TEXT NOT NULL,
    amount BIGINT NOT NULL,
    date TEXT,
    UNIQUE (unit_id, year, quote_code)
);

-- 采购方式变更批复 (procurement_exceptions)
CREATE TABLE procurement_exception (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    exception_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    procurement_ref TEXT NOT NULL,
    approved_method TEXT NOT NULL,
    document TEXT NOT NULL,
    date TEXT NOT NULL,
    UNIQUE (unit_id, year, exception_code)
);

-- 三重一大实施办法 (major_decision_policies)
CREATE TABLE major_decision_policy (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    policy_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    threshold BIGINT NOT NULL,
    document TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    UNIQUE (unit_id, year, policy_code)
);

-- 决策关联 (decision_links)
CREATE TABLE decision_link (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    link_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    decision_code TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    UNIQUE (unit_id, year, link_code)
);

-- 凭证审核 (voucher_approvals)
CREATE TABLE voucher_approval (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    approval_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    voucher_no TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    date TEXT NOT NULL,
    UNIQUE (unit_id, year, approval_code)
);

-- 资产变动 (asset_events)
CREATE TABLE asset_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    event_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    asset_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    counterparty TEXT,
    approval_document TEXT,
    proceeds BIGINT,
    note TEXT,
    UNIQUE (unit_id, year, event_code)
);

-- 资产盘点 (asset_counts)
CREATE TABLE asset_count (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    count_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    asset_code TEXT NOT NULL,
    found BIGINT NOT NULL,
    note TEXT,
    UNIQUE (unit_id, year, count_code)
);

-- Segregation of duties: who entered a batch (the signed-in user of the web app or API), so that a voucher's
-- approver can be checked against its enterer. Empty for imports from files (their source names them).
ALTER TABLE import_batch ADD COLUMN entered_by TEXT;
