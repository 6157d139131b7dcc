"""Towns and townships the GeoNames file of 500+ people lacks, from countrystatecity-countries.

Why: RMI gives a city for every smelter, and some are townships, districts or small towns
that GeoNames' cities500 (the gazetteer) does not hold: "Fangliao Township", "Wujie",
"Dayuan" (Taiwan), "Siheung-si", "Bonghwa-gun" (Korea). The countrystatecity-countries
package (PyPI; the countries-states-cities database, Open Database License 1.0) lists 152,000
places per state with coordinates. It is read only after every gazetteer rule failed for a
city field, one country at a time, and a place is accepted only when it is the one place of
that name in the country that agrees with the stated province (its state has the province's
name, or it lies within ``MAX_KM`` of the matched province's main place). The point is the
package's own coordinate for the place; ``geo_note`` names the package, the place id and the
licence, so the point is never mistaken for a GeoNames one.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import NamedTuple

from riskatlas.geo import gazetteer as gz
from riskatlas.geo.cities import distance_km

PACKAGE = "countrystatecity_countries"
LICENCE = "ODbL 1.0"
MAX_KM = 150  # a township this far from the stated province's main place is another one
SAME_PLACE_KM = 5  # two entries of one name this close are the same town


class Town(NamedTuple):
    """A place of the package: its name, state, coordinates and the package's id."""

    name: str
    state: str
    lat: float
    lon: float
    ref: int


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).resolve().parent / "data" / "by-country"


class State(NamedTuple):
    """A state of the package: its code (the folder name), name and centre point."""

    code: str
    name: str
    lat: float | None
    lon: float | None


@functools.lru_cache(maxsize=256)
def _states(cc: str) -> tuple[State, ...]:
    """The states of one ISO2 country, from its states.json (read once per process)."""
    root = _data_dir()
    path = root / cc / "states.json" if root else None
    if path is None or not path.is_file():
        return ()
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    out = []
    for r in rows:
        try:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        except (KeyError, TypeError, ValueError):
            lat = lon = None
        out.append(State(str(r.get("state_code")), str(r.get("name") or ""), lat, lon))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _state_towns(cc: str, state: State) -> dict[str, tuple[Town, ...]]:
    """Name key -> towns of one state: only the states a lookup needs are ever read."""
    root = _data_dir()
    path = root / cc / "states" / state.code / "cities.json" if root else None
    if path is None or not path.is_file():
        return {}
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, list[Town]] = {}
    for r in rows:
        try:
            t = Town(
                str(r["name"]), state.name, float(r["latitude"]), float(r["longitude"]),
                int(r["id"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            continue
        for k in dict.fromkeys(gz.name_keys(t.name)):
            if k:
                out.setdefault(k, []).append(t)
    return {k: tuple(v) for k, v in out.items()}


STATE_REACH_KM = 800  # a state whose centre lies this far from the province point is not read
NEAREST_STATES = 6  # ... and only the states whose centres are nearest to it


def _candidate_states(cc: str, province: str | None, near) -> list[State]:
    """The states a lookup reads: those named like the province, else the few whose centres
    are nearest its point, else (no province stated) all of them."""
    states = _states(cc)
    if province:
        want = gz.admin_key(province)
        named = [s for s in states if s.name and gz.admin_key(s.name) == want]
        if named or near is None:
            return named
        located = sorted((distance_km(s.lat, s.lon, *near), s) for s in states if s.lat is not None)
        return [s for km, s in located[:NEAREST_STATES] if km <= STATE_REACH_KM]
    return list(states)


def available() -> bool:
    """True when the package is installed."""
    return _data_dir() is not None


def find(
    ccs: tuple[str, ...],
    text: str,
    province: str | None = None,
    near: tuple[float, float] | None = None,
) -> Town | None:
    """The one town a city field names in the country, agreeing with the province, or None.

    ``province`` is the stated province text; ``near`` the point of the province unit it
    matched in the gazetteer, if any. Several towns of the name that the province does not
    tell apart give None.
    """
    keys = [k for k in dict.fromkeys(gz.name_keys(text)) if len(k) >= 4]
    found: list[Town] = []
    named_state = False
    for cc in ccs:
        states = _candidate_states(cc, province, near)
        if (
            province
            and states
            and any(gz.admin_key(st.name) == gz.admin_key(province) for st in states)
        ):
            named_state = True
        for st in states:
            index = _state_towns(cc, st)
            for k in keys:
                found += [t for t in index.get(k, ()) if t not in found]
    if province and not named_state:
        if near is None:
            return None
        found = [t for t in found if distance_km(t.lat, t.lon, *near) <= MAX_KM]
    if not found:
        return None
    first = found[0]
    if any(distance_km(t.lat, t.lon, first.lat, first.lon) > SAME_PLACE_KM for t in found[1:]):
        return None
    return first


def holds(ccs: tuple[str, ...], lat: float, lon: float) -> bool:
    """True when one of the package's places in these countries has exactly this point (the
    check that a point placed through this module is the package's, in the stated country)."""
    for cc in ccs:
        for st in _states(cc):
            for group in _state_towns(cc, st).values():
                if any(t.lat == lat and t.lon == lon for t in group):
                    return True
    return False
