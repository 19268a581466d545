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
from .casework import Support, headroom
from .contract import writes


@writes("citizens.trust", "citizens.perceived_weights", "citizens.residual", "citizens.low_hours_weeks")
def start_relationship(c: Citizens, citizens: np.ndarray, initial_trust: float | np.ndarray) -> None:
    """A new worker knows nothing of this person: trust, what matters and what works start afresh."""
    c.trust[citizens] = initial_trust
    c.perceived_weights[citizens] = 1.0 / c.weights.shape[1]
    c.residual[citizens] = 0.0
    c.low_hours_weeks[citizens] = 0


@writes()
def perceived_effect(c: Citizens, p: Params, active: np.ndarray, support: Support,
                     wellbeing_before: np.ndarray) -> np.ndarray:
    """What a pair takes this week's support to have done, per unit of support (A, D), before noise.

    The truth (``support.chosen_effect``), seen whole-life as far as the pair sees spillover, with
    a share of the week's other change in the citizen's life (recovery, life events) credited to
    the support (confounded learning), and the worker's optimism about their own choices.
    """
    m, inter = p.measurement, p.world.interdependence
    effect = support.chosen_effect
    spill = c.spill[active] if inter > 0 else None
    if m.whole_life_view > 0 and inter > 0:
        effect = effect + m.whole_life_view * inter * np.einsum("aij,aj->ai", spill, effect)
    if m.attribution > 0:
        gain = support.gain[active]
        caused = gain + inter * np.einsum("aij,aj->ai", spill, gain) if inter > 0 else gain
        other = c.wellbeing[active] - wellbeing_before - caused
        effect = effect + m.attribution * other / np.maximum(support.intensity, 0.1)[:, None]
    if m.optimism_bias > 0:
        effect = effect + m.optimism_bias * np.abs(effect)
    return effect


@writes("citizens.trust", "citizens.perceived_weights", "citizens.agency", "citizens.residual", "teams.obs_sum",
        "teams.obs_count", "teams.error_sum", "teams.error_count")
def update(c: Citizens, w: Workers, teams: Teams, p: Params, s: Settings, active: np.ndarray,
           flourishing_before: np.ndarray, seen_effect: np.ndarray, rng: np.random.Generator) -> None:
    """One week of each open relationship.

    ``seen_effect`` (A, D) is what the pair takes this week's support to have done, before noise
    (``casework.seen_effect``: the truth, bent by the pair's biases). Writes ``c.trust``,
    ``c.perceived_weights``, ``c.agency``, ``c.residual`` and the teams' pools of experiments for
    their next learning session (``teams.obs_*``, ``teams.error_*``)."""
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
    k = p.trust.responsiveness
    tr = (tr + p.trust.build_rate * contact * ((1 - k) + k * responsive) * (1 - tr)
          - p.trust.decay_rate * (1 - contact) * tr)
    c.trust[active] = np.clip(tr, 0.0, 1.0)

    # What matters: revealed by conversation, in proportion to contact and trust.
    told = c.weights[active] + p.measurement.what_matters_sd * (1 - tr)[:, None] * talk_noise
    rate = (s.conversation * contact * tr)[:, None]
    pw = c.perceived_weights[active] + rate * (np.clip(told, 0, None) - c.perceived_weights[active])
    c.perceived_weights[active] = pw / np.maximum(pw.sum(axis=1, keepdims=True), 1e-9)

    # Agency grows in a trusting, supportive relationship and slowly returns to where it was.
    ag = c.agency[active]
    c.agency[active] = np.clip(ag + p.agency.growth * tr * contact * (1 - ag)
                               - p.agency.decay * (ag - c.agency_start[active]), 0.0, 1.0)

    # What works: the pair sees what this week's option did, more clearly with trust.
    option = c.option[active]
    m = p.measurement
    seen = seen_effect + m.observation_sd * (1 + m.observation_floor - tr)[:, None] * obs_noise
    team = w.team[c.worker[active]]
    belief = teams.knowledge[team, option]                      # (A, D)
    room = headroom(c.wellbeing[active], belief)
    pw_room = c.perceived_weights[active] * room
    seen_value = np.einsum("ad,ad->a", pw_room, seen)
    predicted = np.einsum("ad,ad->a", pw_room, belief)
    rows = np.arange(active.size)
    res = c.residual[active]
    res[rows, option] += p.learning.residual_rate * contact * (seen_value - predicted - res[rows, option])
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
