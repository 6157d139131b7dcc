"""Download every source's files from its official address into a raw directory (for users with internet)."""

from __future__ import annotations

import shutil
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .sources import ADAPTERS, adapter


def plan(names=ADAPTERS) -> list[tuple[str, str, str]]:
    """(folder, file name, download address) for every file that has a known address."""
    out = []
    for name in names:
        src = adapter(name).SOURCE
        for fname in src.files:
            url = src.fetch_urls.get(fname)
            if url:
                out.append((src.folder, fname, url))
    return sorted(out)


def _urlopen(url: str, timeout: float = 60):
    return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - addresses come from SOURCE


def fetch(
    dest: Path,
    names=ADAPTERS,
    opener: Callable = _urlopen,
    force: bool = False,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> dict[str, list[str]]:
    """Fetch each planned file into ``dest/<folder>/<file>``; a failure is reported, not fatal.

    ``opener`` is injectable so tests can serve local files (``file://`` addresses) and the
    test suite never reaches the network. Each file is written to a ``.part`` file first.
    """
    done, failed, skipped = [], [], []
    for folder, fname, url in plan(names):
        target = Path(dest) / folder / fname
        if target.exists() and not force:
            skipped.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        try:
            with opener(url) as resp, open(part, "wb") as f:
                shutil.copyfileobj(resp, f)
            part.replace(target)
            done.append(str(target))
            log(f"fetched {url} -> {target}")
        except Exception as exc:  # noqa: BLE001 - every failure is reported by name
            part.unlink(missing_ok=True)
            failed.append(f"{folder}/{fname}: {type(exc).__name__}: {exc}")
            log(f"FAILED {url}: {exc}")
    return {"fetched": done, "failed": failed, "skipped": skipped}
