"""USGS-style point list of 997 mineral deposits in Africa: one record per deposit (gid)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise, normalise_many
from riskatlas.sources.base import (
    AdapterResult,
    SourceInfo,
    clean_text,
    read_csv,
    records_frame,
    sha256_file,
    valid_coordinate,
)

DATA_FILE = "usgs_africa_mineral_deposits.csv"

SOURCE = SourceInfo(
    source_id="usgs_africa",
    title="Mineral deposits of Africa (USGS-style point list, 997 deposits)",
    publisher="U.S. Geological Survey (attributed; exact product and version unconfirmed)",
    url="https://mrdata.usgs.gov/major-deposits/",
    licence="none stated in the copy; USGS data are normally US public domain",
    data_date="unknown (copy of 2022-06-07)",
    folder="usgs_africa_mineral_deposits",
    files=(DATA_FILE,),
    # The mirror is a CSV conversion of usgs_Mineral_deposits.xlsx from the GitHub repository
    # AndreaVisma/Green_conflict_minerals; no publisher address serves this file.
    fetch_urls={},
    notes=(
        "Copied from github.com/AndreaVisma/Green_conflict_minerals "
        "(Data_sources/usgs_Mineral_deposits.xlsx @ cbb39801), labelled 'usgs' there; the USGS "
        "product and vintage could not be confirmed. Lists deposits, not operating mines: no "
        "operator, status or production. commodity_group is an unlabelled column of the source."
    ),
    order=60,
    priority=2,
    site_ids="prefixed",
    site_prefix="usgsafr:",
    match_role="target",
)

REQUIRED_COLUMNS = (
    "gid", "dep_name", "country", "state", "latitude", "longitude", "commodity", "dep_type",
    "unnamed_col15_commodity_group",
)  # fmt: skip
STATUS_NOTE = "USGS deposit record; development status not given"


def load(raw_dir: Path) -> AdapterResult:
    """Read every deposit, reject the unusable ones, and return one candidate site per gid."""
    path = SOURCE.path(raw_dir, DATA_FILE)
    header, rows = _read_csv(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[DATA_FILE] = sha256_file(path)

    records: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(rows, start=1):
        rec = _record(header, row, n, result)
        if rec is None:
            continue
        if rec["source_ref"] in records:
            result.reject(rec["source_ref"], "duplicate gid", dict(zip(header, row, strict=False)))
            continue
        records[rec["source_ref"]] = rec
    result.tables["records"] = records_frame([records[k] for k in sorted(records)])
    return result


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and raw rows; a file that is not this source's CSV is a SourceError."""
    return read_csv(path, SOURCE.source_id, REQUIRED_COLUMNS, "USGS Africa deposits list")


def _record(
    header: list[str], row: list[str], n: int, result: AdapterResult
) -> dict[str, Any] | None:
    """One candidate site from a row, or None after rejecting it with the reason."""
    raw = dict(zip(header, row, strict=False))
    v = {c: clean_text(raw.get(c)) for c in REQUIRED_COLUMNS}
    ref = v["gid"] or f"row {n}"
    if len(row) != len(header):
        result.reject(ref, f"row has {len(row)} fields, header has {len(header)}", raw)
        return None
    if not v["gid"]:
        result.reject(ref, "no gid (deposit id)", raw)
        return None
    if v["latitude"] is None and v["longitude"] is None:
        lat = lon = None
    else:
        problem = valid_coordinate(v["latitude"], v["longitude"])
        if problem:
            result.reject(ref, problem, raw)
            return None
        lat, lon = float(v["latitude"]), float(v["longitude"])
    group = v["unnamed_col15_commodity_group"]
    return {
        "source_ref": v["gid"],
        "name": v["dep_name"] or f"Unnamed deposit (gid {v['gid']})",
        "tier": "mine",
        "lat": lat,
        "lon": lon,
        "geo_precision": "exact" if lat is not None else None,
        "country_iso3": to_iso3(v["country"]),
        "country_raw": v["country"],
        "province": v["state"],
        "minerals": normalise_many(commodity_names(v["commodity"]) + commodity_names(group)),
        "rmi_id": None,
        "geo_note": None if lat is not None else "USGS Africa: no coordinates in the source",
        "dep_type": v["dep_type"],
        "commodities_raw": v["commodity"],
        "commodity_group": group,
        "status_note": STATUS_NOTE,
    }


def commodity_names(cell: str | None) -> list[str]:
    """Names in a commodity cell, reading 'Gem (tourmaline, garnet)', 'Lead-Zinc' and stray ')'.

    >>> commodity_names("Tin, Gold), Gem (tourmaline, garnet), Lead-Zinc")
    ['Tin', 'Gold', 'tourmaline', 'garnet', 'Lead', 'Zinc']
    """
    out: list[str] = []
    for token in _split_top_level(cell or ""):
        token = token.strip()
        bare = re.sub(r"[()]", "", token).strip()
        bracketed = re.fullmatch(r"[^(]*\((.*?)\)?", token)
        if not token:
            continue
        if normalise(token):
            out.append(token)
        elif normalise(bare):  # a stray bracket: "Gold)"
            out.append(bare)
        elif bracketed:  # a class with its members: "Gem (tourmaline, garnet)"
            out += [p.strip() for p in bracketed.group(1).split(",") if p.strip()]
        elif "-" in token:  # commodity groups such as "Lead-Zinc"
            out += [p.strip() for p in token.split("-") if p.strip()]
        else:
            out.append(token)
    return out


def _split_top_level(cell: str) -> list[str]:
    """Split on commas outside brackets; an unmatched ')' does not open a bracket."""
    parts, depth, buf = [], 0, []
    for ch in cell:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts
