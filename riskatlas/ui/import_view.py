"""The Import page: upload a brand's disclosure, see its rows and map for the session, save it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from riskatlas import settings
from riskatlas.exports import neutralise
from riskatlas.importer.model import ImportResult, ReportError
from riskatlas.importer.saved import MAX_BYTES, check_year
from riskatlas.names import Names, UnknownName, import_brand, loaded_brands
from riskatlas.ui.common import md_text

UPLOAD_LABEL = f"Disclosure file (at most {settings.IMPORT_MAX_MB} MB)"
RESULT_KEY = "import_result"  # the ImportResult of this session's last import
UPLOAD_KEY = "import_upload"  # {"data", "file_name", "brand", "year"} of that import
TYPES = ["html", "htm", "pdf", "xlsx", "csv", "tsv", "txt"]
MAP_LABEL = "imported this session (not saved)"
DIMENSION = "labour"
TABLE_COLUMNS = [
    "metal",
    "smelter_name",
    "country",
    "smelter_id",
    "resolved_by",
    "match_score",
    "candidate_id",
    "candidate_name",
    "match_basis",
    "id_problem",
    "status_as_reported",
    "id_as_reported",
    "ref",
    "section",
    "note",
]


@dataclass
class Outcome:
    """An upload's result, or the message the page shows instead of a traceback."""

    result: ImportResult | None = None
    error: str | None = None


