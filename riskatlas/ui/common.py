"""Small UI helpers every page uses: site links, the database notice, source captions."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import quote

import pandas as pd
import streamlit as st

from riskatlas import db
from riskatlas.text import md_text
from riskatlas.ui import connection

SITE_PAGE = "pages/site.py"
MAP_PAGE = "pages/map.py"


def site_url(site_id: str) -> str:
    """Relative link to a site's page (works from every page of the app)."""
    return "site?site=" + quote(str(site_id), safe=":")


def database_missing(exc: Exception) -> None:
    """What a page shows instead of a traceback when the database cannot be read."""
    st.error(f"The atlas database is not available. {exc}")
    st.markdown(
        "Build it first, from the repository folder:\n\n"
        "```\npython -m riskatlas build\n```\n\n"
        "The app reads `$RISKATLAS_DB` if it is set, else `data/atlas.duckdb`."
    )


def sources_caption(source_ids: list[str] | set[str] | None = None) -> None:
    """'Sources: publisher (data date), ...' under a chart or table: every figure is cited."""
    src = connection.query("sources_overview")
    if source_ids is not None:
        src = src[src["source_id"].isin(set(source_ids))]
    if src.empty:
        return
    parts = [
        md_text(f"{r.publisher} — {r.title} (data {r.data_date}, licence {r.licence})")
        for r in src.itertuples(index=False)
    ]
    st.caption("Sources: " + "; ".join(parts) + ". Details on the Sources & methodology page.")


def split_ids(values: pd.Series) -> set[str]:
    """Source ids from '; '-joined citation cells."""
    out: set[str] = set()
    for v in values.dropna():
        out.update(p.strip() for p in str(v).split(";") if p.strip())
    return out


def fmt_score(value: object) -> str:
    """A score as the tables show it: 'unknown' when there is no evidence, never blank or 0."""
    if value is None or pd.isna(value):
        return "unknown"
    return f"{float(value):.0f}"


def ocean_background() -> None:
    """The ocean as the map charts' background colour (CSS), for decks drawn without an ocean
    layer (riskatlas.map_deck: the Map, What changed).

    Why not a layer: deck.gl draws a frame as soon as the canvas exists, and a browser without a
    GPU renders that ocean-only frame (the polygon shader's compilation included) while the
    page waits on it, before the land and the sites have even arrived: 0.15-0.2 s of every first
    visit (issue 17, bench/RESULTS.md). A background costs nothing and looks the same."""
    from riskatlas.layers import OCEAN_RGB

    st.html(
        '<style>[data-testid="stDeckGlJsonChart"] canvas '
        f"{{background-color: rgb{OCEAN_RGB};}}</style>"
    )


def md_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table, which renders every cell as Markdown (and shows it whole, wrapped,
    where st.dataframe cuts long text): each cell as escaped text, a missing value as blank."""

    def cell(v: object) -> str:
        if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
            return ""
        return md_text(v)

    return frame.apply(lambda col: col.map(cell)).reset_index(drop=True)


@contextmanager
def page_guard():
    """Wrap a page body: a missing or unreadable database becomes a notice, never a traceback.

    app.py catches the same error around the navigation, but a page can also run on its own
    (Streamlit runs pages/*.py directly on a fresh server's first request for that page, and in
    AppTest reruns), so every page carries the guard itself.
    """
    _leave_v1_pages_mode()
    try:
        yield
    except db.DatabaseUnavailable as exc:
        database_missing(exc)


def _leave_v1_pages_mode() -> None:
    """If Streamlit ran this page as a legacy pages/ script (app.py not run), rerun via app.py.

    Streamlit decides per process, before app.py has called st.navigation once, that a folder
    named pages/ means the old multipage mode; a fresh server's first request for /site then runs
    pages/site.py alone, with the wrong navigation. st.navigation switches the flag off; we do
    the same and rerun, and the same URL (same page, same query) then goes through app.py.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
