"""Real browsers under load: P chromium pages (Playwright, Debian chromium) against one
`streamlit run` server, each opening filtered Map URLs and nudging the min-risk slider for S
seconds (`python -m bench.load`, after the AppTest part)."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.session_stats import CHOICES, Stats, summary
from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
SLIDER = '[data-testid="stSlider"] input[type="range"]'  # min risk, in the sidebar


def _random_url(base: str, rng: random.Random) -> str:
    """A filtered Map URL, always with a mineral (the unfiltered atlas is the AppTest part's)."""
    params = {}
    for name in ("brand", "mineral", "tier"):
        value = rng.choice([v for v in CHOICES[name] if v] if name == "mineral" else CHOICES[name])
        if value:
            params[name] = ",".join(value)
    risk = rng.choice(CHOICES["min_risk"])
    if risk:
        params["min_risk"] = f"{risk:g}"
    return f"{base}/?{urlencode(params, safe=',')}" if params else f"{base}/"


async def _wait_rerun(page, timeout_ms: float) -> None:
    """Wait for the script to start (if we are not too late to see it), then to finish."""
    try:
        await page.wait_for_selector(RUNNING, timeout=1500)
    except Exception:  # noqa: BLE001 - a fast rerun may finish before we look
        pass
    await page.wait_for_selector(IDLE, timeout=timeout_ms)


async def _browser_user(browser, base, seed, deadline, stats: Stats, timeout_ms) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda exc: stats.add("errors", f"pageerror: {exc}"))
    try:
        while time.monotonic() < deadline:
            try:
                slider = page.locator(SLIDER).first
                # a new filtered URL now and then (a new session); mostly slider reruns
                if rng.random() < 0.25 or not await slider.count():
                    t0 = time.perf_counter()
                    await page.goto(_random_url(base, rng), wait_until="commit")
                    await page.wait_for_selector(
                        '[data-testid="stDeckGlJsonChart"]', timeout=timeout_ms
                    )
                    await page.wait_for_selector(IDLE, timeout=timeout_ms)
                    stats.add("first", time.perf_counter() - t0)
                else:
                    await slider.focus()
                    t0 = time.perf_counter()
                    await slider.press(rng.choice(["ArrowRight", "ArrowRight", "Home"]))
                    await _wait_rerun(page, timeout_ms)
                    stats.add("reruns", time.perf_counter() - t0)
                shown = await page.locator('[data-testid="stException"]').count()
                if shown:
                    text = await page.locator('[data-testid="stException"]').first.inner_text()
                    stats.add("errors", f"exception on page: {text[:200]}")
            except Exception as exc:  # noqa: BLE001 - a timeout is an error of the run
                stats.add("errors", f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def _browser_run(base: str, pages: int, seconds: float, timeout_ms: float) -> Stats:
    from playwright.async_api import async_playwright

    stats = Stats()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            deadline = time.monotonic() + seconds
            await asyncio.gather(
                *(
                    _browser_user(browser, base, 100 + i, deadline, stats, timeout_ms)
                    for i in range(pages)
                )
            )
        finally:
            await browser.close()
    return stats


def browser_load(db: Path, pages: int = 3, seconds: float = 30.0, log: Path | None = None):
    """``pages`` browser users against one Streamlit server for ``seconds``."""
    from bench.browser import streamlit_server

    with streamlit_server(db, log) as url:
        base = url.rstrip("/")
        t0 = time.perf_counter()
        stats = asyncio.run(_browser_run(base, pages, seconds, timeout_ms=120_000))
        wall = time.perf_counter() - t0
    return {
        "pages": pages,
        "seconds": seconds,
        "wall_s": wall,
        "page_load": summary(stats.first),
        "rerun": summary(stats.reruns),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
    }
