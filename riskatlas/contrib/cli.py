"""`python -m riskatlas review` and `contribute`: list, approve or reject, and submit a file."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import duckdb
import pandas as pd

from riskatlas.contrib import import_queue, store
from riskatlas.contrib.validate import clean_text
from riskatlas.importer.model import ReportError

MAX_SHOWN = 400


def add_parser(subparsers) -> None:
    """Add the ``review`` and ``contribute`` subcommands to the main command line."""
    r = subparsers.add_parser(
        "review",
        help="list pending contributions and import submissions, approve or reject one",
        description="Without options: list pending contributions and saved imports. A "
        "contribution shows on the map, and an import's links enter the atlas at the next "
        "build, only once approved; a rejection needs a note saying why.",
    )
    act = r.add_mutually_exclusive_group()
    ids = "contribution ID, or import submission import:ID"
    act.add_argument("--approve", type=item_id, metavar="ID", help=f"approve {ids}")
    act.add_argument("--reject", type=item_id, metavar="ID", help=f"reject {ids}")
    act.add_argument("--show", type=item_id, metavar="ID", help=f"show {ids} in full")
    r.add_argument(
        "--by",
        metavar="NAME",
        help="who reviews (required to approve; to reject, defaults to your login name)",
    )
    r.add_argument("--note", metavar="TEXT", help="review note (required to reject)")
    r.add_argument("--force", action="store_true", help="change a decision already taken")
    r.add_argument(
        "--status",
        choices=(*store.STATUSES, "all"),
        default="pending",
        help="which contributions to list (default: pending)",
    )
    r.add_argument(
        "--db",
        help="contributions database (default: $RISKATLAS_CONTRIBUTIONS_DB "
        "or data/contributions.duckdb)",
    )
    r.set_defaults(func=run, contrib_command="review")

    c = subparsers.add_parser(
        "contribute",
        help="submit a CSV or GeoJSON file of documented sites and incidents for review",
        description="Every row is checked; if any row has a problem nothing is saved and every "
        "problem is listed by row. Saved rows wait for review (python -m riskatlas review).",
    )
    c.add_argument("file", help="CSV or GeoJSON file")
    c.add_argument("--by", metavar="NAME", help="contributor for rows that do not name one")
    c.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
    c.add_argument(
        "--db",
        help="contributions database (default: $RISKATLAS_CONTRIBUTIONS_DB "
        "or data/contributions.duckdb)",
    )
    c.set_defaults(func=run, contrib_command="contribute")


def run(args: argparse.Namespace) -> int:
    """Run ``review`` or ``contribute``; problems are messages and a non-zero exit, never tracebacks."""
    try:
        if getattr(args, "contrib_command", "review") == "contribute":
            return _contribute(args)
        return _review(args)
    except (store.StoreError, ReportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (duckdb.Error, OSError) as exc:
        print(
            f"error: the contributions database cannot be used: "
            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
            file=sys.stderr,
        )
        return 2


def item_id(text: str) -> tuple[str, int]:
    """'12' -> a contribution; 'import:3' (or 'i3', 'import-3') -> an import submission."""
    raw = str(text).strip().lower()
    kind = "contribution"
    for prefix in ("import:", "import-", "import", "i"):
        if raw.startswith(prefix) and raw[len(prefix) :].isdigit():
            kind, raw = "import", raw[len(prefix) :]
            break
    if not raw.isdigit():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an id: give a contribution's number (12) or import:N for a saved "
            "import"
        )
    return kind, int(raw)


def _review(args) -> int:
    for action in ("approve", "reject", "show"):
        value = getattr(args, action)
        if value is not None and value[0] == "import":
            return _review_import(args, action, value[1])
        if value is not None:
            setattr(args, action, value[1])
    if args.approve is not None:
        if not clean_text(args.by):
            print("error: say who approves it: --by NAME", file=sys.stderr)
            return 1
        row = store.review(args.approve, "approved", args.by, args.note, args.force, args.db)
        print(
            f"contribution {row['contribution_id']} approved by {_safe(row['reviewed_by'])}; "
            "it now shows on the map as contributed evidence"
        )
        return 0
    if args.reject is not None:
        by = args.by if clean_text(args.by) else getpass.getuser()
        row = store.review(args.reject, "rejected", by, args.note, args.force, args.db)
        print(
            f"contribution {row['contribution_id']} rejected by {_safe(row['reviewed_by'])}"
            + ("" if clean_text(args.by) else " (your login name; pass --by NAME to name yourself)")
        )
        return 0
    if args.show is not None:
        print(_describe(store.get_contribution(args.show, args.db), full=True))
        return 0
    status = None if args.status == "all" else args.status
    df = store.list_contributions(status, args.db)
    imports = import_queue.list_submissions(status, args.db)
    what = "contributions" if status is None else f"{status} contributions"
    if df.empty:
        print(f"no {what} in {store.database(args.db)}")
    else:
        print(f"{len(df)} {what} (oldest first) in {store.database(args.db)}")
        for rec in df.to_dict("records"):
            print()
            print(_describe(rec, full=False))
    what = "saved imports" if status is None else f"{status} saved imports"
    print()
    print(f"{len(imports)} {what} (oldest first)" if len(imports) else f"no {what}")
    for rec in imports.to_dict("records"):
        print()
        print(_describe_import(rec))
    if status == "pending" and (len(df) or len(imports)):
        print("\napprove: python -m riskatlas review --approve ID --by NAME [--note TEXT]")
        print("reject:  python -m riskatlas review --reject ID --note TEXT [--by NAME]")
        print("(ID is a contribution's number, or import:N for a saved import)")
    return 0


def _review_import(args, action: str, submission_id: int) -> int:
    """Approve, reject or show one import submission."""
    if action == "show":
        print(_describe_import(import_queue.get_submission(submission_id, args.db)))
        return 0
    if action == "approve" and not clean_text(args.by):
        print("error: say who approves it: --by NAME", file=sys.stderr)
        return 1
    by = args.by if clean_text(args.by) else getpass.getuser()
    decision = "approved" if action == "approve" else "rejected"
    row = import_queue.review_import(submission_id, decision, by, args.note, args.force, args.db)
    tail = (
        "; its links enter the atlas at the next `python -m riskatlas build`"
        if decision == "approved"
        else "; its file was deleted, the record and the decision are kept"
    )
    print(f"import {row['submission_id']} {decision} by {_safe(row['reviewed_by'])}{tail}")
    return 0


def _describe_import(rec: dict) -> str:
    """One import submission as the review list shows it."""
    year = "" if pd.isna(rec["year"]) else f" {int(rec['year'])}"
    lines = [
        f"#import:{rec['submission_id']}  [{rec['status']}]  submitted "
        f"{_day(rec['submitted_at'])} UTC via {_safe(rec['submitted_via'])}",
        f"    brand:    {_safe(rec['brand'])}{year}",
        f"    file:     {_safe(rec['file_name'])} ({int(rec['size']):,} bytes, sha256 "
        f"{rec['sha256'][:16]}…)",
        f"    rows:     {rec['rows_read']} read, {rec['rows_rejected']} rejected by the importer",
        f"    by:       {_safe(rec['submitted_by']) or 'not given'}"
        + (f" (client {_safe(rec['client'])})" if _safe(rec["client"]) else ""),
    ]
    if rec["status"] != "pending":
        lines.append(
            f"    review:   {rec['status']} by {_safe(rec['reviewed_by'])} on "
            f"{_day(rec['reviewed_at'])} UTC"
            + (f": {_safe(rec['review_note'])}" if _safe(rec["review_note"]) else "")
        )
    return "\n".join(lines)


def _contribute(args) -> int:
    from riskatlas.contrib.intake import submit_file

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    res = submit_file(data, path.name, args.by, db_path=args.db, via="cli", dry_run=args.dry_run)
    if res.errors:
        for e in res.errors:
            print(_safe(str(e)), file=sys.stderr)
        rows = len({e.row for e in res.errors if e.row})
        print(
            f"nothing was saved: {len(res.errors)} problem(s)"
            + (f" in {rows} {'feature' if res.kind == 'geojson' else 'row'}(s)" if rows else ""),
            file=sys.stderr,
        )
        return 1
    if args.dry_run:
        print(f"{res.rows} row(s) checked, no problems (dry run: nothing saved)")
        return 0
    ids = ", ".join(str(i) for i in res.ids)
    print(
        f"saved {len(res.ids)} contribution(s), pending review (ids {ids}); "
        "a maintainer reviews them with `python -m riskatlas review`"
    )
    return 0


def _safe(v) -> str:
    """Text for the terminal: no control characters from contributed text."""
    if v is None or (not isinstance(v, list | tuple) and pd.isna(v)):
        return ""
    return clean_text(v, multiline=True)


def _day(v) -> str:
    return "" if v is None or pd.isna(v) else str(pd.Timestamp(v))[:16]


def _describe(rec: dict, full: bool) -> str:
    desc = _safe(rec["description"])
    if not full and len(desc) > MAX_SHOWN:
        desc = desc[: MAX_SHOWN - 1] + "…"
    where = f"({rec['lat']:.5f}, {rec['lon']:.5f})" if pd.notna(rec["lat"]) else "not located"
    src = {
        "contributor": "contributor's point",
        "atlas_site": f"atlas site {rec['site_id']}",
        "gazetteer": "gazetteer",
    }.get(rec["location_source"], "")
    via = _safe(rec["submitted_via"]) + (
        f", row {rec['upload_row']}" if pd.notna(rec["upload_row"]) else ""
    )
    lines = [
        f"#{rec['contribution_id']}  [{rec['status']}]  submitted {_day(rec['submitted_at'])} "
        f"UTC via {via}",
        f"    site:     {_safe(rec['site_name'])} · {rec['tier']} · {rec['country_iso3']}"
        + (f" · atlas site {_safe(rec['site_id'])}" if rec["site_id"] else ""),
        f"    date:     {rec['event_date']}",
        f"    by:       {_safe(rec['contributor'])}",
        f"    evidence: {_safe(rec['evidence_url'])}",
        f"    location: {where} {rec['geo_precision'] or ''}, {src}".rstrip(", "),
    ]
    if len(rec["minerals"]):
        lines.append(f"    minerals: {', '.join(rec['minerals'])}")
    lines.append("    what:     " + desc.replace("\n", "\n              "))
    if rec["status"] != "pending":
        lines.append(
            f"    review:   {rec['status']} by {_safe(rec['reviewed_by'])} on "
            f"{_day(rec['reviewed_at'])} UTC"
            + (f": {_safe(rec['review_note'])}" if rec["review_note"] else "")
        )
    if full and rec["geo_note"]:
        lines.append(f"    note:     {_safe(rec['geo_note'])}")
    return "\n".join(lines)
