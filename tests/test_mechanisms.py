"""Each mechanism moves outcomes in the direction its grounds say, and switches off at zero."""

from __future__ import annotations

import numpy as np
import pytest

import hlssim
from hlssim.mechanisms import casework, life, workforce
from hlssim import ServiceModel

from builders import no_events
from helpers import mean_summary, run


# --- adversarial and causal Goodhart: incentives, not scripts ---------------------------------

NOTHING_READS = {"targets__pressure": 0.0, "contract__share_at_risk": 0.0}   # no target, nothing paid by results


@pytest.mark.parametrize("key", ["misreport_rate", "closed_early_share"])
def test_gaming_is_absent_when_nothing_rides_on_the_record(key):
    assert run("npm", **NOTHING_READS).summary[key] == 0.0


def test_payment_by_results_alone_is_a_stake_in_the_record():
    """Campbell's law is about use: with no target at all, a record that payment reads is still gamed."""
    assert run("npm", targets__pressure=0.0).summary["misreport_rate"] > 0.0


def test_misreporting_rises_with_target_pressure():
    rates = [mean_summary("misreport_rate", targets__pressure=p) for p in (0.0, 0.5, 1.0)]
    assert rates[0] < rates[1] < rates[2]


def test_inspection_deters_misreporting():
    lax = mean_summary("misreport_rate", targets__pressure=1.0, incentives__inspection_rate=0.0)
    strict = mean_summary("misreport_rate", targets__pressure=1.0, incentives__inspection_rate=0.6)
    assert strict < lax


def test_effort_moves_to_measured_domains_under_targets():
    none = mean_summary("measured_effort_share", targets__pressure=0.0)
    high = mean_summary("measured_effort_share", targets__pressure=1.0)
    assert high > none + 0.1


def test_parking_and_early_closure_rise_with_pressure():
    for key in ("parked_share", "closed_early_share"):
        low = mean_summary(key, targets__pressure=0.3)
        high = mean_summary(key, targets__pressure=1.0)
        assert high > low, key


def test_goodhart_gap_widens_with_pressure():
    low = mean_summary("goodhart_gap", targets__pressure=0.0)
    high = mean_summary("goodhart_gap", targets__pressure=1.0)
    assert high > low + 0.1


def test_governing_for_learning_removes_targets_not_what_payment_reads():
    """Governance for learning drops targets and makes the record what citizens say; payment by results
    still reads that record, so it can still be bent; nothing paid by results, nothing is."""
    r = run("npm", practices__governance="hls", targets__pressure=1.0)
    assert (r.timeseries["target_mean"] == r.params.targets.initial_rate).all()
    assert r.summary["data_integrity"] > run("npm", targets__pressure=1.0).summary["data_integrity"]
    assert r.summary["misreport_rate"] > 0.0
    assert run("npm", practices__governance="hls", contract__share_at_risk=0.0).summary["misreport_rate"] == 0.0


# --- trust, knowledge and relationships --------------------------------------------------------

def test_trust_raises_how_well_workers_know_what_matters():
    no_trust = mean_summary("knowledge_accuracy", "hls", trust__build_rate=0.0, trust__initial=0.05)
    trusting = mean_summary("knowledge_accuracy", "hls", trust__build_rate=0.2, trust__initial=0.05)
    assert trusting > no_trust + 0.02


def test_within_a_run_trusted_workers_know_more():
    r = hlssim.simulate("hls", seed=3, weeks=60, overrides={"population.citizens": 800}, keep_model=True)
    c = r.model.citizens
    active = c.in_case()
    accuracy = 1 - 0.5 * np.abs(c.perceived_weights[active] - c.weights[active]).sum(axis=1)
    assert np.corrcoef(c.trust[active], accuracy)[0, 1] > 0.2


def test_what_matters_conversations_beat_transactional_contact():
    transactional = mean_summary("knowledge_accuracy", "hls", practices__public_facing="npm")
    conversational = mean_summary("knowledge_accuracy", "hls")
    assert conversational > transactional


class _LeaveOnly:
    """A turnover stream that makes exactly the chosen workers leave this week."""

    def __init__(self, n, leavers):
        self.draws = np.ones(n)
        self.draws[leavers] = 0.0

    def random(self, size):
        return self.draws[:size]


