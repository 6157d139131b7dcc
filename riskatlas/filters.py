"""Filter state kept in the URL: parse and validate query parameters, write them back canonical.

The sidebar that draws these filters and keeps them in st.query_params is riskatlas.ui.sidebar;
this module holds no Streamlit, so the library (the view, the exports, the CLI) can read a URL.

Parameters: brand, mineral, tier, country (comma-separated, ids or names as people type them,
read by riskatlas.names), min_risk (0-100), year, and dimension (labour | environment: what the
map colours by); province (names as people type them, accents and case ignored), finding (what a
site visit found, riskatlas.findings) and finding_when (latest | any: which visits count). A
value that matches nothing is ignored with a visible notice (for brands, minerals and countries
naming the closest known values as links), never an exception; a guessed reading ("Samsng") is
said in a notice too. evidence=site: only sites with site-level evidence (a visit or a
linked documented conflict).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from riskatlas.atlas_names import AtlasNames
from riskatlas.layers import TIER_LABELS, TIERS
from riskatlas.names import Names, Resolution, brand_names, mineral_names
from riskatlas.place_names import country_names, province_names
from riskatlas.text import md_text

PARAMS = ("brand", "mineral", "tier", "country", "min_risk", "year", "dimension")
PARAMS += ("province", "finding", "finding_when")
PARAMS += ("evidence",)
DIMENSIONS = ("labour", "environment")
EVIDENCE = ("site",)  # evidence=site: only sites whose evidence_level is 'site'


@dataclass(frozen=True)
class Vocabulary:
    """What filter values can match, from the database."""

    brands: dict[str, str]  # brand_id -> name
    minerals: tuple[str, ...]
    countries: dict[str, str]  # iso3 -> name
    years: tuple[int, ...]
    tiers: tuple[str, ...] = TIERS
    provinces: dict[str, str] = field(default_factory=dict)  # folded key -> name as shown
    province_countries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> iso3s
    # iso3 -> other names of the country (ISO2 code, official and CLDR names)
    country_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # a place name (lower case) -> the countries its sites are in ("kolwezi" -> COD), if known
    places: Callable[[str], Iterable[str]] | None = field(default=None, compare=False)
    # a place name (folded words) -> the province keys its sites are in ("kolwezi" -> lualaba)
    place_provinces: Callable[[str], Iterable[str]] | None = field(default=None, compare=False)

    @functools.cached_property
    def names(self) -> AtlasNames:
        """The name resolver over this vocabulary (the same vocabulary gets the same resolver:
        pages rebuild their Vocabulary on every rerun, and indexing 230 countries' names takes
        ~25 ms)."""
        return _names_for(
            tuple(self.brands.items()),
            tuple(self.minerals),
            tuple(self.countries.items()),
            tuple(sorted((k, tuple(v)) for k, v in self.country_aliases.items())),
            self.places,
            tuple(self.provinces.items()),
            self.place_provinces,
        )


@functools.lru_cache(maxsize=8)
def _names_for(
    brands, minerals, countries, country_aliases, places, provinces, place_provinces
) -> AtlasNames:
    return AtlasNames(
        brand_names(dict(brands)),
        mineral_names(minerals),
        country_names(dict(countries), dict(country_aliases), places),
        province_names(dict(provinces), place_provinces),
    )


@dataclass(frozen=True)
class FilterState:
    """One view of the atlas; the URL holds exactly this."""

    brands: tuple[str, ...] = ()
    minerals: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    min_risk: float | None = None
    year: int | None = None
    dimension: str = "labour"
    notices: tuple[str, ...] = field(default=(), compare=False)
    provinces: tuple[str, ...] = ()  # names as the atlas shows them
    findings: tuple[str, ...] = ()  # riskatlas.findings keys
    finding_when: str = "latest"  # latest | any
    evidence: str | None = None  # 'site': only sites with site-level evidence

    def sql_params(self) -> dict[str, Any]:
        """Parameters of the filtered-set queries (lists may be empty = no filter)."""
        from riskatlas import findings

        return {
            "brands": list(self.brands),
            "minerals": list(self.minerals),
            "tiers": list(self.tiers),
            "countries": list(self.countries),
            "year": self.year,
            "provinces": [province_key(p) for p in self.provinces],
            "finding_mask": findings.mask(self.findings),
            "finding_any": self.finding_when == "any",
            "evidence": self.evidence,
        }


def cache_key(state: FilterState) -> FilterState:
    """The state as a key of caches shared by every session: the same view whatever order the
    URL listed its values in ("mineral=gold,tin" = "mineral=tin,gold") and whatever notices
    its reading raised (a typo's "did you mean" does not change the rows).

    Why: the views many readers open (the home page, a story's brand) are computed once for
    all sessions; keyed by the state as parsed, equal views missed each other's entries. Only
    for what depends on the rows (the deck, the hotspot table), never for what words the
    values in the URL's order (the page title).
    """
    return replace(
        state,
        brands=tuple(sorted(state.brands)),
        minerals=tuple(sorted(state.minerals)),
        tiers=tuple(sorted(state.tiers)),
        countries=tuple(sorted(state.countries)),
        provinces=tuple(sorted(state.provinces)),
        findings=tuple(sorted(state.findings)),
        notices=(),
    )


def _split(raw: Any) -> list[str]:
    if raw is None:
        return []
    values = raw if isinstance(raw, list | tuple) else [raw]
    out = []
    for v in values:
        out.extend(p.strip() for p in str(v).split(","))
    return [p for p in out if p]


def _shown(value: str) -> str:
    """A user-supplied value as inline code: no markdown or HTML from the URL is rendered."""
    return "`" + value.replace("`", "'")[:80] + "`"


def province_key(name: str) -> str:
    """A province name folded as the build folds it (site_provinces.province_key)."""
    from riskatlas.places import province_key as key

    return key(name)


def _match_finding(value: str, vocab: Vocabulary) -> str | None:
    from riskatlas.findings import match

    return match(value)


def _match_tier(value: str, vocab: Vocabulary) -> str | None:
    key = value.lower().replace(" ", "_").replace("-", "_")
    if key in vocab.tiers:
        return key
    for tier, label in TIER_LABELS.items():
        if value.lower() == label.lower() or key.rstrip("s") == tier:
            return tier
    stem = key.rstrip("s")
    prefixed = [t for t in vocab.tiers if stem and t.startswith(stem)]
    return prefixed[0] if len(prefixed) == 1 else None


_FIELDS = {"brand": "brands", "mineral": "minerals", "country": "countries"}


def parse(params: Mapping[str, Any], vocab: Vocabulary) -> FilterState:
    """FilterState from query parameters; unknown values become notices, never errors."""
    notices: list[str] = []

    def multi(name: str, matcher) -> tuple[str, ...]:
        out: list[str] = []
        for value in _split(params.get(name)):
            hit = matcher(value, vocab)
            hits = hit if isinstance(hit, list) else ([hit] if hit else [])
            if not hits:
                notices.append(f"Unknown {name} {_shown(value)} ignored.")
            for h in hits:
                if h not in out:
                    out.append(h)
        return tuple(out)

    found: dict[str, list[str]] = {name: [] for name in _FIELDS}
    refused: list[Resolution] = []
    for name in _FIELDS:
        names = vocab.names.by_kind[name]
        for value in _split(params.get(name)):
            res = names.resolve(value)
            if not res.ok:
                refused.append(res)
                continue
            if res.guessed:
                notices.append(
                    f"{name.capitalize()} {_shown(value)} read as "
                    + ", ".join(md_text(names.label(i)) for i in res.ids)
                    + "."
                )
            found[name].extend(i for i in res.ids if i not in found[name])
    brands, minerals, countries = (tuple(found[n]) for n in _FIELDS)

    tiers: list[str] = []
    for value in _split(params.get("tier")):
        tier = _match_tier(value, vocab)
        if not tier:
            notices.append(f"Unknown tier {_shown(value)} ignored.")
        elif tier not in tiers:
            tiers.append(tier)

    min_risk = None
    raw = _split(params.get("min_risk"))
    if raw:
        try:
            min_risk = float(raw[0])
            if not 0 <= min_risk <= 100:
                raise ValueError
        except ValueError:
            min_risk = None
            notices.append(f"min_risk {_shown(raw[0])} ignored: it must be a number from 0 to 100.")

    year = None
    raw = _split(params.get("year"))
    if raw:
        try:
            year = int(raw[0])
        except ValueError:
            notices.append(f"year {_shown(raw[0])} ignored: it must be a year such as 2024.")
        else:
            if vocab.years and year not in vocab.years:
                notices.append(
                    f"No brand list in year {_shown(raw[0])}; years with lists: "
                    f"{', '.join(str(y) for y in vocab.years)}. Year ignored."
                )
                year = None

    provinces: list[str] = []  # names as shown, read by riskatlas.place_names (province_names)
    province_names_ = vocab.names.by_kind["province"]
    for value in _split(params.get("province")):
        res = province_names_.resolve(value)
        if not res.ok:
            refused.append(res)
            continue
        shown = [province_names_.label(k) for k in res.ids]
        if res.guessed:
            notices.append(f"Province {_shown(value)} read as {md_text(', '.join(shown))}.")
        provinces.extend(p for p in shown if p not in provinces)
    found_findings = multi("finding", _match_finding)
    finding_when = "latest"
    raw = _split(params.get("finding_when"))
    if raw:
        if raw[0].lower() in ("latest", "any"):
            finding_when = raw[0].lower()
        else:
            notices.append(f"finding_when {_shown(raw[0])} ignored: use latest or any.")

    dimension = "labour"
    raw = _split(params.get("dimension"))
    if raw:
        if raw[0].lower() in DIMENSIONS:
            dimension = raw[0].lower()
        else:
            notices.append(f"dimension {_shown(raw[0])} ignored: use labour or environment.")

    evidence = None
    raw = _split(params.get("evidence"))
    if raw:
        if raw[0].lower() in EVIDENCE:
            evidence = raw[0].lower()
        else:
            notices.append(f"evidence {_shown(raw[0])} ignored: use evidence=site.")

    state = FilterState(
        brands,
        minerals,
        tuple(tiers),
        countries,
        min_risk,
        year,
        dimension,
        provinces=tuple(provinces),
        findings=found_findings,
        finding_when=finding_when,
        evidence=evidence,
    )
    refusals = [refusal_notice(res, vocab.names.by_kind[res.kind], state) for res in refused]
    refusals += [n for res in refused if (n := province_hint(res, vocab, state))]
    return replace(state, notices=tuple(refusals + notices))


def province_hint(res: Resolution, vocab: Vocabulary, state: FilterState) -> str:
    """For a country that is a province's name ('?country=Lualaba'): the link that filters by
    the province instead, or ''."""
    if res.kind != "country":
        return ""
    provinces = vocab.names.by_kind["province"]
    got = provinces.resolve(res.text)
    if not got.ok or got.basis not in ("id", "name"):
        return ""
    shown = [provinces.label(k) for k in got.ids]
    target = replace(state, provinces=state.provinces + tuple(shown))
    return f"{_shown(res.text)} is a province: [{md_text(shown[0])}]({query_string(target)})."


def refusal_notice(res: Resolution, names: Names, state: FilterState) -> str:
    """'Unknown brand `x` ignored. Did you mean: [Samsung Electronics](?brand=...)?'

    The links keep the rest of the view (they add the suggested id to the current filters);
    they are built from ids only, and the user's text stays one inline code span.
    """
    what = res.kind
    shown = _shown(res.text)
    if res.reason == "ambiguous":
        head = (
            f"{what.capitalize()} {shown} could be several {_FIELDS.get(what, what + 's')}; "
            "ignored. Pick one:"
        )
    elif res.reason == "place":
        head = f"{shown} is not a {what}; ignored. The sites named so are in:"
    elif res.reason == "absent":
        head = (
            f"The atlas holds no data for the {what} {md_text(res.absent_label)}; {shown} ignored."
        )
    else:
        head = f"Unknown {what} {shown} ignored."
    ids = list(res.suggestions)
    lead = " Did you mean:" if res.reason in ("unknown", "absent") else ""
    if not ids and res.reason == "unknown" and what == "brand":
        ids, lead = list(names.labels), " The atlas holds lists from:"
    if not ids:
        return head
    field_name = _FIELDS.get(what, f"{what}s")
    links = []
    for i in ids:
        current = getattr(state, field_name)
        value = names.label(i) if what == "province" else i  # the state holds province names
        target = replace(
            state, **{field_name: current + (value,) if value not in current else current}
        )
        links.append(f"[{md_text(names.label(i))}]({query_string(target)})")
    return head + lead + " " + ", ".join(links) + ("?" if lead == " Did you mean:" else ".")


def to_params(state: FilterState) -> dict[str, str]:
    """The canonical query parameters of a state (empty filters are left out)."""
    out: dict[str, str] = {}
    for name, values in (
        ("brand", state.brands),
        ("mineral", state.minerals),
        ("tier", state.tiers),
        ("country", state.countries),
    ):
        if values:
            out[name] = ",".join(values)
    if state.min_risk is not None:
        out["min_risk"] = f"{state.min_risk:g}"
    if state.year is not None:
        out["year"] = str(state.year)
    if state.dimension != "labour":
        out["dimension"] = state.dimension
    for name, values in (("province", state.provinces), ("finding", state.findings)):
        if values:
            out[name] = ",".join(values)
    if state.finding_when != "latest":
        out["finding_when"] = state.finding_when
    if state.evidence:
        out["evidence"] = state.evidence
    return out


def query_string(state: FilterState, **extra: str) -> str:
    """'?brand=...&mineral=...' for links that lead into a filtered view."""
    from urllib.parse import urlencode

    params = {**to_params(state), **extra}
    return "?" + urlencode(params, safe=",") if params else ""
