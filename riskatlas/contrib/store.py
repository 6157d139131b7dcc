"""The contributions database: its own DuckDB file, all-or-nothing saves, review status and log.

The file is :func:`riskatlas.paths.contributions_db_path` ($RISKATLAS_CONTRIBUTIONS_DB, else
data/contributions.duckdb). A build writes only the atlas database and never opens this one.
Connections are short-lived (opened per call, closed at once) so the app and the command line
can take turns on the same file.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from riskatlas import paths, schema, sql
from riskatlas.contrib.validate import Contribution, RowError, clean_text

STATUSES = ("pending", "approved", "rejected")
DECISIONS = ("approved", "rejected")
SCHEMA_VERSION = "1"
SITE_KEY_PREFIX = "contrib:"  # a contribution that names no atlas site is shown as contrib:<id>
FACT_NAME = "contributed_report"
SOURCE_LABEL = "contributed"  # never a published source: shown apart, never counted with them

# The tables, sequences and the `reviews` view are declared in queries/schema_contrib.sql.
# Files made before the one log kept contribution reviews in a table `reviews`: moved into
# review_log once (queries/contrib_migrate_reviews.sql); `reviews` stays readable as a view.
# what a reader sees of a contribution: every declared column but the duplicate fingerprint
COLUMNS = tuple(c for c in schema.columns("contributions") if c != "fingerprint")
_INSERTED = COLUMNS[1:22] + ("fingerprint",)

_LOCK = threading.RLock()  # one connection at a time per process (the app runs sessions in threads)
BUSY_SECONDS = 5.0


class StoreError(Exception):
    """A contributions-database problem the user can act on (message is for people)."""


class UnknownContribution(StoreError):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def database(db_path: str | Path | None = None) -> Path:
    """The contributions file; refuses the atlas file, which every build replaces."""
    path = paths.contributions_db_path(db_path)
    if path.resolve() == paths.db_path().resolve():
        raise StoreError(
            f"the contributions database {path} is the atlas database, which a build replaces; "
            "set RISKATLAS_CONTRIBUTIONS_DB to another file"
        )
    return path


@contextmanager
def connect(
    db_path: str | Path | None = None, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection, retried while another process holds the file."""
    path = database(db_path)
    with _LOCK:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise StoreError(
                        f"cannot open the contributions database {path}: {str(exc).splitlines()[0]}"
                    ) from exc
                time.sleep(0.1)
        try:
            if not read_only:
                _ensure_schema(con)
            yield con
        finally:
            con.close()


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    # the view comes after an old `reviews` table is moved out of the way
    schema.create_all(con, "contrib", "if_not_exists", skip=("reviews",))
    (old,) = sql.execute(con, "contrib_old_reviews").fetchone()
    if old:
        sql.execute(con, "contrib_migrate_reviews")
        sql.execute(con, "contrib_drop_old_reviews")
    schema.create(con, "reviews", "if_not_exists")
    sql.execute(con, "contrib_schema_version", {"version": SCHEMA_VERSION})


def log_review(con, kind: str, item_id: int, status, previous, by, when, note) -> None:
    """Append one decision to the audit log (never updated or deleted)."""
    sql.execute(
        con,
        "review_log_add",
        {
            "kind": kind,
            "id": int(item_id),
            "status": status,
            "previous": previous,
            "by": by,
            "at": when,
            "note": note,
        },
    )


def _readable(db_path) -> bool:
    return database(db_path).is_file()


def add(
    contribs: list[Contribution],
    submitted_via: str,
    db_path: str | Path | None = None,
) -> tuple[list[int], list[RowError]]:
    """Save every contribution as pending, or none of them (one transaction).

    Returns (new ids, errors). A record already submitted before (same site, date, evidence,
    text and contributor) is an error for its row, and then nothing is saved.
    """
    if not contribs:
        return [], []
    now = _now()
    with connect(db_path) as con:
        con.begin()
        try:
            prints = [c.fingerprint() for c in contribs]
            known = dict(sql.execute(con, "contrib_fingerprints", {"prints": prints}).fetchall())
            errors = [
                RowError(
                    c.row, "row", f"already submitted as contribution {known[fp]}", unit=c.unit
                )
                for c, fp in zip(contribs, prints, strict=True)
                if fp in known
            ]
            if errors:
                con.rollback()
                return [], errors
            ids = []
            for c, fp in zip(contribs, prints, strict=True):
                row = dict(zip(_INSERTED, _row(c, now, submitted_via) + [fp], strict=True))
                ids.append(sql.execute(con, "contrib_insert", row).fetchone()[0])
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return ids, []


