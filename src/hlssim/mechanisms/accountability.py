"""Closing cases and keeping the record: where the truth and the record can part (docs/ODD.md, section 7.8).

The simulation knows each citizen's true change in flourishing; the record holds
what the accountability system asks for (a proxy under NPM, what the citizen says
changed under HLS). Misreporting is a worker's choice when the stake in a reported
success outweighs the chance of being caught and the worker's own honesty
(Franco-Santos & Otley 2018; Lowe & Wilson 2017).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..params import N_DOMAINS, Params
from ..params.practices import Settings
from ..state import NO_WORKER, CaseLog, Citizens, Ledger, Teams, Workers
from ..state.books import count, money, tally
from ..util.compiled import kernel
from .contract import writes
from .measurement import measured_level
from .noise import unit_noise

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    count("closures", "cases", "Cases closed this week.", "cases closed"),
    count("reported_successes", "cases", "Closures recorded as successes.", "closures recorded as successes",
          na_with="reported_success_rate"),
    count("true_successes", "cases", "Closures with `true_gain ≥ measurement.success_gain`.",
          "closures that were true successes"),
    count("misreports", "cases", "Closures recorded as successes that were failures on the honest record and were "
          "not caught.", "misreported closures", na_with="misreport_rate"),
    count("detected", "cases", "Misreports caught by inspection this week (recorded as failures).",
          "misreports caught", na_with="misreport_rate"),
    count("closed_early", "cases", "Closures that banked a recorded success early (see `closed_early_share`).",
          "closed early to score", na_with="closed_early_share"),
    count("closed_at_review", "cases", "Closures at a case review (see `closed_at_review_share`).",
          "closed at review", na_with="closed_at_review_share"),
    tally("independent_accounts", "accounts", "accounts taken independently of the worker, at reviews and closing"),
    money("followup_cost", "Independent follow-up this week: `measurement.followup_cost` per account taken "
          "independently.", spend=+1, label="independent follow-up"),
)

TIMED_OUT, BANKED, READY, REVIEWED = 1, 2, 4, 8   # why a case closes (bits of the week's reasons)


@dataclass
class Closures:
    """The cases closed this week, for the mechanisms that answer to records (targets, market, workforce, funder)."""

    citizen: np.ndarray       # who left the service
    team: np.ndarray          # the team that held each case
    tier: np.ndarray          # payment group at intake
    recorded: np.ndarray      # bool, recorded as a success
    true_success: np.ndarray  # bool, the citizen's own flourishing really rose
    voiced: np.ndarray        # bool, what the citizen said changed counts as a success
    caught: np.ndarray        # worker slots caught misreporting
    misreported: np.ndarray   # bool, recorded as a success against the honest record, and not caught
    weeks_open: np.ndarray    # how long each case ran


class Draws(NamedTuple):
    """Service-side randomness at closing, drawn for open cases only (the regime's own streams)."""

    measure_noise: np.ndarray
    close: np.ndarray
    say: np.ndarray
    audit: np.ndarray
    followup: np.ndarray

    @classmethod
    def for_cases(cls, n: int, measurement_sd: float, streams) -> Draws:
        # These streams are the service's own, so they need not stay aligned across regimes
        # (citizens' streams do, see state/streams.py).
        return cls(measure_noise=measurement_sd * unit_noise(streams.assessment, n), close=streams.choice.random(n),
                   say=unit_noise(streams.observation, n), audit=streams.inspection.random(n),
                   followup=streams.followup.random(n))


class ClosingRules(NamedTuple):
    """When a case closes and how its accounts are heard (scalars for :func:`_reasons`)."""

    week: int
    pathway_limit: float
    success_gain: float
    outcome_level: float        # the measured domains' level a proxy success must reach (0: any rise counts)
    threshold: float            # a domain below it is low
    ready_flourishing: float
    review_weeks: int
    review_min_gain: float
    learning_records: float     # 0: the record is the proxy; 1: what the citizen says changed
    courtesy_bias: float
    independent_followup: float
    voice_noise_sd: float


class Readings(NamedTuple):
    """Each open case's three accounts of what changed, and why (if at all) it closes this week."""

    true_gain: np.ndarray       # in the citizen's own flourishing
    proxy_gain: np.ndarray      # in the measured domains, as recorded
    proxy_success: np.ndarray   # bool, the proxy counts a success: the gain, and the level an outcome needs
    said_gain: np.ndarray       # what the citizen says changed, as whoever takes the account hears it
    independent: np.ndarray     # bool, the account is taken by someone independent of the worker
    low: np.ndarray             # low domains now
    reasons: np.ndarray         # bits: TIMED_OUT, BANKED, READY, REVIEWED (0: stays open)
    independent_accounts: int   # accounts taken independently this week (at reviews and at closing)


class Records(NamedTuple):
    """What is recorded for each closing case."""

    said_success: np.ndarray    # bool, the citizen's account counts as a success
    honest: np.ndarray          # bool, the honest record counts it as a success
    misreported: np.ndarray     # bool, recorded as a success, not true by the honest record, and not caught
    detected: np.ndarray        # bool, a misreport an audit caught
    recorded: np.ndarray        # bool, recorded as a success


@kernel
def _honest(proxy_success, said_gain, success_gain, learning_records):
    """The honest record of a success: the proxy, or the citizen's account, by governance (majority rule)."""
    lr = learning_records
    return ((1 - lr) * proxy_success + lr * (said_gain >= success_gain)) >= 0.5


@kernel
def _reasons(active, worker, case_start, case_flourishing, case_proxy, weights, wellbeing, trust, measured, draws,
             extrinsic, rules):
    """For each open case: its true, proxy and told gain, its low domains, and why (if at all) it closes
    this week (see :func:`close_cases`)."""
    n_cases, d = active.size, N_DOMAINS
    true_gain = np.empty(n_cases)
    proxy_gain = np.empty(n_cases)
    proxy_success = np.empty(n_cases, dtype=np.bool_)
    said_gain = np.empty(n_cases)
    independent = np.empty(n_cases, dtype=np.bool_)
    low = np.empty(n_cases, dtype=np.int64)
    reasons = np.empty(n_cases, dtype=np.int64)
    independent_accounts = 0
    for a in range(n_cases):
        i = active[a]
        flourishing = 0.0
        n_low = 0                                   # counts and flags in locals (registers), stored once
        for j in range(d):
            flourishing += weights[i, j] * wellbeing[i, j]
            if wellbeing[i, j] < rules.threshold:
                n_low += 1
        gain = flourishing - case_flourishing[i]
        level = measured_level(wellbeing, i, measured) + draws.measure_noise[a]
        proxy = level - case_proxy[i]
        # An outcome: the measured domains rose by the success gain and, where the record asks for an
        # outcome attained (a job, a tenancy), reached its level.
        scored = proxy >= rules.success_gain and level >= rules.outcome_level
        # What the citizen says changed: clearer with trust, but told to their own worker it is kinder
        # than the truth (courtesy bias), unless someone independent takes the account.
        apart = draws.followup[a] < rules.independent_followup
        said = (gain + rules.courtesy_bias * trust[i] * (not apart)
                + rules.voice_noise_sd * (1.0 - trust[i]) * draws.say[a])
        why = 0
        weeks_open = rules.week - case_start[i]
        if weeks_open >= rules.pathway_limit:
            why |= TIMED_OUT
        # Close early to bank the outcome the record would show now: the proxy, read any week, or the
        # citizen's account, which is taken only at a review.
        due = rules.review_weeks > 0 and weeks_open > 0 and weeks_open % rules.review_weeks == 0
        told = said if due else -np.inf
        if _honest(scored, told, rules.success_gain, rules.learning_records) and draws.close[a] < extrinsic[worker[i]]:
            why |= BANKED
        if n_low == 0 and flourishing >= rules.ready_flourishing:
            why |= READY                            # the citizen no longer needs us
        # A review asks the citizen whether the support is still helping (their account, not the truth),
        # and whether they still need it.
        if due and (said < rules.review_min_gain or n_low == 0):
            why |= REVIEWED
        independent_accounts += apart and (due or why != 0)
        true_gain[a], proxy_gain[a], proxy_success[a], said_gain[a] = gain, proxy, scored, said
        independent[a], low[a], reasons[a] = apart, n_low, why
    return Readings(true_gain, proxy_gain, proxy_success, said_gain, independent, low, reasons, independent_accounts)


class Risk(NamedTuple):
    """What weighs against misreporting (scalars for :func:`_records`)."""

    success_gain: float
    learning_records: float
    inspection_rate: float
    sanction: float


@kernel
def _records(rows, idx, readings, tier, worker, stake, honesty, motivation, audit, price_relative, risk):
    """For each closing case (``rows`` among the open cases; ``idx`` its citizen; ``tier`` its intake
    tier): whether the citizen's account counts as a success, the honest record, and whether the
    worker misreports and is caught, and so what is recorded (see :func:`close_cases`)."""
    n = rows.size
    said_success = np.empty(n, dtype=np.bool_)
    honest = np.empty(n, dtype=np.bool_)
    misreported = np.empty(n, dtype=np.bool_)     # recorded as a success, and not caught
    detected = np.empty(n, dtype=np.bool_)
    recorded = np.empty(n, dtype=np.bool_)
    for a in range(n):
        r, i = rows[a], idx[a]
        k = worker[i]
        said_success[a] = readings.said_gain[r] >= risk.success_gain
        honest[a] = _honest(readings.proxy_success[r], readings.said_gain[r], risk.success_gain, risk.learning_records)
        # A worker records a failure as a success when the stake beats the risk and their honesty: a
        # proxy outcome that did not happen, or (where the record is what citizens say) the success
        # story the citizen did not tell. An account taken independently leaves no story to choose.
        bendable = risk.learning_records < 0.5 or not readings.independent[r]
        worth = stake[k] * price_relative[tier[a]]
        cost = risk.inspection_rate * risk.sanction + honesty[k] * motivation[k]
        misreport = not honest[a] and bendable and worth > cost
        detected[a] = misreport and audit[r] < risk.inspection_rate
        misreported[a] = misreport and not detected[a]
        recorded[a] = honest[a] or misreported[a]
    return Records(said_success, honest, misreported, detected, recorded)


@kernel
def _reason_counts(why):
    """Each closure counts under one reason: the time limit or readiness first, then banking, then a
    review. Returns how many closed early to bank the outcome, and how many at a review."""
    banked = 0
    reviewed = 0
    for reasons in why:
        if reasons & (TIMED_OUT | READY) == 0:
            if reasons & BANKED:
                banked += 1
            elif reasons & REVIEWED:
                reviewed += 1
    return banked, reviewed


@kernel
def _leave(citizens, unmet_domains, week, last_exit, worker):
    """The closed cases' citizens leave the service; those leaving with a domain still low remember it."""
    for a in range(citizens.size):
        i = citizens[a]
        if unmet_domains[a] > 0:
            last_exit[i] = week
        worker[i] = NO_WORKER


@writes("citizens.worker", "citizens.last_exit", "ledger", "case_log")
def close_cases(c: Citizens, w: Workers, teams: Teams, p: Params, s: Settings, active: np.ndarray, draws: Draws,
                ledger: Ledger, case_log: CaseLog, week: int) -> Closures | None:
    """Close the cases that end this week and write their records; None if none ends.

    Writes the record (``case_log``, the ledger) and the closed citizens' ``worker`` and
    ``last_exit``; returns what other mechanisms answer to."""
    m = p.measurement
    rules = ClosingRules(week=week, pathway_limit=float(s.pathway_limit), success_gain=m.success_gain,
                         outcome_level=p.targets.outcome_level,
                         threshold=p.crisis.low_threshold, ready_flourishing=p.pathways.ready_flourishing,
                         review_weeks=p.pathways.review_weeks, review_min_gain=p.pathways.review_min_gain,
                         learning_records=float(s.learning_records), courtesy_bias=m.courtesy_bias,
                         independent_followup=m.independent_followup, voice_noise_sd=m.voice_noise_sd)
    readings = _reasons(active, c.worker, c.case_start, c.case_flourishing, c.case_proxy, c.weights, c.wellbeing,
                        c.trust, np.asarray(s.measured), draws, w.extrinsic, rules)
    if readings.independent_accounts:
        ledger.add("independent_accounts", readings.independent_accounts)
        ledger.add("followup_cost", readings.independent_accounts * m.followup_cost)
    rows = np.flatnonzero(readings.reasons)          # the closing cases, among the open ones
    if rows.size == 0:
        return None
    idx = active[rows]
    wk = c.worker[idx]
    why = readings.reasons[rows]
    proxy_gain, true_gain = readings.proxy_gain[rows], readings.true_gain[rows]
    true_success = true_gain >= m.success_gain
    tier = c.intake_tier[idx]
    risk = Risk(success_gain=m.success_gain, learning_records=float(s.learning_records),
                inspection_rate=float(s.inspection_rate), sanction=p.incentives.sanction_per_detection)
    said_success, honest, misreported, detected, recorded = _records(
        rows, idx, readings, tier, c.worker, w.stake, w.honesty, w.motivation, draws.audit, s.price_relative, risk)

    team = w.team[wk]
    ledger.add("closures", idx.size)
    ledger.add("reported_successes", int(np.count_nonzero(recorded)))
    ledger.add("true_successes", int(np.count_nonzero(true_success)))
    ledger.add("misreports", int(np.count_nonzero(misreported)))
    ledger.add("detected", int(np.count_nonzero(detected)))
    banked, reviewed = _reason_counts(why)
    ledger.add("closed_early", banked)
    ledger.add("closed_at_review", reviewed)
    case_log.append(
        citizen=idx, worker=wk, worker_id=w.worker_id[wk], team=team, opened=c.case_start[idx], closed=np.full(idx.size, week),
        smd_start=c.smd_start[idx], intake_tier=tier, option=c.option[idx], presenting=c.presenting[idx],
        proxy_gain=proxy_gain, honest_record=honest, recorded_success=recorded,
        misreported=misreported, true_gain=true_gain, true_success=true_success,
        voiced_success=said_success, provider=teams.provider[team],
    )

    _leave(idx, readings.low[rows], week, c.last_exit, c.worker)
    return Closures(citizen=idx, team=team, tier=tier, recorded=recorded, true_success=true_success,
                    voiced=said_success, caught=np.unique(wk[detected]) if detected.any() else wk[:0],
                    misreported=misreported,
                    weeks_open=week - c.case_start[idx])
