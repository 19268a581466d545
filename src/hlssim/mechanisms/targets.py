"""What managers do under NPM: targets, the gap workers feel, sanctions and the ratchet
(docs/ODD.md, sections 7.9 and 7.12).

Each target period a manager compares the team's reported success rate with its target,
sanctions a miss, and ratchets the target up after a hit; the gap is the pressure workers
feel, and with it what a reported success is worth to them.
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import Providers, Teams, Workers
from .contract import writes


@writes("workers.stake", "workers.extrinsic")
def set_incentives(w: Workers, teams: Teams, providers: Providers, p: Params, s: Settings, week: int) -> None:
    """What a reported success is worth to each worker, and how much that weighs against the citizen.

    Workers know their team's running tally against target and how much of the period is left:
    a shortfall weighs more as the deadline nears, and a team already over target discounts
    further successes, which would only raise next period's target (the ratchet, foreseen).
    Writes ``w.stake`` and ``w.extrinsic``."""
    t = teams
    push = 2.0 * providers.push[t.provider[w.team]]     # 1 for a neutral provider
    felt = t.gap
    hold_back = 1.0
    if p.targets.deadline_pressure or p.targets.ratchet_foresight:
        elapsed = ((week - 1) % p.targets.period_weeks + 1) / p.targets.period_weeks   # 1 in a period's last week
        counted = t.period_closed > 0
        rate = np.where(counted, t.period_reported / np.maximum(t.period_closed, 1), t.target)
        shortfall = np.clip((t.target - rate) / np.maximum(t.target, 1e-9), 0.0, 1.0)
        felt = t.gap + p.targets.deadline_pressure * elapsed * shortfall
        hold_back = (1.0 - p.targets.ratchet_foresight * p.targets.ratchet * (counted & (rate > t.target)))[w.team]
    w.stake = s.target_pressure * (1.0 + felt[w.team]) * s.reward_weight * push * hold_back
    w.extrinsic = w.stake / (w.stake + w.motivation)


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
