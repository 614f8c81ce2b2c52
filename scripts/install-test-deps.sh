#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (as root, or with sudo): PostgreSQL, Chromium for
# browser tests, CJK fonts and poppler-utils (pdftotext/pdftoppm). Safe to run again.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
for pkg in postgresql poppler-utils fonts-noto-cjk chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "cargo not found: install Rust (rustup) first" >&2; exit 1; }
