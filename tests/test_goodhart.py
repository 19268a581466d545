"""A trainer can show each of the four Goodhart variants from the model's own behaviour."""

import pytest

import hlssim
from hlssim.experiments.goodhart import demo
from hlssim.outputs.goodhart import extremal, regressional


@pytest.fixture(scope="module")
def sweep():
    return demo(seed=2, weeks=104, citizens=900)


def test_causal_the_proxy_moves_and_flourishing_does_not(sweep):
    low, high = sweep.loc[0.0], sweep.loc[1.0]
    assert high["causal.measured_effort_share"] > low["causal.measured_effort_share"]
    assert high["causal.proxy_success_rate"] > low["causal.proxy_success_rate"]
    assert high["causal.true_success_rate"] <= low["causal.true_success_rate"]


def test_adversarial_records_are_manipulated_only_when_rewarded(sweep):
    assert sweep.loc[0.0, "adversarial.misreport_rate"] == 0.0
    assert sweep.loc[1.0, "adversarial.misreport_rate"] > 0.0
    assert sweep.loc[1.0, "adversarial.data_integrity"] < 1.0


def test_regressional_the_top_of_the_record_is_partly_luck_even_without_gaming(sweep):
    row = sweep.loc[0.0]
    assert row["regressional.top_true_z"] < row["regressional.top_proxy_z"]


def test_extremal_the_relation_weakens_in_the_tail(sweep):
    for pressure in sweep.index:
        row = sweep.loc[pressure]
        assert row["extremal.corr_extreme"] < row["extremal.corr_all"]


PERFECT_PROXY = {"world.uniqueness": 0.0, "targets.measured_domains": list(hlssim.params.DOMAINS),
                 "measurement.proxy_noise_sd": 0.0, "targets.pressure": 0.0}


def test_with_a_perfect_proxy_regression_and_the_broken_tail_vanish():
    # Everyone values every domain alike, the proxy measures all of them without error, and
    # nothing rides on it: the proxy gain *is* the flourishing gain, so neither variant appears.
    cases = hlssim.simulate("npm", seed=2, weeks=104,
                            overrides={"population.citizens": 900, **PERFECT_PROXY}).cases
    reg, ext = regressional(cases), extremal(cases)
    assert abs(reg["top_proxy_z"] - reg["top_true_z"]) < 0.05
    assert ext["corr_extreme"] > 0.95
