"""ejatlas adapter: every conflict with a point kept (attribute-less ones as bare points, counted),
the e-waste rule, the case addresses and the non-commercial licence."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.sources import ejatlas
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return ejatlas.load(raw_dir)


@pytest.fixture(scope="module")
def conflicts(result):
    return result.tables["conflicts"].set_index("conflict_id")


def test_counts(result, conflicts):
    assert result.rows_in == 2796 and result.rows_loaded == 2796 and not result.rejects
    assert len(conflicts) == 2796 and conflicts.index.is_unique
    assert int(conflicts["attributes_missing"].sum()) == 82  # kept as points, counted
    assert int(conflicts["is_ewaste"].sum()) == 32
    assert int(conflicts["commodities"].map(lambda c: "E-waste" in c).sum()) == 30
    dates = conflicts["last_update"].dropna()
    assert min(dates) >= dt.date(2019, 12, 1) and max(dates) <= dt.date(2023, 10, 31)


def test_known_cases(conflicts):
    s21 = conflicts.loc["3"]
    assert s21["slug"] == "stuttgart-21-project-germany"
    assert s21["url"] == "https://ejatlas.org/conflict/stuttgart-21-project-germany"
    assert s21["lat"] == pytest.approx(48.7964, abs=1e-3) and s21["country_iso3"] == "DEU"
    assert s21["companies"] == ["Deutsche Bahn AG"] and s21["intensity"] == "MEDIUM"
    agbo = conflicts.loc["2837"]
    assert agbo["country_iso3"] == "GHA" and agbo["is_ewaste"]
    assert agbo["ewaste_rule"] == "commodity E-waste"
    bare = conflicts.loc["452"]
    assert bare["attributes_missing"] and bare["name"] is None and bare["url"] is None
    assert bare["source_ref"] == "EJAtlas conflict id 452"
    # a slug with spaces is kept, its address percent-encoded
    assert conflicts.loc["4170"]["url"] == (
        "https://ejatlas.org/conflict/turtle%20conservation%20against%20sand%20mining-kerala-india"
    )


def test_minerals_and_country_are_read():
    assert ejatlas.minerals_of(["Gold", "Aluminum/Bauxite", "Land"]) == [
        "gold",
        "aluminium",
        "bauxite",
    ]
    # the name's own words count: EJAtlas lists only 'Copper' for the Kolwezi cobalt case
    assert ejatlas.minerals_of(["Copper"], "Disaster in the cobalt mines of Kolwezi") == [
        "copper",
        "cobalt",
    ]
    assert ejatlas.minerals_of([], "Heinda tin mine, Dawei, Myanmar") == ["tin"]
    assert (
        ejatlas.minerals_of([], "Lead poisoning by a smelter, Peru") == []
    )  # 'lead' is a verb too
    assert ejatlas.country_of("Conga mining project, Perú") == "PER"
    assert ejatlas.country_of("A name without a country") is None


def test_ewaste_rule():
    rule = ejatlas.ewaste_rule
    assert rule("Dump, Ghana", ["Waste Management"], [], ["E-waste"]) == "commodity E-waste"
    assert "batteries" in rule("Lead acid batteries recycling, Kenya", ["Waste Management"], [], [])
    # electronics words count only for waste cases
    assert rule("Battery factory, Hungary", ["Industrial and Utilities"], ["Other"], []) is None
    # the import-zone type alone covers 'other waste' too: not enough
    assert rule("Port, India", [], ["E-waste and other waste import zones"], ["Coal"]) is None


def test_ewaste_records_cite_their_case(result):
    records = result.tables["records"]
    facts = result.tables["site_facts"]
    assert len(records) == 32 and set(records["tier"]) == {"ewaste"}
    assert set(records["geo_precision"]) == {"city"}  # case points are approximate
    assert records["geo_note"].str.startswith("EJAtlas case point").all()
    assert set(facts["record_ref"]) == set(records["source_ref"])
    assert set(facts["fact"]) == {"case_citation"}
    assert facts["value"].str.contains("https://ejatlas.org/conflict/", regex=False).all()
    assert facts["value"].str.contains(ejatlas.PUBLISHER + ", 20", regex=False).all()


def test_licence_is_non_commercial():
    assert "Non-commercial" in ejatlas.SOURCE.licence
    assert "ejatlas.org" in ejatlas.SOURCE.licence


def test_bad_rows(fixtures_dir):
    r = ejatlas.load(fixtures_dir / "ejatlas_bad")
    assert r.rows_in == 9 and r.rows_loaded == 3
    reasons = sorted(x["reason"] for x in r.rejects)
    assert reasons == [
        "5 fields, expected 24",
        "case address is not an ejatlas.org case: 'https://example.org/x'",
        "conflict id is not a number: 'x12'",
        "conflict id repeated",
        "coordinate out of range (lat=95.0, lon=-0.2287817)",
        "last_update is not a date: 'last week'",
    ]
    c = r.tables["conflicts"]
    assert sorted(c["conflict_id"]) == ["2837", "452", "5792"]
    assert sorted(r.tables["records"]["source_ref"]) == ["ejatlas:2837", "ejatlas:5792"]


def test_missing_file_names_the_source(tmp_path):
    with pytest.raises(SourceError, match="ejatlas: missing source file"):
        ejatlas.load(tmp_path)


def test_wrong_file_names_the_columns(tmp_path):
    folder = tmp_path / ejatlas.SOURCE.folder
    folder.mkdir()
    (folder / ejatlas.FILE).write_text("id,name\n1,x\n")
    with pytest.raises(SourceError, match="lacks the EJAtlas conflict columns"):
        ejatlas.load(tmp_path)
