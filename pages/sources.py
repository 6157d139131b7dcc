"""Sources & methodology: every source and its counts, the rejected rows, the risk weights."""

import streamlit as st

from riskatlas.ui import sources_view
from riskatlas.ui.common import page_guard

st.title("Sources & methodology")
st.markdown(
    "Every figure in the atlas comes from one of these public sources. For each: who publishes "
    "it, under which licence, how recent the data is, and how many rows were read, loaded and "
    "rejected (rows in = loaded + rejected; every reject keeps its reason)."
)
with page_guard():
    src = sources_view.sources_table()

    st.header("Words")
    st.markdown(
        "- **Documented link**: a brand's own disclosure lists this site (source, year, page).\n"
        "- **Inferred exposure**: the data suggests a possible route (the mineral is mined in a "
        "country a listed refiner sources from, or the ILAB goods list flags it), but no disclosure "
        "names the site. Drawn faded and labelled *inferred*; never counted with documented links.\n"
        "- **Location precision**: exact, city, province or country. Approximate points are hollow "
        "rings.\n"
        "- **Unknown** is not low: a site without evidence is grey, off the risk scale."
    )

    st.header("Indicators and facts")
    sources_view.indicator_catalogue()

    st.header("Risk weights")
    sources_view.weights()

    st.header("Rejected rows")
    sources_view.rejects(list(src["source_id"]))
