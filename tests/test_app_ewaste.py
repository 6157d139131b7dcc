"""AppTest of the end-of-life evidence on the real atlas (the session's build): the e-waste map and
country profile (the two recycling-rate definitions apart, "not reported" never 0, Eurostat flags
spelled out), curated e-waste hotspots on the Map and Site page, and approved contributions as a
layer, a Site section and opt-in export rows of their own. Expected values come from SQL on the
database, independently of the app's code."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from riskatlas.contrib import store
from riskatlas.contrib.export import EXPORT_NOTE
from riskatlas.contrib.intake import submit_file
from riskatlas.contrib.locate import atlas_sites
from tests.apptest_support import deck_spec, run_app, tables

pytestmark = pytest.mark.slow

EU = "ewaste_recycling_rate_eu"
UNITAR = "ewaste_recycling_rate_unitar"
EU_WORDS = "recycled ÷ collected"
UNITAR_WORDS = "recycled ÷ generated"


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    """A copy of the real atlas (the app opens it with its own connection configuration)."""
    return shutil.copy(atlas_db, tmp_path_factory.mktemp("app_ewaste") / "atlas.duckdb")


@pytest.fixture(scope="module")
def con(real_db):
    c = duckdb.connect(str(real_db), read_only=True, config={"enable_external_access": False})
    yield c.cursor()
    c.close()


@pytest.fixture(autouse=True)
def _env(real_db, tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts).replace("\\", "")


def _decks(at) -> list[dict]:
    return [deck_spec(d) for d in at.get("deck_gl_json_chart")]


def _ewaste_features(at) -> dict[str, dict]:
    for spec in _decks(at):
        for layer in spec["layers"]:
            if layer["id"] == "ewaste-choropleth":
                return {f["properties"]["iso3"]: f["properties"] for f in layer["data"]["features"]}
    raise AssertionError("no e-waste map")


def _charts(at) -> list[dict]:
    """Each line chart (Vega-Lite) as its spec, with the rows Streamlit sends beside it."""
    import pyarrow as pa

    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        spec["rows"] = pa.ipc.open_stream(c.proto.data.data).read_pandas()
        out.append(spec)
    return out


def _axis_title(chart: dict) -> str:
    return str(chart["encoding"]["y"].get("title") or "")


def _series(chart: dict) -> list[str]:
    return list(dict.fromkeys(chart["rows"]["series"]))


def _countries(con, indicator: str, year: int) -> set[str]:
    rows = con.execute(
        "SELECT country_iso3 FROM country_indicators WHERE indicator = ? AND year = ? "
        "AND value IS NOT NULL",
        [indicator, year],
    ).fetchall()
    return {r[0] for r in rows}


# --- the e-waste map ------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "indicator", "words", "other"), [
    ("rate_eu", EU, EU_WORDS, UNITAR_WORDS),
    ("rate_unitar", UNITAR, UNITAR_WORDS, EU_WORDS),
])  # fmt: skip
def test_each_recycling_rate_definition_has_its_own_map(con, key, indicator, words, other):
    at = run_app("pages/countries.py", {"ewaste": key}, timeout=120)
    _ok(at)
    year = at.selectbox(key="ew_year").value
    feats = _ewaste_features(at)
    valued = {iso for iso, p in feats.items() if p["fill"][3] > 0}
    shaped = set(feats)
    assert valued == _countries(con, indicator, year) & shaped
    # nothing of the other definition is on this map, its legend or its caption
    other_indicator = UNITAR if indicator == EU else EU
    assert not valued & _countries(con, other_indicator, year)
    assert all(words in p["value"] and other not in p["value"] for p in feats.values())
    legend = [m.value for m in at.markdown if "coloured by rank" in m.value]
    assert len(legend) == 1  # one scale, one definition
    caption = next(c.value for c in at.caption if c.value.startswith("E-waste recycling rate"))
    assert words in caption and "Not comparable" in caption


def test_countries_without_a_value_have_no_fill_and_read_not_reported(con):
    at = run_app("pages/countries.py", {"ewaste": "generated"}, timeout=120)
    _ok(at)
    reported = _countries(con, "waw_ewaste_tons", 2016)
    assert "COD" not in reported and "GHA" in reported  # What a Waste has no DR Congo figure
    feats = _ewaste_features(at)
    assert feats["COD"]["fill"][3] == 0
    assert feats["COD"]["value"].endswith("not reported")
    assert "0 t" not in feats["COD"]["value"]
    tons = con.execute(
        "SELECT value FROM country_indicators WHERE country_iso3 = 'GHA' "
        "AND indicator = 'waw_ewaste_tons'"
    ).fetchone()[0]
    assert f"{tons:,.0f} t" in feats["GHA"]["value"] and feats["GHA"]["fill"][3] > 0
    assert "no fill: <b>not reported</b>" in _texts(at)


def test_map_tooltip_spells_out_eurostat_flags(con):
    flagged = con.execute(
        "SELECT country_iso3, year FROM country_indicators WHERE indicator = 'weee_COL_KG_HAB' "
        "AND flag = 's' ORDER BY year DESC, country_iso3 LIMIT 1"
    ).fetchone()
    at = run_app("pages/countries.py", {"ewaste": "eu_collected", "ewaste_year": str(flagged[1])})
    _ok(at)
    assert "s = Eurostat estimate" in _ewaste_features(at)[flagged[0]]["value"]


def test_switching_measure_keeps_the_url_and_starts_at_its_own_year(con):
    at = run_app("pages/countries.py", {"ewaste": "eu_collected", "ewaste_year": "2010"})
    _ok(at)
    assert at.selectbox(key="ew_year").value == 2010
    assert ", 2010 = " in _ewaste_features(at)["DEU"]["value"]
    at.selectbox(key="ew_measure").set_value("rate_unitar").run()
    _ok(at)
    assert at.query_params["ewaste"] in ("rate_unitar", ["rate_unitar"])
    assert "ewaste_year" not in at.query_params
    assert not at.warning
    year = at.selectbox(key="ew_year").value
    assert _countries(con, UNITAR, year)  # a year this definition has values for


# --- the country profile --------------------------------------------------------------------


def test_profile_of_a_country_without_data_says_not_reported(con):
    at = run_app("pages/countries.py", {"country": "COD"}, timeout=120)
    _ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["E-waste generated a year"] == "not reported"
    assert metrics["per person"] == "not reported"
    name = con.execute("SELECT name FROM countries WHERE country_iso3 = 'COD'").fetchone()[0]
    text = _texts(at)
    assert f"{name}: not reported. Eurostat's WEEE series" in text
    assert f"{name}: not reported under this definition." in text
    assert text.count("not reported under this definition") == 2  # EU and UNITAR, apart
    assert not any(m.value in ("0", "0 t", "0.0 %") for m in at.metric)


def test_profile_generated_value_and_source_with_data_date(con):
    at = run_app("pages/countries.py", {"country": "GHA"}, timeout=120)
    _ok(at)
    tons, kg = con.execute(
        "SELECT max(value) FILTER (indicator = 'waw_ewaste_tons'), "
        "max(value) FILTER (indicator = 'waw_ewaste_kg_per_capita') "
        "FROM country_indicators WHERE country_iso3 = 'GHA'"
    ).fetchone()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["E-waste generated a year"] == f"{tons:,.0f} t"
    assert metrics["per person"] == f"{kg:,.1f} kg"
    date = con.execute(
        "SELECT data_date FROM sources WHERE source_id = 'world_bank_what_a_waste'"
    ).fetchone()[0]
    assert f"(data {date}" in _texts(at)
    assert "all municipal solid waste" in _texts(at)  # the treatment shares are not e-waste's


def test_profile_keeps_the_two_rate_definitions_apart(con):
    at = run_app("pages/countries.py", {"country": "DEU"}, timeout=120)
    _ok(at)
    last = con.execute(
        "SELECT year, value FROM country_indicators WHERE country_iso3 = 'DEU' "
        "AND indicator = ? ORDER BY year DESC LIMIT 1",
        [EU],
    ).fetchone()
    assert not con.execute(
        "SELECT 1 FROM country_indicators WHERE country_iso3 = 'DEU' AND indicator = ?",
        [UNITAR],
    ).fetchall()
    text = _texts(at)
    assert f"Germany: **{last[1]:.1f} %** in {last[0]}" in text
    assert "Germany: not reported under this definition." in text
    rate_charts = [f for f in _charts(at) if "def." in _axis_title(f)]
    assert len(rate_charts) == 2
    eu_chart, unitar_chart = rate_charts
    assert "collected" in _axis_title(eu_chart) and "generated" not in _axis_title(eu_chart)
    assert "generated" in _axis_title(unitar_chart) and "collected" not in _axis_title(unitar_chart)
    assert _series(eu_chart) == ["Germany"]
    eu_rows = con.execute(
        "SELECT year, value FROM country_indicators WHERE country_iso3 = 'DEU' "
        "AND indicator = ? AND value IS NOT NULL ORDER BY year",
        [EU],
    ).fetchall()
    drawn = eu_chart["rows"].sort_values("year")
    assert list(drawn["year"]) == [y for y, _ in eu_rows]
    assert list(drawn["value"]) == pytest.approx([v for _, v in eu_rows])
    # issue 17: no plotly on the map's page (its 4.7 MB script delays the map for a new reader)
    assert not at.get("plotly_chart")
    # the UNITAR chart has only context lines of that definition, never Germany's EU rate
    assert set(_series(unitar_chart)) == {"Europe (UN) (context)", "World (context)"}


def test_weee_one_row_per_year_with_flags_spelled_out(con):
    iso3 = "BEL"
    years = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT year FROM weee WHERE country_iso3 = ? AND waste = 'TOTAL' "
            "AND unit = 'T' AND operation IN ('MKT', 'COL', 'TRT', 'RCY_REU', 'TRT_NEU') "
            "ORDER BY year",
            [iso3],
        ).fetchall()
    ]
    col_2005, flag_2005 = con.execute(
        "SELECT value, flag FROM weee WHERE country_iso3 = ? AND waste = 'TOTAL' AND unit = 'T' "
        "AND operation = 'COL' AND year = 2005",
        [iso3],
    ).fetchone()
    assert flag_2005 == "s"
    at = run_app("pages/countries.py", {"country": iso3}, timeout=120)
    _ok(at)
    table = next(d.value for d in at.dataframe if "collected (t)" in d.value.columns)
    assert list(table["year"]) == years  # one row per year
    row = table[table["year"] == 2005].iloc[0]
    assert row["collected (t)"] == f"{col_2005:,.0f} (s)"
    assert "collected: s = Eurostat estimate" in row["flags"]
    assert "d = definition differs" in _texts(at)  # the flag legend


def test_weee_cell_without_a_value_reads_not_reported(con):
    """Eurostat has no 'treated outside the EU' for Germany in some years: not reported, not 0."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT year FROM weee WHERE country_iso3 = 'DEU' AND waste = 'TOTAL' AND unit = 'T' "
            "AND operation = 'TRT_NEU'"
        ).fetchall()
    }
    assert 2006 not in have and 2012 in have
    at = run_app("pages/countries.py", {"country": "DEU"}, timeout=120)
    _ok(at)
    table = next(d.value for d in at.dataframe if "collected (t)" in d.value.columns)
    by_year = table.set_index("year")["treated outside the EU (t)"]
    assert by_year[2006] == "not reported"
    assert by_year[2012] != "not reported"
    cells = table.drop(columns=["year", "flags"]).to_numpy().ravel()
    assert all(isinstance(c, str) and c for c in cells)  # a value or "not reported", never blank


