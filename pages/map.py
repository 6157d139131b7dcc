"""Map (home): the whole atlas, or the documented and inferred sites behind a brand and mineral."""

import streamlit as st

from riskatlas import filters
from riskatlas.ui import brand_view, data, map_view
from riskatlas.ui.common import md_text, page_guard, sources_caption, split_ids

with page_guard():
    vocab = data.vocabulary()
    state = filters.sidebar(vocab)
    view = data.filtered_set(state)

    st.title(md_text(map_view.title(state, vocab)))
    map_view.summary(view, state)
    map_view.map_section(state, view.frame)

    if state.brands:
        st.subheader("Where it could come from")
        brand_view.sankey(state, view.frame)

    st.subheader(f"Hotspots, ranked by {state.dimension} risk")
    brand_view.hotspots(view.frame, state.dimension)

    st.subheader("Download this view")
    brand_view.downloads(map_view.export_frame(view.frame, state), state)
    if not view.frame.empty:
        sources_caption(
            split_ids(view.frame["source_id"]) | split_ids(view.frame["site_source_id"])
        )
