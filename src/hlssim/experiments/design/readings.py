"""What a design search reads off a design on one world, and how it judges a design over many worlds.

A **reading** is a summary key (docs/metrics.md) a funder can want more or less of, every design can
move, and two designs can be compared on (no closing-rule caveats): the flourishing gain of people with
SMD, whole public cost, the funder's spend, data integrity, ... Each is also read **against business
as usual** on the same world and seed (``KEY_vs_bau``: the design's value less business as usual's), so
that the worlds' own differences (one world has more crises than another) cancel out of the comparison.

A design's **objective** is a statistic of a reading over the worlds (seeds 1..S, each drawing its
particle from the posterior): ``mean``, ``median``, ``p10`` or ``p90``. ``p10`` of something to raise
and ``p90`` of something to lower are what the design does at least as well as in 9 worlds of 10: the
robust reading. A statistic is undefined (NaN) when the reading is undefined on more than half the worlds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...params import Params
from ...params.sizes import team_count, workforce_size

VS_BAU = "_vs_bau"
STATISTICS = ("mean", "median", "p10", "p90")
INF = math.inf


@dataclass(frozen=True)
class Reading:
    """A summary key read as an objective or a constraint: what it means, its unit, which way is better and
    the values it can possibly take (for a constraint no design could meet)."""

    key: str
    meaning: str
    short: str                    # a few words for titles and axes
    unit: str
    better: str                   # higher or lower
    low: float = -INF
    high: float = INF
    against_bau: bool = False

    @property
    def name(self) -> str:
        return self.key + (VS_BAU if self.against_bau else "")

    @property
    def money(self) -> bool:
        return self.unit.startswith("£")

    def versus_bau(self) -> Reading:
        """The same reading as the design's value less business as usual's on the same world."""
        return Reading(self.key, f"{self.meaning} against business as usual", f"{self.short} against business as usual",
                       self.unit, self.better, self.low - self.high, self.high - self.low, True)


_SHARE = (0.0, 1.0)
_INDEX = (-1.0, 1.0)
_MONEY = (0.0, INF)
READINGS = {r.key: r for r in (
    Reading("flourishing_gain_smd", "flourishing gain of people with SMD", "SMD flourishing", "index points", "higher",
            *_INDEX),
    Reading("flourishing_gain", "flourishing gain of all residents", "flourishing", "index points", "higher", *_INDEX),
    Reading("equity_gap", "equity gap (residents not SMD less those SMD, at the end)", "equity gap", "index points",
            "lower", *_INDEX),
    Reading("cost_per_citizen_year", "whole public cost (the funder's spend and crisis services)", "whole public cost",
            "£ per citizen per year", "lower", *_MONEY),
    Reading("spend_per_citizen_year", "the funder's spend", "the funder's spend", "£ per citizen per year", "lower",
            *_MONEY),
    Reading("crisis_cost_per_smd_citizen_year", "crisis cost of people with SMD", "SMD crisis cost",
            "£ per SMD citizen per year", "lower", *_MONEY),
    Reading("public_service_use_per_smd_citizen_year", "public service use of people with SMD",
            "SMD public service use", "£ per SMD citizen per year", "lower", *_MONEY),
    Reading("data_integrity", "data integrity (closed cases whose record agrees with the truth)", "data integrity",
            "share of closed cases", "higher", *_SHARE),
    Reading("hardest_tier_spend_share", "share of the service's resources reaching people with SMD",
            "resources reaching SMD", "share of resources", "higher", *_SHARE),
    Reading("parked_share_smd", "parked share of SMD cases", "SMD cases parked", "share of case-weeks", "lower",
            *_SHARE),
    Reading("trust_mean", "citizens' trust in their worker", "trust", "0-1", "higher", *_SHARE),
    Reading("burnout_share", "workers burnt out", "burnout", "share of workers", "lower", *_SHARE),
    Reading("worker_turnover_rate", "worker turnover", "turnover", "leavers per worker per year", "lower", 0.0, INF),
    Reading("wait_weeks_mean", "weeks waited before a case opens", "waiting", "weeks", "lower", 0.0, INF),
)}


def names() -> list[str]:
    """Every reading a design file may name: each summary key, and each against business as usual."""
    return [n for key in READINGS for n in (key, key + VS_BAU)]


def reading(name: str) -> Reading | None:
    """The reading ``name`` names (``KEY`` or ``KEY_vs_bau``), or None."""
    if name.endswith(VS_BAU) and name.removesuffix(VS_BAU) in READINGS:
        return READINGS[name.removesuffix(VS_BAU)].versus_bau()
    return READINGS.get(name)


def on_one_world(design: Mapping[str, float], baseline: Mapping[str, float], wanted: Sequence[str]) -> dict[str, float]:
    """The readings ``wanted`` of a design on one world, from its run's summary and business as usual's on the
    same world and seed."""
    out = {}
    for name in wanted:
        r = reading(name)
        value = float(design[r.key])
        out[name] = value - float(baseline[r.key]) if r.against_bau else value
    return out


def statistic(values: Sequence[float], which: str) -> float:
    """``mean``, ``median``, ``p10`` or ``p90`` over the worlds where the reading is defined; NaN where it is
    undefined on more than half of them (the middle of a defined few is not the middle of the worlds)."""
    arr = np.asarray(values, dtype=float)
    defined = arr[~np.isnan(arr)]
    if defined.size == 0 or (arr.size - defined.size) * 2 > arr.size:
        return math.nan
    if which == "mean":
        return float(defined.mean())
    return float(np.percentile(defined, {"median": 50, "p10": 10, "p90": 90}[which]))


def worst_decile(better: str) -> str:
    """The statistic a design does at least as well as in 9 worlds of 10: p10 of what to raise, p90 of what to
    lower."""
    return "p10" if better == "higher" else "p90"


def staff_cost_per_citizen_year(p: Params) -> float:
    """What the place's workers and managers cost a year per citizen (ODD 7.13): always paid, whatever the
    contract."""
    return (workforce_size(p) * p.workforce.salary_per_year
            + team_count(p) * p.workforce.manager_salary_per_year) / p.population.citizens


def least_spend(p: Params, largest_share_withheld: float) -> float:
    """The least the funder can spend per citizen a year on this place (ODD 7.13): staff are always paid, and at
    most ``largest_share_withheld`` of what it pays for staff and services is held back at risk, so its spend is
    at least the rest of the staff cost (outcome payments, service money and follow-up only add to it)."""
    return (1.0 - largest_share_withheld) * staff_cost_per_citizen_year(p)