# --- curated e-waste hotspots ---------------------------------------------------------------


def test_curated_ewaste_sites_on_the_map_name_their_report(con):
    at = run_app("pages/map.py", {"tier": "ewaste"}, timeout=120)
    _ok(at)
    expected = {
        r[0] for r in con.execute("SELECT site_id FROM sites WHERE tier = 'ewaste'").fetchall()
    }
    assert expected
    points = {}
    for layer in _decks(at)[0]["layers"]:
        if layer["id"].startswith("sites-ewaste"):
            points.update({d["site_id"]: d for d in layer["data"]})
    assert set(points) == expected
    cite = con.execute(
        "SELECT value FROM site_facts WHERE site_id = 'ewaste:guiyu' AND fact = 'citation'"
    ).fetchone()[0]
    tip = points["ewaste:guiyu"]["tip"]
    assert "e-waste site" in tip and "curated from public reports (curated_ewaste)" in tip
    assert "Exporting Harm: The High-Tech Trashing of Asia" in cite
    assert "Exporting Harm: The High-Tech Trashing of Asia" in tip
    assert "location approximate: city level" in tip


def test_site_page_cites_each_report_with_a_link(con):
    at = run_app("pages/site.py", {"site": "ewaste:agbogbloshie"}, timeout=120)
    _ok(at)
    assert "Documented in" in [s.value for s in at.subheader]
    cites = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT value FROM site_facts WHERE site_id = 'ewaste:agbogbloshie' "
            "AND fact = 'citation' ORDER BY 1"
        ).fetchall()
    ]
    assert len(cites) == 2
    reports = next(m.value for m in at.markdown if m.value.startswith("- **"))
    lines = reports.replace("\\", "").splitlines()
    assert len(lines) == 2
    greenpeace = next(c for c in cites if "Greenpeace International, 2008." in c)
    url = greenpeace.rsplit(" ", 1)[1]
    line = next(x for x in lines if "Greenpeace" in x)
    assert line.startswith("- **Chemical contamination at e-waste recycling and disposal sites")
    assert "— Greenpeace International, 2008 — " in line
    assert line.endswith(f"[{url}]({url})")  # the address, as a link
    # the citation rows are not repeated in the facts table; what each report documents is
    facts = tables(at)[0]
    assert set(facts["what was recorded"]) == {"What the report documents at the site"}
    assert set(facts["reference"]) == set(cites)


