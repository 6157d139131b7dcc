#!/usr/bin/env bash
# Create the virtual environment from the pinned requirements (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! cmp -s requirements.txt .venv/.requirements.installed 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  cp requirements.txt .venv/.requirements.installed
fi
# The package installed in editable mode: `riskatlas ...` and `python -m riskatlas` run from any
# directory (the queries/ folder and the data mirror are found from the checkout).
SITE=$(.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
rm -f "$SITE/riskatlas-repo.pth"
# Reinstall when the editable install points at another checkout (a copied or moved venv).
HERE=$(pwd -P)
if ! (cd / && "$HERE/.venv/bin/python" -c "import riskatlas, sys; sys.exit(riskatlas.__file__ != '$HERE/riskatlas/__init__.py')") 2>/dev/null \
   || ! cmp -s pyproject.toml .venv/.pyproject.installed 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  cp pyproject.toml .venv/.pyproject.installed
fi
