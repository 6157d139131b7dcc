"""Electronics Supply-Chain Risk Atlas: the Streamlit entry point (`streamlit run app.py`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from riskatlas.db import DatabaseUnavailable
from riskatlas.ui.common import database_missing

HERE = Path(__file__).parent

st.set_page_config(page_title="Supply-Chain Risk Atlas", page_icon="🗺️", layout="wide")

atlas_pages = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/brands.py", title="Brands", icon=":material/sell:"),
    st.Page("pages/minerals.py", title="Minerals", icon=":material/diamond:"),
    st.Page("pages/countries.py", title="Countries", icon=":material/public:"),
    st.Page("pages/site.py", title="Site", icon=":material/location_on:"),
]
about_pages = [
    st.Page("pages/sources.py", title="Sources & methodology", icon=":material/menu_book:"),
]

# --- Import page (issue 5, written by the importer) -------------------------------------------
# The importer's page goes in pages/import.py: it is listed here as soon as the file exists.
# To show imported links on the Map for the session, extend riskatlas.ui.data.filtered_set
# (the one place that assembles the Map's rows) rather than the Map page.
if (HERE / "pages" / "import.py").is_file():
    atlas_pages.append(st.Page("pages/import.py", title="Import", icon=":material/upload_file:"))

nav = st.navigation({"Atlas": atlas_pages, "About": about_pages})
try:
    nav.run()
except DatabaseUnavailable as exc:
    database_missing(exc)
