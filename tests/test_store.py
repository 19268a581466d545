"""The results store on SQLite and on a real PostgreSQL: round trips, idempotent reruns,
one transaction per run (also when the writer is killed), migrations and loading back."""

from __future__ import annotations

import importlib
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import hlssim
from hlssim.experiments import provenance
from hlssim.experiments.runner import RunSpec, execute
from hlssim.params import Params, scenarios
from hlssim.store import Store, StoreError, StoreInputError, database, schema
from hlssim.store import runs as stored
from hlssim.store.batch import run_missing
from hlssim.store.export import export
from hlssim.util.imports import closure, import_graph
from hlssim.cli.selectors import select
from helpers import wait_for_line

SMALL = {"population.citizens": 120}


def spec(name="npm-targets", seed=1, weeks=6, **overrides) -> RunSpec:
    scenario = scenarios.load(name).with_changes(overrides={**SMALL, **overrides})
    return RunSpec.from_scenario(scenario, seed=seed, weeks=weeks)


def same_summary(a: dict, b: dict) -> bool:
    return list(a) == list(b) and all(
        (math.isnan(x) and math.isnan(y)) if isinstance(x, float) and math.isnan(x) else x == y
        for x, y in zip(a.values(), b.values(), strict=True))


def cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hlssim.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                            start_new_session=True, **kwargs)


# --------------------------------------------------------------------------- round trip


def test_round_trip_of_parameters_and_results(db_url):
    wanted = spec("goodhart-demo", seed=3, weeks=8, **{"world.uniqueness": 0.55})
    fresh = hlssim.simulate(regime=None, seed=3, weeks=8, overrides=wanted.overrides)
    with Store(db_url) as st:
        (done,) = run_missing(st, [wanted], jobs=1)
    loaded = hlssim.load(done.run_id, db=db_url)

    assert loaded.status == "complete" and loaded.scenario == "goodhart-demo"
    assert (loaded.seed, loaded.weeks, loaded.regime) == (3, 8, "npm")
    assert isinstance(loaded.params, Params) and loaded.params == fresh.params
    assert loaded.params.world.uniqueness == 0.55 and loaded.params.targets.pressure == 0.9
    assert loaded.params_dict == fresh.params.flat()
    assert same_summary(loaded.summary, fresh.summary)
    pd.testing.assert_frame_equal(loaded.timeseries, fresh.timeseries)
    prov = loaded.provenance
    assert prov["seed"] == 3 and prov["weeks"] == 8 and prov["scenario"] == "goodhart-demo"
    assert prov["code_version"] == provenance.code_version() == loaded.code_version
    assert prov["extends_chain"][-1].endswith("npm-targets.yaml")
    assert loaded.git_commit == prov["git_commit"]
    assert loaded.started_at <= loaded.finished_at
    assert loaded.run_key == wanted.run_key and loaded.series_key == wanted.series_key


def test_many_runs_load_into_one_dataframe(db_url):
    specs = [spec("npm-targets", seed=s) for s in (1, 2)] + [spec("hls-devolved", seed=s) for s in (1, 2)]
    with Store(db_url) as st:
        ids = [d.run_id for d in run_missing(st, specs, jobs=1)]
    frame = hlssim.load_runs(db=db_url, with_params=True)
    assert frame.run_id.tolist() == ids
    assert frame.scenario.tolist() == ["npm-targets"] * 2 + ["hls-devolved"] * 2
    assert {"flourishing_mean", "goodhart_gap", "seed", "series_key", "world.uniqueness"} <= set(frame.columns)
    assert frame["practices.learning"].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert frame.flourishing_mean.dtype == float
    assert frame.groupby("scenario").flourishing_mean.median().shape == (2,)
    only = hlssim.load_runs(db=db_url, scenario="hls-devolved")
    assert only.run_id.tolist() == ids[2:]
    series = hlssim.load_timeseries(ids, db=db_url)
    assert series.groupby("run_id").week.count().tolist() == [6, 6, 6, 6]
    assert series.columns[:2].tolist() == ["run_id", "week"]


