"""Design points: where in the space of uncertain parameters a sweep runs (SALib samplers and a plain grid).

``grid`` takes every combination of evenly spaced values; ``lhs`` a Latin hypercube (SALib); ``sobol``
Saltelli's extension of the Sobol' sequence (SALib), first- and total-order, so the report can
compute Sobol indices; ``morris`` Morris trajectories (SALib), for elementary effects. The same
file and design seed always give the same points. Whole-number parameters are rounded.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from ...params import is_whole_number


def problem(uncertainties: dict[str, tuple[float, float]]) -> dict:
    """SALib's description of the space: names and bounds."""
    return {"num_vars": len(uncertainties), "names": list(uncertainties),
            "bounds": [[float(low), float(high)] for low, high in uncertainties.values()]}


def sample(design: str, uncertainties: dict[str, tuple[float, float]], points: int, levels: int = 4,
           seed: int = 1) -> pd.DataFrame:
    """One row per design point (index ``point`` from 0), one column per uncertain parameter."""
    space = problem(uncertainties)
    if design == "grid":
        axes = [np.linspace(low, high, points) for low, high in space["bounds"]]
        rows = np.array(list(itertools.product(*axes)), dtype=float)
    elif design == "lhs":
        from SALib.sample import latin
        rows = latin.sample(space, points, seed=seed)
    elif design == "sobol":
        from SALib.sample import sobol
        rows = sobol.sample(space, points, calc_second_order=False, seed=seed)
    elif design == "morris":
        from SALib.sample import morris
        rows = morris.sample(space, N=points, num_levels=levels, seed=seed)
    else:
        raise ValueError(f"design: {design!r} is not one of grid, lhs, sobol, morris")
    frame = pd.DataFrame(rows, columns=space["names"])
    for key in frame.columns:
        if is_whole_number(key):
            frame[key] = frame[key].round().astype(int)
    frame.index.name = "point"
    return frame
