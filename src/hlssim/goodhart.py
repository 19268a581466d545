"""Four Goodhart variants (Manheim & Garrabrant 2018), each shown from the model's own runs.

For trainers: "when a measure becomes a target, it ceases to be a good measure".
Each function returns plain numbers a trainer can put on a slide; none is scripted:
they are read off what workers did under the incentives of the run.

- regressional: the proxy is a noisy measure, so whatever tops it is partly lucky;
- extremal: the proxy-goal relation that holds on average breaks among the extremes;
- causal: effort moves to what is measured, which moves the proxy but not flourishing;
- adversarial: once rewarded, the record itself is manipulated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .simulate import simulate

PRESSURES = (0.0, 0.5, 1.0)


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


def demo(seed: int = 1, weeks: int = 156, citizens: int = 1500, pressures=PRESSURES) -> pd.DataFrame:
    """A target-pressure sweep under NPM with each variant's indicator, one row per pressure."""
    rows = []
    for pressure in pressures:
        r = simulate("npm", seed=seed, weeks=weeks,
                     overrides={"population.citizens": citizens, "targets.pressure": pressure})
        s, cases = r.summary, r.cases
        reg, ext = regressional(cases), extremal(cases)
        rows.append({
            "targets.pressure": pressure,
            # causal: effort moves to the measured domains; the honest proxy moves, flourishing does not
            "causal.measured_effort_share": s["measured_effort_share"],
            "causal.proxy_success_rate": float((cases.proxy_gain >= r.params.targets.success_gain).mean()),
            "causal.true_success_rate": s["true_success_rate"],
            "causal.flourishing_gain": s["flourishing_gain"],
            # adversarial: records manipulated
            "adversarial.misreport_rate": s["misreport_rate"],
            "adversarial.data_integrity": s["data_integrity"],
            # regressional: the cases that look best on the proxy are partly the luckiest
            "regressional.top_proxy_z": reg["top_proxy_z"],
            "regressional.top_true_z": reg["top_true_z"],
            # extremal: the relation breaks in the tail
            "extremal.corr_all": ext["corr_all"],
            "extremal.corr_extreme": ext["corr_extreme"],
            "goodhart_gap": s["goodhart_gap"],
            "report_true_corr": s["report_true_corr"],
        })
    return pd.DataFrame(rows).set_index("targets.pressure")
