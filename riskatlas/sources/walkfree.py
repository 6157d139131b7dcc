"""Walk Free Global Slavery Index 2023: estimated prevalence of modern slavery per country."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from riskatlas.countries import to_iso3
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    number,
    read_csv,
    sha256_file,
)

FILE = "Global_Slavery_Index_2023_original.csv"
YEAR = 2023
SOURCE = SourceInfo(
    source_id="walkfree_gsi_2023",
    title="Global Slavery Index 2023: estimated prevalence of modern slavery by country",
    publisher="Walk Free (Minderoo Foundation)",
    url="https://www.walkfree.org/global-slavery-index/downloads/",
    licence="Free to use with attribution ('Walk Free, Global Slavery Index 2023')",
    data_date="GSI 2023 edition; national estimates for 2021",
    folder="walkfree_global_slavery_index_2023",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/jjenkins111/Dorbit/"
        "b05a015fb7b76918f57f51cfd65c22ba33540ae9/data/Global_Slavery_Index_2023.csv"
    },
    notes=(
        "180 countries; year = 2023 (edition), the estimates describe 2021. 20 small states have "
        "no prevalence estimate (no row, not zero). Modelled estimates, not comparable with the "
        "2016 and 2018 editions. This file is a third-party re-host of Walk Free's summary table; "
        "vulnerability and government-response scores are not in it. Kosovo is XKX."
    ),
    order=170,
)

HEADER = (
    "Country",
    "Population",
    "Region",
    "Estimated prevalence of modern slavery per 1,000 population",
    "Estimated number of people in modern slavery",
)
INDICATORS = {
    HEADER[3]: "gsi_prevalence_per_1000",
    HEADER[4]: "gsi_estimated_number",
}
MISSING = {"", "-", "–", "n/a"}


def load(raw_dir: Path) -> AdapterResult:
    """Prevalence and estimated number per country; a blank or '-' cell gives no row."""
    path = SOURCE.path(raw_dir, FILE)
    rows = _rows(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[FILE] = sha256_file(path)
    out, seen = [], set()
    for row in rows:
        name = clean_text(row.get("Country"))
        if "_error" in row:
            result.reject(name or "?", f"wrong number of fields (expected {len(HEADER)})", row)
            continue
        iso3 = to_iso3(name)
        if iso3 is None:
            result.reject(name or "?", f"country not recognised: {name!r}", row)
            continue
        if iso3 in seen:
            result.reject(name, f"second row for {iso3}", row)
            continue
        try:
            values = {
                ind: number(row.get(col), col, missing=MISSING) for col, ind in INDICATORS.items()
            }
        except ValueError as e:
            result.reject(name, str(e), row)
            continue
        seen.add(iso3)
        for indicator, value in values.items():
            if value is not None:
                out.append(
                    {
                        "country_iso3": iso3,
                        "indicator": indicator,
                        "year": YEAR,
                        "value": value,
                        "source_ref": name,
                    }
                )
    df = pd.DataFrame(out, columns=["country_iso3", "indicator", "year", "value", "source_ref"])
    result.tables["country_indicators"] = df.sort_values(["source_ref", "indicator"]).reset_index(
        drop=True
    )
    return result


def _rows(path: Path) -> list[dict[str, str]]:
    """Data rows keyed by the header (spaces normalised); another layout is a SourceError."""
    header, body = read_csv(path, SOURCE.source_id)
    header = [" ".join(h.split()) for h in header]
    if tuple(header) != HEADER:
        raise SourceError(f"{SOURCE.source_id}: {path} header is {header}, expected {list(HEADER)}")
    rows = []
    for values in body:
        if len(values) != len(header):  # a truncated or malformed line
            rows.append({"Country": values[0] if values else "", "_error": ",".join(values)})
            continue
        rows.append(dict(zip(header, values, strict=True)))
    return rows
