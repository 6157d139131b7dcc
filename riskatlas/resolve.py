"""Entity resolution: many source records of one physical site become one site row.

Smelters are matched by RMI ID across the RMI list and brand lists, then ICMM smelters and
refineries join an RMI smelter by name + country + distance. Mines from ICMM, MRDS/MinMod and
USGS Africa are merged by name + distance. Every contributing record is kept in
``site_records`` so a reader can see what was merged and from where.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from scipy.spatial import cKDTree

from riskatlas import sources as registry
from riskatlas.match_sources import match_groups
from riskatlas.match_words import word_matches

EARTH_RADIUS_KM = 6371.0

# Which source's record speaks for a merged site, and how a record becomes a site id, are
# declared by each source (SourceInfo.priority, .site_ids; riskatlas.sources).
PRECISION_RANK = {"exact": 0, "city": 1, "province": 2, "country": 3}

MINE_MERGE_KM = 5.0
MINE_NAME_SCORE = 90.0
SMELTER_MERGE_KM = 150.0
SMELTER_NAME_SCORE = 85.0
SMELTER_NEAR_KM = 25.0

_LEGAL = re.compile(
    r"\b(co|ltd|limited|inc|corp|corporation|company|s\.?a|gmbh|ag|llc|plc|pte|bhd|sdn|"
    r"group|holdings?|mining|mine|mines|deposit|prospect|occurrence|project|smelter|refinery|"
    r"refining|metals?|industr(y|ies)|the|de|of|and)\b"
)


def norm_name(name: object) -> str:
    """A name reduced for comparison: accents, case, punctuation and legal/site words removed."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9 ]+", " ", s.replace(".", ""))
    s = _LEGAL.sub(" ", s)
    return " ".join(s.split())


def default_site_id(source_id: str, source_ref: str, rmi_id: object) -> str:
    """The stable id a record would carry as a site of its own."""
    if isinstance(rmi_id, str) and re.fullmatch(r"CID\d{6}", rmi_id):
        return rmi_id
    return registry.site_id(source_id, source_ref)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return int(i)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _chord(km: float) -> float:
    return 2 * np.sin(km / (2 * EARTH_RADIUS_KM))


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    la1, lo1, la2, lo2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def _merge_mines(rec: pd.DataFrame, uf: _UnionFind) -> int:
    """Union mine records (ICMM, MRDS, USGS) within MINE_MERGE_KM whose names agree."""
    idx = np.flatnonzero(
        (rec["tier"].to_numpy() == "mine")
        & (rec["geo_precision"].to_numpy() == "exact")
        & rec["lat"].notna().to_numpy()
    )
    if len(idx) < 2:
        return 0
    names = rec["_norm"].to_numpy()[idx]
    countries = rec["country_iso3"].astype("string").fillna("").to_numpy()[idx]
    tree = cKDTree(_xyz(rec["lat"].to_numpy()[idx], rec["lon"].to_numpy()[idx]))
    pairs = tree.query_pairs(_chord(MINE_MERGE_KM), output_type="ndarray")
    if len(pairs) == 0:
        return 0
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    keep = (
        (countries[pairs[:, 0]] == countries[pairs[:, 1]])
        & (names[pairs[:, 0]] != "")
        & (names[pairs[:, 1]] != "")
    )
    merged = 0
    for a, b in pairs[keep]:
        na, nb = names[a], names[b]
        if na == nb or fuzz.token_sort_ratio(na, nb) >= MINE_NAME_SCORE:
            ia, ib = int(idx[a]), int(idx[b])
            if uf.find(ia) != uf.find(ib):
                uf.union(ia, ib)
                merged += 1
    return merged


def _merge_smelters_by_id(rec: pd.DataFrame, uf: _UnionFind) -> None:
    cid = rec["rmi_id"].where(rec["rmi_id"].astype("string").str.fullmatch(r"CID\d{6}"), None)
    first: dict[str, int] = {}
    for i, c in zip(rec.index, cid, strict=True):
        if c is None or pd.isna(c):
            continue
        if c in first:
            uf.union(first[c], i)
        else:
            first[c] = i


