"""The benchmarks run end to end on a tiny synthetic atlas (no timing assertions: not a test of speed)."""

from __future__ import annotations

import dataclasses

import duckdb
import h3
import numpy as np
import pytest

from bench import report, synthetic
from bench.__main__ import QUICK, run
from bench.common import percentile

pytestmark = pytest.mark.slow


def test_h3_cells_match_h3_and_skip_missing_points():
    cells = synthetic.h3_cells(np.array([-4.3, 51.5, np.nan]), np.array([15.3, -0.1, 0.0]), 5)
    assert cells[2] == 0
    assert [h3.int_to_str(int(c)) for c in cells[:2]] == [
        h3.latlng_to_cell(-4.3, 15.3, 5),
        h3.latlng_to_cell(51.5, -0.1, 5),
    ]


def test_percentile_is_nearest_rank():
    xs = [float(i) for i in range(1, 21)]
    assert percentile(xs, 50) == 10.0
    assert percentile(xs, 95) == 19.0


def test_bench_runs_end_to_end_on_2000_sites(atlas_db, tmp_path):
    plan = dataclasses.replace(
        QUICK,
        mode="smoke",
        scales=(2000,),
        query_reps=3,
        route_budget_s=1.0,
        rerun_reps=1,
        datasette_at=(2000,),
        naive_at=(2000,),
        join_at=(2000,),
        app_at=(2000,),
        app_timeout_s={2000: 300.0},
        include_real=False,
        build=False,
        real_db=atlas_db,
        workdir=tmp_path,
    )
    res = run(plan)
    (scale,) = res["scales"]
    assert not scale["errors"], scale["errors"]
    assert scale["sites"] == 2000 and scale["links"] > 0
    # the Map's own route, beside Datasette and the naive join, which return the page's rows
    assert len(scale["route"]) >= 3 and scale["route_rows"] > 0
    assert len(scale["datasette"]) == 3 and scale["datasette_same_rows"] is True
    assert scale["join_same_rows"] is True
    assert scale["naive"]["points"] == scale["located"]
    changes = [c["change"] for c in scale["reruns"]]
    assert changes == ["mineral", "+ tier", "+ brand"]
    assert all(c["parts"]["total"] > 0 and c["queries"] for c in scale["reruns"])
    app = scale["app"]
    assert "error" not in app, app
    assert app["first"]["deck"] > 0 and len(app["reruns"]) == 3

    # the synthetic sites keep the real vocabularies, and their H3 cells are their points' cells
    con = duckdb.connect(scale["db"], read_only=True)
    real = duckdb.connect(str(atlas_db), read_only=True)
    try:
        tiers = {t for (t,) in con.execute("SELECT DISTINCT tier FROM sites").fetchall()}
        real_tiers = {t for (t,) in real.execute("SELECT DISTINCT tier FROM sites").fetchall()}
        assert tiers <= real_tiers
        for lat, lon, r5, r3 in con.execute(
            "SELECT lat, lon, h3_r5, h3_r3 FROM sites WHERE lat IS NOT NULL LIMIT 50"
        ).fetchall():
            assert r5 == h3.latlng_to_cell(lat, lon, 5)
            assert r3 == h3.latlng_to_cell(lat, lon, 3)
    finally:
        con.close()
        real.close()

    text = report.markdown(res)
    assert "2 k **synthetic**" in text and "| Figure |" in text
    assert "The Map's route vs Datasette" in text and "hotspots.sql" not in text
    section = report.route_section(res)
    assert section.startswith(report.SECTION)
    assert ("under load" in section) != ("A quiet machine" in section)  # the load said
    # the route section replaces itself in RESULTS.md and keeps what surrounds it
    doc = report.replace_section("# Benchmarks\n\nbefore\n", section) + "after\n"
    again = report.replace_section(doc, section)
    assert again == doc and again.count(report.SECTION) == 1 and again.endswith("after\n")
