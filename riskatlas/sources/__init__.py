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
