"""The Map's one library step (riskatlas.map_deck) on the real atlas, without Streamlit: points
under the limit and H3 cells above it, documented conflicts under the sites, approved
contributions on top only when they are in the view, and legend counts that are the view's."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from riskatlas import db
from riskatlas.contrib.layer import LAYER_ID as CONTRIB_LAYER_ID
from riskatlas.filters import FilterState
from riskatlas.map_deck import contributions_in_view, map_deck
from riskatlas.view import View
from tests.test_contrib_layer import _approved


@pytest.fixture(scope="module")
def runner(atlas_db):
    con = duckdb.connect(str(atlas_db), read_only=True)

    def run(name, params, includes):
        return db.run(con, name, params, includes)

    yield run
    con.close()


def _layer_ids(spec: str) -> list[str]:
    return [layer["id"] for layer in json.loads(spec)["layers"]]


def test_points_under_the_limit_cells_above(runner):
    view = View.open(FilterState(countries=("COD",)), runner)
    assert 0 < view.n_located
    points = map_deck(view, max_points=view.n_located)
    ids = _layer_ids(points.spec)
    assert not points.aggregated and any(i.startswith("sites-") for i in ids)
    cells = map_deck(view, max_points=view.n_located - 1)
    assert cells.aggregated and not any(i.startswith("sites-") for i in _layer_ids(cells.spec))
    for drawn in (points, cells):
        pd.testing.assert_frame_equal(drawn.legend.tier_counts, view.tier_counts())
        assert drawn.legend.n_unknown == view.n_unknown
        assert drawn.legend.n_contributed is None  # the layer is hidden
    assert points.tooltip == cells.tooltip


def test_conflicts_under_the_sites_and_contributions_on_top(runner):
    view = View.open(FilterState(countries=("GHA",)), runner)
    approved = pd.concat(
        [_approved(), _approved(contribution_id=8, site_key="contrib:8", country_iso3="COD")],
        ignore_index=True,
    )
    drawn = map_deck(view, max_points=10_000, approved=approved, conflicts=True)
    ids = _layer_ids(drawn.spec)
    assert drawn.legend.n_contributed == 1  # only the contribution in Ghana is in the view
    assert ids[-1] == CONTRIB_LAYER_ID
    if "conflicts" in ids:
        first_site = min(i for i, name in enumerate(ids) if name.startswith("sites-"))
        assert ids.index("conflicts") < first_site
    hidden = map_deck(view, max_points=10_000, approved=approved.iloc[:0], conflicts=False)
    assert CONTRIB_LAYER_ID not in _layer_ids(hidden.spec) and "conflicts" not in hidden.spec
    assert hidden.legend.n_contributed == 0


def test_contributions_follow_the_view_filters():
    approved = _approved()
    assert len(contributions_in_view(approved, FilterState(tiers=("ewaste",)))) == 1
    assert len(contributions_in_view(approved, FilterState(tiers=("mine",)))) == 0
    assert len(contributions_in_view(approved, FilterState(minerals=("copper",)))) == 1
    # with a brand, only contributions about a site of the view
    assert len(contributions_in_view(approved, FilterState(brands=("apple",)), set())) == 0
    assert len(contributions_in_view(approved, FilterState(brands=("apple",)), {"contrib:7"})) == 1


def test_the_map_step_needs_no_streamlit():
    code = "import sys, riskatlas.map_deck; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
