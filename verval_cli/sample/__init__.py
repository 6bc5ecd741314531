"""Synthetic verval rounds: a province list, damaged village submissions and their ground truth.

Every name, NIK and No KK is invented; see ``sample_data/README.md``.
"""

from verval_cli.sample.damage import HARD, ROW_DAMAGE_KINDS, DamageRates
from verval_cli.sample.round import RoundFiles, SampleSpec, Scenario, generate_truth, write_round

__all__ = [
    "HARD",
    "ROW_DAMAGE_KINDS",
    "DamageRates",
    "RoundFiles",
    "SampleSpec",
    "Scenario",
    "generate_truth",
    "write_round",
]
