"""AppTest on the real atlas (the session's build): the journalist's question answered with the
real Samsung cobalt list, a real IPIS site page, the real sources. Expected values come from SQL
on the database, independently of the app's code."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.apptest_support import deck_spec, run_app, tables

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    """A copy of the real atlas: DuckDB allows one configuration per file and process, and the
    app opens it with external access disabled while other tests may hold a plain connection."""
    return shutil.copy(atlas_db, tmp_path_factory.mktemp("app_real") / "atlas.duckdb")


@pytest.fixture(scope="module")
def sql(real_db):
    con = duckdb.connect(str(real_db), read_only=True, config={"enable_external_access": False})
    cur = con.cursor()

    def run(query: str, *params):
        return cur.execute(query, list(params)).fetchall()

    yield run
    con.close()


@pytest.fixture(autouse=True)
def _use_real_db(real_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _site_layers(at) -> dict[str, set[str]]:
    spec = deck_spec(at.get("deck_gl_json_chart")[0])
    out: dict[str, set[str]] = {}
    for layer in spec["layers"]:
        if layer["id"].startswith("sites-"):
            kind = layer["id"].removesuffix("-approx").rsplit("-", 1)[1]
            out.setdefault(kind, set()).update(d["site_id"] for d in layer["data"])
    return out


def test_samsung_cobalt_documented_and_inferred_apart(sql):
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"}, timeout=180)
    _ok(at)
    documented = {
        r[0]
        for r in sql(
            "SELECT DISTINCT l.site_id FROM links l JOIN sites s USING (site_id) "
            "WHERE l.brand_id = 'samsung-electronics' AND l.mineral = 'cobalt'"
        )
    }
    inferred = {
        r[0]
        for r in sql(
            "SELECT DISTINCT e.site_id FROM inferred_exposure e JOIN sites s USING (site_id) "
            "WHERE e.brand_id = 'samsung-electronics' AND e.mineral = 'cobalt'"
        )
    }
    located = {r[0] for r in sql("SELECT site_id FROM sites WHERE lat IS NOT NULL")}
    assert len(documented) == 49  # Samsung's 2024 cobalt list: 49 smelters / refiners
    assert "CID003225" in documented  # Zhejiang Huayou Cobalt
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documented sites"] == f"{len(documented):,}"
    assert metrics["Inferred sites"] == f"{len(inferred):,}"
    layers = _site_layers(at)
    assert layers["documented"] == documented & located
    assert layers["inferred"] == inferred & located
    drc_artisanal = {
        r[0]
        for r in sql(
            "SELECT site_id FROM sites WHERE tier = 'artisanal_mine' AND country_iso3 = 'COD'"
        )
    }
    assert layers["inferred"] & drc_artisanal, "inferred DRC artisanal sites are on the map"
    # two ranked sections: the brand's own list, then what the data only suggests
    listed, suggested = at.dataframe[0].value, at.dataframe[1].value
    assert set(listed["site"].str.removeprefix("site?site=")) == documented
    assert set(suggested["site"].str.removeprefix("site?site=")) == inferred
    for table, kind in ((listed, "documented"), (suggested, "inferred")):
        scores = [float(v) for v in table["labour"] if v != "unknown"]
        assert scores == sorted(scores, reverse=True)
        assert set(table["link"]) == {kind}
    n = len(documented) + len(inferred)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f"CSV ({n:,} rows)", "Excel", "GeoJSON", "GeoPackage"]


def test_ipis_site_page_shows_dated_cited_facts():
    at = run_app("pages/site.py", {"site": "codmine00001"}, timeout=120)
    _ok(at)
    assert at.title[0].value.replace("\\", "") == "Mayi-Tatu"
    facts = tables(at)[0]
    row = facts[(facts["what was recorded"] == "Armed group present at the site")]
    assert row["value as published"].item() == "yes"
    assert row["observed on"].item() == "2013-03-27"
    assert row["reference"].item() == "vid=657" and row["source"].item() == "ipis"


def test_refiner_site_page_lists_the_brand_with_source_and_year():
    at = run_app("pages/site.py", {"site": "CID003225"}, timeout=120)
    _ok(at)
    documented = next(d.value for d in at.dataframe if "brand" in d.value.columns)
    samsung = documented[documented["brand_id"] == "samsung-electronics"]
    assert (samsung["mineral"] == "cobalt").any()
    assert set(samsung["year"]) == {2024}
    assert samsung["source_ref"].str.contains("p.38").any()


def test_sources_page_counts_match_the_database(sql):
    at = run_app("pages/sources.py", timeout=120)
    _ok(at)
    sources = at.dataframe[0].value
    (n,) = sql("SELECT count(*) FROM sources")[0]
    assert len(sources) == n
    assert (sources["rows_in"] == sources["rows_loaded"] + sources["rows_rejected"]).all()
    rejects = at.dataframe[-1].value
    (total,) = sql("SELECT count(*) FROM rejects")[0]
    assert len(rejects) == min(total, 1000)


def test_unknown_values_on_the_real_vocabulary():
    at = run_app(
        params={"brand": "samsung-electronics,acme", "mineral": "cobalt,unobtainium"}, timeout=120
    )
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "acme" in text and "unobtainium" in text
    assert {m.label: m.value for m in at.metric}["Documented sites"] == "49"


def test_countries_choropleth_real_indicator(sql):
    at = run_app(
        "pages/countries.py",
        {"indicator": "gsi_prevalence_per_1000", "country": "COD"},
        timeout=120,
    )
    _ok(at)
    spec = deck_spec(at.get("deck_gl_json_chart")[0])
    layer = next(x for x in spec["layers"] if x["id"] == "choropleth")
    props = {f["properties"]["iso3"]: f["properties"] for f in layer["data"]["features"]}
    ((value,),) = sql(
        "SELECT value FROM country_indicators WHERE country_iso3 = 'COD' "
        "AND indicator = 'gsi_prevalence_per_1000' ORDER BY year DESC LIMIT 1"
    )
    label = "Modern slavery prevalence (forced labour and forced marriage)"
    assert props["COD"]["value"] == f"{label} = {value:g} per 1,000 people"


def test_empty_brand_view_says_why_and_titles_read_well():
    """Issue 15.6: Apple + cobalt is empty because the atlas holds Apple's supplier (factory)
    list and no Apple smelter list; the page says so. Apple's years say 2019 has no list."""
    at = run_app(params={"brand": "apple", "mineral": "cobalt"}, timeout=120)
    _ok(at)
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Nothing matches these filters." in warning
    assert "supplier list (factories" in warning and "no Apple list names smelters" in warning
    at = run_app(params={"brand": "apple"}, timeout=120)
    _ok(at)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "no list for 2019 in the source" in captions
    at = run_app(params={"mineral": "3TG"}, timeout=120)
    _ok(at)
    assert at.title[0].value.replace("\\", "") == (
        "Where 3TG (tin, tantalum, tungsten and gold) are mined, refined and used"
    )
