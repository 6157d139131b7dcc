"""The "What changed" view in a real browser (issue 20): opened from the Brands page, it shows
the table of changes first, the map of added and dropped sites and the chart of sites per
year."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    SHOTS,
    launch,
    map_canvas,
    mark_pixels,
    real_atlas_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(atlas_db, tmp_path_factory):
    yield from real_atlas_server(atlas_db, tmp_path_factory, "streamlit_changes")


def _coloured_share(png: bytes) -> float:
    """Share of a chart screenshot in colour (bars), not white, grey or black (text, axes)."""
    import io

    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return float(((rgb.max(axis=2) - rgb.min(axis=2)) > 40).mean())


def test_what_changed_opens_from_the_brands_page(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        page.goto(server + "/brands")
        wait_idle(page)
        link = page.locator('a[href*="changes?brand=apple"]').first
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_function("location.pathname.endsWith('/changes')", timeout=30_000)
        canvas = map_canvas(page)
        assert "What changed in Apple’s lists, 2012 → 2022" in page.locator("h1").first.inner_text()
        share, _ = mark_pixels(canvas.screenshot())
        assert share >= 0.005, f"added and dropped sites cover only {share:.2%} of the map"
        # issue 17: the table of changes (the main content) comes before the map and the chart
        table = page.locator('[data-testid="stDataFrame"]').first
        assert table.bounding_box()["y"] < canvas.bounding_box()["y"]
        chart = page.locator('[data-testid="stVegaLiteChart"]').first  # not plotly (issue 17)
        chart.scroll_into_view_if_needed()
        chart.wait_for(state="visible", timeout=30_000)
        page.wait_for_timeout(1000)
        assert _coloured_share(chart.screenshot()) >= 0.02, "the bars of sites per year"
        page.locator("h1").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "14_what_changed_apple.png"), full_page=True)
        browser.close()
