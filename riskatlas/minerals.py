"""Mineral names in French, English and element symbols to one lower-case English vocabulary."""

from __future__ import annotations

import re
import unicodedata

# Canonical vocabulary (lower-case English). Groupings expand to several minerals.
VOCABULARY = (
    "gold",
    "tin",
    "tantalum",
    "tungsten",
    "cobalt",
    "copper",
    "lithium",
    "nickel",
    "niobium",
    "rare_earths",
    "mica",
    "aluminium",
    "silver",
    "zinc",
    "lead",
    "graphite",
    "platinum",
    "palladium",
    "rhodium",
    "iridium",
    "ruthenium",
    "manganese",
    "chromium",
    "iron",
    "diamond",
    "tourmaline",
    "polysilicon",
    "molybdenum",
    "vanadium",
    "antimony",
    "bauxite",
)
GROUPS = {
    "3tg": ("tin", "tantalum", "tungsten", "gold"),
    "3t": ("tin", "tantalum", "tungsten"),
    "coltan": ("tantalum", "niobium"),
    "pgm": ("platinum", "palladium", "rhodium", "iridium", "ruthenium"),
}
_REE = (
    "cerium",
    "dysprosium",
    "erbium",
    "europium",
    "gadolinium",
    "holmium",
    "lanthanum",
    "lutetium",
    "neodymium",
    "praseodymium",
    "promethium",
    "samarium",
    "scandium",
    "terbium",
    "thulium",
    "ytterbium",
    "yttrium",
)
_ALIASES = {
    # French (IPIS)
    "or": "gold",
    "cassiterite": "tin",
    "wolframite": "tungsten",
    "cuivre": "copper",
    "heterogenite": "cobalt",
    "diamant": "diamond",
    "etain": "tin",
    "argent": "silver",
    "plomb": "lead",
    "galene": "lead",
    "galena": "lead",
    "fer": "iron",
    "monazite": "rare_earths",
    "digenite": "copper",
    # English variants and ores
    "gold": "gold",
    "tin": "tin",
    "tantalum": "tantalum",
    "tantalite": "tantalum",
    "tungsten": "tungsten",
    "scheelite": "tungsten",
    "cobalt": "cobalt",
    "copper": "copper",
    "bopper": "copper",
    "lithium": "lithium",
    "spodumene": "lithium",
    "nickel": "nickel",
    "niobium": "niobium",
    "columbium": "niobium",
    "pyrochlore": "niobium",
    "mica": "mica",
    "aluminium": "aluminium",
    "aluminum": "aluminium",
    "alumina": "aluminium",
    "bauxite": "bauxite",
    "silver": "silver",
    "zinc": "zinc",
    "lead": "lead",
    "graphite": "graphite",
    "natural graphite": "graphite",
    "platinum": "platinum",
    "palladium": "palladium",
    "rhodium": "rhodium",
    "iridium": "iridium",
    "ruthenium": "ruthenium",
    "manganese": "manganese",
    "chromium": "chromium",
    "chromite": "chromium",
    "chormite": "chromium",
    "iron": "iron",
    "iron ore": "iron",
    "diamond": "diamond",
    "diamonds": "diamond",
    "tourmaline": "tourmaline",
    "polysilicon": "polysilicon",
    "molybdenum": "molybdenum",
    "vanadium": "vanadium",
    "antimony": "antimony",
    "rare earths": "rare_earths",
    "rare earth": "rare_earths",
    "rare_earths": "rare_earths",
    "rare earth elements": "rare_earths",
    "ree": "rare_earths",
    # Element symbols
    "au": "gold",
    "sn": "tin",
    "ta": "tantalum",
    "w": "tungsten",
    "co": "cobalt",
    "cu": "copper",
    "li": "lithium",
    "ni": "nickel",
    "nb": "niobium",
    "ag": "silver",
    "zn": "zinc",
    "pb": "lead",
    "al": "aluminium",
    "pt": "platinum",
    "pd": "palladium",
    "mn": "manganese",
    "cr": "chromium",
    "fe": "iron",
    # ILAB goods list names
    "cobalt ore": "cobalt",
    "cobalt ore (heterogenite)": "cobalt",
    "tantalum ore (coltan)": "coltan",
    "tantalum ore": "tantalum",
    "tin ore (cassiterite)": "tin",
    "tin ore": "tin",
    "tungsten ore (wolframite)": "tungsten",
    "tungsten ore": "tungsten",
    "copper ore": "copper",
    # ICMM, MinMod/MRDS and USGS Africa spellings, typos and ferroalloys
    "cooper": "copper",
    "pge": "pgm",
    "platinum group elements": "pgm",
    "platinum group metals": "pgm",
    "lanthanides": "rare_earths",
    "ferrochrome": "chromium",
    "ferronickel": "nickel",
    "ferromanganese": "manganese",
    "silicomanganese": "manganese",
    "ferrosilicon manganese": "manganese",
    "ferromolybdenum": "molybdenum",
    "ferroniobium": "niobium",
    "petalite": "lithium",
    "pig iron": "iron",
}
for _r in _REE:
    _ALIASES[_r] = "rare_earths"


# No mineral name is this long (the longest cell any adapter passes is ~150 characters); a runaway
# cell of nested brackets would otherwise recurse once per bracket and hit RecursionError.
MAX_NAME_LENGTH = 200


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().replace("-", " ").split())


def alias_table() -> dict[str, str]:
    """Every alias (folded) -> its mineral or group: the exact names riskatlas.names reads."""
    return dict(_ALIASES)


def normalise(name: object) -> list[str]:
    """Canonical minerals for one name; [] if the name is not a mineral we know.

    >>> normalise("Cassitérite"), normalise("coltan"), normalise("Co")
    (['tin'], ['tantalum', 'niobium'], ['cobalt'])
    """
    if name is None:
        return []
    raw = str(name).strip()
    if not raw or raw.lower() in {"nan", "none", "-"} or len(raw) > MAX_NAME_LENGTH:
        return []
    key = _fold(raw)
    if key in GROUPS:
        return list(GROUPS[key])
    hit = _ALIASES.get(key)
    if hit is None:
        # "Cobalt (Co)", "Tin ore (cassiterite)": try the part before the bracket, then the bracket.
        m = re.match(r"^(.*?)\s*\((.*?)\)\s*$", key)
        if m:
            for part in (m.group(1), m.group(2)):
                got = normalise(part)
                if got:
                    return got
        return []
    if hit in GROUPS:
        return list(GROUPS[hit])
    return [hit]


def normalise_many(names, split: str = r"[,;/|]") -> list[str]:
    """Canonical minerals for a list or a delimited string of names, de-duplicated, in order."""
    if names is None:
        return []
    if isinstance(names, str):
        names = re.split(split, names)
    out: list[str] = []
    for n in names:
        for m in normalise(n):
            if m not in out:
                out.append(m)
    return out
