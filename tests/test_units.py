"""Single mechanisms on small hand-built states: each moves what it should, in the direction its grounds say.

The whole-run tests (test_mechanisms.py) show the same directions emerging in simulations;
these show each mechanism alone, with every other influence held still.
"""

from __future__ import annotations

import numpy as np
import pytest

from builders import (case_log, citizens, evidence, ledger, no_events, open_case, params, providers, rng, settings,
                      teams, workers)
from hlssim.mechanisms import (accountability, casework, crises, demand, finances, funding, learning, market,
                               relationships, targets, workforce)
from hlssim.params import DOMAINS, SUPPORT_OPTIONS
from hlssim.state import FunderState

HEALTH = DOMAINS.index("health")


# --- accountability: the record and misreporting ---------------------------------------------------

def _closing(stake: float, audit: float = 1.0, p=None, **setting_changes):
    """Four cases of worker 0, timed out with no change at all (an honest failure), closed at week 20."""
    p = p or params("npm")
    s = settings(p, **setting_changes)
    c = citizens([0.5] * 24)
    open_case(c, np.arange(4))
    c.case_proxy[:] = c.wellbeing[:, list(s.measured)].mean(axis=1)
    w = workers(honesty=0.0)
    w.stake[:] = stake
    draws = accountability.Draws(measure_noise=np.zeros(4), close=np.ones(4), say=np.zeros(4), audit=np.full(4, audit),
                                 followup=np.full(4, 0.5))
    led, log = ledger(), case_log()
    closed = accountability.close_cases(c, w, teams(), p, s, np.arange(4), draws, led, log, week=20)
    return closed, led, log.frame(), c


def test_a_worker_misreports_only_when_the_stake_beats_the_risk():
    closed, led, cases, c = _closing(stake=5.0)
    assert closed.recorded.all() and not closed.true_success.any()
    assert led.week["misreports"] == 4 and cases.misreported.all()
    assert (c.worker[:4] == -1).all(), "closed cases leave the service"
    closed, led, cases, _ = _closing(stake=0.0)
    assert not closed.recorded.any() and led.week["misreports"] == 0


def test_an_audit_catches_a_misreport_and_names_the_worker():
    closed, led, cases, _ = _closing(stake=5.0, audit=0.0)
    assert not closed.recorded.any()
    assert led.week["detected"] == 4 and led.week["misreports"] == 0
    assert closed.caught.tolist() == [0]


def test_a_record_of_what_citizens_say_can_be_bent_unless_the_account_is_taken_independently():
    """Where the record is the citizen's account, a worker with a stake can still record the success story
    the citizen did not tell; an account taken by someone independent leaves no story to choose."""
    closed, led, _, _ = _closing(stake=5.0, learning_records=1.0)
    assert closed.recorded.all() and led.week["misreports"] == 4
    p = params("npm", measurement__independent_followup=1.0)
    closed, led, _, _ = _closing(stake=5.0, p=p, learning_records=1.0)
    assert not closed.recorded.any() and led.week["misreports"] == 0
    assert led.week["independent_accounts"] == 4 and led.week["followup_cost"] == 4 * p.measurement.followup_cost


def test_a_review_hears_the_citizens_kind_account_and_keeps_a_stalled_case_open():
    """At a review the citizen, asked by their own worker, is kind: a case that has not helped looks as if it
    has, and stays open; asked by someone independent, they say it has stalled, and it closes."""
    def review(courtesy, followup):
        p = params("hls", measurement__courtesy_bias=courtesy, measurement__independent_followup=followup,
                   measurement__voice_noise_sd=0.0)
        s = settings(p)
        c = citizens([0.2] * 6)                       # no change at all since the case opened
        open_case(c, [0], opened=0)
        c.case_proxy[:] = c.wellbeing[:, list(s.measured)].mean(axis=1)
        c.trust[:] = 1.0
        draws = accountability.Draws(measure_noise=np.zeros(1), close=np.ones(1), say=np.zeros(1),
                                     audit=np.ones(1), followup=np.full(1, 0.5))
        return accountability.close_cases(c, workers(), teams(), p, s, np.arange(1), draws, ledger(), case_log(),
                                          week=p.pathways.review_weeks)
    assert review(courtesy=0.0, followup=0.0) is not None            # stalled, and said so: closed
    assert review(courtesy=0.3, followup=0.0) is None                # kind: "it is helping"
    assert review(courtesy=0.3, followup=1.0) is not None            # heard independently: closed


