"""Citizens' lives as complex systems: unique, interdependent and changing (docs/ODD.md, section 7.1).

Draws only from the ``life_events`` stream, with the same shapes every week, so every regime
meets the same life events (common random numbers).
Seed: "Human flourishing" (unique, interdependent, dynamic) and "Complex Systems".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..params.groups import N_DOMAINS, N_OPTIONS, World
from ..state import Citizens, Evidence
from ..util.compiled import kernel
from .contract import writes
from .noise import BYTE_SD, byte_noise, happens, unit

DRIFT_BLOCKS = 4  # what matters and what works drift for a quarter of citizens each week, with a step to match


@dataclass
class LifeEvents:
    """This week's life events, one at most per citizen (sparse: most people have none), and who moves away."""

    hit: np.ndarray        # citizens struck by a life event, ascending
    domain: np.ndarray     # the domain each event hits
    severity: np.ndarray   # wellbeing lost in that domain
    movers: np.ndarray     # residents who move away this week

    def drop(self, citizens: np.ndarray) -> None:
        """Forget the events of these citizens (residents who moved away: their places start afresh)."""
        # Both ascending: find each event's citizen among the leavers (np.isin costs 5x more at this size).
        at = np.minimum(np.searchsorted(citizens, self.hit), citizens.size - 1)
        keep = citizens[at] != self.hit if citizens.size else np.ones(self.hit.size, dtype=bool)
        self.hit, self.domain, self.severity = self.hit[keep], self.domain[keep], self.severity[keep]


@kernel
def _drift_what_matters(weights, noise, first, stride, step, hit, domain, severity, salience):
    """For every ``stride``-th citizen from ``first``: weights += step x (a unit innovation); a life
    event's domain gains salience x severity; each changed row floored at 0.01 and renormalised."""
    n, d = weights.shape[0], N_DOMAINS
    row = 0
    for i in range(first, n, stride):
        for j in range(d):
            weights[i, j] += step * unit(noise[row, j])
        _renormalise(weights, i)
        row += 1
    for k in range(hit.size):
        weights[hit[k], domain[k]] += salience * severity[k]
        _renormalise(weights, hit[k])


@kernel
def _renormalise(weights, i):
    total = 0.0
    for j in range(N_DOMAINS):
        value = max(weights[i, j], 0.01)
        weights[i, j] = value
        total += value
    for j in range(N_DOMAINS):
        weights[i, j] /= total


@kernel
def _drift_what_works(personal, noise, first, stride, keep, step):
    """Every ``stride``-th citizen from ``first``: personal = keep x personal + step x (a unit innovation),
    in float32 like ``personal`` itself, over each citizen's row as one flat run of numbers."""
    n = personal.shape[0]
    rows = personal.reshape(n, -1)
    innovations = noise.reshape(noise.shape[0], -1)
    keep32, step32, half = np.float32(keep), np.float32(step / BYTE_SD), np.float32(0.5)
    row = 0
    for i in range(first, n, stride):
        values, innovation = rows[i], innovations[row]
        for b in range(N_OPTIONS * N_DOMAINS):
            values[b] = keep32 * values[b] + step32 * (np.float32(innovation[b]) + half)
        row += 1


