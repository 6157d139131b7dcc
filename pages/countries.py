"""Countries: a choropleth of country indicators, the e-waste map, and a country profile."""

import streamlit as st

from riskatlas.ui import country_view, data, ewaste_view
from riskatlas.ui.common import page_guard

st.title("Countries")
with page_guard():
    country_view.choropleth()
    st.divider()
    st.header("E-waste by country")
    ewaste_view.ewaste_map()
    st.divider()
    st.header("Country profile")
    vocab = data.vocabulary()
    country_view.profile(vocab.countries, vocab.names.countries)
