"""The Site page: every dated, cited fact about one site, the reports it is documented in, its
brands and risk breakdown, and (apart) contributed evidence that is not a published source."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import streamlit as st

from riskatlas import catalogue
from riskatlas.citations import parse_citation
from riskatlas.exposure import route_text
from riskatlas.layers import APPROXIMATE, GEO_METHOD_TEXT, TIER_SINGULAR, precision_text
from riskatlas.ui import connection
from riskatlas.ui.common import fmt_score, md_table, md_text, site_url, sources_caption

CITATION_FACTS = ("citation", "case_citation")  # a report (curated) or an EJAtlas case
CONTRIB_HEADER = "Contributed evidence (reviewed, not a published source)"
_WEB = re.compile(r"^https?://[^\s]+$")
# an address safe as a markdown link target: no spaces, brackets, parentheses or dollar signs
_MD_LINK = re.compile(r"^https?://[A-Za-z0-9\-._~:/?#@!&'*+,;=%]+$")


def finder() -> None:
    """Without ?site=..., a search box that leads to site pages: every word of a name, alias or
    place (village, groupement, territoire, city, province, address), accents and case ignored."""
    from riskatlas.places import search_words

    st.title("Site")
    st.write(
        "Open a site from the map or a table, or search by name, id or place: a village, "
        "groupement, territoire, city, province or address, word by word "
        '("kolwezi artisanal", "Rubaya").'
    )
    text = st.text_input("Site name, place or id", key="site_search")
    if text.strip():
        hits = connection.query("site_search", {"text": text.strip(), "words": search_words(text)})
        if hits.empty:
            st.info("No site matches all of these words. Try fewer words, or another spelling.")
            return
        hits.insert(0, "site", [site_url(s) for s in hits["site_id"]])
        hits["tier"] = hits["tier"].map(lambda t: TIER_SINGULAR.get(t, t))
        st.dataframe(
            hits,
            hide_index=True,
            width="stretch",
            column_config={
                "site": st.column_config.LinkColumn("site", display_text=r"site\?site=(.*)"),
                "country_iso3": st.column_config.TextColumn("country"),
                "places": st.column_config.TextColumn(
                    "where", help="The places the sources give the site"
                ),
            },
        )
        more = " (the 50 best)" if len(hits) >= 50 else ""
        st.caption(f"{len(hits):,} site(s){more}, best matches first.")


def _list_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if pd.isna(value) else str(value)


def header(site: pd.Series) -> None:
    """Name, tier, place, location precision and the outside-country flag."""
    st.title(md_text(site["name"]))
    tier = TIER_SINGULAR.get(site["tier"], site["tier"])
    place = ", ".join(
        str(x)
        for x in (site.get("city"), site.get("province"), site.get("country_name"))
        if isinstance(x, str) and x
    )
    st.markdown(
        f"**{tier.capitalize()}** · {md_text(place or site['country_iso3'])} · "
        f"site id `{str(site['site_id']).replace('`', '')}`"
    )
    minerals = _list_text(site.get("minerals"))
    if minerals:
        st.markdown(f"Minerals: {md_text(minerals)}")
    prec = site.get("geo_precision")
    method = site.get("geo_method")
    method = method if isinstance(method, str) else None
    text = f"{precision_text(prec, method).capitalize()} ({site['lat']:.4f}, {site['lon']:.4f})"
    note = site.get("geo_note")
    if isinstance(note, str) and note:
        text += f" — {md_text(note)}"
    (st.warning if prec in APPROXIMATE else st.caption)(text)
    if bool(site.get("outside_country")) and not pd.isna(site.get("outside_country")):
        st.error(
            f"Flagged: the source's coordinates fall outside {site['country_iso3']}, the country "
            "it states. The point is shown where the source puts it, not moved."
        )
    st.caption(f"Site record: {md_text(site['source_id'])}: {md_text(site['source_ref'])}")


def placement(site: pd.Series) -> None:
    """How the point was placed: the method, the note, and every record with how it joined
    (RMI ID or name match, score and basis) and how it was itself placed; candidates of other
    sources that resemble the site are listed apart, as not merged."""
    st.subheader("How this point was placed")
    method = site.get("geo_method")
    how = GEO_METHOD_TEXT.get(method) if isinstance(method, str) else None
    note = site.get("geo_note")
    lead = how.capitalize() if how else "The point's method is not recorded"
    st.markdown(
        f"{md_text(lead)}" + (f": {md_text(note)}" if isinstance(note, str) and note else ".")
    )
    rows = connection.query("site_placement", {"site_id": str(site["site_id"])})
    if rows.empty:
        return
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "match_score": st.column_config.NumberColumn("match score", format="%.0f"),
            "placed_by": st.column_config.TextColumn("placed by (place in the name)"),
        },
    )
    st.caption(
        "Records merge into one site by RMI ID, or by a name match in the same country with a "
        "shared mineral and no close rival (score and basis shown). Candidates were not merged: "
        "a maintainer reviews them with `python -m riskatlas matches`."
    )


def risk(site: pd.Series, components: pd.DataFrame) -> None:
    """Scores (unknown stays unknown) and the evidence each stands on."""
    c1, c2 = st.columns(2)
    for col, dim in ((c1, "labour"), (c2, "environment")):
        cov = site.get(f"{dim}_coverage")
        col.metric(
            f"{dim.capitalize()} risk (0-100)",
            fmt_score(site.get(dim)),
            help="unknown = no evidence for this site, not low risk",
        )
        if cov is not None and not pd.isna(cov):
            col.caption(f"evidence covers {cov:.0%} of the weight")
    if components.empty:
        st.info("No risk evidence recorded for this site: its scores are unknown.")
        return
    # st.table shows every value whole; it renders cells as Markdown, so every cell is escaped
    # text (md_table) and the numbers are written out here
    table = catalogue.components_table(components)
    for col, fmt in (
        (catalogue.SCORE_LABEL, "{:.0f}"),
        ("weight", "{:.2f}"),
        ("adds to the score", "{:.1f}"),
    ):
        table[col] = ["" if v is None or pd.isna(v) else fmt.format(float(v)) for v in table[col]]
    st.table(md_table(table), hide_index=True)
    st.caption(
        "Each row is one piece of evidence: what it is, whether it was found at this site, for "
        "this mineral in this country (the ILAB goods list) or for the whole country, the value "
        "as its source publishes it (quote this one), and the atlas's normalised reading of it "
        "(0-100, 100 = worst), which the weights turn into the score. What each indicator means "
        "is on the Sources page."
    )


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The site's facts as read on the page: date, what was recorded (its label, never a code),
    the value as published, whole, and the citation."""
    return pd.DataFrame(
        {
            "observed on": [_day(v) for v in facts["observed_on"]],
            "what was recorded": [catalogue.label(f) for f in facts["fact"]],
            catalogue.PUBLISHED_LABEL: [
                catalogue.published(f, v)
                for f, v in zip(facts["fact"], facts["value"], strict=True)
            ],
            "source": facts["source_id"],
            "reference": facts["source_ref"],
        }
    )


