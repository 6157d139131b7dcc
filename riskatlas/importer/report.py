"""import_report(): any disclosure file to resolved smelter rows, a summary and citable links."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from riskatlas.brands import brand_id as make_brand_id
from riskatlas.brands import display_name
from riskatlas.checksum import sha256_file
from riskatlas.importer.columns import one_metal
from riskatlas.importer.detect import detect_format
from riskatlas.importer.grid import rows_from_grids
from riskatlas.importer.id_check import check_ids
from riskatlas.importer.model import OUT_COLUMNS, Grid, ImportResult, ReportError
from riskatlas.importer.rmi_match import resolve_rows
from riskatlas.importer.rmi_reference import Reference, load_reference

ROW_COLUMNS = [
    *OUT_COLUMNS,
    "metal_as_reported",
    "metal_from",
    "id_as_reported",
    "status_as_reported",
    "country_iso3",
    "id_in_reference",
    "reference_name",
    "candidate_id",
    "candidate_name",
    "match_basis",
    "section",
    "removed_section",
    "row_no",
    "direct_sourcing",
    "indirect_sourcing",
    "origin_as_reported",
    "id_problem",
]
# A table under a title like "Smelters removed from the RMAP-conformant list" lists smelters
# the brand says it no longer uses: its rows are shown but do not become links.
REMOVED = re.compile(
    r"\b(removed|excluded|delisted|terminated|discontinued|no longer)\b", re.IGNORECASE
)


FLAGGED_SHOWN = 20  # flagged rows the command line lists one by one


def _grids(path: Path, fmt: str) -> list[Grid]:
    if fmt == "html":
        from riskatlas.importer.html_tables import parse_html

        return parse_html(path)
    if fmt == "pdf":
        from riskatlas.importer.pdf_tables import parse_pdf

        return parse_pdf(path)
    if fmt == "xlsx":
        from riskatlas.importer.xlsx_template import parse_xlsx

        return parse_xlsx(path)
    from riskatlas.importer.csv_table import parse_csv

    return parse_csv(path)


def extract_rows(
    path: Path, fmt: str, messages: list[str], skipped: list[dict] | None = None
) -> pd.DataFrame:
    """Every smelter row of the file, unresolved: metal, name, country, id and status as printed.

    Lines of smelter tables that name no smelter go to ``skipped`` (see rows_from_grids)."""
    grids = _grids(path, fmt)
    raw = rows_from_grids(grids, messages, skipped)
    if not raw:
        n = sum(1 for g in grids if g.cells)
        what = f"{n} table(s) read, none" if n else "no table found;"
        raise ReportError(
            f"no smelter table found in {path.name} ({fmt}): {what} has a header naming a "
            "smelter/facility name or smelter ID column (with metal, country, status), nor a "
            "column of RMI ids (CIDnnnnnn)"
        )
    df = pd.DataFrame(raw)
    metal = [one_metal(m) for m in df["metal_as_reported"]]
    df["metal"] = [m or c for m, c in zip(metal, df["metal_context"], strict=True)]
    df["metal_from"] = [
        "row" if m else ("section" if c else None)
        for m, c in zip(metal, df["metal_context"], strict=True)
    ]
    df["removed_section"] = [
        bool(s and REMOVED.search(s)) for s in df.get("section", [None] * len(df))
    ]
    return df


def import_report(
    path: str | Path,
    brand: str,
    year: int | None = None,
    reference: Reference | pd.DataFrame | None = None,
    *,
    db: str | Path | None = None,
) -> ImportResult:
    """Read a brand's smelter disclosure and resolve every row against the RMI list.

    ``reference`` is an ``rmi_reference`` table (or a Reference); by default the atlas
    database's, else one built from the raw RMI files. Raises ReportError with a message
    meant for the user when the file cannot be imported.
    """
    t0 = time.perf_counter()
    path = Path(path)
    if not brand or not str(brand).strip():
        raise ReportError("a brand name is needed (--brand)")
    fmt = detect_format(path)
    messages: list[str] = []
    skipped: list[dict] = []
    df = extract_rows(path, fmt, messages, skipped)
    if isinstance(reference, pd.DataFrame):
        reference = Reference(reference, "rmi_reference table given by the caller")
    elif reference is None:
        reference = load_reference(db)
    if reference is None:
        messages.append("no RMI reference list found: rows without an RMI id stay unresolved")
    df = resolve_rows(df, reference)
    if "section" not in df.columns:
        df["section"] = None
    df, rejected = _split_on_evidence(df)
    if df.empty:
        raise ReportError(_nothing_left(path, fmt, rejected))
    df = check_ids(df, reference)
    rows = df[ROW_COLUMNS].reset_index(drop=True)
    rows["match_score"] = rows["match_score"].astype("Float64")
    sha = sha256_file(path)
    summary = _summary(rows, path, sha, fmt, brand, year, reference, time.perf_counter() - t0)
    summary["lines_without_smelter"] = len(skipped)
    summary["rejected"] = len(skipped) + len(rejected)
    return ImportResult(
        rows=rows,
        summary=summary,
        file_name=path.name,
        sha256=sha,
        format=fmt,
        brand=display_name(brand),
        year=year,
        messages=messages,
        skipped=skipped,
        rejected=rejected,
    )


def _split_on_evidence(df: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """(smelter rows, rejected lines): a row stays only on evidence (see evidence.py)."""
    from riskatlas.importer.evidence import reject_record, rejection

    reasons = [rejection(r) for r in df.to_dict("records")]
    keep = [r is None for r in reasons]
    rejected = [
        reject_record(row, reason)
        for row, reason in zip(df.to_dict("records"), reasons, strict=True)
        if reason is not None
    ]
    return df[keep].reset_index(drop=True), rejected


def _nothing_left(path: Path, fmt: str, rejected: list[dict]) -> str:
    """The message for a file whose table-like lines were all rejected (prose, fragments)."""
    where = list(dict.fromkeys(str(r["ref"]).split(",")[0] for r in rejected))
    shown = ", ".join(where[:6]) + (", ..." if len(where) > 6 else "")
    return (
        f"no smelter rows in {path.name} ({fmt}): {len(rejected)} line(s) that looked like "
        f"table rows ({shown}) have no smelter ID, metal or country: prose or fragments, not a "
        "smelter list. Nothing was imported"
    )


def _summary(rows, path, sha, fmt, brand, year, reference, seconds) -> dict:
    by = Counter(rows["resolved_by"])
    per_metal = Counter(m if isinstance(m, str) else "(unknown)" for m in rows["metal"])
    return {
        "file": path.name,
        "sha256": sha,
        "format": fmt,
        "brand": display_name(brand),
        "brand_id": make_brand_id(brand),
        "year": year,
        "rows": len(rows),
        "per_metal": dict(sorted(per_metal.items(), key=lambda kv: (-kv[1], kv[0]))),
        "resolved_by_id": by.get("id", 0),
        "resolved_by_name": by.get("name", 0),
        "unresolved": by.get("unresolved", 0),
        # rows whose printed RMI id RMI contradicts (another company or metal, or no such
        # id): flagged on the row (id_problem), counted as unresolved, never linked
        "ids_flagged": int(rows["id_problem"].notna().sum()),
        "ids_not_in_reference": int(
            (rows["id_problem"].notna() & ~rows["id_in_reference"].eq(True)).sum()
        ),
        "rows_in_removed_sections": int(rows["removed_section"].sum()),
        "reference": reference.origin if reference is not None else None,
        "seconds": round(seconds, 2),
    }


def summary_text(result: ImportResult) -> str:
    """The summary as the command line prints it."""
    s = result.summary
    lines = [
        f"{s['file']} ({s['format']}, sha256 {s['sha256'][:12]}…): {s['rows']} smelter rows "
        f"for {s['brand']}" + (f", {s['year']}" if s["year"] else ""),
        "  per metal: " + ", ".join(f"{m} {n}" for m, n in s["per_metal"].items()),
        f"  resolved by ID:   {s['resolved_by_id']}",
        f"  resolved by name: {s['resolved_by_name']}",
        f"  unresolved:       {s['unresolved']}"
        + (
            f" (of which {s['ids_flagged']} printed an RMI id that RMI contradicts: see below)"
            if s.get("ids_flagged")
            else ""
        ),
        f"  rejected:         {s.get('rejected', 0)} line(s) read but not smelter rows"
        + (" (see --rejected)" if s.get("rejected") else ""),
    ]
    if s["rows_in_removed_sections"]:
        lines.append(
            f"  {s['rows_in_removed_sections']} row(s) under a 'removed' title: shown, not linked"
        )
    lines.append(f"  reference: {s['reference'] or 'none'}; {s['seconds']} s")
    lines.extend(f"  note: {m}" for m in result.messages)
    flagged = result.rows[result.rows["id_problem"].notna()]
    if len(flagged):
        lines.append(f"  ID flagged, not counted as resolved ({len(flagged)} row(s)):")
        for ref, problem in list(zip(flagged["ref"], flagged["id_problem"], strict=True))[
            :FLAGGED_SHOWN
        ]:
            lines.append(f"    {ref}: {problem}")
        if len(flagged) > FLAGGED_SHOWN:
            lines.append(
                f"    ... and {len(flagged) - FLAGGED_SHOWN} more (every row in --out's file "
                "is unresolved; the Import page lists them all)"
            )
    return "\n".join(lines)


def import_bytes(
    data: bytes,
    file_name: str,
    brand: str,
    year: int | None = None,
    reference: Reference | pd.DataFrame | None = None,
) -> ImportResult:
    """import_report() for an upload held in memory (the app's Import page): same result,
    with the upload's own file name in every reference."""
    import tempfile

    name = Path(file_name).name or "upload"
    with tempfile.TemporaryDirectory(prefix="riskatlas-import-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return import_report(path, brand, year, reference)
