"""AppTest of the Map page on the fixture database: URL filters, deck JSON, table, downloads."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from riskatlas.ui.map_view import selected_site
from tests.apptest_support import deck_spec, run_app
from tests.fixtures.make_fixture_db import HOSTILE, build_fixture_db


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_fixture_db(tmp_path_factory.mktemp("atlas") / "atlas.duckdb")


@pytest.fixture(autouse=True)
def _use_fixture_db(fixture_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(fixture_db))


def _deck(at) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return deck_spec(charts[0])


def _layer_sites(spec: dict) -> dict[str, set[str]]:
    """Site ids per tier-and-kind layer (exact points and approximate rings merged)."""
    out: dict[str, set[str]] = {}
    for layer in spec["layers"]:
        if layer["id"].startswith("sites-"):
            key = layer["id"].removesuffix("-approx")
            out.setdefault(key, set()).update(d["site_id"] for d in layer["data"])
    return out


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_brand_and_mineral_from_the_url():
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"})
    _ok(at)
    assert "cobalt" in at.title[0].value and "Samsung" in at.title[0].value
    layers = _layer_sites(_deck(at))
    assert layers["sites-smelter_refiner-documented"] == {"CID002504", "CID003925", "CID002036"}
    assert layers["sites-artisanal_mine-inferred"] == {"codmine00123", "codmine00456"}
    assert layers["sites-mine-inferred"] == {"icmm_1001", "minmod:abc123"}
    # documented and inferred never share a layer
    assert not any("documented" in k and "inferred" in k for k in layers)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documented sites"] == "3" and metrics["Inferred sites"] == "4"


def test_brand_name_and_mineral_symbol_any_case():
    at = run_app(params={"brand": "SAMSUNG ELECTRONICS", "mineral": "Co"})
    _ok(at)
    assert not at.warning
    assert "sites-smelter_refiner-documented" in _layer_sites(_deck(at))


def test_tooltips_are_plain_text_and_say_approximate():
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"})
    raw = at.get("deck_gl_json_chart")[0].proto.json
    # plain text, shown literally: Streamlit HTML-escapes tooltip values in the browser
    # (tests/test_hostile_browser.py proves no script runs)
    assert "&lt;img" not in raw
    spec = deck_spec(at.get("deck_gl_json_chart")[0])
    assert any(
        "<img src=x onerror=alert(1)>" in d.get("tip", "")
        for layer in spec["layers"]
        for d in (layer.get("data") if isinstance(layer.get("data"), list) else [])
    )
    layers = {layer["id"]: layer for layer in spec["layers"]}
    rows = {
        d["site_id"]: d
        for layer in spec["layers"]
        if layer["id"].startswith("sites-")
        for d in layer["data"]
    }
    assert "location approximate: city level" in rows["CID002504"]["tip"]
    assert "location approximate: province level" in rows["CID002036"]["tip"]
    # approximate sites: a separate layer of hollow, larger rings
    rings = layers["sites-smelter_refiner-documented-approx"]
    assert (
        rings["filled"] is False
        and rings["getRadius"] > layers["sites-smelter_refiner-documented"]["getRadius"]
    )
    assert {d["site_id"] for d in rings["data"]} == {"CID002504", "CID002036"}
    assert "unknown" in rows["CID002036"]["tip"]  # no evidence: unknown, grey
    assert rows["CID002036"]["fill"][:3] == [150, 150, 150]
    assert "inferred" in rows["codmine00123"]["tip"]
    assert "documented" in rows["CID003925"]["tip"]
    tip = rows["codmine00123"]["tip"]
    for part in (
        "artisanal mine",
        "Minerals: cobalt",
        "Country: Democratic Republic of the Congo",
        "Risk: labour 82/100",
        "Location: exact",
        "Source: ilab_goods: cobalt|COD",
    ):
        assert part in tip
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["html"] == "{tip}"
    assert tooltip["style"]["whiteSpace"] == "pre-line"


def test_no_basemap_and_country_outlines():
    spec = _deck(run_app())
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__") and not spec.get("mapProvider")
    countries = next(layer for layer in spec["layers"] if layer["id"] == "countries")
    assert countries["@@type"] == "GeoJsonLayer"
    assert {f["properties"]["iso3"] for f in countries["data"]["features"]} >= {"COD", "CHN"}


def _ranked(scores) -> bool:
    """Highest first, 'unknown' (no evidence) last."""
    known = [int(s) for s in scores if s != "unknown"]
    return known == sorted(known, reverse=True) and list(scores[len(known) :]) == ["unknown"] * (
        len(scores) - len(known)
    )


def test_hotspot_table_ranked_unknown_last_with_links_and_citations():
    """A brand view ranks its documented and its inferred rows in two sections (issue 15.5)."""
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"})
    documented, inferred = at.dataframe[0].value, at.dataframe[1].value
    assert set(documented["link"]) == {"documented"} and set(inferred["link"]) == {"inferred"}
    assert _ranked(list(documented["labour"])) and _ranked(list(inferred["labour"]))
    assert sorted([*documented["labour"], *inferred["labour"]]) == sorted(
        ["82", "55", "45", "30", "5", "unknown", "unknown"]
    )
    assert list(inferred["site"][:2]) == ["site?site=codmine00123", "site?site=codmine00456"]
    assert "site?site=CID002504" in set(documented["site"])
    assert documented.loc[documented["site"] == "site?site=CID002504", "citation"].item() == (
        "samsung_rmr_2025: p31:r12"
    )
    assert inferred.loc[inferred["site"] == "site?site=codmine00123", "name"].item() == HOSTILE
    headings = " ".join(m.value for m in at.markdown)
    assert "Documented: sites the brand's own disclosure lists" in headings
    assert "Inferred: where it could come from" in headings


def test_one_click_on_a_name_in_the_table_opens_the_site_page():
    """Issue 15.7: a click on a site's name (a cell selection) opens its Site page at once."""
    from riskatlas.ui.map_results import clicked_site

    class Event:
        def __init__(self, selection):
            self.selection = selection

    table = pd.DataFrame({"site": ["site?site=a", "site?site=b%3Ac"], "name": ["A", "B"]})
    assert clicked_site(Event({"rows": [], "cells": [(1, "name")]}), table) == "b:c"
    assert clicked_site(Event({"rows": [0], "cells": []}), table) == "a"
    assert clicked_site(Event({"rows": [], "cells": [(1, "rank")]}), table) is None
    assert clicked_site(Event({"rows": [], "cells": []}), table) is None
    assert clicked_site(Event({"rows": [7], "cells": []}), table) is None
    assert clicked_site(object(), table) is None


