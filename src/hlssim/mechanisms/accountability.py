"""Closing cases and keeping the record: where the truth and the record can part (docs/ODD.md, section 7.8).

The simulation knows each citizen's true change in flourishing; the record holds
what the accountability system asks for (a proxy under NPM, what the citizen says
changed under HLS). Misreporting is a worker's choice when the stake in a reported
success outweighs the chance of being caught and the worker's own honesty
(Franco-Santos & Otley 2018; Lowe & Wilson 2017).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import N_DOMAINS, Params
from ..params.practices import Settings
from ..state import NO_WORKER, CaseLog, Citizens, Ledger, Teams, Workers
from ..util.compiled import kernel
from .contract import writes
from .measurement import measured_level
from .noise import unit_noise

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


@dataclass
class Draws:
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


@kernel
def _reasons(active, worker, case_start, case_flourishing, case_proxy, weights, wellbeing, measured, measure_noise,
             close_draw, extrinsic, week, pathway_limit, success_gain, threshold, ready_flourishing, review_weeks,
             review_min_gain):
    """For each open case: true gain, proxy gain, low domains, and why (if at all) it closes this week."""
    n_cases, d = active.size, N_DOMAINS
    true_gain = np.empty(n_cases)
    proxy_gain = np.empty(n_cases)
    low = np.empty(n_cases, dtype=np.int64)
    reasons = np.empty(n_cases, dtype=np.int64)
    for a in range(n_cases):
        i = active[a]
        flourishing = 0.0
        n_low = 0                                   # counts and flags in locals (registers), stored once
        for j in range(d):
            flourishing += weights[i, j] * wellbeing[i, j]
            if wellbeing[i, j] < threshold:
                n_low += 1
        gain = flourishing - case_flourishing[i]
        proxy = measured_level(wellbeing, i, measured) + measure_noise[a] - case_proxy[i]
        why = 0
        weeks_open = week - case_start[i]
        if weeks_open >= pathway_limit:
            why |= TIMED_OUT
        if proxy >= success_gain and close_draw[a] < extrinsic[worker[i]]:
            why |= BANKED                           # close early to bank the outcome
        if n_low == 0 and flourishing >= ready_flourishing:
            why |= READY                            # the citizen no longer needs us
        # A review asks the citizen whether the support is still helping, and whether they still need it.
        if review_weeks > 0 and weeks_open > 0 and weeks_open % review_weeks == 0:
            if gain < review_min_gain or n_low == 0:
                why |= REVIEWED
        true_gain[a], proxy_gain[a], low[a], reasons[a] = gain, proxy, n_low, why
    return true_gain, proxy_gain, low, reasons


@kernel
def _records(rows, idx, true_gain, proxy_gain, tier, trust, worker, stake, honesty, motivation, followup, say, audit,
             success_gain, courtesy_bias, independent_followup, voice_noise_sd, learning_records, price_relative,
             inspection_rate, sanction):
    """For each closing case (``rows`` among the open cases; ``idx`` its citizen; gains and tier per
    closing case): whether the citizen says it succeeded, the honest record, and whether the worker
    misreports and is caught, and so what is recorded (see :func:`close_cases`)."""
    n = rows.size
    said_success = np.empty(n, dtype=np.bool_)
    honest = np.empty(n, dtype=np.bool_)
    misreported = np.empty(n, dtype=np.bool_)     # recorded as a success, and not caught
    detected = np.empty(n, dtype=np.bool_)
    recorded = np.empty(n, dtype=np.bool_)
    lr = learning_records
    for a in range(n):
        r, i = rows[a], idx[a]
        k = worker[i]
        # The honest record: the proxy, or what the citizen says changed: clearer with trust, but told
        # to their own worker it is kinder than the truth (courtesy bias), unless taken independently.
        courtesy = courtesy_bias * trust[i] * (followup[r] >= independent_followup)
        said_gain = true_gain[a] + courtesy + voice_noise_sd * (1.0 - trust[i]) * say[r]
        said_success[a] = said_gain >= success_gain
        honest[a] = ((1 - lr) * (proxy_gain[a] >= success_gain) + lr * said_success[a]) >= 0.5
        # A worker records a failure as a success when the stake beats the risk and their honesty.
        worth = stake[k] * (1 - lr) * price_relative[tier[a]]
        risk = inspection_rate * sanction + honesty[k] * motivation[k]
        misreport = not honest[a] and worth > risk
        detected[a] = misreport and audit[r] < inspection_rate
        misreported[a] = misreport and not detected[a]
        recorded[a] = honest[a] or misreported[a]
    return said_success, honest, misreported, detected, recorded


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
    true_gain, proxy_gain, low, reasons = _reasons(
        active, c.worker, c.case_start, c.case_flourishing, c.case_proxy, c.weights, c.wellbeing,
        np.asarray(s.measured), draws.measure_noise, draws.close, w.extrinsic, week, s.pathway_limit, m.success_gain,
        p.crisis.low_threshold, p.pathways.ready_flourishing, p.pathways.review_weeks, p.pathways.review_min_gain)
    rows = np.flatnonzero(reasons)          # the closing cases, among the open ones
    if rows.size == 0:
        return None
    idx = active[rows]
    wk = c.worker[idx]
    why = reasons[rows]
    proxy_gain, true_gain = proxy_gain[rows], true_gain[rows]
    true_success = true_gain >= m.success_gain
    tier = c.intake_tier[idx]
    said_success, honest, misreported, detected, recorded = _records(
        rows, idx, true_gain, proxy_gain, tier, c.trust, c.worker, w.stake, w.honesty, w.motivation, draws.followup,
        draws.say, draws.audit, m.success_gain, m.courtesy_bias, m.independent_followup, m.voice_noise_sd,
        s.learning_records, s.price_relative, s.inspection_rate, p.incentives.sanction_per_detection)

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

    _leave(idx, low[rows], week, c.last_exit, c.worker)
    return Closures(citizen=idx, team=team, tier=tier, recorded=recorded, true_success=true_success,
                    voiced=said_success, caught=np.unique(wk[detected]) if detected.any() else wk[:0])
