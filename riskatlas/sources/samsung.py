"""Samsung Electronics' smelter and refiner list (Responsible Minerals Report 2025, data as of 2024).

Also holds the helpers the brand smelter-list adapters share (strict CSV read, CID check,
status and record building), so Form SD and Samsung rows are treated the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from unidecode import unidecode

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    read_csv_text,
    records_frame,
    sha256_file,
)

LIST_FILE = "samsung_smelters_refiners_2024.csv"
PDF_FILE = "samsung_responsible_minerals_report_2025.pdf"
COLUMNS = (
    "list_section",
    "metal",
    "row_no",
    "smelter_id",
    "smelter_name",
    "country",
    "rmap_status",
    "direct_sourcing_countries",
    "indirect_sourcing_countries",
    "pdf_page",
)
BRAND = "Samsung Electronics"
REPORT = "Samsung Responsible Minerals Report 2025"
YEAR = 2024
TIER = "smelter_refiner"

RMI_ID = re.compile(r"CID\d{6}")
# Any CID-style id a brand prints: RMI ids and a few brand-assigned ones such as CIDSN2285.
ANY_CID = re.compile(r"CID[A-Z]{0,2}\d{3,6}")
PLACEHOLDERS = {"", "-", "--", "n/a", "unknown", "none"}
# The report's country-of-origin legend (PDF pp. 35-37): canonical order.
SOURCING_CODES = ("LR", "HR", "CC", "DRC", "R/S")
_CODE_RE = re.compile(r"\b(LR|HR|CC|DRC)\b|\bR\s*/\s*S\b")
_AGGREGATED_RE = re.compile(r"LBMA|RJC|TI-CMC")

SOURCE = SourceInfo(
    source_id="samsung_rmr_2025",
    title="Samsung Electronics Responsible Minerals Report 2025: smelter and refiner list (2024)",
    publisher="Samsung Electronics Co., Ltd.",
    url="https://www.samsung.com/global/sustainability/",
    licence="None stated; facts from a corporate public disclosure (IDs are RMI smelter IDs)",
    data_date="2024",
    folder="samsung_smelter_refiner_list_2024",
    files=(LIST_FILE,),
    fetch_urls={
        PDF_FILE: (
            "https://raw.githubusercontent.com/popovychiryna/Responsible-Minerals-Compliance-"
            "Assistant/a9b8ea3bb5ad604012b6dc39fd7cc1f173e78d51/data/samsung.pdf"
        ),
    },
    notes=(
        "The CSV was parsed from the report's annex tables (pdfplumber); the PDF is on Samsung's "
        "sustainability site and mirrored in the repo above. Non-3TG sections list some mines and "
        "operators (e.g. Escondida, Tenke Fungurume), not only smelters; kept as published. RMAP "
        "status is RMI's audit status as Samsung reported it; '-' means none given."
    ),
)


def read_csv_strict(path: Path, columns: tuple[str, ...], source_id: str) -> pd.DataFrame:
    """A publisher CSV as text; missing columns or an unparseable file stop the build, named."""
    df = read_csv_text(path, source_id)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SourceError(
            f"{source_id}: {path.name} lacks column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, df.columns))})"
        )
    return df


def or_none(value: Any) -> str | None:
    """Cleaned text, with the placeholders brands print for 'not given' ('-', 'UNKNOWN') as None."""
    s = clean_text(value)
    return None if s is None or s.lower() in PLACEHOLDERS else s


def country_iso3(country: str | None) -> str | None:
    """ISO3 for a printed country, trying an accent-folded spelling ("Perú") as well."""
    if not country:
        return None
    return to_iso3(country) or to_iso3(unidecode(country))


def one_mineral(metal: Any) -> str | None:
    """The single normalised mineral a smelter-list row is about, or None if it is not one."""
    got = normalise(clean_text(metal))
    return got[0] if len(got) == 1 else None


def rmap_status(status: str | None) -> str | None:
    """RMI status in words: Rockwell marks conformant smelters with '*' and leaves others blank."""
    if status == "*":
        return "Conformant"
    return status


def sourcing_codes(*texts: str | None) -> list[str]:
    """The legend codes (LR, HR, CC, DRC, R/S) found in the printed sourcing cells, in legend order."""
    found = set()
    for t in texts:
        for m in _CODE_RE.finditer(t or ""):
            found.add(m.group(1) or "R/S")
    return [c for c in SOURCING_CODES if c in found]


def aggregated_refs(*texts: str | None) -> list[str]:
    """Which 'see aggregated data below for ...' country lists (LBMA, RJC, TI-CMC) a row points to."""
    found = {m.group(0) for t in texts for m in _AGGREGATED_RE.finditer(t or "")}
    return sorted(found)


def smelter_id_problem(smelter_id: str | None) -> str | None:
    """Why a printed smelter id cannot key a record, or None if it can."""
    if not smelter_id:
        return "missing smelter_id"
    if not ANY_CID.fullmatch(smelter_id):
        return f"smelter_id is not a CID: {smelter_id!r}"
    return None


def _most_common(values: list[str | None]) -> str | None:
    """Most frequent non-empty value, first seen wins a tie (deterministic given file order)."""
    vals = [v for v in values if v]
    if not vals:
        return None
    counts = Counter(vals)
    best = max(counts.values())
    return next(v for v in vals if counts[v] == best)


def smelter_records(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One record per smelter id from its link rows (keys: smelter_id, name, country, mineral).

    Why: one smelter can be listed for several metals or by several brands; the site is one.
    The name and country are the most common printed ones; names that are only an id are skipped.
    """
    by_id: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_id.setdefault(r["smelter_id"], []).append(r)
    out = []
    for sid, rs in by_id.items():
        names = [r["name"] for r in rs if r["name"] and not ANY_CID.fullmatch(r["name"])]
        countries = [r["country"] for r in rs if country_iso3(r["country"])]
        country = _most_common(countries) or _most_common([r["country"] for r in rs])
        minerals = sorted({r["mineral"] for r in rs})
        is_rmi = bool(RMI_ID.fullmatch(sid))
        out.append(
            {
                "source_ref": sid,
                "name": _most_common(names) or _most_common([r["name"] for r in rs]),
                "tier": TIER,
                "lat": None,
                "lon": None,
                "geo_precision": None,
                "country_iso3": country_iso3(country),
                "country_raw": country,
                "province": None,
                "city": None,
                "address": None,
                "minerals": minerals,
                "rmi_id": sid if is_rmi else None,
                "non_rmi_id": not is_rmi,
            }
        )
    return records_frame(out).sort_values("source_ref").reset_index(drop=True)


