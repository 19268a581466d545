"""Workers' motivation, stress, burnout and turnover.

Control crowds out intrinsic motivation (Falk & Kosfeld 2006, a parameter with a
range since replications found it smaller); workload, sanctions and doing what one
believes does not help raise stress; burnout raises the chance of leaving, and a
leaver's relationships break (seed, "Relational Public Service").
"""

from __future__ import annotations

import numpy as np

from .demand import start_relationship
from .population import hire

MOTIVATION_RATE = 0.02     # weekly adjustment of motivation toward where control lets it settle
MANAGEABLE_CASELOAD = 20   # caseload that brings stress to 0.25
RESTING_STRESS = 0.1


def step(model, caseload: np.ndarray) -> None:
    w, p, mech, led = model.workers, model.params, model.mechanisms, model.ledger
    leave_draw = model.streams.turnover.random(w.count)

    control = np.clip(mech.control * 0.5 + mech.target_pressure * 0.5, 0.0, 1.0)
    # Motivation settles toward what the worker brought, less what control crowds out.
    settled = w.motivation_start * (1.0 - p.workforce.crowding_out * control)
    w.motivation = np.clip(w.motivation + MOTIVATION_RATE * (settled - w.motivation), 0.0, 1.0)

    sanctioned = model.teams.sanctioned[w.team]
    load = (0.25 * caseload / MANAGEABLE_CASELOAD + 0.2 * sanctioned + 0.2 * w.extrinsic) * w.sensitivity
    w.stress = np.clip(w.stress + p.workforce.stress_recovery * (RESTING_STRESS + load - w.stress), 0.0, 1.0)
    burnt = w.stress > p.workforce.burnout_threshold
    led.add("burnt_out_worker_weeks", int(burnt.sum()))
    led.add("worker_weeks", w.count)

    hazard = (p.workforce.turnover_base + p.workforce.turnover_burnout * burnt) / 52.0
    leavers = np.flatnonzero(leave_draw < hazard)
    if leavers.size == 0:
        return
    led.add("leavers", leavers.size)
    c = model.citizens
    orphaned = np.flatnonzero(np.isin(c.worker, leavers))
    led.add("relationships_broken", orphaned.size)
    if p.workforce.reassignment:
        start_relationship(model, orphaned)   # a new worker takes the slot, and starts from scratch
    else:
        c.worker[orphaned] = -1
        c.last_exit[orphaned] = model.week
    motivation, honesty, sensitivity = hire(p, model.streams.workforce, leavers.size)
    w.sensitivity[leavers] = sensitivity
    w.motivation[leavers] = motivation
    w.motivation_start[leavers] = motivation
    w.honesty[leavers] = honesty
    w.stress[leavers] = RESTING_STRESS + 0.2
    w.hired_week[leavers] = model.week
    model.replace_workers(leavers)
