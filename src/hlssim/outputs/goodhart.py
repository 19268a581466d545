"""Goodhart's regressional and extremal variants, read off a run's case log (Manheim & Garrabrant 2018).

- regressional: the proxy is a noisy measure, so whatever tops it is partly lucky;
- extremal: the proxy-goal relation that holds on average breaks among the extremes.
The causal and adversarial variants are summary keys (``measured_effort_share``,
``misreport_rate``); ``hlssim.experiments.goodhart`` shows all four against target pressure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def regressional(cases: pd.DataFrame, top: float = 0.1) -> dict[str, float]:
    """Select the cases that look best on the proxy: their true gain regresses toward the mean.

    Both gains in standard units (z-scores across cases); a perfect proxy would give the
    selected group the same standing on both.
    """
    if len(cases) < 20 or cases.proxy_gain.std() == 0 or cases.true_gain.std() == 0:
        return {"top_proxy_z": np.nan, "top_true_z": np.nan}
    z_proxy = (cases.proxy_gain - cases.proxy_gain.mean()) / cases.proxy_gain.std()
    z_true = (cases.true_gain - cases.true_gain.mean()) / cases.true_gain.std()
    chosen = z_proxy >= z_proxy.quantile(1 - top)
    return {"top_proxy_z": float(z_proxy[chosen].mean()), "top_true_z": float(z_true[chosen].mean())}


def extremal(cases: pd.DataFrame, tail: float = 0.1) -> dict[str, float]:
    """Proxy gain tracks true gain overall, less so among the cases with the most extreme proxy gains."""
    def corr(frame):
        if len(frame) < 10 or frame.proxy_gain.std() == 0 or frame.true_gain.std() == 0:
            return np.nan
        return float(np.corrcoef(frame.proxy_gain, frame.true_gain)[0, 1])
    cut = cases.proxy_gain.quantile(1 - tail)
    return {"corr_all": corr(cases), "corr_extreme": corr(cases[cases.proxy_gain >= cut])}
