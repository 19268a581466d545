"""Trust, knowing what matters, agency, and learning what works, inside each worker-citizen pair
(docs/ODD.md, section 7.7).

Trust is built by consistent, responsive contact and lets the worker learn what
matters and see what support did (seed, "Learning relationships and trust":
"it takes trust for people to reveal crucial details about their lives").
Supportive relationships raise agency (seed, "Agency").
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import Citizens, Teams, Workers
from .casework import headroom
from .contract import writes

OBSERVATION_SD = 0.05    # s.d. of how a pair misreads what support did, with no trust
WHAT_MATTERS_SD = 0.15   # s.d. of how a citizen's words misstate what matters, with no trust
RESIDUAL_RATE = 0.3      # how fast a pair's own experience corrects team knowledge


@writes("citizens.trust", "citizens.perceived_weights", "citizens.residual", "citizens.low_hours_weeks")
def start_relationship(c: Citizens, citizens: np.ndarray, initial_trust: float) -> None:
    """A new worker knows nothing of this person: trust, what matters and what works start afresh."""
    c.trust[citizens] = initial_trust
    c.perceived_weights[citizens] = 1.0 / c.weights.shape[1]
    c.residual[citizens] = 0.0
    c.low_hours_weeks[citizens] = 0


@writes("citizens.trust", "citizens.perceived_weights", "citizens.agency", "citizens.residual", "teams.obs_sum",
        "teams.obs_count", "teams.error_sum", "teams.error_count")
def update(c: Citizens, w: Workers, teams: Teams, p: Params, s: Settings, active: np.ndarray,
           flourishing_before: np.ndarray, chosen_effect: np.ndarray, rng: np.random.Generator) -> None:
    """One week of each open relationship.

    Writes ``c.trust``, ``c.perceived_weights``, ``c.agency``, ``c.residual`` and the teams'
    pools of experiments for their next learning session (``teams.obs_*``, ``teams.error_*``)."""
    n_dom = c.wellbeing.shape[1]
    if active.size == 0:
        return
    obs_noise = rng.standard_normal((active.size, n_dom))
    talk_noise = rng.standard_normal((active.size, n_dom))
    tr = c.trust[active]
    contact = np.minimum(1.0, c.hours[active] / p.trust.contact_hours_full)

    # Responsiveness: the citizen feels their own life (by their own weights) got better.
    felt = c.flourishing()[active] - flourishing_before[active]
    responsive = felt > 0
    tr = (tr + p.trust.build_rate * contact * (0.5 + 0.5 * responsive) * (1 - tr)
          - p.trust.decay_rate * (1 - contact) * tr)
    c.trust[active] = np.clip(tr, 0.0, 1.0)

    # What matters: revealed by conversation, in proportion to contact and trust.
    told = c.weights[active] + WHAT_MATTERS_SD * (1 - tr)[:, None] * talk_noise
    rate = (s.conversation * contact * tr)[:, None]
    pw = c.perceived_weights[active] + rate * (np.clip(told, 0, None) - c.perceived_weights[active])
    c.perceived_weights[active] = pw / np.maximum(pw.sum(axis=1, keepdims=True), 1e-9)

    # Agency grows in a trusting, supportive relationship and slowly returns to where it was.
    ag = c.agency[active]
    c.agency[active] = np.clip(ag + p.agency.growth * tr * contact * (1 - ag)
                               - p.agency.decay * (ag - c.agency_start[active]), 0.0, 1.0)

    # What works: the pair sees what this week's option did, more clearly with trust.
    option = c.option[active]
    seen = chosen_effect + OBSERVATION_SD * (1.1 - tr)[:, None] * obs_noise
    team = w.team[c.worker[active]]
    belief = teams.knowledge[team, option]                      # (A, D)
    room = headroom(c.wellbeing[active], belief)
    pw_room = c.perceived_weights[active] * room
    seen_value = np.einsum("ad,ad->a", pw_room, seen)
    predicted = np.einsum("ad,ad->a", pw_room, belief)
    rows = np.arange(active.size)
    res = c.residual[active]
    res[rows, option] += RESIDUAL_RATE * contact * (seen_value - predicted - res[rows, option])
    c.residual[active] = res

    # Experiments go to the team's learning session; failures only as far as the culture allows.
    share = np.where(seen_value >= predicted, 1.0, s.error_sharing) * contact
    cell = team * teams.obs_count.shape[1] + option
    size = teams.obs_count.size
    teams.obs_count += np.bincount(cell, weights=share, minlength=size).reshape(teams.obs_count.shape)
    for d in range(n_dom):
        teams.obs_sum[:, :, d] += np.bincount(cell, weights=share * seen[:, d], minlength=size).reshape(teams.obs_count.shape)
    error = np.abs(seen_value - predicted - res[rows, option])
    teams.error_sum += np.bincount(team, weights=error, minlength=teams.count)
    teams.error_count += np.bincount(team, minlength=teams.count)
