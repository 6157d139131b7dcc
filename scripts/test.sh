#!/usr/bin/env bash
# Set up (venv, Debian chromium for the browser tests), check style, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Debian packages the tests drive: chromium (browser tests), nginx (replicas behind a proxy)
bash scripts/setup-system.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
