"""The hotspot query (brand + mineral + minimum risk -> ranked sites with citations) on DuckDB."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import Timing, repeat

SQL_FILE = Path(__file__).with_name("hotspot.sql")
LIMIT = 100


def sql_text() -> str:
    return SQL_FILE.read_text(encoding="utf-8")


def sqlite_text() -> str:
    """The same statement for SQLite / Datasette: only the parameter marks differ."""
    return re.sub(r"\$(\w+)", r":\1", sql_text())


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


def run(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    """One hotspot query, fetched to pandas as the app would."""
    return con.execute(sql_text(), params).df()


def time_duckdb(db: Path, params: dict, reps: int) -> tuple[Timing, pd.DataFrame]:
    """p50/p95 of the hotspot query on a read-only connection (the app's access pattern), and
    its result (to check that Datasette returns the same rows)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = run(con, params)
        return repeat(lambda: run(con, params), reps), result
    finally:
        con.close()


def app_path(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    """The Map page's own route to its hotspot table: the two named queries of queries/, then
    the min_risk filter and ranking of riskatlas.ui.data (without Streamlit's result cache)."""
    from riskatlas import sql
    from riskatlas.ui.data import rank

    p = {
        "brands": [params["brand"]],
        "minerals": [params["mineral"]],
        "tiers": [],
        "countries": [],
        "year": None,
    }
    frame = pd.concat(
        [sql.run(con, "brand_documented", p), sql.run(con, "brand_inferred", p)],
        ignore_index=True,
    )
    score = frame["labour"]
    frame = frame[score.notna() & (score >= params["min_risk"])]
    return rank(frame, "labour")


def time_app_path(db: Path, params: dict, reps: int) -> tuple[Timing, int]:
    """p50/p95 of the app's hotspot route on the same database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        n = len(app_path(con, params))
        return repeat(lambda: app_path(con, params), reps), n
    finally:
        con.close()
