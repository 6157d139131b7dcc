"""Which column of a smelter table is which: header words first, then what the values look like."""

from __future__ import annotations

import re
from collections.abc import Sequence

from unidecode import unidecode

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise

# Roles a column can play. name_std / name_alt are second-choice name columns (RMI templates
# have "Smelter Look-up" and "Standard Smelter Name" beside the "Smelter Name" typed by hand).
# The sourcing roles are kept as printed but never make a table a smelter table.
SOURCING_ROLES = ("direct_sourcing", "indirect_sourcing", "origin")
ROLES = ("row_no", "id", "metal", "name", "name_std", "name_alt", "country", "status",
         *SOURCING_ROLES)  # fmt: skip
CORE_ROLES = {"id", "metal", "name", "name_std", "name_alt", "country", "status"}
NAME_ROLES = ("name", "name_std", "name_alt")  # priority order

# An RMI smelter id as printed: "CID000211", sometimes "CID 000211" or "cid-000211".
RMI_ID_RE = re.compile(r"\bCID[\s\-]?(\d{6})\b", re.IGNORECASE)
RMI_ID_FULL = re.compile(r"^CID[\s\-]?(\d{6})$", re.IGNORECASE)
# Anything a brand prints in an id column that looks like an identifier (CIDSN2285, T-1234...).
ID_LIKE = re.compile(r"^(?=.*\d)[A-Z]{1,6}[\s\-]?[A-Z0-9\-]{2,12}$", re.IGNORECASE)
ROW_NO = re.compile(r"^\d{1,4}\.?$")

# Header words that make a column NOT one of ours even though it says "smelter" or "country":
# "Smelter Contact Name", "Location (Country) of Mine(s)", "Source of Smelter Identification".
_EXCLUDE = re.compile(
    r"\b(contact|e ?mail|mines?|origin|sourcing|sourced|sources?|street|city|state|province|"
    r"address|comments?|notes?|remarks?|date|next steps?|feedstock|recycled|scrap|website|"
    r"phone|tel|supplier|suppliers|customer|product|parts?|quantity|volume|percent|"
    r"reason|evidence|link|url|year|description|type|combined|not listed|not yet identified|"
    r"unknown)\b"
    r"|联系|电子邮件|矿|出处|街道|城市|州|省|注释|回收|报废|步骤|所在街|日期"
)
# Where a smelter's material comes from: "Direct Sourcing", "Indirect Supplying Smelter
# Sourcing", "Country of Origin". Checked before the exclusions, which keep such columns out of
# the country and name roles. A run naming both direct and indirect is two headers, not one.
_INDIRECT = re.compile(r"\bindirect(ly)?\b")
_DIRECT = re.compile(r"\bdirect(ly)?\b")
_SOURCING_WORD = re.compile(r"\b(sourc\w*|origin\w*|supply\w*|supplie\w*|procure\w*)\b")
_ORIGIN = re.compile(
    r"\b(countr(y|ies) of (origin|mines?|extraction|sourcing)|origin countr(y|ies)|"
    r"(sourcing|source|mine|mining) countr(y|ies)|countr(y|ies) sourced from|"
    r"location of (the )?mines?|mine locations?|coo|coi)\b|原产国|原產國|原産国|원산지"
)


def _sourcing_role(key: str) -> str | None:
    indirect, direct = bool(_INDIRECT.search(key)), bool(_DIRECT.search(key))
    if indirect and direct:
        return None
    if (indirect or direct) and _SOURCING_WORD.search(key):
        return "indirect_sourcing" if indirect else "direct_sourcing"
    if _ORIGIN.search(key):
        return "origin"
    return None


# Ordered rules: first match wins, after the exclusions.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("row_no", re.compile(r"^(no|nr|n|#|s ?n|sr|sl|item|line|seq|sequence|number)( no)?$")),
    (
        "id",
        re.compile(
            r"\b(cid|rmi id|smelter id|refiner id|facility id|identification|identifier|"
            r"id number|id no|id|ids|smelter number|smelter code|rmi code|reference (id|no|number))\b"
            r"|识别|識別|号码|番号|식별"
        ),
    ),
    (
        "status",
        re.compile(
            r"\b(status|conformant|conformance|conform|compliant|compliance|rmap|audit|audited|"
            r"certified|certification|validated|validation|cfsp|conflict free|assessment|"
            r"rmap status)\b|状态|状態|상태"
        ),
    ),
    ("name_std", re.compile(r"\bstandard (smelter |refiner |facility )?name\b")),
    ("name_alt", re.compile(r"\b(look ?up|lookup|alias|also known)\b|查找|検索|조회")),
    (
        "country",
        re.compile(
            r"\b(country|countries|location|nation|country region|jurisdiction|geography|"
            r"geographic)\b|国家|国|地区|국가"
        ),
    ),
    (
        "metal",
        re.compile(
            r"\b(metal|metals|mineral|minerals|commodity|element|3tg|material|subject mineral|"
            r"conflict mineral)\b|金属|金屬|금속|鉱物"
        ),
    ),
    (
        "name",
        re.compile(
            r"\b(name|smelter|smelters|refiner|refiners|refinery|facility|facilities|operator|"
            r"company|processor|plant|entity|sor)\b|名称|名稱|冶炼厂|製錬|제련"
        ),
    ),
)