def _row(c: Contribution, now: dt.datetime, via: str) -> list[Any]:
    return [
        "pending",
        c.site_name,
        c.tier,
        c.description,
        c.event_date,
        c.evidence_url,
        c.contributor,
        c.site_id,
        c.country_iso3,
        c.country_raw,
        c.province,
        c.city,
        c.lat,
        c.lon,
        c.geo_precision,
        c.location_source,
        c.geo_note,
        list(c.minerals),
        now,
        via,
        c.row if via != "form" else None,
    ]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(COLUMNS))


def _select(db_path, status: str | None = None, contribution_id: int | None = None) -> pd.DataFrame:
    """Stored contributions of one status or id (all when None); an absent file holds none."""
    if not _readable(db_path):
        return _empty()
    with connect(db_path, read_only=True) as con:
        try:
            df = sql.run(con, "contrib_list", {"status": status, "id": contribution_id})
        except duckdb.CatalogException as exc:
            raise StoreError(f"{database(db_path)} is not a contributions database") from exc
    return _typed(df)


def list_contributions(status: str | None = "pending", db_path=None) -> pd.DataFrame:
    """Contributions with one status (or all when None), oldest first."""
    if status is None:
        return _select(db_path)
    if status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    return _select(db_path, status=status)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as dates (not midnight timestamps) and minerals as plain lists."""
    df["event_date"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in df["event_date"]]
    df["minerals"] = [
        list(m) if m is not None and not isinstance(m, float) else [] for m in df["minerals"]
    ]
    return df


def get_contribution(contribution_id: int, db_path=None) -> dict[str, Any]:
    """One contribution by id; UnknownContribution when there is none."""
    df = _select(db_path, contribution_id=int(contribution_id))
    if df.empty:
        raise UnknownContribution(f"no contribution with id {contribution_id}")
    return df.iloc[0].to_dict()


def review(
    contribution_id: int,
    decision: str,
    by: str,
    note: str | None = None,
    force: bool = False,
    db_path=None,
) -> dict[str, Any]:
    """Approve or reject a contribution; every decision is also kept in the ``reviews`` log.

    Why the rules: a reviewer must be named; a rejection must say why (the contributor can
    read it); a decision already taken is only changed with ``force``.
    """
    if decision not in DECISIONS:
        raise StoreError(f"decision must be one of {', '.join(DECISIONS)}")
    by = clean_text(by)
    note = clean_text(note, multiline=True) or None
    if not by:
        raise StoreError("say who reviews it (--by NAME)")
    if decision == "rejected" and not note:
        raise StoreError("a rejection needs a note saying why (--note TEXT)")
    if not _readable(db_path):
        raise UnknownContribution(
            f"no contribution with id {contribution_id} (no contributions yet)"
        )
    now = _now()
    with connect(db_path) as con:
        con.begin()
        try:
            found = sql.execute(con, "contrib_status", {"id": int(contribution_id)}).fetchone()
            if found is None:
                raise UnknownContribution(f"no contribution with id {contribution_id}")
            status, prev_by, prev_at = found
            if status == decision:
                raise StoreError(
                    f"contribution {contribution_id} is already {status} "
                    f"(by {prev_by} at {prev_at})"
                )
            if status != "pending" and not force:
                raise StoreError(
                    f"contribution {contribution_id} was {status} by {prev_by} at "
                    f"{prev_at}; pass --force to change the decision"
                )
            sql.execute(
                con,
                "contrib_review",
                {"status": decision, "by": by, "at": now, "note": note, "id": int(contribution_id)},
            )
            log_review(con, "contribution", int(contribution_id), decision, status, by, now, note)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return get_contribution(contribution_id, db_path)
