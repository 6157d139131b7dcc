"""Whether a line read from a table is a smelter row: only on evidence, else rejected with why.

Why: a report's prose can look like a table to a layout reader (two columns of text, a
sentence that names "smelter" and "country"), and its fragments ("presenting", "in Ituri
Province") must not become smelters. A row is kept when it carries evidence of being a
smelter: an id printed for it, or a metal (its own column, the heading or section it sits
under, or RMI's list for its id) together with a name that reads like a company, a name that
resolves to an RMI smelter, or a country; or, without a metal, a country beside a name that
reads like a company. Everything else is rejected with its reason and where it is.
"""

from __future__ import annotations

import re
from typing import Any

from riskatlas.importer.columns import ID_LIKE, rmi_id

# Words that may start lower-case inside a company name ("Mineracao Taboca", "Complex of ...").
_SMALL = {
    "of", "and", "de", "do", "da", "das", "dos", "del", "la", "le", "les", "du", "y", "e", "the",
    "for", "in", "und", "et", "van", "von", "der", "den", "&", "+", "-", "/", "(t/a", "t/a",
}  # fmt: skip
_LEGAL_END = re.compile(
    r"(\b(co|corp|inc|ltd|llc|plc|pvt|bhd|sdn|tbk|jsc|kg|ag|sa|s\.a|s\.p\.a|n\.v|b\.v|"
    r"k\.k|a\.s|s\.l|s\.l\.u|s\.a\.s|c\.v|de c\.v|mfg|int|intl|no)\.?|\b[A-Z]\.)$",
    re.IGNORECASE,
)
MAX_NAME_WORDS = 16
# Words a sentence starts with and a company name does not ("In Ituri Province", "Some 3TG",
# "Our suppliers"); "The" is left out: "The Perth Mint".
_SENTENCE_START = {
    "in", "on", "at", "for", "with", "from", "by", "to", "as", "of", "and", "but", "or", "if",
    "we", "our", "us", "you", "your", "they", "their", "it", "its", "some", "those", "these",
    "this", "that", "where", "when", "while", "which", "who", "there", "such", "each", "all",
    "any", "no", "not", "also", "however", "although", "because", "since", "after", "before",
    "during", "including", "please", "see", "note", "is", "are", "was", "were", "has", "have",
}  # fmt: skip


# Words of company names: a name using them reads as one even when written in lower case
# ("Fujian Zijin mining stock company gold smelter").
_COMPANY_WORDS = {
    "company", "co", "corp", "corporation", "ltd", "ltda", "limited", "inc", "llc", "gmbh",
    "group", "mining", "mines", "metal", "metals", "metallurgy", "metallurgical", "smelter",
    "smelting", "smeltery", "refinery", "refining", "refiner", "industry", "industries",
    "industrial", "materials", "material", "chemical", "chemicals", "nonferrous",
    "non-ferrous", "gold", "tin", "tantalum", "tungsten", "cobalt", "plant", "works", "stock",
    "holding", "holdings", "enterprise", "technology", "tech", "mint",
}  # fmt: skip


def company_like(name: object) -> bool:
    """A printed name that reads like a company or plant, not a fragment of a sentence.

    Not a list item ("2. Some 3TG"), not starting with a word that starts sentences ("In
    Ituri Province", "Those suppliers"), short, not ending a sentence, and either mostly
    capitalised ("China Tin Group Co., Ltd.", "KEMET de Mexico") or using the words of
    company names ("Shandong penglai gold smelter"); a name starting in lower case needs
    three words, such a word and no little words of sentences ("the smelter list"). Non-Latin script names pass: case says nothing there.
    """
    if not isinstance(name, str):
        return False
    s = " ".join(name.split())
    if len(re.findall(r"[^\W\d_]", s)) < 2:
        return False
    if re.match(r"^\d{1,3}[.)]\s", s):  # a numbered list item or heading
        return False
    words = s.split()
    if len(words) > MAX_NAME_WORDS or words[0].lower().strip(",.;:") in _SENTENCE_START:
        return False
    last = words[-1]
    if s.endswith(("!", "?", ":", ";")) or (
        s.endswith(".") and re.fullmatch(r"[a-z]{4,}\.", last) and not _LEGAL_END.search(s)
    ):
        return False
    plain = {re.sub(r"[^a-z\-]", "", w.lower()) for w in words}
    company = bool(plain & _COMPANY_WORDS)
    latin = [w for w in words if re.match(r"[A-Za-z]", w) and w.lower() not in _SMALL]
    if not latin:
        return True  # non-Latin script: case says nothing
    if s[0].isalpha() and s[0].islower():  # mid-sentence unless plainly a company's name
        small = sum(1 for w in words if w.lower() in _SMALL or w.lower() in _SENTENCE_START)
        return company and len(words) >= 3 and small == 0
    lower = sum(1 for w in latin if w[0].islower())
    return company or (lower * 2 <= len(latin) and lower <= 2)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = " ".join(str(value).split())
    return s or None


def rejection(row: dict[str, Any]) -> str | None:
    """Why a resolved row is not a smelter row, or None if it is one (see the module's doc)."""
    printed = _text(row.get("id_as_reported"))
    if printed and (rmi_id(printed) or ID_LIKE.match(printed)):
        return None
    metal = _text(row.get("metal"))
    name = _text(row.get("smelter_name"))
    country = _text(row.get("country_iso3"))
    company = company_like(name)
    resolves = row.get("resolved_by") == "name"
    if metal and (company or resolves or country):
        return None
    if country and company:
        return None
    shown = f"'{name}'" if name else "no name"
    if metal:
        return (
            f"not a smelter row: {metal} is given, but {shown} does not read like a company "
            "name, matches no RMI smelter, and no country is given"
        )
    if not company:
        return (
            f"not a smelter row: no smelter ID, metal or country, and {shown} does not read "
            "like a company name (prose or a fragment, not a table row)"
        )
    return (
        f"not a smelter row: {shown} has no smelter ID, no metal (column, heading or section) "
        "and no country"
    )


REJECT_COLUMNS = [
    "ref",
    "reason",
    "metal",
    "smelter_name",
    "country",
    "id_as_reported",
    "section",
    "text",
]


def reject_record(row: dict[str, Any], reason: str) -> dict[str, Any]:
    """A rejected line as the --rejected file and the Import page show it."""
    text = row.get("text")
    if not text:
        parts = [
            row.get(k) for k in ("id_as_reported", "metal_as_reported", "smelter_name", "country")
        ]
        text = " | ".join(p for p in map(_text, parts) if p)
    return {
        "ref": row.get("ref"),
        "reason": reason,
        "metal": _text(row.get("metal")),
        "smelter_name": _text(row.get("smelter_name")),
        "country": _text(row.get("country")),
        "id_as_reported": _text(row.get("id_as_reported")),
        "section": _text(row.get("section")),
        "text": text,
    }
