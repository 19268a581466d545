"""Calibration by ABC-SMC (pyabc): which parameter values reproduce published figures, with their uncertainty.

A calibration file (``calibration/default.yaml``) names

- the **parameters** to calibrate, each with a uniform prior over its plausible range (or a narrower or
  wider ``[low, high]`` inside its hard bounds); never a practice, which makes a regime a regime;
- the **targets**: validation patterns (``hlssim.experiments.validation``) with a published figure and
  its uncertainty (``observed``, ``sd``, ``source``). The summary statistics are the patterns'
  quantities, from the same experiments ``validate-model`` runs, through the one runner;
- the **distance** (the root mean square, over targets, of (model - observed) / sd) and the
  **tolerance** at which to stop (1: the accepted particles fit the targets within about one stated
  uncertainty on average), and budgets (``small`` for CI and a first look, ``default``).

Every candidate is evaluated in a worker from its own seed, derived from the calibration's seed, the
generation and the candidate's number, and the first n accepted by number are kept: the posterior is the
same whatever the number of processes or Dask workers (``SeededSampler``). pyabc keeps every generation
in its history database, so a stopped calibration resumes where it was.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..params import bounds, describe, field_info, known_keys, plausible
from ..params.files import find_file, shipped_yaml
from ..params.scenarios import LIMITS, ScenarioError, read_yaml
from ..util.shipped import shipped_folder
from ..util.text import did_you_mean
from .posterior import never_drawn
from .runner import digest, map_each, run_all
from .validation import Pattern, arm_runs, patterns, quantities

KEYS = ("name", "description", "parameters", "targets", "distance", "tolerance", "budgets", "seed")
TARGET_KEYS = ("observed", "sd", "source", "why")
BUDGET_KEYS = ("population", "generations", "citizens", "weeks", "seeds", "max_evaluations")
DISTANCES = ("rms_z",)
BATCH = 16                # candidates evaluated per round; any number gives the same posterior


@dataclass(frozen=True)
class Target:
    pattern: Pattern
    observed: float
    sd: float
    source: str
    why: str = ""

    @property
    def key(self) -> str:
        return self.pattern.key


@dataclass(frozen=True)
class Budget:
    name: str
    population: int          # accepted particles per generation
    generations: int         # at most this many generations
    citizens: int
    weeks: int
    seeds: int               # model runs averaged per candidate
    max_evaluations: int     # stop after this many candidates in all


@dataclass
class Calibration:
    """A checked calibration file."""

    name: str
    description: str
    priors: dict[str, tuple[float, float]]
    targets: list[Target]
    tolerance: float
    budgets: dict[str, Budget]
    seed: int
    path: Path
    source: str
    distance: str = "rms_z"

    def calibration_id(self, budget: str, seed: int, code: str) -> str:
        """Its name and a hash of what it computes: the file, budget, seed and model code."""
        text = hashlib.sha256(self.source.encode()).hexdigest()
        return f"{self.name}-{budget}-{digest({'file': text, 'budget': budget, 'seed': seed, 'code': code})[:10]}"


# --------------------------------------------------------------------------- reading the file


def shipped() -> dict[str, Path]:
    return shipped_yaml(shipped_folder("calibration", "HLSSIM_CALIBRATION"))


def find(ref: str | Path) -> Path:
    return find_file(ref, shipped(), "calibration")


def load(ref: str | Path) -> Calibration:
    """Read and check a calibration file; a bad one raises ScenarioError naming the file, the key and what is
    allowed (exit 2, before anything runs)."""
    path = find(ref)
    where = str(path)
    data = read_yaml(path)
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise ScenarioError(str(unknown[0]), f"unknown key{did_you_mean(str(unknown[0]), KEYS)}; allowed: "
                            f"{', '.join(KEYS)}", where)
    for required in ("parameters", "targets", "budgets"):
        if required not in data:
            raise ScenarioError(required, "missing; a calibration file needs parameters, targets and budgets", where)
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError("name", "must be a short name", where)
    distance = data.get("distance", "rms_z")
    if distance not in DISTANCES:
        raise ScenarioError("distance", f"unknown distance {distance!r}; allowed: {', '.join(DISTANCES)}", where)
    tolerance = data.get("tolerance", 1.0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not tolerance > 0:
        raise ScenarioError("tolerance", f"must be a number > 0 (in standard deviations); got {tolerance!r}", where)
    seed = data.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= LIMITS.seed:
        raise ScenarioError("seed", f"must be a whole number from 0 to {LIMITS.seed:,}; got {seed!r}", where)
    return Calibration(name=name.strip(), description=str(data.get("description", "")).strip(),
                       priors=_priors(data["parameters"], where), targets=_targets(data["targets"], where),
                       tolerance=float(tolerance), budgets=_budgets(data["budgets"], where), seed=seed, path=path,
                       source=path.read_text(encoding="utf-8"), distance=distance)


def _priors(value: Any, where: str) -> dict[str, tuple[float, float]]:
    if not isinstance(value, dict) or not value:
        raise ScenarioError("parameters", "must map dotted parameter keys to 'plausible' or [low, high]", where)
    out = {}
    for key, span in value.items():
        key = str(key)
        at = f"parameters.{key}"
        info = field_info(key)
        if info is None:
            raise ScenarioError(at, f"unknown parameter{did_you_mean(key, known_keys())}; keys look like "
                                "'crisis.base_rate' (docs/parameters.md)", where)
        if never_drawn(key):
            raise ScenarioError(at, "a practice makes a regime a regime and is never calibrated; allowed: any other "
                                "number parameter", where)
        if info.annotation is not float:
            raise ScenarioError(at, f"only continuous (float) parameters can be calibrated; {key} is {describe(key)}",
                                where)
        if span in (None, "plausible"):
            span = plausible(key)
            if span is None:
                raise ScenarioError(at, "has no plausible range; give [low, high] inside its hard bounds", where)
        if (not isinstance(span, list | tuple) or len(span) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in span) or not span[0] < span[1]):
            raise ScenarioError(at, f"must be 'plausible' or [low, high] with low < high; got {span!r}", where)
        limits = bounds(info)
        low, high = float(span[0]), float(span[1])
        if (("ge" in limits and low < limits["ge"]) or ("gt" in limits and low <= limits["gt"])
                or ("le" in limits and high > limits["le"]) or ("lt" in limits and high >= limits["lt"])):
            raise ScenarioError(at, f"prior [{low:g}, {high:g}] goes outside the hard bounds: {describe(key)}", where)
        out[key] = (low, high)
    return out


def _targets(value: Any, where: str) -> list[Target]:
    known = {p.key: p for p in patterns()}
    if not isinstance(value, dict) or not value:
        raise ScenarioError("targets", "must map validation patterns to {observed, sd, source}", where)
    out = []
    for key, spec in value.items():
        at = f"targets.{key}"
        if key not in known:
            raise ScenarioError(at, f"not a validation pattern{did_you_mean(str(key), known)}; allowed: "
                                f"{', '.join(known)}", where)
        if not isinstance(spec, dict):
            raise ScenarioError(at, "must be a mapping: observed, sd, source", where)
        unknown = [k for k in spec if k not in TARGET_KEYS]
        if unknown:
            raise ScenarioError(f"{at}.{unknown[0]}", f"unknown key; allowed: {', '.join(TARGET_KEYS)}", where)
        for number in ("observed", "sd"):
            v = spec.get(number)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise ScenarioError(f"{at}.{number}", f"must be a number; got {v!r}", where)
        if not spec["sd"] > 0:
            raise ScenarioError(f"{at}.sd", f"must be > 0 (the figure's uncertainty); got {spec['sd']!r}", where)
        source = spec.get("source")
        if not isinstance(source, str) or not source.strip():
            raise ScenarioError(f"{at}.source", "must name the published source of the figure", where)
        out.append(Target(known[key], float(spec["observed"]), float(spec["sd"]), source.strip(),
                          str(spec.get("why", "")).strip()))
    return out


def _budgets(value: Any, where: str) -> dict[str, Budget]:
    if not isinstance(value, dict) or "default" not in value or "small" not in value:
        raise ScenarioError("budgets", "must name at least 'small' and 'default', each with population, "
                            "generations, citizens, weeks and seeds", where)
    limits = {"population": (10, 100_000), "generations": (1, 100), "citizens": (100, 1_000_000),
              "weeks": (13, LIMITS.weeks), "seeds": (1, 100), "max_evaluations": (10, 10_000_000)}
    out = {}
    for name, spec in value.items():
        if not isinstance(spec, dict):
            raise ScenarioError(f"budgets.{name}", "must be a mapping of " + ", ".join(BUDGET_KEYS), where)
        unknown = [k for k in spec if k not in BUDGET_KEYS]
        if unknown:
            raise ScenarioError(f"budgets.{name}.{unknown[0]}", f"unknown key; allowed: {', '.join(BUDGET_KEYS)}",
                                where)
        got = {}
        for key in BUDGET_KEYS:
            v = spec.get(key, 1_000_000 if key == "max_evaluations" else None)
            low, high = limits[key]
            if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
                raise ScenarioError(f"budgets.{name}.{key}", f"must be a whole number from {low:,} to {high:,}; "
                                    f"got {v!r}", where)
            got[key] = v
        out[str(name)] = Budget(str(name), **got)
    return out


# --------------------------------------------------------------------------- the model pyabc calls


@dataclass(frozen=True)
class Model:
    """What pyabc calls for a candidate: its parameters on every target's arms, the quantities averaged over
    ``seeds`` runs, each from a seed the candidate's own random stream gives (pyabc seeds it)."""

    targets: tuple[Target, ...]
    citizens: int
    weeks: int
    seeds: int

    def __call__(self, candidate: dict[str, float]) -> dict[str, float]:
        chosen = [t.pattern for t in self.targets]
        run_seeds = [int(s) for s in np.random.randint(1, LIMITS.seed, size=self.seeds)]
        keys, specs = arm_runs(chosen, run_seeds, self.weeks, self.citizens, base=dict(candidate))
        summaries = [o.summary for o in run_all(specs, jobs=1)]
        values = quantities(chosen, keys, summaries, self.seeds)
        return {key: float(np.nanmean(v)) if np.isfinite(v).any() else math.nan for key, v in values.items()}


