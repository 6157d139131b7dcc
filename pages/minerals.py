"""Minerals: per mineral, where its sites are and which brands list refiners of it."""

import streamlit as st

from riskatlas.ui import overview
from riskatlas.ui.common import page_guard

st.title("Minerals")
st.write(
    "Each mineral in the atlas: its sites by tier and the brands that list refiners of it. "
    "Open the map filtered to a mineral, or to a mineral in one country."
)
with page_guard():
    overview.minerals()