# --------------------------------------------------------------------------- idempotence and failures


def test_rerunning_the_same_scenario_and_seed_does_not_duplicate(db_url):
    specs = [spec(seed=1), spec(seed=2)]
    with Store(db_url) as st:
        first = run_missing(st, specs, jobs=1)
        counts = st.counts()
        again = run_missing(st, specs + [spec(seed=1)], jobs=1)
        assert [d.run_id for d in again] == [d.run_id for d in first] + [first[0].run_id]
        assert all(d.reused for d in again)
        assert st.counts() == counts == {"runs": 2, "timeseries": 12, "summaries": counts["summaries"]}
        # Saving the same run directly is also a no-op that returns the first id.
        outcome = execute(specs[0])
        assert st.save(specs[0], outcome) == (first[0].run_id, False)
        assert st.counts() == counts
        # Anything that changes the run makes a new one.
        different = [spec(seed=3), spec(seed=1, weeks=7), spec(seed=1, **{"world.dynamism": 0.1}),
                     spec("goodhart-demo", seed=1)]
        assert len({s.run_key for s in specs + different}) == 6
        made = run_missing(st, different, jobs=1)
        assert not any(d.reused for d in made) and st.counts()["runs"] == 6


def test_a_failed_run_is_kept_as_failed_then_replaced_by_a_good_rerun(db_url, monkeypatch):
    sim = importlib.import_module("hlssim.experiments.simulate")   # the module, not the function of the same name
    real = sim.simulate

    def broken(*args, **kwargs):
        raise RuntimeError("engine broke")

    wanted = spec(seed=5)
    with Store(db_url) as st:
        monkeypatch.setattr(sim, "simulate", broken)
        (done,) = run_missing(st, [wanted], jobs=1)
        assert done.error == "RuntimeError: engine broke"
        assert st.counts() == {"runs": 1, "timeseries": 0, "summaries": 0}
        failed = st.load(done.run_id)
        assert failed.status == "failed" and "engine broke" in failed.error
        assert st.runs().empty, "failed runs are left out of analyses by default"
        (again,) = run_missing(st, [wanted], jobs=1)     # fails again: still one row
        assert st.counts()["runs"] == 1
        monkeypatch.setattr(sim, "simulate", real)
        (good,) = run_missing(st, [wanted], jobs=1)
        assert good.error is None and not good.reused
        assert st.counts()["runs"] == 1 and st.counts()["timeseries"] == 6
        assert st.load(good.run_id).status == "complete"


def test_a_run_is_written_in_one_transaction(db_url, monkeypatch):
    real = Store._insert

    def insert_then_fail(conn, spec_, outcome, key, *more):
        real(conn, spec_, outcome, key, *more)   # the run, its weeks and its summary are written ...
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))   # ... then the write fails

    with Store(db_url) as st:
        monkeypatch.setattr(Store, "_insert", staticmethod(insert_then_fail))
        with pytest.raises(StoreError, match="disk full"):
            run_missing(st, [spec()], jobs=1)
        assert st.counts() == {"runs": 0, "timeseries": 0, "summaries": 0}
        monkeypatch.setattr(Store, "_insert", staticmethod(real))
        (done,) = run_missing(st, [spec()], jobs=1)
        assert st.load(done.run_id).status == "complete"


# --------------------------------------------------------------------------- killed runs


def _consistent(st: Store, weeks: int) -> pd.DataFrame:
    """Every stored run is complete with all its weeks and summary; no rows belong to no run."""
    with st.engine.connect() as conn:
        run_ids = {r for (r,) in conn.execute(sa.select(schema.runs.c.id))}
        series_ids = {r for (r,) in conn.execute(sa.select(schema.timeseries.c.run_id).distinct())}
        summary_ids = {r for (r,) in conn.execute(sa.select(schema.summaries.c.run_id).distinct())}
    frame = st.runs(status=None)
    assert series_ids <= run_ids and summary_ids <= run_ids, "rows left behind by a run that is not stored"
    assert (frame.status == "complete").all()
    counts = st.timeseries(frame.run_id).groupby("run_id").week.count() if len(frame) else pd.Series()
    assert (counts == weeks).all() and len(counts) == len(frame)
    return frame


