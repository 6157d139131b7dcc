"""Command line: build, fetch, import-report, review, contribute, report."""

from __future__ import annotations

import argparse
import sys

from . import paths


def _cmd_build(args) -> int:
    from .build import BuildError, build
    from .sources.base import SourceError

    try:
        build(raw=args.raw, out=args.out, skip=tuple(args.skip or ()))
    except (SourceError, BuildError) as exc:
        print(f"build failed: {exc}\nThe previous database, if any, is untouched.", file=sys.stderr)
        return 2
    return 0


def _cmd_fetch(args) -> int:
    from .fetch import fetch

    dest = paths.raw_dir(args.dest) if args.dest else paths.DEFAULT_RAW
    res = fetch(dest, force=args.force)
    print(
        f"fetched {len(res['fetched'])}, skipped {len(res['skipped'])}, failed {len(res['failed'])}"
    )
    for f in res["failed"]:
        print(f"  failed: {f}", file=sys.stderr)
    return 1 if res["failed"] else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m riskatlas", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the atlas database from the raw source files")
    b.add_argument(
        "--raw", help="raw directory (default: $RISKATLAS_RAW, ../shared/data, data/raw)"
    )
    b.add_argument("--out", help="database path (default: $RISKATLAS_DB or data/atlas.duckdb)")
    b.add_argument(
        "--skip",
        action="append",
        metavar="SOURCE_ID",
        help="leave this source out (repeatable), e.g. --skip ejatlas for openly licensed data "
        "only; the Sources page lists the ids",
    )
    b.set_defaults(func=_cmd_build)

    f = sub.add_parser(
        "fetch", help="download every source from its official address into data/raw"
    )
    f.add_argument("--dest", help="target raw directory (default: data/raw)")
    f.add_argument("--force", action="store_true", help="download files that already exist")
    f.set_defaults(func=_cmd_fetch)

    for mod in _plugins():
        mod.add_parser(sub)
    return p


def _plugins():
    """Subcommands that live beside their feature (importer, review, report)."""
    from riskatlas import placement
    from riskatlas.contrib import cli as contrib_cli
    from riskatlas.importer import cli as importer_cli
    from riskatlas.report import cli as report_cli

    return [importer_cli, contrib_cli, report_cli, placement]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args) or 0)
