-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- 绩效监控记录 (monitoring_notes)
CREATE TABLE monitoring_note (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    monitor_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    date TEXT NOT NULL,
    project_code TEXT,
    indicator_code TEXT,
    deviation_reason TEXT,
    corrective_action TEXT,
    expected_amount BIGINT,
    expected_value TEXT,
    likelihood TEXT,
    recorder TEXT,
    UNIQUE (unit_id, year, monitor_code)
);
