-- Tamper evidence: every stored record is appended, in the transaction that stores it, to one SHA-256 hash
-- chain (record_chain, in seq order). chain_head holds the chain's length and last hash; every append
-- updates it first, which on PostgreSQL locks the row, so concurrent imports extend one chain in turn.
-- `started` = 0 until the records stored before this version have been chained (once, when the store opens).
CREATE TABLE record_chain (
    seq BIGINT PRIMARY KEY,
    record_table TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (record_table, record_id)
);

CREATE TABLE chain_head (
    id BIGINT PRIMARY KEY,
    length BIGINT NOT NULL,
    hash TEXT NOT NULL,
    started BIGINT NOT NULL
);

INSERT INTO chain_head (id, length, hash, started) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- Period close (结账): a closed month (YYYY-MM) or year (YYYY), for one unit or (empty unit_code) for every unit.
CREATE TABLE closed_period (
    {ID},
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    closed_at BIGINT NOT NULL,
    UNIQUE (unit_code, period)
);
