"""The Sources & methodology page: every source with its counts, the rejects, the risk weights."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from riskatlas import catalogue, risk, settings
from riskatlas.risk import applied
from riskatlas.ui import connection
from riskatlas.ui.common import md_table

REJECT_ROWS = settings.REJECT_ROWS.value


def sources_table() -> pd.DataFrame:
    """Every source: publisher, licence, data date, rows in / loaded / rejected."""
    src = connection.query("sources_overview")
    st.dataframe(
        src,
        hide_index=True,
        width="stretch",
        column_config={"url": st.column_config.LinkColumn("official address")},
    )
    restricted_terms(src)
    return src


def restricted_terms(src: pd.DataFrame) -> None:
    """Say in words which sources are for non-commercial use only (e.g. EJAtlas), with the
    credit they ask for and how to build without them (``build --skip SOURCE_ID``)."""
    from riskatlas.ui.common import md_text

    licence = src.get("licence", pd.Series(dtype=str)).fillna("")
    for row in src[licence.str.contains("non-commercial", case=False)].itertuples(index=False):
        st.warning(
            f"**{md_text(row.title)}** (`{md_text(row.source_id)}`): {md_text(row.licence)} "
            f"To build the atlas without it: `python -m riskatlas build --skip "
            f"{md_text(row.source_id)}`.",
            icon="⚖️",
        )


def rejects(source_ids: list[str]) -> None:
    """Rejected rows, browsable and filterable by source and text: nothing is lost silently."""
    summary = connection.query("rejects_by_source")
    with st.expander(f"Reasons ({len(summary):,} source/reason pairs)", expanded=False):
        st.dataframe(summary, hide_index=True, width="stretch")
    c1, c2 = st.columns([1, 2])
    options = [None, *source_ids]
    wanted = st.query_params.get("source")
    if wanted and wanted not in source_ids:
        st.warning(f"Unknown source `{wanted.replace('`', '')[:40]}` ignored.")
    if "rej_source" not in st.session_state or st.session_state["rej_source"] not in options:
        st.session_state["rej_source"] = wanted if wanted in source_ids else None
    source = c1.selectbox(
        "Source",
        options,
        format_func=lambda s: "all sources" if s is None else s,
        key="rej_source",
        on_change=_source_to_url,
    )
    text = c2.text_input("Text in reason, reference or raw row", key="rej_text").strip()
    params = {"source_id": source, "text": text}
    n = int(connection.query("rejects_count", params)["n"].iloc[0])
    rows = connection.query("rejects_list", {**params, "limit": REJECT_ROWS})
    st.dataframe(rows, hide_index=True, width="stretch")
    shown = f"the first {REJECT_ROWS:,} of " if n > REJECT_ROWS else ""
    st.caption(f"Showing {shown}{n:,} rejected row(s).")


def _source_to_url() -> None:
    value = st.session_state["rej_source"]
    if value is None:
        st.query_params.pop("source", None)
    else:
        st.query_params["source"] = value


def weights() -> None:
    """The weights the atlas's scores rest on (recorded by the build in risk_weights), and
    which of them the weights file now sets otherwise (riskatlas.risk.applied)."""
    try:
        current = risk.weights_table()
        problem = None
    except risk.ConfigError as exc:
        current, problem = None, str(exc)
    file_name = str(risk.config_path().name)
    if connection.has_table("risk_weights"):
        built = connection.query("risk_weights_built")
        meta = (
            connection.query("build_weights_file")
            if connection.has_table("build_info")
            else pd.DataFrame()
        )
        info = dict(zip(meta.get("key", []), meta.get("value", []), strict=True))
        st.caption(
            "The weights this atlas's scores were computed with, recorded by the build"
            + (f" on {info['built_at'][:10]}" if info.get("built_at") else "")
            + (f" from {Path(info['weights_file']).name}" if info.get("weights_file") else "")
            + ". Editing the weights file changes the scores at the next build, not before."
        )
        _weights_frame(built)
        if problem:
            st.warning(f"The weights file cannot be read, so the next build will stop: {problem}")
        elif current is not None:
            changes = applied.weight_changes(built, current)
            if not changes.empty:
                st.warning(applied.changes_sentence(changes, file_name))
                st.dataframe(changes, hide_index=True, width="stretch", key="weights_changed")
        return
    # an atlas built before the build recorded its weights: only the file can be shown
    if problem:
        st.warning(f"The weights file cannot be read: {problem}")
        return
    st.caption(
        f"This atlas does not record the weights it was scored with (built before they were "
        f"recorded): these are the weights in {file_name}, which the next build uses."
    )
    _weights_frame(current)


def _weights_frame(table: pd.DataFrame) -> None:
    if "label" in table and "indicator" in table:  # the evidence's name first, its code after
        table = table[["label", *[c for c in table.columns if c != "label"]]]
    st.dataframe(table, hide_index=True, width="stretch")


def indicator_catalogue() -> None:
    """Every country indicator, site fact and risk component: its label, what the value as
    published means (scale, direction), its unit, how the risk model reads it, and its source;
    searchable by words (riskatlas.catalogue, the one place pages and reports word codes from)."""
    whole = catalogue.table()
    words = st.text_input(
        "Find an indicator or fact",
        key="src_find",
        placeholder="words, e.g. forced, union, mercury, e-waste",
    )
    by_code = dict(zip(whole["code"], whole.index, strict=True))
    codes = catalogue.search(words, list(whole["code"]))
    shown = whole.loc[[by_code[c] for c in codes]]
    if words.strip() and shown.empty:
        st.info("Nothing in the catalogue matches these words.")
        return
    title = (
        f"{len(shown)} of {len(whole)} indicators and facts match"
        if words.strip()
        else f"All {len(whole)} indicators, site facts and risk components"
    )
    with st.expander(title, expanded=bool(words.strip())):
        st.table(md_table(shown), hide_index=True)
    st.caption(
        "Pages, downloads and reports show each value as its source publishes it, with its unit; "
        "where the risk model uses it, its normalised reading (0-100, 100 = worst) is shown "
        "beside it and labelled as such. The code is how the database stores it."
    )
