"""`python -m riskatlas placement` and `matches`: how well smelters are placed, and what to check.

Why a command: the placement figures of issue 13 (brand-listed smelters below country level,
RMI facilities at city and province precision, points outside their country) must be
reproducible on any build, and the list of smelters still at country level, with the reason,
is a worklist a researcher exports as CSV. ``matches`` lists the cross-source name matches
that were too close to call, for a maintainer, like ``review`` lists contributions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import pandas as pd

from riskatlas import paths, sql


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "placement",
        help="placement figures for smelters (brand-listed and RMI), or the country-level list",
        description="Without options: the figures. --unplaced lists every brand-listed smelter "
        "still at country level (or not placed) with the reason; --csv writes it to a file.",
    )
    p.add_argument("--db", help="atlas database (default: $RISKATLAS_DB or data/atlas.duckdb)")
    p.add_argument("--unplaced", action="store_true", help="list the country-level smelters")
    p.add_argument("--csv", metavar="FILE", help="write the country-level list as CSV")
    p.set_defaults(func=run_placement)

    m = subparsers.add_parser(
        "matches",
        help="list ambiguous cross-source name matches (not merged) for a maintainer",
        description="Each row is a site and a located record of ICMM, MinMod/MRDS or USGS "
        "Africa whose name resembles it; none of these was merged.",
    )
    m.add_argument("--db", help="atlas database (default: $RISKATLAS_DB or data/atlas.duckdb)")
    m.add_argument("--min-score", type=float, default=None, help="only scores at or above this")
    m.add_argument("--csv", metavar="FILE", help="write the list as CSV")
    m.set_defaults(func=run_matches)


def _connect(db: str | None) -> duckdb.DuckDBPyConnection | None:
    path = paths.db_path(Path(db) if db else None)
    if not path.is_file():
        print(f"no atlas database at {path} (run `python -m riskatlas build`)", file=sys.stderr)
        return None
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        print(f"cannot open {path}: {exc}", file=sys.stderr)
        return None


def figures(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The placement counts of issue 13 on one built database."""
    row = sql.run(con, "placement_summary").iloc[0]
    return {k: int(v) for k, v in row.items()}


def unplaced(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every brand-listed smelter site at country level or not placed, with the reason."""
    return sql.run(con, "placement_unplaced")


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "-"


def _write_csv(df: pd.DataFrame, target: str) -> int:
    try:
        df.to_csv(target, index=False)
    except OSError as exc:
        print(f"cannot write {target}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(df):,} rows to {target}")
    return 0


def run_placement(args: argparse.Namespace) -> int:
    con = _connect(args.db)
    if con is None:
        return 2
    try:
        if args.csv or args.unplaced:
            df = unplaced(con)
            if args.csv:
                return _write_csv(df, args.csv)
            print(df.to_string(index=False, max_colwidth=80) if len(df) else "none")
            return 0
        f = figures(con)
        why = unplaced(con)["why_not_finer"].value_counts()
    finally:
        con.close()
    b, r = f["brand_sites"], f["rmi_sites"]
    print(
        f"brand-listed smelter sites: {b:,}\n"
        f"  below country level: {f['brand_below_country']:,} ({_pct(f['brand_below_country'], b)})\n"
        f"  at country level:    {f['brand_country']:,}\n"
        f"  not placed:          {f['brand_unplaced']:,}\n"
        f"RMI facilities: {r:,}\n"
        f"  city or better:      {f['rmi_city_or_better']:,} ({_pct(f['rmi_city_or_better'], r)})\n"
        f"  province or better:  {f['rmi_province_or_better']:,} "
        f"({_pct(f['rmi_province_or_better'], r)})\n"
        f"points outside their stated country: {f['outside_country']:,} (flagged, never moved), "
        f"of them placed by a name or a match: {f['outside_country_name_or_match']:,}"
    )
    if len(why):
        print("brand-listed sites still at country level or not placed, by why:")
        for text, n in why.items():
            print(f"  {n:>5,}  {text}")
    return 0


def run_matches(args: argparse.Namespace) -> int:
    con = _connect(args.db)
    if con is None:
        return 2
    try:
        df = sql.run(con, "match_candidates_list", {"min_score": args.min_score})
    except duckdb.CatalogException:
        print("this database has no match_candidates table: rebuild it", file=sys.stderr)
        return 2
    finally:
        con.close()
    if args.csv:
        return _write_csv(df, args.csv)
    if df.empty:
        print("no ambiguous matches")
        return 0
    for r in df.itertuples(index=False):
        print(
            f"{r.site_id}  {r.site_name} ({r.country_iso3})\n"
            f"    ~ {r.source_id} {r.source_ref}  {r.candidate_name}  score {r.score:.0f}\n"
            f"    {r.basis}"
        )
    print(f"{len(df):,} candidate matches (none merged)")
    return 0