@writes("citizens.weights", "citizens.personal_effect", "citizens.circumstances", "evidence.true_average")
def drift_and_events(c: Citizens, evidence: Evidence, w: World, turnover: float, rng: np.random.Generator,
                     week: int) -> LifeEvents:
    """Drift what matters and what works, strike life events, pick who moves away.

    Writes ``c.weights``, ``c.personal_effect``, ``c.circumstances`` and ``evidence.true_average``;
    returns the week's events (applied with support by :func:`apply_change`) and the movers.
    """
    n, n_dom = c.wellbeing.shape
    dyn, u = w.dynamism, w.uniqueness

    # Draw every week whatever the dials and the regime, so the stream stays aligned across
    # scenarios; what is drawn per event depends only on how many events there are. The slow
    # drifts move one block of citizens a week (every DRIFT_BLOCKS-th, in turn) by a step that
    # gives the same drift over DRIFT_BLOCKS weeks, with coarse innovations (random bytes: see noise.py).
    event = happens(rng, n, dyn * w.life_event_rate)
    hit = np.flatnonzero(event)
    event_domain = rng.integers(0, n_dom, size=hit.size)
    severity = w.life_event_severity * rng.uniform(0.5, 1.5, size=hit.size)
    first = week % DRIFT_BLOCKS
    weight_noise = byte_noise(rng, c.weights[first::DRIFT_BLOCKS].shape)
    effect_noise = byte_noise(rng, c.personal_effect[first::DRIFT_BLOCKS].shape)
    evidence_noise = rng.standard_normal(evidence.true_average.shape)
    moving = happens(rng, n, turnover)

    if dyn > 0:
        if u > 0:
            # What matters drifts, and a life event makes its domain matter more (only if people differ).
            _drift_what_matters(c.weights, weight_noise, first, DRIFT_BLOCKS,
                                dyn * u * w.weight_drift * np.sqrt(DRIFT_BLOCKS), hit, event_domain, severity,
                                w.event_salience * u)
            # What works for a person drifts around the average, keeping its spread.
            keep = max(0.0, 1.0 - dyn * w.effect_drift * DRIFT_BLOCKS)
            _drift_what_works(c.personal_effect, effect_noise, first, DRIFT_BLOCKS, keep,
                              np.sqrt(1 - keep**2) * u * w.personal_effect_sd)
        # What works on average drifts too, so yesterday's evidence ages; it drifts around the evidence
        # base (mean-reverting), so the average effect of support neither inflates nor withers.
        evidence.true_average = (evidence.true_average + w.evidence_reversion * (evidence.known - evidence.true_average)
                                 + dyn * w.evidence_drift * evidence_noise)
        # Life events lastingly change circumstances, not just this week.
        _lasting_change(c.circumstances, hit, event_domain, severity, w.event_persistence)
    return LifeEvents(hit=hit, domain=event_domain, severity=severity, movers=np.flatnonzero(moving))


@kernel
def _lasting_change(circumstances, hit, domain, severity, persistence):
    """Each life event lowers its domain's circumstances by ``persistence`` x its severity (floor 0)."""
    for k in range(hit.size):
        i, j = hit[k], domain[k]
        circumstances[i, j] = max(circumstances[i, j] - persistence * severity[k], 0.0)


class EventRows(NamedTuple):
    """This week's life events as :func:`_apply_change` reads them (ascending in ``hit``)."""

    hit: np.ndarray
    domain: np.ndarray
    severity: np.ndarray


class ChangeRates(NamedTuple):
    """How wellbeing and circumstances move (scalars for :func:`_apply_change`)."""

    interdependence: float
    recovery: float            # weekly pull of wellbeing toward circumstances
    capability: float          # share of a support gain that lastingly moves circumstances
    pull: float                # weekly pull of circumstances toward the structural position


@kernel
def _apply_change(x, c, z, spill, active, gain, events, rates):
    """One pass over citizens: support (rows of ``gain`` for ``active``, ascending), life events
    (``events``, ascending in ``hit``) and recovery move wellbeing ``x``, spilling across domains;
    circumstances ``c`` take part of the gain and are pulled toward the structural position ``z``.
    Writes ``x`` and ``c`` in place."""
    n, d = x.shape[0], N_DOMAINS
    inter, recovery, capability, pull = rates.interdependence, rates.recovery, rates.capability, rates.pull
    hit, domain, severity = events.hit, events.domain, events.severity
    direct = np.empty(d)
    g = np.zeros(d)
    a = 0
    h = 0
    for i in range(n):
        has_gain = a < active.size and active[a] == i
        for j in range(d):
            g[j] = gain[a, j] if has_gain else 0.0
            direct[j] = g[j] + recovery * (c[i, j] - x[i, j])
        if h < hit.size and hit[h] == i:
            direct[domain[h]] -= severity[h]
            h += 1
        for j in range(d):
            total = direct[j]
            if inter > 0.0:
                for e in range(d):
                    total += inter * spill[i, j, e] * direct[e]
            x[i, j] = min(max(x[i, j] + total, 0.0), 1.0)
            c[i, j] = min(max(c[i, j] + capability * max(g[j], 0.0) + pull * (z[i, j] - c[i, j]), 0.0), 1.0)
        if has_gain:
            a += 1


@writes("citizens.wellbeing", "citizens.circumstances")
def apply_change(c: Citizens, w: World, active: np.ndarray, support_gain: np.ndarray, events: LifeEvents) -> None:
    """Move wellbeing: support (``support_gain``, one row per ``active`` citizen), life events and
    recovery, spilling across domains; circumstances recover toward the citizen's structural
    position, and part of what support builds lasts.

    Writes ``c.wellbeing`` and ``c.circumstances``."""
    rates = ChangeRates(interdependence=w.interdependence, recovery=w.recovery_rate, capability=w.capability_gain,
                        pull=w.structural_pull)
    _apply_change(c.wellbeing, c.circumstances, c.structural, c.spill, active, support_gain,
                  EventRows(events.hit, events.domain, events.severity), rates)