@dataclass(frozen=True)
class Distance:
    """Root mean square over targets of (model - observed) / sd; a target the model cannot compute is infinitely far."""

    sd: dict[str, float]

    def __call__(self, x: dict, x0: dict) -> float:
        z = [(x[k] - x0[k]) / s for k, s in self.sd.items()]
        return float(np.sqrt(np.mean(np.square(z)))) if all(np.isfinite(z)) else math.inf


def _evaluate(task: tuple[bytes, int]) -> Any:
    """One candidate in a worker: pyabc's sample-simulate-accept step, from the candidate's own seed."""
    import cloudpickle
    simulate_one, seed = task
    np.random.seed(seed % 2**32)
    random.seed(seed)
    return cloudpickle.loads(simulate_one)()


def _sampler_class():
    from pyabc.sampler import Sampler

    class SeededSampler(Sampler):
        """Candidates numbered within a generation, each evaluated from a seed derived from (seed, generation,
        number) on the one runner's pool, the first n accepted by number kept: the same posterior for any number
        of processes or Dask workers (pyabc's own parallel samplers reseed from the operating system)."""

        def __init__(self, seed: int, jobs: int | None, scheduler: str | None, progress=None):
            super().__init__()
            self.seed, self.jobs, self.scheduler, self.progress = seed, jobs, scheduler, progress

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):
            import cloudpickle
            packed = cloudpickle.dumps(simulate_one)
            sample = self._create_empty_sample()
            accepted = evaluated = 0
            batch = max(BATCH, 2 * (self.jobs or 1))
            while accepted < n and evaluated < max_eval:
                numbers = range(evaluated, int(min(evaluated + batch, max_eval)))
                tasks = [(packed, candidate_seed(self.seed, t, i)) for i in numbers]
                for _, particle in map_each(_evaluate, tasks, jobs=self.jobs, scheduler=self.scheduler):
                    if accepted >= n:
                        continue                   # candidates past the n-th acceptance are not counted
                    sample.append(particle)
                    evaluated += 1
                    accepted += bool(particle.accepted)
                if self.progress:
                    self.progress(t, accepted, n, evaluated)
            self.nr_evaluations_ = evaluated
            if sample.n_accepted < n:
                sample.ok = False
            return sample

    return SeededSampler


