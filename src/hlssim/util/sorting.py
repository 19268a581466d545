"""A stable argsort at the speed of numpy's default sort.

The queue is ranked by sorting, and ties (people who asked in the same week, or were assessed
alike) must keep one order on every machine. numpy's stable sort is timsort/mergesort; its
default sort uses SIMD on newer CPUs and is several times faster, but orders ties as it likes.
Sorting fast and then putting each run of ties back in position order gives exactly the stable
order (which is unique), for a sixth of the cost on 24,000 floats.
"""

from __future__ import annotations

import numpy as np

from .compiled import kernel


def stable_ranks(values: np.ndarray) -> np.ndarray:
    """Each value's place (0, 1, ...) in the stable order: the inverse of :func:`stable_argsort`.
    Integers spanning a small range (weeks waited) are counted, not sorted."""
    if values.dtype.kind in "iu" and values.size:
        low, high = values.min(), values.max()
        if high - low < 4 * values.size + 1024:
            return _counted_ranks(values, low, high)
    return _inverse(stable_argsort(values))


@kernel
def _counted_ranks(values, low, high):
    """Stable ranks of integers in [low, high] by counting: a value's place is the number of smaller
    values plus the number of equal ones before it."""
    starts = np.zeros(high - low + 2, dtype=np.int64)
    for v in values:
        starts[v - low + 1] += 1
    for k in range(1, starts.size):
        starts[k] += starts[k - 1]
    ranks = np.empty(values.size, dtype=np.int64)
    for k in range(values.size):
        v = values[k] - low
        ranks[k] = starts[v]
        starts[v] += 1
    return ranks


@kernel
def _inverse(order):
    ranks = np.empty(order.size, dtype=np.int64)
    for place in range(order.size):
        ranks[order[place]] = place
    return ranks


def stable_argsort(values: np.ndarray) -> np.ndarray:
    """The same as ``np.argsort(values, kind="stable")`` (for values without NaN), faster."""
    if values.dtype.kind in "iu" and values.size and values.min() >= -(2**15) and values.max() < 2**15:
        return values.astype(np.int16).argsort(kind="stable")     # small integers: numpy's radix sort
    order = values.argsort()
    _ties_in_position_order(values, order)
    return order


@kernel
def _ties_in_position_order(values, order):
    """Within each run of equal values in ``order``, sort the positions ascending (in place)."""
    n = order.size
    start = 0
    while start < n:
        end = start + 1
        while end < n and values[order[end]] == values[order[start]]:
            end += 1
        if end - start > 16:
            order[start:end] = np.sort(order[start:end])
        else:                          # short runs, the usual case: insertion sort in place, no allocation
            for k in range(start + 1, end):
                position = order[k]
                j = k
                while j > start and order[j - 1] > position:
                    order[j] = order[j - 1]
                    j -= 1
                order[j] = position
        start = end
