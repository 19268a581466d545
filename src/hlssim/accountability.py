"""Closing cases and keeping the record: where the truth and the record can part.

The simulation knows each citizen's true change in flourishing; the record holds
what the accountability system asks for (a proxy under NPM, what the citizen says
changed under HLS). Misreporting is a worker's choice when the stake in a reported
success outweighs the chance of being caught and the worker's own honesty
(Franco-Santos & Otley 2018; Lowe & Wilson 2017).
"""

from __future__ import annotations

import numpy as np

from . import market

from .state import NO_WORKER, count_below

TRUE_SUCCESS_GAIN = 0.05   # a case truly succeeded if the citizen's own flourishing rose this much
DETECTION_HONESTY_GAIN = 0.5  # being caught raises a worker's felt cost of misreporting
DETECTION_STRESS = 0.1


def close_cases(model, active: np.ndarray) -> None:
    c, w, p, mech, led = model.citizens, model.workers, model.params, model.mechanisms, model.ledger
    if active.size == 0:
        return
    # Service-side randomness is drawn for open cases only: these streams are the regime's own,
    # so they need not stay aligned across regimes (citizens' streams do, see streams.py).
    n = active.size
    measure_noise = model.streams.assessment.normal(0.0, p.pathways.assessment_noise / 2, size=n)
    close_draw = model.streams.choice.random(n)
    say_noise = model.streams.observation.normal(0.0, 1.0, size=n)
    audit_draw = model.streams.inspection.random(n)
    wk = c.worker[active]
    weeks_open = model.week - c.case_start[active]
    flourishing = c.flourishing()[active]
    true_gain = flourishing - c.case_flourishing[active]
    measured = c.wellbeing[active][:, list(mech.measured)].mean(axis=1) + measure_noise
    proxy_gain = measured - c.case_proxy[active]
    proxy_success = proxy_gain >= p.targets.success_gain
    low = count_below(c.wellbeing[active], p.crisis.low_threshold)

    alpha = w.extrinsic[wk]
    timed_out = weeks_open >= mech.pathway_limit
    banked = proxy_success & (close_draw < alpha)          # close early to bank the outcome
    ready = (low == 0) & (flourishing >= p.pathways.ready_flourishing)   # the citizen no longer needs us
    closing = timed_out | banked | ready
    if not closing.any():
        return
    idx = active[closing]
    wk = wk[closing]
    true_gain = true_gain[closing]
    true_success = true_gain >= TRUE_SUCCESS_GAIN

    # The honest record: the proxy, or what the citizen says changed (clearer with trust).
    said_gain = true_gain + 0.05 * (1.0 - c.trust[idx]) * say_noise[closing]
    said_success = said_gain >= TRUE_SUCCESS_GAIN
    lr = mech.learning_records
    honest = ((1 - lr) * proxy_success[closing] + lr * said_success) >= 0.5

    # A worker records a failure as a success when the stake beats the risk and their honesty.
    tier = c.intake_tier[idx]
    stake = w.stake[wk] * (1 - lr) * mech.price_relative[tier]
    risk = mech.inspection_rate * p.incentives.sanction_per_detection + w.honesty[wk] * w.motivation[wk]
    misreport = (~honest) & (stake > risk)
    detected = misreport & (audit_draw[closing] < mech.inspection_rate)
    recorded = honest | (misreport & ~detected)
    caught = np.unique(wk[detected])
    w.honesty[caught] += DETECTION_HONESTY_GAIN
    w.stress[caught] = np.minimum(1.0, w.stress[caught] + DETECTION_STRESS)

    team = w.team[wk]
    model.teams.period_closed += np.bincount(team, minlength=model.teams.count)
    model.teams.period_reported += np.bincount(team, weights=recorded, minlength=model.teams.count)
    led.add("closures", idx.size)
    led.add("reported_successes", int(recorded.sum()))
    led.add("true_successes", int(true_success.sum()))
    led.add("misreports", int((misreport & ~detected).sum()))
    led.add("detected", int(detected.sum()))
    led.add("closed_early", int((banked[closing] & ~timed_out[closing] & ~ready[closing]).sum()))
    payments = recorded * mech.outcome_prices[tier]
    led.add("outcome_payments", float(payments.sum()))
    led.add("outcome_payments_smd", float(payments[c.smd_start[idx]].sum()))
    market.record_closures(model, team, recorded, mech.price_relative[tier], recorded & ~true_success, said_success)
    model.case_log.append(
        citizen=idx, worker=wk, team=team, opened=c.case_start[idx], closed=np.full(idx.size, model.week),
        smd_start=c.smd_start[idx], intake_tier=tier, option=c.option[idx], presenting=c.presenting[idx],
        proxy_gain=proxy_gain[closing], honest_record=honest, recorded_success=recorded,
        misreported=misreport & ~detected, true_gain=true_gain, true_success=true_success,
        voiced_success=said_success, provider=model.teams.provider[team],
    )

    unmet = low[closing] > 0
    c.last_exit[idx[unmet]] = model.week
    c.worker[idx] = NO_WORKER
