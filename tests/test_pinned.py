"""Pinned results: the headline scenarios give these numbers, so a change that moves one is a decision.

`hlssim run npm-targets hls-devolved --seeds 3`: 2,000 citizens, 260 weeks. History:
- recorded at ca5b92f (before the re-layering); the re-layering moved none of them;
- re-recorded for the even-handed model (issue 8), which moved them on purpose: new failure
  modes on both sides, no inflating evidence, natural recovery, one success scale;
- re-recorded twice for speed (issue 12), each time a new draw of the same random numbers (random
  bytes for small noise; then bytes straight from the bit generator, 16-bit chances and stable
  sorts), checked against the previous headline's 10-90% bands key by key.
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
        'flourishing_gain': 0.02843224131964946, 'goodhart_gap': 0.3786224692338229, 'cost_per_citizen_year': 4778.783646153846,
        'misreport_rate': 0.030269948392219134, 'trust_mean': 0.46074309328263185, 'series.waiting': 0.0,
        'series.crisis_cost': 38427850.0, 'series.flourishing_mean.last': 0.5829713283999811, 'cases.count': 10076.0,
        'cases.true_gain': 194.89895623659538, 'cases.recorded_success': 5948.0,
    },
    ('npm-targets', 2): {
        'flourishing_gain': 0.0364884425795334, 'goodhart_gap': 0.36920596533655786, 'cost_per_citizen_year': 4685.702846153847,
        'misreport_rate': 0.030733575171301895, 'trust_mean': 0.4529001596659894, 'series.waiting': 6.0,
        'series.crisis_cost': 37427550.0, 'series.flourishing_mean.last': 0.5940096969074052, 'cases.count': 9924.0,
        'cases.true_gain': 231.32622303189933, 'cases.recorded_success': 6179.0,
    },
    ('npm-targets', 3): {
        'flourishing_gain': 0.0354183790661486, 'goodhart_gap': 0.34787112814669013, 'cost_per_citizen_year': 4322.578846153847,
        'misreport_rate': 0.02424116854863773, 'trust_mean': 0.45847879774957645, 'series.waiting': 3.0,
        'series.crisis_cost': 33854550.0, 'series.flourishing_mean.last': 0.5972492912953286, 'cases.count': 9653.0,
        'cases.true_gain': 253.5813381886415, 'cases.recorded_success': 5987.0,
    },
    ('hls-devolved', 1): {
        'flourishing_gain': 0.04707856837647647, 'goodhart_gap': 0.05972515856236793, 'cost_per_citizen_year': 5378.838307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.755048258541215, 'series.waiting': 128979.0,
        'series.crisis_cost': 44318500.0, 'series.flourishing_mean.last': 0.6016176554568089, 'cases.count': 1892.0,
        'cases.true_gain': 237.93665978643014, 'cases.recorded_success': 1412.0,
    },
    ('hls-devolved', 2): {
        'flourishing_gain': 0.06685187968443182, 'goodhart_gap': 0.06637863315003933, 'cost_per_citizen_year': 4710.190307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.716864339293696, 'series.waiting': 97807.0,
        'series.crisis_cost': 37631900.0, 'series.flourishing_mean.last': 0.6243731340123041, 'cases.count': 2546.0,
        'cases.true_gain': 335.30322321025074, 'cases.recorded_success': 2054.0,
    },
    ('hls-devolved', 3): {
        'flourishing_gain': 0.054058703188086525, 'goodhart_gap': 0.06481895395619142, 'cost_per_citizen_year': 4887.927307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.7302651652709323, 'series.waiting': 112361.0,
        'series.crisis_cost': 39409950.0, 'series.flourishing_mean.last': 0.6158896154172673, 'cases.count': 2237.0,
        'cases.true_gain': 293.159520837688, 'cases.recorded_success': 1775.0,
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
