"""What changed between two years of a brand's lists: sites added, dropped and kept.

Why matching: Apple prints the same supplier as "Alps Electric Co., Ltd." one year and "Alps
Electric Company Limited" the next, and re-spells addresses; compared by the printed text, a
spelling change reads as one site dropped and another added. And from 2020 on Apple prints only
the province, not the street: a 2018 street address and a 2022 province cannot be compared as
sites, so such a pair of years is compared by supplier and province (a "unit"), and the view says
so. Only documented links (the brand's own lists) enter; never inferred exposure.

Matching, in order, one to one, each match keeping its basis:
1. the same key (site id; or supplier + country + province when compared by province);
2. the same supplier under another spelling: company names reduced (riskatlas.brands.company_key)
   and compared with rapidfuzz in the same country and province (and, site by site, at an
   address that agrees), accepted only when the best candidate is clear and mutual;
3. anything less certain is not merged: it stays added / dropped with its possible match shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from riskatlas.brands import company_key, slug
from riskatlas.sources.apple import STREET_ABBREVIATIONS

ACCEPT = 90.0  # a supplier-name score at or above which a clear, mutual best match is kept
POSSIBLE = 80.0  # below ACCEPT and at least this: shown as a possible match, never merged
CLEAR_MARGIN = 5.0  # the best candidate must beat the next by this much
ADDRESS_ACCEPT = 85.0  # site by site, the addresses must agree this well too
GENERIC_SHARE = 0.015  # an address word in more than this share of addresses tells nothing
DISTINCT_SHARE = 0.67  # share of each address's distinctive words the other must contain
WORD_FOUND = 85.0  # a distinctive word counts as found at this partial-ratio ("economy"/"-ic")
REGION_ONLY_SHARE = 0.5  # a year whose links are mostly placed at province level or coarser
STATUSES = ("kept", "added", "dropped")
# our geocoder's notes end a place with "(<GeoNames admin1>, <country code>)"; see geocoding.md
_ADMIN1 = re.compile(r"\(([^(),]+), [A-Z]{2}\)")
_DIGITS = re.compile(r"\d+")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


@dataclass(frozen=True)
class Change:
    """The change table (one row per unit: status, basis, both years' citations), and how it was
    compared."""

    table: pd.DataFrame
    by_province: bool  # compared by supplier and province (one year gives only provinces)
    naive_moved: int  # units counted as dropped-and-added if printed text had to match exactly
    matched_moved: int  # the same after matching spellings

    def counts(self) -> dict[str, int]:
        c = self.table["status"].value_counts()
        return {s: int(c.get(s, 0)) for s in STATUSES}


def admin1(geo_note: object) -> str | None:
    """The GeoNames admin1 (province, state) our geocoder named for a point, or None."""
    if not isinstance(geo_note, str):
        return None
    found = _ADMIN1.findall(geo_note)
    return found[-1].strip() if found else None


def region_only(year_rows: pd.DataFrame) -> bool:
    """Whether a year's list gives only regions: most of its sites are placed at province level
    or coarser (Apple from 2020)."""
    if year_rows.empty:
        return False
    coarse = year_rows["geo_precision"].isin(["province", "country"]).mean()
    return bool(coarse >= REGION_ONLY_SHARE)


def units(rows: pd.DataFrame, by_province: bool) -> pd.DataFrame:
    """One row per unit of one year: a site, or a supplier in a province (by_province)."""
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "key",
                "naive_key",
                "company",
                "name",
                "country_iso3",
                "country_name",
                "province",
                "address",
                "tier",
                "lat",
                "lon",
                "labour",
                "environment",
                "site_ids",
                "rmi_removed",
                "citation",
            ]
        )
    df = rows.copy()
    if "rmi_removed" not in df:
        df["rmi_removed"] = None
    df["company"] = [company_key(n) for n in df["name"]]
    df["province"] = [admin1(g) for g in df["geo_note"]]
    printed = df["name_as_reported"].fillna(df["name"]).astype(str).str.strip()
    if by_province:
        df["key"] = df["company"] + "|" + df["country_iso3"].fillna("") + "|"
        df["key"] += df["province"].fillna("")
        df["naive_key"] = printed + "|" + df["country_iso3"].fillna("") + "|"
        df["naive_key"] += df["province"].fillna("")
    else:
        df["key"] = df["site_id"]
        df["naive_key"] = printed + "|" + df["address_as_reported"].fillna("").astype(str)
    grouped = df.groupby("key", sort=True)
    out = grouped.agg(
        naive_key=("naive_key", "first"),
        company=("company", "first"),
        name=("name", "first"),
        country_iso3=("country_iso3", "first"),
        country_name=("country_name", "first"),
        province=("province", "first"),
        address=("address_as_reported", "first"),
        tier=("tier", "first"),
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        labour=("labour", "mean"),
        environment=("environment", "mean"),
        site_ids=("site_id", lambda s: "; ".join(sorted(set(s)))),
        rmi_removed=(
            "rmi_removed",
            lambda s: "; ".join(sorted({v for v in s if isinstance(v, str)})),
        ),
        citation=("citation", lambda s: "; ".join(sorted(set(s)))),
    ).reset_index()
    # naive comparison: every printed variant is its own unit
    out["naive_keys"] = grouped["naive_key"].agg(lambda s: tuple(sorted(set(s)))).to_numpy()
    return out


def _words(address: object) -> list[str]:
    """An address as lower-case words, street abbreviations spelled out ("Rd" -> "road") and
    ordinals as numbers ("2nd" -> "2")."""
    words = (_ORDINAL.sub(r"\1", w) for w in slug(address).split("-") if w)
    return [STREET_ABBREVIATIONS.get(w, w) for w in words]


def generic_words(addresses: pd.Series) -> frozenset[str]:
    """Words too common among these addresses to tell two sites apart ("industrial", "road",
    "shenzhen"): those in more than GENERIC_SHARE of them, numbers and short words."""
    docs = [set(_words(a)) for a in addresses]
    counts: dict[str, int] = {}
    for d in docs:
        for w in d:
            counts[w] = counts.get(w, 0) + 1
    limit = max(2, GENERIC_SHARE * len(docs))
    return frozenset(w for w, n in counts.items() if n > limit or len(w) < 3 or w.isdigit())


def _numbers_agree(x: object, y: object) -> bool:
    """Whether two addresses' numbers agree: one's numbers are among the other's (or one has
    none). "No 168 Hezuo Road" and "No 888 Hezuo Road" are different buildings."""
    nx, ny = set(_DIGITS.findall(str(x or ""))), set(_DIGITS.findall(str(y or "")))
    return not nx or not ny or nx <= ny or ny <= nx


def _distinct_agree(x: object, y: object, generic: frozenset[str]) -> bool:
    """Whether the distinctive words of each address appear in the other (spaces ignored, so
    "Jin Xi" and "Jinxi" agree): "Junda Industrial Park" and "Zhengwei Industrial Park" in the
    same town are different sites, however alike the rest of the address."""
    wx, wy = _words(x), _words(y)
    joined_x, joined_y = "".join(wx), "".join(wy)
    for words, other in ((wx, joined_y), (wy, joined_x)):
        distinct = [w for w in dict.fromkeys(words) if w not in generic]
        found = sum(fuzz.partial_ratio(w, other) >= WORD_FOUND for w in distinct)
        if distinct and found / len(distinct) < DISTINCT_SHARE:
            return False
    return True


def _scores(
    a: pd.DataFrame, b: pd.DataFrame, by_province: bool, generic: frozenset[str] = frozenset()
) -> np.ndarray:
    """How well each unit of one year agrees with each of the other (0-100), for one country:
    the supplier name, and site by site the address as well; by province, 0 across provinces.
    Site by site, a pair whose address differs in its numbers or its distinctive words scores
    at most a possible match, never a kept one."""
    name = process.cdist(
        list(a["company"]), list(b["company"]), scorer=fuzz.token_sort_ratio, workers=1
    )
    if by_province:
        same = a["province"].fillna("").to_numpy()[:, None] == b["province"].fillna("").to_numpy()
        return np.where(same, name, 0.0)
    words_a = [" ".join(_words(x)) for x in a["address"]]
    words_b = [" ".join(_words(x)) for x in b["address"]]
    address = np.maximum(  # word by word, or with spaces ignored ("Nan Song" / "Nansong")
        process.cdist(words_a, words_b, scorer=fuzz.token_set_ratio, workers=1),
        process.cdist(
            [w.replace(" ", "") for w in words_a],
            [w.replace(" ", "") for w in words_b],
            scorer=fuzz.ratio,
            workers=1,
        ),
    )
    score = np.minimum(name, address)
    out = np.where(address >= ADDRESS_ACCEPT, score, 0.0)
    for i, j in zip(*np.nonzero(out >= ACCEPT), strict=True):
        xa, xb = a["address"].iloc[i], b["address"].iloc[j]
        if not (_numbers_agree(xa, xb) and _distinct_agree(xa, xb, generic)):
            out[i, j] = min(out[i, j], ACCEPT - 1)  # shown as a possible match only
    return out


def compare(before: pd.DataFrame, after: pd.DataFrame, by_province: bool) -> pd.DataFrame:
    """The change table of two years' units: kept (with the basis of the match), added,
    dropped (each with its possible match when one is close but not certain)."""
    a = units(before, by_province).set_index("key", drop=False)
    b = units(after, by_province).set_index("key", drop=False)
    basis = (
        "same supplier, country and province"
        if by_province
        else "same site (supplier and address as normalised)"
    )
    kept: dict[str, tuple[str, str, float]] = {
        k: (k, basis, 100.0) for k in sorted(set(a.index) & set(b.index))
    }
    left = a.drop(index=list(kept))
    right = b.drop(index=list(kept))
    possible: dict[str, tuple[str, float]] = {}
    generic = generic_words(pd.concat([a["address"], b["address"]]))
    for country, la in left.groupby("country_iso3", sort=True):
        rb = right[right["country_iso3"] == country]
        if rb.empty:
            continue
        m = _scores(la, rb, by_province, generic)
        m = np.where(m >= POSSIBLE, m, 0.0)
        for i, ka in enumerate(la.index):
            row = m[i]
            j = int(row.argmax())
            top = float(row[j])
            if top < POSSIBLE:
                continue
            kb = rb.index[j]
            col = m[:, j]
            clear = np.sort(row)[-2] <= top - CLEAR_MARGIN if len(row) > 1 else True
            mutual = int(col.argmax()) == i and (
                len(col) == 1 or np.sort(col)[-2] <= top - CLEAR_MARGIN
            )
            if top >= ACCEPT and clear and mutual:
                kept[ka] = (kb, f"same supplier, spelled differently (score {top:.0f})", top)
            else:
                possible[ka] = (kb, top)
    rows = []
    for ka in a.index:
        ua = a.loc[ka]
        if ka in kept:
            kb, why, score = kept[ka]
            rows.append(_row("kept", ua, b.loc[kb], why, score, None))
        else:
            hint = possible.get(ka)
            note = f"possible match: {b.loc[hint[0], 'name']} ({hint[1]:.0f})" if hint else None
            rows.append(_row("dropped", ua, None, None, None, note))
    matched_b = {v[0] for v in kept.values()}
    hinted = {h[0]: ka for ka, h in possible.items()}
    for kb in b.index:
        if kb in matched_b:
            continue
        note = f"possible match: {a.loc[hinted[kb], 'name']}" if kb in hinted else None
        rows.append(_row("added", None, b.loc[kb], None, None, note))
    table = pd.DataFrame(rows)
    order = {s: i for i, s in enumerate(("added", "dropped", "kept"))}
    return table.sort_values(
        ["status", "country_name", "name"], key=lambda c: c.map(order) if c.name == "status" else c
    ).reset_index(drop=True)


def _row(status, ua, ub, basis, score, note) -> dict:
    """One change row: what it is (from the later year where it exists), both years' citations."""
    main = ub if ub is not None else ua
    return {
        "status": status,
        "name": main["name"],
        "name_before": None if ua is None else ua["name"],
        "tier": main["tier"],
        "country_iso3": main["country_iso3"],
        "country_name": main["country_name"],
        "province": main["province"],
        "lat": main["lat"],
        "lon": main["lon"],
        "labour": main["labour"],
        "environment": main["environment"],
        "rmi_removed": (ub if ub is not None else ua)["rmi_removed"] or None,
        "match_basis": basis,
        "match_score": score,
        "note": note,
        "address_before": None if ua is None else ua["address"],
        "address_after": None if ub is None else ub["address"],
        "site_ids_before": None if ua is None else ua["site_ids"],
        "site_ids_after": None if ub is None else ub["site_ids"],
        "citation_before": None if ua is None else ua["citation"],
        "citation_after": None if ub is None else ub["citation"],
    }


