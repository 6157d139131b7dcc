"""Tables the app reads, precomputed at build time from the contract tables (Map and hotspots)."""

from __future__ import annotations

import duckdb

from riskatlas import sql

# In order: each step reads the tables the earlier ones wrote.
STEPS = (
    "derive_mineral_bits",
    "derive_site_findings",
    "derive_map_sites",
    "derive_brand_hits",
    "derive_hotspots",
    "derive_unplaced_links",
)
TABLES = ("mineral_bits", "site_findings", "map_sites", "brand_hits", "hotspots", "unplaced_links")
MAX_MINERALS = 128  # map_sites.mineral_bits is a UHUGEINT


class DerivedError(RuntimeError):
    """A derived table cannot be built from the tables present (the build stops, nothing lost)."""


def create_derived(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Write the derived tables into ``con`` and return their row counts.

    Why: at a million sites the Map cannot join sites to scores, search mineral lists and
    aggregate citations on every filter change (bench/RESULTS.md). The joins, the mineral bitmask
    and the per-brand citation rows are done once here; the view_* and hotspots queries then read
    one table each. Needs sites, site_risk, countries, links, brands and inferred_exposure.
    """
    from riskatlas.findings import derive_params

    params = {"derive_site_findings": derive_params()}
    for step in STEPS:
        try:
            con.execute(sql.load(step), params.get(step, {}))
        except duckdb.CatalogException as exc:
            raise DerivedError(f"{step}: {str(exc).splitlines()[0]}") from exc
        if step == "derive_mineral_bits":
            ((n,),) = con.execute("SELECT count(*) FROM mineral_bits").fetchall()
            if n > MAX_MINERALS:
                raise DerivedError(
                    f"{n} distinct minerals: map_sites.mineral_bits holds {MAX_MINERALS}; "
                    "widen the bitmask in queries/derive_map_sites.sql"
                )
    counts = con.execute(sql.load("derived_counts")).fetchall()[0]
    return dict(zip(TABLES, (int(n) for n in counts), strict=True))
