"""weights.toml: every weight has a rationale and a source, and a broken config fails loudly."""

from __future__ import annotations

import copy
import tomllib

import pytest

from riskatlas.risk import ConfigError, load_config, weight_map, weights_table
from riskatlas.risk.config import CONFIG_PATH, DIMENSIONS, parse_config
from riskatlas.sources.base import TIERS


@pytest.fixture(scope="module")
def raw_config() -> dict:
    with open(CONFIG_PATH, "rb") as f:
        return tomllib.load(f)


def test_weights_table_lists_every_weight_in_the_file(raw_config):
    in_file = {
        (tier, dim, ind): spec["weight"]
        for tier, dims in raw_config["tiers"].items()
        for dim, inds in dims.items()
        for ind, spec in inds.items()
    }
    table = weights_table()
    assert len(table) == len(in_file) == 147  # 97 + 10 EJAtlas conflict indicators x 5 tiers
    got = {(r.tier, r.dimension, r.indicator): r.weight for r in table.itertuples()}
    assert got == in_file
    for col in ("why", "label", "source", "normalisation", "rationale", "level"):
        assert table[col].str.strip().str.len().min() > 0, col


def test_every_tier_and_dimension_has_weights_and_rules():
    cfg = load_config()
    for tier in TIERS:
        for dim in DIMENSIONS:
            assert cfg.indicators_of(tier, dim), (tier, dim)
    assert cfg.half_life_years == 5.0
    for key in ("score_rule", "coverage_rule", "recency_rule"):
        assert "coverage" in cfg.model["coverage_rule"] and cfg.model[key]
    # site findings come first on the ladder: the artisanal labour weights favour them
    wm = cfg.weight_map()
    assert (
        wm[("artisanal_mine", "labour", "child_labour_under15")]
        > wm[("artisanal_mine", "labour", "ilab_goods_child_labour")]
        > wm[("artisanal_mine", "labour", "ilab_c138_ratified")]
    )


def test_known_indicator_mapping():
    cfg = load_config()
    gsi = cfg.indicators["gsi_prevalence_per_1000"]
    assert (gsi.table, gsi.key, gsi.normalise, gsi.params) == (
        "country_indicators",
        "gsi_prevalence_per_1000",
        "cap",
        {"cap": 20.0},
    )
    assert cfg.indicators["ilab_electronics_forced_labour"].goods == ("Electronics",)
    assert cfg.indicators["mercury"].level == "site"


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda c: c["tiers"]["mine"]["labour"].update(nope={"weight": 1.0, "why": "x"}),
            "not defined",
        ),
        (lambda c: c["tiers"]["mine"]["labour"]["fh_E3"].update(weight=-1.0), "positive"),
        (lambda c: c["tiers"]["mine"]["labour"]["fh_E3"].update(why=" "), "rationale"),
        (lambda c: c["tiers"]["mine"]["labour"].update(fh_G4=2.0), "weight = <number>"),
        (lambda c: c["tiers"].pop("ewaste"), "tiers.ewaste"),
        (lambda c: c["tiers"].update(volcano={}), "unknown tiers"),
        (lambda c: c["indicators"]["fh_E3"].update(level="galaxy"), "level"),
        (lambda c: c["indicators"]["fh_E3"].update(table="site_facts"), "read from"),
        (lambda c: c["indicators"]["fh_E3"].pop("rationale"), "missing"),
        (lambda c: c["indicators"]["fh_E3"].update(normalise="magic"), "normalise"),
        (lambda c: c["indicators"]["fh_E3"].update(hi=-3.0), "greater than lo"),
        (lambda c: c["indicators"]["gsi_prevalence_per_1000"].pop("cap"), "needs a number"),
        (lambda c: c["indicators"].update(spare=dict(c["indicators"]["fh_E3"])), "never weighted"),
        (lambda c: c["model"].update(half_life_years=0), "half_life"),
        (lambda c: c["indicators"]["fh_E3"].update(half_life_years=3.0), "site findings only"),
        (lambda c: c["indicators"]["mercury"].update(half_life_years=-1.0), "site findings only"),
    ],
)
def test_broken_config_is_refused(raw_config, edit, message):
    broken = copy.deepcopy(raw_config)
    edit(broken)
    with pytest.raises(ConfigError, match=message):
        parse_config(broken)


def test_weight_map_accepts_what_the_page_edits():
    table = weights_table()
    wm = weight_map(table)
    assert wm == load_config().weight_map()
    nested = {"mine": {"labour": {"fh_E3": 2}}}
    assert weight_map(nested) == {("mine", "labour", "fh_E3"): 2.0}
    assert weight_map({("mine", "labour", "fh_E3"): 0}) == {("mine", "labour", "fh_E3"): 0.0}
    with pytest.raises(ConfigError):
        weight_map(table.assign(weight=-1))
    with pytest.raises(ConfigError):
        weight_map(table.drop(columns="weight"))
