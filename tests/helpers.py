"""Small, fast runs for tests: a few hundred citizens for two or three years."""

from __future__ import annotations

import hlssim

SMALL = {"population.citizens": 600}


def run(regime="npm", seed=1, weeks=104, **overrides):
    ov = dict(SMALL)
    ov.update({k.replace("__", "."): v for k, v in overrides.items()})
    return hlssim.simulate(regime, seed=seed, weeks=weeks, overrides=ov)


def mean_summary(key, regime="npm", seeds=(1, 2), weeks=104, **overrides):
    values = [run(regime, seed=s, weeks=weeks, **overrides).summary[key] for s in seeds]
    return sum(values) / len(values)
