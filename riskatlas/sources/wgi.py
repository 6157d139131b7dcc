"""World Bank Worldwide Governance Indicators 1996-2023: estimate and percentile rank per country."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from riskatlas.countries import _converter, to_iso3
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    check_unique_columns,
    read_csv,
    rows_frame,
    sha256_file,
)

FILE = "wgidataset.csv"
SOURCE = SourceInfo(
    source_id="world_bank_wgi",
    title="Worldwide Governance Indicators, 2024 update (data 1996-2023)",
    publisher="World Bank (Kaufmann & Kraay)",
    url="https://www.worldbank.org/en/publication/worldwide-governance-indicators",
    licence="CC BY 4.0",
    data_date="2024 update; data years 1996-2023",
    folder="world_bank_wgi",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/lmorgans/WGIdata/"
        "05f52f816a6c09473096edbf657aa310d5c30507/wgidataset.csv"
    },
    notes=(
        "wgi_<ind> = estimate (about -2.5 weak to +2.5 strong); wgi_<ind>_pctrank = percentile "
        "rank 0-100 among all economies. ind: va voice & accountability, pv political stability, "
        "ge government effectiveness, rq regulatory quality, rl rule of law, cc control of "
        "corruption. World Bank codes ADO, ROM, ZAR, TMP, KSV, WBG are mapped to AND, ROU, COD, "
        "TLS, XKX, PSE. '..' (no estimate) gives no row. Netherlands Antilles (ANT, former) has "
        "no ISO3: rejected."
    ),
    order=190,
)

REQUIRED = ("code", "countryname", "year", "indicator", "estimate", "pctrank")
INDICATORS = ("va", "pv", "ge", "rq", "rl", "cc")
MISSING = {"", ".."}


@functools.lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(_converter().data["ISO3"])  # riskatlas.countries' converter, loaded once


def _iso3(code: str) -> str | None:
    """The code itself when it is already ISO3 (fast path), else countries.to_iso3 (ZAR -> COD)."""
    return code if code in _iso_codes() else to_iso3(code)


def load(raw_dir: Path) -> AdapterResult:
    """Two indicator rows (estimate, percentile rank) per economy, indicator and year with data."""
    path = SOURCE.path(raw_dir, FILE)
    header, raw_rows = read_csv(path, SOURCE.source_id)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"{SOURCE.source_id}: {path} lacks the columns {missing}")
    check_unique_columns(header, (*REQUIRED, "codeindyr"), SOURCE.source_id, path)
    result = AdapterResult(source=SOURCE, rows_in=len(raw_rows))
    result.file_hashes[FILE] = sha256_file(path)
    df = rows_frame(header, raw_rows, result)

    df["iso3"] = df["code"].map({c: _iso3(c) for c in df["code"].unique()})
    df["year_n"] = pd.to_numeric(df["year"], errors="coerce")
    est = df["estimate"].str.strip()
    pct = df["pctrank"].str.strip()
    # Infinite values ("inf", "1e999") are no estimate either: read as NaN, they are rejected.
    df["est_n"] = _finite(pd.to_numeric(est.where(~est.isin(MISSING)), errors="coerce"))
    df["pct_n"] = _finite(pd.to_numeric(pct.where(~pct.isin(MISSING)), errors="coerce"))
    bad_number = (df["est_n"].isna() & ~est.isin(MISSING)) | (
        df["pct_n"].isna() & ~pct.isin(MISSING)
    )
    has_data = df["est_n"].notna() | df["pct_n"].notna()

    reasons = pd.Series(None, index=df.index, dtype=object)
    reasons[bad_number] = "estimate or pctrank is not a number"
    reasons[reasons.isna() & ~df["indicator"].isin(INDICATORS)] = "unknown indicator code"
    not_year = df["year_n"].isna() | (df["year_n"] % 1 != 0) | ~df["year_n"].between(1990, 2100)
    reasons[reasons.isna() & not_year] = "year is not a year"
    # Rows without any estimate are "no data" as published: they produce no row and no reject.
    reasons[reasons.isna() & df["iso3"].isna() & has_data] = "economy code has no ISO3 equivalent"
    for i in np.flatnonzero(reasons.notna().to_numpy()):
        row = df.iloc[i]
        result.reject(
            row["codeindyr"] if "codeindyr" in df else row["code"],
            reasons.iloc[i],
            row[list(REQUIRED)],
        )

    ok = df[reasons.isna() & df["iso3"].notna()]
    ref = ok["codeindyr"] if "codeindyr" in ok else ok["code"] + ok["indicator"] + ok["year"]
    parts = []
    for value_col, suffix in (("est_n", ""), ("pct_n", "_pctrank")):
        part = ok[ok[value_col].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "country_iso3": part["iso3"],
                    "indicator": "wgi_" + part["indicator"] + suffix,
                    "year": part["year_n"].astype(int),
                    "value": part[value_col].astype(float),
                    "source_ref": ref.loc[part.index],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    result.tables["country_indicators"] = out.sort_values(["source_ref", "indicator"]).reset_index(
        drop=True
    )
    return result


def _finite(s: pd.Series) -> pd.Series:
    return s.where(np.isfinite(s.astype(float)))
