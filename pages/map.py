"""Map (home): the whole atlas, or the documented and inferred sites behind a brand and mineral."""

import streamlit as st

from riskatlas import findings
from riskatlas.ui import data, map_results, map_view, sidebar
from riskatlas.ui.common import md_text, page_guard, sources_caption

with page_guard():
    vocab = data.vocabulary()
    state = sidebar.filters(vocab)
    view = data.filtered_set(state)

    st.title(md_text(map_view.title(state, vocab)))
    map_view.summary(view, state)
    if state.findings:
        st.info(md_text(findings.caption(state.findings, state.finding_when)))
    map_view.map_section(view)

    if state.brands:
        st.subheader("Where it could come from")
        map_results.sankey(view)

    st.subheader(f"Hotspots, ranked by {state.dimension} risk")
    map_results.hotspots(view)

    st.subheader("Download this view")
    map_results.downloads(*map_view.export_rows(view), state)
    if not view.empty:
        sources_caption(view.source_ids())
