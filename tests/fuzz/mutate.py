"""Damage to row tables and raw bytes, logged in APPLIED for the example being built."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.strategies import hostile_cell, hostile_text
from tests.fuzz.targets import Target

APPLIED: list[str] = []  # the damage done to the current example's file(s), for the report

TABLE_OPS = (
    "set_cell", "set_cell", "set_cell", "set_key_cell", "set_key_cell", "set_key_cell",
    "set_column", "swap_cols", "swap_header_names", "drop_col", "rename_header", "truncate_row",
    "extend_row", "dup_row", "drop_rows", "blank_row", "shuffle", "shift_header", "header_only",
    "shift_columns", "no_rows", "dup_col",
)  # fmt: skip


def mutate_table(data: st.DataObject, rows: list[list[Any]], t: Target, typed: bool) -> list[list]:
    """Apply 0-5 random row/column mutations; rows[t.header_row] is the header."""
    rows = [list(r) for r in rows]
    h = t.header_row
    value = hostile_cell() if typed else hostile_text()
    for _ in range(data.draw(st.integers(0, 5), label="n_table_ops")):
        op = data.draw(st.sampled_from(TABLE_OPS), label="table_op")
        APPLIED.append(op)
        body = range(h + 1, len(rows))
        width = max((len(r) for r in rows), default=0)
        if op in ("set_cell", "set_key_cell") and len(rows) > h + 1 and width:
            i = data.draw(st.sampled_from(body), label="row")
            header = rows[h] if len(rows) > h else []
            keys = [header.index(k) for k in t.key_cols if k in header]
            if op == "set_key_cell" and keys:
                j = data.draw(st.sampled_from(keys), label="key_col")
            else:
                j = data.draw(st.integers(0, width - 1), label="col")
            while len(rows[i]) <= j:
                rows[i].append("" if not typed else None)
            rows[i][j] = data.draw(value, label="cell")
        elif op == "set_column" and len(rows) > h and rows[h]:
            header = rows[h]
            keys = [header.index(k) for k in t.key_cols if k in header] or list(range(len(header)))
            j = data.draw(st.sampled_from(keys), label="col")
            v = data.draw(value, label="cell")
            for i in body:
                if j < len(rows[i]):
                    rows[i][j] = v
        elif op in ("swap_cols", "swap_header_names") and len(rows) > h and len(rows[h]) > 1:
            a, b = data.draw(
                st.lists(st.integers(0, len(rows[h]) - 1), min_size=2, max_size=2, unique=True),
                label="swap",
            )
            targets = [rows[h]] if op == "swap_header_names" else rows[h:]
            for r in targets:
                if max(a, b) < len(r):
                    r[a], r[b] = r[b], r[a]
        elif op == "drop_col" and width > 1:
            j = data.draw(st.integers(0, width - 1), label="col")
            for r in rows:
                if j < len(r):
                    del r[j]
        elif op == "rename_header" and len(rows) > h and rows[h]:
            j = data.draw(st.integers(0, len(rows[h]) - 1), label="col")
            names = [c for c in rows[h] if isinstance(c, str) and c]
            other = st.sampled_from(names) if names else value  # a duplicate column name
            rows[h][j] = data.draw(st.one_of(value, other), label="name")
        elif op == "dup_col" and width:
            j = data.draw(st.integers(0, width - 1), label="col")
            at = data.draw(st.integers(0, width), label="at")
            for r in rows:
                r.insert(min(at, len(r)), r[j] if j < len(r) else ("" if not typed else None))
        elif op == "truncate_row" and len(rows) > h + 1:
            i = data.draw(st.sampled_from(body), label="row")
            rows[i] = rows[i][: data.draw(st.integers(0, max(0, len(rows[i]) - 1)), label="keep")]
        elif op == "extend_row" and len(rows) > h + 1:
            i = data.draw(st.sampled_from(body), label="row")
            rows[i] += data.draw(st.lists(value, min_size=1, max_size=3), label="extra")
        elif op == "dup_row" and len(rows) > h + 1:
            i = data.draw(st.sampled_from(body), label="row")
            rows.insert(data.draw(st.integers(h + 1, len(rows)), label="at"), list(rows[i]))
        elif op == "drop_rows" and len(rows) > h + 1:
            keep = data.draw(st.lists(st.booleans(), min_size=len(body), max_size=len(body)))
            rows = rows[: h + 1] + [r for r, k in zip(rows[h + 1 :], keep, strict=True) if k]
        elif op == "blank_row":
            blank = data.draw(st.sampled_from([[], [""], ["", ""], [" ", "\t"], [None, None]]))
            if not typed:
                blank = ["" if c is None else c for c in blank]
            rows.insert(data.draw(st.integers(0, len(rows)), label="at"), blank)
        elif op == "shuffle" and len(rows) > h + 2:
            body_rows = data.draw(st.permutations(rows[h + 1 :]), label="perm")
            rows = rows[: h + 1] + list(body_rows)
        elif op == "shift_header":
            rows.insert(0, data.draw(st.lists(value, max_size=3), label="above_header"))
        elif op == "header_only":
            rows = rows[: h + 1]
        elif op == "shift_columns":
            pad = None if typed else ""
            for r in rows[data.draw(st.integers(0, len(rows)), label="from") :]:
                r.insert(0, pad)
        elif op == "no_rows":
            rows = []
    return rows


# Most files keep their bytes, so that row-level damage is exercised and not hidden by one
# undecodable byte; the rest are damaged in one of eight ways.
BYTE_OPS = ("none",) * 12 + (
    "truncate", "insert_garbage", "flip", "binary", "empty", "bom", "append_garbage", "nul",
)  # fmt: skip


def mutate_bytes(data: st.DataObject, blob: bytes) -> tuple[bytes, str]:
    """Damage the file's bytes the way a broken download, disk or editor would.

    Positions are drawn as fractions of the length: a workbook's bytes vary with its save time.
    """
    op = data.draw(st.sampled_from(BYTE_OPS), label="byte_op")
    if op != "none":
        APPLIED.append(op)

    def pos(limit: int) -> int:
        return data.draw(st.integers(0, 10**6), label="at") * limit // 10**6

    if op == "truncate":
        blob = blob[: pos(max(0, len(blob) - 1))]
    elif op == "insert_garbage":
        at = pos(len(blob))
        blob = (
            blob[:at] + data.draw(st.binary(min_size=1, max_size=64), label="garbage") + blob[at:]
        )
    elif op == "flip" and blob:
        at = pos(len(blob) - 1)
        blob = blob[:at] + bytes([data.draw(st.integers(0, 255))]) + blob[at + 1 :]
    elif op == "binary":
        blob = data.draw(st.binary(max_size=2000), label="binary")
    elif op == "empty":
        blob = b""
    elif op == "bom":
        blob = b"\xef\xbb\xbf" + blob
    elif op == "append_garbage":
        blob = blob + data.draw(st.binary(min_size=1, max_size=200), label="tail")
    elif op == "nul":
        at = pos(len(blob))
        blob = blob[:at] + b"\x00" * data.draw(st.integers(1, 8)) + blob[at:]
    return blob, op


def damage_zip_member(blob: bytes, member: str) -> bytes:
    """The zip (workbook) with the start of one member's deflate stream overwritten.

    0xFF bytes make an invalid deflate block type, so reading it raises zlib.error, which is
    neither BadZipFile nor OSError.
    """
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        info = z.getinfo(member)
    head = info.header_offset
    name_len, extra_len = struct.unpack("<HH", blob[head + 26 : head + 30])
    start = head + 30 + name_len + extra_len
    return blob[:start] + b"\xff" * 16 + blob[start + 16 :]
