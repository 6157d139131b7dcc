"""Brand disclosures users imported and saved (Import page, `import-report --save`), as links."""

from __future__ import annotations

from pathlib import Path

from riskatlas.importer.cache import cached_import
from riskatlas.importer.model import ReportError
from riskatlas.importer.saved import read_sidecar, sidecars
from riskatlas.sources.base import AdapterResult, SourceInfo, sha256_file
from riskatlas.sources.brand_lists import Listings, file_cite, raw_reference, raw_reference_key

SOURCE = SourceInfo(
    source_id="saved_imports",
    title="Brand smelter disclosures imported and saved by atlas users",
    publisher="The brands named in each import (files saved by atlas users)",
    url=(
        "repository file data/imports/ ($RISKATLAS_IMPORTS): each saved import is the brand's "
        "own file, byte for byte, beside a JSON sidecar naming brand, year, sha256 and saver"
    ),
    licence="As published by each brand; see each file",
    data_date="as saved",
    folder="",  # not in the raw mirror: the imports directory
    files=(),
    notes=(
        "Only files a maintainer approved (python -m riskatlas review) are read; the approval "
        "(who, when, note) is part of each link's citation. "
        "Every saved file is read again by riskatlas.importer at each build (cached by sha256). "
        "A link's source_ref is the original file name, its sha256 and the page or table row. "
        "Rows that resolve to no RMI id are kept as smelters of their own (the printed id, or "
        "name and country), with resolved_by 'unresolved' and the best candidate shown on the "
        "Import page. A saved file that no longer imports is one reject, naming why."
    ),
    order=140,
    site_ids="qualified",
    match_role="query",
)


def approved_cite(cite, approval: dict):
    """The link's citation with its approval: 'file (sha256 …), p3 row 12; import 4 approved by
    A. Maintainer on 2026-12-04'. Why in the citation: it travels with the link to the Site page
    and every export."""

    def with_approval(row):
        when = str(approval.get("approved_at") or "")[:10]
        return (
            f"{cite(row)}; import {approval.get('submission_id')} approved by "
            f"{approval.get('approved_by')} on {when}"
        )

    return with_approval


def load(raw_dir: Path, imports: str | Path | None = None) -> AdapterResult:
    """Every saved import as links; no imports directory means no rows, not an error."""
    result = AdapterResult(source=SOURCE, rows_in=0)
    listings = Listings()
    reference_key = raw_reference_key(raw_dir)
    for sidecar in sidecars(imports):
        try:
            saved = read_sidecar(sidecar)
            if not (saved.approval or {}).get("approved_by"):
                raise ReportError(
                    "not approved by a maintainer (only reviewed submissions enter the atlas: "
                    "python -m riskatlas review)"
                )
            sha = sha256_file(saved.path)
            if sha != saved.sha256:
                raise ReportError(
                    f"{saved.path.name} has changed since it was saved (sha256 {sha[:12]}, "
                    f"sidecar says {saved.sha256[:12]})"
                )
            imported = cached_import(
                saved.path,
                saved.brand,
                saved.year,
                reference=lambda: raw_reference(raw_dir),
                reference_key=reference_key,
            )
        except ReportError as exc:
            result.rows_in += 1
            result.reject(sidecar.name, f"saved import cannot be read: {exc}", sidecar.name)
            continue
        imported.file_name = saved.original_file_name
        result.file_hashes[saved.path.name] = sha
        approval = saved.approval or {}
        listings.add(
            imported,
            saved.brand,
            saved.year,
            cite=approved_cite(file_cite(imported), approval),
            extra=lambda row, s=saved, a=approval: {
                "saved_at": s.saved_at,
                "saved_by": s.saved_by,
                "stored_file": s.path.name,
                "approved_by": a.get("approved_by"),
                "approved_at": a.get("approved_at"),
                "review_note": a.get("review_note"),
                "submission_id": a.get("submission_id"),
            },
        )
    listings.apply(result)
    return result
