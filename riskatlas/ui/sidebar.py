"""The filters in the sidebar, bound to the page address (st.query_params): one widget per URL
parameter of riskatlas.filters, reset from the URL when a link was followed, and the URL
rewritten to canonical ids.

Why apart from riskatlas.filters: parsing a URL into a FilterState is library work (the view,
the exports and the tests use it without Streamlit); drawing widgets and writing the URL back
is the UI's.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from riskatlas.filters import DIMENSIONS, PARAMS, FilterState, Vocabulary, parse, to_params
from riskatlas.layers import TIER_LABELS

_WIDGET = "flt_{}"
_SHADOW = "_flt_url_{}"


def _widget_value(state: FilterState, name: str) -> Any:
    return {
        "brand": list(state.brands),
        "mineral": list(state.minerals),
        "tier": list(state.tiers),
        "country": list(state.countries),
        "min_risk": state.min_risk or 0.0,
        "year": state.year,
        "dimension": state.dimension,
        "province": list(state.provinces),
        "finding": list(state.findings),
        "finding_when": state.finding_when,
        "evidence": state.evidence == "site",
    }[name]


def _push(name: str) -> None:
    """Widget -> URL: the callback runs before the script, so the URL is current on rerun."""
    value = st.session_state[_WIDGET.format(name)]
    if isinstance(value, list):
        text = ",".join(value)
    elif name == "min_risk":
        text = f"{value:g}" if value else ""
    elif name == "dimension":
        text = "" if value == "labour" else value
    elif name == "finding_when":
        text = "" if value == "latest" else value
    elif name == "evidence":
        text = "site" if value else ""
    else:
        text = "" if value is None else str(value)
    if text:
        st.query_params[name] = text
    elif name in st.query_params:
        del st.query_params[name]
    st.session_state[_SHADOW.format(name)] = text


def filters(vocab: Vocabulary, fields: tuple[str, ...] = PARAMS) -> FilterState:
    """Render the filters in the sidebar, bound to the URL, and show notices for unknown values.

    The URL is the source of truth: a widget whose stored value differs from the URL (a link was
    followed, or st.switch_page set new params) is reset from the URL before it is drawn. The
    URL is then rewritten to the canonical ids (``?brand=Samsung`` becomes
    ``?brand=samsung-electronics``), so a shared link names exactly what the page shows.
    """
    raw = st.query_params.to_dict()
    state = parse(raw, vocab)
    canonical = to_params(state)
    for name in fields:
        if name in raw and raw[name] != canonical.get(name):
            if name in canonical:
                st.query_params[name] = canonical[name]
            else:
                del st.query_params[name]
    for name in fields:
        shadow = _SHADOW.format(name)
        text = canonical.get(name, "")
        if st.session_state.get(shadow) != text or _WIDGET.format(name) not in st.session_state:
            st.session_state[_WIDGET.format(name)] = _widget_value(state, name)
            st.session_state[shadow] = text

    with st.sidebar:
        st.subheader("Filters")
        st.caption("Every filter is in the page address: copy the link to share this exact view.")
        if "brand" in fields:
            st.multiselect(
                "Brand",
                options=list(vocab.brands),
                format_func=lambda b: vocab.brands.get(b, b),
                key=_WIDGET.format("brand"),
                on_change=_push,
                args=("brand",),
                placeholder="all brands",
            )
        if "mineral" in fields:
            st.multiselect(
                "Mineral",
                options=list(vocab.minerals),
                key=_WIDGET.format("mineral"),
                on_change=_push,
                args=("mineral",),
                placeholder="all minerals",
            )
        if "tier" in fields:
            st.multiselect(
                "Tier",
                options=list(vocab.tiers),
                format_func=lambda t: TIER_LABELS.get(t, t),
                key=_WIDGET.format("tier"),
                on_change=_push,
                args=("tier",),
                placeholder="all tiers",
            )
        if "country" in fields:
            st.multiselect(
                "Country",
                options=list(vocab.countries),
                format_func=lambda c: f"{vocab.countries.get(c, c)} ({c})",
                key=_WIDGET.format("country"),
                on_change=_push,
                args=("country",),
                placeholder="all countries",
            )
        _place_and_findings(vocab, state, fields)
        if "dimension" in fields:
            st.radio(
                "Colour and rank by",
                options=list(DIMENSIONS),
                format_func=lambda d: f"{d} risk",
                key=_WIDGET.format("dimension"),
                on_change=_push,
                args=("dimension",),
                horizontal=True,
            )
        if "min_risk" in fields:
            st.slider(
                "Minimum risk (0 = no minimum)",
                min_value=0.0,
                max_value=100.0,
                step=5.0,
                key=_WIDGET.format("min_risk"),
                on_change=_push,
                args=("min_risk",),
                help="Sites whose score is unknown are left out while a minimum is set: "
                "unknown is not low, and it is not high either.",
            )
        if "evidence" in fields:
            st.toggle(
                "Only sites with site-level evidence",
                key=_WIDGET.format("evidence"),
                on_change=_push,
                args=("evidence",),
                help="A dated finding at the site (an IPIS visit, a named report) or a documented "
                "conflict (EJAtlas) linked to it; other scores rest on mineral x country or "
                "country conditions only.",
            )
        if "year" in fields:
            st.selectbox(
                "Year of the brand list",
                options=[None, *vocab.years],
                format_func=lambda y: "any year" if y is None else str(y),
                key=_WIDGET.format("year"),
                on_change=_push,
                args=("year",),
            )
    for note in state.notices:
        st.warning(note, icon="⚠️")
    return state


def _place_and_findings(vocab: Vocabulary, state: FilterState, fields: tuple[str, ...]) -> None:
    """The province filter (the chosen countries' provinces) and the findings filter, with which
    visits count; drawn inside the sidebar."""
    from riskatlas import findings

    if "province" in fields and vocab.provinces:
        keys = [
            k
            for k, iso3s in vocab.province_countries.items()
            if not state.countries or set(iso3s) & set(state.countries)
        ]
        options = sorted({vocab.provinces[k] for k in keys if k in vocab.provinces})
        options += [p for p in state.provinces if p not in options]
        st.multiselect(
            "Province",
            options=options,
            key=_WIDGET.format("province"),
            on_change=_push,
            args=("province",),
            placeholder="all provinces",
            help="As the source gives it, else the region the site was geocoded to.",
        )
    if "finding" in fields:
        st.multiselect(
            "Found at a site visit",
            options=list(findings.KEYS),
            format_func=lambda k: findings.LABELS.get(k, k),
            key=_WIDGET.format("finding"),
            on_change=_push,
            args=("finding",),
            placeholder="any site",
            help="Sites where an IPIS visit recorded any of these (eastern DR Congo artisanal "
            "mines). An unanswered question is not a 'no'.",
        )
    if "finding_when" in fields:
        st.radio(
            "Which visits count",
            options=list(findings.WHEN),
            format_func=lambda w: "latest visit" if w == "latest" else "any visit",
            key=_WIDGET.format("finding_when"),
            on_change=_push,
            args=("finding_when",),
            horizontal=True,
        )
