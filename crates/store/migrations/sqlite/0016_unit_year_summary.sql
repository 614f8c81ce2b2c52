-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- A unit-year's assessment in summary form (its books check's counts and listed rules, its evaluation's total
-- and grade): what a consolidated view prints of the unit, so a region report reads one row per unit instead
-- of the unit's books. A cache: `summary_key` digests everything the assessment depends on (the unit's books
-- version, profile, the year's and prior year's rows, the rules in force, the engine version); a row whose key
-- differs from the one computed now is ignored and rewritten, so it can be stale but never used stale.
CREATE TABLE unit_year_summary (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    year BIGINT NOT NULL,
    summary_key TEXT NOT NULL,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    rules TEXT NOT NULL,
    score BIGINT NOT NULL,
    grade TEXT NOT NULL,
    PRIMARY KEY (unit_id, year)
);