# --- contributions --------------------------------------------------------------------------

CSV = b"""site_name,tier,description,event_date,evidence_url,contributor,country,city,province,lat,lon,site_id,minerals
Old Fadama scrap yard,ewaste,Children burning cable insulation,2023-05-17,https://example.org/fadama,Accra Workers Union,Ghana,Accra,,5.5530,-0.2110,,copper
Agbogbloshie,ewaste,Fire at the burning site,2022-02-01,https://example.org/agbo,Accra Workers Union,Ghana,Accra,,,,ewaste:agbogbloshie,
Pending yard,ewaste,Not reviewed yet,2022-03-01,https://example.org/pending,Someone,Ghana,Accra,,5.56,-0.2,,
"""


@pytest.fixture
def contributed(con):
    """Three contributions uploaded; the first two approved, the third left pending."""
    result = submit_file(CSV, "fieldwork.csv", site_lookup=lambda ids: atlas_sites(ids, con))
    assert not result.errors, result.errors
    for i in result.ids[:2]:
        store.review(i, "approved", "tester")
    return result.ids


def _contrib_layer(at) -> list[dict]:
    layers = [x for x in _decks(at)[0]["layers"] if x["id"] == "contributions"]
    return layers[0]["data"] if layers else []


def test_approved_contributions_are_their_own_layer_not_counted(contributed, con):
    at = run_app("pages/map.py", {"country": "GHA"}, timeout=120)
    _ok(at)
    points = _contrib_layer(at)
    assert {p["site_id"] for p in points} == {"contrib:1", "ewaste:agbogbloshie"}  # not pending
    tip = next(p["tip"] for p in points if p["site_id"] == "contrib:1")
    assert "contributed (reviewed, not a published source)" in tip
    assert "contributed by Accra Workers Union" in tip and "approved by tester" in tip
    assert "evidence: https://example.org/fadama" in tip
    table = at.dataframe[0].value
    assert "contrib:1" not in set(table["site"].str.removeprefix("site?site="))
    assert set(table["link"]) == {"site"}  # the hotspot table holds published sources only
    n = con.execute("SELECT count(*) FROM sites WHERE country_iso3 = 'GHA'").fetchone()[0]
    assert len(table) == n and f"**{n:,} sites** match" in _texts(at)  # counts: sources only
    assert "<b>contributed</b> evidence: 2 on the map" in _texts(at)
    # the toggle hides the layer and writes ?contributed=0 into the URL
    at.toggle(key="show_contributed").set_value(False).run()
    _ok(at)
    assert _contrib_layer(at) == []
    assert at.query_params["contributed"] in ("0", ["0"])


