"""ICMM Global Mining Dataset: large mines, smelters and refineries, read from the original workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise_many
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    blank_row,
    clean_text,
    number,
    read_workbook,
    records_frame,
    sha256_file,
    valid_coordinate,
    xlsx_sheet,
)

WORKBOOK = "icmm_global_mining_dataset_2025_09.xlsx"
SHEET = "External"
# A copy of the workbook byte-identical to the mirror (sha256 c116c28a…); ICMM's own page serves
# it behind a form, so this pinned copy is the address `fetch` can actually download.
WORKBOOK_COPY_URL = (
    "https://raw.githubusercontent.com/tth4vb/global_mining_prototype/"
    "1b81b5898733659181ba13f2f91565df6a22db7a/global-mining-dataset.xlsx"
)

SOURCE = SourceInfo(
    source_id="icmm",
    title="ICMM Global Mining Dataset, September 2025 (V1): mines, smelters, refineries, plants",
    publisher="International Council on Mining and Metals (ICMM)",
    url="https://www.icmm.com/en-gb/research/social-performance/2025/global-mining-dataset",
    licence="CC BY 4.0 (implied by the workbook's About sheet); attribute ICMM",
    data_date="2025-09",
    folder="icmm_global_mining_dataset_2025",
    files=(WORKBOOK,),
    fetch_urls={WORKBOOK: WORKBOOK_COPY_URL},
    notes=(
        "Public version: 8,508 sites; 6,680 assets derived from S&P data were withheld. Large-scale "
        "operations only: artisanal and small-scale mining is under-represented. No operator, "
        "status or production. Clustered sites carry averaged coordinates. Smelters and "
        "refineries have no RMI CID. Tier is 'smelter_refiner' when the asset type includes "
        "Smelter or Refinery, else 'mine' (plants and steel plants included; see asset_type)."
    ),
    order=40,
    priority=1,
    match_role="target",
)

# Workbook header (whitespace stripped) -> our column name.
COLUMNS = {
    "ICMMID": "icmm_id",
    "Confidence Factor": "confidence",
    "Mine Name": "site_name",
    "Group Names": "group_names",
    "Latitude": "lat",
    "Longitude": "lon",
    "Asset Type": "asset_type",
    "Country": "country",
    "Primary Commodity": "primary_commodity",
    "Secondary Commodity": "secondary_commodity",
    "Other Commodities": "other_commodities",
}
COMMODITY_COLUMNS = ("primary_commodity", "secondary_commodity", "other_commodities")
SMELTER_ASSETS = {"smelter", "refinery"}


def load(raw_dir: Path) -> AdapterResult:
    """Read the External sheet and return one candidate site per ICMM id."""
    path = SOURCE.path(raw_dir, WORKBOOK)
    rows = _read_sheet(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[WORKBOOK] = sha256_file(path)

    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        rec = _record(row, result)
        if rec is None:
            continue
        if rec["source_ref"] in records:
            result.reject(rec["source_ref"], "duplicate ICMMID", row)
            continue
        records[rec["source_ref"]] = rec
    result.tables["records"] = records_frame([records[k] for k in sorted(records)])
    return result


def _read_sheet(path: Path) -> list[dict[str, Any]]:
    """Data rows of the External sheet keyed by our column names; a different workbook is a SourceError."""
    return read_workbook(_sheet_rows, path, SOURCE.source_id)


def _sheet_rows(path: Path) -> list[dict[str, Any]]:
    with xlsx_sheet(path, SHEET, SOURCE.source_id) as it:
        header = [clean_text(h) for h in next(it, ())]
        missing = [h for h in COLUMNS if h not in header]
        if missing:
            raise SourceError(
                f"{SOURCE.source_id}: {path} sheet {SHEET!r} lacks the columns {missing}; "
                "is it the ICMM Global Mining Dataset workbook?"
            )
        index = {COLUMNS[h]: header.index(h) for h in COLUMNS}
        return [
            {col: _cell(values, i) for col, i in index.items()}
            for values in it
            if not blank_row(values)
        ]


def _cell(values: tuple, i: int) -> Any:
    return values[i] if i < len(values) else None


def _record(row: dict[str, Any], result: AdapterResult) -> dict[str, Any] | None:
    """One candidate site from a row, or None after rejecting it with the reason."""
    ref = clean_text(row["icmm_id"])
    if not ref:
        result.reject("?", "no ICMMID", row)
        return None
    lat, lon, problem, geo_note = _coordinates(row["lat"], row["lon"])
    if problem:
        result.reject(ref, problem, row)
        return None
    asset_type = clean_text(row["asset_type"])
    assets = {a.strip().lower() for a in (asset_type or "").split(";")}
    group_names = clean_text(row["group_names"])
    cluster = [g for g in (group_names or "").split(";") if g.strip()]
    notes = [geo_note] if geo_note else []
    if len(cluster) > 1:
        notes.append(
            f"ICMM: cluster of {len(cluster)} source sites; the coordinates are their average"
        )
    commodities = [clean_text(row[c]) for c in COMMODITY_COLUMNS]
    country = clean_text(row["country"])
    return {
        "source_ref": ref,
        "name": clean_text(row["site_name"]) or ref,
        "tier": "smelter_refiner" if assets & SMELTER_ASSETS else "mine",
        "lat": lat,
        "lon": lon,
        "geo_precision": "exact" if lat is not None else None,
        "country_iso3": to_iso3(country),
        "country_raw": country,
        "minerals": _minerals(commodities),
        "rmi_id": None,
        "geo_note": " | ".join(notes) or None,
        "asset_type": asset_type,
        "confidence": clean_text(row["confidence"]),
        "group_names": group_names,
        "commodities_raw": "; ".join(c for c in commodities if c) or None,
    }


def _minerals(commodities: list[str | None]) -> list[str]:
    """Normalised minerals, primary first; typos as published ('bopper') are read via aliases."""
    names: list[str] = []
    for c in commodities:
        names += (c or "").split(";")
    return normalise_many(names)


def _coordinates(lat: Any, lon: Any) -> tuple[float | None, float | None, str | None, str | None]:
    """(lat, lon, reject reason, note): blank stays unlocated, text numbers are read, nonsense rejected."""
    blank = [n for n, v in (("latitude", lat), ("longitude", lon)) if clean_text(v) is None]
    if blank:
        return (
            None,
            None,
            None,
            (f"ICMM: no {' or '.join(blank)} in the workbook; to be placed at country level"),
        )
    la = number(lat, grouped=False, strict=False)
    lo = number(lon, grouped=False, strict=False)
    if la is None or lo is None:
        return None, None, f"coordinate is not a number (lat={lat!r}, lon={lon!r})", None
    problem = valid_coordinate(la, lo)
    if problem:
        return None, None, problem, None
    typed = [f"{n} {v!r}" for n, v in (("latitude", lat), ("longitude", lon)) if isinstance(v, str)]
    note = None
    if typed:
        note = f"ICMM: {' and '.join(typed)} typed as text in the workbook; read as a number"
    return la, lo, None, note
