"""Link documented conflicts (EJAtlas) to sites, each link with its stated basis and distance.

Why so strict: a conflict point is the case's mapped location (often a town or project
centroid), and a site near it is not necessarily the site the case is about. A link is made
only on one of these bases (strongest first), and the basis is stored with the link:

- ``case site``: the site is the case's own point (an e-waste case the ejatlas adapter turned
  into an e-waste site).
- ``company + distance``: a company the case names matches a name of the site (the RMI smelter
  name, the name any source gives the site, ICMM's group names) and the site lies within
  COMPANY_KM of the case point. The match compares the distinctive words of the company name
  (legal forms and generic words such as 'mining', 'copper', 'limited' removed): every one of
  them must be a word of the site's names.
- ``distance + commodity``: the site lies within COMMODITY_KM (a few km) of the case point and
  a commodity of the case is a mineral of the site.

Nothing links on distance alone, and nothing beyond COMPANY_KM. Distances are great-circle
kilometres between the case point and the site point; candidates come from a KD-tree on unit
vectors (scipy), so 2,796 cases x 33,000 sites take well under a second.

Each link's impacts become dated site facts (``IMPACT_FACTS``: fact key -> the EJAtlas impact
labels it stands for), which the risk model reads as site-level indicators (weights.toml).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

EARTH_KM = 6371.0088
COMPANY_KM = 50.0
COMMODITY_KM = 5.0
BASES = ("case site", "company + distance", "distance + commodity")

LINK_COLUMNS = [
    "conflict_id",
    "site_id",
    "basis",
    "distance_km",
    "matched_company",
    "matched_name",
    "matched_minerals",
    "source_id",
    "source_ref",
]

# Site-level indicator facts from a linked conflict: key -> EJAtlas impact labels (any of them).
# Labour side: harm to workers and residents' rights; environment side: pollution and damage.
IMPACT_FACTS: dict[str, tuple[str, ...]] = {
    "conflict_occupational_harm": ("Occupational disease and accidents",),
    "conflict_deaths": ("Deaths",),
    "conflict_human_rights": ("Violations of human rights",),
    "conflict_displacement": ("Displacement",),
    "conflict_water_pollution": (
        "Surface water pollution / Decreasing water (physico-chemical, biological) quality",
        "Groundwater pollution or depletion",
    ),
    "conflict_soil_pollution": ("Soil contamination",),
    "conflict_air_pollution": ("Air pollution",),
    "conflict_tailings_spill": ("Mine tailing spills",),
    "conflict_deforestation": ("Deforestation and loss of vegetation cover",),
    "conflict_waste": ("Waste overflow",),
}
IMPACT_COLUMNS = ("environmental_impacts", "health_impacts", "socio_economic_impacts")

# Words that say nothing about which company it is: legal forms, sectors, generic nouns.
GENERIC = frozenset(
    """
    s a sa sas sac saa sab de cv c v srl spa ltd ltda limited inc incorporated corp corporation
    co company companies cia compania compagnie plc llc lp gmbh ag nv bv ab asa oy pt tbk pty
    jsc ojsc pjsc oao zao bhd sdn kk kabushiki kaisha group groupe grupo holding holdings the
    and of del la le les el los las y et und e da do das dos di international intl global
    mining mine mines minera mineracao minerals mineral metals metal resources resource
    exploration exploracion industries industrial industry gold copper silver iron nickel
    zinc lead tin cobalt lithium coal oil gas energy power cement steel aluminium aluminum
    chemical chemicals refinery refining smelter smelting plant project projects enterprise
    enterprises services service trading development developments investment investments
    partners ventures venture operations operating consortium joint state national government
    ministry local municipal city council authority public private
    """.split()
)


# Public bodies named as parties to a case: their distinctive word is a place, not an operator.
PUBLIC_BODY = re.compile(
    r"\b(municipal\w*|city|council|government|ministry|department|authority|county|"
    r"corporation of|state of|province|provincial|prefecture|district|commune|"
    r"federal|republic|army|police)\b"
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text: str | None) -> set[str]:
    """The lower-case, accent-free words of a name."""
    return set(re.findall(r"[a-z0-9]+", _fold(text or "")))


def company_core(name: str | None) -> frozenset[str]:
    """The distinctive words of a company name; empty when nothing distinctive is left
    ('Mining Company Ltd.'), the words are too short to identify a company, or the name is a
    public body ('Pune Municipal Corporation': what is left is a place name, not an operator)."""
    if PUBLIC_BODY.search(_fold(name or "")):
        return frozenset()
    core = frozenset(w for w in words(name) if w not in GENERIC and not w.isdigit())
    if not core or max(len(w) for w in core) < 4:
        return frozenset()
    return core


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _chord(km: float) -> float:
    return 2.0 * np.sin(km / (2.0 * EARTH_KM))


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    la1, lo1, la2, lo2 = (np.radians(np.asarray(x, float)) for x in (lat1, lon1, lat2, lon2))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _pairs(tree: cKDTree, points: np.ndarray, km: float) -> tuple[np.ndarray, np.ndarray]:
    """(point index, tree index) of every pair within km."""
    hits = tree.query_ball_point(points, _chord(km))
    counts = np.fromiter((len(h) for h in hits), int, len(hits))
    left = np.repeat(np.arange(len(hits)), counts)
    right = np.fromiter((j for h in hits for j in h), int, int(counts.sum()))
    return left, right


def link_conflicts(
    conflicts: pd.DataFrame,
    sites: pd.DataFrame,
    site_names: pd.DataFrame,
    case_sites: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Every (conflict, site) link with its basis, distance and what matched.

    conflicts: conflict_id, lat, lon, companies (list), minerals (list), source_ref.
    sites: site_id, lat, lon, minerals (list). site_names: site_id, name (every name a source
    gives the site, one per row). case_sites: conflict_id -> the site made from the case itself.
    """
    rows: list[dict] = []
    refs = dict(zip(conflicts["conflict_id"], conflicts["source_ref"], strict=True))
    for cid, sid in (case_sites or {}).items():
        if cid in refs:
            rows.append(_row(cid, sid, "case site", 0.0, None, None, [], refs[cid]))
    located = sites[sites["lat"].notna() & sites["lon"].notna()].reset_index(drop=True)
    if len(located) and len(conflicts):
        tree = cKDTree(_unit(located["lat"].to_numpy(float), located["lon"].to_numpy(float)))
        rows += _company_links(conflicts, located, site_names, tree)
        rows += _commodity_links(conflicts, located, tree)
    out = pd.DataFrame(rows, columns=LINK_COLUMNS)
    if out.empty:
        return out
    out["_rank"] = out["basis"].map({b: i for i, b in enumerate(BASES)})
    out = out.sort_values(["conflict_id", "site_id", "_rank", "distance_km"])
    out = out.drop_duplicates(["conflict_id", "site_id"]).drop(columns="_rank")
    out["distance_km"] = out["distance_km"].round(2)
    return out.sort_values(["conflict_id", "distance_km", "site_id"]).reset_index(drop=True)


