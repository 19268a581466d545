"""Saving and loading runs: one transaction per run, idempotent by run key, back into pandas.

A run is written in one transaction after it has finished, so a run that is interrupted
or killed leaves nothing behind; one that raises is kept as ``failed`` with its error and
replaced by a later good attempt. Storing the same run (same run key) twice returns the first.
Commands that only read open a store with ``create=False``: no file or table is made for them.
Every database error leaves here as one line (:class:`StoreError`), damage named as such.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ..experiments.runner import Outcome, RunSpec
from ..params import ParameterError, Params, resolve
from ..util.jsonsafe import json_safe
from .database import check_integrity, create_engine, failure, masked, migrate, schema_version, sqlite_file
from .errors import StoreInputError, StoreMissing
from .schema import COMPLETE, FAILED, RUN_COLUMNS, runs, summaries, timeseries
from .series import Identity, file_of, series_id, spec_departures

HOLD_WRITE_ENV = "HLSSIM_TEST_HOLD_WRITE"   # fault injection for tests: seconds to wait inside the write
HOLD_AFTER_ENV = "HLSSIM_TEST_HOLD_AFTER_WRITE"   # ... and after a run is stored, before the next one


def _hold(variable: str, doing: str) -> None:
    """Fault injection for tests: with ``$variable`` set, say so on stderr (the event a test waits for) and
    wait that many seconds, so the test can kill the process at a known point."""
    hold = os.environ.get(variable)
    if hold:
        print(f"hlssim: {doing} for {hold}s (test hook)", file=sys.stderr, flush=True)
        time.sleep(float(hold))


@dataclass
class StoredRun:
    """A run loaded back from the store: the same .summary, .timeseries, .params and .provenance as a fresh run."""

    run_id: int
    scenario: str
    seed: int
    weeks: int
    status: str
    summary: dict[str, float]
    timeseries: pd.DataFrame
    params: Params | None
    params_dict: dict[str, Any]
    overrides: dict[str, Any]
    provenance: dict[str, Any]
    regime: str | None = None
    run_key: str = ""
    series_key: str = ""
    code_version: str = ""
    git_commit: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    error: str | None = None
    scenario_file: str | None = None
    description: str | None = None
    identity: Identity | None = None

    @property
    def series_id(self) -> str:
        return series_id(self.series_key)


def _frame_from_json(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows)
    for column in frame.columns:
        if frame[column].dtype == object and all(v is None or isinstance(v, float) for v in frame[column]):
            frame[column] = frame[column].astype(float)
    return frame


class Store:
    """A results store at a SQLAlchemy URL; opening it checks it and brings its schema up to date.

    ``create=False`` (for commands that only read) never makes a store: a SQLite file or a
    database without hlssim's tables raises :class:`StoreMissing`. An existing SQLite file is
    checked with ``PRAGMA quick_check`` first; a damaged one is refused and left as it is."""

    def __init__(self, db: str | os.PathLike | None = None, upgrade: bool = True, create: bool = True):
        self.engine = create_engine(db, create=create)
        self.url = masked(self.engine.url)
        self.path = sqlite_file(self.engine.url)
        try:
            if self.path is not None:
                check_integrity(self.path)
            if not create and self._empty():
                raise StoreMissing(str(self.path or self.url), "it holds no hlssim results yet")
            if upgrade:
                migrate(self.engine)
        except OperationalError as err:
            self.engine.dispose()
            raise failure(self.url, self.path, err, "open") from None
        except SQLAlchemyError as err:
            self.engine.dispose()
            raise failure(self.url, self.path, err, "prepare") from None
        except BaseException:
            self.engine.dispose()
            raise

    def _empty(self) -> bool:
        """No hlssim tables here (an empty file or database)."""
        if self.path is not None and self.path.stat().st_size == 0:
            return True
        return schema_version(self.engine) is None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to read with; a database error leaves as one line naming the store."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as err:
            raise failure(self.url, self.path, err, "read") from None

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction to write in; an IntegrityError (a row another process wrote first) passes
        through for the caller, any other database error leaves as one line."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise
        except SQLAlchemyError as err:
            raise failure(self.url, self.path, err, "write to") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def schema_version(self) -> str | None:
        try:
            return schema_version(self.engine)
        except SQLAlchemyError as err:
            raise failure(self.url, self.path, err, "read") from None

    # ----------------------------------------------------------------- writing

    def find(self, key: str) -> tuple[int, str] | None:
        """The id and status of the run with this run key, if stored."""
        with self.reading() as conn:
            row = conn.execute(sa.select(runs.c.id, runs.c.status).where(runs.c.run_key == key)).first()
        return (row.id, row.status) if row else None

    def save(self, spec: RunSpec, outcome: Outcome, scenario_diff: dict[str, Any] | None = None) -> tuple[int, bool]:
        """Store one run in one transaction; returns (run id, whether it was written now).

        A completed run with the same run key is never duplicated or overwritten: its id is
        returned. A failed run is replaced by a later attempt. ``scenario_diff`` is where the
        run departs from its scenario file (see ``store.series``); read off the file now if not given.
        """
        key = spec.run_key
        if scenario_diff is None:
            scenario_diff = spec_departures(spec.params, spec_file(spec), spec.drawn)
        try:
            with self.writing() as conn:
                existing = conn.execute(sa.select(runs.c.id, runs.c.status).where(runs.c.run_key == key)).first()
                if existing is not None:
                    if existing.status == COMPLETE:
                        return existing.id, False        # idempotent: never duplicated nor overwritten
                    if not outcome.ok:                   # failed again: keep one row with the newer error
                        conn.execute(sa.update(runs).where(runs.c.id == existing.id).values(
                            error=outcome.error, started_at=outcome.started_at, finished_at=outcome.finished_at))
                        return existing.id, False
                    self._delete(conn, existing.id)      # a failed attempt is replaced by a good one
                run_id = self._insert(conn, spec, outcome, key, scenario_diff)
                _hold(HOLD_WRITE_ENV, f"holding the write of run {run_id} open")
            _hold(HOLD_AFTER_ENV, f"holding after storing run {run_id}")
            return run_id, True
        except IntegrityError as err:
            found = self.find(key)     # another process stored the same run first
            if found is not None:
                return found[0], False
            raise failure(self.url, self.path, err, "write to") from None

    @staticmethod
    def _delete(conn: Connection, run_id: int) -> None:
        conn.execute(sa.delete(timeseries).where(timeseries.c.run_id == run_id))
        conn.execute(sa.delete(summaries).where(summaries.c.run_id == run_id))
        conn.execute(sa.delete(runs).where(runs.c.id == run_id))

    @staticmethod
    def _insert(conn: Connection, spec: RunSpec, outcome: Outcome, key: str,
                scenario_diff: dict[str, Any] | None) -> int:
        prov = outcome.provenance
        result = conn.execute(sa.insert(runs).values(
            run_key=key, series_key=spec.series_key, scenario=spec.scenario, scenario_file=spec.scenario_file,
            description=spec.description, regime=spec.regime, seed=spec.seed, weeks=spec.weeks,
            params=json_safe(spec.params), overrides=json_safe(spec.overrides),
            scenario_diff=None if scenario_diff is None else json_safe(scenario_diff), code_version=spec.code,
            hlssim_version=prov.get("hlssim_version"), git_commit=prov.get("git_commit"), provenance=json_safe(prov),
            status=COMPLETE if outcome.ok else FAILED, error=outcome.error,
            started_at=outcome.started_at, finished_at=outcome.finished_at))
        run_id = int(result.inserted_primary_key[0])
        if outcome.ok:
            frame = outcome.timeseries
            records = frame.to_dict("records") if frame is not None else []
            weeks = frame["week"].tolist() if frame is not None and "week" in frame else range(1, len(records) + 1)
            rows = [{"run_id": run_id, "week": int(w), "data": json_safe(r)} for w, r in zip(weeks, records, strict=True)]
            if rows:
                conn.execute(sa.insert(timeseries), rows)
            values = [{"run_id": run_id, "key": k, "position": i, "value": json_safe(_number(v))}
                      for i, (k, v) in enumerate((outcome.summary or {}).items())]
            if values:
                conn.execute(sa.insert(summaries), values)
        return run_id

    # ----------------------------------------------------------------- reading

    def load(self, run_id: int) -> StoredRun:
        """One run with its summary, weekly time series, parameters and provenance."""
        with self.reading() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.id == int(run_id))).mappings().first()
            if row is None:
                raise StoreInputError(f"no run {run_id} in {self.url}; `hlssim list` shows the stored runs")
            summary_rows = conn.execute(sa.select(summaries.c.key, summaries.c.value)
                                        .where(summaries.c.run_id == row["id"])
                                        .order_by(summaries.c.position)).all()
            series_rows = conn.execute(sa.select(timeseries.c.week, timeseries.c.data)
                                       .where(timeseries.c.run_id == row["id"])
                                       .order_by(timeseries.c.week)).all()
        summary = {k: (math.nan if v is None else float(v)) for k, v in summary_rows}
        frame = _frame_from_json([{"week": w, **{k: v for k, v in d.items() if k != "week"}}
                                  for w, d in series_rows])
        try:
            params = resolve(None, dict(row["params"]))
        except ParameterError:
            params = None   # written by a version whose parameters differ; params_dict keeps them
        return StoredRun(
            run_id=row["id"], scenario=row["scenario"], seed=row["seed"], weeks=row["weeks"], status=row["status"],
            summary=summary, timeseries=frame, params=params, params_dict=dict(row["params"]),
            overrides=dict(row["overrides"] or {}), provenance=dict(row["provenance"] or {}), regime=row["regime"],
            run_key=row["run_key"], series_key=row["series_key"], code_version=row["code_version"],
            git_commit=row["git_commit"], started_at=row["started_at"], finished_at=row["finished_at"],
            error=row["error"], scenario_file=row["scenario_file"], description=row["description"],
            identity=Identity.of(row))

    def identity(self, run_id: int) -> Identity:
        """What the series of this run is: its parameters, weeks, code and departures from its scenario file."""
        with self.reading() as conn:
            row = conn.execute(sa.select(*_IDENTITY).where(runs.c.id == int(run_id))).mappings().first()
        if row is None:
            raise StoreInputError(f"no run {run_id} in {self.url}; `hlssim list` shows the stored runs")
        return Identity.of(row)

    def identities(self) -> dict[str, Identity]:
        """Every stored series by its series key, read off its first run."""
        first = sa.select(sa.func.min(runs.c.id)).group_by(runs.c.series_key)
        with self.reading() as conn:
            rows = conn.execute(sa.select(*_IDENTITY).where(runs.c.id.in_(first))).mappings().all()
        return {row["series_key"]: Identity.of(row) for row in rows}

    def runs(self, run_ids: Iterable[int] | None = None, scenario: str | Sequence[str] | None = None,
             status: str | None = COMPLETE, series: str | None = None, with_params: bool = False,
             limit: int | None = None) -> pd.DataFrame:
        """Many runs as one DataFrame: a row per run, its metadata and one column per summary key.

        ``with_params`` adds a column per parameter (dotted keys, e.g. ``world.uniqueness``).
        """
        query = sa.select(*(runs.c[c] for c in RUN_COLUMNS), runs.c.params).order_by(runs.c.id)
        if run_ids is not None:
            ids = [int(i) for i in run_ids]
            query = query.where(runs.c.id.in_(ids))
        if scenario is not None:
            names = [scenario] if isinstance(scenario, str) else list(scenario)
            query = query.where(runs.c.scenario.in_(names))
        if status is not None:
            query = query.where(runs.c.status == status)
        if series is not None:
            query = query.where(runs.c.series_key.like(f"{series}%"))
        if limit is not None:
            query = query.order_by(None).order_by(runs.c.id.desc()).limit(limit)
        with self.reading() as conn:
            meta = conn.execute(query).mappings().all()
            ids = [r["id"] for r in meta]
            values = []
            for chunk in _chunks(ids, 500):
                values += conn.execute(sa.select(summaries.c.run_id, summaries.c.key, summaries.c.position,
                                                 summaries.c.value).where(summaries.c.run_id.in_(chunk))).all()
        frame = pd.DataFrame([{c: r[c] for c in RUN_COLUMNS} for r in meta], columns=list(RUN_COLUMNS))
        frame = frame.rename(columns={"id": "run_id"}).sort_values("run_id").reset_index(drop=True)
        if values:
            long = pd.DataFrame(values, columns=["run_id", "key", "position", "value"])
            order = long.groupby("key")["position"].min().sort_values().index
            wide = long.pivot(index="run_id", columns="key", values="value").reindex(columns=order).astype(float)
            frame = frame.merge(wide, left_on="run_id", right_index=True, how="left")
        if with_params and meta:
            params = pd.DataFrame([dict(r["params"]) for r in meta], index=[r["id"] for r in meta])
            frame = frame.merge(params, left_on="run_id", right_index=True, how="left")
        return frame

    def params(self, run_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Each run's parameters as stored (dotted keys), by run id."""
        ids = [int(i) for i in run_ids]
        found: dict[int, dict[str, Any]] = {}
        with self.reading() as conn:
            for chunk in _chunks(ids, 500):
                found.update((r.id, dict(r.params)) for r in conn.execute(
                    sa.select(runs.c.id, runs.c.params).where(runs.c.id.in_(chunk))))
        return found

    def timeseries(self, run_ids: Iterable[int]) -> pd.DataFrame:
        """Weekly series of many runs stacked: run_id, week, then the measures."""
        ids = [int(i) for i in run_ids]
        records: list[dict[str, Any]] = []
        with self.reading() as conn:
            for chunk in _chunks(ids, 500):
                rows = conn.execute(sa.select(timeseries.c.run_id, timeseries.c.week, timeseries.c.data)
                                    .where(timeseries.c.run_id.in_(chunk))
                                    .order_by(timeseries.c.run_id, timeseries.c.week)).all()
                records += [{"run_id": r, "week": w, **{k: v for k, v in d.items() if k != "week"}}
                            for r, w, d in rows]
        return _frame_from_json(records) if records else pd.DataFrame(columns=["run_id", "week"])

    def all_ids(self, status: str | None = None) -> list[int]:
        query = sa.select(runs.c.id).order_by(runs.c.id)
        if status:
            query = query.where(runs.c.status == status)
        with self.reading() as conn:
            return [r for (r,) in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        """Rows per table: for checks that nothing half-written was left behind."""
        with self.reading() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (runs, timeseries, summaries)}


