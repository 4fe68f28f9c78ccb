#!/usr/bin/env bash
# Install Debian's Chromium for the web end-to-end tests, only when it is missing.
# The tests drive it with Playwright (executable /usr/bin/chromium); `playwright install`
# (which downloads its own browser build) is never used.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
else
  SUDO=""
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: no apt-get here; install Chromium yourself (tests/test_web_e2e.py skips without it)" >&2
  exit 0
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium
