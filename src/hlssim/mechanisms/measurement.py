"""What the accountability system measures: the proxy, the mean wellbeing of the measured domains.

One definition, used at assessment, when a case opens, by workers weighing a case's chance of
a proxy success, and at closing (docs/ODD.md, sections 7.3, 7.4 and 7.8).
"""

from __future__ import annotations

import numpy as np


def measured_level(levels: np.ndarray, measured: tuple[int, ...]) -> np.ndarray:
    """Mean level of the measured domains, one value per row of ``levels`` (n, D)."""
    # Column by column, in order: the same sums as levels[:, measured].mean(axis=1), without the copy.
    total = levels[:, measured[0]].copy()
    for j in measured[1:]:
        total += levels[:, j]
    return total / len(measured)
