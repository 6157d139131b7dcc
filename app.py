"""Electronics Supply-Chain Risk Atlas: the Streamlit entry point (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from riskatlas.db import DatabaseUnavailable
from riskatlas.ui.common import database_missing

st.set_page_config(page_title="Supply-Chain Risk Atlas", page_icon="🗺️", layout="wide")

atlas_pages = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/brands.py", title="Brands", icon=":material/sell:"),
    st.Page("pages/changes.py", title="What changed", icon=":material/compare_arrows:"),
    st.Page("pages/minerals.py", title="Minerals", icon=":material/diamond:"),
    st.Page("pages/countries.py", title="Countries", icon=":material/public:"),
    st.Page("pages/site.py", title="Site", icon=":material/location_on:"),
    st.Page("pages/import_report.py", title="Import", icon=":material/upload_file:"),
]
about_pages = [
    st.Page("pages/sources.py", title="Sources & methodology", icon=":material/menu_book:"),
    st.Page("pages/contribute.py", title="Contribute", icon=":material/volunteer_activism:"),
]

nav = st.navigation({"Atlas": atlas_pages, "About": about_pages})
try:
    nav.run()
except DatabaseUnavailable as exc:
    database_missing(exc)
