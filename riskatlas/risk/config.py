"""Load and validate weights.toml, the one config with every risk weight, its rationale and source."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas import settings
from riskatlas.sources.base import TIERS

CONFIG_PATH = Path(__file__).with_name("weights.toml")
DIMENSIONS = ("labour", "environment")
LEVELS = ("site", "mineral_country", "country")
TABLE_OF_LEVEL = {
    "site": "site_facts",
    "mineral_country": "goods_risk",
    "country": "country_indicators",
}
# normalisation kind -> the parameters it needs
KINDS = {
    "yes_no": (),
    "present": (),
    "listed": (),
    "cap": ("cap",),
    "range": ("lo", "hi"),
    "inverted_range": ("lo", "hi"),
    "log_scale": ("lo", "hi"),
}
INDICATOR_FIELDS = (
    "label",
    "level",
    "table",
    "key",
    "source",
    "normalise",
    "normalisation",
    "cite",
    "rationale",
)

WeightKey = tuple[str, str, str]  # (tier, dimension, indicator)


class ConfigError(ValueError):
    """weights.toml is inconsistent; the message names the offending entry."""


@dataclass(frozen=True)
class Indicator:
    """One kind of evidence: where it is read from and how it becomes 0..1 (1 = worst)."""

    name: str
    label: str
    level: str
    table: str
    key: str
    source: str
    normalise: str
    normalisation: str
    cite: str
    rationale: str
    params: dict[str, float] = field(default_factory=dict)
    match: str | None = None  # goods_risk only: 'mineral' or 'good'
    half_life_years: float | None = None  # site findings only: overrides the model's half-life
    goods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weight:
    tier: str
    dimension: str
    indicator: str
    weight: float
    why: str


@dataclass(frozen=True)
class RiskConfig:
    """The whole model: indicators, weights per tier and dimension, and the rules as text."""

    indicators: dict[str, Indicator]
    weights: tuple[Weight, ...]
    half_life_years: float
    model: dict[str, str]
    levels: dict[str, str]
    path: Path | None = None

    def weight_map(self) -> dict[WeightKey, float]:
        return {(w.tier, w.dimension, w.indicator): w.weight for w in self.weights}

    def indicators_of(self, tier: str, dimension: str) -> list[str]:
        return [w.indicator for w in self.weights if w.tier == tier and w.dimension == dimension]


def config_path() -> Path:
    """The weights file: ``$RISKATLAS_WEIGHTS`` if set, else weights.toml beside this module."""
    return settings.WEIGHTS.path() or CONFIG_PATH


def load_config(path: str | Path | None = None) -> RiskConfig:
    """Read and validate the config, so that a typo fails the build instead of skewing scores.

    A file that cannot be read or is not TOML is a ConfigError naming it, like an inconsistent
    one: the command line prints it as one line.
    """
    path = Path(path) if path else config_path()
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"weights file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read the weights file {path}: {exc.strerror or exc}") from exc
    try:
        return parse_config(raw, path)
    except ConfigError as exc:
        raise ConfigError(f"weights file {path}: {exc}") from exc


def parse_config(raw: Mapping[str, Any], path: Path | None = None) -> RiskConfig:
    """Validate a parsed TOML document and turn it into a RiskConfig."""
    model = dict(raw.get("model") or {})
    half_life = model.pop("half_life_years", None)
    if not _positive(half_life):
        raise ConfigError("model.half_life_years must be a positive number")
    levels = dict(raw.get("levels") or {})
    if set(levels) != set(LEVELS):
        raise ConfigError(f"[levels] must describe exactly {LEVELS}, got {sorted(levels)}")

    indicators = {
        name: _indicator(name, spec) for name, spec in (raw.get("indicators") or {}).items()
    }
    if not indicators:
        raise ConfigError("no [indicators] defined")

    tiers = raw.get("tiers") or {}
    unknown = set(tiers) - set(TIERS)
    if unknown:
        raise ConfigError(f"unknown tiers {sorted(unknown)}; tiers are {TIERS}")
    weights = []
    for tier in TIERS:
        for dim in DIMENSIONS:
            entries = (tiers.get(tier) or {}).get(dim)
            if not entries:
                raise ConfigError(f"[tiers.{tier}.{dim}] is missing or empty")
            for ind, spec in entries.items():
                where = f"tiers.{tier}.{dim}.{ind}"
                if ind not in indicators:
                    raise ConfigError(f"{where}: indicator {ind!r} is not defined in [indicators]")
                if not isinstance(spec, Mapping) or set(spec) != {"weight", "why"}:
                    raise ConfigError(f"{where}: must be {{ weight = <number>, why = <text> }}")
                if not _positive(spec["weight"]):
                    raise ConfigError(f"{where}: weight must be a positive finite number")
                if not str(spec["why"]).strip():
                    raise ConfigError(f"{where}: the rationale ('why') is empty")
                weights.append(
                    Weight(tier, dim, ind, float(spec["weight"]), str(spec["why"]).strip())
                )
        extra = set(tiers.get(tier) or {}) - set(DIMENSIONS)
        if extra:
            raise ConfigError(f"[tiers.{tier}] has unknown dimensions {sorted(extra)}")
    unused = set(indicators) - {w.indicator for w in weights}
    if unused:
        raise ConfigError(f"indicators defined but never weighted: {sorted(unused)}")
    return RiskConfig(
        indicators=indicators,
        weights=tuple(weights),
        half_life_years=float(half_life),
        model={k: " ".join(str(v).split()) for k, v in model.items()},
        levels={k: str(v) for k, v in levels.items()},
        path=path,
    )


def _indicator(name: str, spec: Mapping[str, Any]) -> Indicator:
    where = f"indicators.{name}"
    missing = [f for f in INDICATOR_FIELDS if not str(spec.get(f, "")).strip()]
    if missing:
        raise ConfigError(f"{where}: missing {missing}")
    level, kind = spec["level"], spec["normalise"]
    if level not in LEVELS:
        raise ConfigError(f"{where}: level {level!r} is not one of {LEVELS}")
    if spec["table"] != TABLE_OF_LEVEL[level]:
        raise ConfigError(f"{where}: a {level} indicator is read from {TABLE_OF_LEVEL[level]}")
    if kind not in KINDS:
        raise ConfigError(f"{where}: normalise {kind!r} is not one of {sorted(KINDS)}")
    params = {}
    for p in KINDS[kind]:
        v = spec.get(p)
        if not isinstance(v, int | float) or not math.isfinite(v):
            raise ConfigError(f"{where}: normalise={kind} needs a number {p!r}")
        params[p] = float(v)
    if "lo" in params and params["hi"] <= params["lo"]:
        raise ConfigError(f"{where}: hi must be greater than lo")
    if kind == "log_scale" and params["lo"] <= 0:
        raise ConfigError(f"{where}: log_scale needs lo > 0")
    if kind == "cap" and params["cap"] <= 0:
        raise ConfigError(f"{where}: cap must be positive")
    half_life = spec.get("half_life_years")
    if half_life is not None and (level != "site" or not _positive(half_life)):
        raise ConfigError(
            f"{where}: half_life_years must be a positive number, on site findings only"
        )
    match, goods = spec.get("match"), tuple(spec.get("goods") or ())
    if level == "mineral_country":
        if match not in ("mineral", "good"):
            raise ConfigError(f"{where}: a goods_risk indicator needs match = 'mineral' or 'good'")
        if match == "good" and not goods:
            raise ConfigError(f"{where}: match = 'good' needs a goods list")
        if spec["key"] not in ("child_labor", "forced_labor"):
            raise ConfigError(f"{where}: key must be child_labor or forced_labor")
    return Indicator(
        name=name,
        label=str(spec["label"]),
        level=level,
        table=str(spec["table"]),
        key=str(spec["key"]),
        source=str(spec["source"]),
        normalise=kind,
        normalisation=str(spec["normalisation"]),
        cite=str(spec["cite"]),
        rationale=str(spec["rationale"]),
        params=params,
        match=match,
        goods=goods,
        half_life_years=float(half_life) if half_life is not None else None,
    )


def _positive(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def weights_table(config: RiskConfig | None = None) -> pd.DataFrame:
    """Every weight in the config with its rationale and source, as the methodology page shows it."""
    cfg = config or load_config()
    rows = []
    for w in cfg.weights:
        ind = cfg.indicators[w.indicator]
        rows.append(
            {
                "tier": w.tier,
                "dimension": w.dimension,
                "indicator": w.indicator,
                "weight": w.weight,
                "why": w.why,
                "label": ind.label,
                "level": ind.level,
                "source": ind.source,
                "table": ind.table,
                "key": ind.key,
                "normalisation": ind.normalisation,
                "half_life_years": (
                    (ind.half_life_years or cfg.half_life_years) if ind.level == "site" else None
                ),
                "rationale": ind.rationale,
            }
        )
    return pd.DataFrame(rows)


def weight_map(weights: Any = None) -> dict[WeightKey, float]:
    """{(tier, dimension, indicator): weight} from a config, a weights_table()-shaped frame, a
    nested {tier: {dimension: {indicator: w}}} mapping or a flat {(tier, dim, ind): w} mapping;
    so the page can pass back whatever it edited."""
    if weights is None:
        return load_config().weight_map()
    if isinstance(weights, RiskConfig):
        return weights.weight_map()
    if isinstance(weights, str | Path):
        return load_config(weights).weight_map()
    if isinstance(weights, pd.DataFrame):
        need = {"tier", "dimension", "indicator", "weight"}
        if not need <= set(weights.columns):
            raise ConfigError(f"a weights frame needs the columns {sorted(need)}")
        out = {}
        for t, d, i, w in weights[["tier", "dimension", "indicator", "weight"]].itertuples(
            index=False
        ):
            out[(t, d, i)] = _checked_weight(w, (t, d, i))
        return out
    if isinstance(weights, Mapping):
        out = {}
        for k, v in weights.items():
            if isinstance(k, tuple):
                out[k] = _checked_weight(v, k)
            else:
                for dim, inds in v.items():
                    for ind, w in inds.items():
                        w = w["weight"] if isinstance(w, Mapping) else w
                        out[(k, dim, ind)] = _checked_weight(w, (k, dim, ind))
        return out
    raise ConfigError(f"cannot read weights from {type(weights).__name__}")


def _checked_weight(w: Any, key: WeightKey) -> float:
    try:
        f = float(w)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"weight for {key} is not a number: {w!r}") from e
    if not math.isfinite(f) or f < 0:
        raise ConfigError(f"weight for {key} must be finite and >= 0 (0 switches it off): {w!r}")
    return f
