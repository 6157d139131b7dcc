"""Eurostat env_waselee: WEEE put on the market, collected, treated and recycled, EU/EEA 2005-2018."""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import pandas as pd

from riskatlas.countries import _converter, to_iso3
from riskatlas.sources.base import AdapterResult, SourceError, SourceInfo, sha256_file

FILE = "env_waselee.tsv"
SOURCE = SourceInfo(
    source_id="eurostat_env_waselee",
    title="Waste electrical and electronic equipment (WEEE) by waste management operations "
    "(env_waselee)",
    publisher="Eurostat (European Commission)",
    url="https://ec.europa.eu/eurostat/databrowser/view/env_waselee/default/table",
    licence="Reuse with acknowledgement of the source (Commission Decision 2011/833/EU)",
    data_date="2005-2018 (downloaded about late 2020; 2018 mostly empty)",
    folder="eurostat_weee_env_waselee",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/ev07/e-waste.dataviz/"
        "7b04dc146b415662fcce3d9e7ac17cbee20dceb3/data/env_waselee.tsv"
    },
    notes=(
        "Closed-scope (10-category) series, EU/EEA only, ending 2018; the open-scope successor "
        "env_waseleeos is not included. Table weee holds every waste category × operation × unit "
        "× geo × year with a value; ':' (not available) gives no row. Flags are kept: d = "
        "definition differs, s = Eurostat estimate, e = estimated. Eurostat's EL and UK are GRC "
        "and GBR; the aggregates EU27_2020 and EU28 keep country_iso3 NULL. country_indicators "
        "weee_<operation>_<unit> are the waste = TOTAL rows of countries. TRT_NEU (treated "
        "outside the EU) covers documented legal shipments only, not illegal exports."
    ),
    order=210,
    ui_sections=("ewaste.weee",),
)

KEY_HEADER = "waste,wst_oper,unit,geo\\time"
# Eurostat geo codes that differ from ISO 3166 alpha-2 (Eurostat's own convention).
EUROSTAT_GEO = {"EL": "GRC", "UK": "GBR"}
AGGREGATES = re.compile(r"^(EU|EA|EEA|EFTA)\d*(_\d{4})?$")
MIN_YEAR, MAX_YEAR = 1990, 2100  # a year header outside this is a shifted or damaged header
CELL = re.compile(r"^(?::|(-?\d+(?:\.\d+)?))(?:\s+([a-z]+))?$")


@functools.lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    data = _converter().data  # riskatlas.countries' converter, loaded once per process
    return dict(zip(data["ISO2"], data["ISO3"], strict=True))


def geo_to_iso3(geo: str) -> str | None:
    """ISO3 for a Eurostat geo code; None for EU aggregates or unknown codes."""
    if geo in EUROSTAT_GEO:
        return EUROSTAT_GEO[geo]
    if AGGREGATES.match(geo):
        return None
    return _iso2_to_iso3().get(geo) or to_iso3(geo)


def load(raw_dir: Path) -> AdapterResult:
    """The TSV reshaped long (table weee) and its waste = TOTAL country rows as indicators."""
    path = SOURCE.path(raw_dir, FILE)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(f"{SOURCE.source_id}: cannot decode {path} as UTF-8: {e}") from e
    # read_text already turned \r\n and \r into \n; str.splitlines() would also split a line at
    # \x0b, \x1c, \x85 or \u2028 inside a cell, turning one row into two.
    lines = text.split("\n")
    if not text:
        raise SourceError(f"{SOURCE.source_id}: {path} is empty")
    header = lines[0].split("\t")
    if header[0].strip() != KEY_HEADER or len(header) < 2:
        raise SourceError(
            f"{SOURCE.source_id}: {path} first column is {header[0]!r}, expected {KEY_HEADER!r}"
        )
    try:
        years = [int(h.strip()) for h in header[1:]]
    except ValueError as e:
        raise SourceError(f"{SOURCE.source_id}: {path} year headers are not years: {e}") from e
    if not all(MIN_YEAR <= y <= MAX_YEAR for y in years):
        raise SourceError(
            f"{SOURCE.source_id}: {path} year headers {years} are outside {MIN_YEAR}-{MAX_YEAR}"
        )
    data = [line for line in lines[1:] if line.strip()]
    result = AdapterResult(source=SOURCE, rows_in=len(data))
    result.file_hashes[FILE] = sha256_file(path)

    rows = []
    for line in data:
        rows.extend(_row(line, years, result))
    weee = pd.DataFrame(
        rows,
        columns=["country_iso3", "geo", "waste", "operation", "unit", "year", "value", "flag"],
    ).sort_values(["geo", "waste", "operation", "unit", "year"])
    weee = weee.reset_index(drop=True)
    result.tables["weee"] = weee

    total = weee[(weee["waste"] == "TOTAL") & weee["country_iso3"].notna()]
    ind = pd.DataFrame(
        {
            "country_iso3": total["country_iso3"],
            "indicator": "weee_" + total["operation"] + "_" + total["unit"],
            "year": total["year"],
            "value": total["value"],
            "source_ref": "TOTAL," + total["operation"] + "," + total["unit"] + "," + total["geo"],
            "flag": total["flag"],
        }
    )
    result.tables["country_indicators"] = ind.sort_values(["source_ref", "year"]).reset_index(
        drop=True
    )
    return result


def _row(line: str, years: list[int], result: AdapterResult) -> list[dict]:
    """Long rows for one TSV line, or [] after rejecting the line with the reason."""
    cells = line.split("\t")
    key = cells[0].strip()
    parts = key.split(",")
    if len(parts) != 4 or not all(parts):
        result.reject(key, "key is not waste,wst_oper,unit,geo", line)
        return []
    if len(cells) != len(years) + 1:
        result.reject(key, f"{len(cells) - 1} year cells, expected {len(years)}", line)
        return []
    waste, operation, unit, geo = parts
    iso3 = geo_to_iso3(geo)
    if iso3 is None and not AGGREGATES.match(geo):
        result.reject(key, f"geo code not recognised: {geo!r}", line)
        return []
    out = []
    for year, cell in zip(years, cells[1:], strict=True):
        m = CELL.match(cell.strip())
        if m is None:
            result.reject(key, f"cell for {year} is not a value or ':' : {cell!r}", line)
            return []
        number, flag = m.groups()
        if number is None:
            continue  # ':' = not available (a flag on a missing value says nothing more)
        if not math.isfinite(float(number)):
            result.reject(key, f"cell for {year} is too large to be a number: {cell[:40]!r}", line)
            return []
        out.append(
            {
                "country_iso3": iso3,
                "geo": geo,
                "waste": waste,
                "operation": operation,
                "unit": unit,
                "year": year,
                "value": float(number),
                "flag": flag,
            }
        )
    return out
