"""Smelter rows out of cell grids: find the header, map columns, carry headers over continuations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from riskatlas.importer.columns import (
    NAME_ROLES,
    RMI_ID_RE,
    column_profile,
    header_roles,
    looks_like_header,
    one_metal,
    rmi_id,
)
from riskatlas.importer.model import Grid

HEADER_SCAN_ROWS = 30  # a header further down than this is not a header of this table
PLACEHOLDER_NAMES = {
    "",
    "-",
    "--",
    "n/a",
    "na",
    "none",
    "unknown",
    "smelter not listed",
    "smelter not yet identified",
    "not listed",
    "not yet identified",
    "冶炼厂未列出",
    "冶炼厂尚未确定",
}


@dataclass
class Layout:
    """How one table's columns map to roles; reused by header-less continuation tables."""

    width: int
    roles: list[str | None]
    header_text: list[str]
    context_metal: str | None = None
    section: str | None = None


def _header_texts(grid: Grid, i: int) -> list[str]:
    src = grid.header_cells if grid.header_cells is not None else grid.cells
    row = src[i] if i < len(src) else []
    return [*row, *[""] * (grid.width - len(row))]


def find_header(grid: Grid) -> int | None:
    """Index of the header row of a grid, or None if the table has no header of ours."""
    if grid.header_row is not None:
        return grid.header_row
    for i in range(min(len(grid.cells), HEADER_SCAN_ROWS)):
        if looks_like_header(_header_texts(grid, i)):
            return i
    return None


def _column(grid: Grid, j: int, start: int) -> list[str]:
    return [r[j] if j < len(r) else "" for r in grid.cells[start:]]


def _profiles(grid: Grid, start: int) -> list[dict[str, float]]:
    return [column_profile(_column(grid, j, start)) for j in range(grid.width)]


def reconcile(roles: list[str | None], profiles: list[dict[str, float]]) -> list[str | None]:
    """Correct header roles with what the values look like, and fill roles the header missed.

    A column whose values are mostly CIDnnnnnn is the id column whatever its header says; a
    table without a recognised metal, country or name column gets one from the values.
    """
    roles = list(roles)
    for j, p in enumerate(profiles):
        if p["n"] and p["cid"] >= 0.5 and roles[j] != "id":
            roles[j] = "id"
    present = set(roles)

    def free(j: int) -> bool:
        return roles[j] is None and profiles[j]["n"] > 0

    if "metal" not in present:
        cands = [j for j in range(len(roles)) if free(j) and profiles[j]["metal"] >= 0.8]
        if cands:
            roles[max(cands, key=lambda j: profiles[j]["metal"])] = "metal"
    if "country" not in present:
        cands = [j for j in range(len(roles)) if free(j) and profiles[j]["country"] >= 0.7]
        if cands:
            roles[max(cands, key=lambda j: profiles[j]["country"])] = "country"
    if not present & set(NAME_ROLES):
        cands = [
            j
            for j in range(len(roles))
            if free(j)
            and profiles[j]["alpha"] >= 0.8
            and profiles[j]["country"] < 0.5
            and profiles[j]["status"] < 0.5
            and profiles[j]["len"] >= 6
        ]
        if cands:
            roles[max(cands, key=lambda j: profiles[j]["len"])] = "name"
    return roles


def _is_smelter_table(
    roles: list[str | None], profiles: list[dict[str, float]], headed: bool
) -> bool:
    present = set(roles)
    has_name = bool(present & set(NAME_ROLES))
    id_cols = [j for j, r in enumerate(roles) if r == "id"]
    ids_ok = any(profiles[j]["cid"] >= 0.3 for j in id_cols)
    if headed:
        return has_name or ids_ok
    # No header: the values alone must make it a smelter table.
    return (
        ids_ok
        and (has_name or "metal" in present)
        or (has_name and "metal" in present and "country" in present)
    )


def _fits(layout: Layout, profiles: list[dict[str, float]]) -> bool:
    """A header-less table continues the previous one if its values fit the previous columns."""
    checks = []
    for j, r in enumerate(layout.roles):
        if r == "id" and profiles[j]["n"]:
            checks.append(profiles[j]["cid"] >= 0.5)
        elif r == "metal" and profiles[j]["n"]:
            checks.append(profiles[j]["metal"] >= 0.7)
    if not checks:
        # A "Smelter Name | Country" list has neither ids nor metals: its countries and names
        # must fit instead (a continuation after a page break repeats no header).
        for j, r in enumerate(layout.roles):
            if j >= len(profiles) or not profiles[j]["n"]:
                continue
            if r == "country":
                checks.append(profiles[j]["country"] >= 0.7)
            elif r in NAME_ROLES:
                checks.append(profiles[j]["alpha"] >= 0.8 and profiles[j]["country"] < 0.5)
        if not any(r == "country" for r in layout.roles):
            return False
    return bool(checks) and all(checks)


