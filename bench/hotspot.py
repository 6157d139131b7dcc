"""The question the Map's ranked table answers (a brand, a mineral, a minimum labour risk ->
ranked sites with citations, documented and inferred apart), asked without the atlas's derived
tables: one join over the source tables (queries/bench_hotspot.sql), the text Datasette runs
too."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import Timing, repeat
from riskatlas import sql
from riskatlas.view import TABLE_ROWS

JOIN_QUERY = "bench_hotspot"  # queries/bench_hotspot.sql: the join over the source tables
LIMIT = TABLE_ROWS  # as many rows as the Map's table shows


def sql_text(name: str = JOIN_QUERY) -> str:
    return sql.load(name)


def sqlite_text(name: str = JOIN_QUERY) -> str:
    """The same statement for SQLite / Datasette: only the parameter marks differ."""
    return re.sub(r"\$(\w+)", r":\1", sql_text(name))


def pick_params(db: Path) -> dict:
    """The brand and mineral with the most documented sites of known labour risk in ``db``, and
    the median labour score of those sites (rounded down to 5) as the minimum risk."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = sql.execute(con, "bench_pick_params").fetchone()
    finally:
        con.close()
    if row is None:
        raise RuntimeError(f"{db}: no brand link to a site with a known labour score")
    brand, mineral, _, med = row
    return {"brand": brand, "mineral": mineral, "min_risk": float(int(med // 5) * 5), "lim": LIMIT}


def run_join(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    """The question as one join over the source tables (queries/bench_hotspot.sql), the text Datasette
    runs too: the naive route, what DuckDB does without the build's derived tables."""
    return con.execute(sql_text(), params).df()


def time_join(db: Path, params: dict, reps: int) -> tuple[Timing, pd.DataFrame]:
    """p50/p95 of the join over the source tables on DuckDB, and its rows."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = run_join(con, params)
        return repeat(lambda: run_join(con, params), reps), result
    finally:
        con.close()


def same_as_page(rows: list[dict], frames: dict[tuple[str, ...], pd.DataFrame]) -> bool:
    """Whether one ranking of both kinds (``rows``: site_id, kind, labour) holds what the Map's
    tables hold: per kind, its rows are the top of the page's table of that kind (the same
    scores in order; the same sites above the last score, where ties may be cut either way)."""
    for kind in ("documented", "inferred"):
        mine = [r for r in rows if r["kind"] == kind]
        page = frames.get((kind,))
        if page is None:
            if mine:
                return False
            continue
        head = page.head(len(mine))
        if len(head) < len(mine):
            return False
        scores = [round(float(r["labour"]), 6) for r in mine]
        if scores != [round(float(x), 6) for x in head["labour"]]:
            return False
        if mine:
            last = scores[-1]
            above = {r["site_id"] for r in mine if round(float(r["labour"]), 6) > last}
            if not above <= set(head["site_id"]):
                return False
        if len(rows) < LIMIT and len(mine) != len(page):
            return False  # nothing was cut: every row of the page's table is there
    return True
