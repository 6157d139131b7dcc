"""Placing a listed smelter at a located record that shares its one distinctive word.

Why: brands list plants by a company-and-place name ("Kaz Minerals Balkash", "SOCIETE MINIERE
DE DEZIWA SAS", "Boliden Odda", "Khatoon Abad") while ICMM, MinMod/MRDS and USGS Africa hold
the same place under another ("Balkhash Smelter", "CNMC Deziwa", "Odda", "Khatoonabad
smelter"). The whole-name matcher (riskatlas.match_sources) scores such pairs too low. Here a
pair counts when the listed name's distinctive word (not a company, legal-form, trade or
country word; five letters or more) is a word of located records of the same country and
*every* such record lies at one place (within ``SAME_PLACE_KM``): then that word names one
place in that country's records, and the plant is there. Spellings meet when the words are
equal, when two adjacent words written together are ("Sar Chesmeh" / "Sarchesmeh"), or when
two long words differ by a letter (rapidfuzz ratio >= ``WORD_RATIO``: "Balkash"/"Balkhash").

Nothing is merged: the listed site borrows the record's point (geo_method matched_record) and
the pair is listed with ``python -m riskatlas matches`` with its basis; the word, the record
and any mineral disagreement are said. Scattered records, several words pointing to different
places, or a record sharing no mineral with a plant that is not a smelter in the record go to
the candidates only. Only smelters still at country level (or unplaced) are read: a city
from RMI's own fields is never overridden by a word.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from unidecode import unidecode

from riskatlas import sources as registry
from riskatlas.facility_names import GENERIC, WORD
from riskatlas.geo import gazetteer as gz
from riskatlas.geo import gazetteer_cache
from riskatlas.geo.cities import distance_km
from riskatlas.geo.name_places import COMPANY_WORDS

SAME_PLACE_KM = 30.0  # records of the word this close describe one place
INSIDE = frozenset({"al", "de", "la", "el"})  # joining words of place names
JOINED = 7  # words written together must make this many letters
MIN_LETTERS = 5  # shorter words ("Ray", "KOV", "Kola") meet other places by chance
WORD_RATIO = 90.0  # two long words this alike are one spelling apart ("balkash"/"balkhash")
LONG_WORD = 6  # ... and both must be this long
LONG_FUZZY = 8  # on a mine's record, only words this long may differ by a letter
METHOD = "distinctive_word"
MAX_LISTED = 3  # a word of more records than this is listed for no one
SCORE = 90.0  # the score such a pair is listed with (below a whole-name match of 100)
# words of names that say what a site is or where it is in general, not which one it is
SITE_WORDS = frozenset(
    """
    societe miniere minier compania sociedad contractual empresa corporacion proejct
    oxidos oxides sulphides sulfides deposit deposits area areas camp valley creek river lake
    mountain hill hills north south east west central upper lower new old phase stage expansion
    sulphate sulfate hydroxide carbonate hydromet hydrometallurgical electrowinning heap leach
    concentrate concentrates tailings port bay salar cerro mina minas mining sarlu sasu
    stainless steel ferroalloy ferroalloys ferronickel matte powder battery batteries
    electronics chemical chemicals materials material technology energy specialty speciality
    mantos huettenwerke huettenwerk huttenwerk huttenwerke concentration sulphuric sulfuric
    """.split()
)


_TRADE = GENERIC - INSIDE | COMPANY_WORDS | SITE_WORDS


@functools.lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from riskatlas.geo.text import country_words

    return GENERIC | COMPANY_WORDS | SITE_WORDS | country_words()


def distinctive_words(name: object) -> list[str]:
    """The words of a name that can name a place: lower-case ASCII, no company, legal-form,
    trade, site or country words, at least ``MIN_LETTERS`` letters; adjacent words written
    together are added ("khatoon abad" -> "khatoonabad")."""
    if not isinstance(name, str):
        return []
    return list(_distinctive(name))


@functools.lru_cache(maxsize=65536)
def _distinctive(name: str) -> tuple[str, ...]:
    raw = WORD.findall(unidecode(name).lower().replace("-", ""))
    stop = _stop()
    out = [w for w in raw if w not in stop and len(w) >= MIN_LETTERS and not w.isdigit()]
    # "Sar Chesmeh" / "Sarcheshmeh", "Ras Al Khair" / "Ras Al-Khair": words written together
    # (a country word such as "SAR" may be part of a place name; trade words may not)
    trade = _TRADE
    for n in (2, 3):
        for k in range(len(raw) - n + 1):
            part = raw[k : k + n]
            joined = "".join(part)
            ends = part[0] in INSIDE or part[-1] in INSIDE  # "al", "de" only inside
            if (
                not ends
                and not any(w in trade or w.isdigit() for w in part)
                and len(joined) >= JOINED
            ):
                out.append(joined)
    return tuple(dict.fromkeys(out))


def _plain(name: object) -> str:
    """A name folded for an exact comparison (case, accents and punctuation only)."""
    return " ".join(WORD.findall(unidecode(name).lower())) if isinstance(name, str) else ""


def _left_over(name: object, hits: dict) -> bool:
    """True when a distinctive word of the name after its first matched word is unmatched."""
    words = [w for w in distinctive_words(name) if w in _plain_words(name)]
    seen = False
    for w in words:
        if w in hits or _joined(w, hits):
            seen = True
        elif seen:
            return True
    return False


def _plain_words(name: object) -> set[str]:
    return (
        set(WORD.findall(unidecode(name).lower().replace("-", "")))
        if isinstance(name, str)
        else set()
    )


def _joined(q: str, hits: dict) -> bool:
    """True when the word is two matched words written together, or one of two words whose
    joined form matched ("khatoon abad" matched as "khatoonabad")."""
    return any(q != h and (q in h or h in q) for h in hits)


def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    return (
        len(a) >= LONG_WORD
        and len(b) >= LONG_WORD
        and a[0] == b[0]
        and fuzz.ratio(a, b) >= WORD_RATIO
    )


def _km(rec: pd.DataFrame, a: int, b: int) -> float:
    return distance_km(rec.at[a, "lat"], rec.at[a, "lon"], rec.at[b, "lat"], rec.at[b, "lon"])


def _minerals(v) -> set[str]:
    return set(v) if isinstance(v, list | tuple | np.ndarray) else set()


def word_matches(rec: pd.DataFrame, groups: np.ndarray, skip: set[int]) -> tuple[list, list]:
    """(borrowed, candidates): (query group, target record, score, basis) tuples.

    Query groups: smelter records of a query source whose group has no point finer than the
    country (``skip``: groups another rule already placed). Targets: exact records of the
    target sources (ICMM, MinMod/MRDS, USGS Africa) in the same country.
    """
    prec = rec["geo_precision"]
    fine = prec.isin(["exact", "city", "province"]).to_numpy()
    group_fine = pd.Series(fine).groupby(groups).any()
    query = (
        rec["tier"].eq("smelter_refiner") & rec["source_id"].isin(registry.with_role("query"))
    ).to_numpy()
    by_group: dict[int, list[int]] = {}
    for i in np.flatnonzero(query):
        g = int(groups[i])
        if g not in skip and not group_fine.get(g, False):
            by_group.setdefault(g, []).append(int(i))
    if not by_group:
        return [], []
    countries = rec["country_iso3"].tolist()
    wanted = {countries[i] for m in by_group.values() for i in m if isinstance(countries[i], str)}
    is_target = (
        rec["source_id"].isin(registry.with_role("target")).to_numpy()
        & prec.eq("exact").to_numpy()
        & rec["country_iso3"].isin(list(wanted)).to_numpy()
    )
    index: dict[str, dict[str, list[int]]] = {}  # country -> word -> target records
    others = rec["other_names"].tolist() if "other_names" in rec.columns else [None] * len(rec)
    # ICMM's group names are not read: a cluster's names follow its company ("Amarillo", the
    # Texas refinery, in the Arizona 'Hayden smelter' cluster) and its point is an average
    names_col = rec["name"].tolist()
    for j in np.flatnonzero(is_target):
        names = [names_col[j]]
        for extra in (others[j],):  # MinMod/MRDS other names
            if isinstance(extra, str):
                names += [x for x in extra.split(";") if x.strip()]
            elif isinstance(extra, list | tuple | np.ndarray):
                names += [x for x in extra if isinstance(x, str)]
        ws = {w for n in names for w in distinctive_words(n)}
        for w in ws:
            index.setdefault(countries[j], {}).setdefault(w, []).append(int(j))

    borrowed, candidates = [], []
    vocabularies: dict[str, list[str]] = {}
    for g, members in sorted(by_group.items()):
        country = next((countries[i] for i in members if isinstance(countries[i], str)), None)
        words_of_country = index.get(country) if country else None
        if not words_of_country:
            continue
        qwords: list[str] = []
        minerals: set[str] = set()
        for i in members:
            names = [rec.at[i, "name"]]
            a = rec.at[i, "aliases"] if "aliases" in rec.columns else None
            if isinstance(a, list | tuple | np.ndarray):
                names += [x for x in a if isinstance(x, str)]
            for n in names:
                qwords += [w for w in distinctive_words(n) if w not in qwords]
            minerals |= _minerals(rec.at[i, "minerals"])
        hits: dict[str, set[int]] = {}
        vocab = vocabularies.get(country)
        if vocab is None:
            vocab = vocabularies[country] = list(words_of_country)
        for q in qwords:
            if q in words_of_country:
                hits.setdefault(q, set()).update(words_of_country[q])
            if len(q) < LONG_WORD:
                continue
            for w, _s, _k in process.extract(
                q, vocab, scorer=fuzz.ratio, score_cutoff=WORD_RATIO, limit=None
            ):
                if w != q and _alike(q, w):
                    # a spelling neighbour of a short word ("Kazzin"/"Kazzinc", a company
                    # with mines and plants) is read only on a smelter's record
                    hits.setdefault(q, set()).update(
                        j
                        for j in words_of_country[w]
                        if len(q) >= LONG_FUZZY or rec.at[j, "tier"] == "smelter_refiner"
                    )
        regions = _region_words(country)
        hits = {q: js for q, js in hits.items() if js and q not in regions}
        if not hits:
            continue
        # a word after the matched one names something else ("Deziwa & *Ecaille*", "La
        # Cascada (*Sagasca*)"); words before it are the company ("*Young Poong* Seokpo")
        if any(_left_over(rec.at[i, "name"], hits) for i in members):
            continue
        # one place per word; every word must point to the same place
        places = []
        for q, js in hits.items():
            js = sorted(js, key=lambda j: _rank(rec, j, minerals))
            places.append((q, js))
        lead_q, lead = places[0][0], places[0][1][0]
        together = all(_km(rec, lead, j) <= SAME_PLACE_KM for _, js in places for j in js)
        town = _town_elsewhere(rec, lead, [rec.at[i, "name"] for i in members], country)
        if town:  # "New Haven Refinery": the name names a town the record is far from
            continue
        shared = sorted(minerals & _minerals(rec.at[lead, "minerals"]))
        smelter = rec.at[lead, "tier"] == "smelter_refiner"
        basis = _basis(rec, lead, lead_q, shared, minerals, country)
        # the very same name ("Hishikari Mine" listed for copper, ICMM's gold mine): the
        # list's mineral is in doubt, not the place
        same = _plain(rec.at[lead, "name"]) in {_plain(rec.at[i, "name"]) for i in members}
        if together and (shared or smelter or same):
            # a smelter's own record gives its point; a mine or deposit record of the word
            # gives the place the plant is named after, not the plant: city precision
            precision = "exact" if smelter else "city"
            if same and not (shared or smelter):
                basis += "; the record bears the very same name"
            if not smelter:
                basis += "; the record is a mine or deposit, so the point stands for the place"
            borrowed.append((g, lead, SCORE, basis, precision))
        else:
            why = []
            if not together:
                n = len({j for _, js in places for j in js})
                why.append(f"the word's {n} records lie more than {SAME_PLACE_KM:.0f} km apart")
            if not (shared or smelter or same):
                why.append("no shared mineral and the record is not a smelter or refinery")
            found = {j for _, js in places for j in js}
            if len(found) <= MAX_LISTED:  # a word of many records is no lead for anyone
                for j in sorted(found):
                    candidates.append((g, j, SCORE, f"{basis}; not placed: {', '.join(why)}"))
    return borrowed, candidates


TOWN_POP = 15_000  # a town this big named in the listed name ...
TOWN_KM = 50.0  # ... must lie this close to the record, or the record is another place


@functools.lru_cache(maxsize=256)
def _region_words(iso3: str) -> frozenset[str]:
    """Words of the country's province names ("Sulawesi", "Katanga"): a region, not a site."""
    g = gazetteer_cache.load()
    ccs = set(g.ccs(iso3))
    return frozenset(
        w for k, v in g.admin1_name.items() if k.split(":")[0] in ccs for w in gz.fold(v).split()
    )


