"""Pinned results: the headline scenarios give these numbers, so a change that moves one is a decision.

`hlssim run npm-targets hls-devolved --seeds 3`: 2,000 citizens, 260 weeks. History:
- recorded at ca5b92f (before the re-layering); the re-layering moved none of them;
- re-recorded for the even-handed model (issue 8), which moved them on purpose: new failure
  modes on both sides, no inflating evidence, natural recovery, one success scale.
A change that moves them must say so in its commit and update these values (with the before
and after in its note), never silently: `.venv/bin/python tests/repin.py` rewrites PINNED from
the current code.
"""

from __future__ import annotations

import dataclasses

import pytest

from hlssim.experiments.runner import RunSpec, run_all
from hlssim.params import scenarios

PINNED = {
    ('npm-targets', 1): {
        'flourishing_gain': 0.0364563094900475, 'goodhart_gap': 0.34757805206928744, 'cost_per_citizen_year': 4445.022846153846,
        'misreport_rate': 0.030287314593921793, 'trust_mean': 0.46362390323631836, 'series.waiting': 0.0,
        'series.crisis_cost': 35119050.0, 'series.flourishing_mean.last': 0.5923858401345244, 'cases.count': 9641.0,
        'cases.true_gain': 243.3491041956139, 'cases.recorded_success': 5854.0,
    },
    ('npm-targets', 2): {
        'flourishing_gain': 0.03447614320814941, 'goodhart_gap': 0.3606895839785279, 'cost_per_citizen_year': 4478.948846153847,
        'misreport_rate': 0.03778259523072158, 'trust_mean': 0.4604570546921606, 'series.waiting': 6.0,
        'series.crisis_cost': 35333850.0, 'series.flourishing_mean.last': 0.5919969692134381, 'cases.count': 9687.0,
        'cases.true_gain': 265.35661366398244, 'cases.recorded_success': 6271.0,
    },
    ('npm-targets', 3): {
        'flourishing_gain': 0.03741191343589121, 'goodhart_gap': 0.35346173867777203, 'cost_per_citizen_year': 4337.3390461538465,
        'misreport_rate': 0.02103071317022384, 'trust_mean': 0.4610053344666901, 'series.waiting': 11.0,
        'series.crisis_cost': 34014900.0, 'series.flourishing_mean.last': 0.5963391864722949, 'cases.count': 9605.0,
        'cases.true_gain': 245.73601841257437, 'cases.recorded_success': 5946.0,
    },
    ('hls-devolved', 1): {
        'flourishing_gain': 0.052041838951217514, 'goodhart_gap': 0.059451927542963356, 'cost_per_citizen_year': 4914.129307692308,
        'misreport_rate': 0.0, 'trust_mean': 0.7418188951942709, 'series.waiting': 113019.0,
        'series.crisis_cost': 39671850.0, 'series.flourishing_mean.last': 0.6079713695956936, 'cases.count': 2153.0,
        'cases.true_gain': 289.50160977902755, 'cases.recorded_success': 1691.0,
    },
    ('hls-devolved', 2): {
        'flourishing_gain': 0.06868274845677996, 'goodhart_gap': 0.0657243816254417, 'cost_per_citizen_year': 4294.780307692308,
        'misreport_rate': 0.0, 'trust_mean': 0.7031769679913529, 'series.waiting': 81878.0,
        'series.crisis_cost': 33479000.0, 'series.flourishing_mean.last': 0.6262035744620684, 'cases.count': 2830.0,
        'cases.true_gain': 367.72537549729293, 'cases.recorded_success': 2280.0,
    },
    ('hls-devolved', 3): {
        'flourishing_gain': 0.056763932395120016, 'goodhart_gap': 0.07767819035424672, 'cost_per_citizen_year': 4490.463307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.724721887601943, 'series.waiting': 96080.0,
        'series.crisis_cost': 35435750.0, 'series.flourishing_mean.last': 0.6156912054315231, 'cases.count': 2343.0,
        'cases.true_gain': 312.1859166238381, 'cases.recorded_success': 1905.0,
    },
}


@pytest.fixture(scope="module")
def outcomes():
    specs = [dataclasses.replace(RunSpec.from_scenario(scenarios.load(name), seed=seed, weeks=260), with_cases=True)
             for name, seed in PINNED]
    return dict(zip(PINNED, run_all(specs, jobs=1), strict=True))


def measured(outcome) -> dict[str, float]:
    s, ts, cs = outcome.summary, outcome.timeseries, outcome.cases
    return {"flourishing_gain": s["flourishing_gain"], "goodhart_gap": s["goodhart_gap"],
            "cost_per_citizen_year": s["cost_per_citizen_year"], "misreport_rate": s["misreport_rate"],
            "trust_mean": s["trust_mean"], "series.waiting": float(ts["waiting"].sum()),
            "series.crisis_cost": float(ts["crisis_cost"].sum()),
            "series.flourishing_mean.last": float(ts["flourishing_mean"].iloc[-1]),
            "cases.count": float(len(cs)), "cases.true_gain": float(cs["true_gain"].sum()),
            "cases.recorded_success": float(cs["recorded_success"].sum())}


@pytest.mark.parametrize("run", list(PINNED), ids=lambda r: f"{r[0]}-{r[1]}")
def test_headline_runs_give_the_pinned_numbers(outcomes, run):
    got = measured(outcomes[run])
    for key, value in PINNED[run].items():
        assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
