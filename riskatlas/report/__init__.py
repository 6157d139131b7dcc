"""Brand exposure reports: one brand's documented and inferred exposure, every claim cited."""

from __future__ import annotations

from pathlib import Path

__all__ = ["gather", "render_html", "html_to_pdf", "write_report"]


def __getattr__(name: str):
    # Lazy: the CLI imports this package for its subcommand, and matplotlib is slow to load.
    if name == "gather":
        from .data import gather

        return gather
    if name in ("render_html", "html_to_pdf"):
        from . import render

        return getattr(render, name)
    raise AttributeError(name)


def write_report(con, brand: str, out: Path, minerals=None, year=None):
    """Write the report for ``brand`` to ``out`` (.html or .pdf) and return what it states."""
    from .data import gather
    from .render import html_to_pdf, render_html

    out = Path(out)
    d = gather(con, brand, minerals=minerals, year=year)
    html = render_html(con, d)
    if out.suffix.lower() == ".pdf":
        html_to_pdf(html, out)
    elif out.suffix.lower() in (".html", ".htm"):
        out.write_text(html, encoding="utf-8")
    else:
        raise ValueError(f"--out must end in .html or .pdf, not {out.suffix!r}")
    return d