def test_export_includes_contributions_only_when_ticked(contributed):
    at = run_app("pages/map.py", {"country": "GHA"}, timeout=120)
    _ok(at)
    assert EXPORT_NOTE not in _texts(at)
    at.checkbox(key="include_contributed").check().run()
    _ok(at)
    assert EXPORT_NOTE in _texts(at)
    assert "adds 2 contributed row(s)" in _texts(at)


def test_site_page_shows_contributed_evidence_apart(contributed):
    at = run_app("pages/site.py", {"site": "ewaste:agbogbloshie"}, timeout=120)
    _ok(at)
    heads = [s.value for s in at.subheader]
    assert "Contributed evidence (reviewed, not a published source)" in heads
    table = next(d.value for d in at.dataframe if "contributed by" in d.value.columns)
    assert list(table["what happened"]) == ["Fire at the burning site"]
    assert list(table["evidence"]) == ["https://example.org/agbo"]
    assert list(table["approved by"]) == ["tester"]
    facts = tables(at)[0]  # the published facts hold no contributed row
    assert "contributed" not in set(facts["source"])
    # a place only a contribution names has a page of its own, labelled contributed
    at = run_app("pages/site.py", {"site": "contrib:1"}, timeout=120)
    _ok(at)
    assert at.title[0].value == "Old Fadama scrap yard"
    assert "*contributed*" in at.markdown[0].value


def test_missing_or_broken_contributions_database_is_harmless(tmp_path, monkeypatch):
    at = run_app("pages/map.py", {"country": "GHA"}, timeout=120)
    _ok(at)
    assert _contrib_layer(at) == []
    assert not (tmp_path / "contributions.duckdb").exists()  # reading never creates it
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database")
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(broken))
    at = run_app("pages/map.py", {"country": "GHA"}, timeout=120)
    _ok(at)
    assert "Contributed evidence cannot be read" in _texts(at)
    at = run_app("pages/site.py", {"site": "ewaste:agbogbloshie"}, timeout=120)
    _ok(at)
    assert "Contributed evidence cannot be read" in _texts(at)
