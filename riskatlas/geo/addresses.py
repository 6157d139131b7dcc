"""Reading a free-text address right to left for its city, province and country parts."""

from __future__ import annotations

import re

from riskatlas.countries import to_iso3
from riskatlas.geo import gazetteer as gz
from riskatlas.geo.cities import OUTSIDE_MIN_POP, Cities, Hit, Unit
from riskatlas.geo.text import (
    CITY_WORDS,
    DIGITS,
    NOISE_WORDS,
    STREET_WORDS,
    UNIT_WORDS,
    country_words,
    fold,
)
from riskatlas.geo.units import Units

_SEGMENTS = re.compile(r"[,;\n\r/|]+")


class Addresses:
    """Addresses to a city or province; asks ``cities`` and ``units`` for each name it reads."""

    def __init__(self, g: gz.Gazetteer, cities: Cities, units: Units):
        self.g = g
        self.cities = cities
        self.units = units

    def read(
        self, ccs, text: str, unit: Unit | None, outside: bool = True
    ) -> tuple[Hit | None, Unit | None, str | None]:
        """A city from a free-text address, scanning place-name n-grams from right to left.

        The country name at the end is skipped, admin1 names set the province, and the scan
        stops at the first street word (road, no., building ...): left of it is the street.
        Returns (city hit, province unit, ISO3 of a territory the address ends with, e.g. PRI).
        ``outside`` lets a large city outside the stated province match (misstated provinces).
        """
        segments = [w for w in (fold(s).split() for s in _SEGMENTS.split(text)) if w]
        territory = None
        regions: list[tuple[str, Unit | None]] = []  # admin1 names, then the country name
        country: list[tuple[str, None]] = []
        if segments:
            last = segments[-1]
            while last and len(last[-1]) <= 2:  # "R.O.C.", "P.R."
                last = last[:-1]
            n, territory = self._country_tail(ccs, last)
            if n:
                country.append((" ".join(last[-n:]), None))
                last = last[:-n]
            segments[-1] = last
        found: Unit | None = None
        seen_place = False
        for words in reversed(segments):
            e = len(words)
            while e > 0:
                w = words[e - 1]
                if DIGITS.search(w):
                    e -= 1
                    continue
                if w in STREET_WORDS:
                    if seen_place:
                        return self._deferred(ccs, regions + country), found, territory
                    e -= 1  # a street word at the very end ("... Kedah Darul Aman Jalan")
                    continue
                seen_place = True
                step = self._address_ngram(ccs, words, e, found or unit, outside)
                if step is None:
                    e -= 1
                    continue
                n, kind, payload = step
                if kind == "city":
                    return payload, found, territory
                found = payload  # the leftmost region is the most specific one
                regions.append((" ".join(words[e - n : e]), payload))
                e -= n
        return self._deferred(ccs, regions + country), found, territory

    def _address_ngram(self, ccs, words: list[str], e: int, unit: Unit | None, outside: bool):
        """(n, kind, payload) for the longest place-like n-gram ending at word e, else None.

        An n-gram is an admin1 name, else a place in the current province (or a city of
        OUTSIDE_MIN_POP people anywhere, for "Xi'an Shanxi"), else an admin2 name.
        """
        for n in (4, 3, 2, 1):
            if n > e:
                continue
            gram = words[e - n : e]
            if any(DIGITS.search(w) or w in STREET_WORDS for w in gram):
                continue
            if n == 1 and (gram[0] in NOISE_WORDS or len(gram[0]) < 3):
                continue
            if n > 1 and gram[0] in UNIT_WORDS:  # "City Taipei" spans "Tucheng City, Taipei"
                continue
            text = " ".join(gram)
            prov = None if gram[-1] in CITY_WORDS else self.units.admin1_exact(ccs, text)
            if prov:
                return n, "region", prov
            hit = self.cities.match(ccs, text, unit, strict=unit is not None, fuzzy=False)
            if hit is None and unit is not None and outside:
                hit = self._big_city(ccs, text)
            a2 = self.units.admin2_exact(ccs, text, unit.admin1 if unit else None)
            if a2 and (hit is None or self.g.pop[hit.place] < self.g.pop[a2.seat]):
                return n, "region", a2  # "Cavite": the province, not the smaller Cavite City
            if hit:
                return n, "city", Hit(hit.place, f"{text}\0{hit.how}")
        return None

    def _big_city(self, ccs, text: str) -> Hit | None:
        """A city of OUTSIDE_MIN_POP or more whose own name (not an alternate) is the text, for
        addresses with a misstated province ("Xi'an Shanxi", "Zhengzhou Hebei")."""
        hit = self.cities.match(ccs, text, None, fuzzy=False)
        if hit is None or self.g.pop[hit.place] < OUTSIDE_MIN_POP:
            return None
        if gz.name_keys(text)[0] != gz.name_keys(self.g.name[hit.place])[0]:
            return None
        return Hit(hit.place, f"{hit.how} (a large city outside the stated province)")

    def _country_tail(self, ccs, words: list[str]) -> tuple[int, str | None]:
        """(how many last words name the stated country, ISO3 if they name one of its
        territories): "China" (1, None), "Hong Kong" (2, "HKG"), "USA" (1, None)."""
        for n in (1, 2, 3):
            if n > len(words) or not all(w in country_words() for w in words[-n:]):
                continue
            iso3 = to_iso3(" ".join(words[-n:]))
            iso2 = self.g.iso2_of.get(iso3) if iso3 else None
            if iso2 in ccs:
                return n, (iso3 if iso2 != ccs[0] else None)
        return 0, None

    def _deferred(self, ccs, deferred) -> Hit | None:
        """A city-province ("Shanghai", "Tokyo") or city-state ("Singapore") named as a region:
        the city must be the region's main place, or for a country name carry that name."""
        for text, prov in deferred:
            hit = self.cities.match(ccs, text, prov, strict=prov is not None, fuzzy=False)
            if hit is None:
                continue
            if prov is not None and hit.place != prov.seat and not prov.admin2:
                continue
            if prov is not None and prov.admin2 and self.g.admin2[hit.place] != prov.admin2:
                continue
            if prov is None and gz.name_keys(self.g.name[hit.place])[0] != gz.name_keys(text)[0]:
                continue  # "Puerto Rico" is an alternate name of San Juan: not a city-state
            return Hit(hit.place, f"{text}\0{hit.how} (a city that is also a region)")
        return None
