"""Synthetic atlases of any size drawn from the real database's joint distributions.

Each synthetic site is a real site drawn at random (with replacement), so tiers, minerals,
countries, location precision and risk scores keep their real joint distribution; its point is
jittered (more for approximate locations) and its H3 cells are computed for the new point. Brand
links and inferred exposure are copied with every copy of their site, so links per brand, mineral
and year scale with the sites. Per-country tables are copied as they are; a copy keeps its real
site's province. Site-level evidence and search words (site_facts, risk_components,
site_records, site_places, site_search) are left empty: the Map page does not read them. The
tables the build derives (riskatlas.derived: map_sites, brand_hits ...) are derived again from
the synthetic tables, by the build's own code.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import h3.api.basic_int as h3i
import numpy as np
import pandas as pd

from riskatlas.derived import TABLES as DERIVED
from riskatlas.derived import create_derived

# jitter (degrees, standard deviation) by location precision: approximate points move more
JITTER_DEG = {"exact": 0.05, "city": 0.1, "province": 0.5, "country": 1.0}
SITE_KEYED = ("site_facts", "risk_components", "site_records", "site_search", "site_places")
MEMORY_LIMIT = "5GB"
COPIED_WITH_SITES = ("sites", "site_risk", "links", "inferred_exposure", "site_provinces")


def h3_cells(lat: np.ndarray, lon: np.ndarray, res: int = 5) -> np.ndarray:
    """H3 cells (uint64, 0 = no point) of every point; one C call per point, no Python objects kept."""
    out = np.zeros(len(lat), dtype=np.uint64)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    pts = zip(lat[ok].tolist(), lon[ok].tolist(), strict=True)
    cells = [h3i.latlng_to_cell(a, b, res) for a, b in pts]
    out[ok] = np.fromiter(cells, dtype=np.uint64, count=len(cells))
    return out


def draw(real: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """Row ``k`` of the real sites for each synthetic site ``i``, its jittered point and cells."""
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(real), n)
    lat0 = real["lat"].to_numpy(float)[k]
    lon0 = real["lon"].to_numpy(float)[k]
    sigma = real["geo_precision"].map(JITTER_DEG).fillna(1.0).to_numpy(float)[k]
    lat = np.clip(lat0 + rng.standard_normal(n) * sigma, -85.0, 85.0)
    lon = (lon0 + rng.standard_normal(n) * sigma + 180.0) % 360.0 - 180.0
    # both resolutions from the point, as the build does (H3 parents do not nest exactly)
    return pd.DataFrame(
        {
            "i": np.arange(n, dtype=np.int64),
            "k": k,
            "lat": lat,
            "lon": lon,
            "r5": h3_cells(lat, lon, 5),
            "r3": h3_cells(lat, lon, 3),
        }
    )


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'r' AND table_name = ? "
        "ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def make(real_db: Path, n: int, out: Path, seed: int = 6) -> dict[str, float]:
    """Write a synthetic atlas of ``n`` sites to ``out``; returns row counts and seconds taken."""
    t0 = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for p in (out, out.with_name(out.name + ".wal")):
        p.unlink(missing_ok=True)
    # a bounded memory (spilling to disk beside the file): ten million sites are derived on a
    # machine other work shares, where DuckDB's default (80 % of RAM) got the process killed
    con = duckdb.connect(
        str(out),
        config={
            "preserve_insertion_order": False,
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": str(out.parent / (out.name + ".spill")),
        },
    )
    con.execute(f"ATTACH '{real_db}' AS r (READ_ONLY)")
    con.execute(
        "CREATE TEMP TABLE src AS "
        "SELECT (row_number() OVER (ORDER BY site_id) - 1)::INTEGER AS k, * FROM r.sites"
    )
    real = con.execute("SELECT lat, lon, geo_precision FROM src ORDER BY k").df()
    gen = draw(real, n, seed)
    width = max(7, len(str(n - 1)))
    con.register("gen", gen)
    cols = _columns(con, "sites")
    replaced = {
        "site_id": f"'syn' || lpad(CAST(g.i AS VARCHAR), {width}, '0')",
        "name": "s.name || ' (synthetic ' || g.i || ')'",
        "lat": "CASE WHEN s.lat IS NULL THEN NULL ELSE g.lat END",
        "lon": "CASE WHEN s.lat IS NULL THEN NULL ELSE g.lon END",
        "h3_r5": "CASE WHEN s.lat IS NULL OR g.r5 = 0 THEN NULL ELSE lower(hex(g.r5)) END",
        "h3_r3": "CASE WHEN s.lat IS NULL OR g.r3 = 0 THEN NULL ELSE lower(hex(g.r3)) END",
    }
    select = ", ".join(f"{replaced.get(c, 's.' + _q(c))} AS {_q(c)}" for c in cols)
    con.execute(
        f"CREATE TABLE sites AS SELECT {select}, s.site_id AS synthetic_of "  # noqa: S608
        "FROM gen g JOIN src s ON s.k = g.k"
    )
    con.unregister("gen")
    con.execute(
        "CREATE TEMP TABLE first_copy AS "
        "SELECT synthetic_of, min(site_id) AS site_id FROM sites GROUP BY synthetic_of"
    )
    con.execute(
        "CREATE TABLE site_risk AS SELECT x.* REPLACE (s.site_id AS site_id) "
        "FROM sites s JOIN r.site_risk x ON x.site_id = s.synthetic_of"
    )
    # every copy of a listed site carries the real site's links; links to no site stay once
    con.execute(
        "CREATE TABLE links AS "
        "SELECT l.* REPLACE (s.site_id AS site_id) "
        "FROM r.links l JOIN sites s ON s.synthetic_of = l.site_id "
        "UNION ALL SELECT l.* FROM r.links l "
        "WHERE l.site_id IS NULL OR l.site_id NOT IN (SELECT site_id FROM r.sites)"
    )
    tables = {
        t
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'r'"
        ).fetchall()
    }
    if "inferred_exposure" in tables:
        con.execute(
            "CREATE TABLE inferred_exposure AS "
            "SELECT e.* REPLACE (s.site_id AS site_id, f.site_id AS via_site_id) "
            "FROM r.inferred_exposure e JOIN sites s ON s.synthetic_of = e.site_id "
            "LEFT JOIN first_copy f ON f.synthetic_of = e.via_site_id"
        )
    # a copy has its real site's province (the Map's province filter); the Site page's search
    # words and place names are left empty like the other site-level tables
    if "site_provinces" in tables:
        con.execute(
            "CREATE TABLE site_provinces AS SELECT p.* REPLACE (s.site_id AS site_id) "
            "FROM r.site_provinces p JOIN sites s ON s.synthetic_of = p.site_id"
        )
    for t in sorted(tables - set(COPIED_WITH_SITES) - set(DERIVED)):
        limit = " LIMIT 0" if t in SITE_KEYED else ""
        con.execute(f"CREATE TABLE {_q(t)} AS SELECT * FROM r.{_q(t)}{limit}")  # noqa: S608
    derived = create_derived(con, place_tables=False)
    counts = {
        t: con.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]  # noqa: S608
        for t in ("sites", "links", "site_risk")
    }
    counts["hotspots"] = derived["hotspots"]
    con.execute(
        "CREATE TABLE synthetic_info AS SELECT * FROM (VALUES "
        "('n_sites', ?), ('seed', ?), ('real_db', ?), ('method', ?)) t(key, value)",
        [str(n), str(seed), str(real_db), "resampled real sites with jitter"],
    )
    con.execute("DETACH r")
    con.execute("CHECKPOINT")
    con.close()
    return {**counts, "seconds": time.perf_counter() - t0}


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("real_db", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("out", type=Path)
    p.add_argument("--seed", type=int, default=6)
    a = p.parse_args()
    print(make(a.real_db, a.n, a.out, a.seed))
