"""Render a brand exposure report as self-contained HTML (no outside requests) or as PDF."""

from __future__ import annotations

import math
from pathlib import Path

import jinja2
import pandas as pd

from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM_PATH

from .. import catalogue
from . import maps
from .data import TOP_N, ReportData

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("riskatlas.report", "templates"),
    autoescape=True,  # every text from the data is escaped
    undefined=jinja2.StrictUndefined,
)
_ENV.filters["num"] = lambda v: f"{v:.3g}" if isinstance(v, float) else v


def _clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
        return ", ".join(str(x) for x in v) if isinstance(v, list) else v
    return v


def _rows(frame: pd.DataFrame, evidence: pd.DataFrame, n: int = TOP_N) -> list[dict]:
    out = []
    ev = (
        evidence[(evidence["contribution"] > 0) & (evidence["dimension"] == "labour")]
        if not evidence.empty
        else evidence
    )
    for rec in frame.drop_duplicates("site_id").head(n).to_dict("records"):
        row = {k: _clean(v) for k, v in rec.items()}
        lead = (
            ev[ev["site_id"] == rec["site_id"]].sort_values("contribution", ascending=False).head(3)
        )
        row["evidence"] = [_worded(e) for e in lead.to_dict("records")]
        row.setdefault("explanation", None)
        row.setdefault("minerals", row.get("mineral"))
        out.append(row)
    return out


def _worded(component: dict) -> dict:
    """One piece of evidence as the report words it: the catalogue's label, the value as its
    source publishes it (with the unit) and the normalised 0-100 score, never a bare code."""
    e = {k: _clean(v) for k, v in component.items()}
    e["label"] = catalogue.label(e["indicator"])
    e["published"] = catalogue.published(e["indicator"], e.get("raw_value"))
    e["score"] = catalogue.score(e.get("value"))
    e["about"] = catalogue.level_words(e.get("level"))
    return e


def _country_rows(frame: pd.DataFrame) -> list[dict]:
    """The country conditions table: one row per country and indicator, worded."""
    if frame.empty:
        return []
    return [_worded(r) for r in frame.to_dict("records")]


def render_html(con, d: ReportData) -> str:
    """The whole report as one HTML string; maps are embedded as data: URIs."""
    name = d.brand_name or d.brand_id
    documented_map = maps.documented_map(con, d.documented, f"Documented sites listed by {name}")
    inferred_map = (
        maps.inferred_map(con, d.inferred, f"Inferred source regions for {name} (not documented)")
        if not d.inferred.empty
        else None
    )
    macros = _ENV.get_template("site_table.html.j2").module
    weights = [{k: _clean(v) for k, v in w.items()} for w in d.weights.to_dict("records")]
    for w in weights:
        for key in ("tier", "dimension", "indicator", "level", "weight", "rationale"):
            w.setdefault(key, None)
        w["label"] = catalogue.label(w["indicator"]) if w["indicator"] else None
        w["about"] = catalogue.level_words(w["level"]) if w["level"] else None
    return _ENV.get_template("report.html.j2").render(
        d=d,
        site_table=macros.site_table,
        documented_top=_rows(d.documented, d.evidence),
        inferred_top=_rows(d.inferred, d.evidence),
        documented_map=documented_map,
        inferred_map=inferred_map,
        weights=weights,
        countries=_country_rows(d.country_evidence),
        score_label=catalogue.SCORE_LABEL,
    )


def html_to_pdf(html: str, out: Path, chromium: str = CHROMIUM_PATH) -> None:
    """Print the HTML to PDF with headless Debian chromium (through Playwright, no download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.abort()
                    if not route.request.url.startswith(("data:", "about:"))
                    else route.continue_()
                ),
            )
            page.set_content(html, wait_until="load")
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                margin={"top": "12mm", "bottom": "22mm", "left": "10mm", "right": "10mm"},
            )
        finally:
            browser.close()
