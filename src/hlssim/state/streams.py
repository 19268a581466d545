"""Common random numbers: one independent random stream per kind of event or decision.

Citizens, life events, crises and help-seeking draw from their own streams, with
the same shapes every week whatever the regime does, so that with the same seed
every regime faces the same people and the same luck (as Starsim does). Regime
decisions draw from other streams and cannot shift the citizens' ones.
"""

from __future__ import annotations

import numpy as np

STREAM_NAMES = (
    "population",   # who the citizens are
    "life_events",  # shocks, drift in what matters and in what works
    "crisis",       # whether a low domain tips into a crisis this week
    "demand",       # whether a citizen in need asks for help this week
    "assessment",   # noise in assessments and measurements
    "workforce",    # who the workers are, and who replaces a leaver
    "turnover",     # whether a worker leaves this week
    "choice",       # workers' exploration and tie-breaking
    "observation",  # how clearly a pair sees what support did
    "inspection",   # whether a record is audited
    "market",       # providers' strategies, imitation and mutation
    "arrivals",     # who moves into the place when a resident leaves
    "practice",     # workers' skill and favoured option at hire; bad practice arising and being caught
    "queue",        # whether someone waiting gives up
    "followup",     # whether a closed case's account is taken independently
)


class Streams:
    """Named generators spawned in a fixed order from one seeded generator."""

    def __init__(self, rng: np.random.Generator):
        children = rng.spawn(len(STREAM_NAMES))
        for name, child in zip(STREAM_NAMES, children, strict=True):
            setattr(self, name, child)

    population: np.random.Generator
    life_events: np.random.Generator
    crisis: np.random.Generator
    demand: np.random.Generator
    assessment: np.random.Generator
    workforce: np.random.Generator
    turnover: np.random.Generator
    choice: np.random.Generator
    observation: np.random.Generator
    inspection: np.random.Generator
    market: np.random.Generator
    arrivals: np.random.Generator
    practice: np.random.Generator
    queue: np.random.Generator
    followup: np.random.Generator
