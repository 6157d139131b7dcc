"""The words and text rules the geocoder reads names and addresses by."""

from __future__ import annotations

import functools
import re

import pandas as pd

from riskatlas.geo import gazetteer as gz
from riskatlas.geo import gazetteer_cache

# Articles a name may start with: it is also tried without ("El Alto" as "Alto").
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
DIGITS = re.compile(r"\d")
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_PART_SPLIT = re.compile(r",|;| and | & | - ")


@functools.lru_cache(maxsize=1)
def country_words() -> frozenset[str]:
    """Every word of every country name and code country_converter and GeoNames know."""
    from riskatlas.countries import _converter

    data = _converter().data
    words: set[str] = set()
    for col in ("name_short", "name_official", "ISO2", "ISO3"):
        for v in data[col].dropna().astype(str):
            words.update(gz.fold(v).split())
    for v in gazetteer_cache.load().iso2_of:
        words.add(v.lower())
    return frozenset(words)


def fold(text: str) -> str:
    """Address text folded like gazetteer names (ASCII, lower case, punctuation as spaces)."""
    return gz.fold(text)


def is_region(address: str) -> bool:
    """True for region-only addresses (Apple 2020-2022: "Jiangsu", "Laguna", "Tamil Nadu")."""
    words = fold(address).split()
    return (
        not DIGITS.search(address)
        and "," not in address
        and len(words) <= 4
        and not STREET_WORDS.intersection(words)
    )


def clean_field(v) -> str | None:
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


def city_parts(text: str) -> list[str]:
    """A city field naming several places ("Las Ventanas, Puchuncavi", "Tenke and Fungurume")."""
    parts = [p.strip() for p in _PART_SPLIT.split(text)]
    return [p for p in parts if p and p != text]
