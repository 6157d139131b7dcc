"""One resolver for the names people type: brands, minerals and countries, to the atlas's ids.

Why one: the URL, the sidebar, every command line and the report each matched names their own
way, and a name one of them did not know gave a wrong answer without a word ("Samsung" wrote a
report about a brand with no list; "cobalto" was dropped and every mineral reported). Here a
name either leads to ids, saying how it was read, or is refused with the closest known names.

A name is read, in this order (the first step that finds something decides):

1. exactly, after folding case, accents, punctuation and spaces (and, for brands, legal forms:
   "Apple Inc." is Apple): an id, a display name, an everyday short name ("Samsung", "Honda":
   a brand's first word when no other brand shares it), or an entry of the project's alias
   tables (mineral symbols, French and ore names, groups: "Co", "cassitérite", "coltan",
   "3TG"; country codes and other names: "CD", "Congo-Kinshasa");
2. as a close spelling of exactly one id or name (one typo in a name of 5 to 7 letters, two in
   a longer one; none in shorter names, where one letter makes another word: tin and zinc).
   A known name with more letters after it is not a close spelling of it: "Samsung SDI" is
   another company and "cobalto" is not a word the atlas knows; both are refused with the
   known name suggested (a trailing plural "s" is the one exception);
3. by the readers the build uses on source files: riskatlas.minerals.normalise ("Cobalt (Co)")
   and riskatlas.countries.to_iso3 (country_converter: "DRC", "Ivory Coast", "Burma"); a real
   name the atlas holds no data for is refused as such, not as unknown;
4. as the start of exactly one name, word by word ("sams", "tungs", "rare ea"); several names
   starting so = ambiguous.

Anything else is refused: unknown (with the closest names, scored by rapidfuzz) or ambiguous
(with the names it could be). The vocabulary is data (ids and names from the database, or a
fixture), so the same rules run in tests and on the real atlas. No Streamlit here.

Here: the rules (Names) and the brand and mineral vocabularies. The place vocabularies
(countries, provinces) are in riskatlas.place_names; AtlasNames, every kind over one atlas's
vocabulary, in riskatlas.atlas_names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from unidecode import unidecode

from riskatlas.brands import company_key

MAX_SUGGESTIONS = 5
SUGGEST_CUTOFF = 75  # rapidfuzz WRatio (0-100) below which a name is not "close"
MAX_TEXT = 200  # no name is longer; a longer value is refused without fuzzy matching

# How a name was read (Resolution.basis): id, name and alias readings need no word to the
# user; these are said ("read 'Samsng' as Samsung Electronics") so a guess is never silent.
GUESSED = ("prefix", "close spelling")


@dataclass(frozen=True)
class Resolution:
    """What one typed name leads to: ids (with how it was read), or a refusal with suggestions."""

    kind: str
    text: str
    ids: tuple[str, ...] = ()
    basis: str = ""  # id | name | alias | prefix | close spelling ("" when refused)
    # "" | unknown | ambiguous | absent (a real name the atlas has no data for) | place (a place
    # name, not one of these: the suggestions are where its sites are)
    reason: str = ""
    suggestions: tuple[str, ...] = ()  # ids: the closest names, or the names it could be
    absent_label: str = ""  # for reason 'absent': the name it is ("polysilicon", "Iceland")

    @property
    def ok(self) -> bool:
        return bool(self.ids)

    @property
    def guessed(self) -> bool:
        return self.basis in GUESSED


@dataclass(frozen=True)
class _Target:
    ids: tuple[str, ...]
    primary: bool  # an id, display name or short name (prefixes try these before aliases)


def fold(text: object) -> str:
    """Lower-case ASCII words: accents, case and punctuation gone ("Côte d’Ivoire" -> "cote divoire")."""
    s = unidecode(str(text or "")).lower().replace("&", " and ")
    s = re.sub(r"['’`]", "", s)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def brand_fold(text: object) -> str:
    """A brand name folded and without legal forms: "Apple Inc." and "apple" are the same key."""
    return company_key(re.sub(r"[-_/]", " ", str(text or "")))


def _squash(key: str) -> str:
    return key.replace(" ", "")


def _allowed_typos(key: str) -> int:
    n = len(key)
    return 0 if n <= 4 else 1 if n <= 7 else 2


class Names:
    """The names of one kind of thing and the rules that read a typed name against them."""

    def __init__(
        self,
        kind: str,
        labels: Mapping[str, str],
        aliases: Iterable[tuple[str, Iterable[str]]] = (),
        *,
        key: Callable[[object], str] = fold,
        short_names: bool = False,
        lookup: Callable[[str], tuple[tuple[str, ...], str]] | None = None,
        noun: str | None = None,
        places: Callable[[str], Iterable[str]] | None = None,
        typos: Callable[[str], int] | None = None,
    ):
        """``labels``: id -> display name. ``aliases``: (alias text, ids) pairs. ``lookup``: a
        last exact reader (text -> (ids, label)), e.g. country_converter's regexes; ids outside
        the vocabulary mean "a real name the atlas has no data for". ``places``: a place name ->
        the ids it lies in (countries of the sites named so), said when nothing else fits."""
        self.kind = kind
        self.noun = noun or kind
        self.labels = dict(labels)
        self._key = key
        self._lookup = lookup
        self._places = places
        self._typos = typos or _allowed_typos
        self._index: dict[str, list[_Target]] = {}
        self._spaced: dict[str, str] = {}  # squashed key -> its words (for scoring suggestions)
        for i, label in self.labels.items():
            for text in (i, label):
                self._add(text, (i,), primary=True)
        if short_names:
            self._add_short_names()
        for text, ids in aliases:
            ids = tuple(i for i in ids if i in self.labels)
            if ids:
                self._add(text, ids, primary=False)

    # --- building --------------------------------------------------------------------------

    def _add(self, text: object, ids: tuple[str, ...], primary: bool) -> None:
        spaced = self._key(text)
        key = _squash(spaced)
        if not key:
            return
        targets = self._index.setdefault(key, [])
        for t in targets:
            if t.ids == ids:
                if primary and not t.primary:
                    targets[targets.index(t)] = _Target(ids, True)
                return
        targets.append(_Target(ids, primary))
        self._spaced.setdefault(key, spaced)

    def _add_short_names(self) -> None:
        """A brand's first word is its everyday name ("Samsung", "Honda") when no other has it."""
        firsts: dict[str, list[str]] = {}
        for i, label in self.labels.items():
            words = self._key(label).split()
            if len(words) > 1 and len(words[0]) >= 3:
                firsts.setdefault(words[0], []).append(i)
        for word, ids in firsts.items():
            if len(ids) == 1:
                self._add(word, (ids[0],), primary=True)

    # --- reading ---------------------------------------------------------------------------

    def label(self, i: str) -> str:
        """The display name of an id (the id itself if it has none)."""
        return str(self.labels.get(i) or i)

    def resolve(self, text: object) -> Resolution:
        """Read one typed name; never raises."""
        raw = " ".join(str(text or "").split())
        res = self._resolve(raw)
        return Resolution(kind=self.kind, text=raw, **res)

    def _resolve(self, raw: str) -> dict:
        spaced = self._key(raw) if len(raw) <= MAX_TEXT else ""
        key = _squash(spaced)
        if not key:
            return {"reason": "unknown"}
        exact = self._index.get(key, [])
        if exact:
            return self._pick(exact, raw)
        hit = self._by_spelling(key)
        if hit is not None:
            return hit
        if self._lookup is not None:
            ids, label = self._lookup(raw)
            known = tuple(i for i in ids if i in self.labels)
            if known:
                return {"ids": known, "basis": "alias"}
            if ids:
                return {"reason": "absent", "absent_label": label or raw}
        hit = self._by_prefix(spaced, key)
        if hit is not None:
            return hit
        if self._places is not None and len(key) >= 4:
            where = tuple(i for i in self._places(spaced) if i in self.labels)
            if where:
                return {"reason": "place", "suggestions": where}
        return {"reason": "unknown", "suggestions": self._suggest(spaced)}

    def _pick(self, targets: list[_Target], raw: str) -> dict:
        """An exact key: ids and display names win over aliases that happen to share it."""
        primary = [t for t in targets if t.primary] or targets
        if len(primary) == 1:
            t = primary[0]
            basis = "id" if raw in self.labels else "name" if t.primary else "alias"
            return {"ids": t.ids, "basis": basis}
        return {"reason": "ambiguous", "suggestions": _flat(t.ids for t in primary)}

    def _by_prefix(self, spaced: str, key: str) -> dict | None:
        if len(key) < 3:
            return None
        for primary in (True, False):
            found: list[tuple[str, ...]] = []
            for k, targets in self._index.items():
                if not self._spaced[k].startswith(spaced):
                    continue  # by words: "cobalto" does not start "cobalt ore"
                for t in targets:
                    if t.primary == primary and t.ids not in found:
                        found.append(t.ids)
            if len(found) == 1:
                return {"ids": found[0], "basis": "prefix"}
            if found:
                singles = _flat(found)
                return {"reason": "ambiguous", "suggestions": singles[: MAX_SUGGESTIONS * 2]}
        return None

    def _by_spelling(self, key: str) -> dict | None:
        from rapidfuzz.distance import OSA

        best: dict[tuple[str, ...], int] = {}
        for k, targets in self._index.items():
            targets = [t for t in targets if t.primary]  # alias tables are read exactly
            allowed = self._typos(k)
            if not allowed or abs(len(k) - len(key)) > allowed:
                continue
            if key.startswith(k) and key[len(k) :] != "s":
                continue  # a known name with more after it names something else
            d = OSA.distance(key, k, score_cutoff=allowed)
            if d > allowed:
                continue
            for t in targets:
                best[t.ids] = min(best.get(t.ids, d), d)
        if not best:
            return None
        low = min(best.values())
        nearest = [ids for ids, d in best.items() if d == low]
        if len(nearest) == 1:
            return {"ids": nearest[0], "basis": "close spelling"}
        return {"reason": "ambiguous", "suggestions": _flat(nearest)}

    def _suggest(self, spaced: str) -> tuple[str, ...]:
        """The ids whose names are closest to ``spaced`` (WRatio >= SUGGEST_CUTOFF), best first."""
        from rapidfuzz import fuzz

        scores: dict[str, float] = {}
        if len(_squash(spaced)) < 3:
            return ()  # one or two letters resemble too many names to suggest any
        for k, targets in self._index.items():
            if len(k) <= 3:
                continue  # symbols and codes ("ni", "KOR"): suggestions are by name
            score = fuzz.WRatio(spaced, self._spaced[k], score_cutoff=SUGGEST_CUTOFF)
            if not score:
                continue
            for t in targets:
                if len(t.ids) == 1:
                    i = t.ids[0]
                    scores[i] = max(scores.get(i, 0.0), score)
        ranked = sorted(scores, key=lambda i: (-scores[i], self.label(i).lower()))
        return tuple(ranked[:MAX_SUGGESTIONS])

    # --- saying it -------------------------------------------------------------------------

    def named(self, i: str) -> str:
        """'Samsung Electronics (samsung-electronics)', or just the id when it is the name."""
        label = self.label(i)
        return label if fold(label) == fold(i) else f"{label} ({i})"

    def refusal(self, res: Resolution, list_all: bool = False) -> str:
        """One plain line saying why a name was refused and which names would work."""
        text = f"'{res.text[:80]}'"
        if res.reason == "ambiguous":
            head = f"{self.noun} {text} could be several: "
            return head + ", ".join(self.named(i) for i in res.suggestions) + "; give one of them"
        if res.reason == "place":
            where = ", ".join(self.named(i) for i in res.suggestions)
            return f"{text} is not a {self.noun}; the sites named so are in: {where}"
        if res.reason == "absent":
            head = f"the atlas holds no data for the {self.noun} {res.absent_label}"
        else:
            head = f"unknown {self.noun} {text}"
        if res.suggestions:
            return head + "; did you mean: " + ", ".join(self.named(i) for i in res.suggestions)
        if list_all:
            known = ", ".join(self.named(i) for i in self.labels)
            return head + f"; the {self.noun}s the atlas knows: {known}"
        return head

    def reading(self, res: Resolution) -> str:
        """'read 'Samsng' as Samsung Electronics (close spelling)' for a guessed name, else ''."""
        if not res.guessed:
            return ""
        return (
            f"read {self.noun} '{res.text[:80]}' as "
            + ", ".join(self.label(i) for i in res.ids)
            + f" ({res.basis})"
        )


