"""AppTest on the real atlas: documented conflicts (EJAtlas) are their own Map layer, hidden by
?conflicts=0, and a Site page lists the cases linked to the site with basis, distance, last
update and the case address."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from riskatlas import conflicts_layer
from tests.apptest_support import deck_spec, run_app

pytestmark = pytest.mark.slow
CONFIG = {"enable_external_access": False}  # as the app opens it (one configuration per file)


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    return shutil.copy(atlas_db, tmp_path_factory.mktemp("app_conflicts") / "atlas.duckdb")


@pytest.fixture(autouse=True)
def _use_real_db(real_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _layers(at) -> dict[str, list[dict]]:
    spec = deck_spec(at.get("deck_gl_json_chart")[0])
    return {layer["id"]: layer.get("data") or [] for layer in spec["layers"]}


def test_conflicts_are_their_own_layer(real_db):
    con = duckdb.connect(str(real_db), read_only=True, config=CONFIG)
    n_gha = con.execute("SELECT count(*) FROM conflicts WHERE country_iso3 = 'GHA'").fetchone()[0]
    con.close()
    at = run_app(params={"country": "GHA"}, timeout=180)
    _ok(at)
    layers = _layers(at)
    points = layers[conflicts_layer.LAYER_ID]
    assert len(points) == n_gha > 5
    agbo = next(p for p in points if p["conflict_id"] == "2837")
    assert agbo["tip"].startswith("documented conflict (EJAtlas)\nHazardous e-waste recycling")
    assert "Case: https://ejatlas.org/conflict/agbogbloshie-e-waste-landfill-ghana" in agbo["tip"]
    assert "non-commercial" in agbo["tip"] and "case site" in agbo["tip"]
    # never counted as a site: the sites layers do not hold case ids
    for layer_id, data in layers.items():
        if layer_id.startswith("sites-"):
            assert not any("conflict_id" in d for d in data)
    legend = " ".join(m.value for m in at.markdown)
    assert "documented conflict (EJAtlas)" in legend


def test_a_brand_and_mineral_view_draws_only_its_own_cases(real_db):
    """?brand=samsung-electronics&mineral=cobalt: only the cases linked to a site the view
    shows (before: every case of the world, ~2,800 rings over 165 sites)."""
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"}, timeout=240)
    _ok(at)
    layers = _layers(at)
    drawn = {p["conflict_id"] for p in layers.get(conflicts_layer.LAYER_ID, [])}
    con = duckdb.connect(str(real_db), read_only=True, config=CONFIG)
    total = con.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    linked = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT l.conflict_id FROM conflict_links l JOIN sites s USING (site_id) "
            "WHERE list_contains(s.minerals, 'cobalt')"
        ).fetchall()
    }
    con.close()
    assert drawn and drawn <= linked and len(drawn) < total / 100
    for p in layers[conflicts_layer.LAYER_ID]:
        assert "Shown because: linked to a site shown" in p["tip"]
    legend = " ".join(m.value for m in at.markdown)
    assert f"{len(drawn):,} drawn: cases linked to a site shown" in legend


def test_conflicts_0_hides_the_layer():
    at = run_app(params={"country": "GHA", "conflicts": "0"}, timeout=180)
    _ok(at)
    assert conflicts_layer.LAYER_ID not in _layers(at)
    assert "Documented conflicts hidden." in [c.value for c in at.caption]


def test_site_page_lists_linked_conflicts(real_db):
    con = duckdb.connect(str(real_db), read_only=True, config=CONFIG)
    site_id, url, basis = con.execute(
        "SELECT l.site_id, c.url, l.basis FROM conflict_links l JOIN conflicts c USING "
        "(conflict_id) JOIN sites s USING (site_id) WHERE s.tier = 'smelter_refiner' "
        "AND l.basis = 'company + distance' ORDER BY l.site_id LIMIT 1"
    ).fetchone()
    con.close()
    at = run_app("pages/site.py", {"site": site_id}, timeout=180)
    _ok(at)
    assert "Documented conflicts (EJAtlas)" in [h.value for h in at.subheader]
    text = "\n".join(m.value for m in at.markdown)
    assert f"]({url})" in text  # the case address, linked
    assert "linked by company + distance" in text.replace("\\", "")  # markdown-escaped text
    assert "case last updated 20" in text


def test_site_without_conflicts_has_no_section():
    at = run_app("pages/site.py", {"site": "ewaste:agbogbloshie"}, timeout=180)
    _ok(at)
    assert "Documented conflicts (EJAtlas)" not in [h.value for h in at.subheader]


def test_sources_page_states_the_non_commercial_terms():
    at = run_app("pages/sources.py", timeout=180)
    _ok(at)
    warned = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "EJAtlas – Global Atlas of Environmental Justice" in warned
    assert "Non-commercial use only, with attribution" in warned
    assert "build --skip ejatlas" in warned