def candidate_seed(seed: int, generation: int, number: int) -> int:
    """A candidate's seed: from the calibration's seed, its generation and its number within it."""
    return int(np.random.SeedSequence([seed, generation + 2, number]).generate_state(1, np.uint64)[0] % 2**63)


# --------------------------------------------------------------------------- running and reading back


@dataclass
class Run:
    """A calibration under way or done: where its history is and how far it has got."""

    calibration: Calibration
    budget: Budget
    seed: int
    history: Path
    calibration_id: str
    extra: dict[str, Any] = field(default_factory=dict)


def observed(cal: Calibration) -> dict[str, float]:
    return {t.key: t.observed for t in cal.targets}


def calibrate(cal: Calibration, budget: Budget, history: Path, seed: int, jobs: int | None = None,
              scheduler: str | None = None, progress=None) -> Any:
    """Run (or resume) ABC-SMC until the tolerance is met or the budget spent; returns pyabc's History."""
    import logging

    import pyabc
    for name in ("ABC", "pyabc"):                 # our own progress lines say what matters
        logging.getLogger(name).setLevel(logging.WARNING)
    np.random.seed(seed % 2**32)
    random.seed(seed)
    prior = pyabc.Distribution(**{k: pyabc.RV("uniform", lo, hi - lo) for k, (lo, hi) in cal.priors.items()})
    model = Model(tuple(cal.targets), budget.citizens, budget.weeks, budget.seeds)
    sampler = _sampler_class()(seed, jobs, scheduler, progress)
    abc = pyabc.ABCSMC(model, prior, Distance({t.key: t.sd for t in cal.targets}), population_size=budget.population,
                       sampler=sampler)
    url = f"sqlite:///{history}"
    done = 0
    if history.exists() and _generations_done(url) > 0:
        abc.load(url, 1)
        done = _generations_done(url)
    else:
        history.parent.mkdir(parents=True, exist_ok=True)
        abc.new(url, observed(cal))
    left = budget.generations - done
    if left > 0 and not _converged(url, cal.tolerance):
        abc.run(minimum_epsilon=cal.tolerance, max_nr_populations=left, max_total_nr_simulations=budget.max_evaluations)
    return pyabc.History(url, _id=1)


