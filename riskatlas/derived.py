"""Tables the app reads, precomputed at build time from the contract tables (Map and hotspots)."""

from __future__ import annotations

import time
from collections.abc import Callable

import duckdb
import pandas as pd

from riskatlas import derived_views, places, schema, sql

# In order: each step reads the tables the earlier ones wrote.
STEPS = (
    "derive_mineral_bits",
    "derive_site_findings",
    "derive_map_sites",
    "derive_mineral_rows",
    "derive_brand_hits",
    "derive_brand_rows",
    "derive_hotspots",
    "derive_unplaced_links",
)
SQL_TABLES = (
    "mineral_bits",
    "site_findings",
    "map_sites",
    "mineral_rows",
    "brand_hits",
    "brand_rows",
    "hotspots",
    "unplaced_links",
)
# Tables of riskatlas.derived_views, written after the steps (the views' own queries fill them).
VIEW_TABLES = ("mineral_counts", "mineral_cells", "mineral_top")
TABLES = SQL_TABLES + VIEW_TABLES
MAX_MINERALS = 128  # map_sites.mineral_bits is a UHUGEINT
# Steps run once per brand or mineral (<step>_<param>s.sql lists them, in the table's order):
# memory bounded by the largest brand or mineral. Step -> the parameter each run binds.
PER_KEY = {"derive_brand_rows": "brand", "derive_mineral_rows": "mineral"}


class DerivedError(RuntimeError):
    """A derived table cannot be built from the tables present (the build stops, nothing lost)."""


def create_derived(
    con: duckdb.DuckDBPyConnection,
    place_tables: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the derived tables into ``con`` and return their row counts.

    Why: at a million sites the Map cannot join sites to scores, search mineral lists and
    aggregate citations on every filter change (bench/RESULTS.md). The joins, the mineral bitmask
    and the per-brand citation rows are done once here; the view_* and hotspots queries then read
    one table each. Needs sites, site_risk, countries, links, brands and inferred_exposure.
    ``place_tables=False`` keeps the site_provinces and site_search tables ``con`` already has
    (bench/synthetic.py copies them with each copy of a site: folding ten million sites' names
    in Python would take most of an hour). ``progress`` hears each step's seconds (the bench's
    ten-million-site atlas takes minutes: which step is slow).
    """
    from riskatlas.findings import derive_params

    if place_tables:
        _place_tables(con)
    params = {"derive_site_findings": derive_params()}
    for step, table in zip(STEPS, SQL_TABLES, strict=True):
        t0 = time.perf_counter()
        try:
            schema.create(con, table, "replace")  # queries/schema_derived.sql; the step inserts
            if step in PER_KEY:
                key = PER_KEY[step]
                for (value,) in sql.execute(con, f"{step}_{key}s").fetchall():
                    sql.execute(con, step, {key: value})
            else:
                sql.execute(con, step, params.get(step, {}))
        except duckdb.CatalogException as exc:
            raise DerivedError(f"{step}: {str(exc).splitlines()[0]}") from exc
        if step == "derive_mineral_bits":
            ((n,),) = sql.execute(con, "mineral_bits_count").fetchall()
            if n > MAX_MINERALS:
                raise DerivedError(
                    f"{n} distinct minerals: map_sites.mineral_bits holds {MAX_MINERALS}; "
                    "widen the bitmask in queries/derive_map_sites.sql"
                )
        if progress:
            progress(f"{step}: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    try:
        derived_views.create(con)
    except duckdb.CatalogException as exc:
        raise DerivedError(f"mineral views: {str(exc).splitlines()[0]}") from exc
    if progress:
        progress(f"mineral views: {time.perf_counter() - t0:.1f} s")
    counts = sql.execute(con, "derived_counts").fetchall()[0]
    return dict(zip(TABLES, (int(n) for n in counts), strict=True))


def _place_tables(con: duckdb.DuckDBPyConnection) -> None:
    """site_provinces and site_search from site_places (riskatlas.places), folded in Python so
    the words a person types are folded by the same function at query time.

    An atlas without site_places (built before it, or a hand-made test database) gets one from
    what ``sites`` and ``site_records`` hold: the names and the province and city of each site.
    """
    from riskatlas.layers import TIER_LABELS, TIER_SINGULAR

    sites = sql.run(con, "place_sites")
    try:
        site_places = sql.run(con, "site_places_all")
    except duckdb.CatalogException:
        names = sql.run(con, "place_record_names")
        site_places = places.site_places(pd.concat([sites, names], ignore_index=True))
        schema.write(con, "site_places", site_places)
    countries = sql.run(con, "country_names")
    tiers = {t: (TIER_LABELS[t], TIER_SINGULAR.get(t, "")) for t in TIER_LABELS}
    provinces = places.site_provinces(sites, site_places)
    search = places.search_rows(
        sites,
        site_places,
        dict(zip(countries["country_iso3"], countries["name"], strict=True)),
        tiers,
    )
    schema.write(con, "site_provinces", provinces, mode="replace")
    schema.write(con, "site_search", search, mode="replace")
