"""Funders: contract forms, the provider market, and scale-up (issue: funders and commissioning)."""

from __future__ import annotations

import numpy as np
import pytest

import hlssim
from hlssim.experiments import commissioning
from hlssim.params import scenarios
from hlssim import ServiceModel

SMALLER = {"population.citizens": 2400, "workforce.team_size": 3}   # 36 workers, 12 teams, 4 providers
# Nothing rides on a recorded success (no target, nothing paid by results, renewal not reading it), every
# record audited.
NO_REWARD_FULL_VERIFICATION = {"contract.share_at_risk": 0.0, "incentives.target_weight": 0.0,
                               "incentives.renewal_weight": 0.0, "contract.price_stable": 0.0,
                               "contract.price_complex": 0.0, "contract.price_smd": 0.0,
                               "incentives.inspection_rate": 1.0}


def preset(name: str, **extra) -> hlssim.Params:
    return scenarios.load(name).with_changes(overrides={**SMALLER, **extra}).params


def run(name, seed, weeks=156, **extra):
    scn = scenarios.load(name).with_changes(overrides={**SMALLER, **extra})
    return hlssim.simulate(None, seed=seed, weeks=weeks, overrides=scn.overrides)


def mean(key, name, seeds=(1, 2), **extra):
    return float(np.mean([run(name, s, **extra).summary[key] for s in seeds]))


@pytest.mark.parametrize("name", ["funding-pbr-flat", "funding-pbr-differential", "funding-block",
                                  "funding-for-learning"])
def test_presets_pick_a_contract_form(name):
    params = preset(name)
    assert params.market.providers == 4
    assert params.contract.measure in ("reported_outcomes", "activity", "learning_accounts")


def test_flat_price_payment_by_results_parks_the_hardest_cases():
    # The easiest cases a service sees are those with one or two low domains ("complex");
    # people who are stable at assessment rarely ask for help at all.
    smd = mean("parked_share_smd", "funding-pbr-flat")
    easier = mean("parked_share_complex", "funding-pbr-flat")
    assert smd > easier
    assert smd > 0.02


def _weighted_push_path(params, seed, rounds=5):
    model = ServiceModel(params, rng=seed)
    path = []
    for _ in range(rounds + 1):
        path.append(float(model.providers.push @ model.providers.budget_share))
        model.run_for(params.contract.recommission_weeks)
    return np.array(path)


def test_selection_on_reported_outcomes_spreads_gaming_strategies():
    paths = np.array([_weighted_push_path(preset("funding-pbr-flat"), s) for s in (1, 2, 3)])
    rise = paths[:, 1:].mean(axis=1) - paths[:, 0]
    assert rise.mean() > 0.05, paths


def test_gaming_providers_hold_more_of_the_market_under_payment_by_results():
    gaming = mean("gaming_provider_share", "funding-pbr-flat", seeds=(1, 2, 3))
    control = mean("gaming_provider_share", "funding-pbr-flat", seeds=(1, 2, 3), **NO_REWARD_FULL_VERIFICATION)
    assert gaming > control


def test_full_verification_and_no_reward_remove_parking_and_gaming_selection():
    assert mean("parked_share_smd", "funding-pbr-flat", **NO_REWARD_FULL_VERIFICATION) == 0.0
    assert mean("misreport_rate", "funding-pbr-flat", **NO_REWARD_FULL_VERIFICATION) == 0.0
    rewarded = np.array([_weighted_push_path(preset("funding-pbr-flat"), s) for s in (1, 2, 3)])
    control = np.array([_weighted_push_path(preset("funding-pbr-flat", **NO_REWARD_FULL_VERIFICATION), s)
                        for s in (1, 2, 3)])
    assert (control[:, -1] - control[:, 0]).mean() < (rewarded[:, -1] - rewarded[:, 0]).mean()


def test_funding_for_learning_spends_more_on_the_hardest_tier_than_flat_pbr():
    learning = mean("hardest_tier_spend_share", "funding-for-learning")
    flat = mean("hardest_tier_spend_share", "funding-pbr-flat")
    assert learning > flat


