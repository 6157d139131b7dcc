"""Brand-listed smelters from four SEC Form SD conflict-minerals reports (calendar year 2025)."""

from __future__ import annotations

from pathlib import Path

from riskatlas.importer.cache import cached_import
from riskatlas.importer.model import ReportError
from riskatlas.sources.base import AdapterResult, SourceError, SourceInfo
from riskatlas.sources.brand_lists import Listings, raw_reference, raw_reference_key

ORACLE_FILE = "brand_smelter_links_2025.csv"  # pre-extracted copy: a test oracle only
YEAR = 2025
_EDGAR = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&type=SD&CIK="
_MIRROR = (
    "https://raw.githubusercontent.com/popovychiryna/Responsible-Minerals-Compliance-Assistant/"
    "a9b8ea3bb5ad604012b6dc39fd7cc1f173e78d51/data/"
)
# Original filing (as named in the mirror's originals/) -> (filer, the filer's Form SD list).
FILINGS = {
    "skyworkssolutions.html": ("Skyworks Solutions, Inc.", _EDGAR + "0000004127"),
    "rockwellautomation.html": ("Rockwell Automation, Inc.", _EDGAR + "0001024478"),
    "garrettmotion.htm": ("Garrett Motion Inc.", _EDGAR + "0001735707"),
    "honda.html": ("Honda Motor Co., Ltd.", _EDGAR + "0000715153"),
}
FILES = tuple(f"originals/{name}" for name in FILINGS)

SOURCE = SourceInfo(
    source_id="sec_form_sd_2025",
    title="SEC Form SD conflict-minerals reports 2025: smelters listed by four brands",
    publisher=(
        "Skyworks Solutions, Rockwell Automation, Garrett Motion and Honda Motor "
        "(Exhibit 1.01 to Form SD, filed with the US SEC)"
    ),
    url="https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&type=SD",
    licence="None stated; US SEC public filings",
    data_date="2025",
    folder="brand_form_sd_smelter_lists_2025",
    files=FILES,
    # Byte-for-byte copies of the exhibits at a pinned commit (the EDGAR pages above list them).
    fetch_urls={f"originals/{name}": _MIRROR + name for name in FILINGS},
    notes=(
        "Read from the original HTML exhibits by riskatlas.importer (every table with a smelter "
        "header, continuation tables included); the mirror's pre-extracted CSV is only a test "
        "oracle. Filers' EDGAR lists: "
        + "; ".join(f"{brand}: {url}" for brand, url in FILINGS.values())
        + ". Rockwell marks RMI-conformant smelters with '*' (kept as printed; rmap_status says "
        "Conformant); Garrett prints a status; Honda and Skyworks none. Nine Rockwell ids (e.g. "
        "CIDSN2285) are not RMI ids and match no RMI name: kept as records of their own with "
        "rmi_id empty and non_rmi_id true. A link's source_ref is the file, the table's position "
        "in the file and the row within that table."
    ),
    order=130,
    priority=6,
    site_ids="qualified",
    match_role="query",
)


def load(raw_dir: Path) -> AdapterResult:
    """One record per smelter across the four brands, one documented link per listed row."""
    paths = {name: SOURCE.path(raw_dir, f"originals/{name}") for name in FILINGS}
    reference_key = raw_reference_key(raw_dir)
    result = AdapterResult(source=SOURCE, rows_in=0)
    listings = Listings()
    for name, path in paths.items():
        brand = FILINGS[name][0]
        try:
            imported = cached_import(
                path,
                brand,
                YEAR,
                reference=lambda: raw_reference(raw_dir),
                reference_key=reference_key,
            )
        except ReportError as exc:
            raise SourceError(f"{SOURCE.source_id}: {exc}") from exc
        result.file_hashes[f"originals/{name}"] = imported.sha256
        listings.add(
            imported,
            brand,
            YEAR,
            cite=lambda row, name=name: f"{name}, {row['ref']}",
            extra=lambda row, brand=brand: {"brand_as_reported": brand},
        )
    listings.apply(result)
    return result
