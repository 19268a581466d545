"""Workers' motivation, stress, burnout and turnover (docs/ODD.md, section 7.12).

Control crowds out intrinsic motivation (Falk & Kosfeld 2006, a parameter with a
range since replications found it smaller); workload, sanctions and doing what one
believes does not help raise stress; burnout raises the chance of leaving, and a
leaver's relationships break (seed, "Relational Public Service").
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import NO_WORKER, Citizens, Ledger, Teams, Workers
from .contract import writes
from .population import hire
from .relationships import start_relationship

MOTIVATION_RATE = 0.02     # weekly adjustment of motivation toward where control lets it settle
MANAGEABLE_CASELOAD = 20   # caseload that brings stress to 0.25
RESTING_STRESS = 0.1
DETECTION_HONESTY_GAIN = 0.5  # being caught raises a worker's felt cost of misreporting
DETECTION_STRESS = 0.1


@writes("workers.honesty", "workers.stress")
def after_detection(w: Workers, caught: np.ndarray) -> None:
    """Workers caught misreporting feel it: more honest from now on, and more stressed."""
    w.honesty[caught] += DETECTION_HONESTY_GAIN
    w.stress[caught] = np.minimum(1.0, w.stress[caught] + DETECTION_STRESS)


@writes("workers.motivation", "workers.motivation_start", "workers.stress", "workers.honesty",
        "workers.sensitivity", "workers.hired_week", "citizens.worker", "citizens.last_exit", "citizens.trust",
        "citizens.perceived_weights", "citizens.residual", "citizens.low_hours_weeks", "ledger")
def step(w: Workers, teams: Teams, c: Citizens, p: Params, s: Settings, caseload: np.ndarray,
         leave_rng: np.random.Generator, hire_rng: np.random.Generator, ledger: Ledger, week: int) -> np.ndarray:
    """A week of motivation, stress and turnover; returns the slots whose worker left (and was replaced).

    Writes the workers' arrays and, for a leaver's citizens, their relationship (restarted with
    the replacement, or ended when ``workforce.reassignment`` is off)."""
    leave_draw = leave_rng.random(w.count)

    control = np.clip(s.control * 0.5 + s.target_pressure * 0.5, 0.0, 1.0)
    # Motivation settles toward what the worker brought, less what control crowds out.
    settled = w.motivation_start * (1.0 - p.workforce.crowding_out * control)
    w.motivation = np.clip(w.motivation + MOTIVATION_RATE * (settled - w.motivation), 0.0, 1.0)

    sanctioned = teams.sanctioned[w.team]
    load = (0.25 * caseload / MANAGEABLE_CASELOAD + 0.2 * sanctioned + 0.2 * w.extrinsic) * w.sensitivity
    w.stress = np.clip(w.stress + p.workforce.stress_recovery * (RESTING_STRESS + load - w.stress), 0.0, 1.0)
    burnt = w.stress > p.workforce.burnout_threshold
    ledger.add("burnt_out_worker_weeks", int(burnt.sum()))
    ledger.add("worker_weeks", w.count)

    hazard = (p.workforce.turnover_base + p.workforce.turnover_burnout * burnt) / 52.0
    leavers = np.flatnonzero(leave_draw < hazard)
    if leavers.size == 0:
        return leavers
    ledger.add("leavers", leavers.size)
    orphaned = np.flatnonzero(np.isin(c.worker, leavers))
    ledger.add("relationships_broken", orphaned.size)
    if p.workforce.reassignment:
        start_relationship(c, orphaned, p.trust.initial)   # a new worker takes the slot, and starts from scratch
    else:
        c.worker[orphaned] = NO_WORKER
        c.last_exit[orphaned] = week
    motivation, honesty, sensitivity = hire(p, hire_rng, leavers.size)
    w.sensitivity[leavers] = sensitivity
    w.motivation[leavers] = motivation
    w.motivation_start[leavers] = motivation
    w.honesty[leavers] = honesty
    w.stress[leavers] = RESTING_STRESS + 0.2
    w.hired_week[leavers] = week
    return leavers
