"""Workers' motivation, stress, burnout and turnover (docs/ODD.md, section 7.12).

Control crowds out intrinsic motivation (Falk & Kosfeld 2006, a parameter with a range since
replications found it smaller). Stress comes from the caseload, sanctions and doing what one
believes does not help (NPM's loads), and from deep contact with people in severe distress,
emotional labour and vicarious trauma, which relational practice brings (Waegemakers Schiff &
Lane 2019). Burnout raises the chance of leaving, and a leaver's relationships break (seed,
"Relational Public Service").
"""

from __future__ import annotations

import numpy as np

from ..params import N_DOMAINS, Params
from ..params.practices import Settings
from ..state import NO_WORKER, Citizens, Ledger, Teams, Workers
from ..util.compiled import kernel
from .contract import writes
from .population import hire, practice_traits
from .relationships import start_relationship


@writes("workers.honesty", "workers.stress")
def after_detection(w: Workers, caught: np.ndarray, p: Params) -> None:
    """Workers caught misreporting feel it: more honest from now on, and more stressed."""
    w.honesty[caught] += p.incentives.detection_honesty_gain
    w.stress[caught] = np.minimum(1.0, w.stress[caught] + p.workforce.stress_detection)


@kernel
def _hours_with_distress(wellbeing, worker, hours, in_crisis, threshold, n_workers):
    """Each worker's relational hours this week with citizens who have 3+ low domains or a crisis."""
    n, d = wellbeing.shape[0], N_DOMAINS
    out = np.zeros(n_workers)
    for i in range(n):
        if worker[i] == NO_WORKER:
            continue
        distressed = in_crisis[i]
        if not distressed:
            low = 0
            for j in range(d):
                if wellbeing[i, j] < threshold:
                    low += 1
            distressed = low >= 3
        if distressed:
            out[worker[i]] += hours[i]
    return out


@writes()
def distress_exposure(c: Citizens, n_workers: int, p: Params, s: Settings) -> np.ndarray:
    """Each worker's share of the week spent in deep contact with people in severe distress (M,).

    Distress: three or more low domains, or a crisis this week; depth: how much the practice's
    conversations go into what matters (a transactional contact goes less deep)."""
    hours = _hours_with_distress(c.wellbeing, c.worker, c.hours, c.in_crisis, p.crisis.low_threshold, n_workers)
    return s.conversation * hours / p.workforce.hours_per_week


@kernel
def _strain(motivation, motivation_start, stress, extrinsic, sensitivity, team, sanctioned, caseload, exposure,
            leave_draw, uncrowded, motivation_rate, stress_caseload, manageable, stress_sanction, stress_target,
            vicarious_trauma, stress_recovery, resting_stress, burnout_threshold, turnover_base, turnover_burnout):
    """Each worker's week, in place: motivation settles toward what they brought, less what control
    crowds out (``uncrowded``); stress rises with caseload, sanctions, the stake in targets and
    deep contact with distress, scaled by the worker's sensitivity, and recovers toward rest;
    burnout raises the chance of leaving. Returns how many are burnt out and who leaves."""
    burnt = 0
    leavers = np.empty(team.size, dtype=np.int64)
    n_leaving = 0
    for k in range(team.size):
        settled = motivation_start[k] * uncrowded
        motivation[k] = min(max(motivation[k] + motivation_rate * (settled - motivation[k]), 0.0), 1.0)
        load = (stress_caseload * caseload[k] / manageable + stress_sanction * sanctioned[team[k]]
                + stress_target * extrinsic[k])
        if vicarious_trauma:
            load = load + vicarious_trauma * exposure[k]
        load = load * sensitivity[k]
        stress[k] = min(max(stress[k] + stress_recovery * (resting_stress + load - stress[k]), 0.0), 1.0)
        is_burnt = stress[k] > burnout_threshold
        burnt += is_burnt
        if leave_draw[k] < (turnover_base + turnover_burnout * is_burnt) / 52.0:
            leavers[n_leaving] = k
            n_leaving += 1
    return burnt, leavers[:n_leaving]


@writes("workers.motivation", "workers.motivation_start", "workers.stress", "workers.honesty",
        "workers.sensitivity", "workers.hired_week", "workers.skill", "workers.favourite", "workers.bad_practice",
        "workers.worker_id", "citizens.worker", "citizens.last_exit", "citizens.trust", "citizens.perceived_weights",
        "citizens.residual", "citizens.low_hours_weeks", "ledger")
def step(w: Workers, teams: Teams, c: Citizens, p: Params, s: Settings, caseload: np.ndarray,
         leave_rng: np.random.Generator, hire_rng: np.random.Generator, practice_rng: np.random.Generator,
         ledger: Ledger, week: int) -> np.ndarray:
    """A week of motivation, stress and turnover; returns the slots whose worker left (and was replaced).

    Writes the workers' arrays and, for a leaver's citizens, their relationship (restarted with
    the replacement, or ended when ``workforce.reassignment`` is off)."""
    wf = p.workforce
    leave_draw = leave_rng.random(w.count)

    k = wf.control_from_pressure
    control = np.clip((1 - k) * s.control + k * s.target_pressure, 0.0, 1.0)
    exposure = distress_exposure(c, w.count, p, s) if wf.vicarious_trauma else np.zeros(w.count)
    burnt, leavers = _strain(w.motivation, w.motivation_start, w.stress, w.extrinsic, w.sensitivity, w.team,
                             teams.sanctioned, caseload, exposure, leave_draw, 1.0 - wf.crowding_out * control,
                             wf.motivation_rate, wf.stress_caseload, wf.manageable_caseload, wf.stress_sanction,
                             wf.stress_target, wf.vicarious_trauma, wf.stress_recovery, wf.resting_stress,
                             wf.burnout_threshold, wf.turnover_base, wf.turnover_burnout)
    ledger.add("burnt_out_worker_weeks", burnt)
    ledger.add("worker_weeks", w.count)
    if leavers.size == 0:
        return leavers
    ledger.add("leavers", leavers.size)
    orphaned = c.served_by(leavers, w.count)
    ledger.add("relationships_broken", orphaned.size)
    if wf.reassignment:
        start_relationship(c, orphaned, p.trust.initial)   # a new worker takes the slot, and starts from scratch
    else:
        c.worker[orphaned] = NO_WORKER
        c.last_exit[orphaned] = week
    motivation, honesty, sensitivity = hire(p, hire_rng, leavers.size)
    w.sensitivity[leavers] = sensitivity
    w.motivation[leavers] = motivation
    w.motivation_start[leavers] = motivation
    w.honesty[leavers] = honesty
    w.stress[leavers] = wf.initial_stress
    w.hired_week[leavers] = week
    w.skill[leavers], w.favourite[leavers] = practice_traits(practice_rng, leavers.size)
    w.bad_practice[leavers] = False
    w.worker_id[leavers] = w.worker_id.max() + 1 + np.arange(leavers.size)
    return leavers
