"""Trust, knowing what matters, agency, and learning what works, inside each worker-citizen pair
(docs/ODD.md, section 7.7).

Trust is built by consistent, responsive contact and lets the worker learn what
matters and see what support did (seed, "Learning relationships and trust":
"it takes trust for people to reveal crucial details about their lives").
Supportive relationships raise agency (seed, "Agency").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..params import DOMAINS, N_DOMAINS, Params
from ..params.practices import Settings
from ..state import Citizens, Teams, Workers
from ..util.compiled import kernel
from .casework import Support
from .contract import writes
from .noise import byte_noise, unit


@writes("citizens.trust", "citizens.perceived_weights", "citizens.residual", "citizens.low_hours_weeks")
def start_relationship(c: Citizens, citizens: np.ndarray, initial_trust: float | np.ndarray) -> None:
    """A new worker knows nothing of this person: trust, what matters and what works start afresh."""
    trust = initial_trust if isinstance(initial_trust, np.ndarray) else np.full(citizens.size, initial_trust)
    start_afresh(citizens, trust, c.trust, c.perceived_weights, c.residual, c.low_hours_weeks)


@kernel
def start_afresh(citizens, initial_trust, trust, perceived, residual, low_hours_weeks):
    """:func:`start_relationship` for kernels: trust at ``initial_trust`` (one per citizen); what matters
    evenly weighted; no learnt correction; no weeks of low hours."""
    for a in range(citizens.size):
        i = citizens[a]
        trust[i] = initial_trust[a]
        perceived[i, :] = 1.0 / N_DOMAINS
        residual[i, :] = 0.0
        low_hours_weeks[i] = 0


class Biases(NamedTuple):
    """How a pair's reading of what support did departs from the truth (scalars for :func:`_perceive`)."""

    interdependence: float
    whole_life: float         # how much spillover the pair sees
    attribution: float        # share of other change in a life credited to the support
    optimism: float           # the worker's overrating of what they chose
    courtesy: float           # the citizen's kindness about how things feel, per unit of change, at full trust


@kernel
def _perceive(active, chosen, gain, intensity, before, wellbeing, spill, trust, felt_domain, biases):
    """Row by row: the true effect, plus seen spillover, plus credited other change, plus what the
    citizen's kind account adds where they speak of how things feel (``felt_domain``), plus optimism."""
    n_cases, d = chosen.shape[0], N_DOMAINS
    inter = biases.interdependence
    seen = np.empty((n_cases, d))
    for a in range(n_cases):
        i = active[a]
        for j in range(d):
            # Both spillover sums in one pass over the row (two independent chains of additions).
            spilt_effect = 0.0
            spilt_gain = 0.0
            for e in range(d):
                spilt_effect += spill[i, j, e] * chosen[a, e]
                spilt_gain += spill[i, j, e] * gain[a, e]
            effect = chosen[a, j]
            if biases.whole_life > 0.0 and inter > 0.0:
                effect += biases.whole_life * inter * spilt_effect
            if biases.attribution > 0.0:
                caused = gain[a, j]
                if inter > 0.0:
                    caused += inter * spilt_gain
                other = wellbeing[i, j] - before[a, j] - caused
                effect += biases.attribution * other / max(intensity[a], 0.1)
            if biases.courtesy > 0.0 and felt_domain[j]:
                effect += biases.courtesy * trust[i] * abs(effect)
            if biases.optimism > 0.0:
                effect += biases.optimism * abs(effect)
            seen[a, j] = effect
    return seen


