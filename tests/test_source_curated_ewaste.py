"""curated_ewaste adapter: our table of e-waste sites, each named by a cited public report."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from riskatlas.sources import curated_ewaste
from riskatlas.sources.base import RECORD_COLUMNS, SourceError


@pytest.fixture(scope="module")
def table():
    return pd.read_csv(curated_ewaste.CURATED_PATH, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def result(raw_dir):
    return curated_ewaste.load(raw_dir)


def test_every_row_has_a_town_and_a_full_citation(table):
    assert tuple(table.columns) == curated_ewaste.COLUMNS
    assert len(table) >= 5
    for col in (
        "slug",
        "name",
        "town",
        "country",
        "what_documented",
        "report_title",
        "publisher",
        "year",
        "url",
    ):
        assert (table[col].str.strip() != "").all(), col
    assert table["url"].str.match(r"^https?://").all()
    assert table["year"].astype(int).between(2000, dt.date.today().year).all()
    assert "lat" not in table.columns and "lon" not in table.columns  # the build geocodes the town


def test_records_and_facts(result, table):
    assert result.rows_in == len(table) and result.rows_rejected == 0
    rec = result.tables["records"]
    assert list(rec.columns[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    assert rec["source_ref"].is_unique and len(rec) == table["slug"].nunique()
    assert (rec["tier"] == "ewaste").all()
    assert rec["lat"].isna().all() and rec["lon"].isna().all() and rec["geo_precision"].isna().all()
    by = rec.set_index("source_ref")
    assert (by.loc["agbogbloshie", "city"], by.loc["agbogbloshie", "country_iso3"]) == (
        "Accra",
        "GHA",
    )
    assert by.loc["guiyu", "country_iso3"] == "CHN" and by.loc["guiyu", "province"] == "Guangdong"
    facts = result.tables["site_facts"]
    assert len(facts) == 2 * len(table)
    assert set(facts["fact"]) == {"documented_issue", "citation"}
    assert (facts["observed_on"].map(lambda d: (d.month, d.day)) == (1, 1)).all()
    agb = facts[(facts["record_ref"] == "agbogbloshie") & (facts["fact"] == "citation")]
    assert {d.year for d in agb["observed_on"]} == {2008, 2013}
    assert agb["source_ref"].str.contains("http").all()


def test_bad_rows(fixtures_dir):
    r = curated_ewaste.load(path=fixtures_dir / "ind_bad" / "curated" / "curated_ewaste.csv")
    assert r.rows_in == 6 and r.rows_loaded == 1
    assert sorted(x["reason"] for x in r.rejects) == [
        "3 fields, expected 10",
        "country not recognised: 'Atlantis'",
        "missing town: every site needs a town and a citation",
        "missing url: every site needs a town and a citation",
        "slug must be lower-case words joined by '-'",
    ]


def test_wrong_header_and_missing_file(fixtures_dir, tmp_path):
    with pytest.raises(SourceError, match="header is"):
        curated_ewaste.load(path=fixtures_dir / "ind_broken" / "curated" / "curated_ewaste.csv")
    with pytest.raises(SourceError, match="missing source file"):
        curated_ewaste.load(path=tmp_path / "nope.csv")
