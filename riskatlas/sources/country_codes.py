"""ISO 3166 country reference (codes, short names, UN M49 regions) for joins and display."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from riskatlas.countries import _converter
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    check_unique_columns,
    clean_text,
    read_csv,
    rows_frame,
    sha256_file,
)

FILE = "country-codes.csv"
SOURCE = SourceInfo(
    source_id="country_codes",
    title="Comprehensive country codes: ISO 3166, UN M49 regions and names",
    publisher="datasets/country-codes (Frictionless Data), from ISO 3166, UN M49 (UNSD) and CLDR",
    url="https://github.com/datasets/country-codes",
    licence="ODC-PDDL-1.0 (public domain dedication)",
    data_date="2023-09-25 (datapackage last_modified)",
    folder="country_codes",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/datasets/country-codes/"
        "caa72d1e0e5af8876c170bb36a9e4d64a01bba88/data/country-codes.csv"
    },
    notes=(
        "249 ISO 3166-1 entries. Display names are country_converter's short names (e.g. "
        "'DR Congo', 'United Kingdom'), falling back to the file's CLDR display name. Kosovo "
        "(XKX, a user-assigned code used by the World Bank, Walk Free and ILAB) is added from "
        "country_converter with in_iso3166 = false. Regions are the UN M49 region/sub-region."
    ),
    order=10,
)

ISO3, ISO2 = "ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2"
REQUIRED = (ISO3, ISO2, "CLDR display name", "official_name_en", "Region Name", "Sub-region Name")


@functools.lru_cache(maxsize=1)
def _coco_data() -> pd.DataFrame:
    return _converter().data  # the converter riskatlas.countries already loaded (one per process)


def load(raw_dir: Path) -> AdapterResult:
    """One row per ISO3 code: the table every page joins on to name a country."""
    path = SOURCE.path(raw_dir, FILE)
    # Read as text, no NA guessing: Namibia's alpha-2 code is "NA".
    header, raw_rows = read_csv(path, SOURCE.source_id)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"{SOURCE.source_id}: {path} lacks the columns {missing}")
    check_unique_columns(
        header, (*REQUIRED, "Intermediate Region Name", "M49"), SOURCE.source_id, path
    )
    result = AdapterResult(source=SOURCE, rows_in=len(raw_rows))
    result.file_hashes[FILE] = sha256_file(path)
    df = rows_frame(header, raw_rows, result)

    short = dict(zip(_coco_data()["ISO3"], _coco_data()["name_short"], strict=True))
    rows, seen = [], set()
    for raw in df.to_dict("records"):
        iso3 = clean_text(raw[ISO3])
        if not iso3 or len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            result.reject(raw.get(ISO2) or "?", "no valid ISO 3166-1 alpha-3 code", raw)
            continue
        if iso3 in seen:
            result.reject(iso3, "duplicate ISO3 code", raw)
            continue
        seen.add(iso3)
        rows.append(
            {
                "country_iso3": iso3,
                "iso2": clean_text(raw[ISO2]),
                "name": short.get(iso3) or clean_text(raw["CLDR display name"]),
                "region": clean_text(raw["Region Name"]),
                "subregion": clean_text(raw["Sub-region Name"]),
                "official_name": clean_text(raw["official_name_en"]),
                "cldr_name": clean_text(raw["CLDR display name"]),
                "intermediate_region": clean_text(raw.get("Intermediate Region Name")),
                "m49": clean_text(raw.get("M49")),
                "in_iso3166": True,
            }
        )
    rows.extend(_non_iso_codes(seen))
    out = pd.DataFrame(rows).sort_values("country_iso3").reset_index(drop=True)
    result.tables["countries"] = out
    return result


def _non_iso_codes(seen: set[str]) -> list[dict]:
    """User-assigned X.. codes publishers use that ISO 3166 lacks (Kosovo XKX), to name them."""
    data = _coco_data()
    extra = data[~data["ISO3"].isin(seen) & data["ISO3"].str.fullmatch(r"X[A-Z]{2}")]
    return [
        {
            "country_iso3": r["ISO3"],
            "iso2": r["ISO2"],
            "name": r["name_short"],
            "region": r["continent"],
            "subregion": r["UNregion"],
            "official_name": r["name_official"],
            "cldr_name": None,
            "intermediate_region": None,
            "m49": None,
            "in_iso3166": False,
        }
        for r in extra.to_dict("records")
    ]