def test_killed_while_writing_leaves_nothing_and_the_next_run_succeeds(db_url, tmp_path):
    args = ["run", "--regime", "npm", "--seed", "1", "--weeks", "8", "--set", "population.citizens=120",
            "--db", db_url, "--quiet", "--json"]
    with Store(db_url):
        pass                                  # schema in place, so the writer goes straight to the run
    proc = cli(*args, env={stored.HOLD_WRITE_ENV: "120"}, cwd=tmp_path)
    try:
        wait_for_line(proc.stderr, "holding the write")   # printed inside the open transaction, after every insert
        os.killpg(proc.pid, signal.SIGKILL)   # SIGKILL: no handler, no cleanup, mid-transaction
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store(db_url) as st:
        assert st.counts() == {"runs": 0, "timeseries": 0, "summaries": 0}
    rerun = cli(*args, cwd=tmp_path)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert "flourishing_mean" in out
    with Store(db_url) as st:
        assert st.counts()["runs"] == 1 and st.counts()["timeseries"] == 8
        _consistent(st, weeks=8)


def test_killed_mid_way_through_many_runs_keeps_the_finished_ones(tmp_path, sqlite_url):
    weeks = 200
    args = ["run", "npm-targets", "--seeds", "4", "--weeks", str(weeks), "--set", "population.citizens=1000",
            "--jobs", "1", "--db", sqlite_url, "--quiet"]
    with Store(sqlite_url):
        pass
    proc = cli(*args, env={stored.HOLD_AFTER_ENV: "600"}, cwd=tmp_path)
    try:
        wait_for_line(proc.stderr, "holding after storing run")     # the first run is stored, the rest not begun
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with Store(sqlite_url) as st:
        before = _consistent(st, weeks)
        assert len(before) == 1, "killed mid-way: the finished run stored, none of the others"
    rerun = cli(*args, cwd=tmp_path)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert "already there" in err
    with Store(sqlite_url) as st:
        after = _consistent(st, weeks)
        assert sorted(after.seed) == [1, 2, 3, 4]
        assert set(before.run_id) <= set(after.run_id), "finished runs are reused, not redone"


# --------------------------------------------------------------------------- schema and migrations


def test_a_new_store_is_at_the_head_schema_version(db_url):
    with Store(db_url) as st:
        assert st.schema_version() == database.head_revision() == "0003"
        names = set(sa.inspect(st.engine).get_table_names())
        assert {"runs", "timeseries", "summaries", "alembic_version"} <= names


def test_migrations_build_the_tables_the_code_uses(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    with Store(db_url) as st, st.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata)
    assert diffs == []


def test_migration_path_down_and_up_again(db_url):
    with Store(db_url) as st:
        run_missing(st, [spec()], jobs=1)
        database.migrate(st.engine, "base", downgrade=True)
        assert st.schema_version() is None
        assert "runs" not in sa.inspect(st.engine).get_table_names()
    with Store(db_url) as st:               # opening upgrades again
        assert st.schema_version() == "0003" and st.counts()["runs"] == 0


def test_a_store_from_a_newer_hlssim_is_refused_clearly(db_url):
    with Store(db_url) as st, st.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="schema version '9999' is unknown.*newer hlssim"):
        Store(db_url)