def test_downloads_offered_for_the_filtered_set():
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"})
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["CSV (7 rows)", "Excel", "GeoJSON", "GeoPackage"]


def test_sankey_marks_inferred_flows():
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt"})
    (chart,) = at.get("plotly_chart")
    fig = json.loads(chart.proto.spec)
    link = fig["data"][0]["link"]
    assert any(label.startswith("inferred") for label in link["label"])
    assert any(label.startswith("documented") for label in link["label"])
    colours = {lab.split(":")[0]: c for lab, c in zip(link["label"], link["color"], strict=True)}
    assert colours["inferred"] != colours["documented"]
    assert "Samsung Electronics" in fig["data"][0]["node"]["label"]


def test_unknown_params_give_notices_not_a_crash():
    at = run_app(
        params={
            "brand": "nokia",
            "mineral": "kryptonite",
            "min_risk": "lots",
            "country": "Atlantis",
        }
    )
    _ok(at)
    text = " ".join(w.value for w in at.warning)
    for bad in ("nokia", "kryptonite", "lots", "Atlantis"):
        assert bad in text
    assert len(at.get("deck_gl_json_chart")) == 1  # the map still draws


def test_min_risk_and_tier_filters_without_brand():
    at = run_app(params={"tier": "artisanal_mine", "min_risk": "60"})
    _ok(at)
    sites = set().union(*_layer_sites(_deck(at)).values())
    assert sites == {"codmine00123", "codmine00789"}  # labour 82 and 75; 55 is below
    all_sites = set().union(*_layer_sites(_deck(run_app())).values())
    assert len(all_sites) == 13


def test_min_risk_leaves_unknown_out_and_says_so():
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt", "min_risk": "1"})
    captions = " ".join(c.value for c in at.caption)
    assert "leaves out 2 row(s)" in captions
    assert "unknown" not in list(at.dataframe[0].value["labour"])


