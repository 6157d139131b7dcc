"""Opening a PDF report: locked or damaged files refused, and pages of prose found cheaply."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pdfplumber

from riskatlas.importer.columns import RMI_ID_RE
from riskatlas.importer.model import ReportError
from riskatlas.importer.pdf_layout import header_hint


def _chain(exc: BaseException) -> list[BaseException]:
    """An exception and the ones it wraps (pdfminer wraps its own in PdfminerException)."""
    out: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and all(e is not x for x in out):
        out.append(e)
        inner = [a for a in e.args if isinstance(a, BaseException)]
        e = e.__cause__ or e.__context__ or (inner[0] if inner else None)
    return out


def exception_text(exc: BaseException) -> str:
    """Each wrapped exception's type and arguments, to recognise a password problem by its words."""
    return " ".join(f"{type(e).__name__} {' '.join(map(str, e.args))}" for e in _chain(exc))


def encrypted_error(path: Path) -> ReportError:
    """The one message for a password-protected PDF, whichever library notices it."""
    return ReportError(
        f"{path.name} is an encrypted (password-protected) PDF: open it, save an unprotected "
        "copy, and import that"
    )


def _check_not_locked(path: Path) -> None:
    """Refuse a PDF that needs a password to open (an owner password alone is fine)."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # pypdf logs damage it works around; we report it ourselves
    try:
        from pypdf import PdfReader

        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise encrypted_error(path)
    except ReportError:
        raise
    except Exception as exc:
        if re.search(r"password|encrypt|decrypt", exception_text(exc), re.IGNORECASE):
            raise encrypted_error(path) from exc
        # Anything else: let pdfplumber say what is wrong.
    finally:
        log.setLevel(level)


def open_pdf(path: Path):
    """The PDF opened with pdfplumber; a locked or damaged file is a ReportError saying so."""
    _check_not_locked(path)
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises several types for encrypted or broken files
        text = exception_text(exc)
        if re.search(r"password|encrypt", text, re.IGNORECASE):
            raise encrypted_error(path) from exc
        names = [type(e).__name__ for e in _chain(exc)]
        detail = ", ".join(dict.fromkeys(n for n in names if n != "PdfminerException")) or "?"
        raise ReportError(
            f"cannot read {path.name} as a PDF (damaged or not a PDF): {detail}"
        ) from exc


def page_survey(path: Path) -> list[tuple[bool, bool]] | None:
    """Per page: (has text, worth reading with pdfplumber: a header-like line or a CID).

    Why: pdfplumber takes ~0.1 s a page; pdfium's plain text takes ~5 ms, so pages of prose
    are skipped. None (read every page) if pdfium cannot open the file.
    """
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
    except Exception:
        return None
    out = []
    try:
        for i in range(len(doc)):
            text = doc[i].get_textpage().get_text_range()
            header_like = any(header_hint(ln) for ln in text.splitlines())
            out.append((bool(text.strip()), header_like or bool(RMI_ID_RE.search(text))))
    except Exception:
        return None
    finally:
        doc.close()
    return out
