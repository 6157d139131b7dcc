"""Documented conflicts in a real browser (Debian chromium via Playwright) on the real atlas:
hovering a case on the Map shows its tooltip, labelled "documented conflict (EJAtlas)" with the
case address; the Site page of the site made from that case links to the case. Screenshots go
to docs/screenshots/ (15, 16)."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from tests.browser_support import (
    SHOTS,
    launch,
    map_canvas,
    offline_page,
    project,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERY = {"country": "GHA"}  # a country alone: every case there is drawn
CASE = "2837"  # Hazardous e-waste recycling in Agbogbloshie, Accra, Ghana (its own e-waste site)
HOVER = "5849"  # Aboano coal-fired power plant, Ghana: no site drawn over it in this view


@pytest.fixture(scope="module")
def setup(atlas_db, tmp_path_factory):
    """A server on a copy of the atlas, the view the map frames (the app's own code, outside the
    browser) and the case's point and address from the database."""
    work = tmp_path_factory.mktemp("browser_conflicts")
    atlas = shutil.copy(atlas_db, work / "atlas.duckdb")
    con = duckdb.connect(str(atlas), read_only=True)
    case = {
        cid: con.execute(
            "SELECT lat, lon, url, name FROM conflicts WHERE conflict_id = ?", [cid]
        ).fetchone()
        for cid in (CASE, HOVER)
    }
    con.close()
    env = {
        **os.environ,
        "RISKATLAS_DB": str(atlas),
        "RISKATLAS_CONTRIBUTIONS_DB": str(work / "no_contributions.duckdb"),
    }
    from riskatlas.filters import parse
    from riskatlas.layers import view_for
    from riskatlas.ui.data import filtered_set, vocabulary

    saved = os.environ.get("RISKATLAS_DB")
    os.environ["RISKATLAS_DB"] = str(shutil.copy(atlas_db, work / "atlas_for_test.duckdb"))
    try:
        frame = filtered_set(parse(QUERY, vocabulary())).frame
    finally:
        if saved is None:
            os.environ.pop("RISKATLAS_DB", None)
        else:
            os.environ["RISKATLAS_DB"] = saved
    with streamlit_server(env, work) as base:
        yield {
            "server": base,
            "case": case,
            "view": view_for(frame.dropna(subset=["lat", "lon"])),
        }


def test_conflict_tooltip_on_the_map_and_case_link_on_the_site_page(setup):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    server = setup["server"]
    lat, lon, url, name = setup["case"][HOVER]
    with sync_playwright() as p:
        browser = launch(p)
        page, outside = offline_page(browser, server, viewport={"width": 1440, "height": 1000})

        # 1. the Map of Ghana's sites with the conflicts layer; hover the case's point
        page.goto(f"{server}/?country=GHA")
        canvas = map_canvas(page, settle_ms=3000)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "documented conflict (EJAtlas)" in main  # the legend line
        canvas.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        box = canvas.bounding_box()
        x, y = project(lat, lon, setup["view"], box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"]
        tooltip = page.locator(".deck-tooltip")
        text = ""
        for dx, dy in ((0, 0), (1, 1), (-1, -1), (2, 0), (0, 2)):  # sub-pixel rounding
            page.mouse.move(box["x"] + x + dx, box["y"] + y + dy)
            page.wait_for_timeout(700)
            if tooltip.count() and tooltip.first.is_visible():
                text = tooltip.first.inner_text()
                if text.startswith("documented conflict (EJAtlas)"):
                    break
        page.screenshot(path=str(SHOTS / "15_conflict_tooltip.png"))
        assert text.startswith("documented conflict (EJAtlas)"), text
        assert name in text and f"Case: {url}" in text
        assert "non-commercial" in text

        # 2. ?conflicts=0 hides the layer (its legend says so)
        page.goto(f"{server}/?country=GHA&conflicts=0")
        map_canvas(page, settle_ms=1500)
        assert "Documented conflicts hidden." in page.locator('[data-testid="stMain"]').inner_text()

        # 3. the Site page of the site made from a case links to the case address
        url = setup["case"][CASE][2]
        page.goto(f"{server}/site?site=ejatlas:{CASE}")
        wait_idle(page)
        page.get_by_text("Documented conflicts (EJAtlas)").first.wait_for(timeout=30_000)
        link = page.locator(f'[data-testid="stMain"] a[href="{url}"]').first
        link.wait_for(timeout=30_000)
        assert link.is_visible() and link.inner_text() == url
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "linked by case site, 0.0 km" in body and "case last updated 20" in body
        page.screenshot(path=str(SHOTS / "16_site_conflicts.png"), full_page=True)
        browser.close()
    assert outside == [], outside