def _step_workforce(model, leavers):
    m = model
    m.ledger.new_week()
    workforce.step(m.workers, m.teams, m.citizens, m.params, m.settings, m.citizens.caseload(m.workers.count),
                   _LeaveOnly(m.workers.count, leavers), m.streams.workforce, m.streams.practice, m.ledger, m.week)


def test_turnover_breaks_the_relationships_a_worker_held():
    model = ServiceModel(hlssim.resolve("hls", {"population.citizens": 400}), rng=5)
    model.run_for(30)
    c = model.citizens
    slot = int(np.bincount(c.worker[c.in_case()]).argmax())
    theirs = np.flatnonzero(c.worker == slot)
    others = np.flatnonzero(c.in_case() & (c.worker != slot))
    assert c.trust[theirs].mean() > model.params.trust.initial
    before_others = c.trust[others].copy()
    _step_workforce(model, leavers=[slot])
    assert np.allclose(c.trust[theirs], model.params.trust.initial)
    assert np.allclose(c.residual[theirs], 0.0)
    assert np.allclose(c.perceived_weights[theirs], 1.0 / c.weights.shape[1])
    assert np.array_equal(c.trust[others], before_others)
    assert model.ledger.week["relationships_broken"] == theirs.size


def test_more_turnover_means_less_trust():
    stable = mean_summary("trust_mean", "hls", workforce__turnover_base=0.0, workforce__turnover_burnout=0.0)
    churn = mean_summary("trust_mean", "hls", workforce__turnover_base=1.0, workforce__turnover_burnout=1.0)
    assert churn < stable


def test_control_crowds_out_motivation_only_when_switched_on():
    off = mean_summary("worker_motivation_mean", workforce__crowding_out=0.0)
    on = mean_summary("worker_motivation_mean", workforce__crowding_out=0.6)
    assert on < off


# --- front door, demand and caseloads ----------------------------------------------------------

def test_eligibility_threshold_turns_people_away_and_zero_switches_it_off():
    assert run("npm").summary["turned_away_share"] > 0
    no_threshold = run("npm", pathways__eligibility_threshold=0.0, market__margin_steering=0.0)
    assert no_threshold.summary["turned_away_share"] == 0.0
    assert run("hls").summary["turned_away_share"] == 0.0


def test_recording_burden_sets_admin_share():
    light = run("npm", caseload__recording_npm_hours=0.1).summary["admin_share"]
    heavy = run("npm", caseload__recording_npm_hours=0.8).summary["admin_share"]
    assert heavy > light


# --- complexity is a dial ------------------------------------------------------------------------

def _closed(**extra):
    return {"world__uniqueness": 0.0, "world__interdependence": 0.0, "world__dynamism": 0.0, **extra}


def test_closed_world_has_one_purpose_and_one_response():
    model = ServiceModel(hlssim.resolve("npm", {k.replace("__", "."): v for k, v in _closed().items()}), rng=2)
    c = model.citizens
    assert np.allclose(c.weights, c.weights[0])
    assert np.allclose(c.personal_effect, 0.0)
    weights, effects = c.weights.copy(), c.personal_effect.copy()
    model.run_for(20)
    assert np.array_equal(c.weights, weights)
    assert np.array_equal(c.personal_effect, effects)


def test_no_interdependence_means_no_spillover():
    model = ServiceModel(hlssim.resolve("npm", {"world.interdependence": 0.0, "world.recovery_rate": 0.0}), rng=2)
    before = model.citizens.wellbeing.copy()
    gain = np.zeros_like(before)
    gain[:, 0] = 0.05
    everyone = np.arange(model.citizens.count)
    life.apply_change(model.citizens, model.params.world, everyone, gain, no_events())
    changed = model.citizens.wellbeing - before
    assert np.allclose(changed[:, 1:], 0.0)
    model2 = ServiceModel(hlssim.resolve("npm", {"world.interdependence": 1.0, "world.recovery_rate": 0.0}), rng=2)
    life.apply_change(model2.citizens, model2.params.world, everyone, gain, no_events())
    assert (model2.citizens.wellbeing[:, 1:] - before[:, 1:]).mean() > 0


def _bespoke_advantage(complexity, seeds=(1, 2, 3)):
    dials = {"world__uniqueness": complexity, "world__interdependence": complexity, "world__dynamism": complexity}
    bespoke = mean_summary("flourishing_gain", "hls", seeds=seeds, weeks=156, **dials)
    pathway = mean_summary("flourishing_gain", "hls", seeds=seeds, weeks=156, practices__public_facing="npm", **dials)
    return bespoke - pathway