def naive_moved(before: pd.DataFrame, after: pd.DataFrame, by_province: bool) -> int:
    """Units that would count as dropped plus added if the printed name (and address) had to
    match exactly: what the matching saves a reader from misreading as churn."""
    ka = {k for ks in units(before, by_province)["naive_keys"] for k in ks}
    kb = {k for ks in units(after, by_province)["naive_keys"] for k in ks}
    return len(ka - kb) + len(kb - ka)


def change(links: pd.DataFrame, year_from: int, year_to: int) -> Change:
    """The change between two years of one brand's documented links (rows of
    queries/brand_year_links.sql)."""
    before = links[links["year"] == year_from]
    after = links[links["year"] == year_to]
    by_province = region_only(before) or region_only(after)
    table = compare(before, after, by_province)
    moved = int(table["status"].isin(["added", "dropped"]).sum())
    return Change(table, by_province, naive_moved(before, after, by_province), moved)


def summary_by(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Added, dropped and kept per value of ``column`` (country_name, province, tier)."""
    if table.empty:
        return pd.DataFrame(columns=[column, *STATUSES])
    counts = (
        table.assign(**{column: table[column].fillna("unknown")})
        .pivot_table(index=column, columns="status", values="name", aggfunc="count", fill_value=0)
        .reindex(columns=list(STATUSES), fill_value=0)
        .reset_index()
    )
    counts["total"] = counts[list(STATUSES)].sum(axis=1)
    return counts.sort_values("total", ascending=False).drop(columns="total")


def risk_of(table: pd.DataFrame) -> pd.DataFrame:
    """Mean labour and environment risk of what was added, dropped and kept (units with a known
    score; how many are unknown is said beside)."""
    rows = []
    for status in STATUSES:
        part = table[table["status"] == status]
        rows.append(
            {
                "status": status,
                "units": len(part),
                "mean labour risk": part["labour"].mean(),
                "mean environment risk": part["environment"].mean(),
                "labour unknown": int(part["labour"].isna().sum()),
            }
        )
    return pd.DataFrame(rows)