def test_opening_twice_at_once_is_safe(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    procs = [subprocess.Popen([sys.executable, "-c", f"from hlssim.store import Store; Store({url!r}).close()"],
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=600) == 0, p.stderr.read()
    with Store(url) as st:
        assert st.schema_version() == "0003"


# --------------------------------------------------------------------------- URLs, selection, export


def test_urls(tmp_path, monkeypatch):
    assert database.database_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("HLSSIM_DB", str(tmp_path / "env.db"))
    assert database.database_url() == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.delenv("HLSSIM_DB")
    monkeypatch.chdir(tmp_path)
    assert database.database_url() == f"sqlite:///{tmp_path / 'results' / 'hlssim.db'}"
    with Store() as st:
        assert st.url.endswith("results/hlssim.db") and (tmp_path / "results" / "hlssim.db").exists()
    assert database.create_engine("postgresql://u@localhost/x").dialect.driver == "psycopg"
    with pytest.raises(StoreInputError, match="unsupported database"):
        Store("nosuchdb://x/y")
    with pytest.raises(StoreInputError, match="not a database URL"):
        Store("://nothing")


def test_an_unreachable_server_is_a_clear_failure():
    with pytest.raises(StoreError, match="cannot open the results store at postgresql"):
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=3")


def test_selecting_runs_by_scenario_regime_series_and_id(db_url):
    with Store(db_url) as st:
        npm = run_missing(st, [spec("closed-system", seed=s) for s in (1, 2)], jobs=1)
        sc = scenarios.load("closed-system").with_changes(regime="hls", overrides=SMALL)
        hls = run_missing(st, [RunSpec.from_scenario(sc, seed=s, weeks=6) for s in (1, 2)], jobs=1)
        label, frame = select(st, "closed-system@npm")
        assert frame.run_id.tolist() == [d.run_id for d in npm] and "closed-system@npm" in label
        assert select(st, "closed-system@hls")[1].run_id.tolist() == [d.run_id for d in hls]
        assert select(st, "closed-system")[1].run_id.tolist() == [d.run_id for d in hls], "the most recent series"
        key = hls[0].spec.series_key[:8]
        assert select(st, key)[1].run_id.tolist() == [d.run_id for d in hls]
        assert select(st, str(npm[1].run_id))[1].seed.tolist() == [2]
        for bad in ("nothing-here", "closed-system@mix", "999"):
            with pytest.raises(StoreInputError):
                select(st, bad)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export(tmp_path, sqlite_url, fmt):
    with Store(sqlite_url) as st:
        ids = [d.run_id for d in run_missing(st, [spec(seed=1), spec("hls-devolved", seed=1)], jobs=1)]
        paths = export(st, ids, fmt, tmp_path / "out")
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    runs, series = (read(p) for p in paths)
    assert [p.name for p in paths] == [f"runs.{fmt}", f"timeseries.{fmt}"]
    assert runs.run_id.tolist() == ids and "params.world.uniqueness" in runs and "goodhart_gap" in runs
    assert runs["params.population.citizens"].tolist() == [120, 120]
    assert len(series) == 12 and set(series.run_id) == set(ids)


def test_nan_and_numpy_values_are_stored_as_json_safe(db_url):
    wanted = spec(seed=2)
    outcome = execute(wanted)
    outcome.summary = {**outcome.summary, "odd": float("nan"), "inf": float("inf")}
    outcome.timeseries = outcome.timeseries.assign(all_nan=float("nan"))
    with Store(db_url) as st:
        run_id, created = st.save(wanted, outcome)
        loaded = st.load(run_id)
    assert created and math.isnan(loaded.summary["odd"]) and math.isnan(loaded.summary["inf"])
    assert loaded.timeseries.all_nan.isna().all() and loaded.timeseries.all_nan.dtype == float


def test_the_code_version_names_the_engine_source():
    version = provenance.code_version()
    assert version.startswith(hlssim.__version__ + "+") and len(version.split("+")[1]) == 12
    # It hashes exactly what a simulation imports: the engine, not the store, the CLI or the reports.
    computed = closure(provenance.SIMULATION, import_graph())
    assert {"hlssim.mechanisms.casework", "hlssim.model.service", "hlssim.outputs.metrics",
            "hlssim.params.groups"} <= computed
    assert not any(name.startswith(("hlssim.store", "hlssim.cli")) for name in computed)
