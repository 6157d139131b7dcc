"""Browser time from navigation to the map drawn, on a warm Streamlit server (Playwright + chromium).

The page's WebGL contexts are created with preserveDrawingBuffer so that a small in-page probe can
read the map canvas back (every 25 ms, when a WebGL draw call has touched it since the last
read); the map counts as drawn when the canvas shows site points, i.e. pixels that are neither
the ocean, the land's shades nor the border colour of riskatlas.layers.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import Timing
from riskatlas import server
from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM

MAP_SELECTOR = '[data-testid="stDeckGlJsonChart"] canvas'
MIN_POINT_PIXELS = 20

PROBE = """
(() => {
  const base = %s;  // ocean, land, border, no-data RGB: not a site point
  // A draw call on a WebGL context marks the canvas as changed: the probe reads a canvas back
  // only after something was drawn on it. Reading it back every 25 ms made the renderer wait
  // for the software GPU to finish (glReadPixels) about 40 times a second while the map was
  // being built: the probe itself cost the page seconds (issue 19.4). Same criterion as before.
  const dirty = new WeakSet();
  const mark = (proto) => {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced',
                        'drawRangeElements']) {
      const f = proto && proto[name];
      if (!f) continue;
      proto[name] = function (...args) { dirty.add(this.canvas); return f.apply(this, args); };
    }
  };
  mark(window.WebGLRenderingContext && WebGLRenderingContext.prototype);
  mark(window.WebGL2RenderingContext && WebGL2RenderingContext.prototype);
  const orig = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, attrs) {
    if (type && type.startsWith('webgl')) attrs = Object.assign({}, attrs, {preserveDrawingBuffer: true});
    return orig.call(this, type, attrs);
  };
  window.__mapDrawnAt = null;
  window.__canvasAt = null;
  window.__probeReads = 0;
  const scratch = document.createElement('canvas');
  const seen = new Map();  // RGBA (as one 32-bit number) -> is it a base colour
  const probe = () => {
    const c = document.querySelector('%s');
    if (c && c.width > 0 && c.height > 0) {
      if (window.__canvasAt === null) window.__canvasAt = performance.now();
      if (dirty.has(c)) {
        dirty.delete(c);
        window.__probeReads++;
        scratch.width = c.width; scratch.height = c.height;
        const ctx = scratch.getContext('2d', {willReadFrequently: true});
        ctx.drawImage(c, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        const u32 = new Uint32Array(px.buffer, px.byteOffset, px.length >> 2);
        let n = 0;
        let last = -1, lastBase = true;  // runs of one colour: decide a run once
        for (let i = 0; i < u32.length; i++) {
          const v = u32[i];
          if (v === last) {
            if (!lastBase && ++n >= %d) { window.__mapDrawnAt = performance.now(); return; }
            continue;
          }
          let isBase = seen.get(v);  // a canvas has few distinct colours: decide each once
          if (isBase === undefined) {
            const r = v & 255, g = (v >>> 8) & 255, bl = (v >>> 16) & 255, a = v >>> 24;
            isBase = a === 0 || base.some((b) => Math.abs(r - b[0]) < 24 && Math.abs(g - b[1]) < 24 && Math.abs(bl - b[2]) < 24);
            seen.set(v, isBase);
          }
          last = v; lastBase = isBase;
          if (!isBase && ++n >= %d) { window.__mapDrawnAt = performance.now(); return; }
        }
      }
    }
    setTimeout(probe, 25);
  };
  setTimeout(probe, 25);
})();
"""


def _probe_script() -> str:
    from riskatlas.layers import BORDER_RGB, LAND_SHADES, NO_DATA_RGB, OCEAN_RGB

    base = [OCEAN_RGB, *LAND_SHADES, BORDER_RGB, NO_DATA_RGB, (255, 255, 255)]
    base = [list(rgb) for rgb in base]
    return PROBE % (base, MAP_SELECTOR, MIN_POINT_PIXELS, MIN_POINT_PIXELS)


@contextlib.contextmanager
def streamlit_server(db: Path, log: Path | None = None) -> Iterator[str]:
    """The app (riskatlas.server) reading ``db`` on a free port; yields the Map page's URL."""
    with server.running(db=db, log=log) as base:
        yield base + "/"


def _load(browser, url: str, timeout_s: float) -> dict:
    """One visit in a fresh browser context: ms from navigation start to canvas and to drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(_probe_script())
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__mapDrawnAt !== null", timeout=timeout_s * 1000, polling=50)
        wall = time.perf_counter() - t0
        drawn, canvas = page.evaluate("[window.__mapDrawnAt, window.__canvasAt]")
        return {"drawn": drawn / 1000, "canvas": canvas / 1000, "wall": wall}
    finally:
        context.close()


def measure(db: Path, reps: int, timeout_s: float = 120.0, log: Path | None = None) -> dict:
    """Warm the server with one visit, then time ``reps`` fresh visits to the Map page."""
    from playwright.sync_api import sync_playwright

    with streamlit_server(db, log) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            first = _load(browser, url, timeout_s)
            visits = [_load(browser, url, timeout_s) for _ in range(reps)]
        finally:
            browser.close()
    return {
        "first": first["drawn"],
        "drawn": Timing([v["drawn"] for v in visits]),
        "canvas": Timing([v["canvas"] for v in visits]),
        "wall": Timing([v["wall"] for v in visits]),
    }
