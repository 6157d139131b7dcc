"""The Map's filtered view as named DuckDB queries: counts, ranked rows, points or H3 cells."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from riskatlas import settings
from riskatlas.filters import FilterState

# Runs a named query (queries/<name>.sql) with bound parameters and include choices: in the app
# riskatlas.ui.connection.query (cached per database file and parameters), elsewhere sql.run or
# riskatlas.db.run on a plain connection.
Runner = Callable[[str, dict[str, Any], dict[str, str]], pd.DataFrame]

HELPER_COLUMNS = ("score", "coverage")  # the chosen dimension, for ranking; not exported
TABLE_ROWS = settings.MAP_TABLE_ROWS.value  # rows of each ranked table the Map shows
TABLE_KINDS = ("documented", "inferred")  # a brand view's two ranked tables, never one ranking
DIMENSIONS = ("labour", "environment")  # the scores a view ranks by (FilterState.dimension)
SUMMARY_TOP_ROWS = 1_000  # ranked rows the build keeps per summarised view (mineral_top)
CELL_RESOLUTIONS = (5, 3, 2)  # the H3 resolutions of View.cells


def view_params(state: FilterState, mineral_mask: str = "0") -> dict[str, Any]:
    """Parameters of the view_* queries (empty lists = no filter; None = not set); without a
    brand the rows query has no $brands and takes the minerals' bits as ``mineral_mask``."""
    params = {
        **state.sql_params(),
        "dimension": state.dimension,
        "min_risk": None if state.min_risk is None else float(state.min_risk),
    }
    if not state.brands:
        del params["brands"]
        if not mineral_sliced(state):
            params["mineral_mask"] = mineral_mask
    return params


def mineral_mask(state: FilterState, run: Runner) -> str:
    """The chosen minerals' bits in map_sites.mineral_bits (a view without a brand reading
    map_sites), as text."""
    if state.brands or not state.minerals or mineral_sliced(state):
        return "0"
    frame = run("view_mineral_mask", {"minerals": list(state.minerals)}, {})
    return str(frame["mask"].iloc[0])


def precomputed(state: FilterState) -> bool:
    """Whether the view's rows are a slice of the build's brand_rows table: one brand, at most
    one mineral and no year (the brand views readers open most; queries/derive_brand_rows.sql).
    Other brand views aggregate brand_hits as they are asked (queries/view_rows_brands.sql)."""
    return len(state.brands) == 1 and len(state.minerals) <= 1 and state.year is None


def mineral_sliced(state: FilterState) -> bool:
    """Whether the view's rows are one mineral's slice of the build's mineral_rows: no brand and
    exactly one mineral (queries/derive_mineral_rows.sql); other filters apply to the slice."""
    return not state.brands and len(state.minerals) == 1


def summarised(state: FilterState) -> bool:
    """Whether the build computed the view whole (mineral_counts, mineral_cells, mineral_top:
    riskatlas/derived_views.py): no brand, one mineral or none, no other filter and no minimum
    risk -- the home page and a mineral's page, the views readers open first."""
    return (
        not state.brands
        and len(state.minerals) <= 1
        and not (state.tiers or state.countries or state.provinces or state.findings)
        and state.evidence is None
        and state.year is None
        and state.min_risk is None
        and state.dimension in DIMENSIONS
    )


def view_includes(state: FilterState) -> dict[str, str]:
    """Which rows query the view_* queries include: without a brand one mineral's precomputed
    slice, or the sites; with one brand, one mineral or none and no year, that brand's
    precomputed slice; else the brand hits aggregated (each query then plans only the rows it
    can return). Every choice gives the same rows, columns and order
    (tests/test_view_routes.py)."""
    if not state.brands:
        return {
            "view_rows": "view_rows_mineral_slice" if mineral_sliced(state) else "view_rows_sites"
        }
    return {"view_rows": "view_rows_brand_slice" if precomputed(state) else "view_rows_brands"}


def summary_params(state: FilterState) -> dict[str, Any]:
    """Parameters of the queries reading a summarised view (view_*_mineral.sql)."""
    return {"minerals": list(state.minerals), "dimension": state.dimension}


def cell_params(params: dict[str, Any], res: int) -> dict[str, Any]:
    """view_cells' parameters: the view's, the resolution and how the tooltip names tiers."""
    from riskatlas.layers import TIER_LABELS

    return {
        **params,
        "res": int(res),
        "tier_codes": list(TIER_LABELS),
        "tier_labels": list(TIER_LABELS.values()),
    }


