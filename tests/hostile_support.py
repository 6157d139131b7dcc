"""A copy of the real atlas with hostile text in every field the app shows, plus the helpers the
hostile-text, load and fault tests share (AppTest runs, a Streamlit server on the hostile atlas)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from riskatlas.derived import TABLES as DERIVED
from riskatlas.derived import create_derived
from riskatlas.paths import REPO_ROOT
from tests.browser_support import app_server
from tests.browser_support import wait_idle as browser_wait_idle

APP = REPO_ROOT / "app.py"

# A script that runs sets this window property (or opens a dialog): the browser test checks both.
PWNED = "__riskatlas_pwned"

IMG = f'<img src=x onerror="window.{PWNED}=1;alert(1)">'
SCRIPT = f"</script><script>window.{PWNED}=2;alert(2)</script>"
SVG = f"<svg onload=window.{PWNED}=3>"
IFRAME = '<iframe src="javascript:alert(4)"></iframe>'
MARKDOWN = "**bold** _em_ [link](javascript:alert(5)) ![i](x) :red[red] <b>b</b> # h"
TEMPLATE = "{{7*7}} ${7*7}$ {name} {tip} {site_id} $' $& #{7*7}"
ENTITIES = "AT&T &amp; &lt;b&gt; 'single' \"double\""
JS_URL = f"javascript:window.{PWNED}=12;alert(12)"
FORMULA = '=HYPERLINK("http://evil.example","click")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The hostile mineral is lower case and has no comma, so ?mineral=<it> selects exactly the one site
# that carries it (the filter matches lower-case names and splits values on commas).
MINERAL = f"=1+1 hx-mineral <img src=x onerror=window.{PWNED}=7>"


def hostile(tag: str, *parts: str) -> str:
    """A field's hostile text: a unique tag (to find it on the page) and payloads, single spaces."""
    return " ".join((f"HX-{tag}", *parts))


@dataclass
class HostileAtlas:
    """Where the hostile text went, for tests to look it up."""

    path: Path
    site_id: str  # the IPIS site with a hostile name, facts, notes, records and a hostile mineral
    mineral: str = MINERAL
    brand_id: str = "samsung-electronics"
    brand_mineral: str = "cobalt"
    documented_site: str = ""  # a Samsung cobalt refiner with a hostile (formula-led) name
    texts: dict[str, str] = field(default_factory=dict)  # field -> the hostile text put there
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows, before the injection


TEXTS = {
    "site_name": hostile("site", IMG, SCRIPT, MARKDOWN, TEMPLATE),
    "site_record": hostile("record", SVG, ENTITIES),
    "geo_note": hostile("note", SVG, "_em_ :red[x] $x$"),
    "province": hostile("province", IMG),
    "city": hostile("city", "<b>city</b> **c**"),
    "site_ref": hostile("ref", IFRAME, "{name}"),
    "fact_text": hostile("fact", IMG, MARKDOWN),
    "fact_formula": "=cmd|' /C calc'!A0 HX-factformula",
    "country": hostile("country", "DR Congo", IMG, "**c**"),
    "brand": hostile(
        "brand", "Samsung", IMG, '<b>b</b> <a href="javascript:alert(11)">a</a> **b** {tip} $x$'
    ),
    "smelter_name": "+HX-smelter " + SCRIPT,
    "link_ref": FORMULA.replace("click", "HX-link"),
    "link_status": "@SUM(1) HX-status " + IMG,
    "source_title": hostile("srctitle", "**IPIS** <img src=x onerror=alert(9)> $x$ :red[r]"),
    "source_publisher": hostile("publisher", "[x](javascript:alert(10))", ENTITIES),
    "reject_raw": hostile("raw", IMG, "\t=1+1"),
    "reject_reason": "-2+3 HX-reason " + SVG,
    "explanation": hostile("why", IMG, MARKDOWN),
}


