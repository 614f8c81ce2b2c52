#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (as root, or with sudo): PostgreSQL, Chromium for
# browser tests (with its Chinese resources), CJK fonts and poppler-utils (pdftotext/pdftoppm), and LibreOffice's headless Writer and Calc
# (the DOCX and xlsx tests convert the files to PDF), and ledger + hledger (the export test and
# scripts/bench-compare.sh read the exported journal with both). Safe to run again.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
# chromium-l10n: Chromium's own texts (file inputs, date fields, form bubbles) in Chinese under --lang=zh-CN;
# without it the browser tests' screenshots show them in English (it upgrades chromium to its own version).
for pkg in postgresql poppler-utils fonts-noto-cjk chromium chromium-l10n ledger hledger; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# Without recommends: the -nogui packages alone are enough for `libreoffice --headless --convert-to pdf`.
lean=()
for pkg in libreoffice-writer-nogui libreoffice-calc-nogui; do
  dpkg -s "$pkg" >/dev/null 2>&1 || lean+=("$pkg")
done
if [ ${#need[@]} -gt 0 ] || [ ${#lean[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  [ ${#need[@]} -eq 0 ] || $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  [ ${#lean[@]} -eq 0 ] || $SUDO apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "cargo not found: install Rust (rustup) first" >&2; exit 1; }

# rustfmt and clippy for the checks of scripts/test.sh.
command -v rustfmt >/dev/null 2>&1 || rustup component add rustfmt
command -v cargo-clippy >/dev/null 2>&1 || rustup component add clippy
