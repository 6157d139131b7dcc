"""Samsung Electronics' smelter and refiner list, parsed from its Responsible Minerals Report 2025."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from riskatlas.importer.cache import cached_import
from riskatlas.importer.model import ReportError
from riskatlas.sources.base import AdapterResult, SourceError, SourceInfo
from riskatlas.sources.brand_lists import Listings, raw_reference, raw_reference_key

PDF_FILE = "samsung_responsible_minerals_report_2025.pdf"
ORACLE_FILE = "samsung_smelters_refiners_2024.csv"  # pre-extracted copy: a test oracle only
BRAND = "Samsung Electronics"
REPORT = "Samsung Responsible Minerals Report 2025"
YEAR = 2024

# The report's country-of-origin legend (PDF pp. 35-37): canonical order.
SOURCING_CODES = ("LR", "HR", "CC", "DRC", "R/S")
_CODE_RE = re.compile(r"\b(LR|HR|CC|DRC)\b|\bR\s*/\s*S\b")
_AGGREGATED_RE = re.compile(r"LBMA|RJC|TI-CMC")
# "Cobalt (Co) Smelter List", "3TG Smelter and Refiner List", "Mica Operator List" -> the label.
_LIST_TITLE = re.compile(r"\s*(\b(smelters?|refiners?|operators?)\b.*)?\blist\s*$", re.IGNORECASE)

SOURCE = SourceInfo(
    source_id="samsung_rmr_2025",
    title="Samsung Electronics Responsible Minerals Report 2025: smelter and refiner list (2024)",
    publisher="Samsung Electronics Co., Ltd.",
    url="https://www.samsung.com/global/sustainability/",
    licence="None stated; facts from a corporate public disclosure (IDs are RMI smelter IDs)",
    data_date="2024",
    folder="samsung_smelter_refiner_list_2024",
    files=(PDF_FILE,),
    fetch_urls={
        PDF_FILE: (
            "https://raw.githubusercontent.com/popovychiryna/Responsible-Minerals-Compliance-"
            "Assistant/a9b8ea3bb5ad604012b6dc39fd7cc1f173e78d51/data/samsung.pdf"
        ),
    },
    notes=(
        "Read from the report PDF itself by riskatlas.importer (tables found by their headers, "
        "metal from the row or the list title); the mirror's pre-extracted CSV is only a test "
        "oracle. Non-3TG sections list some mines and operators (e.g. Escondida, Tenke "
        "Fungurume), not only smelters; kept as published. RMAP status is RMI's audit status as "
        "Samsung reported it; '-' means none given. The page-16 table of smelters removed from "
        "the conformant list is read and rejected, not linked."
    ),
    order=120,
    priority=5,
    site_ids="qualified",
    match_role="query",
)


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


def list_label(section: str | None) -> str:
    """'Cobalt (Co) Smelter List' -> 'Cobalt (Co)'; 'Chromium(Cr) ...' -> 'Chromium (Cr)'."""
    s = " ".join(str(section or "").split())
    label = _LIST_TITLE.sub("", s).strip() or s or "?"
    return re.sub(r"(\w)\(", r"\1 (", label)


def link_ref(page: int | str, section: str, row_no: int | str) -> str:
    """'Samsung Responsible Minerals Report 2025, p.38, Cobalt (Co) list, row 5'.

    Why the section: row numbers restart per section and two sections can share a page.
    """
    return f"{REPORT}, p.{page}, {list_label(section)} list, row {row_no}"


def _page(ref: str) -> int | None:
    m = re.match(r"page (\d+)", str(ref))
    return int(m.group(1)) if m else None


def _cite(row: dict[str, Any]) -> str:
    page = _page(row["ref"])
    no = str(row.get("row_no") or "").rstrip(".")
    if page is not None and no.isdigit():
        return link_ref(page, row.get("section"), int(no))
    where = f"p.{page}" if page is not None else row["ref"]
    title = " ".join(str(row.get("section") or "").split())
    return f"{REPORT}, {where}" + (f", table '{title}'" if title else "")


def _extra(row: dict[str, Any]) -> dict[str, Any]:
    direct, indirect = row.get("direct_sourcing"), row.get("indirect_sourcing")
    no = str(row.get("row_no") or "").rstrip(".")
    return {
        "sourcing_codes": sourcing_codes(direct, indirect),
        "direct_sourcing_codes": sourcing_codes(direct),
        "indirect_sourcing_codes": sourcing_codes(indirect),
        "sourcing_aggregated": aggregated_refs(direct, indirect),
        "list_section": list_label(row.get("section")),
        "pdf_page": _page(row["ref"]),
        "row_no": int(no) if no.isdigit() else None,
    }


def load(raw_dir: Path) -> AdapterResult:
    """Samsung's listed smelters as records (one per smelter) and one documented link per listing."""
    path = SOURCE.path(raw_dir, PDF_FILE)
    try:
        imported = cached_import(
            path,
            BRAND,
            YEAR,
            reference=lambda: raw_reference(raw_dir),
            reference_key=raw_reference_key(raw_dir),
        )
    except ReportError as exc:
        raise SourceError(f"{SOURCE.source_id}: {exc}") from exc
    result = AdapterResult(source=SOURCE, rows_in=0, file_hashes={PDF_FILE: imported.sha256})
    listings = Listings()
    listings.add(imported, BRAND, YEAR, cite=_cite, extra=_extra)
    listings.apply(result)
    return result
