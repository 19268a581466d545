"""What can go wrong with the store, in two kinds the CLI reports differently."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store could not be opened, read or written (exit code 1)."""


class StoreInputError(ValueError):
    """Bad input about the store: a malformed URL, an unknown run id (exit code 2)."""
