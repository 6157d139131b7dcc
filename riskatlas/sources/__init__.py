"""Registry of source adapters, in build order (one module per mirrored public dataset)."""

from __future__ import annotations

import importlib
from types import ModuleType

ADAPTERS = (
    # geometry and country reference first
    "country_codes",
    "natural_earth",
    # sites
    "ipis",
    "icmm",
    "mrds",
    "usgs_africa",
    "rmi",
    "rmi_retired",
    "apple",
    "curated_ewaste",
    "ejatlas",
    # brand links
    "samsung",
    "form_sd",
    "saved_imports",
    # indicators
    "ilab_goods",
    "ilab_countries",
    "walkfree",
    "freedom_house",
    "wgi",
    "what_a_waste",
    "eurostat_weee",
    "owid_ewaste",
)


def adapter(name: str) -> ModuleType:
    """The adapter module for a source name."""
    return importlib.import_module(f"riskatlas.sources.{name}")


def all_adapters(names: tuple[str, ...] | None = None) -> list[ModuleType]:
    return [adapter(n) for n in (names or ADAPTERS)]


class UnknownSource(ValueError):
    """A name given to ``build --skip`` is neither a source id nor an adapter name."""


def without(skip: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """ADAPTERS minus the sources named in ``skip`` (a source id such as 'ejatlas' or
    'minmod_mrds', or an adapter name such as 'mrds'); an unknown name raises UnknownSource.

    Why: a user who needs only openly licensed data builds without a non-commercial source.
    """
    ids = {name: adapter(name).SOURCE.source_id for name in ADAPTERS}
    known = set(ids) | set(ids.values())
    unknown = [s for s in skip if s not in known]
    if unknown:
        raise UnknownSource(
            f"unknown source {', '.join(map(repr, unknown))}; source ids: "
            + ", ".join(sorted(ids.values()))
        )
    return tuple(n for n in ADAPTERS if n not in skip and ids[n] not in skip)