def inferred_table(inf: pd.DataFrame) -> pd.DataFrame:
    """Inferred exposure as read on the page: the route in words and the refiner it goes
    through only where the route has one (the build names no refiner for the goods-list route)."""
    via = [
        f"{n} ({i})" if isinstance(n, str) and n else (i if isinstance(i, str) else "none named")
        for n, i in zip(inf["via_name"], inf["via_site_id"], strict=True)
    ]
    return pd.DataFrame(
        {
            "brand": inf["brand"],
            "mineral": inf["mineral"],
            "route": [route_text(r) for r in inf["route"]],
            "via refiner": via,
            "why": inf["explanation"],
            "source": inf["source_id"],
            "reference": inf["source_ref"],
        }
    )


def _link(url: object) -> str | None:
    """An http(s) address for a link column; anything else is not made a link."""
    return url if isinstance(url, str) and _WEB.match(url) else None


def citations(facts: pd.DataFrame) -> pd.DataFrame:
    """The reports the site's 'citation' facts name: title, publisher, year, address."""
    cites = facts[facts["fact"].isin(CITATION_FACTS)] if not facts.empty else facts
    rows = []
    for value in dict.fromkeys(cites.get("value", [])):
        c = parse_citation(value)
        rows.append(
            {"year": c.year, "title": c.title, "publisher": c.publisher, "address": _link(c.url)}
        )
    return pd.DataFrame(rows, columns=["year", "title", "publisher", "address"])


