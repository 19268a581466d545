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
        'flourishing_gain': 0.031058844100623477, 'goodhart_gap': 0.36498232878020825, 'cost_per_citizen_year': 5237.336846153847,
        'misreport_rate': 0.03476931894163721, 'trust_mean': 0.4561897474650184, 'series.waiting': 5.0,
        'series.crisis_cost': 42959350.0, 'series.flourishing_mean.last': 0.587009109255864, 'cases.count': 10469.0,
        'cases.true_gain': 199.60932232660306, 'cases.recorded_success': 6128.0,
    },
    ('npm-targets', 2): {
        'flourishing_gain': 0.03314279669841241, 'goodhart_gap': 0.4032832278481013, 'cost_per_citizen_year': 4644.199446153846,
        'misreport_rate': 0.03807357594936709, 'trust_mean': 0.45895767908538776, 'series.waiting': 8.0,
        'series.crisis_cost': 36950800.0, 'series.flourishing_mean.last': 0.5915666212041713, 'cases.count': 10112.0,
        'cases.true_gain': 209.77792932797112, 'cases.recorded_success': 6386.0,
    },
    ('npm-targets', 3): {
        'flourishing_gain': 0.03576249450298229, 'goodhart_gap': 0.39920872334266144, 'cost_per_citizen_year': 4816.6074461538465,
        'misreport_rate': 0.03203705490688025, 'trust_mean': 0.4585159635677055, 'series.waiting': 0.0,
        'series.crisis_cost': 38602900.0, 'series.flourishing_mean.last': 0.5963790346838554, 'cases.count': 10363.0,
        'cases.true_gain': 214.44785810920342, 'cases.recorded_success': 6627.0,
    },
    ('hls-devolved', 1): {
        'flourishing_gain': 0.04418547689989533, 'goodhart_gap': 0.061747776033490354, 'cost_per_citizen_year': 5496.832307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.7515521656321325, 'series.waiting': 128633.0,
        'series.crisis_cost': 45498400.0, 'series.flourishing_mean.last': 0.6001357420551359, 'cases.count': 1911.0,
        'cases.true_gain': 259.75228324039966, 'cases.recorded_success': 1487.0,
    },
    ('hls-devolved', 2): {
        'flourishing_gain': 0.06840571683352269, 'goodhart_gap': 0.07140129820542185, 'cost_per_citizen_year': 4530.720307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.7124370189673592, 'series.waiting': 93006.0,
        'series.crisis_cost': 35837600.0, 'series.flourishing_mean.last': 0.6268295413392816, 'cases.count': 2619.0,
        'cases.true_gain': 332.9335873432396, 'cases.recorded_success': 2082.0,
    },
    ('hls-devolved', 3): {
        'flourishing_gain': 0.058277194673458356, 'goodhart_gap': 0.07652033830044302, 'cost_per_citizen_year': 4334.730307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.7186602624933943, 'series.waiting': 92076.0,
        'series.crisis_cost': 33878300.0, 'series.flourishing_mean.last': 0.6188937348543315, 'cases.count': 2483.0,
        'cases.true_gain': 326.90206703818046, 'cases.recorded_success': 1999.0,
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
