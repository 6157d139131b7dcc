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
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from riskatlas.paths import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = REPO_ROOT / "docs" / "screenshots"
QUERY = "?brand=samsung-electronics&mineral=cobalt"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
OCEAN = (18, 24, 33)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(atlas_db, tmp_path_factory):
    """streamlit run app.py on 127.0.0.1 with a free port; yields the base URL."""
    port = _free_port()
    env = {**os.environ, "RISKATLAS_DB": str(atlas_db)}
    log = open(tmp_path_factory.mktemp("streamlit") / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO_ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                pytest.fail(f"streamlit did not start; see {log.name}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def expected(atlas_db, tmp_path_factory):
    """The filtered set the app should show, computed by the same code outside the browser.

    On a copy of the atlas: DuckDB refuses a second in-process connection to one file with a
    different configuration, and other tests may hold one.
    """
    import shutil

    atlas_db = shutil.copy(atlas_db, tmp_path_factory.mktemp("browser") / "atlas.duckdb")
    from riskatlas import db
    from riskatlas.filters import parse
    from riskatlas.layers import view_for
    from riskatlas.ui.data import filtered_set, vocabulary

    saved = os.environ.get("RISKATLAS_DB")
    os.environ["RISKATLAS_DB"] = str(atlas_db)
    try:
        state = parse({"brand": "samsung-electronics", "mineral": "cobalt"}, vocabulary())
        frame = filtered_set(state).frame
        con = db.cursor()
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


def _wait_idle(page, timeout: float = 90_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)


def _project(lat: float, lon: float, view: dict, width: float, height: float):
    """Web Mercator pixel of (lat, lon) in a deck.gl MapView (512-px world at zoom 0)."""
    world = 512 * 2 ** view["zoom"]

    def xy(la, lo):
        x = (lo + 180) / 360 * world
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * world
        return x, y

    x, y = xy(lat, lon)
    x0, y0 = xy(view["lat"], view["lon"])
    return width / 2 + (x - x0), height / 2 + (y - y0)


def _drawn_pixels(png: bytes) -> tuple[float, int]:
    """Share of pixels that are not the ocean background, and how many pixels are neither ocean
    nor land nor border (the sites)."""
    import numpy as np
    from PIL import Image

    from riskatlas.layers import BORDER_RGB, LAND_RGB

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)

    def near(colour, tol=10):
        return (np.abs(rgb - np.array(colour)) <= tol).all(axis=1)

    ocean = near(OCEAN)
    base = ocean | near(LAND_RGB) | near(BORDER_RGB, 25)
    return float(1 - ocean.mean()), int((~base).sum())


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
        _wait_idle(page)
        canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
        canvas.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(4000)  # let deck.gl draw its first frames
        _wait_idle(page)
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
        grids = page.locator('[data-testid="stDataFrame"]')
        facts_text = " ".join(grids.first.locator("table tr").all_inner_texts())
        assert str(expected["latest_fact"][site["site_id"]])[:10] in facts_text  # dated
        assert "ipis" in facts_text  # cited
        page.get_by_text("Risk breakdown").scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        all_text = " ".join(
            " ".join(grids.nth(i).locator("table tr").all_inner_texts())
            for i in range(grids.count())
        )
        assert "child" in all_text  # the child-labour finding, with its source
        page.screenshot(path=str(SHOTS / "08_site_risk_breakdown.png"))

        browser.close()

    assert outside == [], f"requests left 127.0.0.1: {outside[:5]}"
