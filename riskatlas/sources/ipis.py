"""IPIS eastern-DRC artisanal mining visits: one record per site (pcode) and every visit's dated findings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

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

VISITS_FILE = "cod_mines_curated_all_opendata_p_ipis.csv"
WFS_URL = (
    "https://geo.ipisresearch.be/geoserver/public/ows?service=WFS&version=1.0.0"
    "&request=GetFeature&typeName=public:cod_mines_curated_all_opendata_p_ipis&outputFormat=csv"
)

SOURCE = SourceInfo(
    source_id="ipis",
    title="IPIS artisanal mining sites in eastern DR Congo (open data, all visits)",
    publisher="IPIS (International Peace Information Service), Antwerp",
    url="https://ipisresearch.be/home/conflict-mapping/maps/open-data/",
    licence="IPIS open data, attribution required ('Source: IPIS'); no licence file in the copy used",
    data_date="2023-06-21",
    folder="ipis_drc_mine_sites",
    files=(VISITS_FILE,),
    fetch_urls={VISITS_FILE: WFS_URL},
    notes=(
        "WFS layer public:cod_mines_curated_all_opendata_p_ipis, copy of about 2024-03 with visits "
        "2009-01-01..2023-06-21 (not the latest IPIS release). A row is a visit; an empty answer "
        "means the question was not asked, never 'no'. IPIS withholds data that could endanger "
        "people: only what the file publishes is shown."
    ),
    order=30,
    priority=0,
)

COUNTRY_RAW = (
    "Democratic Republic of the Congo"  # the dataset's scope: the file has no country column
)
TIER = "artisanal_mine"
GROUPS = (1, 2, 3)
MINERAL_COLUMNS = ("mineral1", "mineral2", "mineral3")
ADMIN_COLUMNS = ("province", "territoire", "collectivite", "groupement", "village")
# where the diggers sell each mineral (a trading town: "Rubaya" for the Rubaya coltan mines);
# optional, so older copies of the file without them still load
SELLING_POINT_COLUMNS = tuple(f"selling_points_mineral{i}" for i in (1, 2, 3))

# fact name -> 0/1 column
FLAG_FACTS = {
    "child_labour_under15": "childunder15",
    "women": "women",
    "armed_group_presence": "presence",
    "armed_group_interference": "interference",
    "mercury": "mercury",
    "visit_onsite": "visit_onsite",
}
# fact name -> free-text column, published as it is (French)
TEXT_FACTS = {
    "child_labour_tasks": "childunder15work",
    "women_tasks": "womenwork",
    "qualification": "qualification",
    "traceability": "traceability",
    "location_origin": "location_origin",
    "project": "project",
    "source_org": "source",
    "no_visit_reason": "visit_onsite_novisitreason",
}
# fact name -> per-armed-group 0/1 columns: 'yes' if any group did it
GROUP_FLAG_FACTS = {
    "forced_labour": tuple(f"forced_labour_armed_group{g}" for g in GROUPS),
    "illegal_taxation": tuple(
        f"{kind}_armed_group{g}"
        for g in GROUPS
        for kind in ("taxation", "commerce_taxation", "entrance_taxation")
    ),
}
ARMED_GROUP_COLUMNS = tuple(f"armed_group{g}" for g in GROUPS)

REQUIRED_COLUMNS = sorted(
    {"vid", "pcode", "name", "visit_date", "longitude", "latitude", "is_3t_mine", "is_gold_mine"}
    | {"workers_numb", *MINERAL_COLUMNS, *ADMIN_COLUMNS, *ARMED_GROUP_COLUMNS}
    | set(FLAG_FACTS.values())
    | set(TEXT_FACTS.values())
    | {c for cols in GROUP_FLAG_FACTS.values() for c in cols}
)


def load(raw_dir: Path) -> AdapterResult:
    """Read every IPIS visit, reject the unusable ones, and return site records plus dated facts."""
    path = SOURCE.path(raw_dir, VISITS_FILE)
    header, rows = _read_csv(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[VISITS_FILE] = sha256_file(path)

    visits = _usable_visits(header, rows, result)
    by_site: dict[str, list[dict[str, Any]]] = {}
    for v in visits:
        by_site.setdefault(v["pcode"], []).append(v)

    records, facts = [], []
    for pcode in sorted(by_site):
        site_visits = sorted(by_site[pcode], key=lambda v: (v["date"], v["vid"]), reverse=True)
        records.append(_site_record(pcode, site_visits))
        for v in site_visits:
            facts.extend(_visit_facts(v))

    result.tables["records"] = records_frame(records)
    fact_df = pd.DataFrame(
        facts, columns=["record_ref", "fact", "value", "observed_on", "source_ref", "_vid"]
    )
    fact_df = fact_df.sort_values(["record_ref", "observed_on", "_vid", "fact"], kind="stable")
    result.tables["site_facts"] = fact_df.drop(columns="_vid").reset_index(drop=True)
    return result


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and raw rows; a file that is not this source's CSV is a SourceError."""
    return read_csv(path, SOURCE.source_id, REQUIRED_COLUMNS, "IPIS visit")


