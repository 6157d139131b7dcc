"""Links from an imported disclosure: one per listed smelter, citing the file, page or row."""

from __future__ import annotations

import pandas as pd

from riskatlas.brands import brand_id as make_brand_id
from riskatlas.importer.model import ImportResult


def _cite(result: ImportResult, ref: str) -> str:
    return f"{result.file_name} (sha256 {result.sha256[:12]}), {ref}"


def links_frame(result: ImportResult) -> pd.DataFrame:
    """Documented links from the imported file, one per (metal, smelter), citing file and row.

    Carries both the adapter shape (brand, record_ref) and the database shape (brand_id,
    site_id, source_id), so the build and the app can use it as it is. Rows without a
    resolved smelter or metal, and rows under a 'removed' title, make no link.
    """
    r = result.rows
    keep = r["smelter_id"].notna() & r["metal"].notna() & ~r["removed_section"]
    sel = r[keep].drop_duplicates(["metal", "smelter_id"])
    return pd.DataFrame(
        {
            "brand": result.brand,
            "brand_id": make_brand_id(result.brand),
            "record_ref": sel["smelter_id"],
            "site_id": sel["smelter_id"],
            "relation": "lists_smelter",
            "mineral": sel["metal"],
            "year": result.year,
            "source_id": result.source_id,
            "source_ref": [_cite(result, ref) for ref in sel["ref"]],
            "status_as_reported": sel["status_as_reported"],
            "name_as_reported": sel["smelter_name"],
            "country_as_reported": sel["country"],
            "direct_sourcing": sel["direct_sourcing"],
            "indirect_sourcing": sel["indirect_sourcing"],
            "origin_as_reported": sel["origin_as_reported"],
            "resolved_by": sel["resolved_by"],
            "match_score": sel["match_score"],
        }
    ).reset_index(drop=True)


def source_row(result: ImportResult) -> dict:
    """The file as a row of the ``sources`` table (title, publisher, counts)."""
    n = len(result.rows)
    linked = len(links_frame(result))
    return {
        "source_id": result.source_id,
        "title": f"{result.brand} smelter disclosure: {result.file_name}",
        "publisher": result.brand,
        "url": f"file:{result.file_name}#sha256={result.sha256}",
        "licence": "as published by the brand",
        "data_date": str(result.year) if result.year else "",
        "rows_in": n,
        "rows_loaded": linked,
        "rows_rejected": n - linked,
    }


def link_rejects(result: ImportResult) -> list[tuple[str, str, dict]]:
    """(source_ref, reason, raw row) for every row that makes no link, so that rows found ==
    links + rejects, as the adapter contract counts them."""
    r = result.rows
    out = []
    seen: dict[tuple, str] = {}
    for row in r.to_dict("records"):
        ref = _cite(result, row["ref"])
        key = (row["metal"], row["smelter_id"])
        if row["removed_section"]:
            reason = f"listed under a 'removed' title: {row['section']}"
        elif row["smelter_id"] is None or pd.isna(row["smelter_id"]):
            best = row.get("candidate_id")
            reason = "unresolved: no RMI id printed and no clear name match" + (
                f" (best {best}, score {row['match_score']})" if isinstance(best, str) else ""
            )
        elif row["metal"] is None or pd.isna(row["metal"]):
            reason = f"no metal given for {row['smelter_id']}"
        elif key in seen:
            reason = f"duplicate (metal, smelter_id) of {seen[key]}"
        else:
            seen[key] = ref
            continue
        out.append((ref, reason, row))
    return out
