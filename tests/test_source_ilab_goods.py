"""ilab_goods adapter: the original goods XML, checked against the flat CSV made from it."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from riskatlas.sources import ilab_goods
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def goods(raw_dir):
    r = ilab_goods.load(raw_dir)
    assert r.rows_in == 467 and r.rows_rejected == 0
    return r.tables["goods_risk"]


def test_matches_csv_oracle(goods, raw_dir):
    csv = pd.read_csv(raw_dir / "ilab_child_forced_labor" / "ilab_goods_list.csv", dtype=str)
    entries = goods.drop_duplicates("source_ref").set_index("source_ref")
    assert len(entries) == len(csv) == 467
    for row in csv.itertuples():
        e = entries.loc[f"{unicodedata.normalize('NFC', row.good)} | {row.country}"]
        assert e["child_labor"] == (row.child_labor == "Yes")
        assert e["forced_labor"] == (row.forced_labor == "Yes")
        assert e["forced_child_labor"] == (row.forced_child_labor == "Yes")
        assert e["derived"] == (row.derived_labor_exploitation == "Yes")
        assert e["sector"] == row.sector


def test_counts_as_documented(goods):
    entries = goods.drop_duplicates("source_ref")
    assert entries["child_labor"].sum() == 414
    assert entries["forced_labor"].sum() == 121
    assert entries["forced_child_labor"].sum() == 54
    assert entries["derived"].sum() == 10
    assert entries["country_iso3"].nunique() == 78


def test_electronics_relevant_rows(goods):
    cod = goods[goods["country_iso3"] == "COD"].set_index("mineral")
    for mineral in ("tantalum", "niobium", "tin", "tungsten", "gold"):
        assert cod.loc[mineral, ["child_labor", "forced_labor", "forced_child_labor"]].all()
    assert cod.loc["cobalt", "child_labor"] and not cod.loc["cobalt", "forced_labor"]
    coltan = goods[goods["good"] == "Tantalum ore (coltan)"]
    assert sorted(coltan["mineral"]) == ["niobium", "tantalum"]  # good kept as printed
    mica = goods[goods["good"] == "Mica"]
    assert set(mica["country_iso3"]) == {"IND", "MDG"} and set(mica["mineral"]) == {"mica"}
    electronics = goods[goods["good"] == "Electronics"].set_index("country_iso3")
    assert electronics.loc["CHN", ["child_labor", "forced_labor", "forced_child_labor"]].all()
    assert electronics.loc["MYS", "forced_labor"] and not electronics.loc["MYS", "child_labor"]
    assert electronics["mineral"].isna().all()
    poly = goods[goods["good"] == "Polysilicon"].iloc[0]
    assert (poly["country_iso3"], poly["mineral"], poly["forced_labor"]) == (
        "CHN",
        "polysilicon",
        True,
    )
    lib = goods[goods["good"] == "Lithium-Ion Batteries"].iloc[0]
    assert lib["country_iso3"] == "CHN" and lib["derived"] and lib["derived_country_iso3"] == "COD"
    assert goods.loc[~goods["derived"], "derived_country_iso3"].isna().all()


def test_bad_entries_rejected(fixtures_dir):
    r = ilab_goods.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 4 and r.rows_loaded == 2
    assert sorted(x["reason"] for x in r.rejects) == [
        "Child_Labor is 'Maybe', not Yes/No",
        "country not recognised: 'Atlantis'",
    ]


def test_truncated_xml(fixtures_dir):
    with pytest.raises(SourceError, match="not well-formed XML"):
        ilab_goods.load(fixtures_dir / "ind_broken")
