"""A mechanism's contract: the state it may change, declared on the line above it (docs/ODD.md, section 3).

    @writes("citizens.trust", "citizens.agency", "ledger")
    def update(c: Citizens, ...):

Its signature says what it reads; ``@writes`` says what it may change, as ``group.field``
(``citizens.*`` for every field of a group; ``ledger`` and ``case_log`` whole). The marker
costs nothing at run time. ``tests/test_contract.py`` runs whole simulations with every
marked mechanism watched, and fails if one changes state it did not declare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def writes(*targets: str) -> Callable[[F], F]:
    """Declare the state a mechanism may change (none: a pure function of its arguments)."""
    def mark(fn: F) -> F:
        fn.writes = frozenset(targets)
        return fn
    return mark
