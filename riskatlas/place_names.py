"""Names people type for places: countries (codes, names, "DRC", "RDC") and provinces.

Why apart from riskatlas.names: that module is the one resolver's rules (exact, close spelling,
prefix, refusal); here are the place vocabularies it reads with, the country names no table
holds and the province words a person adds ("Province du Lualaba"), used by the Map's country
and province filters, the Countries page and the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from riskatlas.names import Names


def country_names(
    countries: Mapping[str, str],
    aliases: Mapping[str, Iterable[str]] | None = None,
    places: Callable[[str], Iterable[str]] | None = None,
) -> Names:
    """Countries by ISO3 or ISO2 code, name, other names (``aliases``: iso3 -> names) and the
    names country_converter knows ("DRC", "DR Congo", "Congo-Kinshasa", "Ivory Coast");
    ``places`` answers a town or province ("Kolwezi") with the countries its sites are in."""
    from riskatlas.countries import to_iso3

    pairs = [(a, (iso3,)) for iso3, names in (aliases or {}).items() for a in names if a]
    pairs += country_extra_names(countries)

    def lookup(text: str) -> tuple[tuple[str, ...], str]:
        iso3 = to_iso3(text)
        return ((iso3,), f"{text} ({iso3})") if iso3 else ((), "")

    return Names("country", countries, pairs, lookup=lookup, places=places)


# Names people write for countries that neither the atlas's tables (ISO2, official and CLDR
# names) nor country_converter know: French, the language of the DRC's own sources (IPIS writes
# "RDC"), for the countries whose sites the atlas holds most of.
EXTRA_COUNTRY_NAMES = {
    "COD": ("RDC", "RD Congo", "Congo RDC", "République démocratique du Congo"),
    "COG": ("République du Congo", "Congo-Brazzaville"),
}


def country_extra_names(countries: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(name, (iso3,)) pairs of EXTRA_COUNTRY_NAMES for the countries given."""
    have = set(countries)
    return [(n, (iso3,)) for iso3, ns in EXTRA_COUNTRY_NAMES.items() if iso3 in have for n in ns]


# Words a person adds to a province's name that the atlas's names leave out ("Province du
# Lualaba", "Jiangsu Province"): a typed name is read without them.
PROVINCE_WORDS = frozenset("province prov region state district du de of la le".split())
MAX_PROVINCES = 8  # a word that fits more provinces than this is too vague to filter by


def province_key(name: object) -> str:
    """A province name folded as the build folds it (riskatlas.places.province_key): accents,
    case, punctuation and GeoNames' administrative words ("Sheng", "-do") ignored."""
    from riskatlas.places import province_key as key

    return key(str(name or ""))


def province_names(
    provinces: Mapping[str, str],
    places: Callable[[str], Iterable[str]] | None = None,
) -> Names:
    """Provinces by their folded key (the build's site_provinces.province_key) and shown name.

    Read as every other name here (exact, close spelling, start of a name), plus by words: a
    typed name whose words, without "province", "du"..., are all words of provinces' names
    leads to those provinces ("kivu": Nord- and Sud-Kivu; "Province du Lualaba": Lualaba), at
    most MAX_PROVINCES of them. ``places`` answers a town, village or trading place the Site
    page's search knows ("Kolwezi", "Rubaya") with the provinces its sites are in, said in the
    refusal so one click filters by them.
    """
    labels = dict(provinces)
    split = {k: k.split() for k in labels}
    # Each word of a province's name stands for the provinces whose names hold it ("kivu",
    # "katanga"), read exactly, before any spelling guess ("katanga" is not "Batangas").
    having: dict[str, list[str]] = {}
    for k, ws in split.items():
        for w in ws:
            if len(w) >= 4 and w not in PROVINCE_WORDS:
                having.setdefault(w, []).append(k)
    words_alias = [
        (w, tuple(sorted(ks, key=lambda k: labels[k].lower())))
        for w, ks in having.items()
        if len(ks) <= MAX_PROVINCES and w not in labels
    ]

    def by_words(text: str) -> tuple[tuple[str, ...], str]:
        key = province_key(text)
        words = [w for w in key.split() if w not in PROVINCE_WORDS] or key.split()
        if not words:
            return (), ""
        hits = [k for k, ws in split.items() if all(w in ws for w in words)]
        if " ".join(words) in labels and " ".join(words) not in hits:
            hits.append(" ".join(words))
        if not hits or len(hits) > MAX_PROVINCES:
            return (), ""
        return tuple(sorted(hits, key=lambda k: labels[k].lower())), ""

    return Names(
        "province",
        labels,
        words_alias,
        key=province_key,
        lookup=by_words,
        places=places,
        noun="province",
        typos=_province_typos,
    )


def _province_typos(key: str) -> int:
    """One typo in a province name of 6 letters or more ("Lualabba"), never two: among 600
    provinces two changes reach a real other one ("Atlantis" is not Atlántico)."""
    return 0 if len(key) < 6 else 1


def country_aliases(frame) -> dict[str, tuple[str, ...]]:
    """iso3 -> (ISO2, official name, CLDR name) from a vocab_countries frame (columns optional)."""
    cols = [c for c in ("iso2", "official_name", "cldr_name") if c in frame.columns]
    out: dict[str, tuple[str, ...]] = {}
    for rec in frame[["country_iso3", *cols]].itertuples(index=False):
        names = tuple(str(v) for v in rec[1:] if isinstance(v, str) and v.strip())
        if names:
            out[rec[0]] = names
    return out
