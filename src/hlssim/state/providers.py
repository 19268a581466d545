"""Provider organisations as numpy arrays, one row each: budget share and the strategy the market selects."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

STRATEGIES = ("push", "selectivity", "investment")
PERIOD_COUNTS = ("closures", "reported", "reported_value", "misreported", "voiced", "team_weeks")
# A provider's own books by payment group at intake (stable, complex, SMD), summed since the start: what its
# cases cost (£: staff time and service money), how long they ran and how many were recorded as successes.
PROVIDER_BOOKS = ("case_weeks", "cost", "closures", "closed_weeks", "recorded")


@dataclass
class Providers:
    """Provider organisations: their budget share and the strategy the market selects on.

    Strategies are in [0, 1] with 0.5 neutral: ``push`` scales how hard managers lean on
    workers to score on the funder's measure, ``selectivity`` how far intake favours easy
    cases, ``investment`` how much time goes to relationships and learning.
    """

    budget_share: np.ndarray
    push: np.ndarray
    selectivity: np.ndarray
    investment: np.ndarray
    score: np.ndarray = field(default=None)
    period: dict = field(default=None)     # name -> (P,) sums over the current re-commissioning period
    misreport_share: np.ndarray = field(default=None)  # (P,) share of last period's claimed successes misreported
    books: dict = field(default=None)      # name -> (P, 3) running sums by payment group (PROVIDER_BOOKS)
    steer: np.ndarray = field(default=None)  # (P, 3) how fully each group is taken on and resourced (1 = fully)

    def __post_init__(self):
        p = self.budget_share.shape[0]
        self.score = np.zeros(p)
        self.misreport_share = np.zeros(p)
        self.books = {name: np.zeros((p, 3)) for name in PROVIDER_BOOKS}
        self.steer = np.ones((p, 3))
        self.reset_period()

    def reset_period(self) -> None:
        p = self.budget_share.shape[0]
        self.period = {name: np.zeros(p) for name in PERIOD_COUNTS}

    @property
    def count(self) -> int:
        return self.budget_share.shape[0]
