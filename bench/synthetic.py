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

import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import h3.api.basic_int as h3i
import numpy as np
import pandas as pd

from riskatlas import sql
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


def _stderr(msg: str) -> None:
    print(f"[synthetic {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def make(
    real_db: Path,
    n: int,
    out: Path,
    seed: int = 6,
    progress: Callable[[str], None] | None = _stderr,
) -> dict[str, float]:
    """Write a synthetic atlas of ``n`` sites to ``out``; returns row counts and seconds taken.
    ``progress`` hears each step's seconds: at ten million sites the run takes many minutes, and
    the slow step is the one to make faster (the build's derived tables, timed apart)."""
    t0 = time.perf_counter()
    last = [t0]

    def step(label: str) -> None:
        now = time.perf_counter()
        if progress:
            progress(f"{n:,} sites: {label}: {now - last[0]:.1f} s (total {now - t0:.0f} s)")
        last[0] = now

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
    sql.execute(con, "bench_synthetic_attach", {"path": str(real_db)})
    sql.execute(con, "bench_synthetic_src")
    real = sql.run(con, "bench_synthetic_points")
    gen = draw(real, n, seed)
    step("points drawn and their H3 cells")
    con.register("gen", gen)
    sql.execute(con, "bench_synthetic_sites", {"width": max(7, len(str(n - 1)))})
    con.unregister("gen")
    del gen
    sql.execute(con, "bench_synthetic_first_copy")
    step("sites")
    sql.execute(con, "bench_synthetic_site_risk")
    sql.execute(con, "bench_synthetic_links")
    step("scores and links copied")
    tables = {t for (t,) in sql.execute(con, "bench_synthetic_real_tables").fetchall()}
    if "inferred_exposure" in tables:
        sql.execute(con, "bench_synthetic_exposure")
    # a copy has its real site's province (the Map's province filter); the Site page's search
    # words and place names are left empty like the other site-level tables
    if "site_provinces" in tables:
        sql.execute(con, "bench_synthetic_provinces")
    for t in sorted(tables - set(COPIED_WITH_SITES) - set(DERIVED)):
        copy = sql.with_names("bench_synthetic_copy_table", tables, table=t)
        con.execute(copy, {"with_rows": t not in SITE_KEYED})
    step("inferred routes, provinces and other tables copied")
    derived = create_derived(
        con, place_tables=False, progress=lambda m: progress and progress(f"{n:,} sites: {m}")
    )
    last[0] = time.perf_counter()
    sites, links, site_risk = sql.execute(con, "bench_synthetic_counts").fetchone()
    counts = {"sites": sites, "links": links, "site_risk": site_risk}
    counts["hotspots"] = derived["hotspots"]
    sql.execute(
        con,
        "bench_synthetic_info",
        {
            "n_sites": str(n),
            "seed": str(seed),
            "real_db": str(real_db),
            "method": "resampled real sites with jitter",
        },
    )
    sql.execute(con, "bench_synthetic_detach")
    con.checkpoint()
    con.close()
    step("written")
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