def _merge_icmm_smelters(rec: pd.DataFrame, uf: _UnionFind) -> list[tuple[int, int, float]]:
    """Join ICMM smelters/refineries (no RMI ID) to an RMI smelter by name, country and distance."""
    icmm = rec.index[(rec["source_id"] == "icmm") & (rec["tier"] == "smelter_refiner")]
    rmi = rec.index[(rec["source_id"] == "rmi") & rec["lat"].notna()]
    matches = []
    by_country: dict[str, list[int]] = {}
    for j in rmi:
        by_country.setdefault(rec.at[j, "country_iso3"], []).append(j)
    for i in icmm:
        ni = rec.at[i, "_norm"]
        if not ni or pd.isna(rec.at[i, "lat"]):
            continue
        cands = by_country.get(rec.at[i, "country_iso3"], [])
        if not cands:
            continue
        dist = haversine_km(
            rec.at[i, "lat"],
            rec.at[i, "lon"],
            rec.loc[cands, "lat"].to_numpy(),
            rec.loc[cands, "lon"].to_numpy(),
        )
        minerals_i = set(rec.at[i, "minerals"] or [])
        best, best_score = None, 0.0
        for j, d in zip(cands, dist, strict=True):
            nj = rec.at[j, "_norm"]
            s = fuzz.token_sort_ratio(ni, nj)
            if s >= SMELTER_NAME_SCORE and d <= SMELTER_MERGE_KM and s > best_score:
                best, best_score = j, s
            # "Alouette" / "Aluminerie Alouette": one name inside the other, close by, same metal
            elif (
                d <= SMELTER_NEAR_KM
                and fuzz.token_set_ratio(ni, nj) == 100
                and minerals_i & set(rec.at[j, "minerals"] or [])
                and best_score < 100
            ):
                best, best_score = j, max(best_score, 90.0)
        if best is not None:
            uf.union(best, i)
            matches.append((best, i, best_score))
    return matches


def _site_method(loc: pd.DataFrame, lead: pd.DataFrame) -> pd.Series:
    """How a site's point was found: the located record's own method, or ``matched_record``
    when that record joined the site by a name match (not by ID, and not the lead itself)."""
    own = loc["geo_method"] if "geo_method" in loc else pd.Series(None, index=loc.index)
    same_id = loc["rmi_id"].astype("string").fillna("") == lead["rmi_id"].astype("string").fillna(
        "-"
    )
    joined = (loc["_default_id"] != lead["_default_id"]) & ~same_id
    return own.where(~joined | loc["geo_precision"].isna(), "matched_record")


def _assemble_sites(rec: pd.DataFrame) -> pd.DataFrame:
    """One row per group: identity from the preferred record, point from the most precise one."""
    lead = rec.sort_values(["_group", "_prio", "_default_id"]).drop_duplicates("_group")
    loc = rec.sort_values(["_group", "_prec", "_prio", "_default_id"]).drop_duplicates("_group")
    lead = lead.set_index("_group")
    loc = loc.set_index("_group").reindex(lead.index)
    union: dict[int, set] = {}
    for g, ms in zip(rec["_group"].to_numpy(), rec["minerals"].to_numpy(), strict=True):
        if isinstance(ms, list | tuple | np.ndarray) and len(ms):
            union.setdefault(g, set()).update(ms)
    minerals = [sorted(union.get(g, ())) for g in lead.index]
    borrowed = (loc["_default_id"] != lead["_default_id"]) & (loc["geo_precision"] == "exact")
    extra = "coordinates from " + loc["source_id"] + " record " + loc["source_ref"].astype(str)
    base_note = loc["geo_note"] if "geo_note" in loc else pd.Series(None, index=loc.index)
    note = base_note.where(
        ~borrowed,
        np.where(
            base_note.notna() & (base_note.astype(str) != ""),
            base_note.astype(str) + "; " + extra,
            extra,
        ),
    )
    sites = pd.DataFrame(
        {
            "site_id": lead["_default_id"],
            "name": lead["name"],
            "tier": lead["tier"],
            "lat": loc["lat"],
            "lon": loc["lon"],
            "geo_precision": loc["geo_precision"],
            "geo_method": _site_method(loc, lead),
            "geo_note": note,
            "country_iso3": lead["country_iso3"].where(
                lead["country_iso3"].notna(), loc["country_iso3"]
            ),
            "province": lead.get("province"),
            "city": lead.get("city"),
            "minerals": minerals,
            "source_id": lead["source_id"],
            "source_ref": lead["source_ref"],
            "n_records": rec.groupby("_group").size().reindex(lead.index),
        },
        index=lead.index,
    )
    sites.index.name = "_group"
    return sites.reset_index()


