"""The hotspot query (brand + mineral + minimum risk -> ranked sites with citations) on DuckDB:
the app's query on the precomputed hotspots table, and the same question as one join."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import Timing, repeat

SQL_FILE = Path(__file__).with_name("hotspot.sql")  # the join over the source tables
TABLE_SQL_FILE = Path(__file__).with_name("hotspot_table.sql")  # the precomputed table
LIMIT = 100


def sql_text(path: Path = SQL_FILE) -> str:
    return path.read_text(encoding="utf-8")


def sqlite_text(path: Path = SQL_FILE) -> str:
    """The same statement for SQLite / Datasette: only the parameter marks differ."""
    return re.sub(r"\$(\w+)", r":\1", sql_text(path))


def pick_params(db: Path) -> dict:
    """The brand and mineral with the most documented sites of known labour risk in ``db``, and
    the median labour score of those sites (rounded down to 5) as the minimum risk."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            """
            SELECT l.brand_id, l.mineral, count(DISTINCT l.site_id) AS n,
                   median(r.labour) AS med
            FROM links l JOIN site_risk r ON r.site_id = l.site_id
            WHERE l.mineral IS NOT NULL AND r.labour IS NOT NULL
            GROUP BY ALL ORDER BY n DESC, l.brand_id, l.mineral LIMIT 1
            """
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise RuntimeError(f"{db}: no brand link to a site with a known labour score")
    brand, mineral, _, med = row
    return {"brand": brand, "mineral": mineral, "min_risk": float(int(med // 5) * 5), "lim": LIMIT}


def app_params(params: dict) -> dict:
    """The bench's parameters as queries/hotspots.sql takes them (labour risk)."""
    return {
        "brand": params["brand"],
        "mineral": params["mineral"],
        "dimension": "labour",
        "min_risk": params["min_risk"],
        "limit": params["lim"],
    }


def run(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    """The app's hotspot query (queries/hotspots.sql on the build's hotspots table)."""
    from riskatlas import sql

    return sql.run(con, "hotspots", app_params(params))


def run_join(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    """The same question as one join over the source tables (bench/hotspot.sql), the text
    Datasette runs too: what DuckDB does without the precomputed table."""
    return con.execute(sql_text(), params).df()


def _timed(db: Path, fn, params: dict, reps: int) -> tuple[Timing, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = fn(con, params)
        return repeat(lambda: fn(con, params), reps), result
    finally:
        con.close()


def time_duckdb(db: Path, params: dict, reps: int) -> tuple[Timing, pd.DataFrame]:
    """p50/p95 of the app's hotspot query on a read-only connection (the app's access pattern),
    and its result (to check that Datasette returns the same rows)."""
    return _timed(db, run, params, reps)


def time_join(db: Path, params: dict, reps: int) -> tuple[Timing, pd.DataFrame]:
    """p50/p95 of the join over the source tables on DuckDB (the text Datasette runs)."""
    return _timed(db, run_join, params, reps)


def same_rows(a: list[str], b: list[str]) -> bool:
    """The same sites in the same order (ties in score may order differently: compared as sets
    when the lists differ only in order)."""
    return a == b or (len(a) == len(b) and sorted(a) == sorted(b))


def app_path(
    con: duckdb.DuckDBPyConnection, params: dict, with_mineral: bool = True
) -> pd.DataFrame:
    """The Map page's own route to its hotspot table for the brand and mineral (or the brand
    alone, its widest view): the view's count and its top 1,000 rows ranked in DuckDB
    (queries/view_counts.sql, view_ranked.sql), without Streamlit's result cache."""
    from riskatlas import sql
    from riskatlas.filters import FilterState
    from riskatlas.ui.brand_view import TABLE_ROWS
    from riskatlas.view import View

    minerals = (params["mineral"],) if with_mineral else ()
    state = FilterState(brands=(params["brand"],), minerals=minerals, min_risk=params["min_risk"])
    view = View.open(state, lambda name, p, inc: sql.run(con, name, p, inc))
    return view.top(TABLE_ROWS)
