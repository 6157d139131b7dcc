"""The Contribute page's form and problem lists, in the words a person uses.

Why: the validator's field keys (site_name, event_date, evidence_url) and "unit: row" are the
upload's column names, not what the form says; a person reads "Date of the event: is in the
future" under the date they typed, with every problem of the submission shown at once.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from riskatlas.contrib.intake import SubmitResult, submit_form
from riskatlas.contrib.locate import atlas_sites
from riskatlas.contrib.validate import (
    FIELD_HELP,
    FIELD_LABELS,
    FIELDS,
    TIERS,
    RowError,
    field_label,
    human_message,
    tier_names,
)
from riskatlas.db import DatabaseUnavailable
from riskatlas.layers import TIER_LABELS
from riskatlas.ui import connection


def site_lookup(ids):
    """Atlas sites by id through the app's shared read-only connection (the library's
    riskatlas.contrib.locate.atlas_sites), or None when the atlas is not built: a site_id then
    cannot be checked, and the row says so."""
    try:
        cursor = connection.cursor()
    except DatabaseUnavailable:
        return None
    return atlas_sites(ids, cursor)


# field -> (widget kind, placeholder); the order of the form
FORM = {
    "site_name": ("text", "as the evidence names it"),
    "tier": ("tier", None),
    "description": ("area", "what happened, as documented"),
    "event_date": ("text", "YYYY-MM-DD, e.g. 2023-05-17"),
    "evidence_url": ("text", "https://…"),
    "contributor": ("text", "organisation or name"),
    "country": ("text", "name or ISO code, e.g. DRC"),
    "city": ("text", None),
    "province": ("text", None),
    "lat": ("text", "decimal degrees, e.g. -10.7146"),
    "lon": ("text", "decimal degrees, e.g. 25.4837"),
    "site_id": ("text", "e.g. codmine00001 (optional)"),
    "minerals": ("text", "e.g. cobalt, copper"),
}
OPTIONAL_NOTE = {"lat": " (optional)", "lon": " (optional)", "site_id": " (optional)"}


def form_label(name: str) -> str:
    """The form's label: the field's words, '*' when required."""
    required = FIELDS[name][0]
    return field_label(name) + OPTIONAL_NOTE.get(name, "") + (" *" if required else "")


def _help(name: str) -> str:
    return f"One of: {tier_names()}" if name == "tier" else FIELD_HELP.get(name, "")


def problem_text(error: RowError) -> str:
    """'Date of the event: Is in the future: …' for one problem of the form."""
    return f"{field_label(error.field)}: {human_message(error)}"


def problems_frame(errors: list[RowError]) -> pd.DataFrame:
    """An upload's problems: the row, the column as the file names it and in the form's words,
    what is wrong in a person's words, and the value seen."""
    return pd.DataFrame(
        [
            {
                "row": e.row if e.row else "whole file",
                "column": (
                    f"{FIELD_LABELS[e.field]} ({e.field})" if e.field in FIELD_LABELS else e.field
                ),
                "problem": human_message(e),
                "value": e.value,
            }
            for e in errors
        ],
        columns=["row", "column", "problem", "value"],
    )


def show_upload_result(result: SubmitResult) -> None:
    """Every problem of an upload at once (nothing saved), or what was saved."""
    if result.errors:
        st.error(
            f"Nothing was saved: {len(result.errors)} problem(s), listed below by row. "
            "Fix them all and submit again."
        )
        st.dataframe(problems_frame(result.errors), hide_index=True)
    else:
        ids = ", ".join(str(i) for i in result.ids)
        st.success(f"Saved {len(result.ids)} contribution(s), pending review (ids {ids}).")


def form(site_lookup: Callable) -> None:
    """The one-record form: every problem is shown at once, each under the field it is about."""
    summary = st.empty()
    slots = {}
    with st.form("contribute_form", clear_on_submit=False):
        values: dict[str, object] = {}
        for name, (kind, placeholder) in FORM.items():
            label = form_label(name)
            if kind == "tier":
                values[name] = st.selectbox(
                    label,
                    TIERS,
                    index=None,
                    format_func=lambda t: TIER_LABELS.get(t, t),
                    placeholder="choose a tier",
                    help=_help(name),
                )
            elif kind == "area":
                values[name] = st.text_area(label, placeholder=placeholder, help=_help(name))
            else:
                values[name] = st.text_input(label, placeholder=placeholder, help=_help(name))
            slots[name] = st.empty()
        sent = st.form_submit_button("Submit for review")
    if not sent:
        return
    result = submit_form({k: v or "" for k, v in values.items()}, site_lookup=site_lookup)
    if not result.errors:
        ids = ", ".join(str(i) for i in result.ids)
        summary.success(f"Saved {len(result.ids)} contribution(s), pending review (ids {ids}).")
        return
    # the messages are the validator's own words (no typed text), so they are shown as written
    summary.error(
        f"Nothing was saved: {len(result.errors)} problem(s), each also shown under its field. "
        + " ".join(problem_text(e) for e in result.errors)
    )
    by_field: dict[str, list[str]] = {}
    for e in result.errors:
        if e.field in slots:
            by_field.setdefault(e.field, []).append(problem_text(e))
    for name, texts in by_field.items():
        slots[name].error("\n\n".join(texts))
