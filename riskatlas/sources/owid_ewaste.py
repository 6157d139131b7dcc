"""UN SDG 12.5.1 e-waste recycling rate via Our World in Data, keeping its two definitions apart."""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import pandas as pd

from riskatlas.countries import _converter
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    read_csv,
    rows_frame,
    sha256_file,
)

FILE = "electronic-waste-recycling-rate.csv"
VALUE = "Proportion of electronic waste recycled (%)"
SOURCE = SourceInfo(
    source_id="owid_ewaste_recycling",
    title="Electronic waste recycling rate (UN SDG indicator 12.5.1, series EN_EWT_RCYR)",
    publisher="Our World in Data, from the UN SDG Global Database (UNITAR/UNEP; Eurostat for EU)",
    url="https://ourworldindata.org/grapher/electronic-waste-recycling-rate",
    licence="CC BY 4.0 (OWID); UN SDG data free to use with attribution",
    data_date="2000-2022 (EU/EEA countries mostly 2005-2018)",
    folder="owid_ewaste_recycling_rate",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/1120475949/AI-Mechine-Power-Data/"
        "da9280bb9ece7573cead803d328ca72f8ec3e2d5/electronic-waste-recycling-rate.csv"
    },
    notes=(
        "One OWID column mixes two definitions, kept apart here: ewaste_recycling_rate_eu for "
        "EU/EEA members, Iceland, Liechtenstein and Norway (Eurostat: recycled / collected WEEE) "
        "and ewaste_recycling_rate_unitar for every other entity (UNITAR: recycled / e-waste "
        "generated). Never compare the two. World and regions have no ISO3 and go to the table "
        "ewaste_recycling_regions. Malta's values over 100 % (2011, 2014, 2016) are kept with "
        "flag 'over 100 %'. Series breaks (Canada 2016-2018, Oceania 2019) are as published. "
        "Most countries have no value: no row means not reported, not zero."
    ),
    order=220,
    ui_sections=("ewaste.rates",),
)

HEADER = ("Entity", "Code", "Year", VALUE)
EU = "ewaste_recycling_rate_eu"
UNITAR = "ewaste_recycling_rate_unitar"


@functools.lru_cache(maxsize=1)
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    """(all ISO3 codes, EU/EEA ISO3 codes) from country_converter's membership table."""
    data = _converter().data  # riskatlas.countries' converter, loaded once per process
    eea = data.loc[data["EEA"].astype(str).str.strip() == "EEA", "ISO3"]
    return frozenset(data["ISO3"]), frozenset(eea)


def definition(code: str | None) -> str:
    """'eu' for EU/EEA countries (Eurostat rate), 'unitar' for everything else."""
    return "eu" if code in _codes()[1] else "unitar"


def load(raw_dir: Path) -> AdapterResult:
    """Country rates as indicators (one indicator per definition) and aggregates as a table."""
    path = SOURCE.path(raw_dir, FILE)
    header, raw_rows = read_csv(path, SOURCE.source_id)
    if tuple(header) != HEADER:
        raise SourceError(f"{SOURCE.source_id}: {path} header is {header}, expected {list(HEADER)}")
    result = AdapterResult(source=SOURCE, rows_in=len(raw_rows))
    result.file_hashes[FILE] = sha256_file(path)
    df = rows_frame(header, raw_rows, result)
    iso_codes, _ = _codes()

    countries, regions = [], []
    for row in df.to_dict("records"):
        entity, code = clean_text(row["Entity"]), clean_text(row["Code"])
        ref = f"{entity} {row['Year']}"
        if not entity or not re.fullmatch(r"(19|20)[0-9]{2}", row["Year"].strip()):
            result.reject(ref, "no entity or year is not a year", row)
            continue
        raw_value = row[VALUE].strip()
        if not raw_value:
            continue  # not reported: no row
        try:
            value = float(raw_value)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            result.reject(ref, f"value is not a number: {raw_value!r}", row)
            continue
        if value < 0:
            result.reject(ref, f"negative rate: {value}", row)
            continue
        year = int(row["Year"])
        flag = "over 100 %: reporting artefact" if value > 100 else None
        if code and re.fullmatch(r"[A-Z]{3}", code):
            if code not in iso_codes:
                result.reject(ref, f"code is not ISO3: {code!r}", row)
                continue
            countries.append(
                {
                    "country_iso3": code,
                    "indicator": EU if definition(code) == "eu" else UNITAR,
                    "year": year,
                    "value": value,
                    "source_ref": ref,
                    "flag": flag,
                }
            )
        else:
            regions.append(
                {
                    "entity": entity,
                    "code": code,
                    "year": year,
                    "value": value,
                    "definition": "unitar",
                    "flag": flag,
                }
            )
    ind = pd.DataFrame(
        countries, columns=["country_iso3", "indicator", "year", "value", "source_ref", "flag"]
    )
    result.tables["country_indicators"] = ind.sort_values(["source_ref"]).reset_index(drop=True)
    reg = pd.DataFrame(regions, columns=["entity", "code", "year", "value", "definition", "flag"])
    result.tables["ewaste_recycling_regions"] = reg.sort_values(["entity", "year"]).reset_index(
        drop=True
    )
    return result
