"""Large layer data leaves the deck spec for served files (riskatlas.deck_static); small data
and everything else in the spec stay as they were."""

from __future__ import annotations

import json
import os

import pydeck as pdk

from riskatlas.deck_static import load_data, offload_layers, prune, write_data


def _layers(n_points: int) -> list[pdk.Layer]:
    points = [
        {"site_id": f"s{i}", "lon": i / 10, "lat": -i / 10, "fill": [1, 2, 3, 200], "tip": f"t{i}"}
        for i in range(n_points)
    ]
    return [
        pdk.Layer("PolygonLayer", id="ocean", data=[{"polygon": [[0, 0]]}]),
        pdk.Layer("ScatterplotLayer", id="sites-mine-site", data=points),
    ]


def _spec(layers: list[pdk.Layer]) -> dict:
    deck = pdk.Deck(layers=layers, map_provider=None)
    return json.loads(deck.to_json())


def test_large_data_goes_to_a_file_small_data_stays(tmp_path):
    layers = _layers(2_000)
    inline = _spec(layers)
    moved = offload_layers(layers, tmp_path, "/app/static/deck/")
    deck = _spec(layers)
    ocean, sites = deck["layers"]
    assert ocean["data"] == [{"polygon": [[0, 0]]}]  # small: kept inline
    assert list(moved) == ["sites-mine-site"]
    assert sites["data"] == "/app/static/deck/" + moved["sites-mine-site"]
    # the file holds exactly the records the spec held (ids for a click, tooltips, colours)
    assert load_data(sites, tmp_path) == inline["layers"][1]["data"]
    assert deck["initialViewState"] == inline["initialViewState"]
    assert len(json.dumps(deck)) < len(json.dumps(inline)) / 50


def test_a_small_deck_is_returned_unchanged(tmp_path):
    layers = _layers(3)
    inline = _spec(layers)
    assert offload_layers(layers, tmp_path, "/x/") == {}
    assert _spec(layers) == inline
    assert not list(tmp_path.iterdir())


def test_equal_data_is_one_file_named_by_its_content(tmp_path):
    a = write_data([{"a": 1}], tmp_path)
    b = write_data([{"a": 1}], tmp_path)
    c = write_data([{"a": 2}], tmp_path)
    assert a == b != c
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([a, c])
    assert oct((tmp_path / a).stat().st_mode & 0o777) == oct(0o644)


def test_prune_keeps_the_most_recently_used(tmp_path):
    names = [write_data([i], tmp_path) for i in range(5)]
    for i, name in enumerate(names):
        os.utime(tmp_path / name, (1_000 + i, 1_000 + i))
    write_data([0], tmp_path)  # used again: now the newest
    assert prune(tmp_path, keep=2) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([names[0], names[4]])


def test_layers_offloaded_before_serialising_hold_the_inline_records(tmp_path, atlas_db):
    """offload_layers (the Map: layers moved before the deck is serialised once) gives the deck
    the inline one was, each large layer's data replaced by a served file holding the same
    records, on the real atlas's home Map (the land, conflicts, H3 cells)."""
    import duckdb

    from riskatlas import db, map_deck
    from riskatlas.filters import FilterState
    from riskatlas.view import View

    con = duckdb.connect(str(atlas_db), read_only=True)

    def run(name, params, includes):
        return db.run(con, name, params, includes)

    view = View.open(FilterState(), run)
    inline = json.loads(map_deck.map_deck(view, 4_000, None, True).spec)
    moved: dict[str, str] = {}

    def move(layers):
        moved.update(offload_layers(layers, tmp_path, "/app/static/deck/"))

    now = map_deck.map_deck(view, 4_000, None, True, offload=move)
    assert {"countries", "conflicts", "h3-cells"} <= set(moved)
    spec = json.loads(now.spec)
    assert [layer["id"] for layer in spec["layers"]] == [x["id"] for x in inline["layers"]]
    for layer, was in zip(spec["layers"], inline["layers"], strict=True):
        if layer["id"] in moved:
            assert layer["data"] == "/app/static/deck/" + moved[layer["id"]]
            assert load_data(layer, tmp_path) == was["data"]
        else:
            assert layer == was
        assert {k: v for k, v in layer.items() if k != "data"} == {
            k: v for k, v in was.items() if k != "data"
        }
    assert len(now.spec) < len(json.dumps(inline)) / 5
    con.close()


def test_the_outlines_every_view_shares_are_written_once(tmp_path, monkeypatch):
    """The outlines are one cached object (basemap.feature_collection): a second view's deck
    names the same file without dumping it again; a file pruned meanwhile is written again."""
    import pandas as pd

    from riskatlas import basemap, deck_static

    square = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'
    shapes = pd.DataFrame(
        {"country_iso3": [f"C{i:02d}" for i in range(400)], "name": "x", "geojson": square}
    )
    assert basemap.feature_collection(shapes) is basemap.feature_collection(shapes.copy())
    dumps: list[int] = []
    real = deck_static.write_text
    monkeypatch.setattr(
        deck_static, "write_text", lambda text, d: dumps.append(len(text)) or real(text, d)
    )

    def offload_one() -> str:
        layer = basemap.country_outline_layer(shapes.copy(), stroked=False)
        moved = deck_static.offload_layers([layer], tmp_path, "/s/")
        assert layer.data == "/s/" + moved["countries"]
        return moved["countries"]

    name = offload_one()
    assert offload_one() == name and len(dumps) == 1  # the second view: no dump, no write
    (tmp_path / name).unlink()  # pruned meanwhile
    assert offload_one() == name and len(dumps) == 2 and (tmp_path / name).is_file()
