"""Brands: per brand and mineral, documented sites and (apart) inferred sites, into the map."""

import streamlit as st

from riskatlas.ui import brand_rmi_removed, data, overview, report_view, sidebar
from riskatlas.ui.common import page_guard

st.title("Brands")
st.write(
    "What each brand's own disclosures list (documented), and separately the sites the data "
    "suggests as possible sources (inferred). Open any row on the map."
)
with page_guard():
    vocab = data.vocabulary()
    state = sidebar.filters(vocab, fields=("brand", "mineral", "year"))
    st.subheader("Exposure report")
    report_view.report_button(state, vocab.brands)
    overview.brands(state)
    brand_rmi_removed.section(state.brands)
    brand_rmi_removed.unplaced_download()