def _row(cid, sid, basis, km, company, name, minerals, ref) -> dict:
    return {
        "conflict_id": cid,
        "site_id": sid,
        "basis": basis,
        "distance_km": float(km),
        "matched_company": company,
        "matched_name": name,
        "matched_minerals": list(minerals),
        "source_id": "ejatlas",
        "source_ref": ref,
    }


def _company_links(conflicts, located, site_names, tree) -> list[dict]:
    cores = [
        [(c, company_core(c)) for c in (companies if companies is not None else [])]
        for companies in conflicts["companies"]
    ]
    cores = [[(c, k) for c, k in cs if k] for cs in cores]
    which = np.array([bool(cs) for cs in cores])
    if not which.any():
        return []
    idx = np.flatnonzero(which)
    sub = conflicts.iloc[idx]
    left, right = _pairs(
        tree, _unit(sub["lat"].to_numpy(float), sub["lon"].to_numpy(float)), COMPANY_KM
    )
    if not len(left):
        return []
    names: dict[str, list[tuple[str, set[str]]]] = {}
    wanted = set(located["site_id"].iloc[np.unique(right)])
    for sid, name in zip(site_names["site_id"], site_names["name"], strict=True):
        if sid in wanted and isinstance(name, str):
            names.setdefault(sid, []).append((name, words(name)))
    km = haversine_km(
        sub["lat"].to_numpy(float)[left],
        sub["lon"].to_numpy(float)[left],
        located["lat"].to_numpy(float)[right],
        located["lon"].to_numpy(float)[right],
    )
    ids = located["site_id"].to_numpy(object)
    rows = []
    for i, j, d in zip(left, right, km, strict=True):
        c = sub.iloc[i]
        hit = _match(cores[idx[i]], names.get(ids[j], []))
        if hit:
            minerals = _common(c["minerals"], located["minerals"].iat[j])
            rows.append(
                _row(c["conflict_id"], ids[j], "company + distance", d, *hit, minerals,
                     c["source_ref"])
            )  # fmt: skip
    return rows