def test_a_proxy_that_asks_for_an_outcome_attained_counts_no_rise_below_its_level():
    """With ``targets.outcome_level`` the proxy counts a success only where the measured domains reach the
    level an outcome needs (a job, a tenancy), not for distance travelled below it."""
    def recorded(level):
        p = params("npm", targets__outcome_level=level)
        s = settings(p)
        c = citizens([0.3] * 6)
        open_case(c, [0])
        c.case_proxy[:] = 0.2                         # the measured domains rose by 0.1 since opening
        w = workers(honesty=10.0)
        draws = accountability.Draws(measure_noise=np.zeros(1), close=np.ones(1), say=np.zeros(1),
                                     audit=np.ones(1), followup=np.ones(1))
        return accountability.close_cases(c, w, teams(), p, s, np.arange(1), draws, ledger(), case_log(),
                                          week=20).recorded[0]
    assert recorded(0.0) and not recorded(0.5)


def test_detection_makes_a_worker_more_honest_and_more_stressed():
    w = workers(count=2, honesty=0.2, stress=0.3)
    workforce.after_detection(w, np.array([1]), params())
    assert w.honesty[1] > w.honesty[0] and w.stress[1] > w.stress[0]


# --- casework: effort substitution and parking -------------------------------------------------------

def _choose(extrinsic: float, **setting_changes):
    p = params("npm")
    s = settings(p, **setting_changes)
    c = citizens([0.3] * 18)
    open_case(c, np.arange(3))
    c.pathway_option[:] = SUPPORT_OPTIONS.index("health_referral")   # an option that does not move the proxy
    c.hours[:] = 3.0
    w = workers()
    w.extrinsic[:] = extrinsic
    led = ledger()
    casework.choose_support(c, w, teams(), evidence(), s, np.arange(3), rng(), led)
    return c, led


def test_weight_on_the_proxy_diverts_hours_to_measured_domains():
    c, led = _choose(extrinsic=0.4)
    assert np.allclose(c.proxy_split[:3], 0.4)
    measured = {DOMAINS.index(d) for d in ("income_work", "housing")}
    assert all(evidence().option_primary[o] in measured for o in c.proxy_option[:3])
    assert led.week["measured_effort"] == pytest.approx(0.4 * 9.0)
    c, led = _choose(extrinsic=0.0)
    assert np.allclose(c.proxy_split[:3], 0.0) and led.week["measured_effort"] == 0.0


def test_where_the_record_is_what_citizens_say_the_measured_domains_earn_nothing():
    """A worker with a stake in a record of citizens' accounts gains nothing by moving the measured domains."""
    c, led = _choose(extrinsic=0.4, learning_records=1.0)
    assert np.allclose(c.proxy_split[:3], 0.0) and led.week["measured_effort"] == 0.0
    c, _ = _choose(extrinsic=0.4, learning_records=0.5)
    assert np.allclose(c.proxy_split[:3], 0.2)


def _allocate(extrinsic: float, weeks: int = 1):
    p = params("npm")
    s = settings(p)
    c = citizens([0.5] * 6 + [0.2] * 6, agency=0.9)
    c.agency[1] = 0.05                     # the second citizen is unlikely to show a proxy success
    open_case(c, np.arange(2))
    w = workers()
    w.extrinsic[:] = extrinsic
    led = ledger()
    for _ in range(weeks):
        led.new_week()
        casework.allocate_time(c, w, teams(), providers(), p, s, np.arange(2), led)
    return c, w, led


def test_without_stakes_time_follows_need():
    c, _, led = _allocate(extrinsic=0.0)
    assert c.hours[1] > c.hours[0]          # the second citizen is worse off
    assert led.week["parked"] == 0


def test_stakes_park_the_case_least_likely_to_pay():
    weeks = params().measurement.parked_weeks
    c, w, led = _allocate(extrinsic=0.9, weeks=weeks)
    assert c.hours[1] < c.hours[0]
    fair = w.relational_hours[0] / 2
    assert c.hours[1] < 0.25 * fair, "the bare minimum: well under a quarter of a fair share"
    assert c.low_hours_weeks[1] == weeks and led.week["parked"] == 1


