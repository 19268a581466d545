"""Run one simulation and hand back its results with their provenance."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .metrics import summarize
from .model import ServiceModel
from .params import Params, resolve


@dataclass
class SimulationResult:
    summary: dict[str, float]
    timeseries: pd.DataFrame
    cases: pd.DataFrame
    params: Params
    provenance: dict[str, Any] = field(default_factory=dict)
    model: ServiceModel | None = field(default=None, repr=False)


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent,
                             capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def provenance(regime: str | None, seed: int, weeks: int, overrides: dict | None) -> dict[str, Any]:
    from . import __version__
    return {"hlssim_version": __version__, "git_commit": git_commit(), "regime": regime,
            "seed": seed, "weeks": weeks, "overrides": dict(overrides or {})}


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
        summary=summarize(model, timeseries),
        timeseries=timeseries,
        cases=model.case_log.frame(),
        params=params,
        provenance=provenance(regime, seed, weeks, overrides),
        model=model if keep_model else None,
    )
