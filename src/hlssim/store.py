"""The results store: every run kept in a database that people can query, share and reload.

SQLAlchemy 2 over SQLite by default (``results/hlssim.db``, nothing to install) or any
SQLAlchemy URL given by ``--db`` or ``$HLSSIM_DB`` (PostgreSQL at scale). Tables:

- ``runs``: one row per run: scenario, resolved parameters, seed, weeks, code version,
  git commit, started and finished time, status (``complete`` or ``failed``);
- ``timeseries``: one row per run and week, the week's measures as one JSON object;
- ``summaries``: one row per run and summary key, a number (NaN is stored as NULL);
- ``alembic_version``: the schema version, moved forward by Alembic when a store is opened.

A run is written in one transaction after it has finished, so a run that is interrupted
or killed leaves nothing behind; one that raises is kept as ``failed`` with its error.
A run is identified by its run key, a hash of the scenario name, the resolved parameters,
the seed, the weeks and the code version: storing the same run twice returns the first.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError, SQLAlchemyError

from .params import ParameterError, Params, resolve

ENV_URL = "HLSSIM_DB"
DEFAULT_PATH = Path("results") / "hlssim.db"
COMPLETE, FAILED = "complete", "failed"
MIGRATIONS = Path(__file__).parent / "migrations"
HOLD_WRITE_ENV = "HLSSIM_TEST_HOLD_WRITE"   # fault injection for tests: seconds to wait inside the write
# Modules that present results rather than produce them; they do not change a run's code version.
PRESENTATION = frozenset({"__init__.py", "cli.py", "report.py", "scenarios.py", "store.py"})


class StoreError(RuntimeError):
    """The store could not be opened, read or written (exit code 1)."""


class StoreInputError(ValueError):
    """Bad input about the store: a malformed URL, an unknown run id (exit code 2)."""


# --------------------------------------------------------------------------- schema

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_key", sa.String(64), nullable=False),
    sa.Column("series_key", sa.String(64), nullable=False),
    sa.Column("scenario", sa.String(200), nullable=False),
    sa.Column("scenario_file", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("regime", sa.String(16)),
    sa.Column("seed", sa.Integer, nullable=False),
    sa.Column("weeks", sa.Integer, nullable=False),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("overrides", sa.JSON, nullable=False),
    sa.Column("code_version", sa.String(100), nullable=False),
    sa.Column("hlssim_version", sa.String(50)),
    sa.Column("git_commit", sa.String(64)),
    sa.Column("provenance", sa.JSON),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("run_key", name="uq_runs_run_key"),
    sa.CheckConstraint("status IN ('complete', 'failed')", name="ck_runs_status"),
    sa.Index("ix_runs_series_key", "series_key"),
    sa.Index("ix_runs_scenario", "scenario"),
)

timeseries = sa.Table(
    "timeseries", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("week", sa.Integer, primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
)

summaries = sa.Table(
    "summaries", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("value", sa.Double),
)

RUN_COLUMNS = ("id", "scenario", "regime", "seed", "weeks", "status", "series_key", "run_key", "code_version",
               "git_commit", "started_at", "finished_at", "scenario_file", "error")


# --------------------------------------------------------------------------- keys and versions


@functools.cache
def code_version() -> str:
    """The hlssim version plus a hash of the modules that produce results (not those that present them)."""
    from . import __version__
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name not in PRESENTATION:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _digest(payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def series_key(scenario: str, params: dict[str, Any], weeks: int, code: str) -> str:
    """What a run is, less its seed: runs of one series differ only by seed."""
    return _digest({"scenario": scenario, "params": params, "weeks": weeks, "code": code})


def run_key(scenario: str, params: dict[str, Any], seed: int, weeks: int, code: str) -> str:
    """A run's identity: the same scenario, parameters, seed, weeks and code give the same key."""
    return _digest({"scenario": scenario, "params": params, "seed": seed, "weeks": weeks, "code": code})


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, numpy scalars become Python numbers."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):   # numpy scalar
        return _clean(value.item())
    if isinstance(value, (dt.datetime, dt.date, Path)):
        return str(value)
    return value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# --------------------------------------------------------------------------- what to run


