"""What kind of file a disclosure is, from its first bytes rather than its name."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from riskatlas.importer.model import ReportError

FORMATS = ("pdf", "html", "xlsx", "csv")
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|table|body|head|xbrl|document)\b", re.IGNORECASE)


def detect_format(path: Path) -> str:
    """'pdf', 'html', 'xlsx' or 'csv' by content; raises ReportError for anything else."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"no such file: {path}")
    with open(path, "rb") as f:
        head = f.read(65536)
    if not head.strip():
        raise ReportError(f"{path.name} is empty")
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as exc:
            raise ReportError(f"{path.name} is a damaged zip/xlsx file") from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise ReportError(f"{path.name} is a zip archive but not an Excel .xlsx workbook")
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReportError(
            f"{path.name} is an old binary Excel (.xls) or Word file: save it as .xlsx or CSV"
        )
    if _HTML.search(head):
        return "html"
    if b"\x00" in head and head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise ReportError(f"{path.name} is a binary file of a kind the importer does not read")
    return "csv"
