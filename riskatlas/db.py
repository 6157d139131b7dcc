"""Read-only access to the atlas database for the app: one cached connection, named SQL queries."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from riskatlas import sql
from riskatlas.paths import db_path

BUILD_HINT = "run `python -m riskatlas build`"


class DatabaseUnavailable(RuntimeError):
    """The atlas database is missing, unreadable or lacks a table: the page says how to build it."""


def database_file() -> Path:
    """The database the app reads ($RISKATLAS_DB, else data/atlas.duckdb)."""
    return db_path()


def _token(path: Path) -> str:
    """Identity of the current database file, so a rebuild (atomic rename) opens the new file."""
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise DatabaseUnavailable(
            f"No atlas database at {path}: {BUILD_HINT} (or set RISKATLAS_DB)."
        ) from exc
    return f"{path.resolve()}:{stat.st_mtime_ns}:{stat.st_size}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(token: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database file version, shared by every session."""
    path = token.rsplit(":", 2)[0]
    try:
        con = duckdb.connect(path, read_only=True, config={"enable_external_access": False})
        sql.execute(con, "sites_count").fetchall()
    except duckdb.Error as exc:
        raise DatabaseUnavailable(
            f"The atlas database at {path} cannot be read ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0]}): {BUILD_HINT}."
        ) from exc
    return con


_local = threading.local()


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the shared connection for this thread: DuckDB connections are not thread-safe."""
    token = _token(database_file())
    con = _connection(token)
    cached = getattr(_local, "cursors", None)
    if cached is None or cached[0] is not con:
        _local.cursors = (con, con.cursor())
    return _local.cursors[1]


def sql_text(name: str, includes: dict[str, str] | None = None) -> str:
    """The text of queries/<name>.sql (plain names only): one loader, riskatlas.sql.load."""
    return sql.load(name, **(includes or {}))


def _run(
    name: str, params: dict[str, Any] | None, includes: dict[str, str] | None = None
) -> pd.DataFrame:
    try:
        return cursor().execute(sql_text(name, includes), params or {}).df()
    except duckdb.CatalogException as exc:
        raise DatabaseUnavailable(
            f"The atlas database lacks what query '{name}' needs "
            f"({str(exc).splitlines()[0]}): {BUILD_HINT} with the current code."
        ) from exc
    except (
        duckdb.IOException,
        duckdb.InternalException,
        duckdb.SerializationException,
        duckdb.FatalException,  # the database was invalidated by an earlier internal error
    ) as exc:
        raise DatabaseUnavailable(
            f"The atlas database cannot be read ({str(exc).splitlines()[0]}): {BUILD_HINT}."
        ) from exc
    except duckdb.Error as exc:
        # a damaged block (checksum mismatch) raises the base class; anything else is a query
        # bug and is left to show as one
        if "corrupt database file" not in str(exc).lower():
            raise
        raise DatabaseUnavailable(
            f"The atlas database is damaged ({str(exc).splitlines()[0]}): {BUILD_HINT}."
        ) from exc


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(
    name: str,
    params: tuple[tuple[str, Any], ...],
    token: str,
    includes: tuple[tuple[str, str], ...] = (),
) -> pd.DataFrame:
    return _run(name, dict(params), dict(includes))


def _freeze(params: dict[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """Hashable, order-independent params (lists become tuples) for the result cache."""
    out = []
    for key, value in sorted((params or {}).items()):
        if isinstance(value, list | tuple | set | frozenset):
            value = tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
        out.append((key, value))
    return tuple(out)


def query(
    name: str, params: dict[str, Any] | None = None, includes: dict[str, str] | None = None
) -> pd.DataFrame:
    """Run the named query with parameters; results are cached per database file and params.

    Returns a copy, so a page may add columns without touching the cache.
    """
    token = _token(database_file())
    frozen = _freeze(params)
    thawed = tuple((k, list(v) if isinstance(v, tuple) else v) for k, v in frozen)
    return _cached(name, thawed, token, tuple(sorted((includes or {}).items()))).copy()


def fetch(
    name: str, params: dict[str, Any] | None = None, includes: dict[str, str] | None = None
) -> pd.DataFrame:
    """Run the named query without the result cache: for rows that feed a cache of their own
    (the Map's deck) or are fetched once for a download, where pickling them into the cache
    would cost more than the query (100 ms for 7,000 points with list columns)."""
    _token(database_file())  # a missing database says how to build it
    return _run(name, params, includes)


def version() -> str:
    """Identity of the database file now (path, mtime, size): a cache key that a rebuild changes."""
    return _token(database_file())


def tables() -> set[str]:
    """Names of the tables in the database (optional tables are checked before use)."""
    return set(query("table_names")["table_name"])


def has_table(name: str) -> bool:
    return name in tables()
