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

from ..params import Params
from ..params.practices import Settings
from ..state import NO_WORKER, CaseLog, Citizens, Ledger, Teams, Workers, count_below
from .contract import writes
from .measurement import measured_level


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
        return cls(measure_noise=streams.assessment.normal(0.0, measurement_sd, size=n), close=streams.choice.random(n),
                   say=streams.observation.normal(0.0, 1.0, size=n), audit=streams.inspection.random(n),
                   followup=streams.followup.random(n))


@writes("citizens.worker", "citizens.last_exit", "ledger", "case_log")
def close_cases(c: Citizens, w: Workers, teams: Teams, p: Params, s: Settings, active: np.ndarray, draws: Draws,
                ledger: Ledger, case_log: CaseLog, week: int) -> Closures | None:
    """Close the cases that end this week and write their records; None if none ends.

    Writes the record (``case_log``, the ledger) and the closed citizens' ``worker`` and
    ``last_exit``; returns what other mechanisms answer to."""
    wk = c.worker[active]
    weeks_open = week - c.case_start[active]
    flourishing = c.flourishing()[active]
    true_gain = flourishing - c.case_flourishing[active]
    measured = measured_level(c.wellbeing[active], s.measured) + draws.measure_noise
    proxy_gain = measured - c.case_proxy[active]
    proxy_success = proxy_gain >= p.measurement.success_gain
    low = count_below(c.wellbeing[active], p.crisis.low_threshold)

    alpha = w.extrinsic[wk]
    timed_out = weeks_open >= s.pathway_limit
    banked = proxy_success & (draws.close < alpha)          # close early to bank the outcome
    ready = (low == 0) & (flourishing >= p.pathways.ready_flourishing)   # the citizen no longer needs us
    review = p.pathways.review_weeks
    # A review asks the citizen whether the support is still helping, and whether they still need it.
    due = (weeks_open > 0) & (weeks_open % review == 0) if review else np.zeros(active.size, dtype=bool)
    stalled = due & (true_gain < p.pathways.review_min_gain)
    done = due & (low == 0)
    closing = timed_out | banked | ready | stalled | done
    if not closing.any():
        return None
    idx = active[closing]
    wk = wk[closing]
    true_gain = true_gain[closing]
    m = p.measurement
    true_success = true_gain >= m.success_gain

    # The honest record: the proxy, or what the citizen says changed: clearer with trust, but told to
    # their own worker it is kinder than the truth (courtesy bias), unless taken independently.
    trust = c.trust[idx]
    courtesy = m.courtesy_bias * trust * (draws.followup[closing] >= m.independent_followup) if m.courtesy_bias else 0.0
    said_gain = true_gain + courtesy + m.voice_noise_sd * (1.0 - trust) * draws.say[closing]
    said_success = said_gain >= m.success_gain
    lr = s.learning_records
    honest = ((1 - lr) * proxy_success[closing] + lr * said_success) >= 0.5

    # A worker records a failure as a success when the stake beats the risk and their honesty.
    tier = c.intake_tier[idx]
    stake = w.stake[wk] * (1 - lr) * s.price_relative[tier]
    risk = s.inspection_rate * p.incentives.sanction_per_detection + w.honesty[wk] * w.motivation[wk]
    misreport = (~honest) & (stake > risk)
    detected = misreport & (draws.audit[closing] < s.inspection_rate)
    recorded = honest | (misreport & ~detected)

    team = w.team[wk]
    ledger.add("closures", idx.size)
    ledger.add("reported_successes", int(recorded.sum()))
    ledger.add("true_successes", int(true_success.sum()))
    ledger.add("misreports", int((misreport & ~detected).sum()))
    ledger.add("detected", int(detected.sum()))
    ledger.add("closed_early", int((banked[closing] & ~timed_out[closing] & ~ready[closing]).sum()))
    ledger.add("closed_at_review", int(((stalled | done)[closing] & ~timed_out[closing] & ~ready[closing]).sum()))
    case_log.append(
        citizen=idx, worker=wk, worker_id=w.worker_id[wk], team=team, opened=c.case_start[idx], closed=np.full(idx.size, week),
        smd_start=c.smd_start[idx], intake_tier=tier, option=c.option[idx], presenting=c.presenting[idx],
        proxy_gain=proxy_gain[closing], honest_record=honest, recorded_success=recorded,
        misreported=misreport & ~detected, true_gain=true_gain, true_success=true_success,
        voiced_success=said_success, provider=teams.provider[team],
    )

    unmet = low[closing] > 0
    c.last_exit[idx[unmet]] = week
    c.worker[idx] = NO_WORKER
    return Closures(citizen=idx, team=team, tier=tier, recorded=recorded, true_success=true_success,
                    voiced=said_success, caught=np.unique(wk[detected]))
