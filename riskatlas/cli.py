"""Command line: build, fetch, import-report, review, contribute, report."""

from __future__ import annotations

import argparse
import sys

from . import paths


def _cmd_build(args) -> int:
    from .build import build

    build(raw=args.raw, out=args.out, skip=tuple(args.skip or ()))
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
    p.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of an unexpected error (also RISKATLAS_DEBUG=1)",
    )
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


# Errors a command can meet, by class (module, name), with the exit status: 2 for usage (an
# unknown name, input data that is missing or not what was expected, which the user fixes by
# pointing elsewhere), 1 for a failure. Looked up by name so that a command does not import every
# feature to start; tests/test_cli_errors.py checks each entry names a real exception class.
KNOWN_ERRORS: tuple[tuple[str, str, int], ...] = (
    ("riskatlas.sources", "UnknownSource", 2),
    ("riskatlas.names", "UnknownName", 2),
    ("riskatlas.contrib.store", "UnknownContribution", 2),
    ("riskatlas.sources.base", "SourceError", 2),
    ("riskatlas.build", "BuildError", 2),
    ("riskatlas.derived", "DerivedError", 1),
    ("riskatlas.risk.config", "ConfigError", 1),
    ("riskatlas.importer.model", "ReportError", 1),
    ("riskatlas.contrib.store", "StoreError", 1),
    ("riskatlas.catalogue", "CatalogueError", 1),
    ("riskatlas.replicas", "ReplicaError", 1),
    ("duckdb", "Error", 1),
    ("builtins", "OSError", 1),
)
# what a failed command leaves behind, said after its error
AFTER = {"build": " (the previous database, if any, is untouched)"}
DEBUG_HINT = "run with --debug (or RISKATLAS_DEBUG=1) for the traceback"


def known_error(exc: BaseException) -> int | None:
    """The exit status of a known error, None for an unexpected one."""
    import importlib

    for module, name, status in KNOWN_ERRORS:
        mod = sys.modules.get(module)
        if mod is None:  # not imported, so not what was raised, unless it is a base class
            try:
                mod = importlib.import_module(module)
            except ImportError:
                continue
        cls = getattr(mod, name, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return status
    return None


def one_line(exc: BaseException) -> str:
    """The first line of an error's message (DuckDB's run over several), or its class name."""
    text = str(exc).strip()
    if isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """Run one command. Every error prints one line on stderr and a non-zero status (see
    KNOWN_ERRORS); an unexpected one says how to see its traceback (``--debug``)."""
    from . import settings

    argv = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in argv:  # accepted after the subcommand too
        argv = ["--debug", *(a for a in argv if a != "--debug")]
    args = parser().parse_args(argv)
    debug = args.debug or settings.DEBUG.flag()
    command = getattr(args, "command", "riskatlas")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        status = known_error(exc)
        after = AFTER.get(command, "")
        if status is None:
            print(
                f"{command} failed: unexpected {type(exc).__name__}: {one_line(exc)}{after}; "
                + DEBUG_HINT,
                file=sys.stderr,
            )
            return 1
        print(f"{command} failed: {one_line(exc)}{after}", file=sys.stderr)
        return status