def _flat(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for ids in groups:
        for i in ids:
            if i not in out:
                out.append(i)
    return tuple(out)


class UnknownName(ValueError):
    """A name that was refused; str() is the one line to show (exit 2 on the command line)."""

    def __init__(self, message: str, resolution: Resolution):
        super().__init__(message)
        self.resolution = resolution


# --- the three vocabularies ------------------------------------------------------------------


def brand_names(brands: Mapping[str, str]) -> Names:
    """Brands by id, display name (legal forms ignored) or everyday short name."""
    return Names("brand", brands, key=brand_fold, short_names=True)


def mineral_label(mineral: str) -> str:
    return str(mineral).replace("_", " ")


def mineral_names(minerals: Iterable[str]) -> Names:
    """Minerals by name, symbol, French or ore name, or group (3TG, coltan: several ids)."""
    from riskatlas import minerals as m

    vocab = tuple(minerals)
    aliases: list[tuple[str, tuple[str, ...]]] = []
    for alias, target in m.alias_table().items():
        aliases.append((alias, tuple(m.GROUPS.get(target, (target,)))))
    aliases.extend(m.GROUPS.items())

    def lookup(text: str) -> tuple[tuple[str, ...], str]:
        got = tuple(m.normalise(text))
        return got, ", ".join(mineral_label(g) for g in got)

    return Names(
        "mineral",
        {x: mineral_label(x) for x in vocab},
        aliases,
        lookup=lookup,
    )


def known_brands(db=None) -> Names:
    """The brands of the atlas database (``db``, $RISKATLAS_DB or data/atlas.duckdb); when there
    is no readable database, the brands whose disclosures the build loads (brands.KNOWN_BRANDS).

    Why the fallback: ``import-report`` runs before any build, and must still read "Samsung"
    as Samsung Electronics rather than start a second brand.
    """
    import duckdb

    from riskatlas import paths, sql

    path = paths.db_path(db)
    if path.is_file():
        try:
            con = duckdb.connect(str(path), read_only=True)
            try:
                frame = sql.run(con, "vocab_brands")
            finally:
                con.close()
            return brand_names(dict(zip(frame["brand_id"], frame["name"], strict=True)))
        except duckdb.Error:
            pass  # not an atlas (an RMI reference file, an old build): the known brands
    return loaded_brands()


def loaded_brands() -> Names:
    """The brands whose own disclosures the build loads (brands.KNOWN_BRANDS), for when there
    is no atlas database to read."""
    from riskatlas.brands import KNOWN_BRANDS, brand_id

    return brand_names({brand_id(n): n for n in KNOWN_BRANDS})


def import_brand(names: Names, text: str, new_brand: bool = False) -> tuple[str, str]:
    """The brand name to import a disclosure under, and the line saying a guessed reading.

    A brand the atlas holds is read as people type it ("Samsung" -> "Samsung Electronics"), so
    a list does not start a second brand; a name like no brand it holds is a new brand, taken as
    given; a name that resembles a held brand without being it ("Samsung SDI", a typo) raises
    UnknownName, unless ``new_brand`` says it is new (then any name is taken as given).
    """
    if new_brand:
        return text, ""
    res = names.resolve(text)
    if res.ok:
        return names.label(res.ids[0]), names.reading(res)
    if res.reason == "unknown" and not res.suggestions:
        return text, ""
    raise UnknownName(names.refusal(res), res)
