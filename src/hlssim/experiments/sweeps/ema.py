"""hlssim as an EMA Workbench ``Model``, for researchers who already explore models with EMA Workbench.

    from hlssim.experiments.sweeps.ema import ema_model
    from ema_workbench import perform_experiments

    model = ema_model(fixed={"population.citizens": 500}, weeks=104)
    experiments, outcomes = perform_experiments(model, scenarios=50, policies=4,
                                                uncertainty_sampling_kwargs={"rng": 42},
                                                lever_sampling_kwargs={"rng": 7})

The uncertainties are model parameters with their plausible ranges from the parameter table (or
ranges you give, inside what the parameter allows); the levers are the six practices, each from 0 (NPM) to 1 (HLS); the outcomes are
summary keys. EMA Workbench 3 names must be Python identifiers, so a dotted key's dot becomes a
double underscore: ``world.uniqueness`` is ``world__uniqueness`` (``ema_name``/``hlssim_key``).
Each experiment is one run through the one runner's ``execute``, checked like any other run;
EMA Workbench's evaluators decide how experiments are spread over processes.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from ...outputs.metrics import SUMMARY_KEYS
from ...params import PRACTICES, describe, field_info, is_whole_number, plausible
from ..runner import RunSpec, execute
from .file import outside

__all__ = ["DEFAULT_UNCERTAINTIES", "LEVERS", "ema_model", "ema_name", "hlssim_key"]

DEFAULT_UNCERTAINTIES = ("world.uniqueness", "world.interdependence", "world.dynamism", "population.smd_share",
                         "targets.pressure", "incentives.inspection_rate", "workforce.crowding_out",
                         "trust.build_rate")
LEVERS = tuple(f"practices.{p}" for p in PRACTICES)


def ema_name(key: str) -> str:
    return key.replace(".", "__")


def hlssim_key(name: str) -> str:
    return name.replace("__", ".")


def table_range(key: str) -> tuple[float, float]:
    """The plausible range the parameter table gives ``key``; a parameter without one needs a range given."""
    info = field_info(key)
    if info is None or info.annotation not in (int, float):
        raise ValueError(f"{key}: not a number parameter ({describe(key) or 'unknown key'})")
    span = plausible(key)
    if span is None:
        raise ValueError(f"{key}: the parameter table gives no plausible range ({describe(key)}); "
                         "pass a range, e.g. uncertainties={'%s': (low, high)}" % key)
    return span


def _ranges(uncertainties: Sequence[str] | Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    given = dict(uncertainties) if isinstance(uncertainties, Mapping) else dict.fromkeys(uncertainties)
    out = {}
    for key, span in given.items():
        low, high = table_range(key) if span is None else span
        if field_info(key) is None or not low < high or outside(key, low, high):
            raise ValueError(f"{key}: range ({low}, {high}) is not inside what the parameter allows: "
                             f"{describe(key) or 'unknown key'}")
        out[key] = (low, high)
    return out


class HlssimRun:
    """The function EMA Workbench calls: one run with the experiment's values on top of ``fixed``."""

    def __init__(self, fixed: Mapping[str, Any], weeks: int, seed: int, outcomes: Sequence[str]):
        self.fixed, self.weeks, self.seed, self.outcomes = dict(fixed), weeks, seed, list(outcomes)

    def __call__(self, **values: Any) -> dict[str, float]:
        overrides = dict(self.fixed)
        for name, value in values.items():
            key = hlssim_key(name)
            overrides[key] = int(value) if is_whole_number(key) else float(value)
        outcome = execute(RunSpec.build("ema-workbench", None, overrides, self.seed, self.weeks))
        if not outcome.ok:
            raise RuntimeError(f"hlssim run failed: {outcome.error}")
        return {key: outcome.summary[key] for key in self.outcomes}


def ema_model(uncertainties: Sequence[str] | Mapping[str, tuple[float, float]] = DEFAULT_UNCERTAINTIES,
              outcomes: Sequence[str] = SUMMARY_KEYS, fixed: Mapping[str, Any] | None = None, weeks: int = 156,
              seed: int = 1, name: str = "hlssim"):
    """An ``ema_workbench.Model`` of hlssim.

    ``uncertainties``: dotted keys (their ranges from the parameter table) or a mapping of key to a
    narrower (low, high). Levers: the six practices in [0, 1]. Outcomes: summary keys
    (docs/metrics.md). ``fixed``: overrides held in every experiment (e.g. a smaller population).
    Every experiment runs ``weeks`` weeks on ``seed``, so experiments differ only by their values.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # EMA Workbench warns about optional back-ends on import
        from ema_workbench import IntegerParameter, Model, RealParameter, ScalarOutcome
    ranges = _ranges(uncertainties)
    model = Model(name, function=HlssimRun(fixed or {}, weeks, seed, outcomes))
    model.uncertainties = [IntegerParameter(ema_name(k), int(lo), int(hi)) if is_whole_number(k)
                           else RealParameter(ema_name(k), float(lo), float(hi)) for k, (lo, hi) in ranges.items()]
    model.levers = [RealParameter(ema_name(k), 0.0, 1.0) for k in LEVERS]
    model.outcomes = [ScalarOutcome(key) for key in outcomes]
    return model
