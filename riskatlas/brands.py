"""Company names as disclosures print them: a canonical brand name, its stable brand_id, name keys."""

from __future__ import annotations

import functools
import re

import pandas as pd
from unidecode import unidecode

# Display names of the brands whose own disclosures the atlas loads.
KNOWN_BRANDS = (
    "Apple",
    "Samsung Electronics",
    "Rockwell Automation",
    "Skyworks Solutions",
    "Garrett Motion",
    "Honda Motor",
)

# Legal-form words: dropped from the end of a brand's display name and from anywhere in a
# grouping key ("Co., Ltd." and "Company Limited" are the same company).
LEGAL_FORMS = frozenset(
    {
        "ab",
        "ag",
        "as",
        "asa",
        "bhd",
        "bv",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "inc",
        "incorporated",
        "kgaa",
        "kk",
        "limited",
        "llc",
        "lp",
        "ltd",
        "nv",
        "oy",
        "plc",
        "pte",
        "pty",
        "sa",
        "sas",
        "se",
        "sdn",
        "spa",
        "srl",
    }
)
_TRAILING_LEGAL = re.compile(
    r"[\s,]+(?:" + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)) + r")\.?\s*$",
    re.IGNORECASE,
)


def slug(text: object) -> str:
    """Lower-case ASCII words joined by '-': a stable id fragment for any printed name."""
    if text is None:
        return ""
    s = unidecode(str(text)).lower().replace("&", " and ")
    s = re.sub(r"['’`]", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


@functools.lru_cache(maxsize=8192)
def company_key(name: object) -> str:
    """A company name reduced for grouping: case, accents, punctuation and legal forms removed.

    Why: Apple prints one supplier as "Alps Electric Co., Ltd.", "Alps Electric Co Ltd" and
    "Alps Electric Company Limited" in different years; all give "alps electric".
    """
    if name is None:
        return ""
    s = unidecode(str(name)).lower().replace("&", " and ")
    s = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", ""), s)  # N.V. -> nv
    s = re.sub(r"[-'’`]", "", s)  # "Hi-P" and "HI-P" -> "hip"
    words = re.sub(r"[^a-z0-9]+", " ", s).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


def display_name(name: object) -> str:
    """The brand's canonical display name: "Honda Motor Co., Ltd." -> "Honda Motor"."""
    s = " ".join(str(name or "").split())
    prev = None
    while prev != s:
        prev = s
        s = _TRAILING_LEGAL.sub("", s).rstrip(" ,")
    key = slug(s)
    for known in KNOWN_BRANDS:
        if slug(known) == key:
            return known
    return s


def brand_id(name: object) -> str:
    """Stable brand id: the slug of the display name ("Samsung Electronics" -> "samsung-electronics")."""
    return slug(display_name(name))


def brands_frame(names) -> pd.DataFrame:
    """The ``brands`` table (brand_id, name) for the brand names links carry, one row per id."""
    rows = {brand_id(n): display_name(n) for n in names if n and str(n).strip()}
    return pd.DataFrame(sorted(rows.items()), columns=["brand_id", "name"])
