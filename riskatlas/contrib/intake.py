"""From an upload or the form to pending contributions: read, validate, locate, save all or none."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas.contrib import store
from riskatlas.contrib.locate import SiteLookup, locate, unknown_site_ids
from riskatlas.contrib.readers import ParsedFile, read_upload
from riskatlas.contrib.validate import (
    IGNORED_KEYS,
    Contribution,
    RowError,
    clean_text,
    column_key,
    is_site_id,
    map_columns,
    validate_form,
    validate_row,
)


@dataclass
class SubmitResult:
    """What happened to a submission: the new ids (all pending), or every problem and no ids."""

    ids: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    encoding: str = ""
    kind: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_frame(self) -> pd.DataFrame:
        """The problems as a table (row, unit, field, problem, value), in file order."""
        cols = ["row", "unit", "field", "problem", "value"]
        return pd.DataFrame([e.as_dict() for e in self.errors], columns=cols)


def check_file(
    data: bytes,
    filename: str = "",
    contributor_default: str | None = None,
    site_lookup: SiteLookup | None = None,
    geocoder: Any = None,
) -> tuple[list[Contribution], SubmitResult]:
    """Validate and locate every row of an upload without saving anything."""
    parsed = read_upload(data, filename)
    result = SubmitResult(rows=len(parsed.rows), encoding=parsed.encoding, kind=parsed.kind)
    result.errors = list(parsed.errors)
    if any(e.row == 0 for e in parsed.errors):
        return [], result
    failed: list[tuple[int, str, str]] = []
    contribs = _validate_parsed(parsed, contributor_default, result.errors, failed)
    result.errors += unknown_site_ids(failed, site_lookup)
    result.errors += locate(contribs, site_lookup=site_lookup, geocoder=geocoder)
    result.errors.sort(key=lambda e: e.row)
    return contribs, result


def _checkable_site_id(values: Mapping[str, Any], errors: list[RowError], row: int) -> str:
    """The site id a record that failed validation names, if it is well formed and has no
    problem of its own (then it can still be looked up, so every problem is said at once)."""
    if any(e.row == row and e.field == "site_id" for e in errors):
        return ""
    raw = values.get("site_id")
    sid = "" if isinstance(raw, dict | list | tuple) else clean_text(raw)
    return sid if sid and is_site_id(sid) else ""


def _validate_parsed(
    parsed: ParsedFile,
    default: str | None,
    errors: list[RowError],
    failed: list[tuple[int, str, str]] | None = None,
):
    contribs: list[Contribution] = []
    if parsed.kind == "csv":
        mapping, missing, errs = map_columns(
            parsed.columns, row=parsed.header_row, contributor_default=bool(default)
        )
        errors += errs
    for raw in parsed.rows:
        values = raw.values
        if parsed.kind == "geojson":
            props = {k: v for k, v in values.items() if not k.startswith("__")}
            mapping, missing, errs = map_columns(
                props,
                row=raw.row,
                unit="feature",
                contributor_default=bool(default),
                ignore=IGNORED_KEYS,
            )
            errors += errs
            missing = set()  # GeoJSON has no header: each feature reports its own empty fields
        fields = {mapping[k]: v for k, v in values.items() if k in mapping}
        if "__lat" in values:
            if fields.get("lat") not in (None, "") or fields.get("lon") not in (None, ""):
                errors.append(
                    RowError(
                        raw.row,
                        "geometry",
                        "give the point once: as geometry or as lat/lon properties, not both",
                        unit=parsed.unit,
                    )
                )
            fields["lat"], fields["lon"] = values["__lat"], values["__lon"]
        c, errs = validate_row(
            raw.row, fields, unit=parsed.unit, contributor_default=default, skip_required=missing
        )
        errors += errs
        if c is not None:
            contribs.append(c)
        elif failed is not None:
            failed.append((raw.row, parsed.unit, _checkable_site_id(fields, errs, raw.row)))
    first: dict[str, int] = {}
    for c in contribs:
        fp = c.fingerprint()
        if fp in first:
            errors.append(RowError(c.row, "row", f"repeats {parsed.unit} {first[fp]}", unit=c.unit))
        first.setdefault(fp, c.row)
    return contribs


def submit_file(
    data: bytes,
    filename: str = "",
    contributor_default: str | None = None,
    *,
    db_path: str | Path | None = None,
    site_lookup: SiteLookup | None = None,
    geocoder: Any = None,
    via: str = "upload",
    dry_run: bool = False,
) -> SubmitResult:
    """Validate an upload and save every row as pending, or, if any row is wrong, save nothing.

    ``contributor_default`` fills the contributor of rows (or files) that do not name one.
    """
    contribs, result = check_file(data, filename, contributor_default, site_lookup, geocoder)
    if result.errors or dry_run:
        return result
    name = Path(filename).name if filename else "file"
    ids, errors = store.add(contribs, f"{via}:{name}", db_path)
    result.ids, result.errors = ids, errors
    return result


def submit_form(
    values: Mapping[str, Any],
    *,
    db_path: str | Path | None = None,
    site_lookup: SiteLookup | None = None,
    geocoder: Any = None,
) -> SubmitResult:
    """The app's form: one record, the same rules as an upload row."""
    c, errors = validate_form(values)
    result = SubmitResult(rows=1, kind="form", errors=errors)
    if c is None:
        mapped = {column_key(k): v for k, v in values.items()}
        sid = _checkable_site_id(mapped, errors, 1)
        result.errors = errors + unknown_site_ids([(1, "row", sid)], site_lookup)
        return result
    result.errors = locate([c], site_lookup=site_lookup, geocoder=geocoder)
    if result.errors:
        return result
    result.ids, result.errors = store.add([c], "form", db_path)
    return result
