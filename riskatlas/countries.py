"""Country names from every source to ISO3, through country_converter, cached per distinct name."""

from __future__ import annotations

import functools
import logging
import re

_NOT_FOUND = "__not_found__"

# Abbreviations and placeholders country_converter's regexes do not know. Everything else goes
# through country_converter: this is a pre-clean, not a country table.
_PRE_CLEAN = {
    "drc": "Democratic Republic of the Congo",
    "d.r.c.": "Democratic Republic of the Congo",
    "uae": "United Arab Emirates",
    "u.s.a.": "United States",
    "uk": "United Kingdom",
    "netherland": "Netherlands",
    "holland": "Netherlands",
}
_PLACEHOLDERS = {"", "-", "--", "n/a", "na", "unknown", "none", "null", "nan", "various", "***"}

# Codes that are not ISO3 but are used by publishers for the same territory.
_CODE_FIXES = {"ADO": "AND", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "KSV": "XKX", "WBG": "PSE"}
# No country name is this long; country_converter's regex matching slows quadratically with the
# length (a 4,000-character cell takes seconds), so a runaway cell is "not a country" at once.
MAX_NAME_LENGTH = 200


@functools.lru_cache(maxsize=1)
def _converter():
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    import country_converter as coco

    return coco.CountryConverter()


@functools.lru_cache(maxsize=4096)
def to_iso3(name: object) -> str | None:
    """ISO3 code for a country name or code as any source prints it; None if it is not a country."""
    if name is None:
        return None
    s = " ".join(str(name).split())
    key = s.lower()
    if key in _PLACEHOLDERS or len(s) > MAX_NAME_LENGTH:
        return None
    if re.fullmatch(r"[A-Z]{3}", s) and s in _CODE_FIXES:
        return _CODE_FIXES[s]
    s = _PRE_CLEAN.get(key, s)
    out = _converter().convert(s, to="ISO3", not_found=_NOT_FOUND)
    if isinstance(out, list):  # ambiguous names come back as several codes
        return None
    if out == _NOT_FOUND or not re.fullmatch(r"[A-Z]{3}", str(out)):
        return None
    return str(out)


def iso3_series(values) -> list[str | None]:
    """Vectorised :func:`to_iso3` over any iterable (each distinct name converted once)."""
    return [to_iso3(v) for v in values]
