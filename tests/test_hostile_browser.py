"""Hostile text in a real browser (Debian chromium via Playwright) against `streamlit run app.py`
on a copy of the real atlas with hostile names: no script runs, and the text shows literally on
the Map (title, tooltip, hotspot table, Sankey), the Site page and the Sources page."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.browser_support import launch as launch_chromium
from tests.browser_support import map_canvas
from tests.hostile_support import (
    IMG,
    MINERAL,
    PWNED,
    TEXTS,
    make_hostile_db,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# live markup a payload would leave in the page if it had been parsed as HTML
LIVE_MARKUP = """() => ({
  handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
  js_links: [...document.querySelectorAll('a')].filter(a => /^\\s*(javascript|vbscript):/i.test(
      a.getAttribute('href') || a.getAttribute('xlink:href') || '')).length,
  payload_imgs: document.querySelectorAll('img[src="x"]').length,
  scripts: [...document.scripts].filter(s => s.text.includes('FLAG')).length,
  iframes: document.querySelectorAll('iframe[src^="javascript"]').length,
  flag: window.FLAG === undefined ? null : window.FLAG,
})""".replace("FLAG", PWNED)


@pytest.fixture(scope="module")
def hostile(atlas_db, tmp_path_factory):
    return make_hostile_db(atlas_db, tmp_path_factory.mktemp("hostile_browser") / "atlas.duckdb")


@pytest.fixture(scope="module")
def browser_page(hostile, tmp_path_factory):
    """One chromium page on a Streamlit server reading the hostile atlas; every dialog that
    opens (alert, confirm, prompt) is recorded and dismissed."""
    from playwright.sync_api import sync_playwright

    log = tmp_path_factory.mktemp("hostile_streamlit") / "streamlit.log"
    with streamlit_server(hostile.path, log) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        dialogs: list[str] = []

        def on_dialog(dialog):
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        try:
            yield base, page, dialogs
        finally:
            browser.close()


def _no_script_ran(page, dialogs) -> dict:
    live = page.evaluate(LIVE_MARKUP)
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert live == {
        "handlers": 0,
        "js_links": 0,
        "payload_imgs": 0,
        "scripts": 0,
        "iframes": 0,
        "flag": None,
    }, live
    return live


def _table_text(page, index: int = 0) -> str:
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    return "\n".join(grid.locator("table tr").all_inner_texts())


@pytest.fixture(scope="module")
def single_site(browser_page):
    """The Map filtered to the one site carrying the hostile mineral: the view centres on it, so
    hovering the canvas centre shows its tooltip."""
    base, page, dialogs = browser_page
    page.goto(f"{base}/?{urlencode({'mineral': MINERAL})}")
    canvas = map_canvas(page, settle_ms=3000, timeout=120_000)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator(".deck-tooltip").first
    tooltip.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(500)
    seen = {
        "h1": page.locator("h1").first.inner_text(),
        "tooltip_text": tooltip.inner_text(),
        "tooltip_elements": tooltip.evaluate(
            "t => [...t.querySelectorAll('*')].map(e => e.tagName.toLowerCase())"
        ),
        "table": _table_text(page),
        "live": _no_script_ran(page, dialogs),
    }
    return seen


def test_map_runs_no_script(single_site):
    assert single_site["live"]["flag"] is None


def test_map_title_and_table_show_text_literally(single_site):
    assert MINERAL in single_site["h1"]
    assert TEXTS["site_name"] in single_site["table"]


def test_map_tooltip_holds_no_markup(single_site):
    assert "HX-site" in single_site["tooltip_text"]
    assert set(single_site["tooltip_elements"]) <= {"b", "br"}


def test_map_tooltip_shows_text_literally(single_site):
    text = single_site["tooltip_text"]
    assert TEXTS["site_name"] in text
    assert TEXTS["site_ref"] in text


@pytest.fixture(scope="module")
def site_page(browser_page, hostile):
    base, page, dialogs = browser_page
    page.goto(f"{base}/site?site={hostile.site_id}")
    wait_idle(page)
    page.get_by_text("What was found here").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    return {
        "h1": page.locator("h1").first.inner_text(),
        "main": page.locator('[data-testid="stMain"]').inner_text(),
        # the facts are a plain table (every value whole): its text as the browser shows it
        "facts": page.locator('[data-testid="stTable"]').first.inner_text(),
        "live": _no_script_ran(page, dialogs),
    }


def test_site_page_shows_every_field_literally(site_page):
    assert site_page["h1"].strip() == TEXTS["site_name"]
    main = site_page["main"]
    for key in ("city", "province", "country", "geo_note", "site_ref", "source_title"):
        assert TEXTS[key] in main, key
    assert TEXTS["source_publisher"] in main
    assert TEXTS["fact_text"] in site_page["facts"]
    assert TEXTS["fact_formula"] in site_page["facts"]


@pytest.fixture(scope="module")
def hotspot_table(browser_page, hostile):
    base, page, dialogs = browser_page
    page.goto(f"{base}/?brand={hostile.brand_id}&mineral=cobalt")
    wait_idle(page)
    sankey = page.locator('[data-testid="stPlotlyChart"]').first
    sankey.wait_for(state="visible", timeout=60_000)
    sankey.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)
    return {
        "h1": page.locator("h1").first.inner_text(),
        "sankey": sankey.inner_text(),
        "main": page.locator('[data-testid="stMain"]').inner_text(),
        "live": _no_script_ran(page, dialogs),
    }


def test_map_results_title_and_caption_literal(hotspot_table):
    assert TEXTS["brand"] in hotspot_table["h1"]
    assert TEXTS["source_title"] in hotspot_table["main"]


def test_map_results_sankey_labels_literal(hotspot_table):
    assert TEXTS["brand"] in hotspot_table["sankey"]
    assert TEXTS["country"] in hotspot_table["sankey"]


@pytest.fixture(scope="module")
def sources_page(browser_page):
    base, page, dialogs = browser_page
    page.goto(f"{base}/sources")
    wait_idle(page)
    page.get_by_text("Rejected rows").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    grids = page.locator('[data-testid="stDataFrame"]')
    return {
        "sources": _table_text(page, 0),
        "rejects": _table_text(page, grids.count() - 1),
        "live": _no_script_ran(page, dialogs),
    }


def test_sources_page_tables_literal(sources_page):
    assert TEXTS["source_title"] in sources_page["sources"]
    assert "HX-raw " + IMG in sources_page["rejects"]


def test_the_detector_sees_a_payload_that_runs(browser_page):
    """The checks above can fail: the same payload, put into a page as HTML, runs."""
    _, page, dialogs = browser_page
    page.set_content(f"<p>{IMG}</p>")
    page.wait_for_function(f"window.{PWNED} !== undefined", timeout=10_000)
    assert page.evaluate(f"window.{PWNED}") == 1
    assert dialogs == ["1"]
    dialogs.clear()
