"""The results store: every run kept in a database that people can query, share and reload.

Modules: ``schema`` (tables), ``database`` (URL, engine, migrations), ``runs`` (save and load),
``batch`` (run what is not yet stored), ``export`` (files for other tools). Alembic migrations
live in ``migrations/``.
"""

from .errors import StoreError, StoreInputError
from .runs import Store, StoredRun, load, load_runs, load_timeseries, open_store

__all__ = ["Store", "StoreError", "StoreInputError", "StoredRun", "load", "load_runs", "load_timeseries",
           "open_store"]
