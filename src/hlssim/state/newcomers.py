"""Residents drawn ahead of their arrival: a batch at a time, taken in order as places free up.

Drawing a few newcomers every week costs a dozen small draws each time; drawing them in batches
from the same ``arrivals`` stream costs one set of draws per batch. How many move in each week
depends only on the citizens' own streams, so every regime still meets the same newcomers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Newcomers:
    lives: dict[str, np.ndarray] = field(default_factory=dict)   # drawn lives not yet arrived
    taken: int = 0                                               # how many of them have arrived
    batch: int = 256                                             # newcomers drawn at a time (structural)

    def take(self, count: int, draw: Callable[[int], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
        """The next ``count`` newcomers, drawing a new batch (at least ``batch``) when these run out."""
        left = len(next(iter(self.lives.values()))) - self.taken if self.lives else 0
        if left < count:
            fresh = draw(max(self.batch, count))
            self.lives = ({name: np.concatenate([values[self.taken:], fresh[name]]) for name, values in
                           self.lives.items()} if left else fresh)
            self.taken = 0
        out = {name: values[self.taken:self.taken + count] for name, values in self.lives.items()}
        self.taken += count
        return out
