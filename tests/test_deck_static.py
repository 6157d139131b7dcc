"""Large layer data leaves the deck spec for served files (riskatlas.deck_static); small data
and everything else in the spec stay as they were."""

from __future__ import annotations

import json
import os

from riskatlas.deck_static import load_data, offload, prune, write_data


def _spec(n_points: int) -> str:
    points = [
        {"site_id": f"s{i}", "lon": i / 10, "lat": -i / 10, "fill": [1, 2, 3, 200], "tip": f"t{i}"}
        for i in range(n_points)
    ]
    return json.dumps(
        {
            "initialViewState": {"latitude": 5.0, "longitude": 20.0, "zoom": 1.2},
            "layers": [
                {"@@type": "PolygonLayer", "id": "ocean", "data": [{"polygon": [[0, 0]]}]},
                {"@@type": "ScatterplotLayer", "id": "sites-mine-site", "data": points},
            ],
        }
    )


def test_large_data_goes_to_a_file_small_data_stays(tmp_path):
    spec = _spec(2_000)
    out, moved = offload(spec, tmp_path, "/app/static/deck/")
    deck = json.loads(out)
    ocean, sites = deck["layers"]
    assert ocean["data"] == [{"polygon": [[0, 0]]}]  # small: kept inline
    assert list(moved) == ["sites-mine-site"]
    assert sites["data"] == "/app/static/deck/" + moved["sites-mine-site"]
    # the file holds exactly the records the spec held (ids for a click, tooltips, colours)
    assert load_data(sites, tmp_path) == json.loads(spec)["layers"][1]["data"]
    assert deck["initialViewState"] == json.loads(spec)["initialViewState"]
    assert len(out) < len(spec) / 50


def test_a_small_deck_is_returned_unchanged(tmp_path):
    spec = _spec(3)
    out, moved = offload(spec, tmp_path, "/x/")
    assert out == spec and moved == {}
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


def test_layers_offloaded_before_serialising_give_the_same_spec(tmp_path, atlas_db):
    """offload_layers (the Map: layers moved before the deck is serialised once) and offload
    (a finished spec parsed and dumped again) give the same deck and the same files, on the
    real atlas's home Map (outlines, conflicts, H3 cells)."""
    import duckdb

    from riskatlas import db, map_deck
    from riskatlas.deck_static import offload_layers
    from riskatlas.filters import FilterState
    from riskatlas.view import View

    con = duckdb.connect(str(atlas_db), read_only=True)

    def run(name, params, includes):
        return db.run(con, name, params, includes)

    view = View.open(FilterState(), run)
    inline = map_deck.map_deck(view, 4_000, None, True)
    before, moved_before = offload(inline.spec, tmp_path / "a", "/app/static/deck/")
    moved_now: dict[str, str] = {}

    def move(layers):
        moved_now.update(offload_layers(layers, tmp_path / "b", "/app/static/deck/"))

    now = map_deck.map_deck(view, 4_000, None, True, offload=move)
    assert moved_now == moved_before and "countries" in moved_now
    assert json.loads(now.spec) == json.loads(before)
    for name in moved_now.values():
        a, b = (tmp_path / d / name for d in ("a", "b"))
        assert json.loads(a.read_text()) == json.loads(b.read_text())
    assert len(now.spec) < len(inline.spec) / 5
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
