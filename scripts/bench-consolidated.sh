#!/usr/bin/env bash
# The consolidated-report benchmark (BENCHMARKS.md): loads UNITS generated units of VOUCHERS money records each
# (budget vouchers, receipts, expenditures) into a throwaway PostgreSQL through the import path, then times the
# 财政局's region report — the aggregate SQL alone (over the line-month totals), the same sums through the generic record loader, and the
# whole report (every unit's books check and evaluation) — and shows the plans of the two aggregate statements.
#   scripts/bench-consolidated.sh [UNITS] [VOUCHERS]      (default 1000 × 1000 = 1M vouchers)
# With JIXIAO_BIN=path/to/jixiao (a release build), also times `jixiao report --scope region` end to end: cold
# (the stored unit-year summaries deleted, so every unit is assessed from its books and its summary written),
# warm (one stored summary row per unit), and the warm-up on its own (`jixiao summarize`, then the report).
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS=${1:-1000}
VOUCHERS=${2:-1000}
cargo build -q --release -p jixiao-testdata
# The bench binary from the cargo target directory in use (CARGO_TARGET_DIR, else target/).
export BENCH_BIN="${CARGO_TARGET_DIR:-target}/release/jixiao-bench"
export UNITS VOUCHERS
JIXIAO_PG_PORT=${JIXIAO_PG_PORT:-55433} scripts/with-postgres.sh bash -c '
  set -euo pipefail
  echo "machine: $(nproc) cores, $(free -g | awk "/Mem:/ {print \$2}") GiB, $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //")"
  echo "PostgreSQL: $(psql "$JIXIAO_TEST_PG_URL" -tAc "SHOW server_version")"
  "$BENCH_BIN" --db "$JIXIAO_TEST_PG_URL" --units "$UNITS" --vouchers "$VOUCHERS"
  psql "$JIXIAO_TEST_PG_URL" -qc "VACUUM ANALYZE"
  echo "after VACUUM ANALYZE:"
  "$BENCH_BIN" --db "$JIXIAO_TEST_PG_URL" --units "$UNITS" --vouchers "$VOUCHERS" --skip-load
  psql "$JIXIAO_TEST_PG_URL" -tAc "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables WHERE relname IN ('"'"'expenditure'"'"', '"'"'budget_voucher'"'"', '"'"'receipt'"'"') ORDER BY relname"
  psql "$JIXIAO_TEST_PG_URL" -tAc "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables WHERE relname = '"'"'line_month_total'"'"'"
  # The execution sums read the line-month totals (schema version 7), not the vouchers.
  q="SELECT u.code, CAST(SUM(CASE WHEN l.id IS NULL THEN 0 ELSE t.carry_over + t.initial + t.adjustments END) AS BIGINT), CAST(SUM(t.spent) AS BIGINT) FROM line_month_total t JOIN unit u ON u.id = t.unit_id LEFT JOIN appropriation_line l ON l.unit_id = t.unit_id AND l.year = t.year AND l.line_code = t.line_code WHERE t.year = 2020 AND u.bureau_code = '"'"'BENCH'"'"' GROUP BY u.code"
  psql "$JIXIAO_TEST_PG_URL" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $q" | grep -E "Scan|Join|Aggregate|Execution Time"
  if [ -n "${JIXIAO_BIN:-}" ]; then
    report() { /usr/bin/time -f "jixiao report --scope region ($1): %e s wall, %M KB max RSS" "$JIXIAO_BIN" --db "$JIXIAO_TEST_PG_URL" report --scope region --bureau BENCH --year 2020 --format html -o /tmp/jixiao-bench-region.html; }
    psql "$JIXIAO_TEST_PG_URL" -qc "DELETE FROM unit_year_summary"
    report "cold: no stored summaries"
    report "warm: one stored summary per unit"
    report "warm, again"
    psql "$JIXIAO_TEST_PG_URL" -qc "DELETE FROM unit_year_summary"
    /usr/bin/time -f "jixiao summarize --bureau BENCH (every unit): %e s wall, %M KB max RSS" "$JIXIAO_BIN" --db "$JIXIAO_TEST_PG_URL" summarize --bureau BENCH --year 2020
    report "after summarize"
    echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
  fi
'
