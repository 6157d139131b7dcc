"""Read-only access to the atlas database, without any UI: open it, run a named query on it, and
turn a missing, stale or damaged file into one DatabaseUnavailable that says how to rebuild.

Why apart from the app's cache (riskatlas.ui.connection): the library (the Map's deck, the
contributions lookup, scripts) runs the same named queries on a connection it is handed, and
must not import Streamlit to do so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from riskatlas import sql
from riskatlas.paths import db_path

BUILD_HINT = "run `python -m riskatlas build`"


class DatabaseUnavailable(RuntimeError):
    """The atlas database is missing, unreadable or lacks a table: the page says how to build it."""


def database_file() -> Path:
    """The database the app reads ($RISKATLAS_DB, else data/atlas.duckdb)."""
    return db_path()


def file_token(path: Path | None = None) -> str:
    """Identity of the database file now (path, mtime, size), so a rebuild (atomic rename) opens
    the new file and keys fresh caches; a missing file says how to build it."""
    path = database_file() if path is None else path
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise DatabaseUnavailable(
            f"No atlas database at {path}: {BUILD_HINT} (or set RISKATLAS_DB)."
        ) from exc
    return f"{path.resolve()}:{stat.st_mtime_ns}:{stat.st_size}"


def token_path(token: str) -> str:
    """The file path inside a file_token."""
    return token.rsplit(":", 2)[0]


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that can reach no file or extension beyond the atlas, checked by
    reading the sites table (an unreadable file says how to rebuild)."""
    try:
        con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
        sql.execute(con, "sites_count").fetchall()
    except duckdb.Error as exc:
        raise DatabaseUnavailable(
            f"The atlas database at {path} cannot be read ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0]}): {BUILD_HINT}."
        ) from exc
    return con


def sql_text(name: str, includes: dict[str, str] | None = None) -> str:
    """The text of queries/<name>.sql (plain names only): one loader, riskatlas.sql.load."""
    return sql.load(name, **(includes or {}))


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict[str, Any] | None = None,
    includes: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters on ``con``; a database that lacks what the
    query needs, or cannot be read, raises DatabaseUnavailable (a query bug stays one)."""
    try:
        return con.execute(sql_text(name, includes), params or {}).df()
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


def freeze(params: dict[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """Hashable, order-independent params (lists become tuples) for a result cache."""
    out = []
    for key, value in sorted((params or {}).items()):
        if isinstance(value, list | tuple | set | frozenset):
            value = tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
        out.append((key, value))
    return tuple(out)
