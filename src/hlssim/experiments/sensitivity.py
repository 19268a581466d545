"""Global sensitivity analysis (Morris elementary effects, via SALib) over the model's parameters.

For researchers: which parameters move which outputs, and how much, over whole ranges rather
than one at a time from the defaults. Each sample point is one run (or, for ``target="difference"``,
an HLS and an NPM run on the same seed, so the output is a paired difference). Runs go through
the one runner (``hlssim.experiments.runner``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from ..params import is_whole_number, plausible, resolve
from .runner import RunSpec, run_all

__all__ = ["DEFAULT_OUTPUTS", "DEFAULT_RANGES", "SCREENED", "TARGETS", "morris"]

SCREENED = (
    "world.uniqueness", "world.interdependence", "world.dynamism", "population.smd_share", "targets.pressure",
    "incentives.inspection_rate", "workforce.crowding_out", "trust.build_rate", "caseload.npm_cap",
    "caseload.hls_cap",
    # the even-handed model's assumptions: failure modes on both sides
    "measurement.courtesy_bias", "measurement.attribution", "workforce.skill_sd", "workforce.vicarious_trauma",
    "queue.dropout_rate", "world.evidence_drift",
)
# Each over its plausible range (docs/parameters.md), not the whole range the model accepts: a screen over
# implausible worlds would say which assumptions matter where no one thinks the world is.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {key: plausible(key) for key in SCREENED}
DEFAULT_OUTPUTS = ("flourishing_gain", "crisis_cost_per_smd_citizen_year", "goodhart_gap", "misreport_rate")
TARGETS = ("npm", "hls", "difference")


def _overrides(keys, row, base: dict[str, Any]) -> dict[str, Any]:
    values = {k: (int(round(v)) if is_whole_number(k) else float(v)) for k, v in zip(keys, row, strict=True)}
    return {**base, **values}


def morris(ranges: dict[str, tuple[float, float]] | None = None, outputs=DEFAULT_OUTPUTS, target: str = "difference",
           trajectories: int = 10, levels: int = 4, weeks: int = 156, seed: int = 1,
           base: dict[str, Any] | None = None, n_jobs: int | None = None, progress: bool = False) -> pd.DataFrame:
    """Morris screening: one row per (output, parameter) with mu_star, mu, sigma and mu_star_conf."""
    if target not in TARGETS:
        raise ValueError(f"target: {target!r} is not one of {', '.join(TARGETS)}")
    ranges = dict(ranges or DEFAULT_RANGES)
    base = dict(base or {})
    keys = list(ranges)
    for corner in (0, 1):   # bad keys, and bounds outside what a parameter allows, fail here
        resolve(None, _overrides(keys, [ranges[k][corner] for k in keys], base))
    problem = {"num_vars": len(keys), "names": keys, "bounds": [list(ranges[k]) for k in keys]}
    rng_seed = np.random.default_rng(seed).integers(2**31)
    points = morris_sample.sample(problem, N=trajectories, num_levels=levels, seed=int(rng_seed))
    regimes = ("hls", "npm") if target == "difference" else (target,)
    specs = [RunSpec.build(f"morris-{regime}", regime, _overrides(keys, row, base), seed, weeks)
             for row in points for regime in regimes]
    summaries = [o.summary for o in run_all(specs, n_jobs, progress)]
    if target == "difference":
        results = np.array([[hls[k] - npm[k] for k in outputs]
                            for hls, npm in zip(summaries[::2], summaries[1::2], strict=True)], dtype=float)
    else:
        results = np.array([[s[k] for k in outputs] for s in summaries], dtype=float)
    frames = []
    for j, output in enumerate(outputs):
        y = np.nan_to_num(results[:, j], nan=np.nanmean(results[:, j]) if np.isfinite(results[:, j]).any() else 0.0)
        si = morris_analyze.analyze(problem, points, y, num_levels=levels, seed=int(rng_seed))
        frames.append(pd.DataFrame({"output": output, "parameter": keys, "mu_star": si["mu_star"],
                                    "mu": si["mu"], "sigma": si["sigma"], "mu_star_conf": si["mu_star_conf"]}))
    return pd.concat(frames, ignore_index=True)
