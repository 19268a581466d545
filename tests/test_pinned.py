"""Pinned results: the headline scenarios give these numbers, so a change that moves one is a decision.

Recorded from main at 'before-issue7' (commit ca5b92f) with `hlssim run npm-targets hls-devolved
--seeds 3`: 2,000 citizens, 260 weeks. The architecture change moved none of them. A change
to the model that moves them must say so in its commit and update these values (with the
before and after in its note), never silently.
"""

from __future__ import annotations

import dataclasses

import pytest

from hlssim.experiments.runner import RunSpec, run_all
from hlssim.params import scenarios

PINNED = {
    ('npm-targets', 1): {
        'flourishing_gain': 0.009070023796160745, 'goodhart_gap': 0.20897329679434073, 'cost_per_citizen_year': 10940.197246153846,
        'misreport_rate': 0.02287935759352495, 'trust_mean': 0.35954457635506887, 'series.waiting': 1157.0,
        'series.crisis_cost': 99348650.0, 'series.flourishing_mean.last': 0.5650202889514013, 'cases.count': 15691.0,
        'cases.true_gain': 426.96600169273063, 'cases.recorded_success': 8262.0,
    },
    ('npm-targets', 2): {
        'flourishing_gain': 0.014071537194081619, 'goodhart_gap': 0.17524964336661908, 'cost_per_citizen_year': 7453.098123076923,
        'misreport_rate': 0.028530670470756064, 'trust_mean': 0.3879765399631864, 'series.waiting': 345.0,
        'series.crisis_cost': 64419200.0, 'series.flourishing_mean.last': 0.5724953616998405, 'cases.count': 14020.0,
        'cases.true_gain': 608.5574071372307, 'cases.recorded_success': 8503.0,
    },
    ('npm-targets', 3): {
        'flourishing_gain': 0.03919533858387906, 'goodhart_gap': 0.18091330957024676, 'cost_per_citizen_year': 8057.369569230769,
        'misreport_rate': 0.02320263635752236, 'trust_mean': 0.38491338374895256, 'series.waiting': 68.0,
        'series.crisis_cost': 70365500.0, 'series.flourishing_mean.last': 0.5998118787647523, 'cases.count': 14869.0,
        'cases.true_gain': 599.3693326501825, 'cases.recorded_success': 8780.0,
    },
    ('hls-devolved', 1): {
        'flourishing_gain': 0.06398937143976557, 'goodhart_gap': 0.024728202941803445, 'cost_per_citizen_year': 6654.435230769232,
        'misreport_rate': 0.0, 'trust_mean': 0.7045582261306491, 'series.waiting': 144189.0,
        'series.crisis_cost': 57123700.0, 'series.flourishing_mean.last': 0.6199396365950061, 'cases.count': 4691.0,
        'cases.true_gain': 825.3331159636191, 'cases.recorded_success': 3769.0,
    },
    ('hls-devolved', 2): {
        'flourishing_gain': 0.04371179883342682, 'goodhart_gap': 0.0353624208304012, 'cost_per_citizen_year': 5935.247615384616,
        'misreport_rate': 0.0, 'trust_mean': 0.6734178823612992, 'series.waiting': 108776.0,
        'series.crisis_cost': 50440350.0, 'series.flourishing_mean.last': 0.6021356233391857, 'cases.count': 5684.0,
        'cases.true_gain': 864.6434168910484, 'cases.recorded_success': 4369.0,
    },
    ('hls-devolved', 3): {
        'flourishing_gain': 0.04565111357145609, 'goodhart_gap': 0.033798677443056646, 'cost_per_citizen_year': 4213.030846153847,
        'misreport_rate': 0.0, 'trust_mean': 0.6225230968661069, 'series.waiting': 76152.0,
        'series.crisis_cost': 33128250.0, 'series.flourishing_mean.last': 0.6062676537523293, 'cases.count': 6805.0,
        'cases.true_gain': 952.4992626762368, 'cases.recorded_success': 5046.0,
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