def _first(values: list[str], pred) -> str | None:
    for v in values:
        if v and pred(v):
            return v
    return None


def _is_name(value: str) -> bool:
    """A printed smelter name: some letters, and not 'Smelter not listed' or '-'."""
    v = value.strip()
    return v.lower() not in PLACEHOLDER_NAMES and len(re.findall(r"[^\W\d_]", v)) >= 2


def _row_record(cells: list[str], roles: list[str | None]) -> dict[str, Any]:
    by_role: dict[str, list[str]] = {}
    for j, r in enumerate(roles):
        if r and j < len(cells) and cells[j]:
            by_role.setdefault(r, []).append(cells[j])
    ids = by_role.get("id", [])
    name = None
    for role in NAME_ROLES:
        name = _first(by_role.get(role, []), _is_name)
        if name:
            break
    if name and rmi_id(name):  # some lists print the id where the name should be
        ids = [*ids, name]
        name = None
    elif name and not any(rmi_id(v) for v in ids) and RMI_ID_RE.search(name):
        # "Changsha South Tantalum (CID000211)": the id inside the name cell
        ids = [*ids, RMI_ID_RE.search(name).group(0)]
        rest = re.sub(r"\(\s*\)|\[\s*\]", " ", RMI_ID_RE.sub(" ", name))
        name = " ".join(rest.split()).strip(" -–:,;|/") or None
    return {
        "id_as_reported": _first(ids, rmi_id) or _first(ids, lambda v: True),
        "smelter_name": name,
        "metal_as_reported": _first(by_role.get("metal", []), lambda v: True),
        "country": _first(by_role.get("country", []), lambda v: True),
        "status_as_reported": _first(by_role.get("status", []), lambda v: True),
        "row_no": _first(by_role.get("row_no", []), lambda v: True),
        "direct_sourcing": _first(by_role.get("direct_sourcing", []), lambda v: True),
        "indirect_sourcing": _first(by_role.get("indirect_sourcing", []), lambda v: True),
        "origin_as_reported": _first(by_role.get("origin", []), lambda v: True),
    }


def rows_from_grids(
    grids: list[Grid], messages: list[str], skipped: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Every smelter row in the grids, in file order, each with its reference in the file.

    Continuation tables without a header reuse the previous header of the same width; a row
    holding only a metal name ("Gold") sets the metal for the rows below it. Lines of a smelter
    table that name no smelter (no id, no usable name: "Smelter not listed", a footnote) are
    appended to ``skipped`` with their reference, so a caller can account for them.
    """
    out: list[dict[str, Any]] = []
    layout: Layout | None = None
    for grid in grids:
        if not grid.cells or grid.width < 2 and grid.header_row is None:
            continue
        h = find_header(grid)
        if h is not None:
            start = h + 1
            profiles = _profiles(grid, start)
            roles = reconcile(header_roles(_header_texts(grid, h)), profiles)
            headed = True
        else:
            start = 0
            profiles = _profiles(grid, 0)
            if layout is not None and layout.width == grid.width and _fits(layout, profiles):
                roles = reconcile(layout.roles, profiles)
                headed = True
                # The same table goes on: so do its section title and metal.
                grid.context_metal = grid.context_metal or layout.context_metal
                grid.section = grid.section if grid.context_metal else layout.section
            else:
                roles = reconcile([None] * grid.width, profiles)
                headed = False
        if not _is_smelter_table(roles, profiles, headed):
            continue
        layout = Layout(
            grid.width,
            roles,
            _header_texts(grid, h) if h is not None else layout.header_text if layout else [],
            grid.context_metal,
            grid.section,
        )
        out.extend(_grid_rows(grid, start, roles, messages, skipped))
    return out


def _grid_rows(
    grid: Grid,
    start: int,
    roles: list[str | None],
    messages: list[str],
    skipped_rows: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    label_metal: str | None = None
    skipped = 0
    for i in range(start, len(grid.cells)):
        cells = [" ".join(str(c).split()) for c in grid.cells[i]]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if looks_like_header(cells):  # a header repeated inside the table
            continue
        if len(set(filled)) == 1 and one_metal(filled[0]) and len(filled[0]) <= 30:
            label_metal = one_metal(filled[0])  # a "Gold" row over the gold smelters
            continue
        rec = _row_record(cells, roles)
        ref = grid.refs[i] if i < len(grid.refs) else f"{grid.where}, row {i + 1}"
        if not rec["smelter_name"] and not rec["id_as_reported"]:
            skipped += 1
            if skipped_rows is not None:
                skipped_rows.append(
                    {"ref": ref, "section": grid.section, "text": " | ".join(filled)}
                )
            continue
        rec["metal_context"] = label_metal or grid.context_metal
        rec["section"] = grid.section
        rec["ref"] = ref
        rows.append(rec)
    if skipped:
        messages.append(f"{grid.where}: {skipped} line(s) without a smelter name or id skipped")
    return rows
