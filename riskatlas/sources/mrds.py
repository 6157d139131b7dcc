"""MinMod extract of USGS MRDS and other databases (Co, Li, Ni, Ta, Nb, W, REE), one record per site."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import Any

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise
from riskatlas.sources.base import (
    AdapterResult,
    SourceInfo,
    read_csv,
    records_frame,
    sha256_file,
    valid_coordinate,
)

DATA_FILE = "minmod_mineral_sites_co_li_ni_ta_nb_w_ree_2024.csv"

SOURCE = SourceInfo(
    source_id="minmod_mrds",
    title=(
        "Mineral sites for cobalt, lithium, nickel, tantalum, niobium, tungsten and rare earths "
        "(USGS MRDS and other databases, via the MinMod knowledge graph, 2024 extract)"
    ),
    publisher=(
        "U.S. Geological Survey (MRDS and other datasets), aggregated by the DARPA CriticalMAAS "
        "MinMod knowledge graph (USC ISI, https://minmod.isi.edu); extract by the University of "
        "Minnesota TA2 team"
    ),
    url="https://mrdata.usgs.gov/mrds/",
    licence=(
        "USGS data: US public domain; extract repository MIT (DARPA-CRITICALMAAS); journal and "
        "NI 43-101 sources keep their own terms"
    ),
    data_date="2024-08-30",
    folder="usgs_mrds",
    files=(DATA_FILE,),
    # The file joins 20 per-commodity CSVs of the extract repository: no single address serves it.
    fetch_urls={},
    notes=(
        "Not the full MRDS: a commodity-filtered MinMod extract (no copper, tin, gold, mica, "
        "graphite). One record per MinMod site URI; rows of the same site under several query "
        "commodities are merged. No development status: most records are prospects or "
        "occurrences, many historic, never to be shown as active mines. deposit_type holds "
        "MinMod's model-assigned candidate labels, not facts. About two thirds of the located "
        "rows are in the United States. NAD27 coordinates are kept as published (<~100 m off). "
        "Extract: github.com/DARPA-CRITICALMAAS/umn-ta2-mineral-site-linkage @ 91b8486c (2024-08-30)."
    ),
    order=50,
    priority=3,
    site_ids="prefixed",
    site_prefix="minmod:",
    match_role="target",
)

REQUIRED_COLUMNS = (
    "query_commodity", "site_name", "other_names", "country", "state_or_province", "lat", "lon",
    "crs", "commodity", "deposit_type", "source_id", "record_id", "ms_uri",
)  # fmt: skip
MRDS_DB = "https://mrdata.usgs.gov/mrds"
MRDS_RECORD_URL = "https://mrdata.usgs.gov/mrds/show-mrds.php?dep_id={}"
MS_URI_PREFIX = "https://minmod.isi.edu/resource/"
NAD27 = "EPSG:4267"
# Every row of this USGS Alaska data release says state Alaska but prints west longitudes without
# their minus sign (the Independence mine, 61.79 N 149.28 W, appears as 149.2962): negated.
UNSIGNED_WEST_DB = "https://doi.org/10.5066/P96MMRFD"
MRDS_STATUS_NOTE = "MRDS occurrence/prospect; development status not given"
OTHER_STATUS_NOTE = "mineral site record; development status not given"

# MinMod prints a site's alternative names as Python list literals: "['A, B deposit'],A".
_QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_LIST_LITERAL = re.compile(rf"\[\s*{_QUOTED}(?:\s*,\s*{_QUOTED})*\s*\]")
# ... and joins alternative names with a bare comma ("Gamble Mine,Gamble"); ", " is part of a name.
_NAME_JOIN = re.compile(r",(?!\s)")
_NO_NAME = re.compile(r"^no alternat\w* names?\.?$", re.IGNORECASE)


def load(raw_dir: Path) -> AdapterResult:
    """Read every row, reject the unusable ones, and merge the rest into one record per site URI."""
    path = SOURCE.path(raw_dir, DATA_FILE)
    header, rows = _read_csv(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[DATA_FILE] = sha256_file(path)

    by_site: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(rows, start=1):
        parsed = _parse_row(header, row, n, result)
        if parsed is not None:
            by_site.setdefault(parsed["ms_uri"], []).append(parsed)

    records: dict[str, dict[str, Any]] = {}
    for site_rows in by_site.values():
        rec = _site_record(site_rows)
        if rec["source_ref"] in records:  # two URIs claiming one MRDS dep_id: fall back to the URI
            rec["source_ref"] = _uri_key(rec["ms_uri"])
        records[rec["source_ref"]] = rec
    result.tables["records"] = records_frame([records[k] for k in sorted(records)])
    return result


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and raw rows; a file that is not this source's CSV is a SourceError."""
    return read_csv(path, SOURCE.source_id, REQUIRED_COLUMNS, "MinMod mineral-site extract")


