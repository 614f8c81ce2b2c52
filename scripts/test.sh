#!/usr/bin/env bash
# Installs what the tests need (PostgreSQL, Chromium, CJK fonts, poppler-utils, ledger, hledger) and runs every test,
# the store and CLI tests on SQLite and on a throwaway PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
# The code is formatted as rustfmt.toml says (`cargo fmt --all` fixes it).
cargo fmt --all --check
# No clippy warnings (a deliberate exception carries an allow with its reason).
cargo clippy --workspace --all-targets -q -- -D warnings
if command -v cargo-nextest >/dev/null 2>&1; then
  runner=(cargo nextest run --workspace --no-fail-fast)
else
  runner=(cargo test --workspace --no-fail-fast)
fi
scripts/with-postgres.sh "${runner[@]}"
# Doc tests are not run by nextest.
cargo test --workspace --doc -q
# The report linter must never panic: a short fuzz run.
scripts/fuzz-smoke.sh
