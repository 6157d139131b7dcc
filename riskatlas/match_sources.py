"""Matching brand-listed and RMI facilities to located records of other sources by name.

Why: brands list copper, nickel and lithium plants and mines by RMI ID and a name only
("Collahuasi", "Ras Al-Khair", "Nanguo Copper"); ICMM, MinMod/MRDS and USGS Africa often hold the
same place with exact coordinates under a similar name. A match is accepted only when it is
unambiguous: same country, a shared mineral, a high name score, and no rival candidate close
behind. Everything in between goes to ``match_candidates`` for a maintainer (``python -m
riskatlas matches``); nothing is merged on a guess.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from unidecode import unidecode

from riskatlas import sources as registry
from riskatlas.facility_names import WORD, name_variants, short_single, subset_score

# Located sources matched against (SourceInfo.match_role = "target", in build order: ICMM,
# MinMod/MRDS, USGS Africa) and sources whose smelters are matched ("query": RMI's list, the
# brands' lists, older RMI IDs, imports); each source declares its role (riskatlas.sources).
SAME_PLACE_KM = 30.0  # rivals this close to the best candidate describe the same place
CONFIDENT = 90.0  # name score for a merge ...
MARGIN = 6.0  # ... with no rival candidate this close behind
CANDIDATE = 80.0  # scores from here up (or confident ones that failed a check) are listed
METHOD = "name_country_mineral"


def match_groups(rec: pd.DataFrame, groups: np.ndarray) -> tuple[list, list, list]:
    """Confident (query group, target record, score, basis) merges, points to borrow without a
    merge, and candidate rows.

    ``rec`` is resolve's record frame; ``groups`` each record's group (union-find root).
    Query groups: smelter records of groups with no exact point. Targets: exact records of
    ICMM, MinMod/MRDS and USGS Africa, same country, sharing a mineral.
    """
    exact = rec["geo_precision"].eq("exact").to_numpy()
    group_exact = pd.Series(exact).groupby(groups).any()
    countries = rec["country_iso3"].tolist()
    query = (
        rec["tier"].eq("smelter_refiner") & rec["source_id"].isin(registry.with_role("query"))
    ).to_numpy()
    wanted = {countries[i] for i in np.flatnonzero(query) if isinstance(countries[i], str)}
    # only the countries some unplaced smelter states: the pools stay small and quick to build
    is_target = (
        rec["source_id"].isin(registry.with_role("target")).to_numpy()
        & exact
        & rec["country_iso3"].isin(list(wanted)).to_numpy()
    )
    targets = np.flatnonzero(is_target).tolist()
    by_country: dict[str, list[int]] = {}
    for j in targets:
        by_country.setdefault(countries[j], []).append(j)
    names_col = rec["name"].tolist()
    sources = rec["source_id"].tolist()
    t_names = {j: name_variants(names_col[j]) for j in targets}
    if "other_names" in rec.columns:
        others = rec["other_names"].tolist()
        for j in targets:
            extra = others[j]
            if isinstance(extra, list | tuple | np.ndarray):
                for n in extra:
                    t_names[j] += [v for v in name_variants(n) if v not in t_names[j]]

    pools: dict[str, tuple[list[str], list[int]]] = {}
    words: dict[str, dict[str, list[int]]] = {}  # word -> positions in the pool
    distinct: dict[str, tuple[list[str], list[list[int]]]] = {}
    memo: dict[tuple[str, str], list] = {}
    for c, js in by_country.items():
        flat = [v for j in js for v in t_names[j]]
        pools[c] = (flat, [j for j in js for _ in t_names[j]])
        # each distinct name once (MRDS repeats names), with the pool positions it stands for
        positions: dict[str, list[int]] = {}
        for k, v in enumerate(flat):
            positions.setdefault(v, []).append(k)
        distinct[c] = (list(positions), list(positions.values()))
        # whole names inside longer ones are looked up against ICMM only (MRDS prospects are
        # named after places: "Tennessee")
        index: dict[str, list[int]] = {}
        for k, v in enumerate(flat):
            if sources[pools[c][1][k]] == "icmm":
                for w in set(v.split()):
                    index.setdefault(w, []).append(k)
        words[c] = index
    by_group: dict[int, list[int]] = {}
    for i in rec.index[query]:
        g = int(groups[i])
        if not group_exact.get(g, False):
            by_group.setdefault(g, []).append(i)

    confident, candidates = [], []
    for g, members in sorted(by_group.items()):
        country = next(
            (
                rec.at[i, "country_iso3"]
                for i in members
                if isinstance(rec.at[i, "country_iso3"], str)
            ),
            None,
        )
        if country is None or country not in by_country:
            continue
        names: list[str] = []
        minerals: set[str] = set()
        for i in members:
            for n in [rec.at[i, "name"], *_aliases(rec, i)]:
                names += [v for v in name_variants(n) if v not in names]
            ms = rec.at[i, "minerals"]
            if isinstance(ms, list | tuple | np.ndarray):
                minerals.update(ms)
        if not names:
            continue
        flat, owner = pools[country]
        uniq, at = distinct[country]
        best_of: dict[int, float] = {}
        for x in names:
            hits = memo.get((country, x))
            if hits is None:  # the same name is listed under several IDs
                hits = memo[(country, x)] = process.extract(
                    x, uniq, scorer=fuzz.token_sort_ratio, score_cutoff=CANDIDATE, limit=None
                )
            for y, s, u in hits:
                if s < 100 and short_single(x, y):
                    s = min(s, 89.0)  # one-word names must agree exactly
                for k in at[u]:
                    j = owner[k]
                    best_of[j] = max(best_of.get(j, 0.0), float(s))
            for w in set(x.split()):
                for k in words[country].get(w, ()):
                    s = subset_score(x, flat[k])
                    if s:
                        best_of[owner[k]] = max(best_of.get(owner[k], 0.0), s)
        scored = []
        for j, s in best_of.items():
            if s < CANDIDATE:
                continue
            tm = rec.at[j, "minerals"]
            shared = sorted(minerals & set(tm if isinstance(tm, list | tuple | np.ndarray) else ()))
            scored.append((s, j, shared))
        if not scored:
            continue
        scored.sort(key=lambda t: (-t[0], str(rec.at[t[1], "source_ref"])))
        best_s, best_j, best_m = scored[0]
        top = [t for t in scored if t[0] >= best_s - MARGIN and t[2]] or scored[:1]
        plain = {_plain(rec.at[i, "name"]) for i in members}

        def pref(t, plain=plain) -> tuple[bool, bool, bool]:
            """Stronger evidence among near-equal candidates: a shared mineral, the very same
            name, and ICMM's own 'High' location confidence."""
            j = t[1]
            conf = rec.at[j, "confidence"] if "confidence" in rec.columns else None
            return (bool(t[2]), _plain(rec.at[j, "name"]) in plain, conf == "High")

        # among equally good candidates, a smelter/refinery record of ICMM speaks for the place
        top.sort(
            key=lambda t: (
                -t[0],
                tuple(not p for p in pref(t)),
                _target_rank(rec, t[1]),
                str(rec.at[t[1], "source_ref"]),
            )
        )
        best_s, best_j, best_m = top[0]
        best_pref = pref(top[0])
        rivals = [
            t
            for t in scored
            if t[1] != best_j
            and t[0] >= best_s - MARGIN
            and pref(t) >= best_pref
            and not _same_place(rec, t[1], best_j, SAME_PLACE_KM)
        ]
        ok = best_s >= CONFIDENT and best_m and not rivals
        for s, j, shared in scored:
            basis = _basis(rec, j, s, shared, country)
            if ok and j == best_j:
                confident.append((g, j, s, basis))
            elif not ok or s < CONFIDENT:
                why = []
                if s < CONFIDENT:
                    why.append(f"name score {s:.0f} below {CONFIDENT:.0f}")
                if not shared:
                    why.append("no shared mineral")
                if rivals:
                    why.append(f"{len(rivals) + 1} candidates within {MARGIN:.0f} points")
                candidates.append(
                    (g, j, s, f"{basis}; not merged: {', '.join(why) or 'ambiguous'}")
                )
    # a target matched by several groups (one plant under an ID per metal: "Kamoto" for
    # copper and cobalt), or already part of a site with an RMI ID, would merge listed IDs:
    # the group borrows its point instead
    cid = rec["rmi_id"].astype("string").str.fullmatch(r"CID\d{6}").fillna(False).to_numpy()
    cid_groups = set(groups[cid].tolist())
    seen: dict[int, int] = {}
    for _g, j, _, _ in confident:
        seen[j] = seen.get(j, 0) + 1
    merged, borrowed = [], []
    for g, j, s, basis in confident:
        if seen[j] > 1:
            note = f"{basis}; {seen[j]} listed IDs match it, so it is not merged into any"
            borrowed.append((g, j, s, note))
        elif groups[j] in cid_groups:
            note = f"{basis}; it already belongs to a site with another RMI ID, so not merged"
            borrowed.append((g, j, s, note))
        else:
            merged.append((g, j, s, basis))
    return merged, borrowed, candidates


