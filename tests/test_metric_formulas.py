"""docs/metrics.md's formulas, recomputed from the weekly series, the case log and the state, agree with
``summarize``: the documentation cannot drift from the code (as docs/parameters.md cannot)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import hlssim
from helpers import switched_on
from hlssim.mechanisms import books

WORLDS = {
    "npm": ("npm", {}),
    "hls": ("hls", {}),
    "pbr-market": ("npm", {"market.providers": 3, "workforce.team_size": 4, "contract.share_at_risk": 0.5,
                           "contract.price_smd": 900.0, "contract.recommission_weeks": 26,
                           "targets.outcome_level": 0.5, "measurement.independent_followup": 0.3}),
    # Every mechanism a default switches off, switched on: a new one's costs are in the formula at once.
    "switched on": ("hls", {**switched_on(), "workforce.team_size": 4}),
}


@pytest.fixture(scope="module", params=list(WORLDS))
def run(request):
    regime, overrides = WORLDS[request.param]
    return hlssim.simulate(regime, seed=4, weeks=60, overrides={"population.citizens": 800, **overrides},
                           keep_model=True)


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_costs_follow_their_documented_formulas(run):
    """The funder's spend and crisis cost are the declared books (docs/metrics.md's formula is generated from
    the same declarations), each a weekly column: the series adds up to the summary."""
    ts, s, n = run.timeseries, run.summary, run.params.population.citizens
    years = len(ts) / 52
    spend = math.fsum(book.spend * ts[book.column].sum() for book in books() if book.spend)
    crisis = math.fsum(ts[book.column].sum() for book in books() if book.crisis)
    paid = spend - ts.followup_cost.sum()
    assert close(s["cost_per_citizen_year"], (spend + crisis) / (n * years))
    assert close(s["crisis_cost_per_citizen_year"], crisis / (n * years))
    assert close(s["spend_per_citizen_year"], spend / (n * years))
    smd_years = run.model.ledger.total["smd_start_citizen_weeks"] / 52
    assert close(s["crisis_cost_per_smd_citizen_year"], ts.crisis_cost_smd_start.sum() / smd_years)
    margin = ts.service_retained.sum() - ts.withheld.sum() + ts.outcome_payments.sum()
    assert close(s["provider_margin_share"], margin / paid)


def test_every_cost_is_a_weekly_column_so_the_series_adds_up():
    uncounted = [b.name for b in books() if (b.spend or b.crisis) and b.shown is None]
    assert not uncounted, f"books in the funder's spend or crisis cost with no weekly column: {uncounted}"


def test_what_reaches_people_with_smd_follows_its_documented_formula(run):
    led, s = run.model.ledger.total, run.summary
    reaching = led["staff_cost"] * led["smd_relational_hours"] / led["relational_hours"] + led["service_spend_smd"]
    assert close(s["hardest_tier_spend_share"], reaching / (led["staff_cost"] + led["service_spend"]))
    assert close(s["smd_resources_per_smd_citizen_year"], reaching / (led["smd_start_citizen_weeks"] / 52))
    assert close(s["declined_share"], led["declined_by_margin"] / led["requests"])
    assert close(s["easier_closure_share"], (run.cases.intake_tier < 2).mean())


def test_case_rates_follow_their_documented_formulas(run):
    cases, s = run.cases, run.summary
    recorded, true = cases.recorded_success.astype(bool), cases.true_success.astype(bool)
    assert close(s["reported_success_rate"], recorded.mean())
    assert close(s["true_success_rate"], (cases.true_gain >= run.params.measurement.success_gain).mean())
    assert close(s["goodhart_gap"], recorded.mean() - true.mean())
    assert close(s["data_integrity"], (recorded == true).mean())
    assert close(s["report_true_corr"], float(np.corrcoef(recorded.astype(float), cases.true_gain)[0, 1]))
    assert close(s["misreport_rate"], cases.misreported.mean())
    assert s["cases_closed"] == len(cases)


def test_demand_and_work_shares_follow_their_documented_formulas(run):
    ts, s = run.timeseries, run.summary
    assert close(s["turned_away_share"], ts.turned_away.sum() / ts.requests.sum())
    assert close(s["failure_demand_share"], ts.failure_demand.sum() / ts.requests.sum())
    assert close(s["closed_early_share"], ts.closed_early.sum() / ts.closures.sum())
    assert close(s["closed_at_review_share"], ts.closed_at_review.sum() / ts.closures.sum())
    assert close(s["waiting_mean"], ts.waiting.mean())
    served = ts.active_cases.to_numpy(float)
    assert close(s["trust_mean"], float(np.average(ts.trust_mean[served > 0], weights=served[served > 0])))
    assert close(s["knowledge_accuracy"],
                 float(np.average(ts.knowledge_accuracy[served > 0], weights=served[served > 0])))


def test_lives_follow_their_documented_formulas(run):
    c, s = run.model.citizens, run.summary
    f = np.einsum("nd,nd->n", c.weights, c.wellbeing)
    assert close(s["flourishing_mean"], f.mean())
    assert close(s["flourishing_gain"], (f - c.flourishing_start).mean())
    assert close(s["flourishing_gain_smd"], (f - c.flourishing_start)[c.smd_start].mean())
    assert close(s["equity_gap"], f[~c.smd_start].mean() - f[c.smd_start].mean())


def test_the_workforce_follows_its_documented_formulas(run):
    ts, s, w = run.timeseries, run.summary, run.model.workers
    years = len(ts) / 52
    assert close(s["worker_turnover_rate"], ts.leavers.sum() / (w.count * years))
    assert close(s["worker_motivation_mean"], w.motivation.mean())


def test_with_nobody_smd_the_smd_crisis_cost_is_nan_as_documented():
    """docs/metrics.md says NaN when no one is SMD at start; the code agrees (not a 0 that reads as a finding)."""
    doc = next(line for line in (Path(__file__).parents[1] / "docs" / "metrics.md").open(encoding="utf-8")
               if line.startswith("| `crisis_cost_per_smd_citizen_year`"))
    assert "`NaN` if no one is SMD at start" in doc
    none_smd = hlssim.simulate("npm", seed=1, weeks=10, overrides={"population.citizens": 200,
                                                                   "population.smd_share": 0.0})
    assert math.isnan(none_smd.summary["crisis_cost_per_smd_citizen_year"])
