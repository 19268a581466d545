"""Workers' motivation, stress, burnout and turnover (docs/ODD.md, section 7.12).

Control crowds out intrinsic motivation (Falk & Kosfeld 2006, a parameter with a range since
replications found it smaller). Stress comes from the caseload, sanctions and doing what one
believes does not help (NPM's loads), and from deep contact with people in severe distress,
emotional labour and vicarious trauma, which relational practice brings (Waegemakers Schiff &
Lane 2019). Burnout raises the chance of leaving, and a leaver's relationships break (seed,
"Relational Public Service").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..params import N_DOMAINS, Params
from ..params.practices import Settings
from ..state import NO_WORKER, Citizens, Ledger, Teams, Workers
from ..state.books import count, tally
from ..util.compiled import kernel
from .contract import writes
from .population import hire, practice_traits
from .relationships import start_relationship

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    tally("worker_weeks", "worker-weeks", "workers in post, each week"),
    tally("burnt_out_worker_weeks", "worker-weeks", "workers burnt out, each week"),
    count("leavers", "workers", "Workers who left this week (each replaced at once).", "workers who left"),
    count("relationships_broken", "cases", "Open cases whose worker left this week, or whose team moved provider with "
          "`market.transfer_breaks_relationships` (they restart with a new worker, or lose the service when "
          "`workforce.reassignment = false`).", "relationships broken by a leaver"),
)


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


class Staff(NamedTuple):
    """The worker arrays :func:`_strain` reads, and the two it writes (``motivation``, ``stress``)."""

    motivation: np.ndarray        # written
    stress: np.ndarray            # written
    motivation_start: np.ndarray
    extrinsic: np.ndarray
    sensitivity: np.ndarray
    team: np.ndarray


class Loads(NamedTuple):
    """This week's loads on each worker (one entry per worker slot, ``sanctioned`` per team)."""

    caseload: np.ndarray
    sanctioned: np.ndarray
    exposure: np.ndarray          # share of the week in deep contact with people in severe distress
    leave_draw: np.ndarray        # one uniform draw per worker slot


class StrainRates(NamedTuple):
    uncrowded: float              # share of a worker's motivation that control leaves
    motivation_rate: float
    stress_caseload: float
    manageable: float
    stress_sanction: float
    stress_target: float
    vicarious_trauma: float
    stress_recovery: float
    resting_stress: float
    burnout_threshold: float
    turnover_base: float
    turnover_burnout: float


class Strain(NamedTuple):
    burnt: int                    # workers burnt out this week
    leavers: np.ndarray           # slots whose worker leaves


@kernel
def _strain(staff, loads, rates):
    """Each worker's week, written into ``staff.motivation`` and ``staff.stress``: motivation settles toward
    what they brought, less what control crowds out (``rates.uncrowded``); stress rises with caseload,
    sanctions, the stake in targets and deep contact with distress, scaled by the worker's sensitivity, and
    recovers toward rest; burnout raises the chance of leaving. Returns how many are burnt out and who leaves."""
    burnt = 0
    n = staff.team.size
    leavers = np.empty(n, dtype=np.int64)
    n_leaving = 0
    motivation, stress = staff.motivation, staff.stress
    for k in range(n):
        settled = staff.motivation_start[k] * rates.uncrowded
        motivation[k] = min(max(motivation[k] + rates.motivation_rate * (settled - motivation[k]), 0.0), 1.0)
        load = (rates.stress_caseload * loads.caseload[k] / rates.manageable
                + rates.stress_sanction * loads.sanctioned[staff.team[k]] + rates.stress_target * staff.extrinsic[k])
        if rates.vicarious_trauma:
            load = load + rates.vicarious_trauma * loads.exposure[k]
        load = load * staff.sensitivity[k]
        stress[k] = min(max(stress[k] + rates.stress_recovery * (rates.resting_stress + load - stress[k]), 0.0), 1.0)
        is_burnt = stress[k] > rates.burnout_threshold
        burnt += is_burnt
        if loads.leave_draw[k] < (rates.turnover_base + rates.turnover_burnout * is_burnt) / 52.0:
            leavers[n_leaving] = k
            n_leaving += 1
    return Strain(burnt, leavers[:n_leaving])


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
    staff = Staff(motivation=w.motivation, stress=w.stress, motivation_start=w.motivation_start,
                  extrinsic=w.extrinsic, sensitivity=w.sensitivity, team=w.team)
    loads = Loads(caseload=caseload, sanctioned=teams.sanctioned, exposure=exposure, leave_draw=leave_draw)
    rates = StrainRates(uncrowded=float(1.0 - wf.crowding_out * control), motivation_rate=wf.motivation_rate,
                        stress_caseload=wf.stress_caseload, manageable=wf.manageable_caseload,
                        stress_sanction=wf.stress_sanction, stress_target=wf.stress_target,
                        vicarious_trauma=wf.vicarious_trauma, stress_recovery=wf.stress_recovery,
                        resting_stress=wf.resting_stress, burnout_threshold=wf.burnout_threshold,
                        turnover_base=wf.turnover_base, turnover_burnout=wf.turnover_burnout)
    burnt, leavers = _strain(staff, loads, rates)
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
