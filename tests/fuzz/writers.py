"""Serialise mutated rows and trees as CSV, TSV, xlsx and XML bytes, with damage of their own."""

from __future__ import annotations

import copy
import csv
import io
import math
from typing import Any

import openpyxl
from hypothesis import strategies as st
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.fuzz.mutate import APPLIED
from tests.fuzz.strategies import hostile_text
from tests.fuzz.targets import Target

ENCODINGS = ("utf-8",) * 10 + ("utf-8-sig", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32")


def write_csv(data: st.DataObject, rows: list[list[str]], delimiter: str = ",") -> bytes:
    """Rows as CSV bytes, sometimes with another delimiter, line ending, quoting or encoding."""
    delim = data.draw(st.sampled_from([delimiter] * 14 + [";", "\t"]), label="delim")
    if delim != delimiter:
        APPLIED.append(f"delimiter {delim!r}")
    term = data.draw(st.sampled_from(["\r\n", "\n", "\n", "\r"]), label="eol")
    quoting = data.draw(st.sampled_from([csv.QUOTE_MINIMAL] * 3 + [csv.QUOTE_ALL]), label="quoting")
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delim, lineterminator=term, quoting=quoting).writerows(
        [["" if c is None else str(c) for c in r] for r in rows]
    )
    return _encode(data, buf.getvalue())


def _encode(data: st.DataObject, text: str) -> bytes:
    enc = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    if enc not in ("utf-8", "utf-8-sig"):
        APPLIED.append(enc)
    return text.encode(enc, errors="replace")


def write_tsv(data: st.DataObject, rows: list[list[str]]) -> bytes:
    term = data.draw(st.sampled_from(["\n", "\n", "\r\n"]), label="eol")
    return _encode(data, term.join("\t".join(str(c) for c in r) for r in rows) + term)


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)[:32767]
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)  # openpyxl would write a blank cell; a text "nan"/"inf" is the hostile case
    return v


def write_xlsx(data: st.DataObject, rows: list[list[Any]], t: Target) -> bytes:
    """A workbook made with openpyxl: the sheet may be missing, renamed, or not the first."""
    sheet_op = data.draw(
        st.sampled_from(["ok"] * 6 + ["missing", "renamed", "extra_first", "two_sheets_empty"]),
        label="sheet_op",
    )
    title = {"missing": "Sheet1", "renamed": f"{t.sheet} "}.get(sheet_op, t.sheet)
    if sheet_op != "ok":
        APPLIED.append(sheet_op)
    return workbook_bytes(rows, title, sheet_op)


def workbook_bytes(rows: list[list[Any]], title: str, sheet_op: str = "ok") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    if sheet_op == "extra_first":
        wb.create_sheet("About", 0)["A1"] = "About this workbook"
    if sheet_op == "two_sheets_empty":
        wb.create_sheet("Empty")
    for r in rows:
        ws.append([_xlsx_value(v) for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    """Rows as a plain comma-separated file (characters the encoding lacks become '?')."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


XML_TAGS = ("X", "Country", "Good", "Name", "Countries", "Country_Name", "Goods", "Child_Labor")


def _xml_safe(s: Any) -> str:
    s = "" if s is None else str(s)
    return "".join(
        c for c in s if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
    )  # fmt: skip


XML_OPS = (
    "set_key_text", "set_key_text", "set_key_text", "set_text", "delete", "delete_key",
    "duplicate", "rename", "clear", "to_root", "comment", "namespace_root", "rename_root",
    "unknown_child", "empty_root",
)  # fmt: skip


def write_xml(data: st.DataObject, blob: bytes, t: Target) -> bytes:
    """The seed XML with elements deleted, duplicated, renamed or given hostile text."""
    root = etree.fromstring(blob)
    for _ in range(data.draw(st.integers(0, 5), label="n_xml_ops")):
        op = data.draw(st.sampled_from(XML_OPS), label="xml_op")
        APPLIED.append(op)
        elements = list(root.iter(etree.Element))[1:]
        keyed = [e for e in elements if e.tag in t.key_cols]
        if op in ("set_key_text", "delete_key") and keyed:
            el = data.draw(st.sampled_from(keyed), label="el")
            if op == "delete_key":
                el.getparent().remove(el)
            else:
                el.text = _xml_safe(data.draw(hostile_text(), label="text"))
        elif not elements:
            continue
        elif op == "set_text":
            el = data.draw(st.sampled_from(elements), label="el")
            el.text = _xml_safe(data.draw(hostile_text(), label="text"))
        elif op == "delete":
            el = data.draw(st.sampled_from(elements), label="el")
            el.getparent().remove(el)
        elif op == "duplicate":
            el = data.draw(st.sampled_from(elements), label="el")
            el.getparent().append(copy.deepcopy(el))
        elif op == "rename":
            el = data.draw(st.sampled_from(elements), label="el")
            el.tag = data.draw(st.sampled_from(XML_TAGS), label="tag")
        elif op == "clear":
            data.draw(st.sampled_from(elements), label="el").clear()
        elif op == "to_root":
            el = data.draw(st.sampled_from(elements), label="el")
            el.getparent().remove(el)
            root.append(el)
        elif op == "comment":
            el = data.draw(st.sampled_from(elements), label="el")
            el.append(etree.Comment(" -- a comment -- ".replace("--", "- -")))
        elif op == "unknown_child":
            el = data.draw(st.sampled_from(elements), label="el")
            etree.SubElement(el, "Unexpected").text = "<b>&amp;</b>"
        elif op == "namespace_root" and not root.tag.startswith("{"):
            root.tag = "{urn:x}" + root.tag
        elif op == "rename_root":
            root.tag = data.draw(st.sampled_from(XML_TAGS), label="tag")
        elif op == "empty_root":
            for child in list(root):
                root.remove(child)
    decl = data.draw(st.booleans(), label="xml_declaration")
    out = etree.tostring(root, encoding="utf-8", xml_declaration=decl)
    prolog = data.draw(
        st.sampled_from(
            ["", "", "", "doctype_entity", "xxe", "wrong_encoding_decl", "utf16", "two_roots"]
        ),
        label="xml_prolog",
    )
    if prolog:
        APPLIED.append(prolog)
    body = out.split(b"?>", 1)[1] if decl else out
    if prolog == "doctype_entity":
        lol = '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        out = f"<!DOCTYPE r [{lol}]>".encode() + body.replace(b"</", b"&b;</", 1)
    elif prolog == "xxe":
        out = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + body.replace(
            b"</", b"&x;</", 1
        )
    elif prolog == "wrong_encoding_decl":
        out = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body
    elif prolog == "utf16":
        out = etree.tostring(root, encoding="utf-16", xml_declaration=True)
    elif prolog == "two_roots":
        out = out + out
    return out
