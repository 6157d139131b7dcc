"""Seeds: a real slice of each target's mirrored file, read once per process."""

from __future__ import annotations

import csv
import functools
import json
from typing import Any

import openpyxl
from lxml import etree

from tests.fuzz.targets import TARGETS

SEED_ROWS = 20


def spread(rows: list, n: int) -> list:
    """n rows evenly spread over the file, so the slice is not one publisher's first block."""
    if len(rows) <= n:
        return list(rows)
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


@functools.cache
def seed(name: str) -> Any:
    """The real slice a target's mutations start from (rows, a tree, or a GeoJSON dict)."""
    t = TARGETS[name]
    if t.kind == "csv":
        with open(t.source, encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
        return [rows[0], *spread(rows[1:], SEED_ROWS)]
    if t.kind == "tsv":
        lines = [ln for ln in t.source.read_text(encoding="utf-8").split("\n") if ln.strip()]
        return [ln.split("\t") for ln in [lines[0], *spread(lines[1:], SEED_ROWS)]]
    if t.kind == "xlsx":
        wb = openpyxl.load_workbook(t.source, read_only=True, data_only=True)
        try:
            it = wb[t.sheet].iter_rows(values_only=True)
            head = [list(next(it)) for _ in range(t.header_row + 1)]
            body = [list(next(it)) for _ in range(SEED_ROWS * 10)]
        finally:
            wb.close()
        return [*head, *spread(body, SEED_ROWS)]
    if t.kind == "xml":
        root = etree.parse(str(t.source)).getroot()
        if name == "ilab_goods":
            goods = root.findall("Good")
            keep = spread(goods, 10)
        else:
            keep = spread(root.findall("Country"), SEED_ROWS)
        for child in list(root):
            if child not in keep:
                root.remove(child)
        return etree.tostring(root)
    if t.kind == "geojson":
        data = json.loads(t.source.read_text(encoding="utf-8"))
        # The -99 features, Fiji (crosses the antimeridian) and the USA, plus a spread of others.
        # Russia and Antarctica are left out: their antimeridian fix alone takes ~0.2 s a file.
        feats = [f for f in data["features"] if f["properties"]["ADM0_A3"] not in ("RUS", "ATA")]
        special = [
            f for f in feats
            if f["properties"].get("ISO_A3") == "-99"
            or f["properties"].get("ADM0_A3") in ("FJI", "USA")
        ]  # fmt: skip
        data["features"] = special + spread([f for f in feats if f not in special], 12)
        return json.dumps(data)
    raise ValueError(t.kind)