def _usable_visits(
    header: list[str], rows: list[list[str]], result: AdapterResult
) -> list[dict[str, Any]]:
    """Rows that name a site, a visit id and a date; the rest become rejects with the reason."""
    visits, seen_vids = [], set()
    for row in rows:
        raw = dict(zip(header, row, strict=False))
        ref = f"vid={clean_text(raw.get('vid')) or '?'}"
        if len(row) != len(header):
            result.reject(ref, f"row has {len(row)} fields, header has {len(header)}", raw)
            continue
        v = {k: clean_text(val) for k, val in raw.items()}
        vid = _as_int(v["vid"])
        date = _as_date(v["visit_date"])
        if not v["pcode"]:
            result.reject(ref, "no pcode (site id)", raw)
        elif vid is None:
            result.reject(ref, f"no usable vid (visit id): {v['vid'] or 'empty'}", raw)
        elif vid in seen_vids:
            result.reject(ref, "duplicate vid (visit id)", raw)
        elif date is None:
            result.reject(ref, f"no usable visit_date: {v['visit_date']!r}", raw)
        else:
            seen_vids.add(vid)
            v["vid"], v["date"] = vid, date
            v["coord_problem"] = _coordinate_problem(v["latitude"], v["longitude"])
            visits.append(v)
    return visits


def _site_record(pcode: str, visits: list[dict[str, Any]]) -> dict[str, Any]:
    """One site from its visits (latest first): name and places from the latest, minerals from all."""
    latest = visits[0]
    located = next((v for v in visits if v["coord_problem"] is None), None)
    notes = []
    if located is not None:
        precision, note = _location_quality(located["location_origin"])
        notes += [note] if note else []
        if located is not latest:
            notes.append(
                f"IPIS: coordinates from visit vid={located['vid']} of {located['date']}; the "
                f"latest visit's are unusable ({latest['coord_problem']})"
            )
    else:
        precision = None
        problems = "; ".join(f"vid={v['vid']}: {v['coord_problem']}" for v in visits)
        notes.append(
            f"IPIS: no visit has usable coordinates ({problems}); to be placed at province level"
        )
    skipped = [v for v in visits[1:] if v["coord_problem"] and located is not None]
    if skipped:
        notes.append(
            "IPIS: unusable coordinates ignored on "
            + "; ".join(f"vid={v['vid']}: {v['coord_problem']}" for v in skipped)
        )

    admin = {c: _latest_value(visits, c) for c in ADMIN_COLUMNS}
    minerals, as_reported = [], []
    for v in visits:
        for col in MINERAL_COLUMNS:
            if v[col] and v[col] not in as_reported:
                as_reported.append(v[col])
            minerals += [m for m in _normalise_mineral(v[col]) if m not in minerals]
    return {
        "source_ref": pcode,
        "name": _latest_value(visits, "name") or pcode,
        "tier": TIER,
        "lat": float(located["latitude"]) if located else None,
        "lon": float(located["longitude"]) if located else None,
        "geo_precision": precision,
        "country_iso3": to_iso3(COUNTRY_RAW),
        "country_raw": COUNTRY_RAW,
        "province": admin["province"],
        "city": admin["village"] or admin["territoire"],
        "address": ", ".join(admin[c] for c in reversed(ADMIN_COLUMNS) if admin[c]) or None,
        "minerals": minerals,
        "rmi_id": None,
        "geo_note": " | ".join(notes) or None,
        **{c: admin[c] for c in ADMIN_COLUMNS if c != "province"},
        "location_origin": located["location_origin"] if located else None,
        "minerals_as_reported": as_reported,
        "selling_points": list(
            dict.fromkeys(v[c] for v in visits for c in SELLING_POINT_COLUMNS if v.get(c))
        ),
        "n_visits": len(visits),
        "first_visit_date": visits[-1]["date"],
        "latest_visit_date": latest["date"],
        "latest_vid": f"vid={latest['vid']}",
        "coordinates_vid": f"vid={located['vid']}" if located else None,
        "is_3t_mine": _any_flag(v["is_3t_mine"] for v in visits),
        "is_gold_mine": _any_flag(v["is_gold_mine"] for v in visits),
    }


