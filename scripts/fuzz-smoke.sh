#!/usr/bin/env bash
# A short run of the report linter's fuzz target (crates/lint/fuzz): libFuzzer through cargo-fuzz, on the
# stable toolchain with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly flags). Installs cargo-fuzz if missing.
set -euo pipefail
cd "$(dirname "$0")/../crates/lint/fuzz"
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz --locked
RUSTC_BOOTSTRAP=1 cargo fuzz run lint_text -- -max_total_time="${JIXIAO_FUZZ_SECONDS:-30}" -max_len=8192 2>&1 | tail -n 3
