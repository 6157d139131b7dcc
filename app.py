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
    st.Page("pages/changes.py", title="What changed", icon=":material/compare_arrows:"),
    st.Page("pages/minerals.py", title="Minerals", icon=":material/diamond:"),
    st.Page("pages/countries.py", title="Countries", icon=":material/public:"),
    st.Page("pages/site.py", title="Site", icon=":material/location_on:"),
]
about_pages = [
    st.Page("pages/sources.py", title="Sources & methodology", icon=":material/menu_book:"),
]

# --- Pages other helpers own, listed as soon as their file exists ---------------------------
# Import (issue 5): pages/import.py. To show imported links on the Map for the session, extend
# riskatlas.ui.data.filtered_set (the one place that assembles the Map's rows), not the Map page.
OPTIONAL_PAGES = [
    ("atlas", "pages/import_report.py", "Import", ":material/upload_file:"),
    ("about", "pages/contribute.py", "Contribute", ":material/volunteer_activism:"),
]
for section, path, title, icon in OPTIONAL_PAGES:
    if (HERE / path).is_file():
        target = atlas_pages if section == "atlas" else about_pages
        target.append(st.Page(path, title=title, icon=icon))

nav = st.navigation({"Atlas": atlas_pages, "About": about_pages})
try:
    nav.run()
except DatabaseUnavailable as exc:
    database_missing(exc)
