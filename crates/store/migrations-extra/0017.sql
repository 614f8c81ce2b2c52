-- Versions of a unit's profile (单位信息: name, region, 主管部门, 财政局, framework, 职能职责, 内设机构), insert-only.
-- A confirmed change adds a version valid from the import's fiscal year; a unit-year's books read the version
-- in force for that year (the greatest valid_from_year not after it, then the greatest version). A unit that
-- never changed has no rows here: its `unit` row is its one version. The first change writes that row as
-- version 1 before its own version 2. The `unit` row (with unit_duty, unit_office) holds the version in force
-- for the newest year, the one a new import is compared with and the unit lists show.
CREATE TABLE unit_profile_version (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    version BIGINT NOT NULL,
    valid_from_year BIGINT NOT NULL,
    profile TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    entered_by TEXT,
    entered_at BIGINT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (unit_id, version)
);