def header_key(text: object) -> str:
    """A header cell reduced to lower-case words; CJK characters are kept as they are."""
    s = str(text or "")
    s = re.sub(r"\((\*|\d)\)|\*", " ", s)  # "(*)" mandatory marks, "(1)" footnote marks
    ascii_part = unidecode(re.sub(r"[\u3000-\u9fff\uac00-\ud7af]+", " ", s)).lower()
    cjk = "".join(re.findall(r"[\u3000-\u9fff\uac00-\ud7af]+", s))
    words = re.sub(r"[^a-z0-9#]+", " ", ascii_part.replace("&", " and ")).split()
    return " ".join(words) + (" " + cjk if cjk else "")


def classify_header(text: object) -> str | None:
    """The role a header cell names ("Smelter ID" -> 'id'), or None if it is not one of ours."""
    raw = " ".join(str(text or "").split())
    key = header_key(raw).strip()
    # A header names a column in a few words; a sentence, a question or a form label does not.
    if not key or len(key) > 90 or len(key.split()) > 7 or raw.endswith((":", "?")):
        return None
    sourcing = _sourcing_role(key)
    if sourcing:
        return sourcing
    if _EXCLUDE.search(key):
        return None
    for role, pattern in _RULES:
        if pattern.search(key):
            return role
    return None


def header_roles(cells: Sequence[str]) -> list[str | None]:
    """Roles of one header row, cell by cell."""
    return [classify_header(c) if c else None for c in cells]


def looks_like_header(cells: Sequence[str]) -> bool:
    """A row is a smelter-table header when it names two of our columns, one being name or id."""
    if any(c and (rmi_id(c) or one_metal(c)) for c in cells):  # data values, not headers
        return False
    roles = {r for r in header_roles(cells) if r}
    if not roles & {"id", *NAME_ROLES}:
        return False
    if any(c and len(c) > 120 for c in cells):  # a sentence, not a header
        return False
    return len(roles & CORE_ROLES) >= 2


# ---- what the values look like -------------------------------------------------------------

STATUS_WORDS = re.compile(
    r"^(\*|conformant|non[\s-]?conformant|not conformant|compliant|non[\s-]?compliant|active|"
    r"in communication|communication|outreach required|re-?audit in progress|not certified|"
    r"certified|validated|not validated|not applicable|n/?a|yes|no|participating|"
    r"not participating|in progress|progressing|rmi due diligence review.*|suspended|"
    r"eligible|not eligible|unknown|-)$",
    re.IGNORECASE,
)


def rmi_id(value: object) -> str | None:
    """The RMI id in a cell, normalised to 'CID' + 6 digits, or None."""
    if value is None:
        return None
    m = RMI_ID_FULL.match(str(value).strip())
    return f"CID{m.group(1)}" if m else None


def one_metal(value: object) -> str | None:
    """The one mineral a cell names ('Tin', 'Au', 'Cobalt (Co)'), or None (none or several)."""
    if not value:
        return None
    got = normalise(str(value))
    return got[0] if len(got) == 1 else None


_WORD = re.compile(r"[A-Za-z]{3,}")
_SYMBOL_IN_BRACKETS = re.compile(r"\(\s*([A-Z][a-z]?)\s*\)")


def metal_in_heading(text: object) -> str | None:
    """The one mineral a short heading is about ("Cobalt (Co) Smelter List" -> 'cobalt').

    Why: PDF reports and some HTML filings give the metal only in the section title above a
    table. A heading naming several minerals (or '3TG') gives none.
    """
    s = " ".join(str(text or "").split())
    if not s or len(s) > 80:
        return None
    found: set[str] = set()
    for w in _WORD.findall(s):
        if w.lower() in {"tin", "gold"} or len(w) >= 4 or w.upper() == "3TG":
            found.update(normalise(w))
    found.update(m for sym in _SYMBOL_IN_BRACKETS.findall(s) for m in normalise(sym))
    if re.search(r"\b3\s?TG\b", s, re.IGNORECASE):
        return None
    return next(iter(found)) if len(found) == 1 else None


def column_profile(values: Sequence[str]) -> dict[str, float]:
    """Share of a column's non-empty values that look like ids, metals, countries, statuses."""
    vals = [v for v in values if v]
    n = len(vals)
    if n == 0:
        return {
            "n": 0,
            "cid": 0.0,
            "metal": 0.0,
            "country": 0.0,
            "status": 0.0,
            "len": 0.0,
            "alpha": 0.0,
            "row_no": 0.0,
        }
    distinct = set(vals)
    countryish = {
        v
        for v in distinct
        if len(v) <= 60 and re.search(r"[A-Za-z]", v) and not RMI_ID_FULL.match(v)
    }
    iso = {v for v in countryish if len(distinct) <= 400 and to_iso3(v)}
    return {
        "n": n,
        "cid": sum(1 for v in vals if rmi_id(v)) / n,
        "metal": sum(1 for v in vals if one_metal(v) and len(v) <= 30) / n,
        "country": sum(1 for v in vals if v in iso) / n,
        "status": sum(1 for v in vals if STATUS_WORDS.match(v.strip())) / n,
        "len": sum(len(v) for v in vals) / n,
        "alpha": sum(1 for v in vals if re.search(r"[A-Za-z\u3000-\u9fff]{2,}", v)) / n,
        "row_no": sum(1 for v in vals if ROW_NO.match(v)) / n,
    }
