-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- The files an import held whole (today the streamed expenditure file of a CSV directory), by the SHA-256 of
-- their bytes: a later import of the same unit with a file of the same name and digest finds every row of it
-- stored already, and counts them unchanged without reading the file again (re-importing a directory of a
-- million vouchers costs the hashing of its bytes). Insert-only, like the records: a batch's files never change.
CREATE TABLE import_file (
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    PRIMARY KEY (batch_id, name)
);
CREATE INDEX import_file_by_digest ON import_file (unit_id, name, digest);
