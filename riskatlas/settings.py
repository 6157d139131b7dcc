"""Every setting, declared once: environment variables and the tuning limits, each with its
name, default, type and meaning.

Why one place: a maintainer deploying the atlas needs to know every switch and every limit, and a
switch read somewhere else is one nobody documents. Nothing else in ``riskatlas/`` reads
``os.environ`` (tests/test_settings.py fails if it does), and ``docs/deploy-settings.md`` is
generated from this module (``python -m riskatlas.settings --write``); the same test fails when the
page is stale.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

KINDS = ("flag", "number", "path", "text")
GROUPS = {
    "paths": "Paths",
    "deployment": "Public deployment",
    "model": "Risk model",
    "development": "Development and tests",
}


@dataclass(frozen=True)
class Setting:
    """One environment variable: ``default`` is the raw text used when it is unset ("" where
    the default is computed; ``default_doc`` then says how)."""

    env: str
    default: str
    kind: str
    doc: str
    group: str
    default_doc: str = ""

    def raw(self) -> str:
        return os.environ.get(self.env, self.default)

    def is_set(self) -> bool:
        """Whether the variable is set to a non-empty value."""
        return bool(os.environ.get(self.env))

    def flag(self) -> bool:
        return self.raw().strip().lower() in ("1", "true", "yes", "on")

    def number(self) -> int:
        try:
            return int(self.raw())
        except ValueError:
            return int(self.default)

    def path(self) -> Path | None:
        """The path it is set to, or None when it is unset or empty (the caller's default)."""
        value = os.environ.get(self.env) or self.default
        return Path(value) if value else None

    def shown_default(self) -> str:
        return self.default_doc or self.default or "unset"


@dataclass(frozen=True)
class Limit:
    """A tuning constant: not read from the environment, declared here so that the docs name it
    and its value and every module uses the same number."""

    name: str
    value: int | float
    unit: str
    doc: str
    used_by: str


# --- paths ---------------------------------------------------------------------------------
DB = Setting(
    "RISKATLAS_DB",
    "",
    "path",
    "The atlas database the app and every command read, and `build` writes (`--out` wins).",
    "paths",
    "data/atlas.duckdb",
)
RAW = Setting(
    "RISKATLAS_RAW",
    "",
    "path",
    "The raw mirror `build` reads (`--raw` wins).",
    "paths",
    "../shared/data where it exists, else data/raw",
)
IMPORTS = Setting(
    "RISKATLAS_IMPORTS",
    "",
    "path",
    "Approved brand-disclosure imports the build reads; a rebuild never deletes them.",
    "paths",
    "data/imports",
)
CONTRIBUTIONS_DB = Setting(
    "RISKATLAS_CONTRIBUTIONS_DB",
    "",
    "path",
    "Contributions, import submissions and the review log (its own file: a build never "
    "overwrites it).",
    "paths",
    "data/contributions.duckdb",
)
SUBMISSIONS = Setting(
    "RISKATLAS_SUBMISSIONS",
    "",
    "path",
    "Folder of import files waiting for review; kept apart from the imports the build reads "
    "and never read by the build.",
    "paths",
    "data/submissions",
)
CACHE = Setting(
    "RISKATLAS_CACHE",
    "",
    "path",
    "Derived files kept between runs (gazetteer index, importer parses); deleting it only makes "
    "the next build slower.",
    "paths",
    "$XDG_CACHE_HOME/riskatlas",
)
XDG_CACHE = Setting(
    "XDG_CACHE_HOME",
    "",
    "path",
    "The usual cache root, used when RISKATLAS_CACHE is unset.",
    "paths",
    "~/.cache",
)

# --- public deployment ---------------------------------------------------------------------
PUBLIC = Setting(
    "RISKATLAS_PUBLIC",
    "0",
    "flag",
    "1 on a public deployment: the app writes nothing but pending submissions (contributions "
    "and imports, each waiting for a maintainer's review) and says so on the Import and "
    "Contribute pages.",
    "deployment",
)
PENDING_PER_CLIENT = Setting(
    "RISKATLAS_PENDING_PER_CLIENT",
    "5",
    "number",
    "Pending import submissions one client address may have waiting at once.",
    "deployment",
)
PENDING_TOTAL = Setting(
    "RISKATLAS_PENDING_TOTAL",
    "100",
    "number",
    "Pending import submissions waiting at once, from everyone.",
    "deployment",
)
PENDING_BYTES = Setting(
    "RISKATLAS_PENDING_MB",
    "500",
    "number",
    "Megabytes the pending import files may take on disk, all together.",
    "deployment",
)

VIEW_CACHE = Setting(
    "RISKATLAS_VIEW_CACHE",
    "512",
    "number",
    "Filter views (brand, mineral, tier, country, ... as in the Map's URL) whose finished map "
    "and ranked tables each app process keeps for every reader: when a story links to a view, "
    "the first reader computes it and the others are served from memory. Under 1 MB of "
    "memory per view (180 views took one process from about 300 to 420 MB; the map's layer "
    "data is served from files); the named queries' result cache keeps eight times as many "
    "results.",
    "deployment",
)

WARM_VIEWS = Setting(
    "RISKATLAS_WARM_VIEWS",
    "",
    "path",
    "A file listing the Map views a story links to, one link per line (a URL or its query "
    "string, `?` for the Map with no filter, `#` for comments): each app process asks itself "
    "for them when it starts, and again after the replica supervisor restarts it, so the first "
    "readers are served from the shared caches (riskatlas.warmup). An empty file warms nothing.",
    "deployment",
    "unset: the Map with no filter",
)

# --- risk model ----------------------------------------------------------------------------
WEIGHTS = Setting(
    "RISKATLAS_WEIGHTS",
    "",
    "path",
    "The risk model's weights file `build` scores with; the atlas records the weights it used "
    "and the Sources page shows those, saying when this file differs.",
    "model",
    "riskatlas/risk/weights.toml",
)

# --- development and tests -----------------------------------------------------------------
DEBUG = Setting(
    "RISKATLAS_DEBUG",
    "0",
    "flag",
    "1: a command that meets an unexpected error prints the traceback (as `--debug` does) "
    "instead of one line.",
    "development",
)
TEST_DB = Setting(
    "RISKATLAS_TEST_DB",
    "",
    "path",
    "An already-built atlas the test suite reuses instead of building one (development only).",
    "development",
    "unset: the suite builds its own",
)
BENCH_CACHE = Setting(
    "RISKATLAS_BENCH_CACHE",
    "",
    "path",
    "Where `python -m bench` keeps synthetic atlases between runs (keyed by the real atlas's "
    "content and the generator's code), so a 10 M run generates once (development only).",
    "development",
    "unset: the bench's own work directory",
)

ALL = (
    DB,
    RAW,
    IMPORTS,
    CONTRIBUTIONS_DB,
    SUBMISSIONS,
    CACHE,
    XDG_CACHE,
    PUBLIC,
    PENDING_PER_CLIENT,
    PENDING_TOTAL,
    PENDING_BYTES,
    VIEW_CACHE,
    WARM_VIEWS,
    WEIGHTS,
    DEBUG,
    TEST_DB,
    BENCH_CACHE,
)

# --- tuning limits -------------------------------------------------------------------------
MAX_POINTS = Limit(
    "MAX_POINTS",
    4_000,
    "points",
    "Located sites the Map draws one by one; above it the Map draws H3 cells.",
    "riskatlas.aggregate",
)
MAX_CELLS = Limit(
    "MAX_CELLS",
    6_000,
    "cells",
    "H3 cells the Map draws at most; a coarser resolution is taken above it.",
    "riskatlas.aggregate",
)
MAP_TABLE_ROWS = Limit(
    "MAP_TABLE_ROWS",
    1_000,
    "rows",
    "Rows of the Map's site table shown at once (the download holds every row).",
    "riskatlas.view",
)
REJECT_ROWS = Limit(
    "REJECT_ROWS",
    1_000,
    "rows",
    "Rejected rows the Sources page lists at once (the count says how many match).",
    "riskatlas.ui.sources_view",
)
CONTRIB_MAX_BYTES = Limit(
    "CONTRIB_MAX_BYTES",
    5_000_000,
    "bytes",
    "Largest contribution file (CSV or GeoJSON) read.",
    "riskatlas.contrib.readers",
)
CONTRIB_MAX_ROWS = Limit(
    "CONTRIB_MAX_ROWS",
    2_000,
    "rows",
    "Rows one contribution file may hold; a longer file is refused whole.",
    "riskatlas.contrib.readers",
)
IMPORT_MAX_BYTES = Limit(
    "IMPORT_MAX_BYTES",
    50 * 1024 * 1024,
    "bytes",
    "Largest brand disclosure the importer saves (app and `import-report --save`).",
    "riskatlas.importer.saved",
)
APP_PORT = Limit(
    "APP_PORT",
    8501,
    "port",
    "Port `scripts/run-app.sh` serves on (`--server.port` wins); with `--replicas N` it is the "
    "proxy's and each replica takes a free port.",
    "riskatlas.server",
)
REPLICA_HEALTH_SECONDS = Limit(
    "REPLICA_HEALTH_SECONDS",
    2.0,
    "seconds",
    "How often the replica supervisor polls each replica's health.",
    "riskatlas.replicas",
)

LIMITS = (
    MAX_POINTS,
    MAX_CELLS,
    MAP_TABLE_ROWS,
    REJECT_ROWS,
    CONTRIB_MAX_BYTES,
    CONTRIB_MAX_ROWS,
    IMPORT_MAX_BYTES,
    APP_PORT,
    REPLICA_HEALTH_SECONDS,
)
# The Import page's limit in megabytes, as Streamlit's uploader counts them: the uploader's own
# limit (server.maxUploadSize in .streamlit/config.toml) is the same number, so the uploader
# states the limit the app applies; a test keeps them equal.
IMPORT_MAX_MB = int(IMPORT_MAX_BYTES.value) // (1024 * 1024)


def is_public() -> bool:
    """Whether this deployment is public (RISKATLAS_PUBLIC)."""
    return PUBLIC.flag()


def environment() -> dict[str, str]:
    """A copy of this process's environment, for a child process (server, replicas)."""
    return dict(os.environ)


# --- the generated part of docs/deploy-settings.md -----------------------------------------
DOC = Path(__file__).resolve().parent.parent / "docs" / "deploy-settings.md"
BEGIN = "<!-- settings: generated by `python -m riskatlas.settings --write`; do not edit -->"
END = "<!-- settings: end -->"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown() -> str:
    """The settings tables as the docs show them (between BEGIN and END)."""
    lines = [BEGIN, ""]
    for group, title in GROUPS.items():
        lines += [
            f"### {title}",
            "",
            "| variable | type | default | meaning |",
            "|---|---|---|---|",
        ]
        for s in ALL:
            if s.group == group:
                lines.append(
                    f"| `{s.env}` | {s.kind} | `{_cell(s.shown_default())}` | {_cell(s.doc)} |"
                )
        lines.append("")
    lines += [
        "### Limits (constants in `riskatlas/settings.py`, not read from the environment)",
        "",
        "| name | value | unit | meaning | used by |",
        "|---|---|---|---|---|",
    ]
    for lim in LIMITS:
        value = str(lim.value) if lim.unit == "port" else f"{lim.value:,}"
        lines.append(
            f"| `{lim.name}` | {value} | {lim.unit} | {_cell(lim.doc)} | `{lim.used_by}` |"
        )
    lines += ["", END]
    return "\n".join(lines)


def rendered_doc(text: str) -> str:
    """``text`` (the docs page) with its generated part replaced by :func:`markdown`."""
    if BEGIN not in text or END not in text:
        raise ValueError(f"{DOC} lacks the generated-part markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + markdown() + tail


def main(argv: list[str] | None = None) -> int:
    """``--write`` regenerates the page; without it, exit 1 when the page is stale."""
    argv = sys.argv[1:] if argv is None else argv
    text = DOC.read_text(encoding="utf-8")
    fresh = rendered_doc(text)
    if "--write" in argv:
        DOC.write_text(fresh, encoding="utf-8")
        return 0
    if fresh != text:
        print(f"{DOC} is stale: run python -m riskatlas.settings --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