@writes()
def perceived_effect(c: Citizens, p: Params, active: np.ndarray, support: Support,
                     wellbeing_before: np.ndarray) -> np.ndarray:
    """What a pair takes this week's support to have done, per unit of support (A, D), before noise.

    The truth (``support.chosen_effect``), seen whole-life as far as the pair sees spillover, with
    a share of the week's other change in the citizen's life (recovery, life events) credited to
    the support (confounded learning), what the citizen tells their own worker about how things feel
    (kind, as their closing account is: ``measurement.courtesy_bias`` for a change of
    ``measurement.success_gain``, so in that proportion of any change, growing with trust; not about
    facts such as a tenancy or a job, ``measurement.objective_domains``; and only as far as accounts
    are not checked by someone independent, ``measurement.independent_followup``), and the worker's
    optimism about their own choices.
    """
    m = p.measurement
    felt = np.array([d not in m.objective_domains for d in DOMAINS])
    biases = Biases(interdependence=p.world.interdependence, whole_life=m.whole_life_view,
                    attribution=m.attribution, optimism=m.optimism_bias,
                    courtesy=m.courtesy_bias / m.success_gain * (1.0 - m.independent_followup))
    return _perceive(active, support.chosen_effect, support.gain, support.intensity, wellbeing_before, c.wellbeing,
                     c.spill, c.trust, felt, biases)


class Pairs(NamedTuple):
    """The citizen arrays :func:`_relate` reads, and the four it writes (``trust``, ``perceived``,
    ``agency``, ``residual``)."""

    trust: np.ndarray         # written
    perceived: np.ndarray     # written: what the worker thinks matters
    agency: np.ndarray        # written
    residual: np.ndarray      # written: the pair's learnt correction to team knowledge
    hours: np.ndarray
    weights: np.ndarray
    agency_start: np.ndarray
    wellbeing: np.ndarray
    option: np.ndarray
    worker: np.ndarray


class Pools(NamedTuple):
    """What teams know and the experiments they pool for their next learning session (the pools are
    written: ``obs_sum``, ``obs_count``, ``error_sum``, ``error_count``)."""

    team: np.ndarray          # (M,) each worker slot's team
    knowledge: np.ndarray     # (T, K, D)
    obs_sum: np.ndarray       # written
    obs_count: np.ndarray     # written
    error_sum: np.ndarray     # written
    error_count: np.ndarray   # written


class Week(NamedTuple):
    """What the week brought each open case (one row per open case)."""

    seen_effect: np.ndarray          # (A, D) what the pair takes the support to have done, before noise
    flourishing_before: np.ndarray   # (A,) flourishing before this week's change
    obs_noise: np.ndarray            # (A, D) raw bytes: how the pair misreads what support did
    talk_noise: np.ndarray           # (A, D) raw bytes: how the citizen's words misstate what matters


class RelationshipRates(NamedTuple):
    contact_full: float
    build: float
    responsiveness: float
    decay: float
    what_matters_sd: float
    conversation: float
    growth: float
    agency_decay: float
    observation_sd: float
    observation_floor: float
    residual_rate: float
    error_sharing: float


