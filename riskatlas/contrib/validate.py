"""Row-level validation of contributed records (upload rows and form input) into clean values."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskatlas.contrib.field_values import (
    parse_date,
    parse_minerals,
    parse_point,
    parse_tier,
    parse_url,
)
from riskatlas.countries import to_iso3
from riskatlas.sources.base import TIERS

# field -> (required, maximum length). Column names an upload must use (aliases below).
FIELDS: dict[str, tuple[bool, int]] = {
    "site_name": (True, 200),
    "tier": (True, 40),
    "description": (True, 5000),
    "event_date": (True, 40),
    "evidence_url": (True, 2000),
    "contributor": (True, 200),
    "country": (True, 100),
    "city": (False, 200),
    "province": (False, 200),
    "lat": (False, 40),
    "lon": (False, 40),
    "site_id": (False, 100),
    "minerals": (False, 500),
}
REQUIRED = tuple(k for k, (req, _) in FIELDS.items() if req)
FIELD_HELP = {
    "site_name": "name of the site as the evidence gives it",
    "tier": "one of " + ", ".join(TIERS),
    "description": "what happened, as documented",
    "event_date": "when it happened or was documented: YYYY-MM-DD",
    "evidence_url": "public address of the report, article or filing (http:// or https://)",
    "contributor": "who contributes it (organisation or name)",
    "country": "country name or ISO code",
    "city": "town or city (used to place the site when lat/lon are empty)",
    "province": "province, state or region (optional)",
    "lat": "latitude in decimal degrees (optional; with lon)",
    "lon": "longitude in decimal degrees (optional; with lat)",
    "site_id": "id of an existing atlas site this is about (optional)",
    "minerals": "comma-separated, e.g. cobalt, copper (optional)",
}

# What the form calls each field, and so what a problem names: the words a person uses.
FIELD_LABELS = {
    "site_name": "Site name",
    "tier": "Tier",
    "description": "What happened",
    "event_date": "Date of the event",
    "evidence_url": "Evidence link",
    "contributor": "Contributed by",
    "country": "Country",
    "city": "Town or city",
    "province": "Province or region",
    "lat": "Latitude",
    "lon": "Longitude",
    "site_id": "Atlas site id",
    "minerals": "Minerals",
    "geometry": "Point (geometry)",
    "row": "The whole row",
}

# Other spellings of the column names that spreadsheets and GIS tools commonly produce.
COLUMN_ALIASES = {
    "name": "site_name",
    "site": "site_name",
    "sitename": "site_name",
    "what_happened": "description",
    "incident": "description",
    "date": "event_date",
    "incident_date": "event_date",
    "evidence": "evidence_url",
    "evidence_address": "evidence_url",
    "url": "evidence_url",
    "source_url": "evidence_url",
    "link": "evidence_url",
    "contributed_by": "contributor",
    "by": "contributor",
    "organisation": "contributor",
    "organization": "contributor",
    "town": "city",
    "place": "city",
    "region": "province",
    "state": "province",
    "latitude": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "mineral": "minerals",
    "country_iso3": "country",
}
# Keys GIS exporters add to GeoJSON properties on their own; they carry no contributed value.
IGNORED_KEYS = frozenset({"fid", "ogc_fid", "id"})

_SITE_ID = re.compile(r"[A-Za-z0-9:_.\-]{1,100}")
# Control characters and bidirectional overrides that could rewrite what a reviewer sees.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


@dataclass(frozen=True)
class RowError:
    """One problem: which row (or feature) and field, what is wrong, and the value seen."""

    row: int  # spreadsheet row (the header is row 1), feature number, or 0 for the whole file
    field: str
    message: str
    value: str = ""
    unit: str = "row"  # "row" (CSV, form) or "feature" (GeoJSON)

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"{self.unit} {self.row}"
        got = f" (got {self.value!r})" if self.value else ""
        return f"{where}, {self.field}: {self.message}{got}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "unit": self.unit,
            "field": self.field,
            "problem": self.message,
            "value": self.value,
        }


@dataclass
class Contribution:
    """A validated contributed record; location fields are filled later by ``locate``."""

    row: int
    site_name: str
    tier: str
    description: str
    event_date: dt.date
    evidence_url: str
    contributor: str
    country_raw: str
    country_iso3: str
    city: str | None = None
    province: str | None = None
    lat: float | None = None
    lon: float | None = None
    site_id: str | None = None
    minerals: list[str] = field(default_factory=list)
    unit: str = "row"
    geo_precision: str | None = None
    location_source: str | None = None  # contributor | atlas_site | gazetteer
    geo_note: str | None = None
    outside_country: bool | None = None

    def fingerprint(self) -> str:
        """Why: the same record uploaded twice (a re-sent file) must not become two contributions."""
        parts = [
            self.site_name.casefold(),
            self.tier,
            self.event_date.isoformat(),
            self.evidence_url,
            " ".join(self.description.split()).casefold(),
            self.contributor.casefold(),
            self.country_iso3,
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def clean_text(value: Any, multiline: bool = False) -> str:
    """Text as stored: NFC, no control or bidi-override characters, whitespace tidied.

    Formula-like text (``=``, ``+``, ``-``, ``@`` first) is kept as it is: it is only ever
    text here; exports neutralise it (:mod:`riskatlas.contrib.export`).
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    s = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    s = _INVISIBLE.sub("", s)
    if multiline:
        lines = [" ".join(line.split()) for line in s.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return " ".join(s.split())


def column_key(name: Any) -> str:
    """A column name as the validator knows it (case, spaces, hyphens and aliases folded)."""
    key = clean_text(name).strip("\"'").casefold()
    key = re.sub(r"[\s\-/.]+", "_", key).strip("_")
    return COLUMN_ALIASES.get(key, key)


def map_columns(
    columns: Iterable[Any],
    row: int = 1,
    unit: str = "row",
    contributor_default: bool = False,
    ignore: frozenset[str] = frozenset(),
) -> tuple[dict[Any, str], set[str], list[RowError]]:
    """Map raw column names to fields; report unknown, repeated and missing required columns.

    Returns (raw name -> field, missing required fields, errors). The errors carry ``row``
    (the header row of a CSV, or the feature whose properties these are).
    """
    mapping: dict[Any, str] = {}
    errors: list[RowError] = []
    seen: dict[str, Any] = {}
    for col in columns:
        key = column_key(col)
        if not key or key in ignore:
            continue
        if key not in FIELDS:
            errors.append(
                RowError(
                    row, str(col), "unknown column; expected one of " + ", ".join(FIELDS), unit=unit
                )
            )
            continue
        if key in seen:
            errors.append(
                RowError(row, key, f"given twice (as {seen[key]!r} and {col!r})", unit=unit)
            )
            continue
        seen[key] = col
        mapping[col] = key
    missing = {f for f in REQUIRED if f not in seen}
    if contributor_default:
        missing.discard("contributor")
    if unit == "row":  # a CSV header: say it once here rather than on every row
        for f in sorted(missing, key=list(FIELDS).index):
            errors.append(RowError(row, f, "required column missing", unit=unit))
    return mapping, missing, errors


def validate_row(
    row: int,
    values: Mapping[str, Any],
    unit: str = "row",
    contributor_default: str | None = None,
    skip_required: Iterable[str] = (),
) -> tuple[Contribution | None, list[RowError]]:
    """Validate one record keyed by field name; returns the clean record or its problems."""
    errors: list[RowError] = []
    skip = set(skip_required)

    def err(f: str, message: str, value: Any = "") -> None:
        shown = clean_text(value)
        errors.append(RowError(row, f, message, shown[:80], unit))

    text: dict[str, str] = {}
    for f, (required, max_len) in FIELDS.items():
        raw = values.get(f)
        if f in ("lat", "lon") and isinstance(raw, int | float) and not isinstance(raw, bool):
            text[f] = repr(float(raw))
            continue
        if isinstance(raw, dict | list | tuple):
            err(f, "must be a plain value, not a list or object")
            text[f] = ""
            continue
        s = clean_text(raw, multiline=(f == "description"))
        if f == "contributor" and not s and contributor_default:
            s = clean_text(contributor_default)
        if len(s) > max_len:
            err(f, f"longer than {max_len} characters ({len(s)})", s)
            s = ""
        elif required and not s and f not in skip:
            err(f, "required, but missing or empty")
        text[f] = s

    tier = parse_tier(text["tier"], err)
    event_date = parse_date(text["event_date"], err)
    url = parse_url(text["evidence_url"], err)
    iso3 = None
    if text["country"]:
        iso3 = to_iso3(text["country"])
        if iso3 is None:
            err("country", "not a country name or ISO code we recognise", text["country"])
    lat, lon = parse_point(text["lat"], text["lon"], err)
    minerals = parse_minerals(text["minerals"], err)
    site_id = text["site_id"] or None
    if site_id and not _SITE_ID.fullmatch(site_id):
        err("site_id", "not an atlas site id (letters, digits and : _ . - only)", site_id)

    if errors or None in (tier, event_date, url, iso3):
        return None, errors
    return Contribution(
        row=row,
        site_name=text["site_name"],
        tier=tier,
        description=text["description"],
        event_date=event_date,
        evidence_url=url,
        contributor=text["contributor"],
        country_raw=text["country"],
        country_iso3=iso3,
        city=text["city"] or None,
        province=text["province"] or None,
        lat=lat,
        lon=lon,
        site_id=site_id,
        minerals=minerals,
        unit=unit,
    ), []


def validate_form(values: Mapping[str, Any]) -> tuple[Contribution | None, list[RowError]]:
    """The app's form is one row (row 1) with the same rules as an upload."""
    mapped = {column_key(k): v for k, v in values.items()}
    unknown = [k for k in mapped if k not in FIELDS]
    if unknown:
        return None, [RowError(1, k, "unknown field") for k in unknown]
    return validate_row(1, mapped)


def is_site_id(text: str) -> bool:
    """Whether text has the shape of an atlas site id (letters, digits and : _ . -)."""
    return bool(_SITE_ID.fullmatch(text))


def field_label(name: str) -> str:
    """The words the form uses for a field ("Date of the event" for event_date); a column the
    validator does not know is named as it was written."""
    return FIELD_LABELS.get(name, name)


def tier_names() -> str:
    """The tiers as the rest of the app writes them (riskatlas.layers.TIER_LABELS)."""
    from riskatlas.layers import TIER_LABELS

    return ", ".join(TIER_LABELS.get(t, t) for t in TIERS)


def human_message(error: RowError) -> str:
    """A problem in a person's words: what is wrong with what they typed and what to do.

    Why: the validator's messages are shared with the command line and the upload table, and
    several name internal keys ("must be one of mine, artisanal_mine ..."); the form says the
    same thing in the words of its labels.
    """
    m = error.message
    if m == "required, but missing or empty":
        return "Required: please fill it in."
    if m == "required column missing":
        return f"Required column missing: add a column named {error.field}."
    if m == "is in the future":
        return (
            "Is in the future: give the date the event happened or was documented "
            "(today at the latest)."
        )
    if m.startswith("must be an ISO date"):
        return "Write the date as year-month-day, e.g. 2023-05-17."
    if m == "not a real calendar date":
        return "Is not a real calendar date (check the month and the day)."
    if error.field == "tier" and m.startswith("must be one of"):
        return f"Choose one of: {tier_names()}."
    if m == "no atlas site has this id":
        return (
            "No atlas site has this id. Open the site's page in the atlas: its id is the end of "
            "the address (site=...), or leave this empty."
        )
    if m.startswith("unknown column"):
        return "Unknown column; the columns are " + ", ".join(FIELDS) + "."
    return m[:1].upper() + m[1:] + ("" if m.endswith((".", ")")) else ".")