def _visit_facts(v: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answered question of one visit as a dated fact; an empty answer gives no row."""
    values: dict[str, str | None] = {}
    workers = _as_int(v["workers_numb"])
    values["workers"] = str(workers) if workers is not None and workers >= 0 else None
    minerals = []
    for col in MINERAL_COLUMNS:
        minerals += [m for m in _normalise_mineral(v[col]) if m not in minerals]
    values["minerals"] = ", ".join(minerals) or None
    values["minerals_as_reported"] = ", ".join(v[c] for c in MINERAL_COLUMNS if v[c]) or None
    for fact, col in FLAG_FACTS.items():
        values[fact] = _flag(v[col])
    for fact, col in TEXT_FACTS.items():
        values[fact] = v[col]
    for fact, cols in GROUP_FLAG_FACTS.items():
        answers = [_flag(v[c]) for c in cols]
        values[fact] = "yes" if "yes" in answers else ("no" if "no" in answers else None)
    groups = list(dict.fromkeys(v[c] for c in ARMED_GROUP_COLUMNS if v[c]))
    values["armed_groups"] = "; ".join(groups) or None
    return [
        {
            "record_ref": v["pcode"],
            "fact": fact,
            "value": value,
            "observed_on": v["date"],
            "source_ref": f"vid={v['vid']}",
            "_vid": v["vid"],
        }
        for fact, value in values.items()
        if value is not None
    ]


def _location_quality(origin: str | None) -> tuple[str, str | None]:
    """Precision and a note from IPIS's location_origin: GPS at the site is exact, the rest says why not."""
    if not origin:
        return "exact", "IPIS: location origin not stated"
    folded = origin.lower()
    if "approximation" in folded:
        return "city", f"IPIS: location approximated (location_origin={origin})"
    m = re.search(r"\((.*)\)", origin)
    qualifier = m.group(1).strip() if m else ""
    if re.fullmatch(r"(IPIS|WCS) \d{4}", qualifier):
        return "exact", f"IPIS: position taken from an earlier survey (location_origin={origin})"
    if qualifier:
        return "city", (
            f"IPIS: position of a nearby village or place, not of the site itself "
            f"(location_origin={origin})"
        )
    if re.fullmatch(r"gps", folded):
        return "exact", None
    return "exact", f"IPIS: position from {origin}, not a GPS reading on site"


def _normalise_mineral(cell: str | None) -> list[str]:
    """Canonical minerals of one mineralN cell, also reading mixes like 'Minerais mixtes (A/B)'."""
    if not cell:
        return []
    return normalise(cell) or normalise_many(re.split(r"[()/,;]", cell))


def _latest_value(visits: list[dict[str, Any]], col: str) -> str | None:
    """The most recent non-empty value of a column (visits are latest first)."""
    return next((v[col] for v in visits if v[col]), None)


def _coordinate_problem(lat: str | None, lon: str | None) -> str | None:
    if lat is None or lon is None:
        return "coordinate missing"
    return valid_coordinate(lat, lon)


def _flag(value: str | None) -> str | None:
    """IPIS 0/1 answers as 'yes'/'no'; empty (not asked) or anything else gives None."""
    n = _as_number(value)
    return {1.0: "yes", 0.0: "no"}.get(n) if n is not None else None


def _any_flag(values) -> bool | None:
    answers = [_flag(x) for x in values]
    return True if "yes" in answers else (False if "no" in answers else None)


def _as_number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _as_int(value: str | None) -> int | None:
    n = _as_number(value)
    return int(n) if n is not None and n == n and n.is_integer() else None


def _as_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
