"""What can go wrong with the store, in the kinds the CLI reports differently."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store could not be opened, read or written, or is damaged (exit code 1)."""


class StoreInputError(ValueError):
    """Bad input about the store: a malformed URL, an unknown run id, a path that cannot hold a store (exit code 2)."""


class StoreMissing(StoreInputError):
    """A command that only reads was pointed at a store that does not exist (it is never created for a read)."""

    def __init__(self, where: str, why: str = "nothing has been run here yet"):
        self.where = where
        super().__init__(f"no store at {where} ({why}; --db or $HLSSIM_DB names another)")
