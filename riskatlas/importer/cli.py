"""`import-report`: read a brand's smelter disclosure, print a summary, write the rows found."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = """Import a brand's published smelter/refiner list (SEC Form SD / Conflict Minerals Report
HTML, PDF report, filled RMI CMRT/EMRT template .xlsx, or CSV). Rows are resolved to RMI smelter
ids: by the RMI id the file prints (CID + 6 digits, kept as printed even when RMI's list lacks
it), else by name + country against RMI's standard names and aliases; a row below the match
threshold stays 'unresolved' and is still written. A line is a smelter row only on evidence (an
id, or a metal with a company-like or resolving name or a country); the others are counted as
rejected, with their reason and place in the file (--rejected)."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``import-report`` subcommand to ``python -m riskatlas``."""
    p = subparsers.add_parser(
        "import-report", help="import a brand's smelter disclosure", description=HELP
    )
    p.add_argument("file", metavar="FILE", help="the disclosure: .htm/.html, .pdf, .xlsx or .csv")
    p.add_argument(
        "--brand",
        required=True,
        help="the brand that published it, e.g. 'Samsung Electronics' or 'Samsung' (a brand the "
        "atlas holds is read as people type it; a name close to one it holds but not it exits 2 "
        "naming it, see --new-brand)",
    )
    p.add_argument(
        "--new-brand",
        action="store_true",
        help="the brand is new to the atlas: take --brand as given even when it resembles a "
        "brand the atlas holds (e.g. 'Samsung SDI' beside Samsung Electronics)",
    )
    p.add_argument("--year", type=int, help="reporting year the list covers")
    p.add_argument(
        "--db",
        help="atlas database with the rmi_reference table (default: $RISKATLAS_DB or data/atlas.duckdb if it exists, else the raw RMI files)",
    )
    p.add_argument("--out", help="write every row found to this CSV")
    p.add_argument(
        "--rejected",
        metavar="FILE.csv",
        help="write every line read but rejected as not a smelter row (ref, reason, text) to "
        "this CSV",
    )
    p.add_argument(
        "--save",
        action="store_true",
        help="submit the file for review: it waits in $RISKATLAS_SUBMISSIONS (data/submissions) "
        "until a maintainer approves it with `python -m riskatlas review`; the next build after "
        "the approval includes its links",
    )
    p.add_argument("--saved-by", help="who saves it (recorded with --save; default: your login)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run an import; 0 on success, 2 when the file cannot be imported (message on stderr)."""
    from riskatlas.importer.model import ReportError
    from riskatlas.importer.report import import_report, summary_text
    from riskatlas.sources.brand_lists import load_reference  # the RMI adapter as fallback

    brand = _brand(args)
    if brand is None:
        return 2
    args.brand = brand
    try:
        reference = load_reference(args.db)
        result = import_report(Path(args.file), args.brand, args.year, reference, db=args.db)
    except ReportError as exc:
        print(f"import-report: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a user's file
        print(
            f"import-report: could not import {args.file}: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return 1
    if args.out:
        try:
            from ..exports import neutralise

            result.out_frame().map(neutralise).to_csv(args.out, index=False)
        except OSError as exc:
            print(f"import-report: cannot write {args.out}: {exc}", file=sys.stderr)
            return 1
    rejected_file = getattr(args, "rejected", None)
    if rejected_file:
        try:
            from ..exports import neutralise

            result.rejected_frame().map(neutralise).to_csv(rejected_file, index=False)
        except OSError as exc:
            print(f"import-report: cannot write {rejected_file}: {exc}", file=sys.stderr)
            return 1
    print(summary_text(result))
    if args.out:
        print(f"  wrote {len(result.rows)} rows to {args.out}")
    if rejected_file:
        print(f"  wrote {result.summary.get('rejected', 0)} rejected line(s) to {rejected_file}")
    if getattr(args, "save", False):
        return _save(args)
    return 0


def _brand(args: argparse.Namespace) -> str | None:
    """The brand name to import under, read by riskatlas.names; None (after one line on stderr)
    when the name resembles a brand the atlas holds without being it.

    Why: "Samsung" imported as its own brand would split Samsung Electronics' lists in two, and
    a typo would start a brand nobody searches for. A name like no brand the atlas holds is a
    new brand, taken as given (as before); --new-brand takes any name as given.
    """
    from riskatlas.names import UnknownName, import_brand, known_brands

    if not str(args.brand or "").strip():
        return args.brand  # an empty name is refused by import_report with its own message
    new = getattr(args, "new_brand", False)
    try:
        brand, reading = import_brand(known_brands(args.db), args.brand, new)
    except UnknownName as exc:
        print(
            f"import-report: {exc}. If it is a brand new to the atlas, pass --new-brand to "
            "import it under the name as given.",
            file=sys.stderr,
        )
        return None
    if reading:
        print(reading)
    return brand


def _save(args: argparse.Namespace) -> int:
    """Submit the imported file for a maintainer's review: only approved files reach the build."""
    import getpass

    from riskatlas.contrib.import_queue import submit_import
    from riskatlas.contrib.store import StoreError
    from riskatlas.importer.model import ReportError

    by = args.saved_by
    if not by:
        try:
            by = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name: saved without one
            by = None
    try:
        sub = submit_import(
            Path(args.file).read_bytes(),
            Path(args.file).name,
            args.brand,
            args.year,
            submitted_by=by,
            via="cli",
        )
    except (ReportError, StoreError, OSError) as exc:
        print(f"import-report: not saved: {exc}", file=sys.stderr)
        return 1
    print(
        f"  saved as import {sub.submission_id}, pending review ({sub.rows_read} rows read); "
        "it enters the atlas once a maintainer approves it: python -m riskatlas review"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m riskatlas.importer.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
