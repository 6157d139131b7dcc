"""Contribute: advocates and unions submit documented sites and incidents for a maintainer's review."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskatlas import settings
from riskatlas.contrib.intake import submit_file
from riskatlas.contrib.readers import MAX_BYTES, MAX_ROWS, template_csv
from riskatlas.contrib.validate import FIELD_HELP, FIELDS, field_label, tier_names
from riskatlas.ui import contribute_form
from riskatlas.ui.common import page_guard

UPLOAD_MB = MAX_BYTES // 1_000_000  # the uploader states the limit the reader applies

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
                    [
                        (
                            f,
                            field_label(f),
                            "yes" if FIELDS[f][0] else "",
                            f"one of: {tier_names()}" if f == "tier" else FIELD_HELP[f],
                        )
                        for f in FIELDS
                    ],
                    columns=["column", "on the form", "required", "what"],
                ),
                hide_index=True,
            )
        upload = st.file_uploader(
            f"CSV or GeoJSON file (at most {UPLOAD_MB} MB)",
            type=["csv", "geojson", "json"],
            max_upload_size=UPLOAD_MB,
        )
        default_by = st.text_input("Contributed by (for rows that do not name a contributor)")
        if st.button("Check and submit the file", disabled=upload is None):
            contribute_form.show_upload_result(
                submit_file(
                    upload.getvalue(),
                    upload.name,
                    default_by or None,
                    site_lookup=contribute_form.site_lookup,
                )
            )

    with form_tab:
        contribute_form.form(contribute_form.site_lookup)
