"""ILAB List of Goods Produced by Child Labor or Forced Labor: good × country risk, from the XML."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
from lxml import etree

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise
from riskatlas.sources.base import AdapterResult, SourceError, SourceInfo, clean_text, sha256_file

FILE = "ilab_goods_list_source.xml"
APP_REPO = "https://raw.githubusercontent.com/USDepartmentofLabor/Child-Labor-Android/"
SOURCE = SourceInfo(
    source_id="ilab_goods",
    title="List of Goods Produced by Child Labor or Forced Labor (2022 edition)",
    publisher="U.S. Department of Labor, Bureau of International Labor Affairs (ILAB)",
    url="https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods",
    licence="U.S. federal government work (public domain in the US)",
    data_date="2022 List (published Sept 2022; app data refreshed Aug 2023)",
    folder="ilab_child_forced_labor",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: APP_REPO
        + "52f4b8f21774c019aafbfef9212583490a6ffbbe/app/src/main/assets/goods_2021.xml"
    },
    notes=(
        "467 good × country entries (169 goods, 78 countries) read from the XML of ILAB's Sweat & "
        "Toil app. Entries name goods and countries, never facilities or companies. 'derived' "
        "entries (e.g. Lithium-Ion Batteries from China) are listed because an input was made "
        "with child or forced labour in derived_country (DRC cobalt). mineral is our normalised "
        "mineral (one row per mineral: coltan gives tantalum and niobium); None for other goods."
    ),
    order=150,
)

FIELDS = (
    "Country_Name",
    "Child_Labor",
    "Forced_Labor",
    "Forced_Child_Labor",
    "Derived_Labor_Exploitation",
    "Derived_Country",
)
YES_NO = {"yes": True, "no": False}


def load(raw_dir: Path) -> AdapterResult:
    """One goods_risk row per good × country (× mineral), as the List states it."""
    path = SOURCE.path(raw_dir, FILE)
    entries = _entries(path)
    result = AdapterResult(source=SOURCE, rows_in=len(entries))
    result.file_hashes[FILE] = sha256_file(path)
    rows = []
    for e in entries:
        rows.extend(_rows(e, result))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    result.tables["goods_risk"] = out.sort_values(
        ["source_ref", "mineral"], na_position="first"
    ).reset_index(drop=True)
    return result


_COLUMNS = [
    "good", "mineral", "country_iso3", "child_labor", "forced_labor", "forced_child_labor",
    "derived", "derived_country_iso3", "sector", "source_ref", "country_raw", "region",
]  # fmt: skip


def _entries(path: Path) -> list[dict[str, str | None]]:
    """Flat good × country entries; a file that is not the ILAB goods XML is a SourceError."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, OSError) as e:  # lxml raises OSError for undecodable bytes
        raise SourceError(f"{SOURCE.source_id}: {path} is not well-formed XML: {e}") from e
    top = root.getroot()
    if top.tag != "Goods" or top.find("Good") is None:
        raise SourceError(f"{SOURCE.source_id}: {path} has no <Goods><Good> elements")
    out = []
    for good in top.iterfind("Good"):
        name = _text(good, "Good_Name")
        sector = _text(good, "Good_Sector")
        for country in good.iterfind("Countries/Country"):
            entry = {
                "good": name,
                "sector": sector,
                "Country_Region": _text(country, "Country_Region"),
            }
            entry.update({f: _text(country, f) for f in FIELDS})
            out.append(entry)
    return out


def _text(el, tag: str) -> str | None:
    """Element text, NFC-normalised (the XML spells Açaí with combining accents)."""
    t = clean_text(el.findtext(tag))
    return unicodedata.normalize("NFC", t) if t else None


def _rows(e: dict[str, str | None], result: AdapterResult) -> list[dict]:
    """goods_risk rows for one entry, or [] after rejecting it with the reason."""
    ref = f"{e['good']} | {e['Country_Name']}"
    if not e["good"] or not e["Country_Name"]:
        result.reject(ref, "entry without a good or a country name", e)
        return []
    iso3 = to_iso3(e["Country_Name"])
    if iso3 is None:
        result.reject(ref, f"country not recognised: {e['Country_Name']!r}", e)
        return []
    flags = {}
    for field, col in (
        ("Child_Labor", "child_labor"),
        ("Forced_Labor", "forced_labor"),
        ("Forced_Child_Labor", "forced_child_labor"),
        ("Derived_Labor_Exploitation", "derived"),
    ):
        v = YES_NO.get((e[field] or "").lower())
        if v is None:
            result.reject(ref, f"{field} is {e[field]!r}, not Yes/No", e)
            return []
        flags[col] = v
    derived_iso3 = None
    if flags["derived"]:
        derived_iso3 = to_iso3(e["Derived_Country"])
        if derived_iso3 is None:
            result.reject(ref, f"derived country not recognised: {e['Derived_Country']!r}", e)
            return []
    base = {
        "good": e["good"],
        "country_iso3": iso3,
        **flags,
        "derived_country_iso3": derived_iso3,
        "sector": e["sector"],
        "source_ref": ref,
        "country_raw": e["Country_Name"],
        "region": e["Country_Region"],
    }
    minerals = normalise(e["good"]) or [None]
    return [{**base, "mineral": m} for m in minerals]
