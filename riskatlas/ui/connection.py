"""The app's handle on the atlas: one read-only connection per database file shared by every
session (st.cache_resource), a cursor per thread, and named queries whose small results are
cached per file and parameters (st.cache_data).

Why here and not in riskatlas.db: the caches are Streamlit's; the library only opens the file,
runs a named query on a connection it is handed and says how to rebuild a bad file.
"""

from __future__ import annotations

import threading
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from riskatlas import db, settings


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(token: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database file version, shared by every session."""
    return db.connect_read_only(db.token_path(token))


_local = threading.local()


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the shared connection for this thread: DuckDB connections are not thread-safe."""
    con = _connection(db.file_token())
    cached = getattr(_local, "cursors", None)
    if cached is None or cached[0] is not con:
        _local.cursors = (con, con.cursor())
    return _local.cursors[1]


@st.cache_data(max_entries=8 * settings.VIEW_CACHE.number(), show_spinner=False)
def _cached(
    name: str,
    params: tuple[tuple[str, Any], ...],
    token: str,
    includes: tuple[tuple[str, str], ...] = (),
) -> pd.DataFrame:
    return db.run(cursor(), name, dict(params), dict(includes))


def query(
    name: str, params: dict[str, Any] | None = None, includes: dict[str, str] | None = None
) -> pd.DataFrame:
    """Run the named query with parameters; results are cached per database file and params.

    Returns a copy, so a page may add columns without touching the cache.
    """
    token = db.file_token()
    frozen = db.freeze(params)
    thawed = tuple((k, list(v) if isinstance(v, tuple) else v) for k, v in frozen)
    return _cached(name, thawed, token, tuple(sorted((includes or {}).items()))).copy()


def fetch(
    name: str, params: dict[str, Any] | None = None, includes: dict[str, str] | None = None
) -> pd.DataFrame:
    """Run the named query without the result cache: for rows that feed a cache of their own
    (the Map's deck) or are fetched once for a download, where pickling them into the cache
    would cost more than the query (100 ms for 7,000 points with list columns)."""
    db.file_token()  # a missing database says how to build it
    return db.run(cursor(), name, params, includes)


def version() -> str:
    """Identity of the database file now (path, mtime, size): a cache key that a rebuild changes."""
    return db.file_token()


def tables() -> set[str]:
    """Names of the tables in the database (optional tables are checked before use)."""
    return set(query("table_names")["table_name"])


def has_table(name: str) -> bool:
    return name in tables()
