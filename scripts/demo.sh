#!/usr/bin/env bash
# The main job: the web application on an embedded SQLite file loaded with the demo unit (芙蓉区科学技术协会,
# 2020) and demo users (password `demo`), on http://127.0.0.1:8080/ (JIXIAO_PORT to change). Ctrl-C stops it.
# `jixiao report --year 2020 --format md` prints the same unit's report on the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p jixiao-cli
exec target/release/jixiao serve --demo --addr "127.0.0.1:${JIXIAO_PORT:-8080}"
