"""The analysis choices reports make, in one place: not model parameters, but numbers a reader of a
figure or table may want to know (and a researcher to change)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choices:
    window: int = 13              # weeks over which weekly rates are read: a target period
    weekly_keys: tuple[str, ...] = ("flourishing_mean", "waiting", "parked_share", "burnout_share", "trust_mean",
                                    "crisis_cost")    # weekly measures a figure draws unless told otherwise
    confidence: float = 0.90      # level of the t intervals on paired differences in a sweep
    peel_alpha: float = 0.05      # PRIM: share of points peeled off at each step (EMA Workbench's default)
    mass_min: float = 0.05        # PRIM: smallest share of points a box may hold (EMA Workbench's default)
    min_cases: int = 5            # fewer points of interest than this (or than min_case_share of all points)...
    min_case_share: float = 0.05  # ...describe no region: PRIM draws no box
    brief_floor: float = 0.005    # "In brief" leaves out a difference smaller than half a point of a 0-1 scale
                                  # (or 0.5% of a level in £, weeks or leavers; 0.5% of the population waiting)
    exact_values: int = 8         # a swept parameter with at most this many values is shown value by value...
    bins: int = 5                 # ...otherwise its range is cut into this many equal bins


CHOICES = Choices()
