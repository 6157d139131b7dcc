"""evidence_level everywhere: site_risk -> map_sites / brand_hits -> the Map's rows and every
export; `?evidence=site` keeps only sites with site-level evidence."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest

from riskatlas import sql
from riskatlas.exports import EXPORT_COLUMNS, to_csv, to_xlsx
from riskatlas.filters import FilterState, Vocabulary, parse, to_params
from riskatlas.view import View

VOCAB = Vocabulary(brands={"apple": "Apple"}, minerals=("cobalt",), countries={}, years=())


def test_evidence_parameter_round_trips():
    state = parse({"evidence": "site"}, VOCAB)
    assert state.evidence == "site" and not state.notices
    assert to_params(state) == {"evidence": "site"}
    assert state.sql_params()["evidence"] == "site"
    assert parse({}, VOCAB).sql_params()["evidence"] is None
    bad = parse({"evidence": "<b>x</b>"}, VOCAB)
    assert bad.evidence is None and bad.notices == (
        "evidence `<b>x</b>` ignored: use evidence=site.",
    )


@pytest.fixture(scope="module")
def runner(atlas_db):
    con = duckdb.connect(str(atlas_db), read_only=True)

    def run(name, params, includes):
        return sql.run(con, name, params, includes)

    yield run
    con.close()


def test_derived_tables_carry_the_level(atlas):
    for table in ("map_sites", "brand_hits"):
        mismatched = atlas.execute(
            f"SELECT count(*) FROM {table} t JOIN site_risk r USING (site_id) "  # noqa: S608
            "WHERE t.evidence_level IS DISTINCT FROM r.evidence_level"
        ).fetchone()[0]
        assert mismatched == 0, table
    assert (
        atlas.execute("SELECT count(*) FROM map_sites WHERE evidence_level IS NULL").fetchone()[0]
        == 0
    )


@pytest.mark.parametrize(
    "state",
    [
        FilterState(evidence="site"),
        FilterState(evidence="site", tiers=("smelter_refiner",)),
        FilterState(brands=("samsung-electronics",), evidence="site"),
    ],
    ids=["all", "smelters", "samsung"],
)
def test_evidence_site_keeps_only_site_level_rows(runner, atlas, state):
    view = View.open(state, runner)
    rows = view.frame
    assert view.n_rows == len(rows) > 0
    assert set(rows["evidence_level"]) == {"site"}
    if not state.brands and not state.tiers:
        expected = atlas.execute(
            "SELECT count(*) FROM site_risk WHERE evidence_level = 'site'"
        ).fetchone()[0]
        assert len(rows) == expected
    everything = View.open(FilterState(brands=state.brands, tiers=state.tiers), runner)
    assert everything.n_rows > view.n_rows
    assert set(everything.top(None)["evidence_level"]) >= {"site", "country"}


def test_every_export_has_the_column(runner):
    rows = View.open(FilterState(tiers=("ewaste",)), runner).frame
    assert "evidence_level" in EXPORT_COLUMNS
    header = to_csv(rows).decode().splitlines()[0].split(",")
    assert "evidence_level" in header
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(rows)))
    assert "evidence_level" in [c.value for c in wb["sites"][1]]
    about = " ".join(str(r[0].value) for r in wb["about"].iter_rows())
    assert "evidence_level" in about and "non-commercial" in about and "ejatlas.org" in about


def test_tooltip_says_this_site_or_this_country():
    import pandas as pd

    from riskatlas.layers import point_records

    base = {
        "name": "X",
        "tier": "smelter_refiner",
        "lat": 1.0,
        "lon": 2.0,
        "geo_precision": "exact",
        "country_iso3": "COD",
        "country_name": "DR Congo",
        "minerals": ["cobalt"],
        "labour": 65.0,
        "labour_coverage": 0.5,
        "source_id": "rmi",
        "source_ref": "CID1",
    }
    df = pd.DataFrame(
        [
            {**base, "site_id": "a", "evidence_level": "site"},
            {**base, "site_id": "b", "evidence_level": "country"},
        ]
    )
    tips = {p["site_id"]: p["tip"] for p in point_records(df, "labour", "site")}
    assert "site-level evidence: a dated finding at this site" in tips["a"]
    assert "no site evidence: country conditions only" in tips["b"]
    assert "site-level" not in tips["b"]
