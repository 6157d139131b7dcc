"""Freedom House, Freedom in the World 2013-2024: labour-relevant sub-scores per country and edition."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas.countries import to_iso3
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    blank_row,
    clean_text,
    read_workbook,
    sha256_file,
    xlsx_sheet,
)

FILE = "All_data_FIW_2013-2024.xlsx"
SHEET = "FIW13-24"
SOURCE = SourceInfo(
    source_id="freedom_house_fiw",
    title="Freedom in the World 2013-2024: all sub-scores",
    publisher="Freedom House",
    url="https://freedomhouse.org/report/freedom-world#Data",
    licence="Free to use with attribution ('Freedom House, Freedom in the World 2024')",
    data_date="Editions 2013-2024 (edition 2024 covers events of 2023)",
    folder="freedom_house_fiw_2013_2024",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/pachadotdev/freedomhouse/"
        "6f484848146f7d05bc94611d71387f3441ac1c6d/dev/All_data_FIW_2013-2024.xlsx"
    },
    notes=(
        "year = edition. fh_E3 (freedom for trade unions and labour organisations, 0-4) and "
        "fh_G4 (equality of opportunity and freedom from economic exploitation, 0-4); fh_PR "
        "(0-40), fh_CL (0-60), fh_total (0-100); higher is freer. Territories with their own "
        "ISO3 (Hong Kong, Puerto Rico, Western Sahara) are kept, flag = 'territory'. Territories "
        "without one (Abkhazia, Crimea, Tibet, Transnistria ...), parts of a scored country "
        "(Indian Kashmir, Northern Cyprus, Somaliland ...) and West Bank / Gaza Strip (two "
        "scores for PSE) are rejected with the reason."
    ),
    order=180,
)

INDICATORS = {"E3": "fh_E3", "G4": "fh_G4", "PR": "fh_PR", "CL": "fh_CL", "Total": "fh_total"}
MIN_EDITION, MAX_EDITION = 1973, 2100  # Freedom in the World began in 1973
REQUIRED = ("Country/Territory", "C/T", "Edition", *INDICATORS)


def load(raw_dir: Path) -> AdapterResult:
    """Five indicators per country (or ISO-coded territory) and edition."""
    path = SOURCE.path(raw_dir, FILE)
    rows = _read(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[FILE] = sha256_file(path)

    groups: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        parsed = _parse(row, result)
        if parsed is not None:
            groups[(parsed["iso3"], parsed["edition"])].append(parsed)

    out = []
    for (iso3, edition), members in sorted(groups.items()):
        for keep in _choose(iso3, members, result):
            flag = "territory" if keep["kind"] == "t" else None
            for col, indicator in INDICATORS.items():
                out.append(
                    {
                        "country_iso3": iso3,
                        "indicator": indicator,
                        "year": edition,
                        "value": keep["values"][col],
                        "source_ref": keep["ref"],
                        "flag": flag,
                    }
                )
    df = pd.DataFrame(
        out, columns=["country_iso3", "indicator", "year", "value", "source_ref", "flag"]
    )
    result.tables["country_indicators"] = df.sort_values(["source_ref", "indicator"]).reset_index(
        drop=True
    )
    return result


def _read(path: Path) -> list[dict[str, Any]]:
    """Rows of the FIW13-24 sheet (header on row 2); another or a damaged workbook is a SourceError."""
    return read_workbook(_sheet_rows, path, SOURCE.source_id)


def _sheet_rows(path: Path) -> list[dict[str, Any]]:
    with xlsx_sheet(path, SHEET, SOURCE.source_id) as it:
        next(it, None)  # row 1: the title "Freedom in the World 2013-2024 Raw Data"
        header = [clean_text(h) for h in next(it, ())]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise SourceError(f"{SOURCE.source_id}: {path} sheet {SHEET} lacks columns {missing}")
        return [
            {h: v for h, v in zip(header, values, strict=False) if h}
            for values in it
            if not blank_row(values)
        ]


def _parse(row: dict[str, Any], result: AdapterResult) -> dict[str, Any] | None:
    name = clean_text(row.get("Country/Territory"))
    kind = (clean_text(row.get("C/T")) or "").lower()
    try:
        edition = int(row.get("Edition"))
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite float
        edition = None
    if edition is None or not MIN_EDITION <= edition <= MAX_EDITION:
        result.reject(f"{name} ?", f"edition is not a year: {row.get('Edition')!r}", row)
        return None
    ref = f"{name} {edition}"
    if not name or kind not in ("c", "t"):
        result.reject(ref, "no name or C/T is not c/t", row)
        return None
    iso3 = to_iso3(name)
    if iso3 is None:
        what = "territory" if kind == "t" else "country"
        result.reject(ref, f"{what} has no ISO3 code: {name!r}", row)
        return None
    values = {}
    for col in INDICATORS:
        v = row.get(col)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            result.reject(ref, f"{col} is not a number: {v!r}", row)
            return None
        values[col] = float(v)
    return {
        "iso3": iso3,
        "edition": edition,
        "kind": kind,
        "ref": ref,
        "values": values,
        "row": row,
    }


def _choose(iso3: str, members: list[dict[str, Any]], result: AdapterResult) -> list[dict]:
    """One scored row per ISO3 and edition: the country itself, else a lone territory."""
    countries = [m for m in members if m["kind"] == "c"]
    if len(countries) == 1:
        for m in members:
            if m["kind"] == "t":
                result.reject(
                    m["ref"], f"territory within {iso3}: the country's own score is used", m["row"]
                )
        return countries
    if len(members) == 1:
        return members
    names = " and ".join(sorted({m["ref"].rsplit(" ", 1)[0] for m in members}))
    for m in members:
        result.reject(m["ref"], f"{names} all map to {iso3}: no single score", m["row"])
    return []