@dataclass(frozen=True)
class RunSpec:
    """One run to make: a scenario's parameters, a seed and a length. Picklable for worker processes."""

    scenario: str
    overrides: dict[str, Any]
    params: dict[str, Any]
    seed: int
    weeks: int
    regime: str | None = None
    description: str = ""
    scenario_file: str | None = None
    chain: tuple[str, ...] = ()
    code: str = field(default_factory=code_version)

    @classmethod
    def from_scenario(cls, scenario, seed: int, weeks: int) -> RunSpec:
        return cls(scenario=scenario.name, overrides=dict(scenario.overrides), params=scenario.params.flat(),
                   seed=seed, weeks=weeks, regime=scenario.regime, description=scenario.description,
                   scenario_file=str(scenario.path) if scenario.path else None,
                   chain=tuple(str(p) for p in scenario.chain))

    @property
    def run_key(self) -> str:
        return run_key(self.scenario, _clean(self.params), self.seed, self.weeks, self.code)

    @property
    def series_key(self) -> str:
        return series_key(self.scenario, _clean(self.params), self.weeks, self.code)


@dataclass
class Outcome:
    """What a run produced, or the error that stopped it."""

    summary: dict[str, float] | None
    timeseries: pd.DataFrame | None
    provenance: dict[str, Any]
    started_at: dt.datetime
    finished_at: dt.datetime
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def execute(spec: RunSpec) -> Outcome:
    """Run one spec in this process; an exception becomes a failed outcome, not a crash."""
    from .simulate import simulate
    started = _now()
    try:
        result = simulate(regime=None, seed=spec.seed, weeks=spec.weeks, overrides=spec.overrides)
    except Exception as err:  # noqa: BLE001 - kept as the run's error
        return Outcome(None, None, _provenance(spec, {}), started, _now(), f"{type(err).__name__}: {err}")
    if result.params.flat() != spec.params:
        return Outcome(None, None, _provenance(spec, result.provenance), started, _now(),
                       "resolved parameters differ from the scenario's; the run would not be what was asked")
    return Outcome(result.summary, result.timeseries, _provenance(spec, result.provenance), started, _now())


def _provenance(spec: RunSpec, engine: dict[str, Any]) -> dict[str, Any]:
    import numpy
    try:
        import mesa
        mesa_version = mesa.__version__
    except Exception:  # noqa: BLE001
        mesa_version = None
    return _clean({
        **engine,
        "regime": spec.regime,
        "scenario": spec.scenario,
        "scenario_file": spec.scenario_file,
        "extends_chain": list(spec.chain),
        "code_version": spec.code,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        "mesa": mesa_version,
    })


# --------------------------------------------------------------------------- opening


def database_url(db: str | os.PathLike | None = None) -> str:
    """The store's URL: ``db``, else ``$HLSSIM_DB``, else SQLite at ``results/hlssim.db``; a plain path means SQLite."""
    value = str(db) if db else os.environ.get(ENV_URL) or str(DEFAULT_PATH)
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    return value


def _masked(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (transactional DDL too).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue instead of deadlocking.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(db: str | os.PathLike | None = None) -> Engine:
    text = database_url(db)
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreInputError(f"--db {text!r}: not a database URL; use a file path, sqlite:///PATH "
                              "or postgresql+psycopg://USER@HOST:PORT/DBNAME") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(url, future=True, pool_pre_ping=url.get_backend_name() != "sqlite")
    except (NoSuchModuleError, ArgumentError, ImportError) as err:
        raise StoreInputError(f"--db {_masked(url)}: unsupported database ({err}); use sqlite:///PATH "
                              "or postgresql+psycopg://USER@HOST:PORT/DBNAME") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _alembic_config(conn: Connection | None = None):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def schema_version(engine: Engine) -> str | None:
    """The store's Alembic revision, None for an empty database."""
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head", downgrade: bool = False) -> None:
    """Move the schema to ``revision`` in one locked transaction (safe when two processes open at once)."""
    from alembic import command
    from alembic.script import ScriptDirectory
    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    current = schema_version(engine)
    if current is not None and current not in known:
        raise StoreError(f"the store's schema version {current!r} is unknown to hlssim {code_version()}; "
                         "it was written by a newer hlssim: upgrade hlssim to read it")
    if not downgrade and current == head_revision() and revision == "head":
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7151423)"))
        cfg = _alembic_config(conn)
        if downgrade:
            command.downgrade(cfg, revision)
        else:
            command.upgrade(cfg, revision)


