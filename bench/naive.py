"""Side by side: the naive pydeck map, every point in one ScatterplotLayer serialised by to_json."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pydeck as pdk

from riskatlas import sql


def naive_deck_json(db: Path) -> tuple[str, int]:
    """The deck JSON a naive page would send: all located sites as one layer; and the point count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = sql.run(con, "bench_naive_map")  # the facts the app's tooltip shows
    finally:
        con.close()
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=df,
        get_position=["lon", "lat"],
        get_fill_color="[255, 255 - labour * 2.55, 0, 200]",
        get_radius=5000,
        pickable=True,
    )
    deck = pdk.Deck(
        layers=[layer],
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=5, longitude=20, zoom=1.2),
        tooltip={"text": "{name}\n{tier} · {country_iso3}\n{minerals}\nlabour {labour}"},
    )
    return deck.to_json(), len(df)


def measure(db: Path) -> dict:
    """Bytes and seconds (query + serialisation) of the naive map."""
    t0 = time.perf_counter()
    text, n = naive_deck_json(db)
    seconds = time.perf_counter() - t0
    return {"bytes": len(text.encode("utf-8")), "seconds": seconds, "points": n}
