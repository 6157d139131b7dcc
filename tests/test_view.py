"""The Map's view queries on the real atlas: the table's top rows are the first rows of the full
ranking (also when a brand view picks its top keys before aggregating), and the counts agree
with the rows."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from riskatlas import sql
from riskatlas.filters import FilterState
from riskatlas.view import View

STATES = [
    FilterState(),
    FilterState(minerals=("cobalt",), min_risk=30.0),
    FilterState(brands=("apple",)),
    FilterState(brands=("samsung-electronics",), min_risk=50.0),
    FilterState(brands=("samsung-electronics", "apple"), dimension="environment"),
    FilterState(brands=("rockwell-automation",), minerals=("tin", "gold"), year=2023),
    FilterState(brands=("samsung-electronics",), tiers=("artisanal_mine", "mine")),
]


@pytest.fixture(scope="module")
def con(atlas_db):
    c = duckdb.connect(str(atlas_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def runner(con):
    def run(name, params, includes):
        return sql.run(con, name, params, includes)

    return run


@pytest.mark.parametrize("state", STATES, ids=lambda s: repr(s)[:60])
def test_top_rows_are_the_head_of_the_full_ranking(runner, state):
    view = View.open(state, runner)
    full = view.frame
    assert len(full) == view.n_rows
    for limit in (1, 25, 1000):
        top = view.top(limit)
        expected = full.head(limit).reset_index(drop=True)
        # dtypes may differ (a column with NULLs in the full view reads as nullable), values not
        pd.testing.assert_frame_equal(top.reset_index(drop=True), expected, check_dtype=False)
    for kind in ("documented", "inferred", "site"):  # the table's ranked sections
        section = view.top(25, (kind,))
        expected = full[full["kind"] == kind].head(25).reset_index(drop=True)
        pd.testing.assert_frame_equal(section.reset_index(drop=True), expected, check_dtype=False)


@pytest.mark.parametrize("state", STATES[3:5], ids=lambda s: repr(s)[:60])
def test_documented_rows_rank_before_inferred(runner, state):
    """A brand's own list is never ranked below what the data only suggests (issue 15.5)."""
    kinds = View.open(state, runner).frame["kind"].tolist()
    assert "documented" in kinds and "inferred" in kinds
    assert kinds.index("inferred") > max(i for i, k in enumerate(kinds) if k == "documented")


def test_brand_counts_agree_with_the_rows(runner):
    view = View.open(FilterState(brands=("samsung-electronics",)), runner)
    kinds = view.frame["kind"].value_counts()
    assert view.n_documented == kinds.get("documented", 0) > 0
    assert view.n_inferred == kinds.get("inferred", 0) > 0
    assert view.n_rows > 1000  # so the capped ranking really leaves rows out


def test_the_top_keys_query_needs_its_source_named():
    with pytest.raises(ValueError, match="needs a file chosen"):
        sql.load("view_hits_top")