def test_budget_shares_stay_a_partition_and_concentration_is_a_herfindahl_index():
    model = ServiceModel(preset("funding-pbr-flat"), rng=4)
    model.run_for(160)
    shares = model.providers.budget_share
    assert np.isclose(shares.sum(), 1.0) and (shares >= 0).all()
    assert 1 / shares.size - 1e-9 <= model.rows[-1]["provider_concentration"] <= 1.0
    teams = np.bincount(model.teams.provider, minlength=shares.size)
    assert teams.sum() == model.teams.count
    assert np.abs(teams - shares * model.teams.count).max() <= 1.0


def test_avoided_crisis_cost_is_paired_against_business_as_usual_on_the_same_seed():
    scn = scenarios.load("funding-for-learning").with_changes(overrides=SMALLER)
    [pair] = commissioning.run_design(None, scn.overrides, seeds=[5], weeks=60, n_jobs=1)
    bau = hlssim.simulate("npm", seed=5, weeks=60, overrides=commissioning.business_as_usual(scn.overrides))
    expected = bau.summary["crisis_cost_per_smd_citizen_year"] - pair.design.summary["crisis_cost_per_smd_citizen_year"]
    assert pair.summary["crisis_cost_avoided_per_smd_citizen_year"] == pytest.approx(expected)


# --- national scale-up -------------------------------------------------------------------------

def test_scale_up_multiplies_per_person_differences_by_the_population():
    out = commissioning.scale_up([1000.0, 2000.0, 3000.0], population=100)
    assert out["median"] == pytest.approx(200_000.0)
    assert out["low"] == pytest.approx(np.percentile([1e5, 2e5, 3e5], 10))
    assert out["high"] == pytest.approx(np.percentile([1e5, 2e5, 3e5], 90))
    assert out["per_person"] == [1000.0, 2000.0, 3000.0]
    assert out["seed_claim_national"] == 50_000 * 100


def test_scale_up_interval_widens_with_seed_variance():
    rng = np.random.default_rng(0)
    base = rng.standard_normal(50)
    narrow = commissioning.scale_up(10_000 + 500 * base, population=363_000)
    wide = commissioning.scale_up(10_000 + 5_000 * base, population=363_000)
    assert (wide["high"] - wide["low"]) > (narrow["high"] - narrow["low"])


def test_scale_up_presets_are_the_seeds_figures():
    assert commissioning.POPULATION_PRESETS == {"england-smd": 363_000, "england-severe": 586_000,
                                                "scotland-severe": 128_000, "scotland-two-of-three": 28_000}


def test_scale_up_rejects_a_bad_population():
    with pytest.raises(ValueError, match="population"):
        commissioning.scale_up([1.0], population=0)


def test_exiting_providers_are_replaced_by_entrants_with_a_share():
    params = preset("funding-pbr-flat", **{"market.providers": 6, "market.exit_share": 0.15,
                                           "contract.length_weeks": 104, "contract.recommission_weeks": 52})
    model = ServiceModel(params, rng=3)
    model.run_for(312)
    assert model.ledger.total["provider_entries"] > 0
    assert (model.providers.budget_share > 0).all()


def test_moving_teams_between_providers_breaks_relationships_only_when_switched_on():
    def broken(flag):
        params = preset("funding-pbr-flat", **{"market.transfer_breaks_relationships": flag,
                                               "workforce.turnover_base": 0.0, "workforce.turnover_burnout": 0.0})
        model = ServiceModel(params, rng=2)
        model.run_for(156)
        return model.ledger.total["teams_moved"], model.ledger.total["relationships_broken"]
    moved, with_breaks = broken(True)
    _, without = broken(False)
    assert moved > 0 and with_breaks > 0 and without == 0


def test_funders_over_the_posterior_give_design_and_baseline_the_same_world_at_each_seed(tmp_path):
    """With a posterior, each seed draws one particle, and the design and business as usual both run in it."""
    from hlssim.experiments.posterior import load_posterior
    from hlssim.reports.funding import pair
    posterior = load_posterior("default")
    both = pair(scenarios.load("funding-pbr-flat"), 3, 20, posterior)
    drawn = set(both.design.drawn)
    assert drawn and drawn == set(both.baseline.drawn)
    assert all(both.design.params[k] == both.baseline.params[k] for k in drawn)
    other = pair(scenarios.load("funding-pbr-flat"), 4, 20, posterior)
    assert any(other.design.params[k] != both.design.params[k] for k in drawn)
