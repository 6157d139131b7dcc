"""ILAB Findings on the Worst Forms of Child Labor (2022): country indicators and profiles, from the XML."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
from lxml import etree

from riskatlas.countries import to_iso3
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    number,
    sha256_file,
)

FILE = "ilab_country_findings_source.xml"
YEAR = 2022
APP_REPO = "https://raw.githubusercontent.com/USDepartmentofLabor/Child-Labor-Android/"
SOURCE = SourceInfo(
    source_id="ilab_countries",
    title="Findings on the Worst Forms of Child Labor, 2022: country profiles",
    publisher="U.S. Department of Labor, Bureau of International Labor Affairs (ILAB)",
    url="https://www.dol.gov/agencies/ilab/resources/reports/child-labor/findings",
    licence="U.S. federal government work (public domain in the US)",
    data_date="2022 reporting period (published Sept 2023)",
    folder="ilab_child_forced_labor",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: APP_REPO
        + "c3624a49e9d1919bbbc58f05a00871682c519183/app/src/main/assets/countries_2021.xml"
    },
    notes=(
        "143 countries and areas; 12 (China, Iran, Malaysia, Russia, Vietnam ...) are in the file "
        "only because they have listed goods and were not assessed. 'Unavailable', 'Unknown', "
        "'N/A' and blanks give no indicator row (not reported is not zero). Ratifications are 1/0. "
        "ilab_working_children_pct is a fraction 0-1 for the age range in flag. "
        "ilab_advancement_level (ordinal): 0 = No Advancement (incl. 'Efforts Made but Complicit "
        "in Forced Child Labor'), 1 = Minimal Advancement with a qualifier ('Efforts Made but "
        "Continued/Regression in Law or Practice that Delayed Advancement': a law or practice "
        "held the country back), 2 = Minimal, 3 = Moderate, 4 = Significant Advancement; "
        "'No Assessment' and blanks give no row."
    ),
    order=160,
)

MISSING = {"", "unavailable", "unknown", "n/a", "na", "none"}
YES_NO = {"yes": 1.0, "no": 0.0}
PATHS = {
    "ilab_c138_ratified": "Conventions/C_138_Ratified",
    "ilab_c182_ratified": "Conventions/C_182_Ratified",
    "ilab_palermo_ratified": "Conventions/Palermo_Ratified",
    "ilab_inspectors_meet_standard": "Enforcements/Labor_Inspectors_Intl_Standards",
}
INSPECTORS = "Enforcements/Labor_Inspectors"
WORKING = "Country_Statistics/Children_Work_Statistics/Total_Percentage_of_Working_Children"
AGE_RANGE = "Country_Statistics/Children_Work_Statistics/Age_Range"


def advancement_score(level: str | None) -> int | None:
    """ILAB's advancement assessment on the 0 (none) .. 4 (significant) scale; None if not assessed."""
    s = (level or "").lower().replace("\u2013", "-")
    if not s or s.startswith("no assessment"):
        return None
    qualified = "-" in s and "efforts made" in s
    if s.startswith("no advancement"):
        return 0
    if s.startswith("minimal advancement"):
        return 1 if qualified else 2
    if s.startswith("moderate advancement"):
        return 3
    if s.startswith("significant advancement"):
        return 4
    raise ValueError(f"unknown advancement level {level!r}")


def load(raw_dir: Path) -> AdapterResult:
    """Indicators and profile per country; a value the file does not report gives no row."""
    path = SOURCE.path(raw_dir, FILE)
    countries = _countries(path)
    result = AdapterResult(source=SOURCE, rows_in=len(countries))
    result.file_hashes[FILE] = sha256_file(path)
    indicators, profiles, seen = [], [], set()
    for el in countries:
        name = _text(el, "Name")
        ref = name or "?"
        iso3 = to_iso3(name)
        if iso3 is None:
            result.reject(ref, f"country not recognised: {name!r}", _raw(el))
            continue
        if iso3 in seen:
            result.reject(ref, f"second entry for {iso3}", _raw(el))
            continue
        try:
            values, level = _values(el)
        except ValueError as e:
            result.reject(ref, str(e), _raw(el))
            continue
        seen.add(iso3)
        age = _text(el, AGE_RANGE)
        for indicator, value in values.items():
            indicators.append(
                {
                    "country_iso3": iso3,
                    "indicator": indicator,
                    "year": YEAR,
                    "value": value,
                    "source_ref": ref,
                    "flag": f"ages {age}"
                    if indicator == "ilab_working_children_pct" and age
                    else None,
                }
            )
        profiles.append(
            {
                "country_iso3": iso3,
                "advancement_level": level,
                "description": _text(el, "Description"),
                "webpage": _text(el, "Webpage"),
                "country_name": name,
                "region": _text(el, "Region"),
                "multiple_territories": _text(el, "Multiple_Territories"),
                "advancement_score": values.get("ilab_advancement_level"),
                "year": YEAR,
            }
        )
    ind = pd.DataFrame(
        indicators, columns=["country_iso3", "indicator", "year", "value", "source_ref", "flag"]
    )
    result.tables["country_indicators"] = ind.sort_values(["source_ref", "indicator"]).reset_index(
        drop=True
    )
    result.tables["ilab_country_profiles"] = (
        pd.DataFrame(profiles).sort_values("country_iso3").reset_index(drop=True)
    )
    return result


def _countries(path: Path) -> list:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, OSError) as e:  # lxml raises OSError for undecodable bytes
        raise SourceError(f"{SOURCE.source_id}: {path} is not well-formed XML: {e}") from e
    top = root.getroot()
    countries = top.findall("Country")
    if top.tag != "Countries" or not countries or countries[0].find("Name") is None:
        raise SourceError(f"{SOURCE.source_id}: {path} has no <Countries><Country><Name> elements")
    return countries


def _text(el, path: str) -> str | None:
    t = clean_text(el.findtext(path))
    return unicodedata.normalize("NFC", t) if t else None


def _values(el) -> tuple[dict[str, float], str | None]:
    """Reported values of one country; raises ValueError on a token the format does not allow."""
    out: dict[str, float] = {}
    for indicator, path in PATHS.items():
        v = _text(el, path)
        if (v or "").lower() in MISSING:
            continue
        if v.lower() not in YES_NO:
            raise ValueError(f"{path} is {v!r}, not Yes/No")
        out[indicator] = YES_NO[v.lower()]
    inspectors = number(_text(el, INSPECTORS), INSPECTORS, missing=MISSING)
    if inspectors is not None:
        out["ilab_labor_inspectors"] = inspectors
    working = number(_text(el, WORKING), WORKING, missing=MISSING)
    if working is not None:
        if not 0 <= working <= 1:
            raise ValueError(f"{WORKING} is {working}, not a fraction 0-1")
        out["ilab_working_children_pct"] = working
    level = _text(el, "Advancement_Level")
    score = advancement_score(level)
    if score is not None:
        out["ilab_advancement_level"] = float(score)
    return out, level


def _raw(el) -> str:
    return f"Name={_text(el, 'Name')}; Advancement_Level={_text(el, 'Advancement_Level')}"
