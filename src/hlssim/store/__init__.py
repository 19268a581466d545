"""The results store: every run kept in a database that people can query, share and reload.

Modules: ``schema`` (tables), ``database`` (URL, engine, integrity check, migrations), ``runs``
(save and load), ``series`` (what a series is, where it departs from its scenario file, what
differs between two), ``batch`` (run what is not yet stored), ``export`` (files for other tools).
Alembic migrations live in ``migrations/``.
"""

from .errors import StoreError, StoreInputError, StoreMissing
from .runs import Store, StoredRun, load, load_runs, load_timeseries, open_store

__all__ = ["Store", "StoreError", "StoreInputError", "StoreMissing", "StoredRun", "load", "load_runs",
           "load_timeseries", "open_store"]