def test_bespoke_support_pays_off_only_as_lives_become_complex():
    closed, complex_ = _bespoke_advantage(0.0), _bespoke_advantage(0.6)
    assert complex_ > closed
    assert complex_ > 0


def test_in_a_closed_world_the_standard_pathway_is_not_beaten_on_crises():
    dials = {k: v for k, v in _closed().items()}
    pathway = mean_summary("crisis_cost_per_citizen_year", "npm", targets__pressure=0.0, **dials)
    bespoke = mean_summary("crisis_cost_per_citizen_year", "npm", targets__pressure=0.0,
                           practices__public_facing="hls", **dials)
    assert pathway <= bespoke * 1.05


def _knowledge_error(learning, **overrides):
    """How far team knowledge ends from what works now, after three years of drift."""
    model = ServiceModel(hlssim.resolve("hls", {"population.citizens": 800, "practices.learning": learning,
                                                "world.dynamism": 1.0, **overrides}), rng=4)
    model.run_for(156)
    return np.abs(model.teams.knowledge - model.state.evidence.true_average).mean()


def test_team_learning_tracks_what_works_as_it_drifts():
    """Learning from accounts heard without courtesy (here: taken independently) tracks drift."""
    heard = {"measurement.independent_followup": 1.0}
    assert _knowledge_error(1.0, **heard) < _knowledge_error(0.0, **heard)


def test_learning_from_kind_accounts_learns_what_felt_good():
    """What citizens tell their own worker about how things feel is kind; a team that learns from it learns
    more wrongly the kinder it is, and accounts taken independently undo it (de Jong et al. 2021: learning
    needs measured feedback)."""
    kind = _knowledge_error(1.0, **{"measurement.courtesy_bias": 0.06})
    assert kind > _knowledge_error(1.0, **{"measurement.courtesy_bias": 0.0})
    assert _knowledge_error(1.0, **{"measurement.courtesy_bias": 0.06, "measurement.independent_followup": 1.0}) < kind


# --- crises and costs ----------------------------------------------------------------------------

def test_smd_crisis_cost_at_entry_is_of_the_order_of_fulfilling_lives():
    r = run("npm", weeks=13, population__citizens=2000)
    ts = r.timeseries
    model = ServiceModel(r.params, rng=1)
    per_smd_year = ts["crisis_cost_smd_start"].sum() / model.citizens.smd_start.sum() * 52 / 13
    assert 14_000 < per_smd_year < 56_000


def test_switching_crises_off_removes_their_cost():
    assert run("npm", crisis__enabled=False).summary["crisis_cost_per_citizen_year"] == 0.0


def test_support_gains_shrink_with_headroom():
    well = np.array([[0.1, 0.9]])
    effect = np.array([[0.05, 0.05]])
    room = [casework._room(w, e) for w, e in zip(well[0], effect[0], strict=True)]
    assert room[0] > room[1]


# --- learning and evaluation -----------------------------------------------------------------------

def _pathway_changes(**overrides):
    model = ServiceModel(hlssim.resolve("npm", {k.replace("__", "."): v for k, v in overrides.items()}), rng=1)
    model.run_for(156)
    return model.ledger.total["pathway_changes"]


def test_central_evaluation_repicks_pathways_from_trials_and_switches_off():
    assert _pathway_changes() > 0
    assert _pathway_changes(learning__central_evaluation=False) == 0
    assert _pathway_changes(learning__trial_share=0.0) == 0   # without trials only the pathway has data


def test_without_reassignment_a_leaver_s_citizens_lose_the_service():
    model = ServiceModel(hlssim.resolve("hls", {"population.citizens": 400, "workforce.reassignment": False}), rng=5)
    model.run_for(30)
    c = model.citizens
    slot = int(np.bincount(c.worker[c.in_case()]).argmax())
    theirs = np.flatnonzero(c.worker == slot)
    _step_workforce(model, leavers=[slot])
    assert (c.worker[theirs] == -1).all()
    assert (c.last_exit[theirs] == model.week).all()   # their need comes back as failure demand


def test_crisis_referral_brings_more_requests():
    quiet = run("npm", population__crisis_referral=0.0).timeseries["requests"].sum()
    referred = run("npm", population__crisis_referral=1.0).timeseries["requests"].sum()
    assert referred > quiet
