"""Large layer data of a deck moved out of the deck spec into JSON files the app serves.

Why: Streamlit's deck.gl element parses the deck spec it receives over the websocket with JSON5,
a JavaScript parser that reads character by character: about 0.6 s per MB in chromium (a Map at
`/` sent 3.4 MB: country outlines, 2,800 documented conflicts with their tooltips, 3,800 cells).
deck.gl itself loads a layer whose ``data`` is a URL with ``fetch`` and ``JSON.parse`` (about
25 ms per MB), in parallel, and the browser can keep the file. So every layer whose data is
large is written once to ``<directory>/<content hash>.json`` (served by Streamlit's static
serving at ``<url_prefix><name>``) and the spec names the file instead. The records are the
same bytes as before: tooltips, ids for a click (Streamlit's selection takes the picked object)
and colours are unchanged.

Files are named by their content, so equal data (the outlines, the same view in another
session or another replica sharing the directory) is one file, written atomically; the oldest
files beyond ``keep`` are pruned. Nothing here imports Streamlit (riskatlas.ui.static_files
decides the directory and the prefix).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from riskatlas import settings

MIN_BYTES = 20_000  # smaller data stays in the spec: a request costs more than parsing it
# files kept in the directory: a Map view writes at most a few, and a view kept in the app's
# cache (settings.VIEW_CACHE) must still find its files
KEEP = max(512, 4 * settings.VIEW_CACHE.number())


def _dump(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=default)


def write_data(data: Any, directory: Path) -> str:
    """Write ``data`` as ``<sha256[:24]>.json`` in ``directory`` (once), return the file name."""
    return write_text(_dump(data), directory)


def write_text(dumped: str, directory: Path) -> str:
    """write_data for data already dumped as JSON."""
    text = dumped.encode("utf-8")
    name = hashlib.sha256(text).hexdigest()[:24] + ".json"
    path = directory / name
    if path.is_file():
        os.utime(path)  # recently used: kept by prune()
        return name
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".part-", suffix=".json")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # readable by whatever serves the folder (a proxy, a replica)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def offload_layers(
    layers: Iterable[Any], directory: Path, url_prefix: str, min_bytes: int = MIN_BYTES
) -> dict[str, str]:
    """Every layer's data of at least ``min_bytes`` moved to a served file, on a deck's layers
    (pydeck) before the deck is serialised: each large layer's data is dumped once, into its
    file, and the layer then holds the file's URL (``url_prefix`` ends with '/', e.g.
    '/app/static/deck/'); which layer went to which file name. Small or no data stays.

    Why not offload the finished spec: parsing the spec back and dumping it again was half of
    the CPU a Map view cost the first reader who asked for it (py-spy over the server, issue
    19), most of it the same country outlines in every view. Here the deck is serialised once,
    with the URLs already in it, and the files hold the same records.
    """
    from pydeck.bindings.json_tools import default_serialize

    moved: dict[str, str] = {}
    for layer in layers:
        data = getattr(layer, "data", None)
        if not isinstance(data, list | dict):
            continue
        name = _written_before(data, directory)
        if name is None:
            text = _dump(data, default_serialize)
            if len(text) < min_bytes:
                continue
            name = write_text(text, directory)
            if len(_WRITTEN) >= _WRITTEN_MAX:
                _WRITTEN.clear()
            _WRITTEN[(id(data), str(directory))] = (data, name)
        layer.data = url_prefix + name
        moved[str(layer.id)] = name
    return moved


# data objects already written, by identity: the outlines every Map view shares are one cached
# object (riskatlas.basemap), dumped once per process instead of once per view; the entry holds
# the object, so its id cannot be reused while it is here
_WRITTEN: dict[tuple[int, str], tuple[Any, str]] = {}
_WRITTEN_MAX = 8


def _written_before(data: Any, directory: Path) -> str | None:
    """The file name ``data`` (this very object) was written to, if that file is still there
    (touched, so prune keeps it)."""
    hit = _WRITTEN.get((id(data), str(directory)))
    if hit is None or hit[0] is not data:
        return None
    try:
        os.utime(directory / hit[1])
    except OSError:  # pruned or removed: write it again
        return None
    return hit[1]


def prune(directory: Path, keep: int = KEEP) -> int:
    """Delete all but the ``keep`` most recently used files; how many were deleted."""
    try:
        files = [p for p in directory.glob("*.json") if p.is_file()]
    except OSError:
        return 0
    if len(files) <= keep:
        return 0
    files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    gone = 0
    for p in files[keep:]:
        try:
            p.unlink()
            gone += 1
        except OSError:
            pass
    return gone


def load_data(layer: dict[str, Any], directory: Path) -> Any:
    """A layer's data whether inline or moved to a file (for tests and tools reading a spec)."""
    data = layer.get("data")
    if isinstance(data, str) and data.endswith(".json"):
        return json.loads((directory / data.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))
    return data
