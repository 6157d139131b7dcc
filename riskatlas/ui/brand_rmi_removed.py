"""Brands page sections: smelters a brand lists that RMI removed, and those still unplaced.

Why apart from hotspot_table: both are findings about the disclosure itself (a list that names
a smelter RMI says no longer operates, or that cannot be placed below country level), read
from their own queries and shown under the brand overview.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskatlas.ui import connection
from riskatlas.ui.common import md_text

HEADING = "Listed but removed by RMI"


def rmi_removed(brand_ids: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows behind the section (every brand when ``brand_ids`` is empty)."""
    return connection.query("brand_rmi_removed", {"brand_ids": list(brand_ids)})


def section(brand_ids: list[str] | tuple[str, ...] = ()) -> None:
    """Per brand: the listed smelters RMI removed, with RMI's date and reason."""
    st.subheader(HEADING)
    df = rmi_removed(brand_ids)
    if df.empty:
        st.caption("No listed smelter of this selection was removed by RMI.")
        return
    st.caption(
        "Smelters the brand's own list names although RMI had removed them from its smelter "
        "list, with RMI's date and reason (RMI revision log, source rmi_retired)."
    )
    for _, part in df.groupby("brand_id", sort=False):
        st.markdown(f"**{md_text(part['brand'].iloc[0])}**: {len(part):,} listed smelters")
        st.dataframe(
            part[
                [
                    "site_id",
                    "name",
                    "country_iso3",
                    "minerals",
                    "listed_year",
                    "removed_on",
                    "rmi_status",
                    "source_ref",
                ]
            ],  # fmt: skip
            hide_index=True,
            width="stretch",
            column_config={
                "site_id": st.column_config.TextColumn("RMI ID"),
                "rmi_status": st.column_config.TextColumn("RMI: date and reason"),
                "source_ref": st.column_config.TextColumn("RMI record"),
            },
        )


def unplaced_download() -> None:
    """A CSV of every brand-listed smelter still at country level, with the reason."""
    df = connection.fetch("placement_unplaced")
    st.download_button(
        f"Download the {len(df):,} listed smelters still at country level (CSV)",
        df.to_csv(index=False).encode("utf-8"),
        file_name="listed_smelters_at_country_level.csv",
        mime="text/csv",
        help="Each row: the site, its country, why it could not be placed more precisely, and "
        "the brands whose lists name it.",
    )
