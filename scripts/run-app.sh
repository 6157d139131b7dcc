#!/usr/bin/env bash
# Set up, build the atlas database if it is missing, and start the app on http://127.0.0.1:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
case " $* " in  # several replicas need nginx (Debian package)
  *" --replicas"*) bash scripts/setup-system.sh ;;
esac
DB=${RISKATLAS_DB:-data/atlas.duckdb}
if [ ! -f "$DB" ]; then
  .venv/bin/python -m riskatlas build --out "$DB"
fi
# the command line lives in riskatlas/server.py (the tests and benchmarks start the same one)
exec .venv/bin/python -m riskatlas.server "$@"
