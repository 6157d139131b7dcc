"""Former names of RMI smelters, from RMI's revision history, to resolve a report's older names.

Why: brands print the name a smelter had when their suppliers surveyed it ("Liuzhou China Tin",
"QSIL Metals Hermsdorf GmbH"); RMI's current list may no longer carry it, even as an alias.
The mirror's ``rmi_retired_smelter_ids/retired_smelter_ids.csv`` keeps RMI's revision log
("Name correction" rows) and the 2014 CFSI standard list, so every name it gives an id that
RMI still lists is a former name of that smelter.

This reads the mirror's file directly. When a source adapter for it exists
(riskatlas/sources/), :func:`former_names` is the one place to switch to it: it returns plain
``{smelter_id: [name, ...]}`` whatever it reads.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from riskatlas import paths

RETIRED_CSV = Path("rmi_retired_smelter_ids") / "retired_smelter_ids.csv"
FORMER_BASIS = "former RMI name (RMI revision history, rmi_retired_smelter_ids)"


def former_names_file(raw: str | Path | None = None) -> Path:
    """Where the mirror keeps RMI's revision history."""
    return paths.raw_dir(raw) / RETIRED_CSV


def former_names(raw: str | Path | None = None) -> dict[str, list[str]]:
    """{RMI id: names RMI gave it in its revision history}, empty if the file is missing."""
    path = former_names_file(raw)
    if not path.is_file():
        return {}
    st = path.stat()
    return _read(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=2)
def _read(path: str, mtime_ns: int, size: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sid = (row.get("smelter_id") or "").strip()
            name = " ".join((row.get("name") or "").split())
            if len(sid) == 9 and sid.startswith("CID") and name:
                names = out.setdefault(sid, [])
                if name not in names:
                    names.append(name)
    return out
