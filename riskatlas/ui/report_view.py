"""The Brands page's "Report" button: the brand exposure report for the current filters."""

from __future__ import annotations

import streamlit as st

from riskatlas.ui import connection

from ..filters import FilterState


@st.cache_data(max_entries=16, show_spinner="Writing the report…")
def _report_html(brand: str, minerals: tuple[str, ...], year: int | None, db_version: str) -> str:
    from ..report import gather, render_html

    con = connection.cursor()
    return render_html(con, gather(con, brand, minerals=list(minerals), year=year))


def button_label(name: str, minerals: tuple[str, ...] | list[str]) -> str:
    """'Report: Samsung Electronics (cobalt)': the brand as people know it, never its id."""
    return f"Report: {name}" + (f" ({', '.join(minerals)})" if minerals else "")


def report_button(state: FilterState, names: dict[str, str] | None = None) -> None:
    """One download per selected brand; the document's footer repeats these exact filters.
    ``names`` maps brand ids to display names (the filter vocabulary's brands)."""
    if not state.brands:
        st.info("Pick a brand in the sidebar to download its exposure report (HTML, print to PDF).")
        return
    if names is None:
        frame = connection.query("vocab_brands")
        names = dict(zip(frame["brand_id"], frame["name"], strict=True))
    for brand in state.brands:
        html = _report_html(brand, tuple(state.minerals), state.year, connection.version())
        name = f"exposure-report-{brand}{'-' + '-'.join(state.minerals) if state.minerals else ''}"
        st.download_button(
            button_label(str(names.get(brand, brand)), state.minerals),
            data=html.encode("utf-8"),
            file_name=f"{name}.html",
            mime="text/html",
            icon=":material/description:",
            key=f"report-{brand}",
            help="A self-contained document: documented and inferred exposure apart, every site cited. "
            "For PDF: python -m riskatlas report --out FILE.pdf",
        )
