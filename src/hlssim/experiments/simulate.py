"""Run one simulation and hand back its results with their provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..model.service import ServiceModel
from ..outputs.metrics import summarize
from ..params import Params, resolve
from .provenance import run_provenance


@dataclass
class SimulationResult:
    summary: dict[str, float]
    timeseries: pd.DataFrame
    cases: pd.DataFrame
    params: Params
    provenance: dict[str, Any] = field(default_factory=dict)
    model: ServiceModel | None = field(default=None, repr=False)


def simulate(regime: str | None = "hls", seed: int = 1, weeks: int = 260,
             overrides: dict[str, Any] | None = None, keep_model: bool = False,
             posterior: Any = None) -> SimulationResult:
    """Run one simulation of ``weeks`` weeks under a regime preset plus dotted-key overrides.

    ``posterior`` (a shipped name such as ``"default"``, a posterior.csv or a calibration's folder): the
    parameters the seed's particle draws, under ``overrides`` (which win); every regime on the same seed
    draws the same particle. ``provenance["posterior"]`` says which file (by hash), particle and values."""
    if not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"weeks: must be a whole number >= 1; got {weeks!r}")
    drawn = {}
    if posterior is not None:
        from .posterior import load_posterior
        chosen = load_posterior(posterior)
        overrides, taken = chosen.apply(seed, dict(overrides or {}))
        drawn = {"posterior": chosen.record(seed, taken)}
    params = resolve(regime, overrides)
    model = ServiceModel(params, rng=seed)
    model.run_for(weeks)
    timeseries = pd.DataFrame(model.rows)
    return SimulationResult(
        summary=summarize(model.state, params, timeseries),
        timeseries=timeseries,
        cases=model.case_log.frame(),
        params=params,
        provenance={**run_provenance(regime, seed, weeks, overrides), **drawn},
        model=model if keep_model else None,
    )
