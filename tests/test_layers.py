"""Map layers: colour-blind-safe scale, unknown is grey, approximate looks approximate, escaping."""

from __future__ import annotations

import json

import h3
import pandas as pd

from riskatlas.aggregate import MAX_CELLS, MAX_POINTS, cell_records, needs_aggregation, resolution
from riskatlas.basemap import (
    choropleth_layer,
    country_outline_layer,
    land_layer,
    land_shades,
    ocean_layer,
)
from riskatlas.layers import (
    APPROX_RADIUS,
    LAND_SHADES,
    TOOLTIP_HTML,
    UNKNOWN_RGB,
    VIRIDIS,
    deck,
    point_records,
    risk_rgb,
    site_layers,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def _sites(**over) -> pd.DataFrame:
    base = {
        "site_id": ["a", "b", "c", "d"],
        "name": [HOSTILE, "Umicore F&X", "GEM", "Mine"],
        "tier": ["artisanal_mine", "smelter_refiner", "smelter_refiner", "mine"],
        "lat": [-10.712345678, 63.84, 31.0, -11.2],
        "lon": [25.465432198, 23.13, 112.0, 27.4],
        "geo_precision": ["exact", "exact", "city", "province"],
        "country_iso3": ["COD", "FIN", "CHN", "COD"],
        "country_name": ["Democratic Republic of the Congo", "Finland", "China", None],
        "minerals": [["cobalt"], ["cobalt", "nickel"], ["cobalt"], []],
        "labour": [82.0, 5.0, None, 45.0],
        "labour_coverage": [0.9, 0.5, None, 0.6],
        "environment": [None, None, None, None],
        "environment_coverage": [None, None, None, None],
        "source_id": ["ipis", "samsung", "samsung", "icmm"],
        "source_ref": ["vid=1", "p31:r20", "p31:r15", HOSTILE],
        "kind": ["inferred", "documented", "documented", "site"],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_scale_is_viridis_and_unknown_is_grey():
    assert risk_rgb(0) == VIRIDIS[0]
    assert risk_rgb(100) == VIRIDIS[-1]
    assert risk_rgb(None) == UNKNOWN_RGB
    assert risk_rgb(float("nan")) == UNKNOWN_RGB
    # unknown is off the scale: no score maps to the grey
    assert all(risk_rgb(s) != UNKNOWN_RGB for s in range(0, 101))


def test_tooltip_values_are_plain_text_in_one_slot():
    """Streamlit HTML-escapes tooltip values in the browser (tests/test_hostile_browser.py checks
    that no script runs), so values go in as plain text and show literally; one template slot,
    so a value holding "{tip}" cannot pull in another field."""
    recs = point_records(_sites(), "labour", "documented")
    assert recs[0]["tip"].startswith("<img src=x onerror=alert(1)>\n")  # the name, as written
    assert recs[1]["tip"].startswith("Umicore F&X\n")
    assert "Source: icmm: <img" in recs[3]["tip"]
    assert TOOLTIP_HTML == "{tip}"


def test_compact_json_and_pixel_units():
    spec = json.loads(deck(site_layers(_sites(), "labour")).to_json())
    layer = spec["layers"][0]
    assert layer["radiusUnits"] == "pixels" and layer["lineWidthUnits"] == "pixels"
    assert "\n  " not in deck(site_layers(_sites(), "labour")).to_json()


def test_approximate_sites_are_hollow_larger_and_say_so():
    layers = {layer.id: layer for layer in site_layers(_sites(), "labour")}
    exact = layers["sites-smelter_refiner-documented"]
    ring = layers["sites-smelter_refiner-documented-approx"]
    assert exact.filled is True and ring.filled is False
    assert ring.get_radius == APPROX_RADIUS > exact.get_radius
    assert [d["site_id"] for d in ring.data] == ["c"]
    recs = {r["site_id"]: r for r in point_records(_sites(), "labour", "site")}
    assert "Location: location approximate: city level" in recs["c"]["tip"]
    assert "Location: location approximate: province level" in recs["d"]["tip"]
    assert "Location: exact coordinates from the source" in recs["a"]["tip"]


def test_unknown_risk_is_grey_and_says_unknown():
    recs = {r["site_id"]: r for r in point_records(_sites(), "labour", "site")}
    assert tuple(recs["c"]["fill"][:3]) == UNKNOWN_RGB
    assert "Risk: labour unknown (no evidence)" in recs["c"]["tip"]
    assert "Risk: labour 82/100" in recs["a"]["tip"]
    env = point_records(_sites(), "environment", "site")
    assert all(tuple(r["fill"][:3]) == UNKNOWN_RGB for r in env)


def test_inferred_is_faded_and_labelled():
    doc = point_records(_sites(), "labour", "documented")[0]
    inf = point_records(_sites(), "labour", "inferred")[0]
    assert inf["fill"][3] < doc["fill"][3]
    assert "inferred" in inf["tip"] and "documented" in doc["tip"]
    layers = {layer.id: layer for layer in site_layers(_sites(), "labour")}
    inferred = layers["sites-artisanal_mine-inferred"]
    assert inferred.get_line_color[3] < layers["sites-smelter_refiner-documented"].get_line_color[3]


def test_one_layer_per_tier_and_kind_with_ids():
    ids = [layer.id for layer in site_layers(_sites(), "labour")]
    assert ids == [
        "sites-artisanal_mine-inferred",
        "sites-mine-site-approx",
        "sites-smelter_refiner-documented",
        "sites-smelter_refiner-documented-approx",
    ]


def test_coordinates_are_rounded_and_payload_small():
    rec = point_records(_sites(), "labour", "site")[0]
    assert rec["lat"] == -10.7123 and rec["lon"] == 25.4654
    assert set(rec) == {"site_id", "lon", "lat", "fill", "tip"}


def test_rows_without_coordinates_are_not_drawn():
    df = _sites(lat=[None, 63.84, 31.0, -11.2])
    assert [r["site_id"] for r in point_records(df, "labour", "site")] == ["b", "c", "d"]


def test_deck_has_no_basemap_provider():
    spec = json.loads(deck([ocean_layer()]).to_json())
    assert "mapProvider" not in spec or spec["mapProvider"] is None
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")  # Streamlit then loads no style


def test_country_layers_from_shapes():
    shapes = pd.DataFrame(
        {
            "country_iso3": ["COD", "FIN"],
            "name": ["Congo <b>", "Finland"],
            "geojson": [
                '{"type":"Polygon","coordinates":[[[12,-13],[31,-13],[31,5],[12,-13]]]}',
                '{"type":"Polygon","coordinates":[[[20,60],[31,60],[31,70],[20,60]]]}',
            ],
        }
    )
    outline = country_outline_layer(shapes)
    assert outline.type == "GeoJsonLayer"
    assert outline.data["features"][0]["properties"]["name"] == "Congo <b>"
    values = pd.DataFrame({"country_iso3": ["COD"], "value": [10.3], "source_id": ["walkfree"]})
    choro = choropleth_layer(shapes, values, "gsi_prevalence_per_1000")
    props = {f["properties"]["iso3"]: f["properties"] for f in choro.data["features"]}
    assert props["COD"]["value"] == "gsi_prevalence_per_1000 = 10.3"
    assert "no data" in props["FIN"]["value"]  # missing is grey "no data", not zero


def _square(x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_neighbours_never_share_a_shade():
    """The Map's land (issue 17): a 3 x 3 grid of touching squares (a square touches up to 8,
    corners included), one beside it across a 0.1 degree gap (1:110m outlines leave such gaps
    between neighbours), a far island and a missing shape: no two neighbours alike."""
    grid = [_square(x, y) for x in range(3) for y in range(3)]
    geoms = [*grid, _square(3.1, 0), _square(50, 50), None]
    shade = land_shades(geoms)
    assert len(shade) == len(geoms) and set(shade) <= set(range(len(LAND_SHADES)))

    def near(i: int, j: int) -> bool:
        a, b = (divmod(k, 3) for k in (i, j))
        return max(abs(a[0] - b[0]), abs(a[1] - b[1])) == 1

    pairs = [(i, j) for i in range(9) for j in range(i + 1, 9) if near(i, j)]
    assert all(shade[i] != shade[j] for i, j in pairs)
    assert shade[9] not in {shade[6], shade[7]}  # across the gap from x = 2..3, y = 0..2
    assert shade[11] == 0  # no shape: the first shade, nothing drawn


def test_land_layer_shades_the_real_outlines_apart(atlas):
    """On the atlas's own outlines: one polygon layer, no lines; every pair of countries that
    share a border on the map (e.g. Rwanda and the DR Congo) in different shades; the same object
    for every view (written to a file once)."""
    shapes = atlas.execute("SELECT country_iso3, name, geojson FROM country_shapes").df()
    layer = land_layer(shapes)
    assert layer.type == "GeoJsonLayer" and layer.stroked is False and not layer.pickable
    fill = {f["properties"]["iso3"]: tuple(f["properties"]["fill"]) for f in layer.data["features"]}
    assert set(fill.values()) <= set(LAND_SHADES) and len(set(fill.values())) >= 4
    for a, b in [("COD", "RWA"), ("COD", "UGA"), ("COD", "ZMB"), ("FRA", "DEU"), ("CHN", "MNG")]:
        assert fill[a] != fill[b], (a, b)
    from shapely import from_geojson
    from shapely.strtree import STRtree

    geoms = [from_geojson(g) for g in shapes["geojson"]]
    isos = list(shapes["country_iso3"])
    left, right = STRtree(geoms).query(geoms, predicate="dwithin", distance=0.05)
    pairs = {(isos[i], isos[j]) for i, j in zip(left, right, strict=True) if i < j}
    assert len(pairs) > 250  # every land border of the world at 1:110m
    assert [p for p in pairs if fill[p[0]] == fill[p[1]]] == []
    assert land_layer(shapes.copy()).data is layer.data
    hostile = pd.DataFrame(
        {"country_iso3": ["XXA"], "name": [HOSTILE], "geojson": [json.dumps(_square(0, 0))]}
    )
    (feature,) = land_layer(hostile).data["features"]
    assert feature["properties"]["name"] == HOSTILE  # plain text: never shown (not pickable)


# real H3 cells (resolution 5): the records place each cell's circle at its centre
HEX_A = h3.latlng_to_cell(-10.7, 25.5, 5)
HEX_B = h3.latlng_to_cell(22.5, 114.0, 5)
HEX_C = h3.latlng_to_cell(-12.8, 28.2, 5)


def _cells(**over) -> pd.DataFrame:
    """Per-cell counts in the shape of queries/view_cells.sql."""
    base = {
        "hex": [HEX_A, HEX_B, HEX_C],
        "n": [2, 1, 3],
        "n_unknown": [0, 1, 0],
        "top": [70.0, None, 40.0],
        "n_documented": [0, 0, 0],
        "top_documented": [None, None, None],
        "n_inferred": [0, 0, 0],
        "top_inferred": [None, None, None],
        "tiers": ["Mines: 2", "Factories: 1", None],
        "countries": ["COD", "CHN", "COD, ZMB"],
        "sources": ["ipis", "apple_suppliers", "icmm"],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_aggregation_threshold_and_resolution():
    assert not needs_aggregation(MAX_POINTS)
    assert needs_aggregation(MAX_POINTS + 1)
    assert resolution(MAX_CELLS, 10) == 5
    assert resolution(MAX_CELLS + 1, MAX_CELLS) == 3
    assert resolution(MAX_CELLS + 1, MAX_CELLS + 1) == 2  # 5,882 cells on the globe: fits


def test_resolution_suits_the_zoom_the_map_opens_at():
    """A world view (zoom 0.8) never gets cells far below a pixel; a regional view keeps r5."""
    from riskatlas.aggregate import MIN_CELL_PX, cell_pixels

    assert cell_pixels(5, 0.8) < 1 < MIN_CELL_PX <= cell_pixels(3, 0.8)
    assert resolution(600, 300, zoom=0.8) == 3
    assert resolution(600, 300, zoom=6.0, lat=-10) == 5
    assert resolution(600, 300, zoom=0.2, lat=0) == 2
    assert resolution(MAX_CELLS + 1, 300, zoom=6.0) == 3  # the cell limit still holds


def test_cells_unknown_is_grey_and_tooltips_count():
    cells = cell_records(_cells(), "labour", 5).set_index("hex")
    assert cells["n"].to_dict() == {HEX_A: 2, HEX_B: 1, HEX_C: 3}
    lat, lon = h3.cell_to_latlng(HEX_B)
    assert (cells.loc[HEX_B, "lat"], cells.loc[HEX_B, "lon"]) == (round(lat, 4), round(lon, 4))
    assert tuple(cells.loc[HEX_B, "fill"][:3]) == UNKNOWN_RGB  # all unknown: grey, not low
    assert "resolution 5" in cells.loc[HEX_A, "tip"] and "Mines: 2" in cells.loc[HEX_A, "tip"]
    assert "highest labour 70/100 among 2" in cells.loc[HEX_A, "tip"]
    assert "Source: icmm" in cells.loc[HEX_C, "tip"]


def test_cells_keep_documented_and_inferred_apart():
    cells = cell_records(
        _cells(
            n_documented=[1, 0, 0],
            top_documented=[20.0, None, None],
            n_inferred=[1, 1, 3],
            top_inferred=[70.0, None, 40.0],
        ),
        "labour",
        3,
    ).set_index("hex")
    mixed, only_inferred = cells.loc[HEX_A], cells.loc[HEX_C]
    # coloured by the documented site, not the higher inferred one
    assert mixed["fill"][:3] == list(risk_rgb(20.0)) and mixed["fill"][3] == 200
    assert "Documented (the brand lists them): 1, highest labour 20/100" in mixed["tip"]
    assert "Inferred (no disclosure names them): 1, highest labour 70/100" in mixed["tip"]
    assert only_inferred["fill"][3] < 200  # faded: an inference is never drawn as a listing
    assert "Documented (the brand lists them): none" in only_inferred["tip"]


def test_choropleth_colours_by_rank_so_skewed_indicators_stay_readable():
    shapes = pd.DataFrame(
        {
            "country_iso3": ["A", "B", "C"],
            "name": ["A", "B", "C"],
            "geojson": ['{"type":"Point","coordinates":[0,0]}'] * 3,
        }
    )
    values = pd.DataFrame({"country_iso3": ["A", "B", "C"], "value": [0.5, 1.0, 104.6]})
    layer = choropleth_layer(shapes, values, "gsi")
    fills = {f["properties"]["iso3"]: f["properties"]["fill"][:3] for f in layer.data["features"]}
    assert fills["C"] == list(VIRIDIS[-1])  # the highest
    # a linear scale would put A and B at the same dark colour; ranks keep them apart
    assert fills["A"] != fills["B"]


def test_legend_explains_cells_when_the_map_is_aggregated():
    from riskatlas.ui.legend import legend_html

    counts = pd.DataFrame({"tier": ["mine"], "kind": ["site"], "n": [5000], "n_approx": [12]})
    cells = legend_html(counts, 3, "labour", aggregated=True)
    points = legend_html(counts, 3, "labour")
    assert "H3 cell" in cells and "hollow ring" not in cells and "12" in cells
    assert "hollow ring" in points and "H3 cell" not in points
    assert "Mines: 5,000" in cells and "unknown" in cells
