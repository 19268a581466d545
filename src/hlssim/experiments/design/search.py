"""The search: EMA Workbench's ``optimize`` with Platypus's epsilon-dominance NSGA-II, robust over plausible worlds.

Why this optimiser (docs/designs.md says more): epsilon-NSGA-II keeps an archive of designs at most one per box
of the epsilons the design file gives in each objective's own unit, so the front holds only differences that
matter to a funder, and its **epsilon progress** (how often the archive finds a new box) is the usual sign that a
search has stopped finding anything; hlssim already speaks EMA Workbench (PRIM, its ``Model``). Three things in
EMA Workbench 3.0.0 are worked around here, each checked by trying it:

- ``robust_optimize`` scores every design in a generation with the robustness functions over *all* that
  generation's experiments, not the design's own (``optimization.evaluate`` reads ``outcomes``, not the
  design's rows), so every design gets the same score. The search calls ``optimize`` over the levers instead,
  and a design's robust statistics over the worlds are worked out here, from its own runs;
- a ``CategoricalParameter`` among real levers fails to decode (``process_jobs`` builds a ragged array), and
  Platypus's ``Integer`` gives some values twice the chance of others. Every lever is a real interval to the
  optimiser and ``file.Lever.decode`` turns it into an option, a whole number or a value on the lever's grid;
- the archive is written to a tarball in ``directory`` that must not exist yet: each sitting gets a fresh
  temporary folder.

A design is evaluated on every world (seeds 1..S, each drawing its particle from the posterior) by the
``evaluate`` function the caller gives: the layer above runs each design through the one runner and the
results store. Platypus draws from Python's global ``random``, seeded from the design file; the state is put
back after every batch of runs, so the same file, budget and model give the same designs in the same order.
A search run again therefore asks for the same runs, which the store already holds: it resumes.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import random
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..sweeps.ema import ema_name
from . import front as fr
from . import readings as rd
from .file import Budget, DesignFile

SENTINEL = 1e12          # an undefined objective, made as bad as it can be (the design is also infeasible)
UNDEFINED = "undefined_objectives"

# One batch of designs (lever key -> value) in, each design's readings on every world out (rows: worlds).
Evaluate = Callable[[list[dict[str, Any]]], list[pd.DataFrame]]


@dataclass
class Evaluation:
    """One design and what it did on every world."""

    number: int
    generation: int
    values: dict[str, Any]           # lever key -> value
    worlds: pd.DataFrame             # one row per world (seed): every reading the file names
    objectives: dict[str, float]     # objective column (READING__STATISTIC) -> value over the worlds
    constraints: dict[str, float]    # constraint column -> value over the worlds
    violation: float                 # how far it misses the constraints (0: feasible)


@dataclass
class Generation:
    """What the search knew after one generation."""

    generation: int
    evaluations: int                 # designs evaluated so far (a design Platypus repeats in a generation once)
    epsilon_progress: int | None     # Platypus's count of epsilon-box improvements of its archive
    archive: int                     # designs on the epsilon-box front of the feasible designs so far
    feasible: int
    nfe: int | None = None           # Platypus's count of evaluations so far


@dataclass
class SearchResult:
    design: DesignFile
    budget: Budget
    evaluations: list[Evaluation]
    generations: list[Generation] = field(default_factory=list)
    optimiser: dict[str, Any] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """Every design evaluated: number, generation, levers, objectives, constraints, violation, feasible."""
        return table(self.evaluations)


def table(evaluations: Sequence[Evaluation]) -> pd.DataFrame:
    return pd.DataFrame([{"design": e.number, "generation": e.generation, **e.values, **e.objectives,
                          **e.constraints, "violation": e.violation, "feasible": e.violation == 0.0}
                         for e in evaluations])


def score(design: DesignFile, worlds: pd.DataFrame) -> tuple[dict[str, float], dict[str, float], float]:
    """A design's objectives and constraint statistics over its worlds, and how far it misses the constraints
    (an objective undefined on most worlds makes it infeasible too)."""
    objectives = {o_col: rd.statistic(worlds[o.reading], s)
                  for o in design.objectives for s, o_col in zip(o.statistics, o.columns, strict=True)}
    limits = {c.column: rd.statistic(worlds[c.reading], c.statistic) for c in design.constraints}
    violation = sum(c.violation(limits[c.column]) for c in design.constraints)
    violation += sum(1.0 for v in objectives.values() if math.isnan(v))
    return objectives, limits, float(violation)


def points(design: DesignFile, frame: pd.DataFrame) -> np.ndarray:
    """The objective columns of ``frame`` as points to lower, in the file's order."""
    better = [o.better for o in design.objectives for _ in o.statistics]
    return fr.to_lower(frame[design.objective_columns].to_numpy(dtype=float), better)


