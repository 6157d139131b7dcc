"""World Bank What a Waste 2.0: e-waste and municipal waste generation and treatment per country."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pandas as pd

from riskatlas.countries import _converter, to_iso3
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    check_unique_columns,
    clean_text,
    number,
    read_csv,
    rows_frame,
    sha256_file,
)

FILE = "country_level_data_0.csv"
YEAR = 2016  # nominal year of the database; each country's reference year (2011-2017) is not in the file
SOURCE = SourceInfo(
    source_id="world_bank_what_a_waste",
    title="What a Waste 2.0: country-level database",
    publisher="World Bank (Kaza et al., What a Waste 2.0, 2018)",
    url="https://datacatalog.worldbank.org/search/dataset/0039597",
    licence="CC BY 4.0",
    data_date="Nominal 2016; reference years vary 2011-2017 by country",
    folder="world_bank_what_a_waste",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/SwastikMo/plastic_waste_revenue/"
        "a47390befeea38fbb77843d829692e6631d27bcd/country_level_data_0.csv"
    },
    notes=(
        "year = 2016 for every row: the database's nominal year; each country's own reference "
        "year (2011-2017) is not in this file. waw_ewaste_tons = e-waste generated, t/year (182 "
        "countries; round figures, likely estimates). waw_ewaste_kg_per_capita is computed by us: "
        "tons x 1000 / the file's population. waw_landfill_pct sums controlled, unspecified and "
        "sanitary landfill shares (those reported). waw_msw_tons = municipal solid waste "
        "generated. Blank cells give no row. Channel Islands (CHI) has no single ISO3: rejected."
    ),
    order=200,
    ui_sections=("ewaste.generated",),
)

COLUMNS = {
    "special_waste_e_waste_tons_year": "waw_ewaste_tons",
    "waste_treatment_open_dump_percent": "waw_open_dump_pct",
    "waste_treatment_recycling_percent": "waw_recycling_pct",
    "total_msw_total_msw_generated_tons_year": "waw_msw_tons",
}
LANDFILL = (
    "waste_treatment_controlled_landfill_percent",
    "waste_treatment_landfill_unspecified_percent",
    "waste_treatment_sanitary_landfill_landfill_gas_system_percent",
)
POPULATION = "population_population_number_of_people"
REQUIRED = ("iso3c", "country_name", POPULATION, *COLUMNS, *LANDFILL)
PERCENT = {"waw_open_dump_pct", "waw_recycling_pct", "waw_landfill_pct"}


@functools.lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(_converter().data["ISO3"])  # riskatlas.countries' converter, loaded once


def load(raw_dir: Path) -> AdapterResult:
    """Waste indicators per country; a blank cell gives no row (not reported, not zero)."""
    path = SOURCE.path(raw_dir, FILE)
    header, raw_rows = read_csv(path, SOURCE.source_id)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"{SOURCE.source_id}: {path} lacks the columns {missing}")
    check_unique_columns(header, REQUIRED, SOURCE.source_id, path)
    result = AdapterResult(source=SOURCE, rows_in=len(raw_rows))
    result.file_hashes[FILE] = sha256_file(path)
    df = rows_frame(header, raw_rows, result)

    out, seen = [], set()
    for row in df.to_dict("records"):
        code = clean_text(row["iso3c"])
        ref = code or clean_text(row["country_name"]) or "?"
        iso3 = code if code in _iso_codes() else to_iso3(code) or to_iso3(row["country_name"])
        if iso3 is None:
            result.reject(ref, f"no ISO3 code for {row['country_name']!r} ({code})", row)
            continue
        if iso3 in seen:
            result.reject(ref, f"second row for {iso3}", row)
            continue
        try:
            values = _values(row)
        except ValueError as e:
            result.reject(ref, str(e), row)
            continue
        seen.add(iso3)
        for indicator, (value, flag) in values.items():
            out.append(
                {
                    "country_iso3": iso3,
                    "indicator": indicator,
                    "year": YEAR,
                    "value": value,
                    "source_ref": ref,
                    "flag": flag,
                }
            )
    ind = pd.DataFrame(
        out, columns=["country_iso3", "indicator", "year", "value", "source_ref", "flag"]
    )
    result.tables["country_indicators"] = ind.sort_values(["source_ref", "indicator"]).reset_index(
        drop=True
    )
    return result


def _values(row: dict[str, str]) -> dict[str, tuple[float, str | None]]:
    """Reported values of one country; raises ValueError on a malformed or impossible number."""
    out: dict[str, tuple[float, str | None]] = {}
    for col, indicator in COLUMNS.items():
        v = number(row[col], col)
        if v is not None:
            out[indicator] = (v, None)
    shares = [v for v in (number(row[c], c) for c in LANDFILL) if v is not None]
    if shares:
        out["waw_landfill_pct"] = (sum(shares), "sum of reported landfill shares")
    for indicator, (v, _) in out.items():
        if v < 0 or (indicator in PERCENT and v > 100.5):
            raise ValueError(f"{indicator} out of range: {v}")
    population = number(row[POPULATION], POPULATION)
    if "waw_ewaste_tons" in out and population:
        kg = out["waw_ewaste_tons"][0] * 1000 / population
        if population < 0 or not math.isfinite(kg):
            raise ValueError(f"{POPULATION} is not a population: {row[POPULATION]!r}")
        out["waw_ewaste_kg_per_capita"] = (kg, "computed: e-waste tons x 1000 / population")
    return out
