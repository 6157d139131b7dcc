"""Facility names compared as people and lists write them: legal forms, site and metal words,
accents and transliterations folded, bracketed parts tried on their own.

Why its own module: the cross-source matcher (riskatlas.match_sources) and the importer's ID
check (riskatlas.importer.id_check) must judge "the same name" the same way, and the importer
sits below the sources and the matcher in the package layers (pyproject.toml's import-linter
contracts), so the shared rule lives below both.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from unidecode import unidecode

# Words that say what kind of company or site a name is, in the languages of the lists;
# transliteration variants are folded by unidecode. Removed before comparing names.
GENERIC = frozenset(
    """
    co ltd limited inc corp corporation company companies gmbh ag kg sa sas srl spa bv nv llc
    plc pte bhd sdn pt cv tbk jsc ojsc pjsc ooo zao oao ab oy as asa kk de del la las los el
    the of and y e da do dos das group holding holdings international mining mine mines
    minera mineracao mineria minerals mineral resources resource smelter smelters smelting
    refinery refineries refining refiner plant plants works operation operations project
    complex facility metals metal metallurgical industries industry industrial company
    copper nickel cobalt lithium aluminium aluminum zinc tin gold silver tungsten tantalum
    chromium chrome ferrochrome ferro alloys electrolytic cathode sx ew sxew open pit
    underground concentrator mill division branch subsidiary pty ltda lda limitada sarl
    sprl sau sl srl persero tbk llp lp oao pao ooo jsc
    """.split()
)
WORD = re.compile(r"[a-z0-9]+")


def name_tokens(name: object) -> list[str]:
    """Distinctive words of a name: accents, case, legal forms, site and metal words removed."""
    if not isinstance(name, str):
        return []
    s = unidecode(name).lower().replace("-", "")  # "Bakır" -> "bakir", "Медь" -> "med'"
    return [w for w in WORD.findall(s) if w not in GENERIC and len(w) > 1]


def name_variants(name: object) -> list[str]:
    """The name and its bracketed or slash-separated parts ("Chuquicamata (Codelco)")."""
    if not isinstance(name, str):
        return []
    parts = [name] + [p for p in re.split(r"[()/]|\s-\s", name) if p.strip() and p != name]
    out = []
    for p in parts:
        t = " ".join(name_tokens(p))
        if len(t) >= 4 and t not in out:
            out.append(t)
    return out


def name_score(a: list[str], b: list[str]) -> float:
    """Best score over the variants of two names (rapidfuzz token_sort_ratio).

    A one-word variant must equal the other side's word exactly to score above 90: short
    names ("Berta", "Ray") meet similar words in other names by chance.
    """
    best = 0.0
    for x in a:
        for y in b:
            s = float(fuzz.token_sort_ratio(x, y))
            if s < 100 and short_single(x, y):
                s = min(s, 89.0)
            best = max(best, s, subset_score(x, y))
    return best


SUBSET_SCORE = 93.0
SUBSET_MIN_LETTERS = 6
SUBSET_MAX_WORDS = 4


LONG_SINGLE = 8  # one-word names this long may differ by a typo ("Collahuasi", "Collahausi")


def short_single(x: str, y: str) -> bool:
    """True when one side is a single word and the pair is not two long single words."""
    if " " in x and " " in y:
        return False
    return not (" " not in x and " " not in y and min(len(x), len(y)) >= LONG_SINGLE)


def subset_score(x: str, y: str) -> float:
    """93 when every word of one name is in the other, the shared words have at least 6
    letters and the longer name at most 4 words ("CMOC Kisanfu" / "Kisanfu", "Minera Escondida"
    / "Escondida"); else 0. The country, mineral and no-rival checks still apply."""
    sx, sy = set(x.split()), set(y.split())
    small, large = (sx, sy) if len(sx) <= len(sy) else (sy, sx)
    if not small or not small <= large or len(large) > SUBSET_MAX_WORDS:
        return 0.0
    return SUBSET_SCORE if sum(len(w) for w in small) >= SUBSET_MIN_LETTERS else 0.0
