"""Running counts and sums, for this week and the whole run, under names the mechanisms declare.

Mechanisms book what they did (cases opened, hours spent, £ paid); the outputs layer reads the
books. Each mechanism module declares its names in ``BOOKS`` (``state/books.py``); the ledger is
made with all of them (``mechanisms.book_names()``), so a misspelt name fails at once instead of
reading as 0.
"""

from __future__ import annotations

from collections.abc import Iterable


class Ledger:
    """``week`` and ``total`` map every declared name to a running sum; ``add`` books to both."""

    def __init__(self, names: Iterable[str]):
        self.names: tuple[str, ...] = tuple(names)
        self.total: dict[str, float] = dict.fromkeys(self.names, 0.0)
        self.week: dict[str, float] = dict.fromkeys(self.names, 0.0)

    def new_week(self) -> None:
        self.week = dict.fromkeys(self.names, 0.0)

    def add(self, name: str, value: float) -> None:
        if name not in self.week:
            raise KeyError(f"ledger: {name!r} is not a declared ledger name (declare it in its mechanism module's "
                           "BOOKS, state/books.py)")
        self.week[name] += value
        self.total[name] += value
