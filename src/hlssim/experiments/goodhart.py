"""Four Goodhart variants (Manheim & Garrabrant 2018), each shown from the model's own runs.

For trainers: "when a measure becomes a target, it ceases to be a good measure".
:func:`demo` returns plain numbers a trainer can put on a slide; none is scripted:
they are read off what workers did under the incentives of the run.

- regressional: the proxy is a noisy measure, so whatever tops it is partly lucky;
- extremal: the proxy-goal relation that holds on average breaks among the extremes;
- causal: effort moves to what is measured, which moves the proxy but not flourishing;
- adversarial: once rewarded, the record itself is manipulated.
"""

from __future__ import annotations

import pandas as pd

from ..outputs.goodhart import extremal, regressional
from .runner import Outcome, RunSpec, run_all

__all__ = ["PRESSURES", "TARGETS_ONLY", "demo", "indicators", "sweep"]

PRESSURES = (0.0, 0.5, 1.0)
# Targets alone: nothing paid by results, so at pressure 0 nothing rides on the record (payment by results
# would be a stake in it whatever the target pressure: docs/ODD.md 7.12).
TARGETS_ONLY = {"contract.share_at_risk": 0.0}


def indicators(spec: RunSpec, outcome: Outcome) -> dict[str, float]:
    """Each variant's indicator, read off one run's summary and case log."""
    s, cases = outcome.summary, outcome.cases
    reg, ext = regressional(cases), extremal(cases)
    return {
        # causal: effort moves to the measured domains; the honest proxy moves, flourishing does not
        "causal.measured_effort_share": s["measured_effort_share"],
        "causal.proxy_success_rate": float((cases.proxy_gain >= spec.params["measurement.success_gain"]).mean()),
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
    }


def sweep(seeds=(1,), weeks: int = 156, citizens: int = 1500, pressures=PRESSURES, n_jobs: int | None = None,
          progress: bool = False) -> pd.DataFrame:
    """A target-pressure sweep under NPM (targets alone) on several seeds: one row per seed and pressure."""
    specs = [RunSpec.build("goodhart-demo", "npm", {"population.citizens": citizens, "targets.pressure": pressure,
                                                    **TARGETS_ONLY}, seed, weeks, with_cases=True)
             for seed in seeds for pressure in pressures]
    outcomes = run_all(specs, n_jobs, progress, description="goodhart sweep")
    return pd.DataFrame([{"seed": spec.seed, "targets.pressure": spec.params["targets.pressure"],
                          **indicators(spec, outcome)} for spec, outcome in zip(specs, outcomes, strict=True)])


def demo(seed: int = 1, weeks: int = 156, citizens: int = 1500, pressures=PRESSURES, n_jobs: int | None = None,
         progress: bool = False) -> pd.DataFrame:
    """A target-pressure sweep under NPM with each variant's indicator, one row per pressure (one seed)."""
    table = sweep((seed,), weeks, citizens, pressures, n_jobs, progress)
    return table.drop(columns="seed").set_index("targets.pressure")
