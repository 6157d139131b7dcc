"""Read an uploaded CSV or GeoJSON file (any common encoding, with or without BOM) into raw rows."""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from riskatlas import settings
from riskatlas.contrib.validate import FIELDS, RowError

MAX_BYTES = settings.CONTRIB_MAX_BYTES.value
MAX_ROWS = settings.CONTRIB_MAX_ROWS.value
DELIMITERS = (",", ";", "\t")
# charset_normalizer guesses trusted as they are: scripts a Western code page cannot hold.
NON_LATIN = (
    "gb",
    "big5",
    "shift_jis",
    "cp932",
    "euc",
    "cp949",
    "johab",
    "hz",
    "iso2022",
    "cp1251",
    "koi8",
    "mac_cyrillic",
    "cp866",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1255",
    "iso8859_8",
    "cp1256",
    "iso8859_6",
    "cp874",
    "tis",
    "utf",
)

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class FileProblem(Exception):
    """The file as a whole cannot be read (not a row problem)."""


@dataclass
class RawRow:
    """One data row as read: its number as the contributor sees it and its values by column."""

    row: int
    values: dict[str, Any]


@dataclass
class ParsedFile:
    kind: str  # "csv" or "geojson"
    encoding: str
    columns: list[str] = field(default_factory=list)  # CSV header as written
    header_row: int = 1
    rows: list[RawRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return "feature" if self.kind == "geojson" else "row"


def template_csv() -> bytes:
    """An empty upload with every column and one example row (UTF-8 with BOM, for spreadsheets)."""
    cols = list(FIELDS)
    example = {
        "site_name": "Example site",
        "tier": "artisanal_mine",
        "description": "What was documented, by whom and how",
        "event_date": "2024-03-01",
        "evidence_url": "https://example.org/report.pdf",
        "contributor": "Example union",
        "country": "Democratic Republic of the Congo",
        "city": "Kolwezi",
        "minerals": "cobalt",
    }
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    w.writerow([example.get(c, "") for c in cols])
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: BOM first, then UTF-8, then a detected one.

    Why: spreadsheets save CSV as UTF-8 with a BOM, UTF-16 ("Unicode text") or a Windows code
    page; each must read as the same text, and the header must not start with a stray BOM.
    """
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem("this is a spreadsheet workbook (xlsx/ods); save it as CSV UTF-8")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise FileProblem(f"starts with a {enc} byte-order mark but is not {enc}") from exc
    if b"\x00" in data[:4000]:  # UTF-16 without a BOM: every other byte of Latin text is zero
        head = data[:4000]
        odd, even = head[1::2].count(0), head[0::2].count(0)
        enc = "utf-16-le" if odd > 2 * even else "utf-16-be" if even > 2 * odd else None
        if enc:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and best.encoding.startswith(NON_LATIN):
        return str(best), best.encoding
    # A Latin-script guess on a short file is unreliable (cp775, cp1250 ...): Western
    # spreadsheets save CSV as cp1252, so read it as that when it decodes.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


def kind_of(filename: str, text: str) -> str:
    """'geojson' or 'csv' from the file name, else from the first character."""
    name = (filename or "").lower()
    if name.endswith((".geojson", ".json")):
        return "geojson"
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    return "geojson" if text.lstrip().startswith("{") else "csv"


def read_upload(data: bytes, filename: str = "") -> ParsedFile:
    """Parse an upload; a problem with the whole file comes back as a row-0 error."""
    try:
        if len(data) > MAX_BYTES:
            raise FileProblem(
                f"larger than {MAX_BYTES // 1_000_000} MB; split it into smaller files"
            )
        if not data.strip():
            raise FileProblem("the file is empty")
        text, encoding = decode(data)
        if "\x00" in text:
            raise FileProblem(
                "looks binary, or is in an encoding we cannot read; save as CSV UTF-8"
            )
        kind = kind_of(filename, text)
        parsed = _read_geojson(text) if kind == "geojson" else _read_csv(text)
        parsed.encoding = encoding
    except FileProblem as exc:
        return ParsedFile(
            kind=kind_of(filename, ""), encoding="", errors=[RowError(0, "file", str(exc))]
        )
    if len(parsed.rows) > MAX_ROWS:
        parsed.errors.insert(0, RowError(0, "file", f"more than {MAX_ROWS} rows; split the file"))
    elif not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(0, "file", "no data rows"))
    return parsed


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(text: str) -> ParsedFile:
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    out = ParsedFile(kind="csv", encoding="")
    header: list[str] | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue  # blank line or a row of empty cells, as spreadsheets export them
            if header is None:
                header, out.header_row = cells, number
                out.columns = [c.strip() for c in cells]
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                out.errors.append(
                    RowError(
                        number,
                        "row",
                        f"has {len(cells)} values but the header has {len(header)} "
                        "columns (a comma or semicolon inside an unquoted value?)",
                    )
                )
                continue
            cells = cells[: len(header)] + [""] * (len(header) - len(cells))
            out.rows.append(RawRow(number, dict(zip(out.columns, cells, strict=True))))
    except csv.Error as exc:
        raise FileProblem(f"not valid CSV near line {reader.line_num}: {exc}") from exc
    if header is None:
        raise FileProblem("no header row")
    return out


def _read_geojson(text: str) -> ParsedFile:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise FileProblem("not valid GeoJSON: nested too deeply") from exc
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    elif isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise FileProblem("a FeatureCollection needs a list of features")
    else:
        raise FileProblem("not GeoJSON: expected a FeatureCollection or a Feature")
    out = ParsedFile(kind="geojson", encoding="")
    for number, feat in enumerate(features, start=1):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            out.errors.append(RowError(number, "feature", "not a GeoJSON Feature", unit="feature"))
            continue
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            out.errors.append(RowError(number, "properties", "must be an object", unit="feature"))
            continue
        values = {k: _plain(v) for k, v in props.items()}
        point, problem = _point(feat.get("geometry"))
        if problem:
            out.errors.append(RowError(number, "geometry", problem, unit="feature"))
            continue
        if point is not None:
            values["__lon"], values["__lat"] = point
        out.rows.append(RawRow(number, values))
    return out


def _plain(v: Any) -> Any:
    """Property values as the validator reads them: lists of names become one comma list."""
    if isinstance(v, list) and all(isinstance(x, str | int | float) for x in v):
        return ", ".join(str(x) for x in v)
    return v


def _point(geom: Any) -> tuple[tuple[float, float] | None, str | None]:
    if geom is None:
        return None, None
    if not isinstance(geom, dict) or geom.get("type") != "Point":
        kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
        return None, f"only Point geometries (or none) are accepted, got {kind}"
    c = geom.get("coordinates")
    if (
        not isinstance(c, list)
        or len(c) not in (2, 3)
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in c)
    ):
        return None, "Point coordinates must be [longitude, latitude]"
    lon, lat = float(c[0]), float(c[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None, "Point coordinates are not finite numbers"
    return (lon, lat), None
