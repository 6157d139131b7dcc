"""Walk Free Global Slavery Index 2023: estimated prevalence of modern slavery per country."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from riskatlas.countries import to_iso3
from riskatlas.sources.base import AdapterResult, SourceError, SourceInfo, clean_text, sha256_file

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
            values = {ind: _number(row.get(col)) for col, ind in INDICATORS.items()}
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
    """Data rows keyed by the stripped header; another layout is a SourceError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [" ".join(h.split()) for h in next(reader, [])]
        body = list(reader)
    except (UnicodeDecodeError, csv.Error) as e:
        raise SourceError(f"{SOURCE.source_id}: cannot parse {path}: {e}") from e
    if tuple(header) != HEADER:
        raise SourceError(f"{SOURCE.source_id}: {path} header is {header}, expected {list(HEADER)}")
    rows = []
    for values in body:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):  # a truncated or malformed line
            rows.append({"Country": values[0] if values else "", "_error": ",".join(values)})
            continue
        rows.append(dict(zip(header, values, strict=True)))
    return rows


def _number(v: str | None) -> float | None:
    """'  38,928,000 ' -> 38928000.0; '-' or blank -> None; anything else raises ValueError."""
    s = (v or "").strip()
    if s.lower() in MISSING:
        return None
    clean = re.sub(r"[,\s]", "", s)
    try:
        x = float(clean)
    except ValueError:
        raise ValueError(f"not a number: {v!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {v!r}")
    return x
