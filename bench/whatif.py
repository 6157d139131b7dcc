"""What-if prototypes of the fixes the figures call for, measured on the same databases.

Not the app: small stand-ins that show how fast the Map page and the hotspot query could be if
(1) the hotspot rows were precomputed at build time in one table sorted by brand, mineral and
risk, and (2) the Map page aggregated to H3 cells and ranked its top rows inside DuckDB instead
of fetching every site into pandas. The report gives these beside the measured app figures.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import numpy as np
import pydeck as pdk

from bench.common import Timing, repeat

MAX_CELLS = 20_000
TOP_ROWS = 1000

HOTSPOT_TABLE_SQL = """
CREATE TABLE hotspots AS
WITH hits AS (
    SELECT brand_id, mineral, site_id, 'documented' AS kind,
           source_id || ': ' || source_ref AS citation, year
    FROM s.links WHERE mineral IS NOT NULL
    UNION ALL
    SELECT brand_id, mineral, site_id, 'inferred', source_id || ': ' || source_ref, NULL
    FROM s.inferred_exposure
)
SELECT h.brand_id, h.mineral, x.site_id, x.name, x.tier, x.country_iso3, x.lat, x.lon,
       x.geo_precision, h.kind, r.labour, r.labour_coverage, r.environment,
       r.environment_coverage, group_concat(DISTINCT h.citation) AS citations,
       min(h.year) AS first_year, max(h.year) AS last_year
FROM hits h JOIN s.sites x ON x.site_id = h.site_id JOIN s.site_risk r ON r.site_id = h.site_id
GROUP BY ALL
ORDER BY h.brand_id, h.mineral, r.labour DESC NULLS LAST, h.kind, x.site_id
"""

HOTSPOT_LOOKUP_SQL = """
SELECT site_id, name, tier, country_iso3, lat, lon, geo_precision, kind, labour,
       labour_coverage, citations, first_year, last_year
FROM hotspots
WHERE brand_id = $brand AND mineral = $mineral AND labour >= $min_risk
ORDER BY labour DESC, kind, site_id
LIMIT CAST($lim AS INTEGER)
"""

SITES_MAP_SQL = """
CREATE TABLE sites_map AS
SELECT x.site_id, x.name, x.tier, x.lat, x.lon, x.geo_precision, x.country_iso3, x.minerals,
       x.source_id, x.source_ref, x.h3_r3, x.h3_r5, r.labour, r.labour_coverage,
       r.environment, r.environment_coverage,
       coalesce((SELECT bit_or(1::UBIGINT << v.bit) FROM vocab v
                 WHERE list_contains(x.minerals, v.mineral)), 0::UBIGINT) AS mineral_bits
FROM s.sites x LEFT JOIN s.site_risk r ON r.site_id = x.site_id
ORDER BY x.h3_r3, x.h3_r5, x.site_id
"""

FILTER = """
FROM sites_map s
WHERE ($mask = 0 OR (s.mineral_bits & $mask::UBIGINT) <> 0)
  AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