# --- relationships: trust and knowing what matters -------------------------------------------------

def _relate(hours, conversation=None):
    p = params("hls")
    s = settings(p) if conversation is None else settings(p, conversation=conversation)
    weights = np.tile([0.5, 0.1, 0.1, 0.1, 0.1, 0.1], 2)
    c = citizens([0.5] * 12, weights=weights)
    open_case(c, np.arange(2))
    c.trust[:] = 0.5
    c.hours[:] = hours
    before = c.flourishing() - 0.01         # both lives got a little better this week
    relationships.update(c, workers(), teams(), p, s, np.arange(2), before, np.zeros((2, 6)), rng(1))
    return c


def test_contact_builds_trust_and_its_absence_erodes_it():
    c = _relate(hours=np.array([3.0, 0.0]))
    assert c.trust[0] > 0.5 > c.trust[1]


def test_conversation_reveals_what_matters():
    def distance(c):
        return 0.5 * np.abs(c.perceived_weights - c.weights).sum(axis=1).mean()
    assert distance(_relate(3.0, conversation=0.8)) < distance(_relate(3.0, conversation=0.1))


# --- demand: the front door ----------------------------------------------------------------------------

def test_eligibility_turns_away_need_that_is_not_severe_enough_and_hls_turns_no_one_away():
    def front_door(regime):
        p = params(regime, pathways__assessment_noise=0.0, population__help_seeking=1.0)
        c = citizens([0.1] + [0.6] * 5 + [0.33] + [0.6] * 5)
        demand.seek_help(c, p, settings(p), np.ones(3), rng(), rng(), ledger(), week=5)
        return c
    npm = front_door("npm")
    assert npm.waiting_since.tolist() == [5, -1] and npm.last_exit[1] == 5
    assert front_door("hls").waiting_since.tolist() == [5, 5]


def test_a_provider_declines_the_payment_group_it_expects_to_lose_money_on():
    """At the front door an eligible asker is taken on as readily as providers take on their payment group:
    an SMD asker (three low domains) is declined where providers will not take SMD on, a complex one is not."""
    p = params("hls", pathways__assessment_noise=0.0, population__help_seeking=1.0)
    c = citizens([0.1, 0.1, 0.1, 0.6, 0.6, 0.6] + [0.1] + [0.6] * 5)
    led = ledger()
    demand.seek_help(c, p, settings(p), np.array([1.0, 1.0, 0.0]), rng(), rng(), led, week=5)
    assert c.intake_tier.tolist() == [2, 1] and c.waiting_since.tolist() == [-1, 5]
    assert led.week["declined_by_margin"] == 1 and led.week["turned_away"] == 1


def test_a_crisis_brings_a_request_even_without_a_low_domain():
    p = params("hls", population__crisis_referral=1.0, population__help_seeking=0.0)
    c = citizens([0.6] * 12)
    c.in_crisis[1] = True
    demand.seek_help(c, p, settings(p), np.ones(3), rng(), rng(), ledger(), week=3)
    assert c.waiting_since.tolist() == [-1, 3]


# --- life: recovery toward circumstances, circumstances toward the structural position --------------

def test_circumstances_return_to_the_structural_position_from_both_sides():
    from hlssim.mechanisms import life
    p = params("npm", world__interdependence=0.0)
    c = citizens([0.5] * 12)
    c.circumstances[0] = 0.7       # gains above where structural disadvantage holds this person ...
    c.circumstances[1] = 0.3       # ... and a passing setback below it
    nobody, nothing = np.zeros(0, dtype=np.int64), np.zeros((0, 6))
    life.apply_change(c, p.world, nobody, nothing, no_events())
    assert (c.circumstances[0] < 0.7).all() and (c.circumstances[1] > 0.3).all()
    held = citizens([0.5] * 12)
    held.circumstances[0] = 0.7
    life.apply_change(held, params("npm", world__structural_pull=0.0).world, nobody, nothing, no_events())
    assert (held.circumstances[0] == 0.7).all(), "with no structural pull, gains and setbacks last"


