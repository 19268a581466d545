"""Sweeps in the store: a sweep's plan kept whole when it starts, its progress, and its runs back as one frame.

The first time a sweep starts, its design and every run it needs (base, point, lever, seed and
run key) are written in one transaction. Its runs then go through ``batch.run_missing`` like any
other batch: each stored as it finishes, idempotent by run key. So a sweep that is killed and
started again runs only what is missing, its progress is the share of planned run keys that
have a completed run, and a run two sweeps share is stored once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..experiments.provenance import git_commit
from ..experiments.sweeps.plan import Plan
from ..util.jsonsafe import json_safe
from ..util.version import __version__
from .batch import Done, run_missing
from .errors import StoreInputError
from .runs import Store
from .schema import COMPLETE, FAILED, META_COLUMNS, runs, sweep_points, sweep_runs, sweeps



@dataclass(frozen=True)
class Progress:
    """How far a sweep has got: planned runs, and how many are stored complete or failed."""

    sweep_id: str
    planned: int
    complete: int
    failed: int

    @property
    def missing(self) -> int:
        return self.planned - self.complete

    @property
    def started(self) -> bool:
        return self.planned > 0


def register(store: Store, plan: Plan, chunk: int = 5_000) -> bool:
    """Keep a sweep's plan, once: True if it was new, False if it was already there."""
    if _exists(store, plan.sweep_id):
        return False
    first = plan.runs[0].spec if plan.runs else None
    try:
        with store.writing() as conn:
            conn.execute(sa.insert(sweeps).values(
                id=plan.sweep_id, name=plan.sweep.name, description=plan.sweep.description,
                sweep_file=plan.sweep.where, source=plan.sweep.source, info=plan.info, runs_planned=len(plan.runs),
                code_version=first.code if first else "", hlssim_version=__version__, git_commit=git_commit(),
                created_at=dt.datetime.now(dt.timezone.utc)))
            points = [{"sweep_id": plan.sweep_id, "point": int(p), "params": json_safe(values)}
                      for p, values in zip(plan.points.index, plan.points.to_dict("records"), strict=True)]
            planned = [{"sweep_id": plan.sweep_id, "base": r.base, "point": r.point, "lever": r.lever,
                        "seed": r.seed, "run_key": r.spec.run_key} for r in plan.runs]
            for table, rows in ((sweep_points, points), (sweep_runs, planned)):
                for i in range(0, len(rows), chunk):        # a large plan in inserts of ``chunk`` rows
                    conn.execute(sa.insert(table), rows[i:i + chunk])
        return True
    except IntegrityError:        # another process registered the same sweep first
        return False


def run_sweep(store: Store, plan: Plan, jobs: int | None = None, scheduler: str | None = None,
              progress: bool = False) -> list[Done]:
    """Keep the plan, then make every run not yet stored through the one runner (locally or on Dask)."""
    register(store, plan)
    return run_missing(store, plan.specs, jobs=jobs, progress=progress, scheduler=scheduler)


def _exists(store: Store, sweep_id: str) -> bool:
    with store.reading() as conn:
        return conn.execute(sa.select(sweeps.c.id).where(sweeps.c.id == sweep_id)).first() is not None


def _planned_runs(sweep_id: str):
    """The sweep's planned runs beside the stored run each key finds (if any)."""
    return (sa.select(sweep_runs.c.base, sweep_runs.c.point, sweep_runs.c.lever, sweep_runs.c.seed,
                      sweep_runs.c.run_key, runs.c.id.label("run_id"), runs.c.status)
            .select_from(sweep_runs.outerjoin(runs, runs.c.run_key == sweep_runs.c.run_key))
            .where(sweep_runs.c.sweep_id == sweep_id))


def progress(store: Store, sweep_id: str) -> Progress:
    """Planned runs and how many are stored (zero planned: the sweep has not started)."""
    with store.reading() as conn:
        rows = conn.execute(_planned_runs(sweep_id)).all()
    status = [r.status for r in rows]
    return Progress(sweep_id, len(rows), status.count(COMPLETE), status.count(FAILED))


def find(store: Store, ref: str) -> str:
    """A sweep id from its id, a unique prefix of it, or its name (the most recent sweep of that name)."""
    with store.reading() as conn:
        rows = conn.execute(sa.select(sweeps.c.id, sweeps.c.name).order_by(sweeps.c.created_at)).all()
    ids = [r.id for r in rows]
    if ref in ids:
        return ref
    named = [r.id for r in rows if r.name == ref]
    if named:
        return named[-1]
    prefixed = [i for i in ids if i.startswith(ref)]
    if len(prefixed) == 1:
        return prefixed[0]
    known = ", ".join(ids[-10:]) or "none yet (`hlssim sweep FILE` starts one)"
    what = "is ambiguous" if prefixed else "is not a stored sweep"
    raise StoreInputError(f"sweep {ref!r} {what} in {store.url}; stored sweeps: {known}")


def record(store: Store, sweep_id: str) -> dict[str, Any]:
    """The sweep's row: its design (``info``), file and the file's text, code version, git commit, created."""
    with store.reading() as conn:
        row = conn.execute(sa.select(sweeps).where(sweeps.c.id == sweep_id)).mappings().first()
    if row is None:
        raise StoreInputError(f"no sweep {sweep_id!r} in {store.url}")
    return dict(row)


def frame(store: Store, sweep_id: str) -> pd.DataFrame:
    """Every completed run of a sweep, one row each: base, point, lever, seed, run_id, the point's
    parameter values, then every summary key."""
    with store.reading() as conn:
        planned = pd.DataFrame(conn.execute(_planned_runs(sweep_id)).mappings().all(),
                               columns=["base", "point", "lever", "seed", "run_key", "run_id", "status"])
        points = conn.execute(sa.select(sweep_points.c.point, sweep_points.c.params)
                              .where(sweep_points.c.sweep_id == sweep_id)).all()
    done = planned[planned.status == COMPLETE].drop(columns=["status", "run_key"])
    done = done.astype({"point": int, "seed": int, "run_id": int})
    values = pd.DataFrame([{"point": p, **v} for p, v in points])
    summaries = store.runs(run_ids=done.run_id.tolist())
    summaries = summaries[["run_id", *(c for c in summaries.columns if c not in META_COLUMNS)]]
    out = done.merge(values, on="point", how="left").merge(summaries, on="run_id", how="left")
    return out.sort_values(["point", "base", "seed", "lever"], kind="stable").reset_index(drop=True)


def listing(store: Store) -> pd.DataFrame:
    """Stored sweeps, oldest first: id, name, created, runs planned and stored complete."""
    with store.reading() as conn:
        rows = conn.execute(sa.select(sweeps.c.id, sweeps.c.name, sweeps.c.created_at, sweeps.c.runs_planned)
                            .order_by(sweeps.c.created_at)).all()
    return pd.DataFrame([{"sweep_id": r.id, "name": r.name, "created": str(r.created_at)[:19],
                          "planned": r.runs_planned, "complete": progress(store, r.id).complete} for r in rows])
