"""Contribute: advocates and unions submit documented sites and incidents for a maintainer's review."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from riskatlas import settings
from riskatlas.contrib.field_values import EARLIEST_DATE
from riskatlas.contrib.intake import SubmitResult, submit_file, submit_form
from riskatlas.contrib.locate import atlas_sites
from riskatlas.contrib.readers import MAX_ROWS, template_csv
from riskatlas.contrib.validate import FIELD_HELP, FIELDS, TIERS
from riskatlas.ui.common import page_guard


def _site_lookup(ids):
    """Atlas sites through the app's read-only connection (None if the atlas is not built)."""
    try:
        from riskatlas import db

        return atlas_sites(ids, db.cursor())
    except Exception:  # noqa: BLE001 - no atlas: site_id cannot be checked, the row says so
        return None


def _show(result: SubmitResult) -> None:
    if result.errors:
        st.error(f"Nothing was saved: {len(result.errors)} problem(s). Fix them and submit again.")
        st.dataframe(result.error_frame(), hide_index=True)
    else:
        ids = ", ".join(str(i) for i in result.ids)
        st.success(f"Saved {len(result.ids)} contribution(s), pending review (ids {ids}).")


# page_guard: a fresh server's first request straight to /contribute runs this file
# without app.py (legacy pages/ mode); the guard reruns it through app.py's navigation.
with page_guard():
    st.title("Contribute evidence")
    st.markdown(
        "Add a site or incident your own work has documented. Every contribution is **reviewed "
        "by a maintainer** before it appears. Approved contributions show as their own map layer, "
        "labelled *contributed* with who contributed them, when, and the evidence address; they "
        "are never mixed into the published sources or their counts.\n\n"
        "Do not include personal details of workers or victims. A point you give is shown as "
        "your claim; without one, the town and country place the site approximately."
    )
    if settings.is_public():
        st.info(
            "This is a public atlas: nothing you submit changes what it publishes until a "
            "maintainer has reviewed and approved it."
        )

    upload_tab, form_tab = st.tabs(["Upload a file", "Fill in a form"])

    with upload_tab:
        st.markdown(
            f"A CSV (UTF-8, or a spreadsheet's CSV export) or a GeoJSON file of points, up to "
            f"{MAX_ROWS:,} rows. If any row has a problem, nothing is saved and each problem is "
            "listed by row."
        )
        st.download_button(
            "Download a CSV template", template_csv(), "contributions_template.csv", mime="text/csv"
        )
        with st.expander("Columns"):
            st.dataframe(
                pd.DataFrame(
                    [(f, "yes" if FIELDS[f][0] else "", FIELD_HELP[f]) for f in FIELDS],
                    columns=["column", "required", "what"],
                ),
                hide_index=True,
            )
        upload = st.file_uploader("CSV or GeoJSON file", type=["csv", "geojson", "json"])
        default_by = st.text_input("Contributed by (for rows that do not name a contributor)")
        if st.button("Check and submit the file", disabled=upload is None):
            _show(
                submit_file(
                    upload.getvalue(), upload.name, default_by or None, site_lookup=_site_lookup
                )
            )

    with form_tab:
        with st.form("contribute_form", clear_on_submit=False):
            values = {
                "site_name": st.text_input("Site name *"),
                "tier": st.selectbox("Tier *", TIERS, index=None, placeholder="choose a tier"),
                "description": st.text_area("What happened *"),
                "event_date": st.date_input(
                    "Date *",
                    value=None,
                    format="YYYY-MM-DD",
                    min_value=EARLIEST_DATE,
                    max_value=dt.date.today(),
                ),
                "evidence_url": st.text_input("Evidence address (http:// or https://) *"),
                "contributor": st.text_input("Contributed by *"),
                "country": st.text_input("Country *"),
                "city": st.text_input("Town or city"),
                "province": st.text_input("Province or region"),
                "lat": st.text_input("Latitude (optional, decimal degrees)"),
                "lon": st.text_input("Longitude (optional, decimal degrees)"),
                "site_id": st.text_input("Atlas site id this is about (optional)"),
                "minerals": st.text_input("Minerals (optional, comma-separated)"),
            }
            sent = st.form_submit_button("Submit for review")
        if sent:
            d = values["event_date"]
            values["event_date"] = d.isoformat() if d else ""
            _show(submit_form(values, site_lookup=_site_lookup))
