"""What funders read off: contract designs against business as usual, and national scale-up.

Business as usual is the ``npm`` preset on the same world (same citizens, workforce
and seeds: common random numbers), so a design's avoided crisis cost is a paired
difference, seed by seed. Scale-up multiplies the simulated per-person difference
in SMD public service use by a national headcount and reports an interval across
seeds, never a single point (seed, "It is more cost-effective to work in a Human way").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..outputs.applicability import not_applicable_in_all
from ..outputs.stats import spread
from .headcounts import POPULATION_PRESETS, SEED_CLAIM_PER_PERSON  # noqa: F401 - commissioning's names for them
from .runner import Outcome, RunSpec, run_all

# What a design shares with its business-as-usual baseline: the world, its people and the model's
# assumptions about how people report, wait and work; not the practices, contract or market.
SAME_WORLD_GROUPS = ("world", "evidence", "population", "crisis", "workforce", "measurement", "queue", "quality")


def business_as_usual(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The same world, workforce and people as a design, run the NPM way."""
    return {k: v for k, v in (overrides or {}).items() if k.split(".")[0] in SAME_WORLD_GROUPS}


def smd_public_service_use(result: Outcome) -> float:
    """£ a year per citizen who started with SMD: crisis services plus what the service spent on them."""
    return result.summary["public_service_use_per_smd_citizen_year"]


@dataclass
class PairedRun:
    seed: int
    design: Outcome
    baseline: Outcome
    not_applicable: tuple[str, ...] = ()     # the design's keys whose mechanism cannot act under it

    @property
    def summary(self) -> dict[str, float]:
        """The design's summary with its structural zeros as NaN (a design that cannot park has no parking
        figure), and what it changes against business as usual on the same seed."""
        s = {k: (np.nan if k in self.not_applicable else v) for k, v in self.design.summary.items()}
        s["crisis_cost_avoided_per_smd_citizen_year"] = (
            self.baseline.summary["crisis_cost_per_smd_citizen_year"] - s["crisis_cost_per_smd_citizen_year"])
        s["smd_use_difference_per_person"] = smd_public_service_use(self.baseline) - smd_public_service_use(self.design)
        return s


def compare_designs(designs: dict[str, tuple[str | None, dict[str, Any]]], seeds, weeks: int = 260,
                    n_jobs: int | None = None, progress: bool = False,
                    posterior=None) -> dict[str, list[PairedRun]]:
    """Run every design on every seed, and business as usual once per world and seed, in parallel. With a
    ``posterior`` (a ``posterior.Posterior``), seed s runs every design and its baseline with the particle it
    draws: the funders' comparison over plausible worlds."""
    def bau_key(overrides):   # designs on the same world share their business-as-usual runs
        return repr(sorted(business_as_usual(overrides).items()))

    specs: dict[tuple, RunSpec] = {}
    for name, (regime, overrides) in designs.items():
        for seed in seeds:
            specs[("design", name, seed)] = RunSpec.build(name, regime, overrides, seed, weeks, posterior=posterior)
            specs[("bau", bau_key(overrides), seed)] = RunSpec.build(
                "business-as-usual", "npm", business_as_usual(overrides), seed, weeks, posterior=posterior)
    keys = list(specs)
    results = dict(zip(keys, run_all([specs[k] for k in keys], n_jobs, progress), strict=True))
    out = {}
    for name, (_, overrides) in designs.items():
        first = next(iter(seeds), None)          # a design's parameters are the same at every seed
        na = (not_applicable_in_all(specs[("design", name, first)].params,
                                    [results[("design", name, s)].summary for s in seeds]) if first is not None else ())
        out[name] = [PairedRun(s, results[("design", name, s)], results[("bau", bau_key(overrides), s)], na)
                     for s in seeds]
    return out


def run_design(regime: str | None, overrides: dict[str, Any] | None, seeds, weeks: int = 260,
               n_jobs: int | None = None) -> list[PairedRun]:
    """Each seed run twice: under the design, and under business as usual on the same world."""
    return compare_designs({"design": (regime, overrides or {})}, seeds, weeks, n_jobs)["design"]


def interval(values) -> dict[str, float]:
    """10th, 50th and 90th percentiles across seeds."""
    s = spread(values)
    return {"low": s.low, "median": s.median, "high": s.high}


def smd_use_differences(design: tuple[str | None, dict[str, Any]],
                        baseline: tuple[str | None, dict[str, Any]] | None, seeds, weeks: int = 260,
                        n_jobs: int | None = None, progress: bool = False, posterior=None) -> list[float]:
    """Per seed, £ a year less SMD public service use under the design than under the baseline.

    Without a baseline, business as usual on the design's world (the usual pairing). With a ``posterior``,
    seed s runs both with the particle it draws."""
    if baseline is None:
        runs = compare_designs({"design": design}, seeds, weeks, n_jobs, progress, posterior=posterior)["design"]
        return [r.summary["smd_use_difference_per_person"] for r in runs]
    specs = [RunSpec.build(name, regime, overrides, s, weeks, posterior=posterior)
             for name, (regime, overrides) in (("design", design), ("baseline", baseline)) for s in seeds]
    runs = run_all(specs, n_jobs, progress)
    mine, theirs = runs[: len(seeds)], runs[len(seeds):]
    return [smd_public_service_use(b) - smd_public_service_use(d) for d, b in zip(mine, theirs, strict=True)]


def scale_up(per_person: list[float] | np.ndarray, population: int) -> dict[str, Any]:
    """National £ a year: the per-person difference in SMD public service use times a headcount."""
    if not isinstance(population, (int, np.integer)) or population < 1:
        raise ValueError(f"population: must be a whole number >= 1; got {population!r}")
    per_person = [float(v) for v in per_person]
    national = [v * population for v in per_person]
    out = interval(national)
    out.update({
        "population": int(population),
        "per_person": per_person,
        "per_person_interval": interval(per_person),
        "seed_claim_per_person": SEED_CLAIM_PER_PERSON,
        "seed_claim_national": SEED_CLAIM_PER_PERSON * population,
        "units": "GBP per year; positive = less public service use than business as usual",
    })
    return out
