"""A contribution's whole path in a real browser (Debian chromium via Playwright) on the real atlas:
uploaded on the Contribute page (the first request of a fresh server, so the pages guard is
exercised), absent from the map while pending, approved with `python -m riskatlas review`, then
on the map as its own labelled layer, in the export only when asked for, and on its Site page.
A second test opens the Countries page's e-waste map. Screenshots go to docs/screenshots/
(09, 10)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys

import pytest

from riskatlas.contrib.export import EXPORT_NOTE
from riskatlas.contrib.layer import RGB as CONTRIB_RGB
from riskatlas.paths import REPO_ROOT
from tests.browser_support import (
    SHOTS,
    colour_pixels,
    drawn_pixels,
    launch,
    map_canvas,
    offline_page,
    project,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERY = {"country": "GHA", "tier": "ewaste"}
SITE = "Tema harbour scrap yard"
BY = "Ghana Scrap Workers Union (test)"
EVIDENCE = "https://example.org/tema-burning"
LAT, LON = 5.6698, -0.0166  # Tema, Ghana: the contributor's point
UPLOAD = (
    "site_name,tier,description,event_date,evidence_url,contributor,country,city,province,"
    "lat,lon,site_id,minerals\n"
    f'{SITE},ewaste,"Open burning of cable insulation beside the harbour, seen on two visits",'
    f"2024-03-12,{EVIDENCE},{BY},Ghana,Tema,,{LAT},{LON},,copper\n"
)


@pytest.fixture(scope="module")
def setup(atlas_db, tmp_path_factory):
    """A fresh server on a copy of the atlas and an empty contributions file, and the view the
    map should frame (computed by the app's own code, outside the browser)."""
    work = tmp_path_factory.mktemp("browser_contrib")
    atlas = shutil.copy(atlas_db, work / "atlas.duckdb")
    contributions = work / "contributions.duckdb"
    env = {
        **os.environ,
        "RISKATLAS_DB": str(atlas),
        "RISKATLAS_CONTRIBUTIONS_DB": str(contributions),
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
            "env": env,
            "work": work,
            "frame": frame,
            "view": view_for(frame.dropna(subset=["lat", "lon"])),
        }


def _review(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "riskatlas", "review", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _open_map(page, server: str):
    page.goto(f"{server}/?country=GHA&tier=ewaste")
    return map_canvas(page, settle_ms=2500)


def test_contribution_from_upload_through_review_to_the_map(setup):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    server, env, frame = setup["server"], setup["env"], setup["frame"]
    assert len(frame) >= 2 and set(frame["tier"]) == {"ewaste"}  # the curated Ghana sites
    upload = setup["work"] / "fieldwork.csv"
    upload.write_text(UPLOAD, encoding="utf-8")

    with sync_playwright() as p:
        browser = launch(p)
        page, outside = offline_page(
            browser, server, viewport={"width": 1440, "height": 1000}, accept_downloads=True
        )

        # 1. the fresh server's first request goes straight to /contribute: the guard reruns it
        # through app.py, so the app's own navigation is there (legacy mode would list files)
        page.goto(f"{server}/contribute")
        wait_idle(page)
        page.get_by_role("heading", name="Contribute evidence").wait_for(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Sources & methodology" in nav and "Contribute" in nav

        # 2. upload a CSV through the file uploader; it is saved as pending
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        wait_idle(page)
        page.get_by_text("fieldwork.csv").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Check and submit the file").click()
        page.get_by_text("Saved 1 contribution(s), pending review (ids 1).").wait_for(
            timeout=30_000
        )

        # 3. pending: listed for review, not on the map
        listed = _review(env)
        assert listed.returncode == 0, listed.stderr
        assert "1 pending contributions" in listed.stdout and SITE in listed.stdout
        _open_map(page, server)
        assert "evidence: 0 on the map" in page.locator('[data-testid="stMain"]').inner_text()

        # 4. a maintainer approves it on the command line
        approved = _review(env, "--approve", "1", "--by", "tester")
        assert approved.returncode == 0, approved.stderr
        assert "approved by tester" in approved.stdout

        # 5. the map: its own orange layer, labelled contributed (by whom, when, evidence)
        canvas = _open_map(page, server)
        main = page.locator('[data-testid="stMain"]')
        assert "contributed evidence: 1 on the map" in main.inner_text()
        # orange, blended with the land under it (alpha 230): far from the viridis scale and grey
        assert colour_pixels(canvas.screenshot(), CONTRIB_RGB, tol=25) > 20, "not drawn"
        box = canvas.bounding_box()
        x, y = project(LAT, LON, setup["view"], box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"]
        page.mouse.move(box["x"] + x, box["y"] + y)
        tooltip = page.locator(".deck-tooltip")
        tooltip.get_by_text("contributed (reviewed, not a published source)").wait_for(
            timeout=10_000
        )
        tip = tooltip.inner_text()
        assert SITE in tip and f"contributed by {BY}" in tip
        assert "approved by tester" in tip and EVIDENCE in tip
        page.screenshot(path=str(SHOTS / "09_contribution_on_map.png"))

        # 6. the hotspot table counts published sources only; the export adds the contribution
        # only once "include contributed evidence" is ticked, and then says so in the file
        table = page.locator('[data-testid="stDataFrame"]').first
        assert SITE not in " ".join(table.locator("table tr").all_inner_texts())
        page.get_by_text("Include contributed evidence").click()
        page.get_by_text("This download adds 1 contributed row(s)").wait_for(timeout=30_000)
        wait_idle(page)
        assert EXPORT_NOTE in main.inner_text()
        button = page.locator('[data-testid="stDownloadButton"] button').first
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as dl:
            button.click()
        target = setup["work"] / dl.value.suggested_filename
        dl.value.save_as(target)
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        contributed = [r for r in rows if r["kind"] == "contributed"]
        assert len(rows) == len(frame) + 1 and len(contributed) == 1
        assert contributed[0]["name"] == SITE and contributed[0]["export_note"] == EXPORT_NOTE
        assert contributed[0]["evidence_url"] == EVIDENCE and contributed[0]["contributor"] == BY
        assert {r["kind"] for r in rows} == {"site", "contributed"}

        # 7. a click on the contributed point opens its page: contributed evidence, apart
        page.locator("h1").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_function("location.pathname.endsWith('/site')", timeout=60_000)
        wait_idle(page)
        page.get_by_text("Contributed evidence (reviewed, not a published source)").wait_for(
            timeout=30_000
        )
        assert "contrib" in page.url and SITE in page.locator("h1").first.inner_text()

        browser.close()

    assert outside == [], f"requests left 127.0.0.1: {outside[:5]}"


def test_countries_page_ewaste_map(setup):
    """The e-waste map: one measure per map, countries without a value drawn without fill and
    labelled "not reported"."""
    from playwright.sync_api import sync_playwright

    server = setup["server"]
    with sync_playwright() as p:
        browser = launch(p)
        page, outside = offline_page(browser, server, viewport={"width": 1440, "height": 1000})
        page.goto(f"{server}/countries?country=GHA&ewaste=generated")
        wait_idle(page)
        heading = page.get_by_role("heading", name="E-waste by country")
        heading.wait_for(timeout=30_000)
        ew_map = page.locator('[data-testid="stDeckGlJsonChart"]').nth(1)
        canvas = ew_map.locator("canvas").first
        canvas.wait_for(state="visible", timeout=60_000)
        heading.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(2000)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "no fill: not reported" in main
        assert "E-waste generated (tonnes a year)" in main
        drawn, _ = drawn_pixels(canvas.screenshot())
        assert drawn > 0.2, f"the e-waste map drew almost nothing ({drawn:.1%})"
        page.screenshot(path=str(SHOTS / "10_countries_ewaste.png"))
        browser.close()
    assert outside == [], f"requests left 127.0.0.1: {outside[:5]}"
