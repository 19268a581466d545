"""What managers do under NPM: targets, the gap workers feel, sanctions and the ratchet
(docs/ODD.md, sections 7.9 and 7.12).

Each target period a manager compares the team's reported success rate with its target,
sanctions a miss, and ratchets the target up after a hit; the gap is the pressure workers
feel, and with it what a reported success is worth to them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import Providers, Teams, Workers
from ..util.compiled import kernel
from .contract import writes


class StakeTerms(NamedTuple):
    """What a recorded success is worth to a worker, term by term (one per decision that reads the record),
    and how the target period bends the target's term (scalars for :func:`_stakes`)."""

    foresee: bool             # workers see the period's tally and deadline
    elapsed: float            # share of the target period gone (1 in its last week)
    deadline_pressure: float
    ratchet_hold: float       # how far a team over target discounts further successes
    target_pressure: float
    target_weight: float
    paid_worth: float         # payment by results: the same whatever the team's tally
    renewal_worth: float      # the provider's renewal, as far as re-commissioning reads the record


@writes("workers.stake", "workers.extrinsic")
def set_incentives(w: Workers, teams: Teams, providers: Providers, p: Params, s: Settings, week: int) -> None:
    """What a recorded success is worth to each worker, and how much that weighs against the citizen.

    One term for each decision that reads the record: the team target, payment by results and the
    provider's renewal (docs/ODD.md 7.12). For the target, workers know their team's running tally
    and how much of the period is left: a shortfall weighs more as the deadline nears, and a team
    already over target discounts further successes, which would only raise next period's target
    (the ratchet, foreseen). Writes ``w.stake`` and ``w.extrinsic``."""
    tp = p.targets
    terms = StakeTerms(foresee=bool(tp.deadline_pressure or tp.ratchet_foresight),
                       elapsed=((week - 1) % tp.period_weeks + 1) / tp.period_weeks,
                       deadline_pressure=float(tp.deadline_pressure), ratchet_hold=float(tp.ratchet_foresight * tp.ratchet),
                       target_pressure=float(s.target_pressure), target_weight=float(s.target_weight),
                       paid_worth=float(s.paid_worth), renewal_worth=float(s.renewal_worth))
    _stakes(w.team, teams.provider, providers.push, teams.gap, teams.target, teams.period_closed, teams.period_reported,
            w.motivation, terms, w.stake, w.extrinsic)


@kernel
def _stakes(team, team_provider, provider_push, gap, target, period_closed, period_reported, motivation, terms, stake,
            extrinsic):
    """Each team's felt gap (the shortfall so far weighing more as the deadline nears) and hold-back
    (over target: more successes would only raise the next target); then each worker's stake and
    extrinsic weight, written in place into ``stake`` and ``extrinsic`` (see :func:`set_incentives`)."""
    n_teams = target.size
    felt = np.empty(n_teams)
    hold = np.ones(n_teams)
    for t in range(n_teams):
        felt[t] = gap[t]
        if terms.foresee:
            counted = period_closed[t] > 0
            rate = period_reported[t] / max(period_closed[t], 1.0) if counted else target[t]
            shortfall = min(max((target[t] - rate) / max(target[t], 1e-9), 0.0), 1.0)
            felt[t] = gap[t] + terms.deadline_pressure * terms.elapsed * shortfall
            hold[t] = 1.0 - terms.ratchet_hold * (counted and rate > target[t])
    fixed = terms.paid_worth + terms.renewal_worth
    for k in range(team.size):
        t = team[k]
        push = 2.0 * provider_push[team_provider[t]]     # 1 for a neutral provider
        toward_target = terms.target_pressure * (1.0 + felt[t]) * terms.target_weight * hold[t]
        stake[k] = push * (toward_target + fixed)
        extrinsic[k] = stake[k] / (stake[k] + motivation[k])


@writes("teams.period_closed", "teams.period_reported")
def count_closures(teams: Teams, team: np.ndarray, recorded: np.ndarray) -> None:
    """Add this week's closed cases and recorded successes to each team's target period."""
    teams.period_closed += np.bincount(team, minlength=teams.count)
    teams.period_reported += np.bincount(team, weights=recorded, minlength=teams.count)


@writes("teams.gap", "teams.sanctioned", "teams.target", "teams.period_closed", "teams.period_reported")
def review_targets(teams: Teams, p: Params, s: Settings, week: int) -> None:
    """At a period's end: achieved against target, the gap, sanctions and the ratchet."""
    t = teams
    if week % p.targets.period_weeks:
        return
    has = t.period_closed > 0
    achieved = np.where(has, t.period_reported / np.maximum(t.period_closed, 1), t.target)
    t.gap = np.clip((t.target - achieved) / np.maximum(t.target, 1e-9), 0.0, 1.0)
    t.sanctioned = has & (achieved < t.target) & (s.target_pressure > 0)
    over = (achieved > t.target) & (s.target_pressure > 0)
    t.target = np.where(over, np.minimum(p.targets.ceiling, t.target + p.targets.ratchet * (achieved - t.target)), t.target)
    t.period_closed[:] = 0
    t.period_reported[:] = 0
