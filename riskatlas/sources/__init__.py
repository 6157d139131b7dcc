"""Registry of source adapters: every module of this package that declares a ``SOURCE``.

Why: adding a source is one file. The module declares what the rest of the atlas needs on its
:class:`~riskatlas.sources.base.SourceInfo` (source id, build order, which record speaks for a
merged site, how its records become site ids, its role in name matching, the page sections
that cite it) and ``load(raw_dir)``; the build, entity resolution and the pages read those
declarations from here. docs/adding-a-source.md walks through an example.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType

from .base import UI_SECTIONS, SourceInfo


@functools.cache
def _registry() -> tuple[tuple[str, SourceInfo], ...]:
    """(module name, SOURCE) of every adapter module in the package, in build order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if isinstance(source, SourceInfo) and callable(getattr(module, "load", None)):
            found.append((info.name, source))
    return tuple(sorted(found, key=lambda item: (item[1].order, item[0])))


def refresh() -> None:
    """Forget the registry: the next look-up scans the package again."""
    _registry.cache_clear()
    by_id.cache_clear()


def names() -> tuple[str, ...]:
    """Adapter module names in build order (the ``ADAPTERS`` of earlier versions)."""
    return tuple(name for name, _ in _registry())


def sources() -> tuple[SourceInfo, ...]:
    """Every registered source's declaration, in build order."""
    return tuple(source for _, source in _registry())


@functools.cache
def by_id() -> dict[str, SourceInfo]:
    """source_id -> its declaration."""
    return {s.source_id: s for s in sources()}


def priority(source_id: str) -> int:
    """Which record speaks for a merged site (lower = preferred); a source that does not say
    comes last."""
    source = by_id().get(source_id)
    return source.priority if source is not None else SourceInfo.priority


def site_id(source_id: str, source_ref: str) -> str:
    """The site id a record of this source carries as a site of its own (before an RMI id)."""
    source = by_id().get(source_id)
    return source.site_id(source_ref) if source is not None else source_ref


def with_role(role: str) -> tuple[str, ...]:
    """Source ids with this role in name matching ('target' or 'query')."""
    return tuple(s.source_id for s in sources() if s.match_role == role)


def for_section(section: str) -> set[str]:
    """Source ids a page section cites (riskatlas.sources.base.UI_SECTIONS)."""
    if section not in UI_SECTIONS:
        raise KeyError(f"unknown page section {section!r}; sections: {sorted(UI_SECTIONS)}")
    return {s.source_id for s in sources() if section in s.ui_sections}


def __getattr__(name: str):
    if name == "ADAPTERS":  # computed on first use: scanning imports every adapter
        return names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def adapter(name: str) -> ModuleType:
    """The adapter module for a source name."""
    return importlib.import_module(f"{__name__}.{name}")


def all_adapters(names_: tuple[str, ...] | None = None) -> list[ModuleType]:
    return [adapter(n) for n in (names_ or names())]


class UnknownSource(ValueError):
    """A name given to ``build --skip`` is neither a source id nor an adapter name."""


def without(skip: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """The adapters minus the sources named in ``skip`` (a source id such as 'ejatlas' or
    'minmod_mrds', or an adapter name such as 'mrds'); an unknown name raises UnknownSource.

    Why: a user who needs only openly licensed data builds without a non-commercial source.
    """
    ids = {name: source.source_id for name, source in _registry()}
    known = set(ids) | set(ids.values())
    unknown = [s for s in skip if s not in known]
    if unknown:
        raise UnknownSource(
            f"unknown source {', '.join(map(repr, unknown))}; source ids: "
            + ", ".join(sorted(ids.values()))
        )
    return tuple(n for n in ids if n not in skip and ids[n] not in skip)
