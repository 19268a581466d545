"""Running counts and sums for this week and for the whole run."""

from __future__ import annotations

from collections import defaultdict


class Ledger:
    def __init__(self):
        self.total: dict[str, float] = defaultdict(float)
        self.week: dict[str, float] = defaultdict(float)

    def new_week(self) -> None:
        self.week = defaultdict(float)

    def add(self, name: str, value: float) -> None:
        self.week[name] += value
        self.total[name] += value
