"""Fronts of designs: which designs no other beats, how much of the objective space they cover, and which a
report names.

Every objective is turned into one to lower (a reading to raise is negated), so one rule serves all:

- **epsilon-box front** (Laumanns et al. 2002, as Platypus's archive keeps it): each objective is cut into boxes
  ``epsilon`` wide, at most one design is kept per box (the one nearest the box's best corner), and a box that
  another box beats on every objective is dropped. No design on it is beaten on every objective by another
  (a design that beats another lies in a box at least as good on every objective), and two designs closer than
  the epsilons that matter are not both kept;
- **hypervolume**: the share of the box between the best and worst values seen that the front beats,
  estimated on a fixed scrambled Sobol sample of 2^14 points (so two fronts are measured on the same points,
  and a change between generations is not sampling noise; about 0.5% of the whole box either way);
- **additive epsilon indicator** in units of each objective's epsilon: how far a design (a shipped preset)
  is behind the front, or 0 or less when nothing on the front beats it on every objective.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

QMC_POINTS = 2 ** 14


def to_lower(values: np.ndarray, better: Sequence[str]) -> np.ndarray:
    """Objective values (rows: designs) turned so that lower is better in every column."""
    signs = np.array([-1.0 if b == "higher" else 1.0 for b in better])
    return np.asarray(values, dtype=float) * signs


def dominated(points: np.ndarray) -> np.ndarray:
    """For points to lower, whether each is beaten by another: no worse on every objective, better on one."""
    n = len(points)
    out = np.zeros(n, dtype=bool)
    for i in range(n):
        no_worse = (points <= points[i]).all(axis=1)
        better = (points < points[i]).any(axis=1)
        out[i] = bool((no_worse & better).any())
    return out


def epsilon_front(points: np.ndarray, epsilons: Sequence[float]) -> np.ndarray:
    """Indices of the epsilon-box front of points to lower (rows with a NaN are left out), in input order."""
    points = np.asarray(points, dtype=float)
    usable = np.flatnonzero(~np.isnan(points).any(axis=1))
    if usable.size == 0:
        return usable
    eps = np.asarray(epsilons, dtype=float)
    scaled = points[usable] / eps
    boxes = np.floor(scaled)
    corner = np.sqrt(((scaled - boxes) ** 2).sum(axis=1))
    keep: dict[tuple, int] = {}
    for j, box in enumerate(map(tuple, boxes)):
        if box not in keep or corner[j] < corner[keep[box]]:
            keep[box] = j
    chosen = np.array(sorted(keep.values()))
    beaten = dominated(boxes[chosen])
    return usable[chosen[~beaten]]


def pareto_front(points: np.ndarray) -> np.ndarray:
    """Indices of the points to lower that no other beats on every objective (rows with a NaN left out)."""
    points = np.asarray(points, dtype=float)
    usable = np.flatnonzero(~np.isnan(points).any(axis=1))
    return usable[~dominated(points[usable])]


def _sobol_points(k: int) -> np.ndarray:
    from scipy.stats import qmc
    return qmc.Sobol(d=k, scramble=True, seed=20).random(QMC_POINTS)


def hypervolume(points: np.ndarray, ideal: np.ndarray, nadir: np.ndarray) -> float:
    """The share of the box [ideal, nadir] (points to lower) that some point beats, on a fixed Sobol sample."""
    points = np.asarray(points, dtype=float)
    if points.size == 0:
        return 0.0
    width = np.where(nadir > ideal, nadir - ideal, 1.0)
    scaled = (points - ideal) / width
    sample = _sobol_points(points.shape[1])
    covered = np.zeros(len(sample), dtype=bool)
    for p in scaled:
        covered |= (sample >= p).all(axis=1)
    return float(covered.mean())


def behind(point: np.ndarray, front: np.ndarray, epsilons: Sequence[float]) -> tuple[float, int]:
    """How far a point (to lower) is behind the front, in epsilons: the largest margin by which one design on the
    front beats it on every objective at once, and which design that is. A margin of 0 or less: nothing on the
    front beats it on every objective (it is on the front)."""
    if len(front) == 0 or np.isnan(point).any():
        return math.nan, -1
    margins = ((point - front) / np.asarray(epsilons, dtype=float)).min(axis=1)
    best = int(np.argmax(margins))
    return float(margins[best]), best


def balance(points: np.ndarray) -> int:
    """The design nearest the ideal point once every objective is scaled from its best to its worst value on
    the front: the compromise that gives up least on every objective at once."""
    low, high = points.min(axis=0), points.max(axis=0)
    scaled = (points - low) / np.where(high > low, high - low, 1.0)
    return int(np.argmin(np.sqrt((scaled ** 2).sum(axis=1))))
