"""Sweeps on a real Dask cluster give the same numbers as local runs, and leave no Dask process behind.

Two clusters, both real: a ``LocalCluster`` of two worker processes (for the runner), and the
``dask scheduler`` and ``dask worker`` commands on loopback (for ``hlssim sweep --scheduler``), shut
down in the order that lets every process exit cleanly (worker, then scheduler).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import psutil
import pytest
from sweep_helpers import wait_for, write_sweep

from hlssim.cli import main
from hlssim.experiments.runner import ClusterError, run_each
from hlssim.experiments.sweeps.file import load
from hlssim.experiments.sweeps.plan import make_plan
from hlssim.store import Store
from hlssim.store import sweeps as stored

DASK = str(Path(sys.executable).with_name("dask"))


def _gone(pids: list[int], seconds: float = 120) -> list[int]:
    """Wait (really) for the processes to end; the ones still running."""
    procs = [p for p in (_process(pid) for pid in pids) if p is not None]
    _, alive = psutil.wait_procs(procs, timeout=seconds)
    return [p.pid for p in alive]


def _process(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None


@pytest.fixture
def dask_cli_cluster(tmp_path):
    """`dask scheduler` and one `dask worker` (its nanny and worker process) on 127.0.0.1; yields the address."""
    from dask.distributed import Client
    scheduler_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(scheduler_file)], stdout=subprocess.DEVNULL,
                                 stderr=open(tmp_path / "scheduler.log", "w"))
    worker = None
    pids = [scheduler.pid]
    try:
        wait_for(lambda: scheduler_file.exists() and scheduler_file.read_text().strip(), 300, "the Dask scheduler")
        address = json.loads(scheduler_file.read_text())["address"]
        worker = subprocess.Popen([DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                   "--host", "127.0.0.1"], stdout=subprocess.DEVNULL,
                                  stderr=open(tmp_path / "worker.log", "w"))
        pids.append(worker.pid)
        with Client(address, timeout=120) as client:
            client.wait_for_workers(1, timeout=300)
        pids += [c.pid for c in psutil.Process(worker.pid).children(recursive=True)]
        yield address
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=120)
        if scheduler.poll() is None:
            try:
                with Client(address, timeout=60) as client:
                    client.shutdown()
            except Exception:  # noqa: BLE001 - the scheduler may not have come up
                scheduler.terminate()
            scheduler.wait(timeout=120)
    assert _gone(pids) == [], "every Dask process the test started has ended"


def test_sequential_joblib_and_a_dask_cluster_give_the_same_numbers(tmp_path):
    from dask.distributed import Client, LocalCluster
    specs = make_plan(load(write_sweep(tmp_path, points=2, seeds=2))).specs
    sequential = [o for _, o in run_each(specs, jobs=1)]
    parallel = [o for _, o in run_each(specs, jobs=2)]
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        with Client(cluster) as client:
            workers = list(client.run(os.getpid).values())
        on_dask = [o for _, o in run_each(specs, scheduler=cluster.scheduler_address)]
    assert len(set(workers)) == 2 and os.getpid() not in workers, "the runs went to two other processes"
    for seq, par, dask in zip(sequential, parallel, on_dask, strict=True):
        assert seq.ok and par.ok and dask.ok
        assert _same(seq.summary, par.summary) and _same(seq.summary, dask.summary)
        pd.testing.assert_frame_equal(seq.timeseries, dask.timeseries)
    assert _gone(workers) == [], "the LocalCluster's worker processes have ended"


def _same(a: dict, b: dict) -> bool:
    return pd.Series(a).equals(pd.Series(b))


def test_hlssim_sweep_on_a_dask_cluster_stores_what_a_local_sweep_does(tmp_path, dask_cli_cluster, capsys):
    path = write_sweep(tmp_path, points=3, seeds=2)
    sweep_id = make_plan(load(path)).sweep_id
    local, remote = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'dask.db'}"
    assert main(["sweep", str(path), "--jobs", "2", "--db", local, "--quiet"]) == 0
    assert main(["sweep", str(path), "--scheduler", dask_cli_cluster, "--db", remote, "--quiet"]) == 0
    assert f"on the Dask cluster at {dask_cli_cluster}" in capsys.readouterr().err
    frames = []
    for url in (local, remote):
        with Store(url) as st:
            frames.append(stored.frame(st, sweep_id).drop(columns="run_id").sort_values(["point", "lever", "seed"])
                          .reset_index(drop=True))
    assert len(frames[0]) == 12
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_an_unreachable_scheduler_is_a_clear_failure(tmp_path):
    specs = make_plan(load(write_sweep(tmp_path, points=1, seeds=1))).specs
    with pytest.raises(ClusterError, match="cannot reach a Dask scheduler at tcp://127.0.0.1:9"):
        list(run_each(specs, scheduler="tcp://127.0.0.1:9", connect_seconds=2))
