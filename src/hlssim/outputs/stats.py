"""Summaries across seeds: a median with the 10th and 90th percentiles, never a lone point."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

LOW, HIGH = 10, 90   # the percentiles shown beside each median


class Spread(NamedTuple):
    median: float
    low: float    # 10th percentile
    high: float   # 90th percentile


def spread(values: Iterable[float]) -> Spread:
    """Median and 10th-90th percentiles, ignoring NaN (all NaN gives NaN)."""
    arr = np.asarray(list(values), dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return Spread(math.nan, math.nan, math.nan)
    low, mid, high = np.percentile(arr, [LOW, 50, HIGH])
    return Spread(float(mid), float(low), float(high))