@kernel
def _relate(active, pairs, pools, week, rates):
    """One week of each open relationship, citizen by citizen (see :func:`update`); writes the pairs'
    trust, perceived weights, agency and residuals and the teams' pools in place."""
    d = N_DOMAINS
    seen = np.empty(d)
    trust, perceived, residual, wellbeing = pairs.trust, pairs.perceived, pairs.residual, pairs.wellbeing
    for a in range(active.size):
        i = active[a]
        contact = min(1.0, pairs.hours[i] / rates.contact_full)
        felt = 0.0
        for j in range(d):
            felt += pairs.weights[i, j] * wellbeing[i, j]
        responsive = 1.0 if felt - week.flourishing_before[a] > 0.0 else 0.0
        tr = trust[i]
        tr = (tr + rates.build * contact * ((1 - rates.responsiveness) + rates.responsiveness * responsive) * (1 - tr)
              - rates.decay * (1 - contact) * tr)
        tr = min(max(tr, 0.0), 1.0)
        trust[i] = tr
        rate = rates.conversation * contact * tr
        total = 0.0
        for j in range(d):
            told = max(pairs.weights[i, j] + rates.what_matters_sd * (1 - tr) * unit(week.talk_noise[a, j]), 0.0)
            value = perceived[i, j] + rate * (told - perceived[i, j])
            perceived[i, j] = value
            total += value
        total = max(total, 1e-9)
        for j in range(d):
            perceived[i, j] /= total
        ag = pairs.agency[i]
        pairs.agency[i] = min(max(ag + rates.growth * tr * contact * (1 - ag)
                                  - rates.agency_decay * (ag - pairs.agency_start[i]), 0.0), 1.0)
        o = pairs.option[i]
        t = pools.team[pairs.worker[i]]
        noise = rates.observation_sd * (1 + rates.observation_floor - tr)
        seen_value = 0.0
        predicted = 0.0
        for j in range(d):
            belief = pools.knowledge[t, o, j]
            room = 1.0 - wellbeing[i, j] if belief >= 0.0 else wellbeing[i, j]
            weight = perceived[i, j] * room
            seen[j] = week.seen_effect[a, j] + noise * unit(week.obs_noise[a, j])
            seen_value += weight * seen[j]
            predicted += weight * belief
        r = residual[i, o]
        r += rates.residual_rate * contact * (seen_value - predicted - r)
        residual[i, o] = r
        share = (1.0 if seen_value >= predicted else rates.error_sharing) * contact
        pools.obs_count[t, o] += share
        for j in range(d):
            pools.obs_sum[t, o, j] += share * seen[j]
        pools.error_sum[t] += abs(seen_value - predicted - r)
        pools.error_count[t] += 1.0


@writes("citizens.trust", "citizens.perceived_weights", "citizens.agency", "citizens.residual", "teams.obs_sum",
        "teams.obs_count", "teams.error_sum", "teams.error_count")
def update(c: Citizens, w: Workers, teams: Teams, p: Params, s: Settings, active: np.ndarray,
           flourishing_before: np.ndarray, seen_effect: np.ndarray, rng: np.random.Generator) -> None:
    """One week of each open relationship.

    Trust grows with consistent contact, faster when the citizen feels their life getting
    better; conversation reveals what matters (clearer with trust); agency grows in a trusting
    relationship and drifts back; the pair sees what the week's option did (``seen_effect``, the
    truth bent by the pair's biases, plus observation noise that falls with trust), corrects its
    own estimate for this citizen, and brings the experiment to the team's learning session
    (failures only as far as the culture shares errors).

    ``flourishing_before`` (A,) is each open case's flourishing before this week's change.
    Writes ``c.trust``, ``c.perceived_weights``, ``c.agency``, ``c.residual`` and the teams' pools
    of experiments for their next learning session (``teams.obs_*``, ``teams.error_*``)."""
    if active.size == 0:
        return
    n_dom = c.wellbeing.shape[1]
    obs_noise, talk_noise = byte_noise(rng, (2, active.size, n_dom))
    m, tp = p.measurement, p.trust
    pairs = Pairs(trust=c.trust, perceived=c.perceived_weights, agency=c.agency, residual=c.residual, hours=c.hours,
                  weights=c.weights, agency_start=c.agency_start, wellbeing=c.wellbeing, option=c.option,
                  worker=c.worker)
    pools = Pools(team=w.team, knowledge=teams.knowledge, obs_sum=teams.obs_sum, obs_count=teams.obs_count,
                  error_sum=teams.error_sum, error_count=teams.error_count)
    rates = RelationshipRates(contact_full=tp.contact_hours_full, build=tp.build_rate, responsiveness=tp.responsiveness,
                              decay=tp.decay_rate, what_matters_sd=m.what_matters_sd, conversation=float(s.conversation),
                              growth=p.agency.growth, agency_decay=p.agency.decay, observation_sd=m.observation_sd,
                              observation_floor=m.observation_floor, residual_rate=p.learning.residual_rate,
                              error_sharing=float(s.error_sharing))
    _relate(active, pairs, pools, Week(seen_effect, flourishing_before, obs_noise, talk_noise), rates)
