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
             overrides: dict[str, Any] | None = None, keep_model: bool = False) -> SimulationResult:
    """Run one simulation of ``weeks`` weeks under a regime preset plus dotted-key overrides."""
    if not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"weeks: must be a whole number >= 1; got {weeks!r}")
    params = resolve(regime, overrides)
    model = ServiceModel(params, rng=seed)
    model.run_for(weeks)
    timeseries = pd.DataFrame(model.rows)
    return SimulationResult(
        summary=summarize(model.state, params, timeseries),
        timeseries=timeseries,
        cases=model.case_log.frame(),
        params=params,
        provenance=run_provenance(regime, seed, weeks, overrides),
        model=model if keep_model else None,
    )