# --------------------------------------------------------------------------- loading back


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


def _frame_from_json(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows)
    for column in frame.columns:
        if frame[column].dtype == object and all(v is None or isinstance(v, float) for v in frame[column]):
            frame[column] = frame[column].astype(float)
    return frame


class Store:
    """A results store at a SQLAlchemy URL; opening it brings its schema up to date."""

    def __init__(self, db: str | os.PathLike | None = None, upgrade: bool = True):
        self.engine = create_engine(db)
        self.url = _masked(self.engine.url)
        if upgrade:
            try:
                migrate(self.engine)
            except OperationalError as err:
                self.engine.dispose()
                raise StoreError(f"cannot open the results store at {self.url}: {_first_line(err)}") from None
            except SQLAlchemyError as err:
                self.engine.dispose()
                raise StoreError(f"cannot prepare the results store at {self.url}: {_first_line(err)}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def schema_version(self) -> str | None:
        return schema_version(self.engine)

    # ----------------------------------------------------------------- writing

    def find(self, key: str) -> tuple[int, str] | None:
        """The id and status of the run with this run key, if stored."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(runs.c.id, runs.c.status).where(runs.c.run_key == key)).first()
        return (row.id, row.status) if row else None

    def save(self, spec: RunSpec, outcome: Outcome) -> tuple[int, bool]:
        """Store one run in one transaction; returns (run id, whether it was written now).

        A completed run with the same run key is never duplicated or overwritten: its id is
        returned. A failed run is replaced by a later attempt.
        """
        key = spec.run_key
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(sa.select(runs.c.id, runs.c.status).where(runs.c.run_key == key)).first()
                if existing is not None:
                    if existing.status == COMPLETE:
                        return existing.id, False        # idempotent: never duplicated nor overwritten
                    if not outcome.ok:                   # failed again: keep one row with the newer error
                        conn.execute(sa.update(runs).where(runs.c.id == existing.id).values(
                            error=outcome.error, started_at=outcome.started_at, finished_at=outcome.finished_at))
                        return existing.id, False
                    self._delete(conn, existing.id)      # a failed attempt is replaced by a good one
                run_id = self._insert(conn, spec, outcome, key)
                hold = os.environ.get(HOLD_WRITE_ENV)
                if hold:
                    print(f"hlssim: holding the write of run {run_id} open for {hold}s (test hook)",
                          file=sys.stderr, flush=True)
                    time.sleep(float(hold))
            return run_id, True
        except IntegrityError:
            found = self.find(key)     # another process stored the same run first
            if found is not None:
                return found[0], False
            raise
        except SQLAlchemyError as err:
            raise StoreError(f"cannot write to the results store at {self.url}: {_first_line(err)}") from None

    @staticmethod
    def _delete(conn: Connection, run_id: int) -> None:
        conn.execute(sa.delete(timeseries).where(timeseries.c.run_id == run_id))
        conn.execute(sa.delete(summaries).where(summaries.c.run_id == run_id))
        conn.execute(sa.delete(runs).where(runs.c.id == run_id))

    @staticmethod
    def _insert(conn: Connection, spec: RunSpec, outcome: Outcome, key: str) -> int:
        prov = outcome.provenance
        result = conn.execute(sa.insert(runs).values(
            run_key=key, series_key=spec.series_key, scenario=spec.scenario, scenario_file=spec.scenario_file,
            description=spec.description, regime=spec.regime, seed=spec.seed, weeks=spec.weeks,
            params=_clean(spec.params), overrides=_clean(spec.overrides), code_version=spec.code,
            hlssim_version=prov.get("hlssim_version"), git_commit=prov.get("git_commit"), provenance=_clean(prov),
            status=COMPLETE if outcome.ok else FAILED, error=outcome.error,
            started_at=outcome.started_at, finished_at=outcome.finished_at))
        run_id = int(result.inserted_primary_key[0])
        if outcome.ok:
            frame = outcome.timeseries
            records = frame.to_dict("records") if frame is not None else []
            weeks = frame["week"].tolist() if frame is not None and "week" in frame else range(1, len(records) + 1)
            rows = [{"run_id": run_id, "week": int(w), "data": _clean(r)} for w, r in zip(weeks, records, strict=True)]
            if rows:
                conn.execute(sa.insert(timeseries), rows)
            values = [{"run_id": run_id, "key": k, "position": i, "value": _clean(_number(v))}
                      for i, (k, v) in enumerate((outcome.summary or {}).items())]
            if values:
                conn.execute(sa.insert(summaries), values)
        return run_id

    # ----------------------------------------------------------------- reading

    def load(self, run_id: int) -> StoredRun:
        """One run with its summary, weekly time series, parameters and provenance."""
        with self.engine.connect() as conn:
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
            error=row["error"], scenario_file=row["scenario_file"], description=row["description"])

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
        with self.engine.connect() as conn:
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

    def timeseries(self, run_ids: Iterable[int]) -> pd.DataFrame:
        """Weekly series of many runs stacked: run_id, week, then the measures."""
        ids = [int(i) for i in run_ids]
        records: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
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
        with self.engine.connect() as conn:
            return [r for (r,) in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        """Rows per table: for checks that nothing half-written was left behind."""
        with self.engine.connect() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (runs, timeseries, summaries)}

    def select(self, selector: str) -> tuple[str, pd.DataFrame]:
        """Runs named on the command line: a run id, a series id (prefix), or a scenario name
        with an optional ``@npm``/``@hls``/``@mix`` (its most recent series). Completed runs only."""
        text = str(selector).strip()
        if text.isdigit():
            frame = self.runs(run_ids=[int(text)], status=None)
            if frame.empty:
                raise StoreInputError(f"no run {text} in {self.url}; `hlssim list` shows the stored runs")
            if frame.status.iloc[0] != COMPLETE:
                raise StoreInputError(f"run {text} is {frame.status.iloc[0]}: {frame.error.iloc[0]}")
            return f"run {text}", frame
        name, _, regime = text.partition("@")
        if name.endswith((".yaml", ".yml")):
            from .scenarios import load as load_scenario
            name = load_scenario(name).name
        frame = self.runs(scenario=name)
        if regime:
            frame = frame[frame.regime == regime]
        if not frame.empty:
            latest = frame.sort_values("finished_at").series_key.iloc[-1]
            chosen = frame[frame.series_key == latest]
            return f"{text} (series {latest[:10]})", chosen.reset_index(drop=True)
        if len(text) >= 6 and all(c in "0123456789abcdef" for c in text):
            frame = self.runs(series=text)
            if frame.series_key.nunique() > 1:
                raise StoreInputError(f"series {text!r} is ambiguous; give more characters")
            if not frame.empty:
                return f"series {text}", frame
        raise StoreInputError(f"{text!r}: no completed runs of that scenario{' under ' + regime if regime else ''}, "
                              f"no such run id and no such series in {self.url}; `hlssim list` shows what is stored")


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# --------------------------------------------------------------------------- running many


@dataclass
class Done:
    """A spec that is now in the store: its id and whether it was computed now or found there."""

    spec: RunSpec
    run_id: int
    reused: bool
    error: str | None = None


def run_specs(store: Store, specs: Sequence[RunSpec], jobs: int | None = None,
              on_start: Callable[[int], None] | None = None,
              on_done: Callable[[Done], None] | None = None) -> list[Done]:
    """Make every spec not yet stored, in parallel when there are several, and store each as it finishes.

    Runs already stored complete are reused (idempotent by run key). Returns one Done per spec, in order.
    """
    done: dict[int, Done] = {}
    todo: list[int] = []
    seen: dict[str, int] = {}
    for i, spec in enumerate(specs):
        key = spec.run_key
        found = store.find(key)
        if found is not None and found[1] == COMPLETE:
            done[i] = Done(spec, found[0], reused=True)
        elif key in seen:
            continue                     # the same run asked for twice: make it once
        else:
            seen[key] = i
            todo.append(i)
    if on_start:
        on_start(len(todo))
    for i in list(done):
        if on_done:
            on_done(done[i])

    def finish(i: int, outcome: Outcome) -> None:
        run_id, _ = store.save(specs[i], outcome)
        done[i] = Done(specs[i], run_id, reused=False, error=outcome.error)
        if on_done:
            on_done(done[i])

    workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
    if workers == 1:
        for i in todo:
            finish(i, execute(specs[i]))
    else:
        from joblib import Parallel, delayed

        def tagged(i: int) -> tuple[int, Outcome]:
            return i, execute(specs[i])

        for i, outcome in Parallel(n_jobs=workers, return_as="generator")(delayed(tagged)(i) for i in todo):
            finish(i, outcome)
    ordered = []
    for i, spec in enumerate(specs):
        if i not in done:        # a duplicate of an earlier spec
            first = done[seen[spec.run_key]]
            done[i] = Done(spec, first.run_id, reused=True, error=first.error)
        ordered.append(done[i])
    return ordered


# --------------------------------------------------------------------------- module-level helpers


def open_store(db: str | os.PathLike | None = None) -> Store:
    """Open (and if needed create or upgrade) the store at ``db``, ``$HLSSIM_DB`` or ``results/hlssim.db``."""
    return Store(db)


def load(run_id: int, db: str | os.PathLike | None = None) -> StoredRun:
    """Load one stored run: ``hlssim.load(7).summary``, ``.timeseries``, ``.params``, ``.provenance``."""
    with Store(db) as store:
        return store.load(run_id)


def load_runs(db: str | os.PathLike | None = None, **filters: Any) -> pd.DataFrame:
    """Many stored runs as one DataFrame, one row per run (see :meth:`Store.runs` for the filters)."""
    with Store(db) as store:
        return store.runs(**filters)


def load_timeseries(run_ids: Iterable[int], db: str | os.PathLike | None = None) -> pd.DataFrame:
    """The weekly series of many stored runs, stacked with a run_id column."""
    with Store(db) as store:
        return store.timeseries(run_ids)


def export(store: Store, run_ids: Sequence[int], fmt: str, out: Path) -> list[Path]:
    """Write runs (metadata, summary and parameters) and their weekly series as CSV or Parquet files."""
    if fmt not in ("csv", "parquet"):
        raise StoreInputError(f"--format {fmt!r}: allowed: csv, parquet")
    out.mkdir(parents=True, exist_ok=True)
    frame = store.runs(run_ids=run_ids, status=None, with_params=True)
    frame = frame.rename(columns={c: f"params.{c}" for c in frame.columns if "." in str(c)})
    series = store.timeseries(frame.run_id.tolist()) if len(frame) else pd.DataFrame(columns=["run_id", "week"])
    paths = [out / f"runs.{fmt}", out / f"timeseries.{fmt}"]
    for table, path in zip((frame, series), paths, strict=True):
        tmp = path.with_name(path.name + ".tmp")
        if fmt == "csv":
            table.to_csv(tmp, index=False)
        else:
            table.to_parquet(tmp, index=False)
        tmp.replace(path)
    return paths
