"""RMI smelter/refiner reference list: the "Smelter Look-up" sheets of RMI's reporting templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    read_csv_text,
    read_workbook,
    records_frame,
    sha256_file,
)

SHEET = "Smelter Look-up"
HEADER_ROW = 4  # the cached header texts are in Chinese: columns are located by position
FIRST_ROW = 5
# Columns A-I of the Smelter Look-up sheet, in every template version.
COLUMNS = (
    "metal",
    "lookup_name",
    "standard_smelter_name",
    "country",
    "smelter_id",
    "id_source",
    "street",
    "city",
    "state_province",
)
CID = re.compile(r"^CID\d{6}$")
PLACEHOLDERS = ("smelter not listed", "smelter not yet identified")
TIER = "smelter_refiner"
TEMPLATES_PAGE = "https://www.responsiblemineralsinitiative.org/reporting-templates/"


@dataclass(frozen=True)
class Template:
    """One of the four newest template workbooks, with its release date (Revision sheet)."""

    template: str
    version: str
    released: str
    file: str

    @property
    def label(self) -> str:
        return f"{self.template}_{self.version}"


# The four newest templates, read from RMI's own workbooks.
ORIGINALS = (
    Template("CMRT", "6.5", "2025-04-25", "originals/RMI_CMRT_6.5.xlsx"),
    Template("EMRT", "2.1", "2025-10-17", "originals/RMI_EMRT_2.1.xlsx"),
    Template("CRT", "2.21", "2020-10-28", "originals/RMI_CRT_2.21.xlsx"),
    Template("AMRT", "1.3", "2025-10-17", "originals/RMI_AMRT_1.3.xlsx"),
)
# Every Smelter Look-up row of 15 template versions, extracted by the mirror's curator from
# the same workbooks (the older ones are not in the mirror): used for IDs that only older
# versions list, and for the aliases of every ID.
ALL_VERSIONS = "rmi_smelter_lookup_all_versions.csv"
ALL_VERSIONS_COLUMNS = (
    "template",
    "template_version",
    "template_release_date",
    "standard_list_as_of",
    *COLUMNS,
)

SOURCE = SourceInfo(
    source_id="rmi",
    title="RMI smelter and refiner reference list (Smelter Look-up of the CMRT, EMRT, CRT and AMRT)",
    publisher="Responsible Minerals Initiative (RMI)",
    url=TEMPLATES_PAGE,
    licence=(
        "No open licence stated: (c) Responsible Minerals Initiative, all rights reserved. "
        "Facility names, IDs and locations are shown with credit to RMI."
    ),
    data_date="2025-10-17 (EMRT 2.1, AMRT 1.3; CMRT 6.5 2025-04-25; CRT 2.21 2020-10-28)",
    folder="rmi_smelter_reference_list",
    files=tuple(t.file for t in ORIGINALS) + (ALL_VERSIONS,),
    fetch_urls={
        t.file: "https://www.responsiblemineralsinitiative.org/media/docs/templates/"
        + Path(t.file).name
        for t in ORIGINALS
    },
    notes=(
        "One record per RMI facility ID (CID). The four newest templates are read from RMI's "
        "workbooks; IDs that only older versions list (dropped, merged or renamed since) come "
        "from a CSV of all 15 versions' look-up rows and have in_latest_template = false. "
        "Location is the newest listing's city and state; RMI publishes no coordinates. Being "
        "on the list says nothing about RMAP conformance. Placeholder rows ('Smelter not "
        "listed', 'Smelter not yet identified') are rejected. RMI serves the workbooks after "
        "a terms-of-use page; the direct addresses are best knowledge, and the all-versions CSV "
        "(derived from the templates in github.com/cirscn/cm-reporting) has no publisher address."
    ),
    order=70,
    priority=0,
    match_role="query",
)


def load(raw_dir: Path) -> AdapterResult:
    """One record per smelter ID, from the newest template listing it, plus every alias.

    rows_in counts the look-up rows read: every non-empty row of the four workbooks' Smelter
    Look-up sheets plus the all-versions CSV's rows of the 11 older versions. Placeholder rows
    and rows without a valid ID are rejected; the other rows, several per ID (aliases and
    versions), are loaded into that ID's record.
    """
    paths = {name: SOURCE.path(raw_dir, name) for name in SOURCE.files}
    rows: list[dict[str, Any]] = []
    for t in ORIGINALS:
        rows.extend(_workbook_rows(paths[t.file], t))
    rows.extend(_older_rows(paths[ALL_VERSIONS]))
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes = {name: sha256_file(p) for name, p in paths.items()}

    usable = []
    for row in rows:
        reason = _reject_reason(row)
        if reason:
            result.reject(row["ref"], reason, {k: row.get(k) for k in ("template", *COLUMNS)})
        else:
            usable.append(row)
    reference = _reference(usable)
    result.tables["rmi_reference"] = reference
    result.tables["records"] = _records(reference)
    return result


def _workbook_rows(path: Path, t: Template) -> list[dict[str, Any]]:
    """Look-up rows A-I of one original workbook; a damaged workbook is a SourceError naming it."""
    return read_workbook(lambda p: _read_workbook_rows(p, t), path, "rmi")


def _read_workbook_rows(path: Path, t: Template) -> list[dict[str, Any]]:
    """Look-up rows A-I of one original workbook, validated by content, not by header text."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as e:
        raise SourceError(f"rmi: {path.name} is not a readable xlsx workbook: {e}") from e
    try:
        if SHEET not in wb.sheetnames:
            raise SourceError(
                f"rmi: {path.name} has no '{SHEET}' sheet (sheets: {', '.join(wb.sheetnames)}); "
                "is it an RMI reporting template?"
            )
        ws = wb[SHEET]
        out = []
        for n, values in enumerate(
            ws.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True), FIRST_ROW
        ):
            cells = [clean_text(v) for v in values] + [None] * (len(COLUMNS) - len(values))
            if not any(cells):
                continue
            row = dict(zip(COLUMNS, cells, strict=True))
            row.update(template=t.label, released=t.released, original=True)
            row["ref"] = f"{t.label}!{SHEET}!row{n}"
            out.append(row)
    finally:
        wb.close()
    _check_layout(path.name, out)
    return out


