"""Site: one site's dated facts, brands (documented and inferred apart), risk and records."""

import streamlit as st

from riskatlas.ui import site_view
from riskatlas.ui.common import page_guard

with page_guard():
    site_id = st.query_params.get("site", "").strip()
    if site_id:
        site_view.page(site_id)
    else:
        site_view.finder()