# --- crises -----------------------------------------------------------------------------------------------

def test_crises_strike_low_domains_only_and_cost_what_they_cost():
    p = params("npm", crisis__base_rate=1.0)
    c = citizens([0.0, 0.6, 0.6, 0.6, 0.6, 0.6] + [0.6] * 6)
    led = ledger()
    cost = crises.crises(c, p.crisis, rng(), led)
    assert cost.tolist() == [p.crisis.cost_housing, 0.0]
    assert c.in_crisis.tolist() == [True, False] and led.week["crisis_cost"] == p.crisis.cost_housing


def test_switching_crises_off_leaves_lives_and_costs_alone():
    p = params("npm", crisis__enabled=False, crisis__base_rate=1.0)
    c = citizens([0.0] * 6)
    before = c.wellbeing.copy()
    assert crises.crises(c, p.crisis, rng(), ledger()).sum() == 0.0
    assert np.array_equal(c.wellbeing, before) and not c.in_crisis.any()


# --- targets and the ratchet --------------------------------------------------------------------------------

def _review(reported: int, pressure: float = 0.7):
    p = params("npm", targets__pressure=pressure)
    t = teams(target=0.4)
    t.period_closed[:] = 10
    t.period_reported[:] = reported
    targets.review_targets(t, p, settings(p), week=p.targets.period_weeks)
    return t, p


def test_a_hit_ratchets_the_target_up_and_a_miss_is_sanctioned():
    hit, p = _review(reported=8)
    assert hit.target[0] == pytest.approx(0.4 + p.targets.ratchet * 0.4) and not hit.sanctioned[0]
    miss, _ = _review(reported=1)
    assert miss.target[0] == 0.4 and miss.sanctioned[0] and miss.gap[0] == pytest.approx(0.75)
    free, _ = _review(reported=8, pressure=0.0)
    assert free.target[0] == 0.4 and not free.sanctioned.any()


def test_incentives_grow_with_the_gap_and_vanish_only_when_nothing_reads_the_record():
    """Each decision that reads a recorded success adds to what it is worth: the team target (with the
    gap felt), payment by results and renewal. Without targets a paid success is still worth something;
    where nothing reads the record, nothing rides on it."""
    p = params("npm")
    t = teams(count=2)
    t.gap[:] = [0.0, 0.5]
    w = workers(count=2, team=np.array([0, 1]))
    targets.set_incentives(w, t, providers(), p, settings(p), week=1)
    assert 0 < w.extrinsic[0] < w.extrinsic[1] < 1
    targets.set_incentives(w, t, providers(), p, settings(p, target_pressure=0.0), week=1)
    assert 0 < w.extrinsic[0] == w.extrinsic[1], "payment by results reads the record without any target"
    targets.set_incentives(w, t, providers(), p, settings(p, target_pressure=0.0, paid_worth=0.0, renewal_worth=0.1),
                           week=1)
    assert 0 < w.extrinsic[0] == w.extrinsic[1], "a renewal that reads the record is a stake too"
    targets.set_incentives(w, t, providers(), p, settings(p, target_pressure=0.0, paid_worth=0.0, renewal_worth=0.0),
                           week=1)
    assert not w.extrinsic.any()


def test_renewal_reads_the_record_only_where_budget_can_move_on_it():
    """Re-commissioning is a stake in the record as far as it reads it: reported outcomes in full, learning
    accounts as far as the funder reads providers' own reports, activity and a sole provider not at all."""
    def worth(**changes):
        return settings(params("hls", market__providers=4, population__citizens=4000, **changes)).renewal_worth
    w = params().incentives.renewal_weight
    assert worth(contract__measure="reported_outcomes") == pytest.approx(w)
    assert worth(contract__measure="learning_accounts", contract__report_weight=0.5) == pytest.approx(0.5 * w)
    assert worth(contract__measure="learning_accounts", contract__report_weight=0.0) == 0.0
    assert worth(contract__measure="activity") == 0.0
    assert worth(market__competition=0.0) == 0.0
    assert settings(params("hls", market__providers=1)).renewal_worth == 0.0


# --- central evaluation ----------------------------------------------------------------------------------------