def _town_elsewhere(rec: pd.DataFrame, j: int, names: list, iso3: str) -> str | None:
    """A town of ``TOWN_POP`` people that a listed name names (one or two words) when every
    town of that name lies more than ``TOWN_KM`` from the record: then the record, though it
    shares a word, is somewhere else."""
    g = gazetteer_cache.load()
    ccs = g.ccs(iso3)
    lat, lon = float(rec.at[j, "lat"]), float(rec.at[j, "lon"])
    for name in names:
        if not isinstance(name, str):
            continue
        words = gz.fold(name).split()
        for n in (2, 1):
            for k in range(len(words) - n + 1):
                text = " ".join(words[k : k + n])
                if len(text) < MIN_LETTERS:
                    continue
                key = gz.name_keys(text)[0]
                towns = [
                    i
                    for cc in ccs
                    for i in g.city_index.get(cc, {}).get(key, ())
                    if int(g.pop[i]) >= TOWN_POP
                ]
                if towns and all(
                    distance_km(lat, lon, float(g.lat[i]), float(g.lon[i])) > TOWN_KM for i in towns
                ):
                    return text
    return None


def _rank(rec: pd.DataFrame, j: int, minerals: set[str]) -> tuple:
    """Which of a word's records speaks for the place: a smelter or refinery sharing a
    mineral, ICMM's own 'High' location confidence, then the record id."""
    conf = rec.at[j, "confidence"] if "confidence" in rec.columns else None
    return (
        rec.at[j, "tier"] != "smelter_refiner",
        not (minerals & _minerals(rec.at[j, "minerals"])),
        conf != "High",
        registry.with_role("target").index(rec.at[j, "source_id"]),
        str(rec.at[j, "source_ref"]),
    )


def _basis(rec, j, word, shared, minerals, country) -> str:
    what = f"{rec.at[j, 'source_id']} record {rec.at[j, 'source_ref']} '{rec.at[j, 'name']}'"
    if shared:
        m = f"shared mineral {', '.join(shared)}"
    else:
        theirs = ", ".join(sorted(_minerals(rec.at[j, "minerals"]))) or "none given"
        m = (
            f"no shared mineral (listed as {', '.join(sorted(minerals)) or 'none'}, "
            f"the record: {theirs}; it is a {rec.at[j, 'tier'].replace('_', '/')})"
        )
    return (
        f"the distinctive word '{word}' of the listed name is a word of {what} and of no "
        f"record elsewhere in {country} (all within {SAME_PLACE_KM:.0f} km), {m}"
    )
