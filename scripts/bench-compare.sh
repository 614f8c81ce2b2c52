#!/usr/bin/env bash
# jixiao beside ledger and hledger on the same generated books (BENCHMARKS.md, "Side by side").
#   scripts/bench-compare.sh [VOUCHERS] [UNITS]        (default 100000 vouchers in 100 units)
# In one run: `jixiao gen` writes the dataset, `jixiao import` loads it into a fresh SQLite file (then again: the
# re-import adds nothing), `jixiao export --format ledger` writes the journal, then the same question — the
# books' balances — is timed three ways: one unit's full report (check, evaluation, md) and the region report by jixiao, `ledger bal` and `hledger bal`
# on the whole journal (and restricted to that unit). Prints wall times, max RSS and the ratios.
# Installs ledger and hledger (Debian packages) when missing; builds jixiao in release unless JIXIAO_BIN is set.
# Timed commands run REPEAT times (default 3) and the fastest run counts; the load runs once.
# HLEDGER=0 leaves hledger out (at 1M vouchers it takes ~70 s and ~9 GB per run).
set -euo pipefail
cd "$(dirname "$0")/.."
VOUCHERS=${1:-100000}
UNITS=${2:-100}
REPEAT=${REPEAT:-3}
HLEDGER=${HLEDGER:-1}
SEED=${SEED:-1}

if ! command -v ledger >/dev/null || ! command -v hledger >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ledger hledger >/dev/null
fi
if [ -z "${JIXIAO_BIN:-}" ]; then
  cargo build -q --release -p jixiao-cli
  JIXIAO_BIN=target/release/jixiao
fi
JIXIAO_BIN=$(realpath "$JIXIAO_BIN")
work=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="sqlite://$work/books.db"

echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB; $(ledger --version | head -1); $(hledger --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $VOUCHERS money records in $UNITS units (jixiao gen --seed $SEED), SQLite"

declare -A SECS MB
# run KEY LABEL N COMMAND...: the fastest of N runs (wall seconds) and its max RSS.
run() {
  local key=$1 label=$2 n=$3; shift 3
  local best="" rss=0
  for _ in $(seq "$n"); do
    # Wall time from the clock in nanoseconds (GNU time prints hundredths: too coarse for a 10 ms report);
    # max RSS from GNU time.
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
    end=$(date +%s%N)
    local s kb
    s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    read -r kb <"$work/time"
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; rss=$kb; fi
  done
  SECS[$key]=$best; MB[$key]=$((rss / 1024))
  printf '  %-58s %9.3f s %7d MB\n' "$label" "$best" "${MB[$key]}"
}

run gen "jixiao gen" 1 "$JIXIAO_BIN" gen --units "$UNITS" --vouchers "$VOUCHERS" --seed "$SEED" --out "$work/data"
run import "jixiao import (all units, one transaction each)" 1 "$JIXIAO_BIN" --db "$db" import "$work/data"
run reimport "jixiao import again (adds nothing)" 1 "$JIXIAO_BIN" --db "$db" import "$work/data"
# The rows the re-import found unchanged, summed over the units (「N 条已存在未变」 per unit).
unchanged=$({ grep -o '[0-9]* 条已存在未变' "$work/out" || true; } | awk '{ n += $1 } END { print n + 0 }')
run export "jixiao export --format ledger" 1 "$JIXIAO_BIN" --db "$db" export --format ledger -o "$work/books.journal"
units_dirs=("$work"/data/*/)   # a glob, not `ls | head` (SIGPIPE under pipefail with many units)
unit=$(basename "${units_dirs[0]}")
bureau=${unit%%-*}
echo "  journal: $(wc -l <"$work/books.journal") lines, $(du -h "$work/books.journal" | cut -f1); timed unit: $unit"
run report "jixiao report --unit $unit --format md" "$REPEAT" "$JIXIAO_BIN" --db "$db" report --unit "$unit" --year 2020 --format md -o "$work/unit.md"
run region "jixiao report --scope region --format md" "$REPEAT" "$JIXIAO_BIN" --db "$db" report --scope region --bureau "$bureau" --year 2020 --format md -o "$work/region.md"
run ledger "ledger bal" "$REPEAT" ledger -f "$work/books.journal" bal
run ledger_unit "ledger bal ^$unit:" "$REPEAT" ledger -f "$work/books.journal" bal "^$unit:"
if [ "$HLEDGER" != 0 ]; then
  run hledger "hledger bal" "$REPEAT" hledger -f "$work/books.journal" bal
  run hledger_unit "hledger bal ^$unit:" "$REPEAT" hledger -f "$work/books.journal" bal "^$unit:"
fi

ratio() { awk -v a="${SECS[$1]}" -v b="${SECS[$2]}" 'BEGIN { printf "%.0f×", a / b }'; }
echo "ratios (time of the first ÷ time of the second; > 1 means jixiao is faster):"
echo "  ledger bal         / jixiao import:         $(awk -v a="${SECS[ledger]}" -v b="${SECS[import]}" 'BEGIN { printf "%.2f×", a / b }') (issue 18's target: ≥ 2×)"
echo "  jixiao import      / ledger bal:            $(awk -v a="${SECS[import]}" -v b="${SECS[ledger]}" 'BEGIN { printf "%.2f", a / b }') (target: ≤ 0.50)"
echo "import max RSS: ${MB[import]} MB, re-import max RSS: ${MB[reimport]} MB (issue 18's target: ≤ 300 MB)"
echo "re-import: $unchanged rows found unchanged, $(awk -v s="${SECS[reimport]}" -v n="$unchanged" 'BEGIN { if (n > 0) printf "%.3f", s / n * 1e6; else print "n/a" }') s per million rows (issue 18's target: ≤ 1 s)"
echo "  ledger bal ^UNIT:  / jixiao unit report:    $(ratio ledger_unit report)"
[ "$HLEDGER" = 0 ] || echo "  hledger bal ^UNIT: / jixiao unit report:    $(ratio hledger_unit report)"
echo "  ledger bal         / jixiao region report:  $(ratio ledger region)"
[ "$HLEDGER" = 0 ] || echo "  hledger bal        / jixiao region report:  $(ratio hledger region)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