def test_central_evaluation_adopts_a_trial_arm_with_a_clearly_better_record():
    p = params("npm")
    known = evidence()
    pathway = int(known.pathway_table[HEALTH])
    arm = SUPPORT_OPTIONS.index("purposeful_activity")
    log = case_log()
    n = 30
    log.append(closed=np.full(n, 50), presenting=np.full(n, HEALTH), option=np.r_[np.full(20, pathway), np.full(10, arm)],
               recorded_success=np.r_[np.zeros(20, bool), np.ones(10, bool)], citizen=np.arange(n))
    led = ledger()
    learning.central_evaluation(known, log, p, settings(p), led, week=52)
    assert known.pathway_table[HEALTH] == arm and led.week["pathway_changes"] == 1
    untouched = evidence()
    learning.central_evaluation(untouched, log, p, settings(p, central_evaluation=False), ledger(), week=52)
    assert untouched.pathway_table[HEALTH] == pathway


# --- workforce -------------------------------------------------------------------------------------------------

class _Stays:
    def random(self, size):
        return np.ones(size)


def test_a_heavier_caseload_brings_more_stress():
    p = params("npm")
    w = workers(count=2, team=np.array([0, 0]))
    c = citizens([0.5] * 6)
    workforce.step(w, teams(), c, p, settings(p), np.array([5, 40]), _Stays(), rng(), rng(), ledger(), week=1)
    assert w.stress[1] > w.stress[0]


# --- funding and the market ---------------------------------------------------------------------------------------

def test_spend_per_case_shares_what_staff_leave_up_to_the_cap():
    funder = FunderState(budget_per_week=1000.0, staff_cost_per_week=600.0)
    assert funding.spend_per_case(funder, 10, cap=100.0) == 40.0
    assert funding.spend_per_case(funder, 10, cap=30.0) == 30.0
    assert funding.spend_per_case(funder, 0, cap=30.0) == 0.0


def test_teams_follow_budget_and_a_move_restarts_relationships():
    p = params("npm", market__providers=2)
    pr = providers(count=2)
    pr.budget_share[:] = [0.75, 0.25]
    t = teams(count=4)
    t.provider[:] = [0, 0, 1, 1]
    w = workers(count=4, team=np.arange(4))
    c = citizens([0.5] * 24)
    open_case(c, np.arange(4), worker=0)
    c.worker[:] = np.arange(4)
    c.trust[:] = 0.9
    led = ledger()
    market.reassign_teams(pr, t, w, c, p, led)
    assert np.bincount(t.provider, minlength=2).tolist() == [3, 1]
    moved = np.flatnonzero(t.provider != np.array([0, 0, 1, 1]))
    assert led.week["teams_moved"] == 1 and c.trust[moved[0]] == p.trust.initial
    assert (np.delete(c.trust, moved) == 0.9).all()


# --- providers' finances: margins by payment group, and what they steer -------------------------------------

def _books(recorded_rate: dict[int, float], cost_per_case: float = 1000.0, cases: int = 100):
    """One provider whose books hold ``cases`` closed cases of each group, each costing ``cost_per_case`` over
    ten weeks, recorded as successes at the given rate by group."""
    pr = providers()
    for group, rate in recorded_rate.items():
        pr.books["closures"][0, group] = cases
        pr.books["closed_weeks"][0, group] = 10 * cases
        pr.books["case_weeks"][0, group] = 10 * cases
        pr.books["cost"][0, group] = cost_per_case * cases
        pr.books["recorded"][0, group] = rate * cases
    return pr


