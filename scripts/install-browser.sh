#!/usr/bin/env bash
# Debian's Chromium and the Playwright driver for the web chat browser test
# (tests/gateway/test_webchat_browser.py). Idempotent and fast when both are present.
# Playwright's own browser downloads are never used: the test launches /usr/bin/chromium.
set -euo pipefail

VENV="${VENV:-.venv}"
PLAYWRIGHT_VERSION="1.65.2"

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium
fi

if ! "$VENV/bin/python" -c "import playwright" 2>/dev/null; then
    "$VENV/bin/python" -m pip install -q "playwright==${PLAYWRIGHT_VERSION}"
fi

/usr/bin/chromium --version
