-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- 公开记录 (disclosures)
CREATE TABLE disclosure (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    disclosure_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    location TEXT NOT NULL,
    note TEXT,
    UNIQUE (unit_id, year, disclosure_code)
);

-- 满意度调查 (surveys)
CREATE TABLE survey (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    survey_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    subject TEXT NOT NULL,
    project_code TEXT,
    date TEXT,
    sample_size BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    evidence TEXT,
    UNIQUE (unit_id, year, survey_code)
);

-- 评分调整 (score_overrides)
CREATE TABLE score_override (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    content_hash TEXT NOT NULL,
    override_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    indicator TEXT NOT NULL,
    score BIGINT NOT NULL,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    date TEXT NOT NULL,
    UNIQUE (unit_id, year, override_code)
);
