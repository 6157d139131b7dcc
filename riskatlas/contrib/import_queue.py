"""Saved imports as submissions: nothing a visitor uploads reaches the atlas unreviewed.

Why: a saved import becomes the brand's *documented* links at the next build ("Samsung lists
this smelter"). Before, any visitor of the Import page could put any company's name on any
smelter. Now a save writes a pending submission, apart from the build's inputs
(:func:`riskatlas.paths.submissions_dir`), listed by ``python -m riskatlas review`` beside
contributions; only an approval by a named maintainer copies the file into the imports the build
reads (:func:`riskatlas.paths.imports_dir`), with the approval (who, when, note) in its sidecar,
and so in the provenance of every link it produces. Every decision goes to the one append-only
review log (:mod:`riskatlas.contrib.store`).

Limits hold under abuse (riskatlas.settings): pending submissions per client address and in
total, and the bytes they take on disk. A file that fails validation (empty, too large, no
smelter row) or meets a limit leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas import paths, schema, settings, sql
from riskatlas.contrib import store
from riskatlas.contrib.validate import clean_text
from riskatlas.importer.model import ReportError
from riskatlas.importer.saved import MAX_BYTES, check_year, safe_name, save_import

KIND = "import"
COLUMNS = tuple(schema.columns("import_submissions"))  # queries/schema_contrib.sql


class LimitReached(store.StoreError):
    """A pending-submission limit is reached: the message says which and what to do."""


@dataclass(frozen=True)
class Submission:
    submission_id: int
    stored: Path
    rows_read: int
    rows_rejected: int


def _read_counts(data: bytes, file_name: str, brand: str, year: int | None) -> tuple[int, int]:
    """Rows the importer reads and rejects in the file; a file with no smelter row is refused."""
    from riskatlas.importer.report import import_bytes
    from riskatlas.sources.brand_lists import load_reference

    result = import_bytes(data, file_name, brand, year, load_reference())
    read = len(result.rows)
    rejected = len(result.rejected_frame())
    if read == 0:
        raise ReportError(f"{file_name}: no smelter row found, so there is nothing to review")
    return read, rejected


def _check_limits(con, client: str | None, size: int) -> None:
    pending = sql.execute(con, "import_limits", {"client": client or ""}).fetchone()
    n_total, n_bytes, n_client = (int(v) for v in pending)
    per_client = settings.PENDING_PER_CLIENT.number()
    total = settings.PENDING_TOTAL.number()
    max_bytes = settings.PENDING_BYTES.number() * 1024 * 1024
    if client and n_client >= per_client:
        raise LimitReached(
            f"this address already has {n_client} import(s) waiting for review (the limit is "
            f"{per_client}); please wait until a maintainer has reviewed them"
        )
    if n_total >= total:
        raise LimitReached(
            f"{n_total} imports are already waiting for review (the limit is {total}); "
            "please try again after a maintainer has reviewed them"
        )
    if n_bytes + size > max_bytes:
        raise LimitReached(
            "the files waiting for review would take more than "
            f"{settings.PENDING_BYTES.number()} MB on disk; please try again later"
        )


def submit_import(
    data: bytes,
    file_name: str,
    brand: str,
    year: object = None,
    *,
    submitted_by: str | None = None,
    client: str | None = None,
    via: str = "form",
    db_path: str | Path | None = None,
    directory: str | Path | None = None,
) -> Submission:
    """Keep an upload as a pending submission, or raise (ReportError, LimitReached) and keep
    nothing: the file is written only after it validates and the limits allow it, and removed
    again if the database refuses the row."""
    brand = clean_text(brand)
    if not brand:
        raise ReportError("a brand name is needed to submit an import")
    if not data:
        raise ReportError(f"{file_name or 'the file'} is empty: nothing to submit")
    if len(data) > MAX_BYTES:
        raise ReportError(f"{file_name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    year = check_year(year)
    read, rejected = _read_counts(data, file_name, brand, year)
    sha = hashlib.sha256(data).hexdigest()
    folder = paths.submissions_dir(directory)
    stored = folder / f"{sha[:16]}_{safe_name(file_name)}"
    with store.connect(db_path) as con:
        con.begin()
        try:
            _check_limits(con, client, len(data))
            dup = sql.execute(con, "import_duplicate", {"sha256": sha, "brand": brand}).fetchone()
            if dup:
                raise store.StoreError(
                    f"this file is already waiting for review as import {dup[0]}"
                )
            folder.mkdir(parents=True, exist_ok=True)
            tmp = stored.with_name(f".{stored.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, stored)
            (new_id,) = sql.execute(
                con,
                "import_insert",
                {
                    "brand": brand,
                    "year": year,
                    "file_name": Path(str(file_name).replace("\\", "/")).name or "upload",
                    "stored_file": stored.name,
                    "sha256": sha,
                    "size": len(data),
                    "rows_read": read,
                    "rows_rejected": rejected,
                    "submitted_by": clean_text(submitted_by) or None,
                    "client": client,
                    "submitted_at": store._now(),
                    "submitted_via": via,
                },
            ).fetchone()
            con.commit()
        except BaseException:
            con.rollback()
            _remove(stored, keep_if_referenced=con)
            raise
    return Submission(int(new_id), stored, read, rejected)


def _remove(stored: Path, keep_if_referenced=None) -> None:
    """Remove a file this call wrote, unless another pending submission keeps the same name."""
    if keep_if_referenced is not None:
        try:
            (n,) = sql.execute(
                keep_if_referenced, "import_file_in_use", {"stored_file": stored.name}
            ).fetchone()
            if n:
                return
        except Exception:  # noqa: BLE001 - the file is removed when in doubt
            pass
    stored.unlink(missing_ok=True)
    for tmp in stored.parent.glob(f".{stored.name}.*.tmp") if stored.parent.is_dir() else []:
        tmp.unlink(missing_ok=True)


def list_submissions(status: str | None = "pending", db_path=None) -> pd.DataFrame:
    """Import submissions with one status (all when None), oldest first."""
    if not store.database(db_path).is_file():
        return pd.DataFrame(columns=list(COLUMNS))
    with store.connect(db_path) as con:
        return sql.run(con, "import_submissions", {"status": status})[list(COLUMNS)]


def get_submission(submission_id: int, db_path=None) -> dict[str, Any]:
    frame = list_submissions(None, db_path)
    found = frame[frame["submission_id"] == int(submission_id)]
    if found.empty:
        raise store.UnknownContribution(f"no import submission with id {submission_id}")
    return found.iloc[0].to_dict()


def review_import(
    submission_id: int,
    decision: str,
    by: str,
    note: str | None = None,
    force: bool = False,
    db_path=None,
    directory: str | Path | None = None,
    imports: str | Path | None = None,
) -> dict[str, Any]:
    """Approve (the file joins the build's imports, the approval in its sidecar) or reject (the
    pending file is deleted; the record and the log stay) an import submission."""
    if decision not in store.DECISIONS:
        raise store.StoreError(f"decision must be one of {', '.join(store.DECISIONS)}")
    by, note = clean_text(by), clean_text(note, multiline=True) or None
    if not by:
        raise store.StoreError("say who reviews it (--by NAME)")
    if decision == "rejected" and not note:
        raise store.StoreError("a rejection needs a note saying why (--note TEXT)")
    row = get_submission(submission_id, db_path)
    if row["status"] == decision:
        raise store.StoreError(f"import {submission_id} is already {decision}")
    if row["status"] != "pending" and not force:
        raise store.StoreError(
            f"import {submission_id} was {row['status']} by {row['reviewed_by']}; pass --force "
            "to change the decision"
        )
    pending = paths.submissions_dir(directory) / str(row["stored_file"])
    now = store._now()
    if decision == "approved":
        if not pending.is_file():
            raise store.StoreError(
                f"import {submission_id}'s file {row['stored_file']} is no longer in "
                f"{pending.parent}; it cannot be approved"
            )
        save_import(
            pending.read_bytes(),
            str(row["file_name"]),
            str(row["brand"]),
            None if pd.isna(row["year"]) else int(row["year"]),
            saved_by=None if pd.isna(row["submitted_by"]) else row["submitted_by"],
            directory=imports,
            approval={
                "submission_id": int(submission_id),
                "approved_by": by,
                "approved_at": now.isoformat(),
                "review_note": note,
            },
        )
    with store.connect(db_path) as con:
        sql.execute(
            con,
            "import_review",
            {"status": decision, "by": by, "at": now, "note": note, "id": int(submission_id)},
        )
        store.log_review(con, KIND, submission_id, decision, row["status"], by, now, note)
    if decision == "rejected":
        pending.unlink(missing_ok=True)
    return get_submission(submission_id, db_path)
