"""From a sweep file to the runs it needs: every base x design point x lever x seed, as RunSpecs for the one runner.

Every lever at a point runs on the same seeds 1..S (common random numbers), so differences between
levers are paired. The sweep id names the sweep file's design at this code version: the same file
gives the same id (so a sweep can be resumed and its progress read), and a change to anything
that changes a run, or to the outcomes asked for, gives a new one.
"""

from __future__ import annotations

import functools
import statistics
import time
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ...params import ParameterError, resolve
from ...params.scenarios import ScenarioError, regime_label
from ...util.jsonsafe import json_safe
from ..runner import RunSpec, digest, execute, worker_count
from .design import sample
from .file import Sweep, design_size

# Not part of a sweep's identity: words for people, and where the file happens to be.
DESCRIPTIVE = ("description", "audience", "file", "outside_plausible")


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: which base, design point, lever and seed, and the spec that makes it."""

    base: str
    point: int
    lever: str
    seed: int
    spec: RunSpec


@dataclass
class Plan:
    """A sweep's design points and runs, in the order they are run (point by point, levers side by side)."""

    sweep: Sweep
    points: pd.DataFrame
    runs: list[PlannedRun]
    posterior: str | None = None      # NAME@HASH of the posterior each seed drew from, if any

    @property
    def specs(self) -> list[RunSpec]:
        return [r.spec for r in self.runs]

    @functools.cached_property
    def info(self) -> dict[str, Any]:
        """What the store keeps and a report reads about the sweep (JSON-safe)."""
        s = self.sweep
        return json_safe({
            "name": s.name, "description": s.description, "audience": s.audience, "file": s.where,
            "bases": [b.name for b in s.bases], "levers": [lever.name for lever in s.levers],
            "lever_overrides": {lever.name: lever.overrides for lever in s.levers},
            "uncertainties": {k: list(v) for k, v in s.uncertainties.items()}, "fixed": s.fixed,
            "design": s.design, "points": s.points, "levels": s.levels, "design_seed": s.design_seed,
            "seeds": s.seeds, "weeks": s.weeks, "outcomes": s.outcomes,
            "decide": {"outcome": s.decide.outcome, "better": s.decide.better, "threshold": s.decide.threshold},
            "heatmap": list(s.heatmap) if s.heatmap else None,
            "design_points": len(self.points), "runs": len(self.runs),
            "code_version": self.runs[0].spec.code if self.runs else None,
            # only when there is something to say, so a sweep planned before these keys keeps its id
            **({"decide_also": [{"outcome": d.outcome, "better": d.better, "threshold": d.threshold}
                                for d in s.also_decide]} if s.also_decide else {}),
            **({"outside_plausible": s.outside_plausible} if s.outside_plausible else {}),
            **({"posterior": self.posterior} if self.posterior else {}),
        })

    @functools.cached_property
    def sweep_id(self) -> str:
        identity = {k: v for k, v in self.info.items() if k not in DESCRIPTIVE}
        identity["runs"] = [[r.base, r.point, r.lever, r.seed, r.spec.run_key] for r in self.runs]
        return f"{self.sweep.name}-{digest(identity)[:10]}"


def make_plan(sweep: Sweep, posterior=None) -> Plan:
    """Sample the design and build every run's spec; parameters are resolved (and checked) once per base, lever and
    point. With a ``posterior`` (a ``posterior.Posterior``), seed s of every point and lever draws its particle
    (the point, the lever and the base still set their own keys)."""
    points = sample(sweep.design, sweep.uncertainties, sweep.points, sweep.levels, sweep.design_seed)
    assert len(points) == design_size(sweep), "the sampler gave a different number of points than the design says"
    several = len(sweep.bases) > 1
    runs = []
    for point, values in zip(points.index, points.to_dict("records"), strict=True):
        for base in sweep.bases:
            chosen = {}
            for lever in sweep.levers:
                overrides = {**base.overrides, **sweep.fixed, **lever.overrides, **values}
                try:
                    params = resolve(None, overrides)
                except ParameterError as err:
                    raise ScenarioError(f"levers.{lever.name}", f"at design point {point} with base {base.name}: "
                                        f"{err}", sweep.where) from None
                label = f"{sweep.name}:{base.name}:{lever.name}" if several else f"{sweep.name}:{lever.name}"
                chosen[lever.name] = RunSpec(
                    scenario=label, overrides=overrides, params=params.flat(), seed=1, weeks=sweep.weeks,
                    regime=regime_label(params), description=sweep.description, scenario_file=sweep.where,
                    chain=tuple(str(p) for p in base.chain))
            for seed in range(1, sweep.seeds + 1):
                for lever in sweep.levers:
                    spec = (chosen[lever.name].with_posterior(posterior, seed) if posterior is not None
                            else chosen[lever.name].with_seed(seed))
                    runs.append(PlannedRun(base.name, int(point), lever.name, seed, spec))
    return Plan(sweep, points, runs, posterior.label if posterior is not None else None)


def seconds_per_run(plan: Plan) -> float:
    """About how long one run takes here: one short run and one longer run per lever, extrapolated to the sweep's weeks."""
    firsts = list({r.lever: r.spec for r in plan.runs[: len(plan.sweep.levers)]}.values())
    execute(replace(firsts[0], weeks=1))                        # warm up: imports and caches
    estimates = []
    for spec in firsts:
        short, longer = min(spec.weeks, 4), min(spec.weeks, 16)
        took = {}
        for weeks in {short, longer}:
            started = time.perf_counter()
            execute(replace(spec, weeks=weeks))
            took[weeks] = time.perf_counter() - started
        per_week = (took[longer] - took[short]) / (longer - short) if longer > short else 0.0
        estimates.append(took[short] + max(per_week, 0.0) * (spec.weeks - short))
    return statistics.fmean(estimates)


def estimate(plan: Plan, runs: int, jobs: int | None) -> tuple[float, int]:
    """Estimated seconds for ``runs`` of this sweep on ``jobs`` local processes, and the processes used."""
    workers = worker_count(jobs, max(runs, 1))
    return runs * seconds_per_run(plan) / workers, workers
