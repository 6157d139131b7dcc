"""AppTest of the other pages on the fixture database, and of a missing or corrupt database."""

from __future__ import annotations

import pytest

from tests.apptest_support import deck_spec, run_app, tables
from tests.fixtures.fixture_sites import SOURCES
from tests.fixtures.make_fixture_db import HOSTILE, build_fixture_db


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_fixture_db(tmp_path_factory.mktemp("atlas") / "atlas.duckdb")


@pytest.fixture(autouse=True)
def _use_fixture_db(fixture_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(fixture_db))


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _frames(at) -> list:
    return [d.value for d in at.dataframe]


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [w.value for w in at.warning] + [e.value for e in at.error] + [i.value for i in at.info]
    )
    return "\n".join(parts)


def test_site_page_facts_brands_risk_records():
    at = run_app("pages/site.py", {"site": "codmine00123"})
    _ok(at)
    assert at.title[0].value.replace("\\", "") == HOSTILE  # shown as text, escaped markdown
    # no brand lists this site, so there is no documented table: facts, inferred, risk, records
    # facts, inferred routes and the risk breakdown are tables that show every value whole
    # (issue 17 item 3); labels, never codes (issue 15 item 4)
    facts, inferred, components = tables(at)
    placement, records = _frames(at)  # how the point was placed (issue 13), merged records
    assert list(placement["status"]) == ["merged"]  # the site's own record, how it was placed
    assert "How this point was placed" in [h.value for h in at.subheader]
    assert list(facts["observed on"][:3]) == ["2021-05-03"] * 3
    assert set(facts["reference"]) == {"vid=9001", "vid=4410"}
    assert len(facts) == 5
    row = facts[
        (facts["what was recorded"] == "Children under 15 working at the site")
        & (facts["reference"] == "vid=9001")
    ]
    assert row["value as published"].item() == "yes"
    assert "child_labour_under15" not in set(facts["what was recorded"])
    assert "No brand list names this site." in _text(at)
    assert list(inferred["brand"]) == ["Samsung Electronics"]
    assert inferred["via refiner"].item() == "Zhejiang Huayou Cobalt Co., Ltd. (CID002504)"
    assert set(components["about"]) == {
        "this site (a dated finding here)",
        "this mineral in this country",
        "this country",
    }
    gsi = components[components["evidence"].str.startswith("Modern slavery prevalence")]
    assert gsi["value as published"].item() == "10.3 per 1,000 people"
    assert gsi["risk score (normalised 0-100, 100 = worst)"].item() == "52"  # 0.515, half up
    assert components["adds to the score"].astype(float).sum() == pytest.approx(122.0)
    assert list(records["source_id"]) == ["ipis"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Labour risk (0-100)"] == "82"
    assert metrics["Environment risk (0-100)"] == "40"


def test_site_page_documented_and_approximate():
    at = run_app("pages/site.py", {"site": "CID002504"})
    _ok(at)
    frames = _frames(at)
    placement = frames[0]  # how the point was placed: merged records, then candidates
    assert list(placement["status"]) == ["merged", "merged", "candidate, not merged"]
    cand = placement[placement["status"] == "candidate, not merged"].iloc[0]
    assert cand["source_ref"] == "ICMM99999" and "not merged" in cand["basis"]
    documented = frames[1]  # no facts table for this site: then the documented links
    assert list(documented["brand"]) == ["Samsung Electronics"]
    assert documented["year"].item() == 2024 and documented["source_ref"].item() == "p31:r12"
    text = _text(at)
    assert "location approximate: city level" in text.lower()
    assert "No recorded facts" in text
    assert set(frames[-1]["source_id"]) == {"rmi", "samsung_rmr_2025"}  # merged records


def test_site_page_unknown_risk_and_outside_country_flag():
    at = run_app("pages/site.py", {"site": "CID002036"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Labour risk (0-100)"] == "unknown"
    assert "scores are unknown" in _text(at)
    at = run_app("pages/site.py", {"site": "codmine00789"})
    assert any("outside COD" in e.value for e in at.error)


def test_site_page_unknown_id_and_finder():
    at = run_app("pages/site.py", {"site": "nope<script>"})
    _ok(at)
    assert any("No site with id" in w.value for w in at.warning)
    at = run_app("pages/site.py")
    at.text_input(key="site_search").input("huayou").run()
    (hits,) = _frames(at)
    assert list(hits["site"]) == ["site?site=CID002504"]


def test_countries_choropleth_and_profile():
    at = run_app("pages/countries.py", {"indicator": "fh_E3", "year": "2023", "country": "COD"})
    _ok(at)
    spec = deck_spec(at.get("deck_gl_json_chart")[0])
    choro = next(layer for layer in spec["layers"] if layer["id"] == "choropleth")
    assert choro["@@type"] == "GeoJsonLayer"
    props = {f["properties"]["iso3"]: f["properties"] for f in choro["data"]["features"]}
    assert props["COD"]["value"] == "Freedom for trade unions (Freedom House E3) = 2 out of 4"
    assert "no data" in props["CHN"]["value"]  # only COD has fh_E3 in 2023
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    sites, goods, profile = _frames(at)
    assert set(goods["mineral"]) == {"cobalt", "tantalum"}
    by_label = profile.set_index("indicator")
    e3 = by_label.loc["Freedom for trade unions (Freedom House E3)"]
    assert (e3["year"], e3["value as published"]) == (2024, "1 out of 4")
    assert "fh_E3" not in set(profile["indicator"])


def test_countries_unknown_indicator_notice():
    at = run_app("pages/countries.py", {"indicator": "made_up"})
    _ok(at)
    assert any("made_up" in w.value for w in at.warning)
    assert len(at.get("deck_gl_json_chart")) == 1


def test_sources_page_counts_and_rejects():
    at = run_app("pages/sources.py", {"source": "ipis"})
    _ok(at)
    frames = _frames(at)
    sources = frames[0]
    assert len(sources) == len(SOURCES)  # tests/fixtures/fixture_sites.py
    ipis = sources.set_index("source_id").loc["ipis"]
    assert (ipis["rows_in"], ipis["rows_loaded"], ipis["rows_rejected"]) == (6956, 6950, 6)
    rejects = frames[-1]
    assert set(rejects["source_id"]) == {"ipis"} and len(rejects) == 2
    at.text_input(key="rej_text").input("placeholder").run()
    assert list(_frames(at)[-1]["source_ref"]) == ["vid=2"]


def test_sources_page_renders_risk_weights_when_available():
    at = run_app("pages/sources.py")
    _ok(at)
    try:
        from riskatlas.risk import weights_table
    except ImportError:
        assert "not available" in _text(at)
        return
    expected = weights_table()
    assert any(len(f) == len(expected) and "weight" in f.columns for f in _frames(at))


def test_minerals_and_brands_lead_into_the_map():
    at = run_app("pages/minerals.py")
    _ok(at)
    overview = _frames(at)[0]
    assert "./?mineral=cobalt" in list(overview["map"])
    cobalt = overview.set_index("mineral").loc["cobalt"]
    assert cobalt["artisanal_mines"] == 2 and cobalt["smelters_refiners"] == 3
    at = run_app("pages/brands.py")
    _ok(at)
    samsung = next(
        f for f in _frames(at) if "./?brand=samsung-electronics&mineral=cobalt" in list(f["map"])
    )
    row = samsung.set_index("mineral").loc["cobalt"]
    assert row["documented_sites"] == 3 and row["inferred_sites"] == 4
    assert "Listed but removed by RMI" in [h.value for h in at.subheader]
    removed = next(f for f in _frames(at) if "rmi_status" in f.columns)
    assert list(removed["site_id"]) == ["CID000211"]
    assert removed["rmi_status"].item().startswith("removed by RMI on 2018-09-18")
    assert any("still at country level" in b.label for b in at.get("download_button"))


def test_missing_database_says_how_to_build(monkeypatch, tmp_path):
    monkeypatch.setenv("RISKATLAS_DB", str(tmp_path / "nope.duckdb"))
    for page in ("pages/map.py", "pages/site.py", "pages/countries.py", "pages/sources.py"):
        at = run_app(page, {"site": "x"} if page == "pages/site.py" else None)
        _ok(at)
        assert "python -m riskatlas build" in _text(at), page


def test_corrupt_database_says_how_to_build(monkeypatch, tmp_path):
    bad = tmp_path / "atlas.duckdb"
    bad.write_bytes(b"this is not a duckdb file" * 100)
    monkeypatch.setenv("RISKATLAS_DB", str(bad))
    at = run_app()
    _ok(at)
    assert "python -m riskatlas build" in _text(at)


def test_countries_profile_reads_country_names_as_people_type_them():
    for typed in ("DRC", "cd", "Congo-Kinshasa"):
        at = run_app("pages/countries.py", {"country": typed})
        _ok(at)
        assert at.selectbox(key="cty_country").value == "COD", typed
        assert not at.warning, [w.value for w in at.warning]
    at = run_app("pages/countries.py", {"country": "Finlnd"})
    _ok(at)
    assert at.selectbox(key="cty_country").value == "FIN"
    at = run_app("pages/countries.py", {"country": "Indiana"})
    _ok(at)
    assert [w.value for w in at.warning] == [
        "Unknown country `Indiana` ignored. Did you mean: [India](?country=IND)?"
    ]


def test_minerals_page_reads_the_mineral_as_people_type_it():
    at = run_app("pages/minerals.py", {"mineral": "Cassitérite"})
    _ok(at)
    assert at.selectbox(key="min_pick").value == "tin"