def _parse_row(
    header: list[str], row: list[str], n: int, result: AdapterResult
) -> dict[str, Any] | None:
    """A cleaned row with its coordinate checked, or None after rejecting it with the reason."""
    raw = dict(zip(header, row, strict=False))
    v = {c: _text(raw.get(c)) for c in REQUIRED_COLUMNS}
    ref = _row_key(v) if v["ms_uri"] else f"row {n}"
    if len(row) != len(header):
        result.reject(ref, f"row has {len(row)} fields, header has {len(header)}", raw)
        return None
    if not v["ms_uri"]:
        result.reject(ref, "no ms_uri (MinMod site id)", raw)
        return None
    if v["lat"] is None and v["lon"] is None:
        v["coords"], v["coord_note"] = None, None
    elif v["lat"] is None or v["lon"] is None:
        result.reject(ref, f"only one coordinate given (lat={v['lat']}, lon={v['lon']})", raw)
        return None
    else:
        problem = valid_coordinate(v["lat"], v["lon"])
        if problem:
            result.reject(ref, problem, raw)
            return None
        v["coords"], v["coord_note"] = _signed(v, float(v["lat"]), float(v["lon"]))
    return v


def _signed(v: dict[str, Any], lat: float, lon: float) -> tuple[tuple[float, float], str | None]:
    """The coordinate with the one documented sign slip undone; other doubts are noted, not fixed."""
    if v["source_id"] == UNSIGNED_WEST_DB and v["state_or_province"] == "Alaska" and lon > 0:
        return (lat, -lon), (
            f"MinMod: longitude published as {lon} without its minus sign (every Alaska row of "
            f"{UNSIGNED_WEST_DB} is printed so); read as {-lon}"
        )
    if v["country"] == "United States" and lon > 0:
        return (lat, lon), (
            f"MinMod: east longitude {lon} for a site in the United States: probably a dropped "
            "minus sign; kept as published"
        )
    return (lat, lon), None


def _row_key(v: dict[str, Any]) -> str:
    """The record key: the MRDS dep_id for MRDS rows, else the MinMod site URI without its prefix."""
    if v["source_id"] == MRDS_DB and v["record_id"]:
        return v["record_id"]
    return _uri_key(v["ms_uri"])


def _uri_key(ms_uri: str) -> str:
    return ms_uri.removeprefix(MS_URI_PREFIX)