def _target_rank(rec: pd.DataFrame, j: int) -> tuple[int, int]:
    tier = 0 if rec.at[j, "tier"] == "smelter_refiner" else 1
    return (tier, registry.with_role("target").index(rec.at[j, "source_id"]))


def _plain(name: object) -> str:
    """A name folded for an exact comparison (case, accents and punctuation only)."""
    if not isinstance(name, str):
        return ""
    return " ".join(WORD.findall(unidecode(name).lower()))


def _aliases(rec: pd.DataFrame, i: int) -> list[str]:
    if "aliases" not in rec.columns:
        return []
    a = rec.at[i, "aliases"]
    return [x for x in a if isinstance(x, str)] if isinstance(a, list | tuple | np.ndarray) else []


def _same_place(rec: pd.DataFrame, a: int, b: int, km: float) -> bool:
    from riskatlas.resolve import haversine_km

    return bool(
        haversine_km(rec.at[a, "lat"], rec.at[a, "lon"], rec.at[b, "lat"], rec.at[b, "lon"]) <= km
    )


def _basis(rec: pd.DataFrame, j: int, score: float, shared: list[str], country: str) -> str:
    what = f"{rec.at[j, 'source_id']} record {rec.at[j, 'source_ref']} '{rec.at[j, 'name']}'"
    minerals = f"shared mineral {', '.join(shared)}" if shared else "no shared mineral"
    return f"name score {score:.0f} with {what}, same country {country}, {minerals}"
