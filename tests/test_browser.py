"""The journalist's journey in a real browser (Debian chromium via Playwright) on the real atlas.

The atlas is the session's real build (tests/conftest.py: atlas_db; set RISKATLAS_TEST_DB to
reuse a built file).

Open the Map with ?brand=samsung-electronics&mineral=cobalt, check the map drew, the hotspot table
shows the expected rows, a download holds exactly the filtered set, a click on an inferred DRC
site opens its Site page, and no request left 127.0.0.1. Screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import csv
import io
import os

import pytest

from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    colour_pixels,
    map_canvas,
    streamlit_server,
)
from tests.browser_support import drawn_pixels as _drawn_pixels
from tests.browser_support import project as _project
from tests.browser_support import wait_idle as _wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERY = "?brand=samsung-electronics&mineral=cobalt"


@pytest.fixture(scope="module")
def server(atlas_db, tmp_path_factory):
    """streamlit run app.py on 127.0.0.1 with a free port; yields the base URL."""
    logs = tmp_path_factory.mktemp("streamlit")
    env = {
        **os.environ,
        "RISKATLAS_DB": str(atlas_db),
        "RISKATLAS_CONTRIBUTIONS_DB": str(logs / "no_contributions.duckdb"),  # none: map as built
    }
    try:
        with streamlit_server(env, logs) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def expected(atlas_db, tmp_path_factory):
    """The filtered set the app should show, computed by the same code outside the browser.

    On a copy of the atlas: DuckDB refuses a second in-process connection to one file with a
    different configuration, and other tests may hold one.
    """
    import shutil

    atlas_db = shutil.copy(atlas_db, tmp_path_factory.mktemp("browser") / "atlas.duckdb")
    from riskatlas.filters import parse
    from riskatlas.layers import view_for
    from riskatlas.ui import connection
    from riskatlas.ui.data import filtered_set, vocabulary

    saved = os.environ.get("RISKATLAS_DB")
    os.environ["RISKATLAS_DB"] = str(atlas_db)
    try:
        state = parse({"brand": "samsung-electronics", "mineral": "cobalt"}, vocabulary())
        frame = filtered_set(state).frame
        con = connection.cursor()
        # a child-labour finding at the site (IPIS visit) or for its mineral in its country
        # (ILAB goods list), as the site's risk breakdown cites it
        child = {
            r[0]
            for r in con.execute(
                "SELECT site_id FROM site_facts "
                "WHERE fact = 'child_labour_under15' AND value = 'yes' "
                "UNION SELECT site_id FROM risk_components "
                "WHERE indicator ILIKE '%child%labour%' AND contribution > 0"
            ).fetchall()
        }
        facts = dict(
            con.execute(
                "SELECT site_id, max(observed_on) FROM site_facts GROUP BY site_id"
            ).fetchall()
        )
    finally:
        if saved is None:
            os.environ.pop("RISKATLAS_DB", None)
        else:
            os.environ["RISKATLAS_DB"] = saved
    return {
        "child_labour_sites": child,
        "latest_fact": facts,
        "frame": frame,
        "view": view_for(frame.dropna(subset=["lat", "lon"])),
        "documented": set(frame.loc[frame["kind"] == "documented", "site_id"]),
        "inferred": set(frame.loc[frame["kind"] == "inferred", "site_id"]),
    }


def test_journalist_journey(server, expected, tmp_path):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    frame = expected["frame"]
    assert expected["documented"], "Samsung lists cobalt refiners in the atlas"
    assert expected["inferred"], "inferred cobalt sites exist for Samsung"

    outside: list[str] = []
    allowed = (server, server.replace("http", "ws"), "data:", "blob:", "about:")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1440, "height": 1000}, accept_downloads=True
        )
        context.on(
            "request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url)
        )
        page = context.new_page()
        page.on(
            "websocket", lambda ws: None if ws.url.startswith(allowed) else outside.append(ws.url)
        )

        # 1. the map, filtered by the URL
        page.goto(server + "/" + QUERY)
        canvas = map_canvas(page)
        title = page.locator("h1").first.inner_text()
        assert "cobalt" in title and "Samsung" in title
        drawn, site_pixels = _drawn_pixels(canvas.screenshot())
        assert drawn > 0.05, f"the map drew almost nothing ({drawn:.1%} non-background)"
        assert site_pixels > 30, f"no sites drawn ({site_pixels} site-coloured pixels)"
        page.screenshot(path=str(SHOTS / "01_map_samsung_cobalt.png"))

        # 2. Sankey (documented vs inferred flows)
        sankey = page.locator('[data-testid="stPlotlyChart"]').first
        sankey.scroll_into_view_if_needed()
        sankey.wait_for(state="visible", timeout=30_000)
        page.wait_for_timeout(1000)
        assert "inferred" in page.get_by_text("Grey flows are").first.inner_text()
        page.screenshot(path=str(SHOTS / "02_sankey_documented_vs_inferred.png"))

        # 3. hotspot table: the top rows are the expected ones, documented and inferred labelled
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        cells = table.locator("table tr").all_inner_texts()
        top = frame.head(5)
        for site_id, kind in zip(top["site_id"], top["kind"], strict=True):
            row = next((c for c in cells if f"site?site={site_id}" in c), None)
            assert row is not None, f"{site_id} missing from the hotspot table"
            assert kind in row
        page.screenshot(path=str(SHOTS / "03_hotspots_table.png"))

        # 4. download: exactly the filtered set, with citations
        button = page.locator('[data-testid="stDownloadButton"] button').first
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as dl:
            button.click()
        target = tmp_path / dl.value.suggested_filename
        dl.value.save_as(target)
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert len(rows) == len(frame)
        assert {r["site_id"] for r in rows} == set(frame["site_id"])
        assert all(r["source_id"] for r in rows)
        assert {r["kind"] for r in rows} == {"documented", "inferred"}
        page.screenshot(path=str(SHOTS / "04_downloads.png"))

        # 5. click an inferred artisanal site in DRC on the map: its Site page opens
        page.locator("h1").first.scroll_into_view_if_needed()
        canvas.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        box = canvas.bounding_box()
        drc = frame[
            (frame["kind"] == "inferred")
            & (frame["tier"] == "artisanal_mine")
            & (frame["country_iso3"] == "COD")
        ]
        assert len(drc), "inferred artisanal sites in the DRC"
        with_child = drc[drc["site_id"].isin(expected["child_labour_sites"])]
        assert len(with_child), "inferred DRC sites with a child-labour finding"
        site = with_child.iloc[0]
        x, y = _project(site["lat"], site["lon"], expected["view"], box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(800)
        page.screenshot(path=str(SHOTS / "05_tooltip.png"))
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_function("location.pathname.endsWith('/site')", timeout=60_000)
        _wait_idle(page)
        opened = page.url.split("site=", 1)[1]
        assert opened.replace("%3A", ":") in set(frame["site_id"])
        page.get_by_text("What was found here").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "06_site_page.png"), full_page=True)
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "Inferred" in body and "Risk breakdown" in body

        # 6. the Site page of that DRC site with a child-labour finding: dated, cited facts
        page.goto(f"{server}/site?site={site['site_id']}")
        _wait_idle(page)
        page.get_by_text("What was found here").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "07_site_facts.png"), full_page=True)
        # facts, inferred routes and the risk breakdown are plain tables: every value whole
        tables = page.locator('[data-testid="stTable"]')
        facts_text = tables.first.inner_text()
        assert str(expected["latest_fact"][site["site_id"]])[:10] in facts_text  # dated
        assert "ipis" in facts_text  # cited
        page.get_by_text("Risk breakdown").scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        all_text = " ".join(tables.nth(i).inner_text() for i in range(tables.count()))
        assert "child" in all_text.lower()  # the child-labour finding, with its source
        for code in ("child_labour_under15", "gsi_prevalence_per_1000", "armed_group_presence"):
            assert code not in all_text  # labels, never the database's codes
        page.screenshot(path=str(SHOTS / "08_site_risk_breakdown.png"))

        browser.close()

    assert outside == [], f"requests left 127.0.0.1: {outside[:5]}"


def test_whole_atlas_is_drawn_as_h3_cells(server, atlas_db):
    """The home page with no filter: more located sites than a map can show, so chromium draws
    H3 cells (coloured, not just outlines) and the page says so and how to see points."""
    import duckdb
    from playwright.sync_api import sync_playwright

    from riskatlas.aggregate import MAX_POINTS

    con = duckdb.connect(str(atlas_db), read_only=True)
    try:
        (located,) = con.execute("SELECT count(*) FROM sites WHERE lat IS NOT NULL").fetchone()
    finally:
        con.close()
    assert located > MAX_POINTS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(server + "/")
        canvas = map_canvas(page)
        info = page.locator('[data-testid="stAlert"]').first.inner_text()
        assert f"{located:,} located rows match" in info and "H3" in info
        png = canvas.screenshot()
        drawn, cell_pixels = _drawn_pixels(png)
        assert drawn > 0.05 and cell_pixels > 1000, (drawn, cell_pixels)
        # issue 17: the ocean is the chart's background, the land shaded by country (no layers
        # of their own): the ocean's exact colour covers much of the world view, and the land
        # shows at least four of its shades
        from PIL import Image

        from riskatlas.layers import LAND_SHADES, OCEAN_RGB

        width, height = Image.open(io.BytesIO(png)).size
        assert colour_pixels(png, OCEAN_RGB, tol=2) > 0.2 * width * height
        shades = [colour_pixels(png, shade, tol=2) for shade in LAND_SHADES]
        assert sum(n > 500 for n in shades) >= 4, shades
        page.screenshot(path=str(SHOTS / "11_map_whole_atlas_cells.png"))
        browser.close()
