"""Offline forward geocoding of (country, province, city, address) to a GeoNames point and precision.

Every point is a real gazetteer place or a Natural Earth label point, never a typed coordinate:

- ``city``: the city field (or a place name in the address) matched a GeoNames populated place
  of the stated country. Matching tries, in order: the name or an alternate name; the name
  without administrative words ("Changsha City", "Gunsan-si"); one spelling for romanisation
  variants ("Hirosima", "Kunsan", "Saijyo", "Unterpremstaetten"); a name that starts a place
  name of the stated province ("Kako-gun" → Kakogawa); a fuzzy match (rapidfuzz ratio >= 90) in
  the stated province (in the country when no province is stated). When several places share
  the name, the one in the stated province wins, then the most populous. Also ``city``: a
  district named in the city field (placed at its most populous place), and a place not in the
  gazetteer inside a province that is itself one city (Incheon, Ulsan, Moscow, Bangkok).
- ``province``: the province (or the address) matched a GeoNames admin1 unit, else an admin2
  unit; the point is that unit's most populous GeoNames place (usually its capital), so it sits
  on land inside the unit.
- ``country``: the Natural Earth label point of the country (inside its largest polygon, as in
  the country_shapes table); for countries with no shape at 1:110m (Singapore, Hong Kong, Malta
  ...) the country's most populous GeoNames place.
- none: no country is stated, so nothing is placed.

Addresses (Apple 2012-2018: "No 168 First Avenue Kunshan Export Processing Zone Kunshan Jiangsu
China") are read right to left: the country name is skipped, admin1 names set the province,
the first place of that province wins, and the street part (left of "Road", "No" ...) is never
read. Region-only addresses (Apple 2020-2022: "Jiangsu", "Laguna") are placed as provinces.
``geo_note`` says which rule placed the record and why a finer level failed.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from riskatlas import gazetteer as gz
from riskatlas import paths
from riskatlas.countries import to_iso3

FUZZY_CUTOFF = 90  # rapidfuzz ratio (0-100) on compact keys: "harvjavalta" ~ "harjavalta" is 95
FUZZY_MIN_LEN = 5  # shorter names are too easily confused to fuzzy-match
PREFIX_MIN_LEN = 4  # "kako" (Kako-gun) → "kakogawa"; 5 for names that had no admin word
OUTSIDE_MIN_POP = 100_000  # a same-name place outside the stated province must be this big ...
OUTSIDE_MAX_KM = 300  # ... or this close to the province's main place
CITY_PROVINCE_MIN_POP = 500_000  # a city-province's main place has this many people ...
CITY_PROVINCE_KM = 50  # ... and half of the province's places lie this close to it
HINT_MIN_SCORE = 70  # ratio of an unmatched province to a candidate's admin1 name ("Thüringen")
ARTICLES = frozenset("le la les l el los las al the".split())

# Address words that start the street part: everything to their left is street, number or building.
STREET_WORDS = frozenset(
    """
    road rd street avenue ave boulevard blvd lu jie dadao highway hwy lane ln no building bldg
    floor fl room rm block blk lot moo soi jalan jln lorong calle avenida av rua rodovia strasse
    drive way parkway pkwy suite km
    """.split()
)
# Address words that are never a place on their own (but may be part of one, e.g. "New Taipei").
NOISE_WORDS = frozenset(
    """
    industrial industry park zone estate development economic technological technology tech hi
    high export processing district town village community area new science free trade epz the
    of and city county province prefecture ward sub branch north south east west central first
    second third plant factory unit gate
    """.split()
)
# Words that make an address n-gram a city, never a province ("Akita-shi", "Tianjin Shi").
CITY_WORDS = frozenset(
    "city shi si cho machi mura town gun ku gu shiang township eup myeon".split()
)
# Unit words that end a name: an n-gram starting with one straddles two names.
UNIT_WORDS = CITY_WORDS | {"district", "dist", "county", "province", "prefecture"}
_DIGITS = re.compile(r"\d")
_SEGMENTS = re.compile(r"[,;\n\r/|]+")
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_PART_SPLIT = re.compile(r",|;| and | & | - ")
_OF_COUNTRY = re.compile(r"\s+(?:province\s+)?of\s+([^,]+)$", re.IGNORECASE)
# Russian adjectival province names: "Chelyabinskaya" -> "chelyabin", prefix of "chelyabinsk".
_RU_ADJECTIVE = re.compile(r"(sk|ck|tsk)?(aya|aja|iy|ij|yy|oy|ii)$")


class Location(NamedTuple):
    """A point with its precision and how it was found (lat/lon None when nothing is known)."""

    lat: float | None
    lon: float | None
    geo_precision: str | None
    geo_note: str


class _Hit(NamedTuple):
    place: int  # gazetteer place id
    how: str


class _Unit(NamedTuple):
    admin1: str | None  # "CC:name" of the admin1 that matched (or the admin2's admin1)
    seat: int  # the unit's most populous place: the province point
    how: str
    loose: bool = False  # matched through a place name or a broader unit: a weak constraint
    admin2: str | None = None  # admin2 name when the unit is an admin2


def _memo(method):
    """Cache a lookup method's answers per Geocoder: addresses repeat the same names."""
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


