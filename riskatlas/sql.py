"""Named SQL from ``queries/*.sql``, always run with bound parameters (never string-formatted)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"[a-z0-9_]+")
_INCLUDE = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")
_MAX_DEPTH = 6
# Include slots that stand for one of several files; the caller names which (riskatlas.view).
ALIASES = {
    "view_rows": ("view_rows_sites", "view_rows_brands"),
    "view_hits_all": ("view_hits",),  # inside view_hits_top, which stands for view_hits
}


@functools.lru_cache(maxsize=256)
def load(name: str, **includes: str) -> str:
    """The text of ``queries/<name>.sql``; only plain names, so a URL value can never pick a file.

    ``{{other}}`` in a query stands for queries/other.sql as a parenthesised subquery: the Map's
    view is written once (view_rows, view_kept) and each view_* query wraps it, rather than five
    copies of the same filters drifting apart. ``includes`` maps an include to another file
    (view_rows -> view_rows_brands), so a query plans only the rows it can return. Includes are
    file names, never input.
    """
    return _expand(name, 0, includes)


def _expand(name: str, depth: int, includes: dict[str, str]) -> str:
    if name in ALIASES:
        raise ValueError(f"{{{{{name}}}}} needs a file chosen: one of {ALIASES[name]}")
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    if depth > _MAX_DEPTH:
        raise ValueError(f"queries/{name}.sql: includes nested deeper than {_MAX_DEPTH}")
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(
        lambda m: (
            "(\n" + _expand(includes.get(m.group(1), m.group(1)), depth + 1, includes) + "\n)"
        ),
        text,
    )


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict | None = None,
    includes: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Run a named query with named parameters ($name in the SQL) and return a DataFrame."""
    return con.execute(load(name, **(includes or {})), params or {}).df()
