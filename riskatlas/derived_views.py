"""The Map's views readers open first, computed whole at build time by the view's own queries.

Why: without a brand, the home page and a mineral's page count, rank and aggregate to H3 cells
every site of the view on each visit. At ten million synthetic sites a mineral's view (two
million sites) took 1.5 s of DuckDB work per filter change (bench/RESULTS.md, issue 19 item 5).
These views have no parameter but the mineral and the dimension, so the build runs
queries/view_counts.sql, view_cells.sql and view_ranked.sql once for each (included by the
derive_mineral_* steps, with the very parameters and rows query riskatlas.view gives them) and
the page reads one small table row range instead (tests/test_view_routes.py: the same rows,
columns and order).
"""

from __future__ import annotations

import duckdb

from riskatlas import sql
from riskatlas.filters import FilterState
from riskatlas.view import (
    CELL_RESOLUTIONS,
    DIMENSIONS,
    SUMMARY_TOP_ROWS,
    cell_params,
    view_includes,
    view_params,
)

ALL = "*"  # the key of the view with every mineral (no mineral chosen)
# Views of fewer sites are computed as they are asked: a few ms per query on the real atlas,
# where computing every mineral's view at build time added 5 s to the build.
MIN_ROWS = 5_000
# The view queries the derive_mineral_* steps include (bench/cache.py: a synthetic atlas made
# with other text is made anew).
VIEW_QUERIES = (
    "view_counts",
    "view_cells",
    "view_ranked",
    "view_kept",
    "view_scored",
    "view_rows_sites",
    "view_rows_mineral_slice",
)


def create(con: duckdb.DuckDBPyConnection, min_rows: int | None = None) -> None:
    """Create and fill mineral_counts, mineral_cells and mineral_top: the view of every mineral
    and of each mineral holding at least ``min_rows`` sites (MIN_ROWS when not given), in both
    dimensions."""
    from riskatlas import schema

    for table in ("mineral_counts", "mineral_cells", "mineral_top"):
        schema.create(con, table, "replace")
    limit = MIN_ROWS if min_rows is None else min_rows
    keys = sql.execute(con, "derive_mineral_view_keys", {"min_rows": limit}).fetchall()
    for (key,) in keys:
        for dimension in DIMENSIONS:
            state = FilterState(minerals=() if key == ALL else (key,), dimension=dimension)
            # no mineral: view_rows_sites reads every site (mask unused); one: its slice
            params = {**view_params(state, "0"), "key": key}
            includes = view_includes(state)
            sql.execute(con, "derive_mineral_counts", params, includes)
            for res in CELL_RESOLUTIONS:
                sql.execute(con, "derive_mineral_cells", cell_params(params, res), includes)
            top = {**params, "kinds": [], "limit": SUMMARY_TOP_ROWS}
            sql.execute(con, "derive_mineral_top", top, includes)
