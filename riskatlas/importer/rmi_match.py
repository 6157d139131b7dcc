"""Rows to RMI smelters: by the id the report prints, else by name + country against RMI's list.

The list itself (where it is read from, its keys) is riskatlas.importer.rmi_reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from riskatlas.importer.renames import FORMER_BASIS
from riskatlas.importer.rmi_reference import (
    LEGAL_WORDS,
    REF_COLUMNS,
    Reference,
    country_iso3,
    smelter_key,
)

NAME_THRESHOLD = 88.0  # minimum name score (0-100) after the country penalty
MARGIN = 4.0  # the best smelter must lead the next one by this much
COUNTRY_PENALTY = 15.0  # both countries known and different

# ---- resolution ------------------------------------------------------------------------------


@dataclass
class _Choices:
    keys: list[str]
    full: list[str]  # the same names with legal forms kept
    owner: np.ndarray  # index into ref rows
    by_mineral: dict[str | None, np.ndarray]  # choice indices per mineral
    basis: list[str]  # what each name is: RMI's standard name, an alias, a former name


def _choices(ref: pd.DataFrame, former: dict[str, list[str]] | None = None) -> _Choices:
    keys, full, owner, minerals, basis = [], [], [], [], []
    current: dict[str, set[int]] = {}  # reduced current name -> smelters carrying it
    for i, (std, aliases, mineral) in enumerate(
        zip(ref["standard_smelter_name"], ref["aliases"], ref["mineral"], strict=True)
    ):
        names = [std, *(list(aliases) if isinstance(aliases, list | tuple | np.ndarray) else [])]
        seen = set()
        for n_i, n in enumerate(names):
            k = smelter_key(n)
            if k and k not in seen:
                seen.add(k)
                current.setdefault(k, set()).add(i)
                keys.append(k)
                full.append(smelter_key(n, keep_legal=True))
                owner.append(i)
                minerals.append(mineral)
                basis.append("RMI standard name" if n_i == 0 else "RMI alias")
    if former:
        row_of = {sid: i for i, sid in enumerate(ref["smelter_id"])}
        have = set(zip(keys, owner, strict=True))
        for sid, names in former.items():
            i = row_of.get(sid)
            if i is None:
                continue
            for n in names:
                k = smelter_key(n)
                # A former name that is another smelter's current name would be ambiguous.
                if not k or current.get(k, {i}) != {i} or (k, i) in have:
                    continue
                have.add((k, i))
                keys.append(k)
                full.append(smelter_key(n, keep_legal=True))
                owner.append(i)
                minerals.append(ref.at[i, "mineral"])
                basis.append(FORMER_BASIS)
    owner_a = np.array(owner, dtype=int)
    by_mineral: dict[str | None, np.ndarray] = {}
    for m in set(minerals):
        by_mineral[m] = np.array([j for j, x in enumerate(minerals) if x == m], dtype=int)
    by_mineral[None] = np.arange(len(keys))
    return _Choices(keys, full, owner_a, by_mineral, basis)


def _decide(name: str, s: np.ndarray, owners: np.ndarray, full: list[str]) -> dict:
    """Best smelter for one name and whether it is clear enough to use.

    Clear: a score of at least NAME_THRESHOLD and a lead of MARGIN over any other smelter,
    or an exact reduced-name match where no other smelter matches exactly ("... (Unit 1)"
    against "... (Unit 2)"). When several smelters share the reduced name, the one whose
    full name (legal form included) is the same wins; otherwise it stays a tie.
    ``k`` is the reference name that gave the best score.
    """
    best_by_owner: dict[int, tuple[float, int]] = {}
    for k in np.argsort(-s, kind="stable"):
        if len(best_by_owner) >= 2 and s[k] < 100:
            break
        o = int(owners[k])
        if o not in best_by_owner:
            best_by_owner[o] = (float(s[k]), int(k))
    ranked = sorted(best_by_owner.items(), key=lambda kv: -kv[1][0])
    exact = [o for o, (sc, _) in ranked if sc >= 100]
    if len(exact) > 1:
        qfull = smelter_key(name, keep_legal=True)
        same = [o for o in exact if any(full[k] == qfull for k in np.flatnonzero(owners == o))]
        if len(same) == 1:
            ranked.sort(key=lambda kv: kv[0] != same[0])
            top, second = ranked[0][1][0], 99.0
            k = ranked[0][1][1]
            return {"owner": ranked[0][0], "score": top, "second": second, "ok": True, "k": k}
    top = ranked[0][1][0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    ok = top >= NAME_THRESHOLD and top - second >= MARGIN
    return {"owner": ranked[0][0], "score": top, "second": second, "ok": ok, "k": ranked[0][1][1]}


def name_scores(queries: list[str], choices: list[str]) -> np.ndarray:
    """Similarity (0-100) of each reduced query name to each reduced reference name.

    Word order does not matter (token_sort_ratio), extra words do: "Global Advanced Metals"
    must not pass for "Global Advanced Metals Boyertown", one of several such sites (a
    token_set score, tried, matched short names into long ones and cost 3 points of
    precision on Samsung's list). Names whose numbers differ ("Unit 1" / "Unit 2") lose 15
    points: a number is part of a facility's identity.
    """
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)))
    s = process.cdist(queries, choices, scorer=fuzz.token_sort_ratio, workers=1).astype(float)
    qd = [frozenset(re.findall(r"\d+", q)) for q in queries]
    cd = [frozenset(re.findall(r"\d+", c)) for c in choices]
    cols = [j for j, b in enumerate(cd) if b]
    for i, a in enumerate(qd):
        for j in range(len(cd)) if a else cols:
            if a != cd[j]:
                s[i, j] -= 15.0
    return s


# Hong Kong, Macau and Taiwan are written either as their own country or as part of China
# (RMI files "Heraeus Metals Hong Kong Ltd." under CHINA, state "Hong Kong SAR"); a report
# that writes them the other way is not naming another country.
_SAME_COUNTRY = frozenset({"CHN", "HKG", "MAC", "TWN"})


def same_country(a: object, b: object) -> bool:
    """Two ISO3 codes that name the same place under one of the conventions above."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return a == b or (a in _SAME_COUNTRY and b in _SAME_COUNTRY)


def _country_clash(iso: np.ndarray, country: str) -> np.ndarray:
    """True where a reference smelter has a country and it is not the row's country."""
    return np.array([isinstance(x, str) and bool(x) and not same_country(x, country) for x in iso])


_PAREN = re.compile(r"\(([^()]{2,60})\)")
_DASH = re.compile(r"\s+[-–—]\s+")


def name_variants(name: str) -> list[tuple[str, str]]:
    """Other ways to read a printed name when it does not resolve as it is: (name, how).

    A site or place after the company ("Aurubis AG, Hamburg", "Boliden Mineral AB
    (Ronnskar)") and two names joined by a dash ("Gold Corporation - The Perth Mint") are
    read as the company alone, the site alone with the company's first word (RMI names many
    plants "<Company> <Site>"), and each part of a dashed name.
    """
    from riskatlas.importer.columns import rmi_id

    s = " ".join(str(name).split())
    out: list[tuple[str, str]] = []
    m = _PAREN.search(s)
    if m and not rmi_id(m.group(1)):
        site = m.group(1).strip()
        rest = " ".join((s[: m.start()] + " " + s[m.end() :]).split())
        head = rest.split()[0] if rest.split() else ""
        out += [
            (rest, f"site '({site})' left out"),
            (f"{head} {site}", f"read as company '{head}' + site '{site}'"),
            (f"{rest} {site}", "site in brackets read as part of the name"),
        ]
    if "," in s:
        base, _, place = s.rpartition(",")
        place = place.strip()
        legal = (
            smelter_key(place, keep_legal=True) in LEGAL_WORDS
            or place.lower().rstrip(".") in LEGAL_WORDS
        )
        if place and not legal and len(place.split()) <= 3 and not re.search(r"\d", place):
            head = base.split()[0] if base.split() else ""
            out += [
                (base, f"place '{place}' after the name left out"),
                (f"{head} {place}", f"read as company '{head}' + place '{place}'"),
            ]
    parts = _DASH.split(s)
    if len(parts) == 2:
        out += [(p, f"read as '{p}', one part of a name joined by a dash") for p in parts]
    seen = {smelter_key(s)}
    uniq = []
    for v, why in out:
        k = smelter_key(v)
        if k and k not in seen and len(k) >= 4:
            seen.add(k)
            uniq.append((v, why))
    return uniq


def _match(
    queries: list[tuple[int, str, str | None, str | None]],
    ref: pd.DataFrame,
    former: dict[str, list[str]] | None = None,
) -> dict[int, dict]:
    """Best smelter per query (row index, name, mineral, country iso3), with the runner-up.

    A name that does not resolve as printed, in a row that gives a country, is tried again
    in the forms :func:`name_variants` gives; such a match must be clear and in the same
    country, and says how the name was read (``variant``).
    """
    out: dict[int, dict] = {}
    if not queries or ref.empty:
        return out
    ch = _choices(ref, former)
    ref_iso = ref["country_iso3"].to_numpy()

    def run(qs: list[tuple[int, str, str | None, str | None]]) -> dict[int, list[dict]]:
        got: dict[int, list[dict]] = {}
        groups: dict[str | None, list] = {}
        for q in qs:
            m = q[2] if q[2] in ch.by_mineral else None
            groups.setdefault(m, []).append(q)
        for m, gq in groups.items():
            idx = ch.by_mineral[m]
            if not len(idx):
                continue
            keys = [ch.keys[j] for j in idx]
            scores = name_scores([smelter_key(q[1]) for q in gq], keys)
            owners = ch.owner[idx]
            iso = ref_iso[owners].astype(object)
            full = [ch.full[j] for j in idx]
            for qi, q in enumerate(gq):
                sc = scores[qi].astype(float)
                if q[3]:
                    sc = sc - COUNTRY_PENALTY * _country_clash(iso, q[3])
                d = _decide(q[1], sc, owners, full)
                d["basis"] = ch.basis[int(idx[d["k"]])]
                got.setdefault(q[0], []).append(d)
        return got

    for i, ds in run(queries).items():
        out[i] = ds[0]
    # Second reading: a site, place or second name printed with the company.
    tries: list[tuple[int, str, str | None, str | None]] = []
    how: dict[int, list[str]] = {}
    n = 0
    for q in queries:
        if q[3] and not out.get(q[0], {}).get("ok"):
            for v, why in name_variants(q[1]):
                tries.append((n, v, q[2], q[3]))
                how[n] = [q[0], why]
                n += 1
    if tries:
        for t, ds in sorted(run(tries).items()):
            d, (i, why) = ds[0], how[t]
            if i in out and out[i].get("ok"):
                continue  # an earlier reading of the same row resolved it
            if d["ok"] and same_country(ref_iso[d["owner"]], tries[t][3]):
                out[i] = {**d, "variant": why}
    return out


def resolve_rows(rows: pd.DataFrame, reference: Reference | None) -> pd.DataFrame:
    """Add smelter_id, resolved_by, match_score and the reference's view of each row.

    Decisions:
    - A well-formed RMI id (CID + 6 digits) printed in the row is taken as given (resolved_by
      'id'), also when the reference list lacks it: the list lags the reports, and an id the
      brand printed is a fact of the disclosure. ``id_in_reference`` says whether RMI's list
      has it. No id is ever made up.
    - Any other id (e.g. a brand's own 'CIDSN2285') stays in ``id_as_reported`` and the row
      is resolved by name like a row without id.
    - A name match needs the same metal (when the row gives one), a score of at least
      NAME_THRESHOLD after the country penalty, and a lead of MARGIN over the next smelter;
      otherwise the row stays 'unresolved', its best candidate shown beside it
      (candidate_id, candidate_name) but never used as its id.
    """
    from riskatlas.importer.columns import rmi_id

    df = rows.copy()
    ref = (
        reference.table.reset_index(drop=True)
        if reference is not None
        else pd.DataFrame(columns=REF_COLUMNS)
    )
    by_id = {sid: i for i, sid in enumerate(ref["smelter_id"])}
    df["country_iso3"] = [country_iso3(c) for c in df["country"]]
    ids = [rmi_id(v) for v in df["id_as_reported"]]
    queries = [
        (i, n, m, c)
        for i, (sid, n, m, c) in enumerate(
            zip(ids, df["smelter_name"], df["metal"], df["country_iso3"], strict=True)
        )
        if sid is None and isinstance(n, str) and n.strip()
    ]
    matches = _match(queries, ref, getattr(reference, "former", None))
    out = {k: [] for k in ("smelter_id", "resolved_by", "match_score", "id_in_reference",
                           "reference_name", "candidate_id", "candidate_name",
                           "match_basis")}  # fmt: skip
    for i, sid in enumerate(ids):
        cand_id = cand_name = basis = None
        if sid is not None:
            basis = "RMI id printed in the row"
            j = by_id.get(sid)
            row = (
                "id",
                sid,
                None,
                j is not None,
                ref.at[j, "standard_smelter_name"] if j is not None else None,
            )
        elif i in matches:
            mt = matches[i]
            j = mt["owner"]
            ok = mt["ok"]
            cand_id, cand_name = ref.at[j, "smelter_id"], ref.at[j, "standard_smelter_name"]
            score = round(max(mt["score"], 0.0), 1)
            if ok:
                row = ("name", cand_id, score, True, cand_name)
                basis = f"name + country against {mt['basis']}" + (
                    f"; {mt['variant']}" if mt.get("variant") else ""
                )
            else:
                row = ("unresolved", None, score, None, None)
                basis = f"best candidate below the threshold ({NAME_THRESHOLD:g}, lead {MARGIN:g})"
        else:
            row = ("unresolved", None, None, None, None)
        kind, found, score, in_ref, ref_name = row
        out["resolved_by"].append(kind)
        out["smelter_id"].append(found)
        out["match_score"].append(score)
        out["id_in_reference"].append(in_ref)
        out["reference_name"].append(ref_name)
        out["candidate_id"].append(cand_id)
        out["candidate_name"].append(cand_name)
        out["match_basis"].append(basis)
    for k, v in out.items():
        df[k] = v
    # A row that gave an id but no metal takes the metal RMI lists for that id.
    ref_mineral = dict(zip(ref["smelter_id"], ref["mineral"], strict=True))
    missing = df["metal"].isna() & df["smelter_id"].notna()
    df.loc[missing, "metal"] = df.loc[missing, "smelter_id"].map(ref_mineral)
    df.loc[missing & df["metal"].notna(), "metal_from"] = "reference"
    return df