def run_import(
    data: bytes | None,
    file_name: str,
    brand: str,
    year: object = None,
    reference=None,
    brands: Names | None = None,
    new_brand: bool = False,
) -> Outcome:
    """Import an upload: checks the inputs, runs the importer, turns every failure into words.

    Why a pure function: Streamlit's test harness cannot drive a file upload, so the page's
    upload handling is tested here directly. ``brands`` (the atlas's, riskatlas.names) reads
    the brand as the command line does: "Samsung" is Samsung Electronics, and a name that
    resembles a held brand without being it is refused unless ``new_brand``.
    """
    if data is None:
        return Outcome(error="Choose a file to import (HTML, PDF, xlsx or CSV).")
    if not data:
        return Outcome(
            error=f"{md_text(file_name) or 'The file'} is empty (0 bytes): there is nothing to "
            "import. Check that the download finished, then choose the file again."
        )
    if len(data) > MAX_BYTES:
        return Outcome(error=f"{file_name} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not brand or not str(brand).strip():
        return Outcome(error="Enter the brand that published the file.")
    try:
        y = check_year(year)
    except ReportError as exc:
        return Outcome(error=str(exc))
    if brands is not None:
        try:
            brand, _ = import_brand(brands, str(brand).strip(), new_brand)
        except UnknownName as exc:
            return Outcome(
                error=md_text(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
                + " If it is a brand new to the atlas, tick “New brand” to import it under "
                "the name as given."
            )
    from riskatlas.importer.report import import_bytes

    try:
        return Outcome(result=import_bytes(data, file_name, str(brand).strip(), y, reference))
    except ReportError as exc:
        return Outcome(error=f"Cannot import {file_name}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a user's file must never show a traceback
        return Outcome(error=f"Cannot import {file_name}: {type(exc).__name__}: {exc}")


def rows_table(result: ImportResult) -> pd.DataFrame:
    """Every row found, unresolved ones included with their best candidate, as the page shows it."""
    r = result.rows.copy()
    notes = []
    for removed, by, section, problem in zip(
        r["removed_section"], r["resolved_by"], r["section"], r["id_problem"], strict=True
    ):
        if removed:
            notes.append(f"under '{section}': shown, not linked")
        elif isinstance(problem, str) and problem:
            notes.append("RMI id flagged (see id_problem): not counted as resolved, not linked")
        elif by == "unresolved":
            notes.append("no RMI id printed and no clear name match: not guessed")
        else:
            notes.append("")
    r["note"] = notes
    return r[TABLE_COLUMNS].reset_index(drop=True)


REJECTED_COLUMNS = ["ref", "reason", "text", "metal", "smelter_name", "country", "section"]


def rejected_table(result: ImportResult) -> pd.DataFrame:
    """Every line read but rejected as not a smelter row, with its reason and place in the file."""
    return result.rejected_frame()[REJECTED_COLUMNS].reset_index(drop=True)


def rows_csv(result: ImportResult) -> bytes:
    """The rows table as CSV; text a spreadsheet would run as a formula is neutralised."""
    out = rows_table(result)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(neutralise)
    # CRLF rows: a cell holding a carriage return is quoted, so it cannot start a new row
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def summary_frame(result: ImportResult) -> pd.DataFrame:
    """Rows per metal, and how they resolved, one line per metal (plus the total)."""
    r = result.rows
    metal = r["metal"].fillna("(unknown)")
    t = pd.crosstab(metal, r["resolved_by"])
    for col in ("id", "name", "unresolved"):
        if col not in t.columns:
            t[col] = 0
    t = t[["id", "name", "unresolved"]]
    t.insert(0, "rows", t.sum(axis=1))
    t["flagged"] = r["id_problem"].notna().groupby(metal).sum().reindex(t.index).fillna(0)
    t["flagged"] = t["flagged"].astype(int)
    t = t.sort_values(["rows"], ascending=False)
    t.loc["all metals"] = t.sum()
    t.columns = [
        "rows",
        "resolved by ID",
        "resolved by name",
        "unresolved",
        "of which RMI id flagged",
    ]
    return t.rename_axis("metal").reset_index()


def map_frame(result: ImportResult, sites: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The resolved smelters of this import placed where the atlas has them, and the ids the
    atlas cannot place (not in the atlas, or no coordinates).

    ``sites`` has the Map's columns (site_id, name, tier, lat, lon, geo_precision, ...).
    Each point cites the imported file and row, labelled as imported this session.
    """
    r = result.rows
    linked = r[r["smelter_id"].notna() & ~r["removed_section"].astype(bool)]
    first = linked.drop_duplicates("smelter_id").set_index("smelter_id")
    ids = list(first.index)
    known = sites[sites["site_id"].isin(ids) & sites["lat"].notna() & sites["lon"].notna()]
    frame = known.copy()
    frame["kind"] = "documented"
    frame["source_id"] = MAP_LABEL
    frame["source_ref"] = [f"{result.file_name}, {first.at[s, 'ref']}" for s in frame["site_id"]]
    for col in (DIMENSION, f"{DIMENSION}_coverage", "country_name"):
        if col not in frame.columns:
            frame[col] = None
    missing = sorted(set(ids) - set(frame["site_id"]))
    return frame.reset_index(drop=True), missing


def atlas_sites() -> pd.DataFrame:
    """Every atlas site with the Map's columns (raises db.DatabaseUnavailable without an atlas)."""
    from riskatlas.ui import connection

    return connection.query(
        "sites_filtered", {"minerals": [], "tiers": [], "countries": [], "year": None}
    )


def import_deck(frame: pd.DataFrame, shapes: pd.DataFrame):
    """Country outlines and this import's smelters; no basemap provider, nothing fetched."""
    from riskatlas.basemap import country_outline_layer, ocean_layer
    from riskatlas.layers import deck, site_layers, view_for

    layers = [ocean_layer(), country_outline_layer(shapes), *site_layers(frame, DIMENSION)]
    return deck(layers, **view_for(frame))


def client_address() -> str | None:
    """The visitor's address as Streamlit sees it (the limits per client), None if unknown."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context: no per-client limit
        return None
    return address if isinstance(address, str) and address else None


def save_current(saved_by: str | None, directory=None) -> tuple[bool, str]:
    """Submit this session's import for review; (ok, message for the page). Nothing reaches
    the atlas until a maintainer approves it (riskatlas.contrib.import_queue)."""
    from riskatlas.contrib.import_queue import submit_import
    from riskatlas.contrib.store import StoreError

    upload: dict[str, Any] | None = st.session_state.get(UPLOAD_KEY)
    if not upload:
        return False, "Nothing to save: import a file first."
    try:
        sub = submit_import(
            upload["data"],
            upload["file_name"],
            upload["brand"],
            upload["year"],
            submitted_by=saved_by,
            client=client_address(),
            directory=directory,
        )
    except (ReportError, StoreError, OSError) as exc:
        return False, f"Not saved: {exc}"
    return True, (
        f"Submitted for review as import {sub.submission_id} ({sub.rows_read} rows read). "
        "There is nothing more for you to do: a maintainer checks it and, once it is approved, "
        "rebuilds the atlas, which then includes its links. Until then the map does not show "
        "them."
    )


# ---- the page --------------------------------------------------------------------------------


def _atlas_brands() -> Names:
    """The atlas's brands for reading the typed brand; the loaded brands without a database."""
    from riskatlas.ui import data

    try:
        return data.vocabulary().names.brands
    except Exception:  # noqa: BLE001 - no readable atlas: the page still imports
        return loaded_brands()


def upload_form() -> None:
    """The upload form; a successful import replaces the session's result."""
    with st.form("import_form"):
        upload = st.file_uploader(
            UPLOAD_LABEL,
            type=TYPES,
            key="import_file",
            max_upload_size=settings.IMPORT_MAX_MB,
            help=f"One file of at most {settings.IMPORT_MAX_MB} MB: HTML, PDF, xlsx, CSV or text.",
        )
        brand = st.text_input("Brand *", key="import_brand", placeholder="e.g. Skyworks Solutions")
        new_brand = st.checkbox(
            "New brand",
            key="import_new_brand",
            help="The brand is not in the atlas yet: import under the name as typed, even when "
            "it resembles a brand the atlas holds (Samsung SDI beside Samsung Electronics).",
        )
        year = st.text_input("Reporting year (optional)", key="import_year")
        go = st.form_submit_button("Import")
    if not go:
        return
    data = upload.getvalue() if upload is not None else None
    name = upload.name if upload is not None else ""
    with st.spinner("Reading the file and resolving smelters…"):
        out = run_import(data, name, brand, year, brands=_atlas_brands(), new_brand=new_brand)
    if out.error:
        st.error(out.error)
        return
    st.session_state[RESULT_KEY] = out.result
    st.session_state[UPLOAD_KEY] = {
        "data": data,
        "file_name": name,
        "brand": out.result.brand,
        "year": out.result.year,
    }


def show_result(result: ImportResult) -> None:
    """Summary, rows, map and the two actions (download, save) for one import."""
    s = result.summary
    st.subheader(
        f"{md_text(result.brand)}: {s['rows']} smelter rows in {md_text(result.file_name)}"
        + (f" ({result.year})" if result.year else "")
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Rows found", f"{s['rows']:,}")
    c2.metric("Resolved by ID", f"{s['resolved_by_id']:,}")
    c3.metric("Resolved by name", f"{s['resolved_by_name']:,}")
    c4.metric("Unresolved", f"{s['unresolved']:,}", help="Shown, never dropped or guessed.")
    st.dataframe(summary_frame(result), hide_index=True, key="import_summary")
    flagged_notice(result)
    if s.get("rows_in_removed_sections"):
        st.caption(
            f"{s['rows_in_removed_sections']} row(s) sit under a 'removed' title: shown, not "
            "linked."
        )
    for note in result.messages:
        st.caption(f"Note: {md_text(note)}")
    st.caption(
        f"Format {result.format}; sha256 {result.sha256}; reference list: {s.get('reference')}."
    )

    rejected = rejected_table(result)
    if len(rejected):
        st.caption(
            f"{len(rejected):,} line(s) were read but rejected as not smelter rows (prose, "
            "fragments, lines naming no smelter): see 'Rows rejected' below, each with its "
            "reason."
        )
    read_tab, rejected_tab = st.tabs(
        [f"Rows read ({s['rows']:,})", f"Rows rejected ({len(rejected):,})"]
    )
    with read_tab:
        st.markdown("**Every row found** (the ref column says where it is in the file)")
        st.dataframe(rows_table(result), hide_index=True, key="import_rows")
        st.download_button(
            "Download the rows (CSV)",
            rows_csv(result),
            file_name=f"{result.file_name.rsplit('.', 1)[0]}_rows.csv",
            mime="text/csv",
            key="import_download",
        )
    with rejected_tab:
        st.markdown(
            "**Lines rejected**: read from the file but without evidence of being a smelter "
            "row (an RMI id, or a metal with a company name, a resolving name or a country)."
        )
        if len(rejected):
            st.dataframe(rejected, hide_index=True, key="import_rejected")
        else:
            st.caption("None: every line read is a smelter row.")
    show_map(result)
    save_section()


def flagged_notice(result: ImportResult) -> None:
    """Rows whose printed RMI id RMI contradicts: counted as unresolved, each with its reason."""
    rows = result.rows
    flagged = rows[rows["id_problem"].notna()]
    if flagged.empty:
        return
    st.warning(
        f"{len(flagged):,} row(s) print an RMI id that RMI's lists contradict: the id belongs "
        "to another company or metal, RMI removed it, or RMI never listed it. These rows are "
        "counted as unresolved and make no link; the reason is in each row's id_problem column."
    )
    st.dataframe(
        flagged[["ref", "metal", "smelter_name", "id_as_reported", "id_problem"]].reset_index(
            drop=True
        ),
        hide_index=True,
        key="import_flagged",
    )


def show_map(result: ImportResult) -> None:
    """The resolved smelters on the offline map, for this session only."""
    from riskatlas import db
    from riskatlas.ui import connection

    st.markdown(f"**Map: {MAP_LABEL}**")
    try:
        frame, missing = map_frame(result, atlas_sites())
        shapes = connection.query("country_shapes")
    except db.DatabaseUnavailable as exc:
        st.info(
            f"The imported smelters cannot be placed without the atlas database ({exc}). "
            "The rows above are complete."
        )
        return
    st.pydeck_chart(
        import_deck(frame, shapes),
        height=460,
        key="import_map",
    )
    st.caption(
        f"{len(frame):,} resolved smelter(s) placed where the atlas locates them, coloured by "
        f"{DIMENSION} risk (grey = unknown, not low); rings = approximate location. "
        f"{len(missing):,} resolved id(s) the atlas cannot place"
        + (f" (e.g. {', '.join(missing[:5])})" if missing else "")
        + ". Unresolved rows are not on the map. Nothing here is in the atlas until saved."
    )


def save_section() -> None:
    """The explicit step that keeps an import: a submission a maintainer reviews."""
    st.markdown("**Submit this import for review**")
    st.caption(
        "A maintainer checks every saved import before its links enter the atlas as the "
        "brand's documented list."
    )
    by = st.text_input("Your name or organisation (optional)", key="import_saved_by")
    if st.button("Save to the atlas", key="import_save"):
        ok, message = save_current(by)
        (st.success if ok else st.error)(message)


def public_notice() -> None:
    """On a public deployment (RISKATLAS_PUBLIC=1), say what the app writes."""
    from riskatlas import settings

    if settings.is_public():
        st.info(
            "This is a public atlas: nothing you upload changes what it publishes. A saved "
            "import only waits for a maintainer's review; the number of imports waiting per "
            "visitor and in total is limited."
        )


def render() -> None:
    """The whole page."""
    st.title("Import a brand's smelter list")
    st.markdown(
        "Upload a brand's published smelter and refiner list: an SEC Form SD / Conflict "
        "Minerals Report (HTML), a PDF report, a filled RMI template (CMRT/EMRT, .xlsx) or a "
        "CSV. The importer finds the smelter tables and resolves each row to an RMI smelter: "
        "by the RMI id the file prints, else by name and country. Rows it cannot resolve stay "
        "in the table, unresolved, with the nearest candidate beside them. Lines that are not "
        "smelter rows (prose, fragments) are rejected and listed with the reason.\n\n"
        "The result is shown **for this session only**. Saving it submits it for a "
        "maintainer's review (below); only a reviewed import enters the atlas."
    )
    public_notice()
    upload_form()
    result = st.session_state.get(RESULT_KEY)
    if isinstance(result, ImportResult):
        show_result(result)
