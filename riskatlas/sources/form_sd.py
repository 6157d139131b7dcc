"""Brand-listed smelters from four SEC Form SD conflict-minerals reports (calendar year 2025)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskatlas.sources.base import AdapterResult, SourceInfo, clean_text, sha256_file
from riskatlas.sources.samsung import (
    duplicate_keepers,
    links_frame,
    one_mineral,
    or_none,
    read_csv_strict,
    rmap_status,
    smelter_id_problem,
    smelter_records,
)

LINKS_FILE = "brand_smelter_links_2025.csv"
COLUMNS = (
    "brand",
    "reporting_year",
    "source_file",
    "metal",
    "smelter_name",
    "smelter_id",
    "country",
    "status_as_reported",
)
_EDGAR = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&type=SD&CIK="
# Original file (as named in the mirror's originals/) -> the filer's Form SD list on EDGAR.
FILINGS = {
    "skyworkssolutions.html": _EDGAR + "0000004127",
    "rockwellautomation.html": _EDGAR + "0001024478",
    "garrettmotion.htm": _EDGAR + "0001735707",
    "honda.html": _EDGAR + "0000715153",
}

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
    files=(LINKS_FILE,),
    fetch_urls=FILINGS,
    notes=(
        "Rows were extracted from the reports' HTML tables. Rockwell marks RMI-conformant smelters "
        "with '*' (kept as printed; rmap_status says Conformant); Garrett prints a status; Honda "
        "and Skyworks none. Nine Rockwell ids (e.g. CIDSN2285) are not RMI ids: kept with "
        "rmi_id empty and non_rmi_id true. A link's 'row n' counts rows within that brand's table."
    ),
)


def load(raw_dir: Path) -> AdapterResult:
    """One record per smelter id across the four brands, one documented link per listed row."""
    path = SOURCE.path(raw_dir, LINKS_FILE)
    df = read_csv_strict(path, COLUMNS, SOURCE.source_id)
    result = AdapterResult(
        source=SOURCE, rows_in=len(df), file_hashes={LINKS_FILE: sha256_file(path)}
    )

    per_brand: dict[str, int] = {}
    candidates: list[tuple[int, dict[str, Any]]] = []
    for i, raw in enumerate(df.to_dict("records")):
        row = {c: clean_text(raw[c]) for c in COLUMNS}
        brand = row["brand"]
        n = per_brand[brand] = per_brand.get(brand, 0) + 1
        ref = f"{row['source_file'] or LINKS_FILE}, row {n}"
        if not brand:
            result.reject(f"{LINKS_FILE}, row {i + 1}", "missing brand", raw)
            continue
        year_text = row["reporting_year"] or ""
        if not (year_text.isascii() and year_text.isdigit()):
            result.reject(ref, f"reporting_year is not a year: {row['reporting_year']!r}", raw)
            continue
        problem = smelter_id_problem(row["smelter_id"])
        if problem:
            result.reject(ref, problem, raw)
            continue
        mineral = one_mineral(row["metal"])
        if mineral is None:
            result.reject(ref, f"unknown metal: {row['metal']!r}", raw)
            continue
        status = clean_text(row["status_as_reported"])
        candidates.append(
            (
                i,
                {
                    "brand": brand,
                    "brand_as_reported": brand,
                    "record_ref": row["smelter_id"],
                    "relation": "lists_smelter",
                    "mineral": mineral,
                    "year": int(row["reporting_year"]),
                    "source_ref": ref,
                    "status_as_reported": status,
                    "rmap_status": rmap_status(status),
                    "name_as_reported": row["smelter_name"],
                    "country_as_reported": or_none(row["country"]),
                    "direct_sourcing": None,
                    "indirect_sourcing": None,
                },
            )
        )

    # A brand listing the same smelter twice for one metal: keep the fuller row, reject the other.
    dropped = duplicate_keepers(
        [(lk["brand"], lk["mineral"], lk["record_ref"]) for _, lk in candidates],
        [
            (
                lk["name_as_reported"] not in (None, lk["record_ref"]),
                lk["status_as_reported"] is not None,
            )
            for _, lk in candidates
        ],
    )
    links = []
    for j, (i, lk) in enumerate(candidates):
        if j in dropped:
            kept = candidates[dropped[j]][1]["source_ref"]
            result.reject(
                lk["source_ref"], f"duplicate (brand, metal, smelter_id) of {kept}", df.iloc[i]
            )
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
    )
    result.tables["links"] = links_frame(links)
    return result
