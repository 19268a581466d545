"""What the accountability system measures: the proxy, the mean wellbeing of the measured domains.

One definition, used at assessment, when a case opens, by workers weighing a case's chance of
a proxy success, and at closing (docs/ODD.md, sections 7.3, 7.4 and 7.8).
"""

from __future__ import annotations

import numpy as np


def unit_noise(rng: np.random.Generator, shape) -> np.ndarray:
    """Mean-0, s.d.-1 noise, uniform rather than normal: a quarter of the cost of a normal draw, for the
    service's many small misreadings, where the spread matters and the shape of the tails does not."""
    noise = rng.random(shape, dtype=np.float32)
    noise -= np.float32(0.5)
    noise *= np.float32(np.sqrt(12.0))
    return noise


def measured_level(levels: np.ndarray, measured: tuple[int, ...]) -> np.ndarray:
    """Mean level of the measured domains, one value per row of ``levels`` (n, D)."""
    return levels[:, list(measured)].mean(axis=1)