def _check_layout(name: str, rows: list[dict[str, Any]]) -> None:
    """Columns A-I must hold what they hold in every RMI template: IDs in E, countries in D."""
    with_id = [r for r in rows if r["smelter_id"] and CID.match(r["smelter_id"])]
    if not with_id:
        raise SourceError(
            f"rmi: {name}: no smelter ID (CIDnnnnnn) in column E of '{SHEET}' from row "
            f"{FIRST_ROW}; the sheet layout is not the RMI template's"
        )
    countries = sum(1 for r in with_id if to_iso3(r["country"]))
    if countries < 0.95 * len(with_id):
        raise SourceError(
            f"rmi: {name}: only {countries} of {len(with_id)} rows with a smelter ID have a "
            "country in column D; the sheet layout is not the RMI template's"
        )


def _older_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of the template versions that are not among the originals (all older)."""
    df = read_csv_text(path, SOURCE.source_id)
    missing = [c for c in ALL_VERSIONS_COLUMNS if c not in df.columns]
    if missing:
        raise SourceError(f"rmi: {path.name} lacks columns {missing}")
    originals = {(t.template, t.version) for t in ORIGINALS}
    out = []
    for n, rec in enumerate(df.to_dict("records"), 2):
        if (rec["template"], rec["template_version"]) in originals:
            continue  # read from RMI's own workbook instead
        row = {c: clean_text(rec[c]) for c in COLUMNS}
        label = f"{rec['template']}_{rec['template_version']}"
        row.update(template=label, released=rec["template_release_date"], original=False)
        row["ref"] = f"{ALL_VERSIONS}!line{n}"
        out.append(row)
    return out


def _reject_reason(row: dict[str, Any]) -> str | None:
    """Why a look-up row is not a facility, or None if it is one."""
    name = (row["lookup_name"] or "").lower()
    if name in PLACEHOLDERS:
        return f"placeholder row '{row['lookup_name']}' (a template choice, not a facility)"
    sid = row["smelter_id"]
    if not sid:
        return "no smelter ID"
    if not CID.match(sid):
        return f"smelter ID '{sid}' is not of the form CIDnnnnnn"
    return None


def _rank(row: dict[str, Any]) -> tuple:
    """Newest listing first: release date, then RMI's own workbook, then version."""
    version = tuple(int(p) for p in re.findall(r"\d+", row["template"].split("_", 1)[1]))
    return (row["released"], row["original"], version)


def _reference(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per smelter ID: the newest listing's fields and every name seen for it."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_id.setdefault(row["smelter_id"], []).append(row)
    latest = {t.label for t in ORIGINALS}
    out = []
    for sid in sorted(by_id):
        listing = sorted(by_id[sid], key=_rank, reverse=True)
        top = listing[0]
        standard = top["standard_smelter_name"] or top["lookup_name"]
        names = [r[c] for r in listing for c in ("lookup_name", "standard_smelter_name")]
        aliases = sorted({n for n in names if n and n != standard})
        minerals = normalise(top["metal"])
        seen = sorted({r["template"] for r in listing}, key=lambda lbl: _rank_label(listing, lbl))
        out.append(
            {
                "smelter_id": sid,
                "metal": top["metal"],
                "mineral": minerals[0] if minerals else None,
                "standard_smelter_name": standard,
                "country_iso3": to_iso3(top["country"]),
                "country_raw": top["country"],
                "state_province": top["state_province"],
                "city": top["city"],
                "aliases": aliases,
                "in_latest_template": any(r["template"] in latest for r in listing),
                "latest_template": top["template"],
                "templates_seen": seen,
            }
        )
    return pd.DataFrame(out)


def _rank_label(listing: list[dict[str, Any]], label: str) -> tuple:
    return min(_rank(r) for r in listing if r["template"] == label)


def _records(ref: pd.DataFrame) -> pd.DataFrame:
    """The candidate-site records: one smelter per ID, located later by the geocoder."""
    rows = [
        {
            "source_ref": r.smelter_id,
            "name": r.standard_smelter_name,
            "tier": TIER,
            "lat": None,
            "lon": None,
            "geo_precision": None,
            "country_iso3": r.country_iso3,
            "country_raw": r.country_raw,
            "province": r.state_province,
            "city": r.city,
            "address": None,  # the Street column is empty in every template version
            "minerals": [r.mineral] if r.mineral else [],
            "rmi_id": r.smelter_id,
            "aliases": list(r.aliases),
            "metal": r.metal,
            "templates_seen": list(r.templates_seen),
            "in_latest_template": bool(r.in_latest_template),
        }
        for r in ref.itertuples(index=False)
    ]
    return records_frame(rows)
