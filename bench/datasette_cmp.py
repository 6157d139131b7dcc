"""Side by side: the Map table's question served by Datasette from a SQLite copy of the source
tables (the published tables a Datasette user would have, with the indexes a careful publisher
adds)."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import requests

from bench import hotspot
from bench.common import VENV_BIN, Timing, repeat
from riskatlas import sql
from riskatlas.server import free_port, stop, wait_http

# The copy's tables, columns, SQLite types and indexes: queries/bench_sqlite_schema.sql and
# bench_sqlite_indexes.sql (the published source tables, with what a careful publisher adds).
SQL_FILES = ("bench_sqlite_schema", "bench_sqlite_indexes", "bench_sqlite_insert")
BATCH = 100_000


def to_sqlite(duck_db: Path, sqlite_path: Path) -> float:
    """Copy the hotspot tables from DuckDB into a fresh SQLite file; returns seconds taken."""
    t0 = time.perf_counter()
    sqlite_path.unlink(missing_ok=True)
    src = duckdb.connect(str(duck_db), read_only=True)
    dst = sqlite3.connect(sqlite_path)
    try:
        dst.executescript(sql.load("bench_sqlite_schema"))
        tables = [t for (t,) in sql.execute(dst, "bench_sqlite_tables").fetchall()]
        for table in tables:
            cols = [c for (c,) in sql.execute(dst, "bench_sqlite_columns", {"table": table})]
            # the DuckDB table's columns that the copy declares (in DuckDB's order)
            cur = sql.execute(src, "table_select", {"table": table, "cols": cols})
            names = [d[0] for d in cur.description]
            insert = sql.with_names(
                "bench_sqlite_insert", {*tables, *cols}, table=table, columns=names
            )
            while rows := cur.fetchmany(BATCH):
                dst.executemany(insert, rows)
        dst.executescript(sql.load("bench_sqlite_indexes"))
        dst.commit()
    finally:
        dst.close()
        src.close()
    return time.perf_counter() - t0


@contextlib.contextmanager
def serve(sqlite_path: Path, log: Path | None = None) -> Iterator[str]:
    """Run `datasette serve` on 127.0.0.1 and a free port for the block; yields the base URL."""
    port = free_port()
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "datasette"),
            "serve",
            "--immutable",
            str(sqlite_path),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "--setting",
            "sql_time_limit_ms",
            "600000",
            "--setting",
            "max_returned_rows",
            "1000",
        ],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/-/versions.json", timeout=60, proc=proc)
        yield f"{base}/{sqlite_path.stem}.json"
    finally:
        stop(proc)
        if log:
            out.close()


def query(session: requests.Session, url: str, params: dict, sql: str) -> list[dict]:
    """The hotspot query through Datasette's JSON API (rows as a list of objects)."""
    args = {
        "sql": sql,
        "_shape": "array",
        **{k: str(v) for k, v in params.items()},
    }
    resp = session.get(url, params=args, timeout=600)
    resp.raise_for_status()
    rows = resp.json()
    if isinstance(rows, dict):
        raise RuntimeError(f"Datasette error: {rows}")
    return rows


def time_datasette(url: str, params: dict, reps: int) -> tuple[Timing, list[dict]]:
    """p50/p95 of the join over the source tables over loopback HTTP, keep-alive session, JSON
    decoded: what a Datasette user runs for the question the Map's table answers."""
    sql = hotspot.sqlite_text()
    with requests.Session() as s:
        rows = query(s, url, params, sql)
        return repeat(lambda: query(s, url, params, sql), reps), rows


def time_sqlite(sqlite_path: Path, params: dict, reps: int) -> Timing:
    """The join on SQLite directly (no HTTP), to show where Datasette's time goes."""
    con = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        sql = hotspot.sqlite_text()
        return repeat(lambda: con.execute(sql, params).fetchall(), reps)
    finally:
        con.close()
