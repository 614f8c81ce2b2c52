#!/usr/bin/env bash
# Short runs of the fuzz targets in fuzz/: the report linter's and the CSV and xlsx importers'
# (fuzz/fuzz_targets). libFuzzer through cargo-fuzz, on the stable toolchain with RUSTC_BOOTSTRAP=1
# (cargo-fuzz needs nightly flags). Installs cargo-fuzz if missing. Each run prints libFuzzer's last lines,
# which give the executions done ("Done N runs"); a crash, a leak, a timeout or running out of memory fails.
# JIXIAO_FUZZ_SECONDS sets the linter's run (default 30 s), JIXIAO_IMPORT_FUZZ_SECONDS each importer's (15 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz --locked
fuzz() { # directory, target, seconds, max_len, seed directory (or empty)
  local dir=$1 target=$2 seconds=$3 max_len=$4 seeds=${5:-}
  local corpus
  corpus=$(mktemp -d)
  [ -n "$seeds" ] && cp "$seeds"/* "$corpus"/
  echo "fuzz $target for ${seconds}s:"
  (cd "$root/$dir" && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$corpus" -- \
     -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -n 3)
  rm -rf "$corpus"
}
fuzz fuzz lint_text "${JIXIAO_FUZZ_SECONDS:-30}" 8192
fuzz fuzz import_csv "${JIXIAO_IMPORT_FUZZ_SECONDS:-15}" 16384 "$root/fuzz/seeds/csv"
fuzz fuzz import_xlsx "${JIXIAO_IMPORT_FUZZ_SECONDS:-15}" 65536 "$root/fuzz/seeds/xlsx"
# Sparse and huge-dimension sheets, built from the input (cells anywhere in the grid, dimension true, missing or forged).
fuzz fuzz import_xlsx_sparse "${JIXIAO_IMPORT_FUZZ_SECONDS:-15}" 513
# The linter's spreadsheet reader (自评表 published as xlsx): workbooks built from the input.
fuzz fuzz lint_xlsx "${JIXIAO_IMPORT_FUZZ_SECONDS:-15}" 65536
