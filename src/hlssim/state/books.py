"""What a mechanism books and shows, declared once, beside the mechanism that books it.

Each mechanism module lists its ledger entries in a module-level ``BOOKS`` tuple of :class:`Book`.
From those declarations alone come the ledger's names (``Ledger``), the weekly columns read straight
off the ledger (``outputs.metrics.week_row``), what counts in the funder's spend and in crisis cost
(``outputs.metrics.spend`` and ``crisis_cost``), readers' labels and units (``reports.keys``), when a
column is n/a (``outputs.applicability``) and the generated tables of docs/metrics.md and docs/ODD.md
(``reports.reference``). A new mechanism declares its books here and touches none of those files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Units of weekly columns, spelt once (reports.keys uses the same strings).
GBP_WEEK = "£ per week"
COUNT = "count"
NO_SERVICE = "true_success_rate"   # a summary key that is n/a exactly when there is no service at all


@dataclass(frozen=True)
class Shown:
    """A weekly column that is the week's ledger value of a book, for readers.

    ``na_with`` names the summary key whose n/a the column shares (by default: n/a only when there is no
    service); a column of its own mechanism's can instead say when it ``cannot_act`` under a run's
    parameters (a function of ``Params``: True where the mechanism is switched off)."""

    label: str
    unit: str
    doc: str
    column: str | None = None                      # default: the book's own name
    na_with: str | None = NO_SERVICE
    cannot_act: Callable[[Any], bool] | None = None
    integer: bool = True                           # shown as a whole number (counts), else as a float (£)


@dataclass(frozen=True)
class Book:
    """A running count or sum a mechanism adds to the ledger each week (``Ledger.add``).

    ``spend`` is +1 where the funder pays it, -1 where it is withheld from what the funder pays, 0
    otherwise; ``crisis`` marks the cost of crisis services (the whole public cost is the funder's spend
    plus crisis cost). ``shown`` makes it a weekly column."""

    name: str
    unit: str
    doc: str
    spend: int = 0
    crisis: bool = False
    shown: Shown | None = None

    def __post_init__(self):
        if self.spend not in (-1, 0, 1):
            raise ValueError(f"book {self.name!r}: spend must be -1, 0 or +1, not {self.spend!r}")

    @property
    def column(self) -> str | None:
        """The weekly column this book is shown as, if any."""
        return None if self.shown is None else (self.shown.column or self.name)


def money(name: str, doc: str, spend: int = 0, crisis: bool = False, label: str | None = None,
          column: str | None = None, na_with: str | None = NO_SERVICE, shown: bool = True) -> Book:
    """A £ sum, shown weekly as £ a week unless ``shown`` is False."""
    return Book(name, "£", doc, spend, crisis,
                Shown(label or doc, GBP_WEEK, doc, column, na_with, integer=False) if shown else None)


def count(name: str, unit: str, doc: str, label: str | None = None, na_with: str | None = NO_SERVICE,
          column: str | None = None, shown: bool = True) -> Book:
    """A count of people, cases or events, shown weekly as a count unless ``shown`` is False."""
    return Book(name, unit, doc, shown=Shown(label or doc, COUNT, doc, column, na_with) if shown else None)


def tally(name: str, unit: str, doc: str) -> Book:
    """A running sum the outputs read but nobody sees week by week (hours, case-weeks, worker-weeks)."""
    return Book(name, unit, doc)
