"""Parsing one contributed field: tier, event date, evidence address, point or minerals."""

from __future__ import annotations

import datetime as dt
import math
import re
from urllib.parse import urlsplit

from riskatlas.minerals import VOCABULARY, normalise
from riskatlas.sources.base import TIERS

# Each parser gets a field's cleaned text and err(field, message, value), which records a problem
# for the row, and returns the parsed value (None, or empty, when the text is empty or wrong).

TIER_ALIASES = {
    "artisanal": "artisanal_mine",
    "asm": "artisanal_mine",
    "artisanal_mining": "artisanal_mine",
    "smelter": "smelter_refiner",
    "refiner": "smelter_refiner",
    "refinery": "smelter_refiner",
    "smelter_or_refiner": "smelter_refiner",
    "e_waste": "ewaste",
    "ewaste_site": "ewaste",
    "mine_site": "mine",
    "industrial_mine": "mine",
    # the tiers as the app writes them (riskatlas.layers.TIER_LABELS / TIER_SINGULAR)
    "mines": "mine",
    "artisanal_mines": "artisanal_mine",
    "smelters_refiners": "smelter_refiner",
    "smelter_refiners": "smelter_refiner",
    "factories": "factory",
    "e_waste_sites": "ewaste",
    "e_waste_site": "ewaste",
}
EARLIEST_DATE = dt.date(1900, 1, 1)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_tier(s: str, err) -> str | None:
    """A tier key; common spellings ("ASM", "refinery", "e-waste") are folded to it."""
    if not s:
        return None
    key = re.sub(r"[\s\-/]+", "_", s.casefold()).strip("_")
    key = TIER_ALIASES.get(key, key)
    if key not in TIERS:
        err("tier", "must be one of " + ", ".join(TIERS), s)
        return None
    return key


def parse_date(s: str, err) -> dt.date | None:
    """A real ISO date, neither in the future (in any time zone) nor before EARLIEST_DATE."""
    if not s:
        return None
    if not _DATE.fullmatch(s):
        err("event_date", "must be an ISO date YYYY-MM-DD, e.g. 2023-05-17", s)
        return None
    try:
        d = dt.date.fromisoformat(s)
    except ValueError:
        err("event_date", "not a real calendar date", s)
        return None
    today = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)  # any time zone's today
    if d > today:
        err("event_date", "is in the future", s)
        return None
    if d < EARLIEST_DATE:
        err("event_date", f"is before {EARLIEST_DATE.isoformat()}", s)
        return None
    return d


def parse_url(s: str, err) -> str | None:
    """A public http(s) address a reviewer can open: no spaces, credentials or bare host."""
    if not s:
        return None
    if any(c.isspace() for c in s):
        err("evidence_url", "must not contain spaces", s)
        return None
    try:
        parts = urlsplit(s)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        err("evidence_url", "not a valid web address", s)
        return None
    if parts.scheme.lower() not in ("http", "https"):
        err("evidence_url", "must be a web address starting with http:// or https://", s)
        return None
    if parts.username or parts.password:
        err("evidence_url", "must not contain a user name or password", s)
        return None
    if "." not in host.strip(".") and not host.startswith("["):
        err("evidence_url", "needs a public host name (e.g. https://example.org/report)", s)
        return None
    return s


def parse_point(lat_s: str, lon_s: str, err) -> tuple[float | None, float | None]:
    """(lat, lon) in decimal degrees, both or neither; (0, 0) is a placeholder, not a place."""
    if not lat_s and not lon_s:
        return None, None
    if not lat_s or not lon_s:
        missing = "lat" if not lat_s else "lon"
        err(missing, "give both lat and lon, or neither (then the place is looked up)")
        return None, None
    out = []
    for f, s, bound in (("lat", lat_s, 90), ("lon", lon_s, 180)):
        try:
            v = float(s)
        except ValueError:
            hint = " (use a dot for decimals)" if "," in s else ""
            err(f, "not a number" + hint, s)
            out.append(None)
            continue
        if not math.isfinite(v):
            err(f, "not a finite number", s)
            out.append(None)
        elif not -bound <= v <= bound:
            err(f, f"must be between -{bound} and {bound} (decimal degrees)", s)
            out.append(None)
        else:
            out.append(v)
    lat, lon = out
    if lat == 0 and lon == 0:
        err("lat", "(0, 0) is a placeholder, not a place", f"{lat_s}, {lon_s}")
        return None, None
    return lat, lon


def parse_minerals(s: str, err) -> list[str]:
    """The atlas's mineral names for the text, once each; an unknown name is reported."""
    out: list[str] = []
    for part in re.split(r"[,;/|]", s):
        part = part.strip()
        if not part:
            continue
        got = normalise(part)
        if not got:
            err(
                "minerals",
                "unknown mineral; use names like " + ", ".join(VOCABULARY[:8]) + " ...",
                part,
            )
        for m in got:
            if m not in out:
                out.append(m)
    return out
