"""Citizens' lives as complex systems: unique, interdependent and changing (docs/ODD.md, section 7.1).

Draws only from the ``life_events`` stream, with the same shapes every week, so every regime
meets the same life events (common random numbers).
Seed: "Human flourishing" (unique, interdependent, dynamic) and "Complex Systems".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params.groups import World
from ..state import Citizens, Evidence
from .contract import writes

DRIFT_BLOCKS = 4  # what works drifts for a quarter of citizens each week, with a step to match


@dataclass
class LifeEvents:
    shock: np.ndarray    # (N, D) wellbeing lost to life events this week
    movers: np.ndarray   # indices of residents who move away this week


def unit_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Mean-0, variance-1 innovations for slow drifts: uniform, five times cheaper than normal draws;
    summed over many weeks the drift is close to normal all the same (central limit theorem)."""
    return (rng.random(shape, dtype=np.float32) - np.float32(0.5)) * np.float32(np.sqrt(12.0))


@writes("citizens.weights", "citizens.personal_effect", "citizens.circumstances", "evidence.true_average")
def drift_and_events(c: Citizens, evidence: Evidence, w: World, turnover: float, rng: np.random.Generator,
                     week: int) -> LifeEvents:
    """Drift what matters and what works, strike life events, pick who moves away.

    Writes ``c.weights``, ``c.personal_effect``, ``c.circumstances`` and ``evidence.true_average``;
    returns the week's shock (applied with support by :func:`apply_change`) and the movers.
    """
    n, n_dom = c.wellbeing.shape
    dyn, u = w.dynamism, w.uniqueness

    # Draw every week whatever the dials and the regime, so the stream stays aligned across
    # scenarios; what is drawn per event depends only on how many events there are.
    event = rng.random(n, dtype=np.float32) < dyn * w.life_event_rate
    hit = np.flatnonzero(event)
    event_domain = rng.integers(0, n_dom, size=hit.size)
    severity = w.life_event_severity * rng.uniform(0.5, 1.5, size=hit.size)
    weight_noise = unit_noise(rng, (n, n_dom))
    block = slice(week % DRIFT_BLOCKS, None, DRIFT_BLOCKS)   # a strided view, no copy
    effect_noise = unit_noise(rng, c.personal_effect[block].shape)
    evidence_noise = rng.standard_normal(evidence.true_average.shape)
    moving = rng.random(n, dtype=np.float32) < turnover

    shock = np.zeros((n, n_dom))
    shock[hit, event_domain] = severity

    if dyn > 0:
        # What matters drifts, and a life event makes its domain matter more (only if people differ).
        if u > 0:
            new = c.weights + dyn * u * w.weight_drift * weight_noise
            new[hit, event_domain] += w.event_salience * u * severity
            new = np.clip(new, 0.01, None)
            c.weights = new / new.sum(axis=1, keepdims=True)
            # What works for a person drifts around the average, keeping its spread.
            keep = max(0.0, 1.0 - dyn * w.effect_drift * DRIFT_BLOCKS)
            c.personal_effect[block] = (keep * c.personal_effect[block]
                                        + np.sqrt(1 - keep**2) * u * w.personal_effect_sd * effect_noise)
        # What works on average drifts too, so yesterday's evidence ages; it drifts around the evidence
        # base (mean-reverting), so the average effect of support neither inflates nor withers.
        evidence.true_average = (evidence.true_average + w.evidence_reversion * (evidence.known - evidence.true_average)
                                 + dyn * w.evidence_drift * evidence_noise)
        # Life events lastingly change circumstances, not just this week.
        c.circumstances = np.clip(c.circumstances - w.event_persistence * shock, 0.0, 1.0)
    return LifeEvents(shock=shock, movers=np.flatnonzero(moving))


@writes("citizens.wellbeing", "citizens.circumstances")
def apply_change(c: Citizens, w: World, support_gain: np.ndarray, shock: np.ndarray) -> None:
    """Move wellbeing: support, shocks and recovery, spilling across domains; circumstances recover toward
    the citizen's structural position, and part of what support builds lasts.

    Writes ``c.wellbeing`` and ``c.circumstances``."""
    direct = support_gain - shock + w.recovery_rate * (c.circumstances - c.wellbeing)
    if w.interdependence > 0:
        direct = direct + w.interdependence * np.einsum("nij,nj->ni", c.spill, direct)
    c.wellbeing = np.clip(c.wellbeing + direct, 0.0, 1.0)
    # Part of what support builds lasts: it moves circumstances (capabilities, housing, ties),
    # while structural disadvantage slowly pulls circumstances back.
    c.circumstances = np.clip(c.circumstances + w.capability_gain * np.clip(support_gain, 0, None)
                              + w.structural_pull * (c.structural - c.circumstances), 0.0, 1.0)
