"""Matching a city name to a GeoNames place: exact, romanised, prefix and fuzzy rules.

Also the small types the other matchers share (``Hit``, ``Unit``, ``memo``, ``distance_km``):
they live with the rule that every other rule builds on, so no module imports upward.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from rapidfuzz import fuzz, process

from riskatlas.geo import gazetteer as gz
from riskatlas.geo.text import ARTICLES

FUZZY_CUTOFF = 90  # rapidfuzz ratio (0-100) on compact keys: "harvjavalta" ~ "harjavalta" is 95
FUZZY_MIN_LEN = 5  # shorter names are too easily confused to fuzzy-match
PREFIX_MIN_LEN = 4  # "kako" (Kako-gun) → "kakogawa"; 5 for names that had no admin word
OUTSIDE_MIN_POP = 100_000  # a same-name place outside the stated province must be this big ...
OUTSIDE_MAX_KM = 300  # ... or this close to the province's main place
HINT_MIN_SCORE = 70  # ratio of an unmatched province to a candidate's admin1 name ("Thüringen")


class Hit(NamedTuple):
    """A matched place and the rule that matched it (text before a NUL is the matched part)."""

    place: int  # gazetteer place id
    how: str


class Unit(NamedTuple):
    """A matched province: its admin1, the point that stands for it, and how it matched."""

    admin1: str | None  # "CC:name" of the admin1 that matched (or the admin2's admin1)
    seat: int  # the unit's most populous place: the province point
    how: str
    loose: bool = False  # matched through a place name or a broader unit: a weak constraint
    admin2: str | None = None  # admin2 name when the unit is an admin2


def memo(method):
    """Cache a lookup method's answers per matcher instance: addresses repeat the same names.

    The instance keeps them in its ``_cache`` dict; the key is the method's name and arguments.
    """
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (name, args, tuple(sorted(kwargs.items())))
        try:
            return self._cache[key]
        except KeyError:
            out = self._cache[key] = method(self, *args, **kwargs)
            return out

    return wrapper


def distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


class Cities:
    """City names to GeoNames places; the province and address matchers hold one and ask it."""

    def __init__(self, g: gz.Gazetteer):
        self.g = g
        self._cache: dict[tuple, object] = {}

    @memo
    def match(
        self, ccs: tuple[str, ...], text: str, unit: Unit | None, strict: bool = False,
        fuzzy: bool = True, hint: str | None = None,
    ) -> Hit | None:  # fmt: skip
        """A place for a city name: exact tiers in the province, then anywhere, then fuzzy.

        ``unit`` is the stated province when it matched; ``hint`` the stated province text when
        it did not (candidates whose admin1 name resembles it are then preferred). ``strict``
        keeps the search inside ``unit``; ``fuzzy`` allows prefix and fuzzy matches.
        """
        full, short = gz.name_keys(text)
        if not short:
            return None
        tiers = self._tiers(ccs, text, full, short, loose=fuzzy)
        a1 = unit.admin1 if unit else None
        if a1:
            for ids, how in tiers:
                inside = [i for i in ids if self.g.admin1[i] == a1]
                if inside:
                    return Hit(self.best(inside), f"{how}, in the stated province")
            if fuzzy:
                hit = self._prefix(ccs, short, a1, PREFIX_MIN_LEN if short != full else 5)
                hit = hit or self._fuzzy(ccs, short, a1)
                if hit:
                    return hit
        if strict:
            return None
        for ids, how in tiers:
            if not ids:
                continue
            if a1:
                near = [i for i in ids if unit.loose or self._plausible(i, unit)]
                if near:
                    how += f" (not in the stated province, which matched {self._a1name(a1)})"
                    return Hit(self.best(near), how)
                continue
            if hint and len({self.g.admin1[i] for i in ids}) > 1:
                return self._by_hint(ids, hint, how)
            return Hit(self.best(ids), how)
        if fuzzy and not a1 and not hint:
            return self._fuzzy(ccs, short, None)
        return None

    def _tiers(
        self, ccs, text: str, full: str, short: str, loose: bool = True
    ) -> list[tuple[tuple[int, ...], str]]:
        """Candidate place ids per matching rule, strictest first; ``loose`` adds GeoNames names
        read without their admin word ("Ansan" for "Ansan-si") and a dropped article."""
        words = gz.fold(text).split()
        bare = "".join(gz.strip_admin(words[1:])) if len(words) > 1 and words[0] in ARTICLES else ""
        tiers = []
        for cc in ccs:
            index = self.g.city_index.get(cc, {})
            shorts = self.g.short_index.get(cc, {})
            tiers.append((index.get(full, ()), "name"))
            if short != full:
                tiers.append((index.get(short, ()), "name without admin words"))
            if loose:
                tiers.append((shorts.get(short, ()), "name without admin words"))
                if bare:
                    tiers.append((index.get(bare, ()), "name without its article"))
            rk = gz.romanised_key(cc, short)
            if rk:
                tiers.append((self.g.roman_index[cc].get(rk, ()), "romanisation variant"))
        return tiers

    def _plausible(self, i: int, unit: Unit) -> bool:
        """A same-name place outside the stated province is kept only if it is a big city (the
        province is then likely misstated: Astana filed under Almaty) or lies near the province.
        """
        if self.g.pop[i] >= OUTSIDE_MIN_POP:
            return True
        return (
            distance_km(self.g.lat[i], self.g.lon[i], self.g.lat[unit.seat], self.g.lon[unit.seat])
            <= OUTSIDE_MAX_KM
        )

    def _by_hint(self, ids, hint: str, how: str) -> Hit:
        """Among same-name places, the one whose admin1 name resembles the unmatched province."""
        key = gz.admin_key(hint)
        scored = [
            (fuzz.ratio(key, gz.admin_key(self.g.admin1_name.get(self.g.admin1[i], ""))), i)
            for i in ids
        ]
        score = max(s for s, _ in scored)
        if score >= HINT_MIN_SCORE:
            best = self.best([i for s, i in scored if s == score])
            return Hit(
                best, f"{how}, in the admin1 most like the stated province (score {score:.0f})"
            )
        return Hit(self.best(ids), f"{how}, the most populous of several (province not matched)")

    def best(self, ids) -> int:
        """The most populous of several place ids (the lowest id on a tie)."""
        return max(ids, key=lambda i: (self.g.pop[i], -i))

    def _a1name(self, a1: str) -> str:
        return f"'{self.g.admin1_name.get(a1, a1)}'"

    def _prefix(self, ccs, short: str, a1: str, min_len: int) -> Hit | None:
        """A name that starts a place name of the same province ("Kako-gun" → Kakogawa)."""
        if len(short) < min_len:
            return None
        ids = []
        for cc in ccs:
            for k in self._keys_by_admin1(cc).get(a1, ()):
                if k.startswith(short):
                    ids.extend(i for i in self._ids(cc, k) if self.g.admin1[i] == a1)
        if not ids:
            return None
        i = self.best(ids)
        return Hit(i, f"'{short}' starting a place name in the stated province")

    def _fuzzy(self, ccs, short: str, a1: str | None) -> Hit | None:
        """Fuzzy match inside the stated province, or inside the country when none is stated."""
        if len(short) < FUZZY_MIN_LEN:
            return None
        best = None
        for cc in ccs:
            keys = self._keys_by_admin1(cc).get(a1, ()) if a1 else self._keys_by_admin1(cc)[""]
            got = process.extractOne(short, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if got and (best is None or got[1] > best[1]):
                best = (cc, got[0], got[1])
        if not best:
            return None
        cc, key, score = best
        ids = [i for i in self._ids(cc, key) if not a1 or self.g.admin1[i] == a1]
        where = "in the stated province" if a1 else "in the country"
        return Hit(self.best(ids), f"fuzzy match to '{key}' (score {score:.0f}) {where}")

    def _ids(self, cc: str, key: str) -> tuple[int, ...]:
        return self.g.city_index.get(cc, {}).get(key, ()) + self.g.short_index.get(cc, {}).get(
            key, ()
        )

    def _keys_by_admin1(self, cc: str) -> dict[str, list[str]]:
        """Name keys of a country's places per admin1 ("" holds all), for prefix/fuzzy search."""
        return self.g.keys_by_admin1.get(cc, {"": []})
