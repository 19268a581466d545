"""The results store: every run kept in a database that people can query, share and reload.

Modules: ``schema`` (tables), ``database`` (URL, engine, integrity check, migrations), ``runs``
(save and load), ``series`` (what a series is, where it departs from its scenario file, what
differs between two), ``batch`` (run what is not yet stored), ``export`` (files for other tools).
Alembic migrations live in ``migrations/``.

The error kinds load at once; ``Store`` and the loaders (with pandas and SQLAlchemy under them) on
first use, so a command that only needs to name a store error (``hlssim --help``, a bad argument)
does not wait for them.
"""

from .errors import StoreError, StoreInputError, StoreMissing

_LAZY = ("Store", "StoredRun", "load", "load_runs", "load_timeseries", "open_store")


def __getattr__(name):
    if name in _LAZY:
        from . import runs
        value = getattr(runs, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Store", "StoreError", "StoreInputError", "StoreMissing", "StoredRun", "load", "load_runs",
           "load_timeseries", "open_store"]
