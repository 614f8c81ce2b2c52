#!/usr/bin/env bash
# Times `jixiao import` of one generated unit of N vouchers into a fresh SQLite file, then its re-import
# (idempotent: adds nothing), printing wall time and max RSS of each (BENCHMARKS.md, issue 10).
#   JIXIAO_BIN=target/release/jixiao scripts/bench-import.sh 1000000
set -euo pipefail
N=${1:-100000}
BIN=${JIXIAO_BIN:-target/release/jixiao}
WORK=$(mktemp -d /tmp/jixiao-bench-import.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$BIN" gen --units 1 --vouchers "$N" --seed 1 --out "$WORK/data" >/dev/null
UNIT=$(ls "$WORK/data")
echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "expenditures.csv: $(($(wc -l < "$WORK/data/$UNIT/expenditures.csv") - 1)) rows, $(du -h "$WORK/data/$UNIT/expenditures.csv" | cut -f1)"
run() {
  local what=$1; shift
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -v "$@" > "$WORK/out" 2> "$WORK/time"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$WORK/time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$WORK/time" | awk '{print $NF}')
  echo "$what: wall $wall, max RSS $((rss / 1024)) MB, load average before $load — $(tail -1 "$WORK/out")"
}
run "import" "$BIN" --db "sqlite://$WORK/b.db" import "$WORK/data"
run "re-import" "$BIN" --db "sqlite://$WORK/b.db" import "$WORK/data"
run "verify" "$BIN" --db "sqlite://$WORK/b.db" verify
echo "database file: $(du -h "$WORK/b.db" | cut -f1)"
