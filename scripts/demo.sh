#!/usr/bin/env bash
# The main job, for now: load the demo dataset (芙蓉区科学技术协会, 2020) into an embedded SQLite file,
# check its books and print its self-evaluation report. The HTML report is written beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p jixiao-cli
J=target/release/jixiao
DB=${JIXIAO_DB:-sqlite://demo.db}
$J --db "$DB" demo
$J --db "$DB" check --year 2020
$J --db "$DB" report --year 2020 --format html -o demo-report.html
$J --db "$DB" report --year 2020 --format md
echo "HTML 报告：$(pwd)/demo-report.html" >&2
