"""The Map page's own route, timed through the very functions the page calls.

Why: an earlier figure timed a precomputed table that no page reads (issue 19, item 5). Here the
"Map route" is `riskatlas.ui.data.filtered_set` (the counts) and `View.tables` (the ranked
tables), run through the app's `riskatlas.ui.connection` with its result cache cleared before
every repetition, so a repetition costs what a filter change costs the first reader who asks for
it. A whole filter rerun adds what the page does around them: the brand's coverage, the map
(`map_view._map`, which calls `riskatlas.map_deck.map_deck`), the Sankey flows and the tables
as shown (`map_results.shown_tables`: View.tables, shaped and cached per view). A test
(tests/test_bench_map_route.py) checks that these calls run the page's queries with the
page's parameters.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas import aggregate, db
from riskatlas.filters import FilterState, cache_key
from riskatlas.view import TABLE_ROWS, View

ENV = "RISKATLAS_DB"


def state_for(params: dict, with_mineral: bool = True) -> FilterState:
    """The Map's filter state for the bench's brand, mineral and minimum labour risk."""
    minerals = (params["mineral"],) if with_mineral else ()
    return FilterState(brands=(params["brand"],), minerals=minerals, min_risk=params["min_risk"])


def rerun_states(params: dict) -> list[tuple[str, FilterState]]:
    """The filter changes a reader makes one after another: a mineral, then a tier, then the
    brand (the states bench/app_bench.py sets through the sidebar)."""
    mineral = (params["mineral"],)
    tier = ("smelter_refiner",)
    return [
        ("mineral", FilterState(minerals=mineral)),
        ("+ tier", FilterState(minerals=mineral, tiers=tier)),
        ("+ brand", FilterState(brands=(params["brand"],), minerals=mineral, tiers=tier)),
    ]


@contextlib.contextmanager
def atlas(path: Path) -> Iterator[None]:
    """Point riskatlas.db at ``path`` for the block (as RISKATLAS_DB does for the app)."""
    old = os.environ.get(ENV)
    os.environ[ENV] = str(path)
    try:
        cold()
        yield
    finally:
        cold()
        release()
        if old is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = old


def cold() -> None:
    """Forget every cached result the page would reuse: the next call runs its queries."""
    from riskatlas.ui import connection, data, map_results, map_view

    connection._cached.clear()
    map_view._map.clear()
    map_results.shown_tables.clear()
    data._approved.clear()


def release() -> None:
    """Close the app's cached connection, so other readers may open the file with another
    configuration (DuckDB allows one configuration per file and process)."""
    import gc

    from riskatlas.ui import connection

    cached = getattr(connection._local, "cursors", None)
    connection._local.cursors = None
    connection._connection.clear()
    if cached is not None:
        cached[1].close()
        cached[0].close()
    gc.collect()


class QueryLog:
    """Seconds and calls per named query while installed (wraps riskatlas.db.run, which the
    app's connection module calls for every named query)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: list[tuple[str, dict[str, Any], dict[str, str]]] = []

    @contextlib.contextmanager
    def installed(self) -> Iterator[QueryLog]:
        real = db.run

        def timed(con, name, params=None, includes=None):
            t0 = time.perf_counter()
            try:
                return real(con, name, params, includes)
            finally:
                self.seconds[name] += time.perf_counter() - t0
                self.calls.append((name, dict(params or {}), dict(includes or {})))

        db.run = timed
        try:
            yield self
        finally:
            db.run = real


def table_route(state: FilterState) -> tuple[View, dict[tuple[str, ...], pd.DataFrame]]:
    """The Map's counts and ranked tables, as pages/map.py gets them (data.filtered_set, then
    View.tables, which map_results.hotspots calls)."""
    from riskatlas.ui import data

    view = data.filtered_set(state)
    return view, view.tables(TABLE_ROWS)


@contextlib.contextmanager
def aggregated() -> Iterator[None]:
    """The route before the build's brand_rows: every brand view aggregates brand_hits (the
    same rows: tests/test_view_routes.py), for a before/after in one run."""
    from riskatlas import view

    real = view.precomputed
    view.precomputed = lambda state: False
    try:
        yield
    finally:
        view.precomputed = real


@contextlib.contextmanager
def unprecomputed() -> Iterator[None]:
    """The route before every precomputed view table: brand views aggregate brand_hits, views
    without a brand read map_sites and count, rank and aggregate as they are asked (no
    brand_rows, mineral_rows or mineral_counts/cells/top; the same rows:
    tests/test_view_routes.py), for a before/after of the filter reruns in one run."""
    from riskatlas import view

    names = ("precomputed", "mineral_sliced", "summarised")
    real = {n: getattr(view, n) for n in names}
    for n in names:
        setattr(view, n, lambda state: False)
    try:
        yield
    finally:
        for n, fn in real.items():
            setattr(view, n, fn)


def timed_table_routes(
    state: FilterState, reps: int, budget_s: float
) -> tuple[list[float], list[float]]:
    """Seconds of the table route as the page runs it and as it ran before brand_rows
    (aggregating brand_hits), alternated so both see the same load; caches cleared each time."""
    now: list[float] = []
    before: list[float] = []
    start = time.perf_counter()
    for ctx in (contextlib.nullcontext(), aggregated()):
        with ctx:
            cold()
            table_route(state)  # warm-up
    while len(now) < reps and (len(now) < 3 or time.perf_counter() - start < 2 * budget_s):
        for samples, ctx in ((now, contextlib.nullcontext()), (before, aggregated())):
            with ctx:
                cold()
                t0 = time.perf_counter()
                table_route(state)
                samples.append(time.perf_counter() - t0)
    return now, before


def timed_table_route(state: FilterState, reps: int, budget_s: float) -> list[float]:
    """Seconds of the table route with every cache cleared first (a new filter state)."""
    samples: list[float] = []
    start = time.perf_counter()
    cold()
    table_route(state)  # warm-up: modules, connection, DuckDB's own buffers
    while len(samples) < reps and (len(samples) < 3 or time.perf_counter() - start < budget_s):
        cold()
        t0 = time.perf_counter()
        table_route(state)
        samples.append(time.perf_counter() - t0)
    return samples


def rerun(state: FilterState) -> dict[str, float]:
    """The library work of one filter change on the Map page, in the page's order, with the
    seconds of each part: counts, brand coverage, map (contributions and the deck: points or
    H3 cells, the outlines, the conflicts layer and approved contributions, serialised: the
    page's cached `map_view._map`), Sankey, table. Streamlit's
    widgets and the websocket are not in it (bench/app_bench.py times the whole page)."""
    from riskatlas.ui import connection, data, map_results, map_view

    parts: dict[str, float] = {}
    t0 = time.perf_counter()
    view = data.filtered_set(state)
    if state.brands:
        data.brand_coverage(state.brands)
    parts["counts"] = time.perf_counter() - t0

    t = time.perf_counter()
    drawn = map_view._map(  # the layers' switches are on by default
        state, connection.version(), aggregate.MAX_POINTS, True, data.contributions_version(), True
    )
    parts["map"] = time.perf_counter() - t
    parts["deck_bytes"] = len(drawn.spec)
    parts["aggregated"] = float(drawn.aggregated)

    t = time.perf_counter()
    if state.brands:
        map_results.sankey_frames(view.sankey_flows())
    parts["sankey"] = time.perf_counter() - t

    t = time.perf_counter()
    map_results.shown_tables(cache_key(state), connection.version())  # View.tables, shaped
    view.source_ids()
    parts["table"] = time.perf_counter() - t
    parts["total"] = time.perf_counter() - t0
    return parts


def timed_reruns(states: list[tuple[str, FilterState]], reps: int = 3) -> list[dict[str, Any]]:
    """Each filter change ``reps`` times with cleared caches; per change the repetition with the
    median total, its parts, and the seconds per named query of that repetition. Each
    repetition is followed by one of the route before the precomputed view tables
    (``unprecomputed``: alternated, so both see the same load; ``totals_before``)."""
    out = []
    cold()
    rerun(states[0][1])  # warm-up
    with unprecomputed():
        cold()
        rerun(states[0][1])
    for label, state in states:
        runs = []
        before = []
        for _ in range(reps):
            cold()
            log = QueryLog()
            with log.installed():
                parts = rerun(state)
            runs.append((parts, dict(log.seconds)))
            with unprecomputed():
                cold()
                before.append(rerun(state)["total"])
        runs.sort(key=lambda r: r[0]["total"])
        parts, queries = runs[len(runs) // 2]
        out.append(
            {
                "change": label,
                "totals": [r[0]["total"] for r in runs],
                "totals_before": before,
                "parts": parts,
                "queries": queries,
            }
        )
    return out
