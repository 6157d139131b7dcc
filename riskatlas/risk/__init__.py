"""Explainable labour and environment risk per site: components, weights and scores."""

from .config import ConfigError, RiskConfig, config_path, load_config, weight_map, weights_table
from .score import compute_risk, rescore, reweight

__all__ = [
    "ConfigError",
    "RiskConfig",
    "config_path",
    "compute_risk",
    "load_config",
    "rescore",
    "reweight",
    "weight_map",
    "weights_table",
]
