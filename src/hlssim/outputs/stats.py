"""Summaries across seeds: a median with the 10th and 90th percentiles, never a lone point."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

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


def paired_differences(a: pd.DataFrame, b: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Per summary key: medians of A and B and the distribution of B - A over the seeds both have.

    ``a`` and ``b`` are indexed by seed and hold the same seeds in the same order.
    """
    rows = {}
    for key in keys:
        diff = (b[key] - a[key]).to_numpy(dtype=float)
        mid, low, high = spread(diff)
        valid = diff[~np.isnan(diff)]
        rows[key] = {
            "A": spread(a[key]).median,
            "B": spread(b[key]).median,
            "B-A median": mid,
            f"B-A p{LOW}": low,
            f"B-A p{HIGH}": high,
            "B>A share": float((valid > 0).mean()) if valid.size else math.nan,
        }
    return pd.DataFrame(rows).T
