-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- 指标完成登记 (indicator_results)
CREATE TABLE indicator_result (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    result_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    indicator_code TEXT NOT NULL,
    date TEXT NOT NULL,
    actual TEXT NOT NULL,
    evidence TEXT,
    deviation_reason TEXT,
    recorder TEXT,
    UNIQUE (unit_id, year, result_code)
);
