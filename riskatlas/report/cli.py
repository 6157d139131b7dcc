"""``python -m riskatlas report``: a brand exposure report as HTML or PDF."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write one brand's exposure report (.html or .pdf)")
    p.add_argument(
        "--brand",
        required=True,
        help="brand id or name, e.g. samsung-electronics, 'Samsung' or Apple (an unknown or "
        "ambiguous name exits 2 naming the closest brands)",
    )
    p.add_argument(
        "--mineral",
        nargs="*",
        default=[],
        help="restrict to these minerals: names, symbols, French names or groups (cobalt, Co, "
        "coltan, 3TG); an unknown one exits 2 naming the closest",
    )
    p.add_argument("--year", type=int, help="restrict documented links to this list year")
    p.add_argument("--db", help="atlas database (default: $RISKATLAS_DB or data/atlas.duckdb)")
    p.add_argument("--out", required=True, help="FILE.html or FILE.pdf")
    p.set_defaults(func=run)


def run(args) -> int:
    import duckdb

    from .. import paths
    from ..atlas_names import atlas_names
    from ..names import UnknownName
    from . import write_report

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        print(f"report: --out must end in .html or .pdf: {out}", file=sys.stderr)
        return 2
    db = paths.db_path(args.db)
    if not db.is_file():
        print(
            f"report: no atlas database at {db}; run `python -m riskatlas build` first",
            file=sys.stderr,
        )
        return 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = atlas_names(con)
        try:
            names.require("brand", args.brand)
            names.require_many("mineral", args.mineral)
        except UnknownName as exc:
            print(f"report: {exc}", file=sys.stderr)
            return 2
        for line in names.readings("brand", [args.brand]) + names.readings("mineral", args.mineral):
            print(line)
        d = write_report(con, args.brand, out, minerals=args.mineral, year=args.year)
    finally:
        con.close()
    what = "documented sites" if d.has_links else "no disclosed links"
    print(
        f"wrote {out}: {d.brand_name or d.brand_id}, {d.documented['site_id'].nunique()} {what}, "
        f"{d.inferred['site_id'].nunique()} inferred source sites"
    )
    return 0
