"""Scenario discovery: PRIM boxes (EMA Workbench) saying in which part of the explored space something holds.

PRIM peels the space of uncertain parameters down to a box where the points of interest (say,
"HLS ahead of NPM on flourishing gain per pound") are dense. Every box along the peeling
trajectory trades coverage (the share of all points of interest inside the box) against density
(the share of points inside the box that are of interest); the box reported is the one with the
best balance, the highest harmonic mean of the two (fewer restrictions on a tie). The whole
trajectory is written out, so a reader can pick another.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .choices import CHOICES


@dataclass
class Box:
    """One PRIM box: what it is about, how good it is, and its limits on the restricted parameters."""

    label: str
    points: int                      # design points PRIM saw
    cases: int                       # of which of interest
    coverage: float = np.nan
    density: float = np.nan
    mass: float = np.nan
    limits: dict[str, Any] = field(default_factory=dict)   # parameter -> (low, high), or a set for a category
    qp: dict[str, float] = field(default_factory=dict)     # quasi-p-value of each restriction (small: not chance)
    trajectory: pd.DataFrame | None = None

    @property
    def found(self) -> bool:
        return self.cases >= too_few(self.points)

    def describe(self) -> str:
        """The box in words: its restrictions (or the whole space) with coverage and density."""
        if not self.cases:
            return f"{self.label}: at none of the {self.points} points"
        if not self.found:
            return (f"{self.label}: at only {self.cases} of {self.points} points, too few for PRIM to describe a "
                    "region (they are in point_means.csv)")
        where = "; ".join(f"{_limit_text(k, v)} (qp {self.qp[k]:.2g})" if np.isfinite(self.qp.get(k, np.nan))
                          else _limit_text(k, v) for k, v in self.limits.items()) or "the whole space explored"
        return (f"{self.label}: {where} (coverage {self.coverage:.2f}, density {self.density:.2f}, "
                f"{self.mass:.0%} of points; {self.cases} of {self.points} points of interest)")


def _limit_text(key: str, value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return f"{key} in {{{', '.join(sorted(map(str, value)))}}}"
    low, high = value
    return f"{low:.3g} <= {key} <= {high:.3g}"


def too_few(points: int) -> int:
    """The fewest points of interest PRIM is asked to describe: 5, or 5% of the points if more."""
    return max(CHOICES.min_cases, math.ceil(CHOICES.min_case_share * points))


def _prim():
    """EMA Workbench's PRIM, imported quietly (its optional back-ends warn on import)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def find_box(x: pd.DataFrame, of_interest: np.ndarray, label: str) -> Box:
    """The PRIM box around the points of interest (a boolean per row of ``x``)."""
    of_interest = np.asarray(of_interest, dtype=bool)
    box = Box(label=label, points=len(x), cases=int(of_interest.sum()))
    if not box.found:
        return box
    prim = _prim()
    # Whole numbers go in as floats: EMA Workbench 3.0.0's pasting writes half-way limits (6.5) into an
    # int64 frame, which pandas 3 refuses (quaquel/EMAworkbench#448, fixed after 3.0.0 by #451).
    numbers = x.select_dtypes("number").columns
    x = x.reset_index(drop=True).astype({c: float for c in numbers})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = prim.Prim(x, of_interest, peel_alpha=CHOICES.peel_alpha, mass_min=CHOICES.mass_min).find_box()
        trajectory = found.peeling_trajectory.copy()
        balance = 2 * trajectory.coverage * trajectory.density / (trajectory.coverage + trajectory.density)
        i = int(balance.round(12).idxmax())          # first (fewest restrictions) of the best
        found.select(i)
        stats, limits = found.inspect(i, style="data")[0]
    box.coverage, box.density, box.mass = float(stats.coverage), float(stats.density), float(stats.mass)
    box.trajectory = trajectory.assign(balance=balance, chosen=trajectory.index == i)
    for key in limits.index:
        low, high = limits.loc[key].iloc[0], limits.loc[key].iloc[1]
        box.limits[key] = low if isinstance(low, (set, frozenset)) else (_plain(low), _plain(high))
        p_values = [float(v) for v in limits.loc[key].iloc[2:] if pd.notna(v)]
        box.qp[key] = max(p_values) if p_values else np.nan
    return box


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, (np.integer,)) else float(value) if isinstance(value, np.floating) else value


def boxes_table(boxes: list[Box]) -> pd.DataFrame:
    """One row per box and restricted parameter (one row with no parameter for an unrestricted or empty box)."""
    rows = []
    for b in boxes:
        head = {"box": b.label, "points": b.points, "cases": b.cases, "coverage": b.coverage,
                "density": b.density, "mass": b.mass}
        limits = b.limits or {None: None}
        for key, value in limits.items():
            low, high = (value if isinstance(value, tuple) else (None, None))
            rows.append({**head, "parameter": key, "low": low, "high": high,
                         "categories": ", ".join(sorted(map(str, value))) if isinstance(value, (set, frozenset))
                         else None, "qp": b.qp.get(key, np.nan) if key else np.nan})
    return pd.DataFrame(rows)


def trajectories_table(boxes: list[Box]) -> pd.DataFrame:
    frames = [b.trajectory.assign(box=b.label) for b in boxes if b.trajectory is not None]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["box"])
