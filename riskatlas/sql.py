"""Named SQL from ``queries/*.sql``, always run with bound parameters (never string-formatted)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"[a-z0-9_]+")


@functools.lru_cache(maxsize=256)
def load(name: str) -> str:
    """The text of ``queries/<name>.sql``; only plain names, so a URL value can never pick a file."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query with named parameters ($name in the SQL) and return a DataFrame."""
    return con.execute(load(name), params or {}).df()
