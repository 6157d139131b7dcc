"""On the real atlas: no indicator or fact code reaches a reader without its label, and DR
Congo's modern-slavery prevalence reads the same, as published (per 1,000), on the Countries
page, a Site page and in the report (issue 15 item 4: the Countries page showed 4.5 per 1,000
where Site pages showed 0.225 and the report "gsi_prevalence_per_1000 = 0.78")."""

from __future__ import annotations

import html
import re
import shutil

import duckdb
import pytest

from riskatlas import catalogue
from riskatlas.report import gather, render_html
from tests.apptest_support import run_app, tables

pytestmark = pytest.mark.slow
GSI = "gsi_prevalence_per_1000"
GSI_LABEL = "Modern slavery prevalence (forced labour and forced marriage)"
# codes that are not also plain words ('mercury', 'women' are words a sentence may use)
CODES = sorted((c for c in catalogue.catalogue() if "_" in c), key=len, reverse=True)


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    """A copy of the real atlas (the app opens it with its own DuckDB configuration)."""
    return shutil.copy(atlas_db, tmp_path_factory.mktemp("catalogue_real") / "atlas.duckdb")


@pytest.fixture(autouse=True)
def _use_real_db(real_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))


@pytest.fixture(scope="module")
def drc_gsi(real_db) -> tuple[str, int]:
    """DR Congo's latest GSI prevalence as published and its normalised score, from SQL."""
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        ((value,),) = con.execute(
            "SELECT value FROM country_indicators WHERE country_iso3 = 'COD' AND indicator = ? "
            "ORDER BY year DESC LIMIT 1",
            [GSI],
        ).fetchall()
        ((normalised,),) = con.execute(
            "SELECT DISTINCT c.value FROM risk_components c JOIN sites s USING (site_id) "
            "WHERE s.country_iso3 = 'COD' AND c.indicator = ?",
            [GSI],
        ).fetchall()
    finally:
        con.close()
    assert value == 4.5 and normalised == pytest.approx(0.225)  # the figures
    return f"{value:g} per 1,000 people", round(100 * normalised + 1e-9)


def _raw_codes(text: str) -> list[str]:
    return [c for c in CODES if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", text)]


def _page_text(at) -> str:
    """Everything a reader sees on an AppTest page: headings, text, notices, metrics, table
    cells and headers, picker options and expander labels."""
    parts = [e.value for kind in ("title", "header", "subheader") for e in at.get(kind)]
    parts += [e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for t in [*at.table, *at.dataframe]:
        parts += [str(c) for c in t.value.columns]
        parts += [str(v) for v in t.value.to_numpy().ravel()]
    for s in [*at.selectbox, *at.multiselect]:
        parts += [s.label, *map(str, s.options)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts).replace("\\", "")


def test_report_words_every_code_and_quotes_gsi_as_published(real_db, drc_gsi):
    published, score = drc_gsi
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        d = gather(con, "Samsung Electronics", minerals=["cobalt"])
        page = render_html(con, d)
    finally:
        con.close()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert _raw_codes(text) == []
    rows = re.findall(r'<tr id="cty-COD-\d+">(.*?)</tr>', page, flags=re.S)
    gsi = [html.unescape(re.sub(r"<[^>]+>", "|", r)) for r in rows if GSI_LABEL in r]
    assert len(gsi) == 1
    cells = [c.strip() for c in gsi[0].split("|") if c.strip()]
    assert cells[:5] == ["DR Congo", GSI_LABEL, published, "2023", str(score)]


def test_site_page_words_every_code_and_quotes_gsi_as_published(drc_gsi):
    published, score = drc_gsi
    at = run_app("pages/site.py", {"site": "codmine00001"}, timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    assert _raw_codes(_page_text(at)) == []
    risk = next(t for t in tables(at) if "evidence" in t.columns)
    gsi = risk[(risk["evidence"] == GSI_LABEL) & (risk["risk"] == "labour")]
    assert gsi["value as published"].item() == published
    assert gsi[catalogue.SCORE_LABEL].item() == str(score)
    facts = next(t for t in tables(at) if "what was recorded" in t.columns)
    assert "Armed groups named at the site" in set(facts["what was recorded"])


def test_countries_page_words_every_code_quotes_gsi_and_finds_by_words(drc_gsi):
    published, score = drc_gsi
    at = run_app("pages/countries.py", {"country": "COD"}, timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    assert _raw_codes(_page_text(at)) == []
    profile = next(d.value for d in at.dataframe if "value as published" in d.value.columns)
    gsi = profile.set_index("indicator").loc[GSI_LABEL]
    assert gsi["value as published"] == published
    assert gsi[catalogue.SCORE_LABEL] == score
    # typing "forced" finds the forced-labour indicator and selects it
    at.text_input(key="cty_find").input("forced").run()
    picker = at.selectbox(key="cty_indicator")
    assert picker.options[0] == GSI_LABEL and picker.value == GSI
    assert all(o in picker.options for o in (GSI_LABEL,)) and len(picker.options) < 10
    assert _raw_codes(_page_text(at)) == []