def make_hostile_db(src: Path, dst: Path) -> HostileAtlas:
    """Copy the atlas at ``src`` to ``dst`` and put hostile text into a few rows of every text
    table the app shows (sites, site_records, site_facts, countries, brands, links, sources,
    rejects, inferred_exposure), then derive the Map's tables again as the build does. Row
    counts stay the same: only values change."""
    dst = Path(dst)
    shutil.copyfile(src, dst)
    con = duckdb.connect(str(dst))
    try:
        # derived tables are rebuilt below (a new mineral name adds a mineral_bits row)
        tables = [r[0] for r in con.execute("SHOW TABLES").fetchall() if r[0] not in DERIVED]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608 - names from SHOW TABLES
        site_id = con.execute(
            "SELECT site_id FROM sites WHERE source_id = 'ipis' AND geo_precision = 'exact' "
            "AND lat IS NOT NULL AND site_id IN (SELECT site_id FROM site_facts) "
            "ORDER BY site_id LIMIT 1"
        ).fetchone()[0]
        t = TEXTS
        con.execute(
            "UPDATE sites SET name = $name, geo_note = $note, province = $prov, city = $city, "
            "source_ref = $ref, minerals = ['gold', $mineral] WHERE site_id = $id",
            {
                "name": t["site_name"],
                "note": t["geo_note"],
                "prov": t["province"],
                "city": t["city"],
                "ref": t["site_ref"],
                "mineral": MINERAL,
                "id": site_id,
            },
        )
        con.execute(
            "UPDATE site_records SET name = $n WHERE site_id = $id",
            {"n": t["site_record"], "id": site_id},
        )
        # two facts of the site's latest visit: a text fact and a formula-led one
        facts = con.execute(
            "SELECT fact, source_ref FROM site_facts WHERE site_id = $id "
            "ORDER BY observed_on DESC, fact LIMIT 2",
            {"id": site_id},
        ).fetchall()
        for (fact, ref), key in zip(facts, ("fact_text", "fact_formula"), strict=False):
            con.execute(
                "UPDATE site_facts SET value = $v WHERE site_id = $id AND fact = $f "
                "AND source_ref = $r",
                {"v": t[key], "id": site_id, "f": fact, "r": ref},
            )
        con.execute(
            "UPDATE countries SET name = $n WHERE country_iso3 = 'COD'", {"n": t["country"]}
        )
        if "country_shapes" in tables:
            con.execute(
                "UPDATE country_shapes SET name = $n WHERE country_iso3 = 'COD'",
                {"n": t["country"]},
            )
        con.execute(
            "UPDATE brands SET name = $n WHERE brand_id = 'samsung-electronics'", {"n": t["brand"]}
        )
        documented = con.execute(
            "SELECT l.site_id FROM links l JOIN sites s USING (site_id) "
            "WHERE l.brand_id = 'samsung-electronics' AND l.mineral = 'cobalt' "
            "AND s.lat IS NOT NULL ORDER BY l.site_id LIMIT 1"
        ).fetchone()[0]
        con.execute(
            "UPDATE sites SET name = $n WHERE site_id = $id",
            {"n": t["smelter_name"], "id": documented},
        )
        con.execute(
            "UPDATE links SET source_ref = $r, status_as_reported = $s "
            "WHERE brand_id = 'samsung-electronics' AND mineral = 'cobalt' AND site_id = $id",
            {"r": t["link_ref"], "s": t["link_status"], "id": documented},
        )
        con.execute(
            "UPDATE sources SET title = $t, publisher = $p, url = $u WHERE source_id = 'ipis'",
            {"t": t["source_title"], "p": t["source_publisher"], "u": JS_URL},
        )
        con.execute(
            "UPDATE rejects SET raw = $raw, reason = $reason WHERE rowid IN "
            "(SELECT rowid FROM rejects ORDER BY source_id, source_ref LIMIT 3)",
            {"raw": t["reject_raw"], "reason": t["reject_reason"]},
        )
        if "inferred_exposure" in tables:
            con.execute(
                "UPDATE inferred_exposure SET explanation = $e WHERE brand_id = "
                "'samsung-electronics' AND mineral = 'cobalt' AND site_id = (SELECT min(site_id) "
                "FROM inferred_exposure WHERE brand_id = 'samsung-electronics' "
                "AND mineral = 'cobalt')",
                {"e": t["explanation"]},
            )
        create_derived(con)  # the Map reads the derived tables: derive them from the new text
        after = {t_: con.execute(f'SELECT count(*) FROM "{t_}"').fetchone()[0] for t_ in tables}  # noqa: S608
        assert after == counts, "the injection changed row counts"
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return HostileAtlas(
        path=dst, site_id=site_id, documented_site=documented, texts=dict(TEXTS), counts=counts
    )


# --- AppTest ------------------------------------------------------------------------------------


def run_page(page: str, params: dict[str, str] | None = None, timeout: float = 120):
    """Run one page through app.py (its navigation) with query parameters, as a URL would.

    The page is chosen before the first run, so the unfiltered Map (every site) is never drawn
    on the way to another page.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page != "pages/map.py":
        at.switch_page(page)
    return at.run()


MARKDOWN_TYPES = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "warning",
    "info",
    "error",
    "success",
    "exception",
)


def markdown_bodies(at) -> list[tuple[str, str]]:
    """(element type, markdown source) of every element Streamlit renders as markdown, sidebar
    included; metric and widget labels too (they are markdown as well)."""
    out: list[tuple[str, str]] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                walk(child)
        kind = getattr(node, "type", "")
        if kind in MARKDOWN_TYPES:
            out.append((kind, str(getattr(node, "value", "") or "")))
        proto = getattr(node, "proto", None)
        if proto is not None and kind not in MARKDOWN_TYPES:
            for attr in ("label", "body"):
                value = getattr(proto, attr, None)
                if isinstance(value, str) and value:
                    out.append((f"{kind}.{attr}", value))

    walk(at._tree)
    return out


def dataframe_text(at) -> str:
    """All cells of every st.dataframe and st.table on the page, as one string (raw values; a
    table's cells with the app's Markdown escaping undone, as a reader sees them)."""
    from tests.apptest_support import tables

    parts = []
    for df in [*(d.value for d in at.dataframe), *tables(at)]:
        parts.extend(str(v) for v in df.to_numpy().ravel())
    return "\n".join(parts)


# --- a real server and browser (tests/browser_support.py) ---------------------------------------


def streamlit_server(db: Path, log: Path):
    """``streamlit run app.py`` reading ``db`` (the hostile atlas), allowed 90 s to start; yields
    the base URL."""
    return app_server({**os.environ, "RISKATLAS_DB": str(db)}, log, start_seconds=90)


def wait_idle(page, timeout: float = 120_000) -> None:
    """Wait until the Streamlit script has finished its run (up to 120 s on the hostile pages)."""
    browser_wait_idle(page, timeout)