_IDENTITY = (runs.c.series_key, runs.c.scenario, runs.c.regime, runs.c.weeks, runs.c.code_version, runs.c.params,
             runs.c.scenario_diff, runs.c.provenance)


def spec_file(spec: RunSpec) -> str | None:
    """The scenario file a spec's departures are measured from (see ``series.file_of``)."""
    return file_of({"extends_chain": list(spec.chain)})


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def open_store(db: str | os.PathLike | None = None) -> Store:
    """Open (and if needed create or upgrade) the store at ``db``, ``$HLSSIM_DB`` or ``results/hlssim.db``."""
    return Store(db)


def load(run_id: int, db: str | os.PathLike | None = None) -> StoredRun:
    """Load one stored run: ``hlssim.load(7).summary``, ``.timeseries``, ``.params``, ``.provenance``."""
    with Store(db, create=False) as store:
        return store.load(run_id)


def load_runs(db: str | os.PathLike | None = None, **filters: Any) -> pd.DataFrame:
    """Many stored runs as one DataFrame, one row per run (see :meth:`Store.runs` for the filters)."""
    with Store(db, create=False) as store:
        return store.runs(**filters)


def load_timeseries(run_ids: Iterable[int], db: str | os.PathLike | None = None) -> pd.DataFrame:
    """The weekly series of many stored runs, stacked with a run_id column."""
    with Store(db, create=False) as store:
        return store.timeseries(run_ids)