def test_a_group_that_pays_less_than_the_best_is_taken_on_and_resourced_less():
    """Paid £2,000 per recorded outcome with 60% at risk, a provider whose books show SMD cases recorded as
    successes half as often as complex ones expects less margin on them, and cuts them back; under a block
    contract (nothing at risk, nothing paid by results) it cuts nothing, and at zero steering neither."""
    p = params("npm", contract__share_at_risk=0.6, contract__price_stable=2000, contract__price_complex=2000,
               contract__price_smd=2000)
    pr = _books({1: 0.6, 2: 0.3})
    margin = finances.expected_margin(pr, p, settings(p))
    assert margin[0, 2] < margin[0, 1]
    finances.steer(pr, p, settings(p))
    assert pr.steer[0, 1] == 1.0 and 0.0 < pr.steer[0, 2] < 1.0
    assert finances.front_door_acceptance(pr)[2] == pytest.approx(pr.steer[0, 2])
    block = params("npm", contract__share_at_risk=0.0, contract__price_stable=0, contract__price_complex=0,
                   contract__price_smd=0)
    pr = _books({1: 0.6, 2: 0.3})
    finances.steer(pr, block, settings(block))
    assert (pr.steer == 1.0).all()
    off = params("npm", market__margin_steering=0.0, contract__share_at_risk=0.6)
    pr = _books({1: 0.6, 2: 0.3})
    finances.steer(pr, off, settings(off))
    assert (pr.steer == 1.0).all()


def test_books_hold_what_cases_cost_and_what_was_recorded():
    p = params("npm")
    c = citizens([0.5] * 6 + [0.2] * 6)
    open_case(c, np.arange(2))
    c.intake_tier[:] = [1, 2]
    c.hours[:] = [2.0, 1.0]
    pr = providers()
    finances.book_week(pr, c, workers(), teams(), np.arange(2), staff_cost=300.0, relational_hours=3.0,
                       case_spend=np.array([10.0, 20.0]))
    assert pr.books["case_weeks"][0].tolist() == [0, 1, 1]
    assert pr.books["cost"][0].tolist() == pytest.approx([0.0, 2 * 100 + 10, 1 * 100 + 20])
    finances.book_closures(pr, np.array([0, 0]), np.array([1, 2]), np.array([True, False]), np.array([12, 30]))
    assert pr.books["recorded"][0].tolist() == [0, 1, 0] and pr.books["closed_weeks"][0].tolist() == [0, 12, 30]


def test_a_provider_spends_less_service_money_and_time_on_a_group_it_cuts_and_keeps_the_money():
    p = params("npm")
    s = settings(p)
    c = citizens([0.5] * 6 + [0.2] * 6)
    open_case(c, np.arange(2))
    c.intake_tier[:] = [1, 2]
    w = workers()
    pr = providers()

    def week(steer_smd):
        pr.steer[0, 2] = steer_smd
        led = ledger()
        casework.allocate_time(c, w, teams(), pr, p, s, np.arange(2), led)
        hours = c.hours.copy()
        support = casework.support_gain(c, w, teams(), pr, evidence(p), p, s, np.arange(2), 40.0, led, week=3)
        return hours, support.spend, led
    hours, spend, led = week(1.0)
    assert spend.tolist() == pytest.approx([40.0, 40.0]) and led.week["service_retained"] == 0.0
    cut_hours, cut_spend, cut = week(0.5)
    assert cut_hours[1] < hours[1] and cut_hours[0] > hours[0], "time moves to the group that pays"
    assert cut_spend.tolist() == pytest.approx([40.0, 20.0])
    assert cut.week["service_retained"] == pytest.approx(20.0) and cut.week["service_spend"] == pytest.approx(60.0)


# --- what the pair takes support to have done: the citizen's kind account ----------------------------------

def test_a_kind_account_inflates_how_things_feel_not_the_facts_and_independent_follow_up_removes_it():
    def seen(courtesy, followup=0.0):
        p = params("hls", measurement__courtesy_bias=courtesy, measurement__independent_followup=followup,
                   measurement__attribution=0.0, measurement__optimism_bias=0.0, world__interdependence=0.0)
        c = citizens([0.4] * 6)
        c.trust[:] = 1.0
        open_case(c, [0])
        effect = np.full((1, 6), 0.02)
        support = casework.Support(gain=np.zeros((1, 6)), chosen_effect=effect, intensity=np.ones(1),
                                   spend=np.zeros(1))
        return relationships.perceived_effect(c, p, np.arange(1), support, c.wellbeing.copy())[0]
    facts = [DOMAINS.index(d) for d in ("housing", "income_work")]
    felt = [j for j in range(6) if j not in facts]
    none, kind = seen(0.0), seen(0.03)
    assert np.allclose(kind[facts], none[facts]) and (kind[felt] > none[felt]).all()
    assert np.allclose(seen(0.03, followup=1.0), none)