def _alone(part: pd.DataFrame) -> pd.DataFrame:
    """Rows cut from a larger result, typed as DuckDB types them when they are the whole result:
    a nullable integer or boolean column without a missing value is plain int or bool (as
    View.top returns each kind's table, whichever query fetched it)."""
    part = part.reset_index(drop=True)
    for col, dtype in part.dtypes.items():
        if (
            isinstance(dtype, pd.api.extensions.ExtensionDtype)
            and dtype.kind in "iub"
            and not part[col].isna().any()
        ):
            part[col] = part[col].astype(dtype.numpy_dtype)
    return part


def _count(key: str, doc: str) -> property:
    """A count of view_counts.sql as an int property (0 where the query gave none)."""
    return property(lambda self: self._n(key), doc=doc)


@dataclass
class View:
    """One filter state of the Map: the counts at once, the rows only when a part needs them.

    Why: at a million sites, fetching every row into pandas to count, rank and aggregate took
    seconds per filter change. DuckDB counts, ranks and aggregates to H3 cells; Python receives
    a count, at most the table's top rows, and either the points to draw or the cells.
    """

    state: FilterState
    run: Runner  # small results, cached by the app (counts, the table's top rows)
    fetch: Runner  # rows that are cached downstream or fetched once (points, cells, downloads)
    counts: dict[str, Any]
    unlocated_links: int
    params: dict[str, Any] = field(default_factory=dict)  # of the view_* queries
    summary: bool = False  # counts, cells and top rows read from the build's mineral_* tables

    @classmethod
    def open(cls, state: FilterState, run: Runner, fetch: Runner | None = None) -> View:
        """Count the view (one query); with brands, also the listed links the atlas cannot place."""
        if summarised(state):
            frame = run("view_counts_mineral", summary_params(state), {})
            if len(frame):  # else a mineral the atlas does not hold: counted as usual
                return cls(state, run, fetch or run, frame.iloc[0].to_dict(), 0, summary=True)
        params = view_params(state, mineral_mask(state, run))
        if not state.brands:
            counts = run("view_counts", params, view_includes(state)).iloc[0].to_dict()
            return cls(state, run, fetch or run, counts, 0, params)
        # with brands, also the listed links the atlas cannot place: one query, one round trip
        counts = run("view_counts_brands", params, view_includes(state)).iloc[0].to_dict()
        unlocated = int(counts.pop("unlocated_links"))
        return cls(state, run, fetch or run, counts, unlocated, params)

    def _params(self) -> dict[str, Any]:
        """The view_* queries' parameters (copied: callers add their own)."""
        if not self.params:
            self.params = view_params(self.state, mineral_mask(self.state, self.run))
        return dict(self.params)

    def _n(self, key: str) -> int:
        value = self.counts.get(key)
        return 0 if value is None or pd.isna(value) else int(value)

    n_rows = _count("n_rows", "Rows in the view (after the minimum risk).")
    n_documented = _count("n_documented", "Rows the chosen brands list.")
    n_inferred = _count("n_inferred", "Rows the data only suggests for the chosen brands.")
    n_sites = _count("n_sites", "Rows of a view without a brand.")
    n_unknown = _count("n_unknown", "Rows whose chosen score is unknown (no evidence).")
    hidden_unknown = _count("hidden_unknown", "Rows the minimum risk leaves out: score unknown.")
    n_located = _count("n_located", "Rows with coordinates (what the map can draw).")
    n_r5_cells = _count("n_r5", "H3 resolution-5 cells of the located rows.")
    n_r3_cells = _count("n_r3", "H3 resolution-3 cells of the located rows.")

    def extent(self) -> tuple[Any, Any]:
        """The located rows' latitude and longitude ranges (2nd-98th percentile), or Nones."""
        return self.counts.get("lat_range"), self.counts.get("lon_range")

    @property
    def empty(self) -> bool:
        return self.n_rows == 0

    def source_ids(self) -> set[str]:
        """Every source the view's rows cite (their own and their site's), split on '; '."""
        out: set[str] = set()
        for key in ("source_ids", "site_source_ids"):
            values = self.counts.get(key)
            for value in list(values) if isinstance(values, list | tuple | np.ndarray) else []:
                if isinstance(value, str):
                    out.update(p.strip() for p in value.split(";") if p.strip())
        return out

    def top(self, limit: int | None, kinds: tuple[str, ...] = ()) -> pd.DataFrame:
        """The view ranked (documented before inferred; within each, highest score first and
        unknown last), at most ``limit`` rows, only rows of ``kinds`` when given."""
        # fetched, not put in the result cache: the page caches its tables as shown, per view
        # (map_results.shown_tables); pickling 1,000 rows into both caches cost ~10 ms a table
        run = self.fetch
        if self.summary and not kinds and limit is not None and limit <= SUMMARY_TOP_ROWS:
            params = {**summary_params(self.state), "limit": limit}
            frame = run("view_ranked_mineral", params, {})
            return frame.drop(columns=[c for c in HELPER_COLUMNS if c in frame])
        includes = view_includes(self.state)
        if includes["view_rows"] == "view_rows_brands" and limit is not None:
            # pick the top keys, then aggregate only their hits
            includes = {**includes, "view_hits": "view_hits_top", "view_hits_all": "view_hits"}
        params = {**self._params(), "kinds": list(kinds), "limit": limit}
        frame = run("view_ranked", params, includes)
        return frame.drop(columns=[c for c in HELPER_COLUMNS if c in frame])

    def table_sections(self) -> tuple[tuple[str, ...], ...]:
        """The kinds of each ranked table the Map shows: one table of every row without a brand;
        with a brand, documented then inferred, each only where the view holds such rows."""
        if not self.state.brands:
            return ((),)
        return tuple((kind,) for kind in TABLE_KINDS if self._n(f"n_{kind}"))

    def tables(self, limit: int = TABLE_ROWS) -> dict[tuple[str, ...], pd.DataFrame]:
        """The Map's ranked tables (the top ``limit`` rows of each section), keyed by kinds.

        Why one method: the page and the benchmark read the table through this call, so the
        figure compared with Datasette is the route the page runs (bench/map_route.py).
        """
        sections = self.table_sections()
        includes = view_includes(self.state)
        if len(sections) < 2 or includes["view_rows"] == "view_rows_brands":
            return {kinds: self.top(limit, kinds) for kinds in sections}
        # both kinds' top rows in one query (one round trip and one plan), split by kind
        both = self.fetch("view_ranked_kinds", {**self._params(), "limit": limit}, includes)
        both = both.drop(columns=[c for c in HELPER_COLUMNS if c in both])
        return {k: _alone(both[both["kind"] == k[0]]) for k in sections}

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """Every row of the view, ranked: what the downloads hold (fetched only when asked)."""
        return self.top(None)

    def tier_counts(self) -> pd.DataFrame:
        """Rows per tier and kind, and how many are approximate (the legend), from the counts."""
        rows: dict[tuple[str, str], list[int]] = {}
        found = self.counts.get("tier_kinds")
        for key, n in (found if isinstance(found, dict) else {}).items():
            tier, kind, precision = str(key).split("|")
            slot = rows.setdefault((tier, kind), [0, 0])
            slot[0] += int(n)
            slot[1] += int(n) if precision == "approx" else 0
        return pd.DataFrame(
            [(t, k, n, a) for (t, k), (n, a) in sorted(rows.items())],
            columns=["tier", "kind", "n", "n_approx"],
        )

    def points(self) -> pd.DataFrame:
        """The located rows with what a point and its tooltip show (under the point limit)."""
        return self.fetch("view_points", self._params(), view_includes(self.state))

    def cells(self, res: int) -> pd.DataFrame:
        """Per H3 cell at resolution ``res`` (5, 3 or 2): n, n_unknown, top score, the same per
        kind, tiers inside, countries and sources, for the aggregated map."""
        if self.summary and int(res) in CELL_RESOLUTIONS:
            params = {**summary_params(self.state), "res": int(res)}
            return self.fetch("view_cells_mineral", params, {})
        return self.fetch("view_cells", cell_params(self._params(), res), view_includes(self.state))

    def sankey_flows(self) -> pd.DataFrame:
        """The brand view's flows counted in sites, documented and inferred apart (the Sankey)."""
        return self.run("view_sankey", self._params(), view_includes(self.state))

    def site_ids(self) -> set[str]:
        """Every site in the view (the contributions filter, asked on each rerun: cached)."""
        frame = self.run("view_site_ids", self._params(), view_includes(self.state))
        return set(frame["site_id"])

    def conflicts(self, by_mineral: bool = False, by_ewaste: bool = False) -> pd.DataFrame:
        """Documented conflicts linked to a site in the view; with ``by_mineral`` also the cases
        in the view's countries naming a chosen mineral, with ``by_ewaste`` the e-waste cases
        there (riskatlas.conflicts_layer decides which a view draws)."""
        params = {**self._params(), "by_mineral": by_mineral, "by_ewaste": by_ewaste}
        return self.run("view_conflicts", params, view_includes(self.state))