def epsilons(design: DesignFile) -> list[float]:
    return [o.epsilon for o in design.objectives for _ in o.statistics]


def _model(design: DesignFile):
    from ema_workbench import Constraint, Model, RealParameter, ScalarOutcome

    def not_called(**_):
        raise RuntimeError("a design search evaluates its designs in batches through hlssim's runner")
    model = Model(design.name.replace("-", "_").replace(".", "_"), function=not_called)
    model.levers = [RealParameter(ema_name(lv.key), *lv.span) for lv in design.levers]
    kind = {"higher": ScalarOutcome.MAXIMIZE, "lower": ScalarOutcome.MINIMIZE}
    model.outcomes = ([ScalarOutcome(c, kind=kind[o.better]) for o in design.objectives for c in o.columns]
                      + [ScalarOutcome(c.column) for c in design.constraints] + [ScalarOutcome(UNDEFINED)])
    constraints = [Constraint(f"meets_{c.column}", outcome_names=[c.column], function=c.violation)
                   for c in design.constraints]
    constraints.append(Constraint("objectives_defined", outcome_names=[UNDEFINED], function=float))
    return model, constraints


def _evaluator_class():
    from ema_workbench.em_framework.evaluators import BaseEvaluator

    class Batches(BaseEvaluator):
        """Hands each generation's designs to the search as one batch (so their runs go out together)."""

        def __init__(self, model, batch: Callable[[list], list[dict[str, float]]]):
            super().__init__(model)
            self.batch = batch

        def initialize(self):
            pass

        def finalize(self):
            pass

        def evaluate_experiments(self, experiments, callback, **kwargs):
            experiments = list(experiments)
            state = random.getstate()         # the runs, the store and Dask must not move Platypus's stream
            try:
                outcomes = self.batch([e.policy for e in experiments])
            finally:
                random.setstate(state)
            for experiment, outcome in zip(experiments, outcomes, strict=True):
                callback(experiment, outcome)

    return Batches


@contextlib.contextmanager
def _quiet():
    """EMA Workbench's progress bar and log lines off (the command says what matters), its warnings too."""
    before = os.environ.get("TQDM_DISABLE")
    os.environ["TQDM_DISABLE"] = "1"
    loggers = [logging.getLogger(n) for n in ("EMA", "ema_workbench", "Platypus", "platypus")]
    levels = [lg.level for lg in loggers]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for lg in loggers:
                lg.setLevel(logging.ERROR)
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
        if before is None:
            os.environ.pop("TQDM_DISABLE", None)
        else:
            os.environ["TQDM_DISABLE"] = before


def search(design: DesignFile, budget: Budget, evaluate: Evaluate,
           progress: Callable[[list[Evaluation], Generation], None] | None = None) -> SearchResult:
    """Run (or, with the runs stored, replay) the search: ``budget.evaluations`` designs, ``budget.population``
    a generation, each evaluated on every world by ``evaluate``. ``progress`` hears after every generation."""
    with _quiet():
        import platypus
        from ema_workbench import Sample
        from platypus import EpsNSGAII
    model, constraints = _model(design)
    evaluations: list[Evaluation] = []
    generations: list[Generation] = []
    eps = epsilons(design)
    worst = {c: SENTINEL if o.better == "lower" else -SENTINEL for o in design.objectives for c in o.columns}

    def batch(policies: list) -> list[dict[str, float]]:
        values = [{lv.key: lv.decode(float(p[ema_name(lv.key)])) for lv in design.levers} for p in policies]
        worlds = evaluate(values)
        outcomes = []
        for v, w in zip(values, worlds, strict=True):
            objectives, limits, violation = score(design, w)
            evaluations.append(Evaluation(len(evaluations), len(generations), v, w, objectives, limits, violation))
            outcomes.append({**{k: worst[k] if math.isnan(x) else x for k, x in objectives.items()},
                             **{k: math.inf if math.isnan(x) else x for k, x in limits.items()},
                             UNDEFINED: float(sum(math.isnan(x) for x in objectives.values()))})
        frame = table(evaluations)
        feasible = frame[frame.feasible]
        archive = fr.epsilon_front(points(design, feasible), eps) if len(feasible) else []
        generation = Generation(len(generations), len(evaluations), None, len(archive), int(frame.feasible.sum()))
        generations.append(generation)
        if progress is not None:
            progress(evaluations, generation)
        return outcomes

    evaluator = _evaluator_class()(model, batch)
    with tempfile.TemporaryDirectory(prefix="hlssim-design-") as folder, _quiet():
        _, convergence = evaluator.optimize(
            algorithm=EpsNSGAII, nfe=budget.evaluations, searchover="levers", reference=Sample("plausible_worlds"),
            constraints=constraints, epsilons=eps, population_size=budget.population,
            convergence_freq=1, logging_freq=10 ** 9, rng=design.seed, directory=folder,
            filename="archive.tar.gz")
    attach_progress(generations, convergence)
    import ema_workbench
    optimiser = {"library": f"EMA Workbench {ema_workbench.__version__} optimize (searchover=levers)",
                 "algorithm": f"Platypus {platypus.__version__} EpsNSGAII (epsilon-dominance NSGA-II)",
                 "epsilons": dict(zip(design.objective_columns, eps, strict=True)),
                 "population": budget.population, "evaluations": len(evaluations), "seed": design.seed}
    return SearchResult(design, budget, evaluations, generations, optimiser)