@functools.lru_cache(maxsize=4)
def _country_points(raw: str) -> dict[str, tuple[float, float]]:
    """ISO3 -> (lat, lon) label point, as the country_shapes table has it (one computation)."""
    from riskatlas.sources import natural_earth

    shapes = natural_earth.load(Path(raw)).tables["country_shapes"]
    return {
        iso3: (float(la), float(lo))
        for iso3, la, lo in zip(
            shapes["country_iso3"], shapes["label_lat"], shapes["label_lon"], strict=True
        )
    }


class Geocoder:
    """Forward geocoder over the GeoNames gazetteer; one instance geocodes a whole build."""

    def __init__(self, raw_dir: Path | str | None = None):
        self.raw_dir = paths.raw_dir(raw_dir)
        self.g = gz.load()
        self.country_points = _country_points(str(self.raw_dir))
        self._memo: dict[tuple, Location] = {}
        self._cache: dict[tuple, object] = {}
        self._city_provinces: dict[str, bool] = {}
        self._admin1_array: np.ndarray | None = None

    # ------------------------------------------------------------------ public API
    def locate(
        self,
        country_iso3: str | None,
        province: str | None = None,
        city: str | None = None,
        address: str | None = None,
    ) -> Location:
        """The best point for a record, at the finest precision the names support."""
        iso3 = _clean(country_iso3)
        key = (iso3.upper() if iso3 else None, _clean(province), _clean(city), _clean(address))
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._locate(*key)
        return hit

    def locate_frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """Fill lat/lon/geo_precision/geo_note where geo_precision is null; other rows untouched."""
        out = df.copy()
        for col in ("lat", "lon", "geo_precision", "geo_note"):
            if col not in out.columns:
                out[col] = None
        out["geo_note"] = out["geo_note"].astype(object)
        todo = out["geo_precision"].isna()
        exact = ~todo & out["geo_note"].isna()
        out.loc[exact, "geo_note"] = "coordinates as published by the source"
        if not todo.any():
            return out

        def col(name: str) -> list:
            if name not in out.columns:
                return [None] * int(todo.sum())
            return out.loc[todo, name].tolist()

        locs = [
            self.locate(c, p, ci, a)
            for c, p, ci, a in zip(
                col("country_iso3"), col("province"), col("city"), col("address"), strict=True
            )
        ]
        out["lat"] = out["lat"].astype(float)
        out["lon"] = out["lon"].astype(float)
        out["geo_precision"] = out["geo_precision"].astype(object)
        out.loc[todo, "lat"] = [np.nan if loc.lat is None else loc.lat for loc in locs]
        out.loc[todo, "lon"] = [np.nan if loc.lon is None else loc.lon for loc in locs]
        out.loc[todo, "geo_precision"] = [loc.geo_precision for loc in locs]
        out.loc[todo, "geo_note"] = [loc.geo_note for loc in locs]
        return out

    # ------------------------------------------------------------------ levels
    def _locate(self, iso3, province, city, address) -> Location:
        if not iso3:
            return Location(None, None, None, "no country stated: the record cannot be placed")
        ccs = self.g.ccs(iso3)
        if not ccs:
            return self._country(iso3, f"{iso3} is not in the GeoNames gazetteer")
        unit = self._province(ccs, province) if province else None
        why = []
        if city:
            hint = province if unit is None else None
            hit = self._city(ccs, city, unit, hint=hint)
            for part in _parts(city) if hit is None else ():
                hit = self._city(ccs, part, unit, hint=hint)
                if hit:
                    hit = _Hit(hit.place, f"{part}\0{hit.how}")
                    break
            if hit is None:  # "Nongkham Sriracha", "Longtan Shiang Taoyuan": a word of it
                hit = self._address(ccs, city, unit, outside=False)[0]
            if hit:
                return self._at_place(hit, f"'{city}'")
            a2 = self._admin2_exact(ccs, city, unit.admin1 if unit else None)
            if a2 is not None:  # "Mewat": a district, placed at its main town like a city
                i = a2.seat
                note = (
                    f"city: {a2.how}, a district; point = its most populous GeoNames place "
                    f"{self.g.label(i)}"
                )
                return Location(float(self.g.lat[i]), float(self.g.lon[i]), "city", note)
            if unit is not None and self._is_city_province(unit):
                i = unit.seat
                note = (
                    f"city: '{city}' is not in the gazetteer, but it lies in the city-province "
                    f"'{province}', so the point is that city, GeoNames {self.g.label(i)}"
                )
                return Location(float(self.g.lat[i]), float(self.g.lon[i]), "city", note)
            if unit is None:  # "Copperbelt": the city field names a province
                unit = self._province(ccs, city)
            why.append(f"city '{city}' not found in the {'/'.join(ccs)} gazetteer")
        territory = None
        if address:
            region_like = unit is None and _is_region(address)
            region = self._province(ccs, address, loose=False) if region_like else None
            if region is not None:
                unit = region
            else:
                hit, found, territory = self._address(ccs, address, unit)
                if hit and region_like and hit.how.split("\0")[0] != fold(address):
                    # "Centre-Val de Loire" is a region, not the village Loiré
                    why.append(f"'{address}' reads as a region that matched no admin unit")
                    hit = None
                if hit:
                    return self._at_place(hit, "address")
                unit = unit or found
                why.append(f"no place name in the address '{address}' matched the gazetteer")
        if unit is not None:
            seat = unit.seat
            note = (
                f"province: {unit.how}; point = its most populous GeoNames place "
                f"{self.g.label(seat)}"
            )
            if why:
                note = f"{'; '.join(why)}; {note}"
            return Location(float(self.g.lat[seat]), float(self.g.lon[seat]), "province", note)
        if province:
            why.append(f"province '{province}' not matched to a GeoNames admin unit")
        if not (city or province or address):
            why.append("no city, province or address given")
        return self._country(territory or iso3, "; ".join(why))

    def _at_place(self, hit: _Hit, what: str) -> Location:
        i = hit.place
        if "\0" in hit.how:  # hits on part of the text carry the matched part
            token, how = hit.how.split("\0", 1)
            what = f"{what} token '{token}'" if what == "address" else f"{what} (part '{token}')"
        else:
            how = hit.how
        note = f"city: {what} matched GeoNames {self.g.label(i)} by {how}"
        return Location(float(self.g.lat[i]), float(self.g.lon[i]), "city", note)

    def _country(self, iso3: str, why: str) -> Location:
        point = self.country_points.get(iso3)
        if point:
            note = f"country label point (Natural Earth) because {why}"
            return Location(point[0], point[1], "country", note)
        ccs = self.g.ccs(iso3)
        if ccs and ccs[0] in self.g.largest:
            i = self.g.largest[ccs[0]]
            note = (
                f"country: no Natural Earth 1:110m shape for {iso3}, so its most populous "
                f"GeoNames place {self.g.label(i)}, because {why}"
            )
            return Location(float(self.g.lat[i]), float(self.g.lon[i]), "country", note)
        return Location(None, None, None, f"{iso3}: no country point known, and {why}")

    # ------------------------------------------------------------------ provinces
    @_memo
    def _province(self, ccs: tuple[str, ...], text: str, loose: bool = True) -> _Unit | None:
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
        hit = self._city(ccs, text, None, fuzzy=False) if loose else None
        if (
            hit
            and self.g.admin1[hit.place]
            and self.g.admin1_seat.get(self.g.admin1[hit.place]) == hit.place
        ):
            a1 = self.g.admin1[hit.place]
            how = f"'{text}' named {self.g.label(hit.place)}, the main place of its admin1"
            return _Unit(a1, hit.place, how, loose=True)
        for cc in ccs:
            index = self.g.admin2_index.get(cc, {})
            for k in dict.fromkeys((full, short)):
                seats = index.get(k) if k else None
                if seats:
                    seat = max(seats, key=lambda i: (self.g.pop[i], -i))
                    a1 = self.g.admin1[seat] or None
                    how = f"'{text}' matched the GeoNames admin2 unit '{self.g.admin2[seat]}'"
                    return _Unit(a1, seat, how, admin2=self.g.admin2[seat])
        return self._broader(ccs, text) if loose else None

    def _broader(self, ccs, text: str) -> _Unit | None:
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
        return _Unit(a1, self.g.admin1_seat[a1], how, loose=True)

    def _members(self, a1: str) -> np.ndarray:
        """Place ids of one admin1."""
        if self._admin1_array is None:
            self._admin1_array = np.asarray(self.g.admin1, dtype=object)
        return np.flatnonzero(self._admin1_array == a1)

    def _is_city_province(self, unit: _Unit) -> bool:
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
                    _km(self.g.lat[i], self.g.lon[i], self.g.lat[seat], self.g.lon[seat])
                    for i in ids
                )
                same = km[len(km) // 2] <= CITY_PROVINCE_KM
            got = self._city_provinces[a1] = same
        return got

    def _admin1(self, a1: str, text: str, how: str) -> _Unit:
        name = self.g.admin1_name.get(a1, a1)
        return _Unit(
            a1, self.g.admin1_seat[a1], f"'{text}' matched GeoNames admin1 '{name}' by {how}"
        )

    # ------------------------------------------------------------------ cities
    @_memo
    def _city(
        self, ccs: tuple[str, ...], text: str, unit: _Unit | None, strict: bool = False,
        fuzzy: bool = True, hint: str | None = None,
    ) -> _Hit | None:  # fmt: skip
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
                    return _Hit(self._best(inside), f"{how}, in the stated province")
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
                    return _Hit(self._best(near), how)
                continue
            if hint and len({self.g.admin1[i] for i in ids}) > 1:
                return self._by_hint(ids, hint, how)
            return _Hit(self._best(ids), how)
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

    def _plausible(self, i: int, unit: _Unit) -> bool:
        """A same-name place outside the stated province is kept only if it is a big city (the
        province is then likely misstated: Astana filed under Almaty) or lies near the province.
        """
        if self.g.pop[i] >= OUTSIDE_MIN_POP:
            return True
        return (
            _km(self.g.lat[i], self.g.lon[i], self.g.lat[unit.seat], self.g.lon[unit.seat])
            <= OUTSIDE_MAX_KM
        )

    def _by_hint(self, ids, hint: str, how: str) -> _Hit:
        """Among same-name places, the one whose admin1 name resembles the unmatched province."""
        key = gz.admin_key(hint)
        scored = [
            (fuzz.ratio(key, gz.admin_key(self.g.admin1_name.get(self.g.admin1[i], ""))), i)
            for i in ids
        ]
        score = max(s for s, _ in scored)
        if score >= HINT_MIN_SCORE:
            best = self._best([i for s, i in scored if s == score])
            return _Hit(
                best, f"{how}, in the admin1 most like the stated province (score {score:.0f})"
            )
        return _Hit(self._best(ids), f"{how}, the most populous of several (province not matched)")

    def _best(self, ids) -> int:
        return max(ids, key=lambda i: (self.g.pop[i], -i))

    def _a1name(self, a1: str) -> str:
        return f"'{self.g.admin1_name.get(a1, a1)}'"

    def _prefix(self, ccs, short: str, a1: str, min_len: int) -> _Hit | None:
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
        i = self._best(ids)
        return _Hit(i, f"'{short}' starting a place name in the stated province")

    def _fuzzy(self, ccs, short: str, a1: str | None) -> _Hit | None:
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
        return _Hit(self._best(ids), f"fuzzy match to '{key}' (score {score:.0f}) {where}")

    def _ids(self, cc: str, key: str) -> tuple[int, ...]:
        return self.g.city_index.get(cc, {}).get(key, ()) + self.g.short_index.get(cc, {}).get(
            key, ()
        )

    def _keys_by_admin1(self, cc: str) -> dict[str, list[str]]:
        """Name keys of a country's places per admin1 ("" holds all), for prefix/fuzzy search."""
        return self.g.keys_by_admin1.get(cc, {"": []})

    # ------------------------------------------------------------------ addresses
    def _address(
        self, ccs, text: str, unit: _Unit | None, outside: bool = True
    ) -> tuple[_Hit | None, _Unit | None, str | None]:
        """A city from a free-text address, scanning place-name n-grams from right to left.

        The country name at the end is skipped, admin1 names set the province, and the scan
        stops at the first street word (road, no., building ...): left of it is the street.
        Returns (city hit, province unit, ISO3 of a territory the address ends with, e.g. PRI).
        ``outside`` lets a large city outside the stated province match (misstated provinces).
        """
        segments = [w for w in (fold(s).split() for s in _SEGMENTS.split(text)) if w]
        territory = None
        regions: list[tuple[str, _Unit | None]] = []  # admin1 names, then the country name
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
        found: _Unit | None = None
        seen_place = False
        for words in reversed(segments):
            e = len(words)
            while e > 0:
                w = words[e - 1]
                if _DIGITS.search(w):
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

    def _address_ngram(self, ccs, words: list[str], e: int, unit: _Unit | None, outside: bool):
        """(n, kind, payload) for the longest place-like n-gram ending at word e, else None.

        An n-gram is an admin1 name, else a place in the current province (or a city of
        OUTSIDE_MIN_POP people anywhere, for "Xi'an Shanxi"), else an admin2 name.
        """
        for n in (4, 3, 2, 1):
            if n > e:
                continue
            gram = words[e - n : e]
            if any(_DIGITS.search(w) or w in STREET_WORDS for w in gram):
                continue
            if n == 1 and (gram[0] in NOISE_WORDS or len(gram[0]) < 3):
                continue
            if n > 1 and gram[0] in UNIT_WORDS:  # "City Taipei" spans "Tucheng City, Taipei"
                continue
            text = " ".join(gram)
            prov = None if gram[-1] in CITY_WORDS else self._admin1_exact(ccs, text)
            if prov:
                return n, "region", prov
            hit = self._city(ccs, text, unit, strict=unit is not None, fuzzy=False)
            if hit is None and unit is not None and outside:
                hit = self._big_city(ccs, text)
            a2 = self._admin2_exact(ccs, text, unit.admin1 if unit else None)
            if a2 and (hit is None or self.g.pop[hit.place] < self.g.pop[a2.seat]):
                return n, "region", a2  # "Cavite": the province, not the smaller Cavite City
            if hit:
                return n, "city", _Hit(hit.place, f"{text}\0{hit.how}")
        return None

    def _big_city(self, ccs, text: str) -> _Hit | None:
        """A city of OUTSIDE_MIN_POP or more whose own name (not an alternate) is the text, for
        addresses with a misstated province ("Xi'an Shanxi", "Zhengzhou Hebei")."""
        hit = self._city(ccs, text, None, fuzzy=False)
        if hit is None or self.g.pop[hit.place] < OUTSIDE_MIN_POP:
            return None
        if gz.name_keys(text)[0] != gz.name_keys(self.g.name[hit.place])[0]:
            return None
        return _Hit(hit.place, f"{hit.how} (a large city outside the stated province)")

    def _country_tail(self, ccs, words: list[str]) -> tuple[int, str | None]:
        """(how many last words name the stated country, ISO3 if they name one of its
        territories): "China" (1, None), "Hong Kong" (2, "HKG"), "USA" (1, None)."""
        for n in (1, 2, 3):
            if n > len(words) or not all(w in _country_words() for w in words[-n:]):
                continue
            iso3 = to_iso3(" ".join(words[-n:]))
            iso2 = self.g.iso2_of.get(iso3) if iso3 else None
            if iso2 in ccs:
                return n, (iso3 if iso2 != ccs[0] else None)
        return 0, None

    @_memo
    def _admin2_exact(self, ccs, text: str, a1: str | None = None) -> _Unit | None:
        """An admin2 unit named exactly ("Cavite" → Province of Cavite), in admin1 ``a1`` if
        given, as a region."""
        for k in dict.fromkeys(gz.name_keys(text)):
            for cc in ccs:
                seats = self.g.admin2_index.get(cc, {}).get(k, ())
                seats = [i for i in seats if a1 is None or self.g.admin1[i] == a1]
                if seats:
                    seat = self._best(seats)
                    how = f"'{text}' matched the GeoNames admin2 unit '{self.g.admin2[seat]}'"
                    return _Unit(self.g.admin1[seat] or None, seat, how, admin2=self.g.admin2[seat])
        return None

    @_memo
    def _admin1_exact(self, ccs, text: str) -> _Unit | None:
        full, short = gz.name_keys(text)
        for cc in ccs:
            index = self.g.admin1_index.get(cc, {})
            for k in (full, short, gz.admin_key(text)):
                a1 = index.get(k)
                if a1 and a1 in self.g.admin1_seat:
                    return self._admin1(a1, text, "name")
        return None

    def _deferred(self, ccs, deferred) -> _Hit | None:
        """A city-province ("Shanghai", "Tokyo") or city-state ("Singapore") named as a region:
        the city must be the region's main place, or for a country name carry that name."""
        for text, prov in deferred:
            hit = self._city(ccs, text, prov, strict=prov is not None, fuzzy=False)
            if hit is None:
                continue
            if prov is not None and hit.place != prov.seat and not prov.admin2:
                continue
            if prov is not None and prov.admin2 and self.g.admin2[hit.place] != prov.admin2:
                continue
            if prov is None and gz.name_keys(self.g.name[hit.place])[0] != gz.name_keys(text)[0]:
                continue  # "Puerto Rico" is an alternate name of San Juan: not a city-state
            return _Hit(hit.place, f"{text}\0{hit.how} (a city that is also a region)")
        return None


@functools.lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Every word of every country name and code country_converter and GeoNames know."""
    from riskatlas.countries import _converter

    data = _converter().data
    words: set[str] = set()
    for col in ("name_short", "name_official", "ISO2", "ISO3"):
        for v in data[col].dropna().astype(str):
            words.update(gz.fold(v).split())
    for v in gz.load().iso2_of:
        words.add(v.lower())
    return frozenset(words)


def fold(text: str) -> str:
    """Address text folded like gazetteer names (ASCII, lower case, punctuation as spaces)."""
    return gz.fold(text)


def _is_region(address: str) -> bool:
    """True for region-only addresses (Apple 2020-2022: "Jiangsu", "Laguna", "Tamil Nadu")."""
    words = fold(address).split()
    return (
        not _DIGITS.search(address)
        and "," not in address
        and len(words) <= 4
        and not STREET_WORDS.intersection(words)
    )


def _km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _clean(v) -> str | None:
    """One-line text without bracketed asides ("Tarragona [Tarragona]", "län [SE-24]")."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return None
    s = _BRACKETS.sub(" ", str(v))
    s = " ".join(s.split()).strip(" ,;")
    return s or None


def _parts(text: str) -> list[str]:
    """A city field naming several places ("Las Ventanas, Puchuncavi", "Tenke and Fungurume")."""
    parts = [p.strip() for p in _PART_SPLIT.split(text)]
    return [p for p in parts if p and p != text]


@functools.lru_cache(maxsize=4)
def geocoder(raw_dir: str | None = None) -> Geocoder:
    """One shared Geocoder per raw directory, so the app, the CLI and contributions load it once."""
    return Geocoder(raw_dir)