def test_sidebar_widgets_reflect_the_url():
    at = run_app(params={"brand": "samsung-electronics", "mineral": "cobalt", "year": "2024"})
    assert at.sidebar.multiselect(key="flt_brand").value == ["samsung-electronics"]
    assert at.sidebar.multiselect(key="flt_mineral").value == ["cobalt"]
    assert at.sidebar.selectbox(key="flt_year").value == 2024


def test_changing_a_widget_writes_the_url():
    at = run_app(params={"brand": "samsung-electronics"})
    at.sidebar.multiselect(key="flt_mineral").set_value(["tantalum"]).run()
    _ok(at)
    assert at.query_params["mineral"] == ["tantalum"] or at.query_params["mineral"] == "tantalum"
    layers = _layer_sites(_deck(at))
    assert layers["sites-smelter_refiner-documented"] == {"CID000211"}
    assert layers["sites-artisanal_mine-inferred"] == {"codmine00789"}


def test_selected_site_reads_pydeck_selection():
    class Event:
        selection = {"objects": {"sites-mine-inferred": [{"site_id": "icmm_1001"}]}}

    class Sel:
        def __init__(self, objects):
            self.objects = objects

    class Ev:
        def __init__(self, objects):
            self.selection = Sel(objects)

    assert selected_site(Ev({"sites-mine-inferred": [{"site_id": "icmm_1001"}]})) == "icmm_1001"
    assert selected_site(Ev({"h3-cells": [{"hex": "85"}]})) is None
    assert selected_site(Ev({})) is None
    assert selected_site(Event()) is None  # malformed: no crash


def test_large_sets_are_sent_as_h3_cells_not_points(monkeypatch):
    import riskatlas.aggregate

    monkeypatch.setattr(riskatlas.aggregate, "MAX_POINTS", 5)  # the fixture has 13 sites
    at = run_app()
    _ok(at)
    spec = _deck(at)
    assert not _layer_sites(spec), "no point layers above the threshold"
    cells = next(layer for layer in spec["layers"] if layer["id"] == "h3-cells")
    # circles at the cells' centres, never smaller than a few pixels (issue 15: sub-pixel
    # hexagons at the opening zoom drew nothing a reader could see)
    assert cells["@@type"] == "ScatterplotLayer"
    assert cells["radiusMinPixels"] >= 3
    assert all(-90 <= c["lat"] <= 90 and -180 <= c["lon"] <= 180 for c in cells["data"])
    assert sum(c["n"] for c in cells["data"]) == 13
    unknown = [c for c in cells["data"] if c["n_unknown"] == c["n"]]
    assert unknown and all(c["fill"][:3] == [150, 150, 150] for c in unknown)
    assert any("aggregated to H3 cells" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == 13  # the table still holds every row


def _param(at, name: str) -> str:
    """A query parameter as the page left it (AppTest gives lists for the ones it was given)."""
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def test_brand_as_people_type_it_selects_the_brand_and_canonicalises_the_url():
    for typed in ("samsung", "Samsung"):
        at = run_app(params={"brand": typed, "mineral": "cobalt"})
        _ok(at)
        assert not at.warning, [w.value for w in at.warning]
        assert "Samsung Electronics" in at.title[0].value
        assert at.multiselect(key="flt_brand").value == ["samsung-electronics"]
        assert _param(at, "brand") == "samsung-electronics"  # the shared link names the id
        assert "sites-smelter_refiner-documented" in _layer_sites(_deck(at))


def test_unknown_brand_notice_suggests_the_closest_as_links():
    at = run_app(params={"brand": "Samsung SDI", "mineral": "cobalt"})
    _ok(at)
    (notice,) = [w.value for w in at.warning]
    assert notice == (
        "Unknown brand `Samsung SDI` ignored. Did you mean: "
        "[Samsung Electronics](?brand=samsung-electronics&mineral=cobalt)?"
    )
    assert "brand" not in at.query_params  # nothing is selected on a guess
    at = run_app(params={"brand": "Samsng Electronics"})
    _ok(at)
    assert [w.value for w in at.warning] == [
        "Brand `Samsng Electronics` read as Samsung Electronics."
    ]
    assert _param(at, "brand") == "samsung-electronics"