def attach_progress(generations: list[Generation], steps: pd.DataFrame) -> None:
    """Give each generation Platypus's count of evaluations and epsilon progress as of its last batch.

    EMA Workbench records a row per step of the algorithm (``convergence_freq=1``), keyed by ``nfe``, and repeats
    the last once the run ends. A step is usually one batch, but when EpsNSGAII restarts (its population grows
    and is seeded afresh) one step evaluates two, so rows are matched to batches by evaluation count, never by
    position: a batch gets the last row at or before its own count."""
    steps = steps.drop_duplicates("nfe").sort_values("nfe")
    for g in generations:
        done = steps[steps.nfe <= g.evaluations]
        if len(done):
            last = done.iloc[-1]
            g.nfe = int(last.nfe)
            if "epsilon_progress" in done and pd.notna(last.epsilon_progress):
                g.epsilon_progress = int(last.epsilon_progress)


def convergence(result: SearchResult) -> pd.DataFrame:
    """Per generation: designs evaluated so far, Platypus's epsilon progress, the epsilon-box front's size and its
    hypervolume (in the box between the best and worst values any feasible design reached in the whole search)."""
    frame = result.frame()
    design = result.design
    eps = epsilons(design)
    feasible = frame[frame.feasible]
    rows = []
    every = points(design, feasible) if len(feasible) else np.empty((0, len(eps)))
    ideal, nadir = (every.min(axis=0), every.max(axis=0)) if len(every) else (None, None)
    for g in result.generations:
        so_far = feasible[feasible.design < g.evaluations]
        pts = points(design, so_far) if len(so_far) else np.empty((0, len(eps)))
        chosen = fr.epsilon_front(pts, eps) if len(pts) else np.array([], dtype=int)
        rows.append({"generation": g.generation, "evaluations": g.evaluations, "nfe": g.nfe,
                     "epsilon_progress": g.epsilon_progress,
                     "front": len(chosen), "feasible": len(so_far),
                     "hypervolume": fr.hypervolume(pts[chosen], ideal, nadir) if len(chosen) else 0.0})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Verdict:
    """Whether the front looks settled: in the last quarter of the evaluations, the hypervolume grew by less than
    1% and the epsilon progress by at most a tenth of its total."""

    stable: bool
    hypervolume_growth: float        # relative growth over the last quarter of evaluations
    progress_share: float            # share of all epsilon progress made in the last quarter
    text: str


def judge(table_: pd.DataFrame) -> Verdict:
    if len(table_) < 4:
        return Verdict(False, math.nan, math.nan, "too few generations to judge")
    last = table_.iloc[-1]
    cut = table_[table_.evaluations <= 0.75 * last.evaluations]
    mark = cut.iloc[-1] if len(cut) else table_.iloc[0]
    hv_growth = (last.hypervolume - mark.hypervolume) / last.hypervolume if last.hypervolume > 0 else math.inf
    progress = pd.to_numeric(table_.epsilon_progress, errors="coerce")
    total = progress.iloc[-1]
    late = total - progress[table_.evaluations <= mark.evaluations].iloc[-1] if len(cut) else total
    share = late / total if total and total > 0 else math.nan
    stable = bool(hv_growth < 0.01 and share <= 0.10)
    text = (f"over the last quarter of the evaluations ({int(mark.evaluations)} to {int(last.evaluations)}) the "
            f"hypervolume grew by {hv_growth:.1%} and the archive made {share:.0%} of its epsilon progress: "
            + ("stable (under 1% and at most 10%)" if stable else
               "not yet stable (the rule is under 1% and at most 10%); a larger budget would move the front"))
    return Verdict(stable, float(hv_growth), float(share), text)