"""

CELLS_SQL = """
SELECT {res} AS hex, count(*) AS n, count(*) - count(s.labour) AS n_unknown,
       max(s.labour) AS top,
       string_agg(DISTINCT s.tier, ', ' ORDER BY s.tier) AS tiers,
       string_agg(DISTINCT s.country_iso3, ', ' ORDER BY s.country_iso3) AS countries,
       string_agg(DISTINCT s.source_id, ', ' ORDER BY s.source_id) AS sources
{filter} AND s.lat IS NOT NULL AND {res} IS NOT NULL
GROUP BY 1 ORDER BY 1
"""

COUNT_SQL = "SELECT count(*) AS n, count(DISTINCT s.h3_r5) AS r5_cells {filter}"

TOP_SQL = """
SELECT s.site_id, s.name, s.tier, s.country_iso3, s.minerals, s.geo_precision, s.source_id,
       s.source_ref, s.labour, s.labour_coverage
{filter}
ORDER BY s.labour DESC NULLS LAST, s.site_id
LIMIT {top}
"""


def prepare(db: Path, workdir: Path) -> tuple[Path, dict]:
    """The what-if tables beside ``db``: the precomputed hotspot rows, and the sites with their
    scores and a mineral bitmask as columns (no join, no list search per filter change)."""
    out = workdir / f"whatif_{db.stem}.duckdb"
    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    timings = {}
    try:
        con.execute(f"ATTACH '{db}' AS s (READ_ONLY)")
        t0 = time.perf_counter()
        con.execute(HOTSPOT_TABLE_SQL)
        timings["hotspots_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        con.execute(
            "CREATE TABLE vocab AS SELECT mineral, (row_number() OVER (ORDER BY mineral) - 1) "
            "AS bit FROM (SELECT DISTINCT unnest(minerals) AS mineral FROM s.sites)"
        )
        if con.execute("SELECT count(*) FROM vocab").fetchone()[0] > 64:
            raise ValueError("more than 64 minerals: the bitmask needs two columns")
        con.execute(SITES_MAP_SQL)
        timings["sites_map_s"] = time.perf_counter() - t0
        con.execute("CREATE TABLE country_shapes AS SELECT * FROM s.country_shapes")
        timings["hotspot_rows"] = con.execute("SELECT count(*) FROM hotspots").fetchone()[0]
        con.execute("DETACH s")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return out, timings


def hotspot_lookup(whatif_db: Path, params: dict, reps: int) -> tuple[Timing, list[str]]:
    """The hotspot query as a lookup in the precomputed table (p50/p95) and its site ids."""
    con = duckdb.connect(str(whatif_db), read_only=True)
    try:
        timing = repeat(lambda: con.execute(HOTSPOT_LOOKUP_SQL, params).df(), reps)
        ids = list(con.execute(HOTSPOT_LOOKUP_SQL, params).df()["site_id"])
    finally:
        con.close()
    return timing, ids


def _fill(top: np.ndarray) -> list[list[int]]:
    from riskatlas.layers import risk_rgb

    return [[*risk_rgb(None if np.isnan(t) else float(t)), 200] for t in top]


def map_rerun(con: duckdb.DuckDBPyConnection, shapes_layer, state: dict) -> tuple[int, int]:
    """Everything the Map needs for one filter state, computed in DuckDB: count, H3 cells (r5,
    or r3 above MAX_CELLS cells), the top rows of the table; then the compact deck JSON.
    Returns (bytes of deck JSON + Arrow of the top rows, number of cells)."""
    n, r5_cells = con.execute(COUNT_SQL.format(filter=FILTER), state).fetchone()
    res = "s.h3_r5" if r5_cells <= MAX_CELLS else "s.h3_r3"
    cells = con.execute(CELLS_SQL.format(res=res, filter=FILTER), state).df()
    top = con.sql(TOP_SQL.format(filter=FILTER, top=TOP_ROWS), params=state).to_arrow_table()
    tip = (
        cells["tiers"].fillna("")
        + "\nCountry: "
        + cells["countries"].fillna("")
        + "\nRisk: highest labour "
        + cells["top"].round(0).astype("Int64").astype(str).replace("<NA>", "unknown")
        + "/100; "
        + cells["n_unknown"].astype(str)
        + " unknown\nSource: "
        + cells["sources"].fillna("")
    )
    records = [
        {"hex": h, "n": int(k), "fill": f, "name": f"{k} sites in this cell", "tip": t}
        for h, k, f, t in zip(
            cells["hex"], cells["n"], _fill(cells["top"].to_numpy(float)), tip, strict=True
        )
    ]
    layer = pdk.Layer(
        "H3HexagonLayer",
        id="h3-cells",
        data=records,
        get_hexagon="hex",
        get_fill_color="fill",
        pickable=True,
    )
    deck = pdk.Deck(layers=[shapes_layer, layer], map_provider=None)
    spec = json.dumps(deck, default=_default, separators=(",", ":"))
    return len(spec.encode("utf-8")) + top.nbytes, len(records)


def _default(o):
    from pydeck.bindings.json_tools import default_serialize

    return default_serialize(o)


def map_states(con: duckdb.DuckDBPyConnection, params: dict) -> list[dict]:
    """The same filter states as the AppTest run: none, the mineral, the mineral and a tier."""
    row = con.execute("SELECT bit FROM vocab WHERE mineral = ?", [params["mineral"]]).fetchone()
    mask = 1 << row[0] if row else 0
    return [
        {"mask": 0, "tiers": []},
        {"mask": mask, "tiers": []},
        {"mask": mask, "tiers": ["smelter_refiner"]},
    ]


def map_page(whatif_db: Path, params: dict, reps: int) -> dict:
    """p50 per filter state of the in-database map rerun, and its payload per state."""
    from riskatlas.layers import country_outline_layer

    con = duckdb.connect(str(whatif_db), read_only=True)
    try:
        shapes = con.execute(
            "SELECT country_iso3, name, label_lon, label_lat, geojson FROM country_shapes "
            "ORDER BY country_iso3"
        ).df()
        outline = country_outline_layer(shapes)
        per_state, sizes, cells = [], [], []
        for state in map_states(con, params):
            size, n_cells = map_rerun(con, outline, state)
            t: Timing = repeat(lambda s=state: map_rerun(con, outline, s), reps, warmup=0)
            per_state.append(t.p50)
            sizes.append(size)
            cells.append(n_cells)
    finally:
        con.close()
    return {"state_p50": per_state, "bytes": sizes, "cells": cells}