def report_line(row) -> str:
    """One report as a markdown list item: title, publisher, year, and its address as a link
    (data text escaped; an address that is not a plain http(s) URL is shown, not linked)."""
    parts = [f"**{md_text(row.title)}**"]
    who = ", ".join(
        x for x in (md_text(row.publisher) if row.publisher else "", _year(row.year)) if x
    )
    if who:
        parts.append(who)
    url = row.address
    if isinstance(url, str) and _MD_LINK.match(url):
        parts.append(f"[{md_text(url)}]({url})")
    elif isinstance(url, str) and url:
        parts.append(md_text(url))
    return "- " + " — ".join(parts)


def _year(value) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def documented_in(table: pd.DataFrame) -> None:
    """Where a curated site is documented: each report with its address as a link."""
    st.subheader("Documented in")
    st.markdown("\n".join(report_line(r) for r in table.itertuples(index=False)))
    st.caption(
        "Curated from public reports: the site is in the atlas because these reports name it; "
        "what each documents is in the facts above, dated by the report's year."
    )


def _contribution_facts(site_id: str) -> tuple[pd.DataFrame, str | None]:
    """Approved contributions about the site; a missing contributions database holds none."""
    from riskatlas.contrib import contribution_facts
    from riskatlas.contrib.store import StoreError

    try:
        return contribution_facts(site_id), None
    except (StoreError, duckdb.Error, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return pd.DataFrame(), f"Contributed evidence cannot be read: {first}"


def contributed_table(facts: pd.DataFrame) -> pd.DataFrame:
    """Contributed facts as the page shows them: what, when, by whom, the evidence, review."""

    def day(v):
        return None if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()

    return pd.DataFrame(
        {
            "event date": facts["observed_on"].map(day),
            "what happened": facts["value"],
            "contributed by": facts["contributor"],
            "evidence": facts["evidence_url"].map(_link),
            "submitted": facts["submitted_at"].map(day),
            "approved by": facts["reviewed_by"],
            "approved on": facts["reviewed_at"].map(day),
            "contribution": facts["source_ref"],
        }
    )


def contributed_evidence(site_id: str) -> int:
    """The contributed-evidence section, apart from the sources; returns how many it shows."""
    st.subheader(CONTRIB_HEADER)
    facts, problem = _contribution_facts(site_id)
    if problem:
        st.caption(md_text(problem))
    if facts.empty:
        st.caption(
            "No approved contribution about this site. Advocates and unions can add evidence on "
            "the Contribute page; a maintainer reviews it first."
        )
        return 0
    st.dataframe(
        contributed_table(facts),
        hide_index=True,
        width="stretch",
        column_config={"evidence": st.column_config.LinkColumn("evidence")},
    )
    st.caption(
        "Added by advocates or unions and approved by a maintainer. Not from a published "
        "source: shown apart, never counted with the sources, never used in the risk scores."
    )
    return len(facts)


def contributed_site(site_id: str) -> bool:
    """A place only contributions name ('contrib:<id>'): its contributed evidence alone."""
    facts, problem = _contribution_facts(site_id)
    if facts.empty:
        return False
    first = facts.iloc[0]
    st.title(md_text(first["site_name"]))
    tier = TIER_SINGULAR.get(first["tier"], first["tier"])
    st.markdown(
        f"**{md_text(str(tier).capitalize())}** · *contributed*: this place is not in any "
        "published source of the atlas; everything below was contributed and reviewed."
    )
    contributed_evidence(site_id)
    return True


def conflict_line(row) -> str:
    """One linked case as a markdown list item: name, basis, distance, last update, and the
    case address as a link (data text escaped; an unsafe address is shown, not linked)."""
    basis = md_text(row.basis)
    matched = row.matched_company or row.matched_minerals
    if isinstance(matched, str) and matched:
        basis += f" ({md_text(matched)})"
    day = "n.d." if pd.isna(row.last_update) else pd.Timestamp(row.last_update).date().isoformat()
    parts = [
        f"**{md_text(row.name or f'EJAtlas conflict id {row.conflict_id}')}**",
        f"linked by {basis}, {float(row.distance_km):.1f} km",
        f"case last updated {day}",
    ]
    if isinstance(row.intensity, str) and row.intensity:
        parts.append(f"intensity {md_text(row.intensity)}")
    url = row.url
    if isinstance(url, str) and _MD_LINK.match(url):
        parts.append(f"[{md_text(url)}]({url})")
    elif isinstance(url, str) and url:
        parts.append(md_text(url))
    return "- " + " — ".join(parts)


def documented_conflicts(site_id: str) -> int:
    """The documented conflicts (EJAtlas) linked to the site, each with its basis, distance,
    last update and case address; returns how many (nothing is shown when there are none)."""
    if not connection.has_table("conflict_links"):
        return 0
    linked = connection.query("site_conflicts", {"site_id": site_id})
    if linked.empty:
        return 0
    st.subheader("Documented conflicts (EJAtlas)")
    st.markdown("\n".join(conflict_line(r) for r in linked.itertuples(index=False)))
    st.caption(
        "Cases from EJAtlas – Global Atlas of Environmental Justice (ejatlas.org), written by "
        "contributors: advocacy documentation, not an audit. A case is linked to this site only "
        "on a stated basis: the case's own point, a company it names + distance, or distance + "
        "commodity within a few km. Its impacts count as site-level risk evidence, dated by the "
        "case's last update. EJAtlas content is for non-commercial use, with attribution."
    )
    return len(linked)


def page(site_id: str) -> None:
    """The whole Site page for one id."""
    detail = connection.query("site_detail", {"site_id": site_id})
    if detail.empty and site_id.startswith("contrib:") and contributed_site(site_id):
        return
    if detail.empty:
        st.title("Site")
        st.warning(f"No site with id `{site_id.replace('`', '')[:80]}` in the atlas.")
        finder()
        return
    site = detail.iloc[0]
    header(site)
    placement(site)

    facts = connection.query("site_facts", {"site_id": site_id})
    st.subheader("What was found here")
    if facts.empty:
        st.info(
            "No recorded facts for this site (nothing observed is not the same as nothing "
            "happening)."
        )
    else:
        reports = citations(facts)
        shown = facts[~facts["fact"].isin(CITATION_FACTS)] if not reports.empty else facts
        st.table(md_table(facts_table(shown)), hide_index=True)
        st.caption(
            "Each row is one observation with its date and source reference "
            "(IPIS: vid = visit id; curated e-waste sites: the report), its value as the source "
            "publishes it, in full (IPIS writes tasks and reasons in French). A fact appears only "
            "where the question was answered."
        )
        if not reports.empty:
            documented_in(reports)

    documented_conflicts(site_id)
    contributed_evidence(site_id)

    st.subheader("Brands")
    doc = connection.query("site_links_documented", {"site_id": site_id})
    st.markdown("**Documented** — the brand's own disclosure lists this site")
    if doc.empty:
        st.caption("No brand list names this site.")
    else:
        st.dataframe(doc, hide_index=True, width="stretch")
    st.markdown("**Inferred** — no disclosure names it; the data suggests a possible route")
    inf = (
        connection.query("site_links_inferred", {"site_id": site_id})
        if connection.has_table("inferred_exposure")
        else pd.DataFrame()
    )
    if inf.empty:
        st.caption("No inferred exposure.")
    else:
        st.table(md_table(inferred_table(inf)), hide_index=True)

    st.subheader("Risk breakdown")
    comps = (
        connection.query("site_components", {"site_id": site_id})
        if connection.has_table("risk_components")
        else pd.DataFrame()
    )
    risk(site, comps)

    st.subheader("Records merged into this site")
    recs = connection.query("site_records", {"site_id": site_id})
    st.dataframe(recs, hide_index=True, width="stretch")
    st.caption("One physical site is one row; every contributing source record stays listed.")

    ids = {
        site["source_id"],
        *facts.get("source_id", []),
        *recs.get("source_id", []),
        *doc.get("source_id", []),
    }
    if not inf.empty:
        ids |= set(inf["source_id"])
    if not comps.empty:
        ids |= set(comps["source_id"])
    sources_caption({i for i in ids if isinstance(i, str)})
