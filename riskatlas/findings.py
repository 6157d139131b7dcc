"""What a site visit found, as the Map filters and exports it: one catalogue of findings.

Why one catalogue: the URL parameter `finding`, the sidebar, the legend, the derived table
`site_findings` (queries/derive_site_findings.sql) and the export columns must name the same
seven findings and read the same site facts. Each finding maps to one fact the IPIS adapter
writes per visit (riskatlas/sources/ipis.py), from these IPIS fields (SOURCE.md):

- child_labour: fact child_labour_under15 = IPIS `childunder15` (children under 15 present);
- forced_labour: fact forced_labour = any of `forced_labour_armed_group1..3`;
- armed_presence: fact armed_group_presence = `presence` (an armed actor present);
- armed_interference: fact armed_group_interference = `interference`;
- illegal_taxation: fact illegal_taxation = any of `taxation_`, `commerce_taxation_` or
  `entrance_taxation_armed_group1..3` (an armed group taxes);
- mercury: fact mercury = `mercury` (mercury used);
- women: fact women = `women` (women at work on the site).

A finding counts when the fact's value is 'yes'. An empty IPIS answer gives no fact (not asked,
never 'no'), so a site whose latest visit did not ask is not "found" at its latest visit.
"""

from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    key: str  # URL value and export column suffix
    fact: str  # site_facts.fact written by the adapter
    label: str  # what the sidebar and legend say


FINDINGS: tuple[Finding, ...] = (
    Finding("child_labour", "child_labour_under15", "Child labour (under 15)"),
    Finding("forced_labour", "forced_labour", "Forced labour by an armed group"),
    Finding("armed_presence", "armed_group_presence", "Armed group present"),
    Finding("armed_interference", "armed_group_interference", "Armed group interference"),
    Finding("illegal_taxation", "illegal_taxation", "Illegal taxation by an armed group"),
    Finding("mercury", "mercury", "Mercury used"),
    Finding("women", "women", "Women at work"),
)
KEYS = tuple(f.key for f in FINDINGS)
LABELS = {f.key: f.label for f in FINDINGS}
SOURCE_ID = "ipis"  # the only source that publishes dated site-visit findings today
WHEN = ("latest", "any")  # which visits count: the site's latest visit, or any of its visits

# The export columns: the latest visit's answers ('yes' / 'no' / empty = not asked), with it.
VISIT_COLUMNS = ("latest_visit_date", "latest_visit_ref")
COLUMNS = (*VISIT_COLUMNS, *(f"finding_{k}" for k in KEYS))


def bit(key: str) -> int:
    """The finding's bit in site_findings.latest_bits / any_bits."""
    return 1 << KEYS.index(key)


def mask(keys: tuple[str, ...] | list[str]) -> int:
    """The bitmask of some findings (0 = no finding filter)."""
    out = 0
    for k in keys:
        out |= bit(k)
    return out


def match(value: str) -> str | None:
    """A typed finding ('child labour', 'Child-Labour', 'mercury') to its key, or None."""
    key = "_".join(str(value).lower().replace("-", " ").replace("_", " ").split())
    if key in KEYS:
        return key
    aliases = {
        "child_labor": "child_labour",
        "children": "child_labour",
        "forced_labor": "forced_labour",
        "armed_group": "armed_presence",
        "armed_groups": "armed_presence",
        "armed_group_presence": "armed_presence",
        "armed_group_interference": "armed_interference",
        "interference": "armed_interference",
        "taxation": "illegal_taxation",
        "child_labour_under15": "child_labour",
    }
    return aliases.get(key)


def derive_params() -> dict[str, list]:
    """The catalogue as parameters of queries/derive_site_findings.sql (keys and facts in order,
    so the SQL holds no copy of the mapping)."""
    return {
        "finding_keys": list(KEYS),
        "finding_facts": [f.fact for f in FINDINGS],
        "finding_source": SOURCE_ID,
    }


def when_text(when: str) -> str:
    """The legend's words for which visits count."""
    if when == "any":
        return "found at any IPIS visit to the site (the oldest from 2009)"
    return "found at the site's latest IPIS visit (earlier visits do not count)"


def caption(keys: tuple[str, ...] | list[str], when: str) -> str:
    """What a findings filter shows, in words (the Map's caption above the map and table)."""
    names = [LABELS.get(k, k).lower() for k in keys]
    found = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    other = (
        " Choose 'any visit' in the sidebar to count earlier visits too."
        if when != "any"
        else " A site counts even if a later visit no longer found it."
    )
    return (
        f"Only sites where {found} was {when_text(when)}. Source: IPIS site visits, eastern "
        "DR Congo artisanal mines (2009-2023); the table and the downloads give the latest "
        "visit's date, reference (vid) and answers. An unanswered question is not a 'no'."
        f"{other}"
    )


def latest_text(row: dict) -> str | None:
    """'2018-06-04 (vid=4041): child labour (under 15), mercury used' for a site's latest visit,
    or None for a site without a visit (the Map's table)."""
    date = row.get("latest_visit_date")
    if date is None or (isinstance(date, float) and date != date) or str(date) in ("NaT", ""):
        return None
    found = [LABELS[k].lower() for k in KEYS if row.get(f"finding_{k}") == "yes"]
    day = str(date)[:10]
    ref = row.get("latest_visit_ref") or ""
    return f"{day} ({ref}): " + (", ".join(found) if found else "none of the seven findings")
