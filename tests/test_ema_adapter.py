"""The EMA Workbench adapter: a Model whose uncertainties carry the parameter table's plausible ranges, whose levers are
the six practices and whose outcomes are summary keys, run by EMA Workbench's own perform_experiments."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import hlssim
from hlssim.experiments.sweeps.ema import LEVERS, ema_model, ema_name, hlssim_key
from hlssim.params import plausible
from hlssim.params import PRACTICES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from ema_workbench import Sample, perform_experiments

OUTCOMES = ["flourishing_gain", "data_integrity", "cost_per_citizen_year"]
FIXED = {"population.citizens": 200}


def test_the_model_takes_its_plausible_ranges_from_the_parameter_table():
    model = ema_model(uncertainties=["world.uniqueness", "caseload.npm_cap", "population.smd_share"],
                      outcomes=OUTCOMES)
    ranges = {u.name: (u.lower_bound, u.upper_bound) for u in model.uncertainties}
    assert ranges == {"world__uniqueness": plausible("world.uniqueness"), "caseload__npm_cap": plausible("caseload.npm_cap"),
                      "population__smd_share": plausible("population.smd_share")}
    assert ranges["world__uniqueness"] != (0.0, 1.0)     # the plausible range, not the hard bounds
    assert [lever.name for lever in model.levers] == [ema_name(k) for k in LEVERS]
    assert [o.name for o in model.outcomes] == OUTCOMES
    assert hlssim_key("world__uniqueness") == "world.uniqueness"


@pytest.mark.parametrize("uncertainties, message", [
    (["population.citizens"], "gives no plausible range"),
    ({"world.uniqueness": (0.5, 1.5)}, "not inside what the parameter allows"),
    (["world.uniquenes"], "unknown key"),
])
def test_ranges_the_table_cannot_give_are_refused(uncertainties, message):
    with pytest.raises(ValueError, match=message):
        ema_model(uncertainties=uncertainties)


def test_perform_experiments_runs_four_experiments_that_match_hlssim_runs():
    model = ema_model(uncertainties={"world.uniqueness": (0.2, 0.9), "targets.pressure": (0.0, 1.0)},
                      outcomes=OUTCOMES, fixed=FIXED, weeks=20, seed=3)
    policies = [Sample(name, **{ema_name(f"practices.{p}"): degree for p in PRACTICES})
                for name, degree in (("npm", 0.0), ("hls", 1.0))]
    experiments, outcomes = perform_experiments(model, scenarios=2, policies=policies,
                                                uncertainty_sampling_kwargs={"rng": 42})
    assert len(experiments) == 4 and set(outcomes) == set(OUTCOMES)
    assert all(len(values) == 4 for values in outcomes.values())
    assert experiments["world__uniqueness"].between(0.2, 0.9).all()
    for i, row in experiments.iterrows():
        regime = row["policy"]
        overrides = {**FIXED, "world.uniqueness": row["world__uniqueness"], "targets.pressure": row["targets__pressure"]}
        direct = hlssim.simulate(regime, seed=3, weeks=20, overrides=overrides).summary
        for key in OUTCOMES:
            assert np.isclose(outcomes[key][i], direct[key], equal_nan=True), (i, key)
    npm, hls = (experiments.policy == "npm").to_numpy(), (experiments.policy == "hls").to_numpy()
    assert not np.allclose(outcomes["cost_per_citizen_year"][npm], outcomes["cost_per_citizen_year"][hls])