def _match(cores, names) -> tuple[str, str] | None:
    for company, core in cores:
        for name, name_words in names:
            if core <= name_words:
                return company, name
    return None


def _common(a: Iterable[str] | None, b: Iterable[str] | None) -> list[str]:
    b = set(b if b is not None else [])
    return [m for m in (a if a is not None else []) if m in b]


def _commodity_links(conflicts, located, tree) -> list[dict]:
    has = np.array([m is not None and len(m) > 0 for m in conflicts["minerals"]])
    if not has.any():
        return []
    sub = conflicts[has]
    left, right = _pairs(
        tree, _unit(sub["lat"].to_numpy(float), sub["lon"].to_numpy(float)), COMMODITY_KM
    )
    km = haversine_km(
        sub["lat"].to_numpy(float)[left],
        sub["lon"].to_numpy(float)[left],
        located["lat"].to_numpy(float)[right],
        located["lon"].to_numpy(float)[right],
    )
    rows = []
    ids = located["site_id"].to_numpy(object)
    for i, j, d in zip(left, right, km, strict=True):
        c = sub.iloc[i]
        common = _common(c["minerals"], located["minerals"].iat[j])
        if common:
            rows.append(
                _row(c["conflict_id"], ids[j], "distance + commodity", d, None, None, common,
                     c["source_ref"])
            )  # fmt: skip
    return rows


def impact_facts(links: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame:
    """One dated site fact per linked site and impact key (site_facts rows, source ejatlas):
    value = the EJAtlas impact labels, observed_on = the case's last update, source_ref = the
    case address with the link's basis and distance."""
    cols = ["site_id", "fact", "value", "observed_on", "source_id", "source_ref"]
    if links.empty:
        return pd.DataFrame(columns=cols)
    c = conflicts.set_index("conflict_id")
    rows = []
    for link in links.itertuples(index=False):
        case = c.loc[link.conflict_id]
        said = set()
        for col in IMPACT_COLUMNS:
            v = case[col]
            said.update(v if v is not None and not isinstance(v, float) else [])
        ref = f"{case['source_ref']} ({link.basis}, {link.distance_km:.1f} km)"
        for key, labels in IMPACT_FACTS.items():
            found = [lb for lb in labels if lb in said]
            if found:
                rows.append(
                    {
                        "site_id": link.site_id,
                        "fact": key,
                        "value": "; ".join(found),
                        "observed_on": case["last_update"],
                        "source_id": "ejatlas",
                        "source_ref": ref,
                    }
                )
    return pd.DataFrame(rows, columns=cols)
