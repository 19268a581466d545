"""Citizens' lives as complex systems: unique, interdependent and changing.

Draws only from the ``life_events`` and ``crisis`` streams, with the same shapes
every week, so every regime meets the same life events (common random numbers).
Seed: "Human flourishing" (unique, interdependent, dynamic) and "Complex Systems".
"""

from __future__ import annotations

import numpy as np

from .population import PERSONAL_EFFECT_SD, arrive

DRIFT_BLOCKS = 4  # what works drifts for a quarter of citizens each week, with a step to match
CRISIS_DOMAIN_COSTS = ("cost_housing", "cost_health", "cost_income_work",
                       "cost_relationships", "cost_safety", "cost_purpose")


def unit_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Mean-0, variance-1 innovations for slow drifts: uniform, five times cheaper than normal draws;
    summed over many weeks the drift is close to normal all the same (central limit theorem)."""
    return (rng.random(shape, dtype=np.float32) - np.float32(0.5)) * np.float32(np.sqrt(12.0))


def drift_and_events(model) -> np.ndarray:
    """Change what matters and what works, and strike life events; return the wellbeing shock (N, D)."""
    c, w, rng = model.citizens, model.params.world, model.streams.life_events
    n, n_dom = c.wellbeing.shape
    dyn, u = w.dynamism, w.uniqueness

    # Draw every week whatever the dials and the regime, so the stream stays aligned across
    # scenarios; what is drawn per event depends only on how many events there are.
    event = rng.random(n, dtype=np.float32) < dyn * w.life_event_rate
    hit = np.flatnonzero(event)
    event_domain = rng.integers(0, n_dom, size=hit.size)
    severity = w.life_event_severity * rng.uniform(0.5, 1.5, size=hit.size)
    weight_noise = unit_noise(rng, (n, n_dom))
    block = slice(model.week % DRIFT_BLOCKS, None, DRIFT_BLOCKS)   # a strided view, no copy
    effect_noise = unit_noise(rng, c.personal_effect[block].shape)
    evidence_noise = rng.standard_normal(model.true_average.shape)
    moving = rng.random(n, dtype=np.float32) < model.params.population.turnover

    shock = np.zeros((n, n_dom))
    shock[hit, event_domain] = severity

    if dyn > 0:
        # What matters drifts, and a life event makes its domain matter more (only if people differ).
        if u > 0:
            new = c.weights + dyn * u * w.weight_drift * weight_noise
            new[hit, event_domain] += 0.5 * u * severity
            new = np.clip(new, 0.01, None)
            c.weights = new / new.sum(axis=1, keepdims=True)
            # What works for a person drifts around the average, keeping its spread.
            keep = max(0.0, 1.0 - dyn * w.effect_drift * DRIFT_BLOCKS)
            c.personal_effect[block] = (keep * c.personal_effect[block]
                                        + np.sqrt(1 - keep**2) * u * PERSONAL_EFFECT_SD * effect_noise)
        # What works on average drifts too, so yesterday's evidence ages.
        model.true_average = np.clip(model.true_average + dyn * w.evidence_drift * evidence_noise, -0.02, 0.15)
        # Life events lastingly change circumstances, not just this week.
        c.circumstances = np.clip(c.circumstances - 0.5 * shock, 0.0, 1.0)
    movers = np.flatnonzero(moving)
    if movers.size:
        model.ledger.add("moved_away_in_case", int(c.in_case()[movers].sum()))
        arrive(model, movers)
        model.replace_citizens(movers)
        shock[movers] = 0.0
    return shock


def apply_change(model, support_gain: np.ndarray, shock: np.ndarray) -> None:
    """Move wellbeing: support, shocks and recovery, spilling across domains."""
    c, w = model.citizens, model.params.world
    direct = support_gain - shock + w.recovery_rate * (c.circumstances - c.wellbeing)
    if w.interdependence > 0:
        direct = direct + w.interdependence * np.einsum("nij,nj->ni", c.spill, direct)
    c.wellbeing = np.clip(c.wellbeing + direct, 0.0, 1.0)
    # Part of what support builds lasts: it moves circumstances (capabilities, housing, ties),
    # while structural disadvantage slowly pulls circumstances back.
    c.circumstances = np.clip(c.circumstances + w.capability_gain * np.clip(support_gain, 0, None)
                              + w.structural_pull * (c.structural - c.circumstances), 0.0, 1.0)


def crises(model) -> np.ndarray:
    """Low wellbeing tips into crises that use A&E, police, emergency housing; returns £ per citizen."""
    c, cr = model.citizens, model.params.crisis
    n_dom = c.wellbeing.shape[1]
    draws = model.streams.crisis.random(c.wellbeing.size, dtype=np.float32)
    model.crisis_this_week = np.zeros(c.count, dtype=bool)
    if not cr.enabled:
        return np.zeros(c.count)
    # Only low domains can tip into crisis: work on those cells alone.
    flat = c.wellbeing.reshape(-1)
    low = np.flatnonzero(flat < cr.low_threshold)
    deficit = (cr.low_threshold - flat[low]) / cr.low_threshold
    cells = low[draws[low] < cr.base_rate * deficit * np.sqrt(deficit)]
    flat[cells] = np.maximum(flat[cells] - cr.harm, 0.0)
    who, domain = np.divmod(cells, n_dom)
    model.crisis_this_week[who] = True
    costs = np.array([getattr(cr, name) for name in CRISIS_DOMAIN_COSTS])
    return np.bincount(who, weights=costs[domain], minlength=c.count)