def resolve(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Group records into sites (see :func:`resolve_all`; candidates left out)."""
    sites, site_records, stats, _ = resolve_all(records)
    return sites, site_records, stats


def resolve_all(
    records: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, dict, pd.DataFrame]:
    """Group records into sites; also return the ambiguous cross-source match candidates.

    Returns (sites, site_records, stats). ``records`` must carry ``source_id`` and the
    contract columns; its index is reset here. A site takes its id, name and tier from its
    preferred record, and its coordinates from the most precise record (an ICMM point beats
    an RMI city centroid).
    """
    rec = records.reset_index(drop=True).copy()
    if "geo_method" not in rec.columns:
        rec["geo_method"] = None
    for col in ("lat", "lon"):
        rec[col] = pd.to_numeric(rec[col], errors="coerce").astype(float)
    rec["_norm"] = [norm_name(n) for n in rec["name"]]
    uf = _UnionFind(len(rec))
    rec["_match_method"] = None
    rec["_match_score"] = np.nan
    rec["_match_basis"] = None
    _merge_smelters_by_id(rec, uf)
    icmm_matches = _merge_icmm_smelters(rec, uf)
    for j, i, score in icmm_matches:
        _note_match(rec, i, "icmm_name_distance", score, f"joined RMI {rec.at[j, 'source_ref']} "
                    f"'{rec.at[j, 'name']}' by name score {score:.0f}, same country, <= "
                    f"{SMELTER_MERGE_KM:.0f} km")  # fmt: skip
    mines_merged = _merge_mines(rec, uf)
    groups = np.array([uf.find(i) for i in range(len(rec))])
    confident, borrowed, candidates = match_groups(rec, groups)
    placed = {int(g) for g, *_ in confident} | {int(g) for g, *_ in borrowed}
    by_word, word_candidates = word_matches(rec, groups, placed)
    borrowed += by_word
    candidates += word_candidates
    for g, j, score, basis in confident:
        uf.union(int(g), int(j))
        _note_match(rec, j, "name_country_mineral", score, basis)

    rec["_group"] = [uf.find(i) for i in range(len(rec))]
    # a listed RMI ID names the site even when an ICMM record joined it by name
    has_cid = rec["rmi_id"].astype("string").str.fullmatch(r"CID\d{6}").fillna(False)
    rec["_prio"] = rec["source_id"].map(registry.priority) - 10 * has_cid.astype(int)
    rec["_prec"] = rec["geo_precision"].map(PRECISION_RANK).fillna(9)
    rec["_default_id"] = [
        default_site_id(s, r, m)
        for s, r, m in zip(rec["source_id"], rec["source_ref"], rec["rmi_id"], strict=True)
    ]

    sites = _assemble_sites(rec)
    _borrow_points(sites, rec, borrowed)
    candidates += [
        (g, j, score, f"placed at this record's point: {note}")
        for g, j, score, note, *_ in borrowed
    ]
    gid_to_site = dict(zip(sites["_group"], sites["site_id"], strict=True))
    sites = sites.drop(columns="_group")
    rec["site_id"] = rec["_group"].map(gid_to_site)
    site_records = rec[["site_id", "source_id", "source_ref", "name"]].copy()
    site_records["match"] = np.where(rec["site_id"] == rec["_default_id"], "self", "merged")
    site_records["match_method"] = np.where(
        site_records["match"] == "self",
        None,
        rec["_match_method"].where(rec["_match_method"].notna(), "rmi_id"),
    )
    site_records["match_score"] = rec["_match_score"]
    site_records["match_basis"] = rec["_match_basis"]
    site_records["geo_method"] = rec.get("geo_method")
    site_records["placed_by"] = rec.get("placed_by")
    cand = _candidates_frame(rec, candidates)
    dup = sites["site_id"].duplicated(keep=False)
    if dup.any():
        raise ValueError(f"site_id collision: {sorted(sites.loc[dup, 'site_id'])[:5]}")
    stats = {
        "records": len(rec),
        "sites": len(sites),
        "duplicates_merged": len(rec) - len(sites),
        "icmm_smelters_joined_to_rmi": len(icmm_matches),
        "mine_pairs_merged": mines_merged,
        "cross_source_matches": len(confident),
        "match_candidates": len(cand),
    }
    return (
        sites.sort_values("site_id").reset_index(drop=True),
        site_records.sort_values(["site_id", "source_id", "source_ref"]).reset_index(drop=True),
        stats,
        cand,
    )


def _borrow_points(sites: pd.DataFrame, rec: pd.DataFrame, borrowed: list) -> None:
    """A site whose matched record is shared with other listed IDs takes that record's point
    (geo_method matched_record) without merging: the record stays in its own site. A fifth
    item, where given, is the precision the point stands for (a deposit's point for a plant
    named after it: 'city'); else 'exact'."""
    row_of = {g: k for k, g in enumerate(sites["_group"].to_numpy())}
    for g, j, _score, note, *precision in borrowed:
        k = row_of.get(rec.at[int(g), "_group"])
        if k is None or sites.iloc[k]["geo_precision"] == "exact":
            continue
        idx = sites.index[k]
        sites.loc[idx, ["lat", "lon"]] = [float(rec.at[j, "lat"]), float(rec.at[j, "lon"])]
        sites.loc[idx, "geo_precision"] = precision[0] if precision else "exact"
        sites.loc[idx, "geo_method"] = "matched_record"
        sites.loc[idx, "geo_note"] = (
            f"coordinates from {rec.at[j, 'source_id']} record {rec.at[j, 'source_ref']}: {note}"
        )


def _note_match(rec: pd.DataFrame, i: int, method: str, score: float, basis: str) -> None:
    rec.at[i, "_match_method"] = method
    rec.at[i, "_match_score"] = float(score)
    rec.at[i, "_match_basis"] = basis


CANDIDATE_COLUMNS = [
    "site_id", "source_id", "source_ref", "candidate_name", "score", "basis",
]  # fmt: skip


def _candidates_frame(rec: pd.DataFrame, candidates: list) -> pd.DataFrame:
    """One row per (site, candidate record) a maintainer should look at; never merged."""
    rows = []
    site_of = dict(zip(rec["_group"].to_numpy(), rec["site_id"].to_numpy(), strict=True))
    for g, j, score, basis in candidates:
        site = site_of[rec.at[int(g), "_group"]]
        rows.append(
            {
                "site_id": site,
                "source_id": rec.at[j, "source_id"],
                "source_ref": str(rec.at[j, "source_ref"]),
                "candidate_name": rec.at[j, "name"],
                "score": float(score),
                "basis": basis,
            }
        )
    df = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    # a pair listed twice keeps the row that says the site was placed at the record
    placed = df["basis"].str.startswith("placed at this record's point")
    return (
        df.loc[placed.sort_values(ascending=False, kind="stable").index]
        .drop_duplicates(["site_id", "source_id", "source_ref"])
        .sort_values(
            ["site_id", "score", "source_id", "source_ref"], ascending=[True, False, True, True]
        )
        .reset_index(drop=True)
    )
