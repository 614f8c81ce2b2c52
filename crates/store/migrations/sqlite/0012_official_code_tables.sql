-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- Official 政府收支分类科目 tables (schema version 12), loaded by `jixiao codes import FILE --year YYYY` from
-- the 科目 table a 预算管理一体化 system exports. Insert-only: each load is one `code_table_load` with its
-- rows; the latest load of a year is the edition in force for that year in this database (it replaces the
-- embedded one, and checking becomes strict). Loading the same content again adds nothing.
CREATE TABLE code_table_load (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year BIGINT NOT NULL,
    source_file TEXT NOT NULL,
    loaded_at BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    content_hash TEXT NOT NULL
);

CREATE INDEX code_table_load_year ON code_table_load (year, id);

CREATE TABLE code_table_row (
    load_id BIGINT NOT NULL REFERENCES code_table_load(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (load_id, code)
);