def _generations_done(url: str) -> int:
    import pyabc
    try:
        history = pyabc.History(url, _id=1)
        return int(history.max_t) + 1 if history.max_t is not None and history.max_t >= 0 else 0
    except Exception:  # noqa: BLE001 - no history yet, or an empty one
        return 0


def _converged(url: str, tolerance: float) -> bool:
    import pyabc
    try:
        populations = pyabc.History(url, _id=1).get_all_populations()
    except Exception:  # noqa: BLE001
        return False
    done = populations[populations.t >= 0]
    return bool(len(done) and done.epsilon.iloc[-1] <= tolerance)


def generations(history) -> pd.DataFrame:
    """One row per generation: epsilon, candidates evaluated, acceptance rate and effective sample size."""
    from pyabc.weighted_statistics import effective_sample_size
    rows = []
    for row in history.get_all_populations().itertuples():
        if row.t < 0:
            continue
        _, weights = history.get_distribution(t=int(row.t))
        rows.append({"generation": int(row.t), "epsilon": float(row.epsilon), "evaluations": int(row.samples),
                     "accepted": int(row.particles), "acceptance": row.particles / row.samples if row.samples else np.nan,
                     "ess": float(effective_sample_size(np.asarray(weights, dtype=float)))})
    return pd.DataFrame(rows)


def posterior_frame(history, keys: Sequence[str]) -> pd.DataFrame:
    """The last generation's particles: particle, weight (summing to 1), one column per parameter."""
    frame, weights = history.get_distribution()
    weights = np.asarray(weights, dtype=float)
    out = frame.reset_index(drop=True)[list(keys)].astype(float)
    out.insert(0, "weight", weights / weights.sum())
    out.insert(0, "particle", range(len(out)))
    return out


def fit(history, cal: Calibration) -> pd.DataFrame:
    """Each target's fit in the last generation: the particles' weighted median and 10th-90th percentiles of
    the model's quantity, against the published figure and its uncertainty."""
    from .posterior import weighted_quantile
    weights, stats = history.get_weighted_sum_stats()
    weights = np.asarray(weights, dtype=float)
    rows = []
    for t in cal.targets:
        values = np.array([s[t.key] for s in stats], dtype=float)
        ok = np.isfinite(values)
        q = {p: weighted_quantile(values[ok], weights[ok], p / 100) for p in (10, 50, 90)} if ok.any() else {}
        rows.append({"target": t.key, "observed": t.observed, "sd": t.sd, "source": t.source,
                     "model_median": q.get(50, np.nan), "model_p10": q.get(10, np.nan), "model_p90": q.get(90, np.nan),
                     "z_median": (q.get(50, np.nan) - t.observed) / t.sd})
    return pd.DataFrame(rows)


def status(history: Path) -> pd.DataFrame | None:
    """The generations stored so far, or None if the calibration has not started."""
    if not history.exists():
        return None
    import pyabc
    try:
        return generations(pyabc.History(f"sqlite:///{history}", _id=1))
    except Exception:  # noqa: BLE001 - an empty or foreign file
        return None
