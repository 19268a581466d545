"""Global sensitivity analysis (Morris elementary effects, via SALib) over the model's parameters.

For researchers: which parameters move which outputs, and how much, over whole ranges rather
than one at a time from the defaults. Each sample point is one run (or, for ``target="difference"``,
an HLS and an NPM run on the same seed, so the output is a paired difference). Runs go in
parallel with joblib.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from .params import Params, resolve
from .simulate import simulate

DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "world.uniqueness": (0.0, 1.0),
    "world.interdependence": (0.0, 1.0),
    "world.dynamism": (0.0, 1.0),
    "population.smd_share": (0.05, 0.45),
    "targets.pressure": (0.0, 1.0),
    "incentives.inspection_rate": (0.0, 0.5),
    "workforce.crowding_out": (0.0, 1.0),
    "trust.build_rate": (0.02, 0.2),
    "caseload.npm_cap": (15, 40),
    "caseload.hls_cap": (6, 20),
}
DEFAULT_OUTPUTS = ("flourishing_gain", "crisis_cost_per_smd_citizen_year", "goodhart_gap", "misreport_rate")
TARGETS = ("npm", "hls", "difference")


def _is_int(key: str) -> bool:
    """Whether a dotted key is a whole-number parameter (unknown keys are left to resolve() to name)."""
    group, _, name = key.partition(".")
    fields = Params.model_fields.get(group)
    field = fields.annotation.model_fields.get(name) if fields else None
    return field is not None and field.annotation is int


def _overrides(keys, row, base: dict[str, Any]) -> dict[str, Any]:
    values = {k: (int(round(v)) if _is_int(k) else float(v)) for k, v in zip(keys, row, strict=True)}
    return {**base, **values}


def _evaluate(target: str, overrides: dict[str, Any], seed: int, weeks: int, outputs) -> list[float]:
    if target == "difference":
        hls = simulate("hls", seed=seed, weeks=weeks, overrides=overrides).summary
        npm = simulate("npm", seed=seed, weeks=weeks, overrides=overrides).summary
        return [hls[k] - npm[k] for k in outputs]
    s = simulate(target, seed=seed, weeks=weeks, overrides=overrides).summary
    return [s[k] for k in outputs]


def morris(ranges: dict[str, tuple[float, float]] | None = None, outputs=DEFAULT_OUTPUTS, target: str = "difference",
           trajectories: int = 10, levels: int = 4, weeks: int = 156, seed: int = 1,
           base: dict[str, Any] | None = None, n_jobs: int = -1, progress=None) -> pd.DataFrame:
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
    jobs = (delayed(_evaluate)(target, _overrides(keys, row, base), seed, weeks, outputs) for row in points)
    done = Parallel(n_jobs=n_jobs, return_as="generator")(jobs)
    if progress is not None:
        done = progress(done, total=len(points))
    results = np.array(list(done), dtype=float)
    frames = []
    for j, output in enumerate(outputs):
        y = np.nan_to_num(results[:, j], nan=np.nanmean(results[:, j]) if np.isfinite(results[:, j]).any() else 0.0)
        si = morris_analyze.analyze(problem, points, y, num_levels=levels, seed=int(rng_seed))
        frames.append(pd.DataFrame({"output": output, "parameter": keys, "mu_star": si["mu_star"],
                                    "mu": si["mu"], "sigma": si["sigma"], "mu_star_conf": si["mu_star_conf"]}))
    return pd.concat(frames, ignore_index=True)