def _site_record(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One site from its rows (one per query commodity): first values, minerals from all rows."""
    first = rows[0]
    located = [r for r in rows if r["coords"] is not None]
    lat, lon = located[0]["coords"] if located else (None, None)
    crs = located[0]["crs"] if located else None
    is_mrds = first["source_id"] == MRDS_DB
    name, alt_names = _site_name(_first(rows, "site_name"))
    commodities = []
    for r in rows:
        for c in (r["commodity"] or "").split(","):
            if c.strip() and c.strip() not in commodities:
                commodities.append(c.strip())
    country = _first(rows, "country")
    return {
        "source_ref": _row_key(first),
        "name": name or _unnamed(first),
        "tier": "mine",
        "lat": lat,
        "lon": lon,
        "geo_precision": "exact" if located else None,
        "country_iso3": to_iso3(country),
        "country_raw": country,
        "province": _first(rows, "state_or_province"),
        "minerals": list(dict.fromkeys(m for c in commodities for m in _minerals_of(c))),
        "rmi_id": None,
        "geo_note": _geo_note(rows, located, crs),
        "alt_names": "; ".join(alt_names) or None,
        "other_names": _first(rows, "other_names"),
        "site_name_raw": _first(rows, "site_name"),
        "ms_uri": first["ms_uri"],
        "record_id": first["record_id"],
        "record_url": MRDS_RECORD_URL.format(first["record_id"]) if is_mrds else None,
        "source_db": first["source_id"],
        "crs": crs,
        "deposit_type": _first(rows, "deposit_type"),
        "query_commodities": ", ".join(sorted({r["query_commodity"] for r in rows} - {None})),
        "commodities_raw": ", ".join(commodities) or None,
        "status_note": MRDS_STATUS_NOTE if is_mrds else OTHER_STATUS_NOTE,
        "n_rows": len(rows),
    }


def _geo_note(
    rows: list[dict[str, Any]], located: list[dict[str, Any]], crs: str | None
) -> str | None:
    """Why a location is approximate, missing or ambiguous, in words a reader can check."""
    notes = []
    if not located:
        notes.append("MinMod: no coordinates in the source; to be placed at province/country level")
    elif crs == NAD27:
        notes.append(
            "MinMod: coordinates in NAD27 (EPSG:4267) as published, not shifted to WGS84 "
            "(differs by up to ~100 m)"
        )
    elif crs is None:
        notes.append("MinMod: coordinate reference system not stated; read as WGS84")
    if located and located[0]["coord_note"]:
        notes.append(located[0]["coord_note"])
    distinct = list(dict.fromkeys(r["coords"] for r in located))
    if len(distinct) > 1:
        others = "; ".join(f"{a}, {b}" for a, b in distinct[1:])
        notes.append(
            f"MinMod: the {len(rows)} rows of this site give {len(distinct)} different "
            f"coordinates; the first is used (others: {others})"
        )
    return " | ".join(notes) or None


def _site_name(raw: str | None) -> tuple[str | None, list[str]]:
    """The main name and the alternatives MinMod packed into site_name ("['A'],A,B" -> A, [B])."""
    if not raw:
        return None, []
    names: list[str] = []
    for piece in _LIST_LITERAL.split(raw):
        names += [p.strip() for p in _NAME_JOIN.split(piece) if p.strip(" ,")]
    for m in _LIST_LITERAL.finditer(raw):
        names += [str(n).strip() for n in ast.literal_eval(m.group(0))]
    names = [n.strip(" ,") for n in names if not _NO_NAME.match(n.strip(" ,"))]
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return None, []
    # A variant with a replacement character (mis-decoded accent) is a poorer spelling.
    main = next((n for n in names if "\ufffd" not in n), names[0])
    return main, [n for n in names if n != main]


def _unnamed(v: dict[str, Any]) -> str:
    db = (v["source_id"] or "unknown source").removeprefix("https://").removeprefix("http://")
    return f"Unnamed site ({db} record {v['record_id'] or _uri_key(v['ms_uri'])})"


@functools.lru_cache(maxsize=4096)
def _minerals_of(commodity: str) -> tuple[str, ...]:
    """Normalised minerals of one commodity name (a few hundred distinct names, 88k uses)."""
    return tuple(normalise(commodity))


def _text(v: str | None) -> str | None:
    """A CSV cell with whitespace collapsed; empty becomes None (clean_text without the pandas check)."""
    return (" ".join(v.split()) or None) if v is not None else None


def _first(rows: list[dict[str, Any]], col: str) -> str | None:
    return next((r[col] for r in rows if r[col]), None)
