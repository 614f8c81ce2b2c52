#!/usr/bin/env bash
# The main job: the web application on an embedded SQLite file loaded with the demo unit (芙蓉区科学技术协会,
# 2020) and demo users (password `demo`), on http://127.0.0.1:8080/ (JIXIAO_PORT to change). Ctrl-C stops it.
# `jixiao report --year 2020 --format md` prints the same unit's report on the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
# PDF reports need a CJK font (Debian's fonts-noto-cjk); installed where missing, if this user may.
if ! ls /usr/share/fonts/opentype/noto/NotoSerifCJK* /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 && [ -z "${JIXIAO_FONT_DIR:-}" ]; then
  sudo_cmd=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
  if command -v apt-get >/dev/null 2>&1; then
    { $sudo_cmd apt-get update -q && $sudo_cmd apt-get install -y -q fonts-noto-cjk; } >/dev/null || echo "未能安装 fonts-noto-cjk：PDF 下载不可用（其他格式不受影响）" >&2
  fi
fi
cargo build -q --release -p jixiao-cli
exec target/release/jixiao serve --demo --addr "127.0.0.1:${JIXIAO_PORT:-8080}"