def duplicate_keepers(keys: list[tuple], quality: list[tuple]) -> dict[int, int]:
    """For rows sharing a key, map each dropped row index to the kept one (best quality, then first)."""
    groups: dict[tuple, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    dropped = {}
    for idx in groups.values():
        if len(idx) > 1:
            keep = max(idx, key=lambda i: (quality[i], -i))
            dropped.update({i: keep for i in idx if i != keep})
    return dropped


def links_frame(links: list[dict[str, Any]]) -> pd.DataFrame:
    """The links table sorted by source_ref (empty but well-formed if every row was rejected)."""
    if not links:
        return pd.DataFrame(
            columns=["brand", "record_ref", "relation", "mineral", "year", "source_ref"]
        )
    return pd.DataFrame(links).sort_values("source_ref").reset_index(drop=True)


def _section_label(section: str) -> str:
    return re.sub(r"(\w)\(", r"\1 (", section)


def link_ref(page: int, section: str, row_no: int) -> str:
    """'Samsung Responsible Minerals Report 2025, p.38, Cobalt (Co) list, row 5'.

    Why the section: row numbers restart per section and two sections can share a page.
    """
    return f"{REPORT}, p.{page}, {_section_label(section)} list, row {row_no}"


def _is_number(text: str | None) -> bool:
    """ASCII digits only: '²'.isdigit() is true but int('²') fails."""
    return bool(text) and text.isascii() and text.isdigit()


def load(raw_dir: Path) -> AdapterResult:
    """Samsung's listed smelters as records (one per CID) and one documented link per listing."""
    path = SOURCE.path(raw_dir, LIST_FILE)
    df = read_csv_strict(path, COLUMNS, SOURCE.source_id)
    result = AdapterResult(
        source=SOURCE, rows_in=len(df), file_hashes={LIST_FILE: sha256_file(path)}
    )

    rows = [{c: clean_text(v) for c, v in raw.items()} for raw in df.to_dict("records")]
    candidates: list[tuple[int, dict[str, Any]]] = []
    for i, row in enumerate(rows):
        page, row_no, section = row["pdf_page"], row["row_no"], row["list_section"] or "?"
        ref = (
            link_ref(int(page), section, int(row_no))
            if _is_number(page) and _is_number(row_no)
            else f"{REPORT}, CSV row {i + 1}"
        )
        if not (_is_number(page) and _is_number(row_no)):
            result.reject(ref, "missing or non-numeric pdf_page/row_no (no citation)", df.iloc[i])
            continue
        problem = smelter_id_problem(row["smelter_id"])
        if problem is None and not RMI_ID.fullmatch(row["smelter_id"]):
            problem = f"smelter_id is not an RMI id: {row['smelter_id']!r}"
        if problem:
            result.reject(ref, problem, df.iloc[i])
            continue
        mineral = one_mineral(row["metal"])
        if mineral is None:
            result.reject(ref, f"unknown metal: {row['metal']!r}", df.iloc[i])
            continue
        direct, indirect = row["direct_sourcing_countries"], row["indirect_sourcing_countries"]
        status = or_none(row["rmap_status"])
        candidates.append(
            (
                i,
                {
                    "brand": BRAND,
                    "record_ref": row["smelter_id"],
                    "relation": "lists_smelter",
                    "mineral": mineral,
                    "year": YEAR,
                    "source_ref": ref,
                    "status_as_reported": status,
                    "rmap_status": rmap_status(status),
                    "name_as_reported": row["smelter_name"],
                    "country_as_reported": or_none(row["country"]),
                    "direct_sourcing": direct,
                    "indirect_sourcing": indirect,
                    "sourcing_codes": sourcing_codes(direct, indirect),
                    "direct_sourcing_codes": sourcing_codes(direct),
                    "indirect_sourcing_codes": sourcing_codes(indirect),
                    "sourcing_aggregated": aggregated_refs(direct, indirect),
                    "list_section": row["list_section"],
                    "pdf_page": int(page),
                    "row_no": int(row_no),
                },
            )
        )

    dropped = duplicate_keepers(
        [(lk["record_ref"], lk["mineral"]) for _, lk in candidates],
        [
            (lk["name_as_reported"] is not None, lk["status_as_reported"] is not None)
            for _, lk in candidates
        ],
    )
    links = []
    for j, (i, lk) in enumerate(candidates):
        if j in dropped:
            kept = candidates[dropped[j]][1]["source_ref"]
            result.reject(lk["source_ref"], f"duplicate (smelter_id, metal) of {kept}", df.iloc[i])
            continue
        links.append(lk)

    result.tables["records"] = smelter_records(
        [
            {
                "smelter_id": lk["record_ref"],
                "name": lk["name_as_reported"],
                "country": lk["country_as_reported"],
                "mineral": lk["mineral"],
            }
            for lk in links
        ]
    ).drop(columns="non_rmi_id", errors="ignore")
    result.tables["links"] = links_frame(links)
    return result
