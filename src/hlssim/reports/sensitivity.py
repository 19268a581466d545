"""Which uncertain parameters an answer hangs on: Sobol indices, Morris elementary effects, or rank correlation.

The measure follows the design: a ``sobol`` design gets Sobol first- and total-order indices
(SALib), a ``morris`` design Morris mu* (SALib), and ``grid`` or ``lhs`` designs the absolute
Spearman rank correlation of the answer with each parameter. Sobol and Morris need a value at
every design point; where one is missing (a NaN outcome, or runs not yet stored) the table says
so instead of filling it in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..experiments.sweeps.design import problem

MEASURES = {
    "sobol": ("ST", "Sobol total-order index ST (share of variance, 0-1)"),
    "morris": ("mu_star", "Morris mu* (mean |elementary effect|, outcome units)"),
    "rank": ("abs_spearman", "|Spearman rank correlation| (0-1)"),
}
COLUMNS = ["parameter", "measure", "value", "conf", "method", "note"]


def method_for(design: str) -> str:
    return design if design in ("sobol", "morris") else "rank"


def indices(info: dict[str, Any], x: pd.DataFrame, y: pd.Series) -> pd.DataFrame:
    """Sensitivity of ``y`` (one value per design point, indexed by point) to each uncertain parameter."""
    method = method_for(info["design"])
    keys = list(info["uncertainties"])
    y = y.reindex(range(info["design_points"])) if method != "rank" else y.dropna()
    missing = int(y.isna().sum())
    if method != "rank" and missing:
        return pd.DataFrame([{"parameter": k, "measure": MEASURES[method][0], "value": np.nan, "conf": np.nan,
                              "method": method, "note": f"n/a: no value at {missing} of {len(y)} design points"}
                             for k in keys], columns=COLUMNS)
    try:
        frame = pd.DataFrame(_analyse(method, info, x, y))
    except (ValueError, ZeroDivisionError) as err:     # e.g. a Morris step that rounding erased
        return pd.DataFrame([{"parameter": k, "measure": MEASURES[method][0], "value": np.nan, "conf": np.nan,
                              "method": method, "note": f"n/a: {err}"} for k in keys], columns=COLUMNS)
    frame["method"], frame["note"] = method, ""
    return frame[COLUMNS]


def _analyse(method: str, info: dict[str, Any], x: pd.DataFrame, y: pd.Series) -> list[dict[str, Any]]:
    keys = list(info["uncertainties"])
    space = problem({k: tuple(v) for k, v in info["uncertainties"].items()})
    seed = info["design_seed"]
    if method == "sobol":
        from SALib.analyze import sobol
        si = sobol.analyze(space, y.to_numpy(dtype=float), calc_second_order=False, seed=seed)
        rows = [{"parameter": k, "measure": measure, "value": si[measure][j], "conf": si[f"{measure}_conf"][j]}
                for measure in ("ST", "S1") for j, k in enumerate(keys)]
    elif method == "morris":
        from SALib.analyze import morris
        si = morris.analyze(space, x.loc[y.index, keys].to_numpy(dtype=float), y.to_numpy(dtype=float),
                            num_levels=info["levels"], seed=seed)
        rows = [{"parameter": k, "measure": "mu_star", "value": si["mu_star"][j], "conf": si["mu_star_conf"][j]}
                for j, k in enumerate(keys)]
    else:
        rows = []
        for k in keys:
            xs = x.loc[y.index, k].to_numpy(dtype=float)
            usable = len(y) >= 3 and np.ptp(xs) > 0 and np.ptp(y.to_numpy(dtype=float)) > 0
            rho = stats.spearmanr(xs, y.to_numpy(dtype=float)).statistic if usable else np.nan
            rows.append({"parameter": k, "measure": "abs_spearman", "value": abs(rho), "conf": np.nan})
    return rows


def ranked(table: pd.DataFrame) -> list[str]:
    """Parameters from most to least influential on the table's headline measure (NaN last)."""
    head = table[table.measure == table.measure.iloc[0]] if len(table) else table
    return head.sort_values("value", ascending=False, na_position="last")["parameter"].tolist()
