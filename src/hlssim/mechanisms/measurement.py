"""What the accountability system measures: the proxy, the mean wellbeing of the measured domains.

One definition, used at assessment, when a case opens, by workers weighing a case's chance of
a proxy success, and at closing (docs/ODD.md, sections 7.3, 7.4 and 7.8). Compiled, so the
mechanisms' kernels call it row by row.
"""

from __future__ import annotations

from ..util.compiled import kernel


@kernel
def measured_level(levels, i, measured):
    """Mean level of the measured domains (indices ``measured``) in row ``i`` of ``levels`` (n, D)."""
    total = 0.0
    for m in measured:
        total += levels[i, m]
    return total / measured.size
