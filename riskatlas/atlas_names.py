"""The resolvers over one atlas's vocabulary: brands, minerals, countries (and provinces).

Why a module of its own: the report, the command lines and the Map's filters all ask the same
question ("which ids does this typed name lead to, or which line refuses it?") over the same
vocabulary; AtlasNames answers it for each kind, over the database's names or a fixture's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from riskatlas.names import Names, UnknownName, brand_names, mineral_names
from riskatlas.place_names import country_aliases, country_names


@dataclass(frozen=True)
class AtlasNames:
    """The resolvers over one vocabulary (the database's, or a fixture's)."""

    brands: Names
    minerals: Names
    countries: Names
    provinces: Names | None = None
    by_kind: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        kinds = {"brand": self.brands, "mineral": self.minerals, "country": self.countries}
        if self.provinces is not None:
            kinds["province"] = self.provinces
        object.__setattr__(self, "by_kind", kinds)

    def require(self, kind: str, text: object) -> tuple[str, ...]:
        """The ids a name leads to, or UnknownName with the line to show (never a guess unsaid:
        callers print ``reading`` for a guessed name)."""
        names = self.by_kind[kind]
        res = names.resolve(text)
        if not res.ok:
            raise UnknownName(names.refusal(res, list_all=kind == "brand"), res)
        return res.ids

    def require_many(self, kind: str, texts: Iterable[object]) -> list[str]:
        """Ids for several names in order, de-duplicated; the first refused name raises."""
        out: list[str] = []
        for t in texts:
            for i in self.require(kind, t):
                if i not in out:
                    out.append(i)
        return out

    def readings(self, kind: str, texts: Iterable[object]) -> list[str]:
        """The 'read X as Y' lines for the guessed names among ``texts``."""
        names = self.by_kind[kind]
        return [line for t in texts if (line := names.reading(names.resolve(t)))]


def atlas_names(con) -> AtlasNames:
    """The resolvers over the atlas database's vocabulary (queries/vocab_*.sql)."""
    from riskatlas import sql

    brands = sql.run(con, "vocab_brands")
    countries = sql.run(con, "vocab_countries")
    minerals = sql.run(con, "vocab_minerals")
    return AtlasNames(
        brand_names(dict(zip(brands["brand_id"], brands["name"], strict=True))),
        mineral_names(minerals["mineral"]),
        country_names(
            dict(zip(countries["country_iso3"], countries["name"], strict=True)),
            country_aliases(countries),
            lambda text: sql.run(con, "place_countries", {"text": text})["country_iso3"],
        ),
    )
