"""Shared pieces of the browser tests: the app served on a free 127.0.0.1 port, Debian chromium
driven by Playwright (never `playwright install`), waits, map projection and pixel checks."""

from __future__ import annotations

import io
import math
from pathlib import Path

from riskatlas import server
from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM
from riskatlas.paths import REPO_ROOT

SHOTS = REPO_ROOT / "docs" / "screenshots"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
OCEAN = (18, 24, 33)


def app_server(env: dict[str, str], log: Path, start_seconds: float = 60):
    """The app (riskatlas.server) with ``env``, its output in ``log``; yields the base URL.

    A fresh server per test module: Streamlit decides per process whether pages/ is legacy
    multipage mode, and the browser tests check what a first request sees.
    """
    return server.running(env, log, start_seconds=start_seconds)


def streamlit_server(env: dict[str, str], log_dir: Path):
    """The app server for the browser tests, logging to ``log_dir``/streamlit.log."""
    return app_server(env, log_dir / "streamlit.log")


def launch(playwright):
    """Debian chromium, headless, no background network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def offline_page(browser, server: str, **context_args):
    """A page whose every request outside the app is recorded in the returned list."""
    outside: list[str] = []
    allowed = (server, server.replace("http", "ws"), "data:", "blob:", "about:")
    context = browser.new_context(**context_args)
    context.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    page = context.new_page()
    page.on("websocket", lambda ws: None if ws.url.startswith(allowed) else outside.append(ws.url))
    return page, outside


def wait_idle(page, timeout: float = 90_000) -> None:
    """Until the app's script has finished its run."""
    page.wait_for_selector(IDLE, timeout=timeout)


def map_canvas(page, settle_ms: float = 4000, timeout: float = 90_000):
    """The page's first map canvas once the script has run and deck.gl has had ``settle_ms`` to
    draw its first frames (the canvas appears before anything is drawn on it)."""
    wait_idle(page, timeout)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(settle_ms)
    wait_idle(page, timeout)
    return canvas


def project(lat: float, lon: float, view: dict, width: float, height: float):
    """Web Mercator pixel of (lat, lon) in a deck.gl MapView (512-px world at zoom 0)."""
    world = 512 * 2 ** view["zoom"]

    def xy(la, lo):
        x = (lo + 180) / 360 * world
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * world
        return x, y

    x, y = xy(lat, lon)
    x0, y0 = xy(view["lat"], view["lon"])
    return width / 2 + (x - x0), height / 2 + (y - y0)


def drawn_pixels(png: bytes) -> tuple[float, int]:
    """Share of pixels that are not the ocean background, and how many pixels are neither ocean
    nor land nor border (the sites)."""
    import numpy as np
    from PIL import Image

    from riskatlas.layers import BORDER_RGB, LAND_SHADES

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)

    def near(colour, tol=10):
        return (np.abs(rgb - np.array(colour)) <= tol).all(axis=1)

    ocean = near(OCEAN)
    base = ocean | near(BORDER_RGB, 25)
    for shade in LAND_SHADES:
        base |= near(shade)
    return float(1 - ocean.mean()), int((~base).sum())


def colour_pixels(png: bytes, colour: tuple[int, int, int], tol: int = 12) -> int:
    """How many pixels of a screenshot are within tol of one colour (e.g. a layer's fill)."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    return int((np.abs(rgb - np.array(colour)) <= tol).all(axis=1).sum())


def mark_pixels(png: bytes, core: int = 2) -> tuple[float, tuple[int, int] | None]:
    """Share of a map screenshot covered by marks a reader can see (sites, cells, their
    outlines: pixels far from the ocean, land and border colours and their blends), and one pixel
    well inside a mark (its (2*core+1)² neighbourhood all marked), to hover, or None.

    Why not drawn_pixels: sub-pixel cells blend into the outlines' greys and still count there.
    """
    import numpy as np
    from PIL import Image

    from riskatlas.layers import BORDER_RGB, LAND_SHADES

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    lightest = max(max(OCEAN), *(max(shade) for shade in LAND_SHADES), max(BORDER_RGB))
    marked = (chroma > 40) | (rgb.min(axis=2) > lightest + 40)
    inner = marked.copy()
    h, w = marked.shape
    for dy in range(-core, core + 1):
        for dx in range(-core, core + 1):
            shifted = np.zeros_like(marked)
            shifted[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = marked[
                max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
            ]
            inner &= shifted
    ys, xs = np.nonzero(inner)
    spot = None
    if len(ys):
        i = len(ys) // 2
        spot = (int(xs[i]), int(ys[i]))
    return float(marked.mean()), spot


def real_atlas_server(atlas_db, tmp_path_factory, name: str):
    """The app on the session's real atlas with no contributions (the map as built), for a
    module-scoped fixture: ``yield from real_atlas_server(...)``."""
    import os

    import pytest

    logs = tmp_path_factory.mktemp(name)
    env = {
        **os.environ,
        "RISKATLAS_DB": str(atlas_db),
        "RISKATLAS_CONTRIBUTIONS_DB": str(logs / "no_contributions.duckdb"),
    }
    try:
        with streamlit_server(env, logs) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))
