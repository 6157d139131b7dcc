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
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from riskatlas import paths
from riskatlas.geo import countries, gazetteer_cache, towns
from riskatlas.geo.addresses import Addresses
from riskatlas.geo.cities import Cities, Hit
from riskatlas.geo.text import city_parts, clean_field, fold, is_region
from riskatlas.geo.units import Units


class Location(NamedTuple):
    """A point with its precision and how it was found (lat/lon None when nothing is known)."""

    lat: float | None
    lon: float | None
    geo_precision: str | None
    geo_note: str


class Geocoder:
    """Forward geocoder over the GeoNames gazetteer; one instance geocodes a whole build.

    It holds one matcher per kind of name (``cities``, ``units`` for provinces, ``addresses``)
    and asks each through its public methods; the country points come from
    ``riskatlas.geo.countries``.
    """

    def __init__(self, raw_dir: Path | str | None = None):
        self.raw_dir = paths.raw_dir(raw_dir)
        self.g = gazetteer_cache.load()
        self.cities = Cities(self.g)
        self.units = Units(self.g, self.cities)
        self.addresses = Addresses(self.g, self.cities, self.units)
        self.country_points = countries.label_points(self.raw_dir)
        self._memo: dict[tuple, Location] = {}
        self._admin1_by_point: dict[tuple[float, float], str] | None = None

    # ------------------------------------------------------------------ public API
    def locate(
        self,
        country_iso3: str | None,
        province: str | None = None,
        city: str | None = None,
        address: str | None = None,
    ) -> Location:
        """The best point for a record, at the finest precision the names support."""
        iso3 = clean_field(country_iso3)
        key = (
            iso3.upper() if iso3 else None,
            clean_field(province),
            clean_field(city),
            clean_field(address),
        )
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
        out["geo_admin1"] = None
        out.loc[todo, "geo_admin1"] = [
            self.admin1_at(loc.lat, loc.lon) if loc.geo_precision in ("city", "province") else None
            for loc in locs
        ]
        return out

    def admin1_at(self, lat: float | None, lon: float | None) -> str | None:
        """The GeoNames admin1 name of the place a city or province point was put at.

        Why: such a point is always a gazetteer place's own coordinates, so its province is
        known (the Map's province filter for factories whose source gives only an address).
        Country points and source coordinates are never looked up: no province is invented.
        """
        if lat is None or lon is None:
            return None
        if self._admin1_by_point is None:
            g = self.g
            self._admin1_by_point = {}
            for i, a1 in enumerate(g.admin1):
                name = g.admin1_name.get(a1) if a1 else None
                if name:
                    self._admin1_by_point.setdefault((float(g.lat[i]), float(g.lon[i])), name)
        return self._admin1_by_point.get((float(lat), float(lon)))

    # ------------------------------------------------------------------ levels
    def _locate(self, iso3, province, city, address) -> Location:
        """City, else province, else country: the note keeps why each finer level failed."""
        if not iso3:
            return Location(None, None, None, "no country stated: the record cannot be placed")
        ccs = self.g.ccs(iso3)
        if not ccs:
            return self.country_point(iso3, f"{iso3} is not in the GeoNames gazetteer")
        unit = self.units.province(ccs, province) if province else None
        why = []
        if city:
            hint = province if unit is None else None
            hit = self.cities.match(ccs, city, unit, hint=hint)
            for part in city_parts(city) if hit is None else ():
                hit = self.cities.match(ccs, part, unit, hint=hint)
                if hit:
                    hit = Hit(hit.place, f"{part}\0{hit.how}")
                    break
            if hit is None:  # "Nongkham Sriracha", "Longtan Shiang Taoyuan": a word of it
                hit = self.addresses.read(ccs, city, unit, outside=False)[0]
            if hit:
                return self._at_place(hit, f"'{city}'")
            a2 = self.units.admin2_exact(ccs, city, unit.admin1 if unit else None)
            if a2 is None:  # "Kabupaten Belitung", "Morowali Regency": today's district names
                a2 = self.units.subdivision(ccs, city, 2, unit.admin1 if unit else None)
            if a2 is not None:  # "Mewat": a district, placed at its main town like a city
                i = a2.seat
                note = (
                    f"city: {a2.how}, a district; point = its most populous GeoNames place "
                    f"{self.g.label(i)}"
                )
                return Location(float(self.g.lat[i]), float(self.g.lon[i]), "city", note)
            if unit is not None and self.units.is_city_province(unit):
                i = unit.seat
                note = (
                    f"city: '{city}' is not in the gazetteer, but it lies in the city-province "
                    f"'{province}', so the point is that city, GeoNames {self.g.label(i)}"
                )
                return Location(float(self.g.lat[i]), float(self.g.lon[i]), "city", note)
            town = self._town(ccs, city, province, unit)
            if town is not None:
                return town
            if unit is None:  # "Copperbelt": the city field names a province
                unit = self.units.province(ccs, city)
            why.append(f"city '{city}' not found in the {'/'.join(ccs)} gazetteer")
        territory = None
        if address:
            region_like = unit is None and is_region(address)
            region = self.units.province(ccs, address, loose=False) if region_like else None
            if region is not None:
                unit = region
            else:
                hit, found, territory = self.addresses.read(ccs, address, unit)
                if hit and region_like and hit.how.split("\0")[0] != fold(address):
                    # "Centre-Val de Loire" is a region, not the village Loiré
                    why.append(f"'{address}' reads as a region that matched no admin unit")
                    hit = None
                if hit:
                    return self._at_place(hit, "address")
                unit = unit or found
                why.append(f"no place name in the address '{address}' matched the gazetteer")
        if unit is None:
            unit = self._unit_of_today(ccs, province, city)
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
        return self.country_point(territory or iso3, "; ".join(why))

    def _town(self, ccs, city: str, province: str | None, unit) -> Location | None:
        """A township or small town GeoNames lacks ("Fangliao Township", "Siheung-si"), from
        riskatlas.geo.towns; its point is that package's coordinate, and the note says so."""
        near = None
        if unit is not None:
            near = (float(self.g.lat[unit.seat]), float(self.g.lon[unit.seat]))
        t = towns.find(ccs, city, province, near)
        if t is None:
            return None
        state = f", {t.state}" if t.state else ""
        note = (
            f"city: '{city}' matched '{t.name}'{state}, a place of the countrystatecity-countries "
            f"package (id {t.ref}, {towns.LICENCE}) that the GeoNames gazetteer lacks"
        )
        return Location(t.lat, t.lon, "city", note)

    def _unit_of_today(self, ccs, province: str | None, city: str | None):
        """A province (else district) of today named by the province field, else by the city
        field ("Lualaba", "Tarragona", "Vesturland"), when no older-named unit matched."""
        for text in (province, city):
            if text:
                unit = self.units.subdivision(ccs, text, 1) or self.units.subdivision(ccs, text, 2)
                if unit is not None:
                    return unit
        return None

    def _at_place(self, hit: Hit, what: str) -> Location:
        i = hit.place
        if "\0" in hit.how:  # hits on part of the text carry the matched part
            token, how = hit.how.split("\0", 1)
            what = f"{what} token '{token}'" if what == "address" else f"{what} (part '{token}')"
        else:
            how = hit.how
        note = f"city: {what} matched GeoNames {self.g.label(i)} by {how}"
        return Location(float(self.g.lat[i]), float(self.g.lon[i]), "city", note)

    def country_point(self, iso3: str, why: str) -> Location:
        """The country-level Location of ``iso3``; ``why`` says why no finer level was found."""
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


@functools.lru_cache(maxsize=4)
def geocoder(raw_dir: str | None = None) -> Geocoder:
    """One shared Geocoder per raw directory, so the app, the CLI and contributions load it once."""
    return Geocoder(raw_dir)
