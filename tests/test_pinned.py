"""Pinned results: the headline scenarios give these numbers, so a change that moves one is a decision.

`hlssim run npm-targets hls-devolved --seeds 3`: 2,000 citizens, 260 weeks. History:
- recorded at ca5b92f (before the re-layering); the re-layering moved none of them;
- re-recorded for the even-handed model (issue 8), which moved them on purpose: new failure
  modes on both sides, no inflating evidence, natural recovery, one success scale;
- re-recorded twice for speed (issue 12), each time a new draw of the same random numbers (random
  bytes for small noise; then bytes straight from the bit generator, 16-bit chances and stable
  sorts), checked against the previous headline's 10-90% bands key by key;
- re-recorded for consequences on both sides (issue 17), which moved them on purpose: one rule for stakes,
  accounts that steer reviews and learning, providers' finances. Band check against the previous
  headline (10 seeds, 260 weeks): 43 of 45 HLS keys and 36 of 45 NPM keys inside the old 10-90% bands;
  outside them HLS true and reported success (kind reviews keep cases open), NPM's Goodhart gap and data
  integrity, turned-away, failure demand and parking shares and SMD hours (payment by results now a
  stake without any target; the provider's margins), and gaming_provider_share (misreports, not error).
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
        'flourishing_gain': 0.029090641240610848, 'goodhart_gap': 0.39752420884496353, 'cost_per_citizen_year': 4907.603646153846,
        'misreport_rate': 0.033742637516222425, 'trust_mean': 0.45446804261810253, 'series.waiting': 0.0,
        'series.crisis_cost': 39687850.0, 'series.flourishing_mean.last': 0.5836297283209427, 'cases.count': 10017.0,
        'cases.true_gain': 192.19864476341607, 'cases.recorded_success': 6042.0,
    },
    ('npm-targets', 2): {
        'flourishing_gain': 0.0222839498197278, 'goodhart_gap': 0.4164109670394932, 'cost_per_citizen_year': 5031.592846153846,
        'misreport_rate': 0.044937147381965754, 'trust_mean': 0.44812575172104707, 'series.waiting': 0.0,
        'series.crisis_cost': 40834850.0, 'series.flourishing_mean.last': 0.5798052041476002, 'cases.count': 10103.0,
        'cases.true_gain': 189.07026541091398, 'cases.recorded_success': 6351.0,
    },
    ('npm-targets', 3): {
        'flourishing_gain': 0.035230606446796014, 'goodhart_gap': 0.42912602030658964, 'cost_per_citizen_year': 4529.807938461539,
        'misreport_rate': 0.03354568982679673, 'trust_mean': 0.44864641884484796, 'series.waiting': 0.0,
        'series.crisis_cost': 35706000.0, 'series.flourishing_mean.last': 0.5970615186759753, 'cases.count': 10046.0,
        'cases.true_gain': 249.99852146158, 'cases.recorded_success': 6726.0,
    },
    ('hls-devolved', 1): {
        'flourishing_gain': 0.04664113427915544, 'goodhart_gap': 0.06548974943052388, 'cost_per_citizen_year': 5394.013307692308,
        'misreport_rate': 0.0, 'trust_mean': 0.7646045871308851, 'series.waiting': 130030.0,
        'series.crisis_cost': 44470250.0, 'series.flourishing_mean.last': 0.6011802213594862, 'cases.count': 1756.0,
        'cases.true_gain': 237.9660488468209, 'cases.recorded_success': 1432.0,
    },
    ('hls-devolved', 2): {
        'flourishing_gain': 0.06447342719430603, 'goodhart_gap': 0.0719148936170213, 'cost_per_citizen_year': 4784.995307692308,
        'misreport_rate': 0.0, 'trust_mean': 0.7262667251282973, 'series.waiting': 99850.0,
        'series.crisis_cost': 38379950.0, 'series.flourishing_mean.last': 0.6219946815221781, 'cases.count': 2350.0,
        'cases.true_gain': 324.5155465744007, 'cases.recorded_success': 1982.0,
    },
    ('hls-devolved', 3): {
        'flourishing_gain': 0.05398324780800193, 'goodhart_gap': 0.06101537028411741, 'cost_per_citizen_year': 5028.532307692309,
        'misreport_rate': 0.0, 'trust_mean': 0.7327231705372982, 'series.waiting': 117232.0,
        'series.crisis_cost': 40816000.0, 'series.flourishing_mean.last': 0.6158141600371814, 'cases.count': 2147.0,
        'cases.true_gain': 288.3333023771595, 'cases.recorded_success': 1758.0,
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
