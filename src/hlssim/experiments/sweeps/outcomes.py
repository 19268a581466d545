"""What a sweep can read off a run: every summary key, one derived reading, their units and which way is better.

A sweep file names its outcomes from this list, and the report needs to know, for the outcome
that decides who is ahead, whether more is better. The one derived reading,
``flourishing_gain_per_1000_gbp``, is ``1000 / cost_per_flourishing_gain`` written so that it stays
defined (and signed) when spend bought no net gain, where ``cost_per_flourishing_gain`` is NaN:
a lever that bought a loss is then behind, not missing.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

PER_1000_GBP = "flourishing_gain_per_1000_gbp"

# (unit for axis labels, which way is better: "higher", "lower" or None when neither is)
READINGS: dict[str, tuple[str, str | None]] = {
    "flourishing_mean": ("index 0-1", "higher"),
    "flourishing_gain": ("index points", "higher"),
    "flourishing_gain_smd": ("index points", "higher"),
    "equity_gap": ("index points", "lower"),
    "true_success_rate": ("share of closed cases", "higher"),
    "reported_success_rate": ("share of closed cases", None),
    "goodhart_gap": ("share points", None),
    "report_true_corr": ("correlation", "higher"),
    "data_integrity": ("share of closed cases", "higher"),
    "cost_per_citizen_year": ("£ per citizen per year", "lower"),
    "crisis_cost_per_citizen_year": ("£ per citizen per year", "lower"),
    "crisis_cost_per_smd_citizen_year": ("£ per SMD citizen per year", "lower"),
    "admin_share": ("share of worker hours", "lower"),
    "turned_away_share": ("share of requests", "lower"),
    "failure_demand_share": ("share of requests", "lower"),
    "parked_share": ("share of case-weeks", "lower"),
    "trust_mean": ("0-1", "higher"),
    "knowledge_accuracy": ("0-1", "higher"),
    "worker_motivation_mean": ("0-1", "higher"),
    "worker_turnover_rate": ("leavers per worker per year", "lower"),
    "burnout_share": ("share of worker-weeks", "lower"),
    "misreport_rate": ("share of closed cases", "lower"),
    "spend_per_citizen_year": ("£ per citizen per year", "lower"),
    "cost_per_flourishing_gain": ("£ per flourishing point", "lower"),
    "hardest_tier_spend_share": ("share of funder spend", "higher"),
    "public_service_use_per_smd_citizen_year": ("£ per SMD citizen per year", "lower"),
    "provider_concentration": ("Herfindahl index", None),
    "gaming_provider_share": ("share of budget", "lower"),
    PER_1000_GBP: ("flourishing points per £1,000 spent", "higher"),
}
DERIVED = (PER_1000_GBP,)


@functools.cache
def summary_keys() -> tuple[str, ...]:
    """Every key a run's summary holds, read off a tiny run so the list cannot drift from the model."""
    from ..simulate import simulate
    return tuple(simulate("npm", seed=0, weeks=1, overrides={"population.citizens": 10}).summary)


def outcome_keys() -> tuple[str, ...]:
    """What a sweep may name as an outcome: the summary keys and the derived readings."""
    return summary_keys() + DERIVED


def unit(key: str) -> str:
    return READINGS.get(key, ("see docs/metrics.md", None))[0]


def better(key: str) -> str | None:
    return READINGS.get(key, ("", None))[1]


def derived(summary: Mapping[str, float], weeks: int) -> dict[str, float]:
    """The derived readings of one run from its summary and length."""
    spend = summary["spend_per_citizen_year"] * weeks / 52.0      # £ per citizen over the run
    gain = summary["flourishing_gain"]                              # flourishing points per citizen
    return {PER_1000_GBP: 1000.0 * gain / spend if spend > 0 else math.nan}
