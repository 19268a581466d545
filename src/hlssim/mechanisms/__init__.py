"""Mechanisms: what happens each week, one module per family, each a set of functions with a contract.

A mechanism function takes the pieces of state it reads and writes (``Citizens``, ``Workers``,
``Teams``, ``Providers``, ``Evidence``, the ``Ledger`` ...), the parameters and practice
settings it reads, and the random stream it draws from; it returns what it computes for later
steps instead of leaving it on the model. ``@writes(...)`` on the line above it declares the
state it may change (``contract``; ``tests/test_contract.py`` holds every mechanism to it).
None of them imports the model, so each can be run on a small hand-built state
(``tests/test_units.py``).
The weekly order is ``hlssim.model.service.ServiceModel.step`` (docs/architecture.md). Each module's
docstring says what happens and names the ODD section that describes it (a module that names none is
described by its docstring, ODD 7.16); its ``BOOKS`` say what it counts (``state/books.py``).
docs/architecture.md lists the modules (generated: ``make docs``).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ..state.books import Book


@cache
def books() -> tuple[Book, ...]:
    """Every mechanism module's declared books (its module-level ``BOOKS``), module by module in name order:
    the ledger's names, the weekly columns read off it and the funder's spend and crisis cost all come from
    here (``state/books.py``), so a new module's books need no edit anywhere else."""
    found: dict[str, str] = {}
    out: list[Book] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for book in getattr(module, "BOOKS", ()):
            if book.name in found:
                raise ValueError(f"ledger name {book.name!r} declared twice: in {found[book.name]} and {info.name}")
            found[book.name] = info.name
            out.append(book)
    return tuple(out)


def book_names() -> tuple[str, ...]:
    """The ledger's names (``state.Ledger`` takes them)."""
    return tuple(book.name for book in books())
