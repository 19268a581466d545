"""Sweep throughput: runs per second on one and two local workers, the runner's overhead, and a Dask cluster.

What it measures
----------------
One sweep of ``--runs`` runs (default 40: 20 Latin-hypercube points x NPM and HLS, one seed) at the
default population (2,000 citizens) and length (260 weeks), made four ways, each into a fresh
results store so nothing is reused:

* ``simulate``: ``hlssim.simulate`` on each run's parameters, one after another, nothing stored:
  the engine alone;
* ``runner, 1 worker``: the sweep through the one runner and the store (``store.sweeps.run_sweep``,
  ``--jobs 1``): the engine plus everything a sweep adds (specs, provenance, writing each run);
* ``runner, 2 workers``: the same with two local joblib processes;
* ``dask, 2 workers``: the same on a ``dask.distributed.LocalCluster`` of two single-threaded
  worker processes (``--scheduler``).

Targets: two workers at least 1.8 times one; the runner's overhead over ``simulate`` under 10% (as
CPU time of this process, which other load on the machine moves less than wall time, and as wall time);
Dask within 15% of joblib. Starting the worker pool and the cluster is not timed (a real sweep
pays it once; a cluster already exists); connecting to the cluster is. Every mode must store the
same numbers, which the script checks.

    .venv/bin/python benchmarks/bench_sweep.py [--runs 40] [--weeks 260] [--citizens 2000] [--repeats 1]

Writes ``results/bench_sweep.json``. On a small shared machine other processes move the numbers:
the script records the load average before and after, and the CPU time of this process.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from hlssim.experiments.provenance import git_commit
from hlssim.experiments.runner import run_each
from hlssim.experiments.simulate import simulate
from hlssim.experiments.sweeps.file import load
from hlssim.experiments.sweeps.plan import Plan, make_plan
from hlssim.store import Store
from hlssim.store import sweeps as stored


def bench_plan(folder: Path, runs: int, weeks: int, citizens: int) -> Plan:
    sweep = {"name": "bench", "description": "benchmark sweep", "fixed": {"population.citizens": citizens},
             "levers": ["npm", "hls"], "design": "lhs", "points": runs // 2, "seeds": 1, "weeks": weeks,
             "uncertainties": {"world.uniqueness": [0.4, 1.0], "targets.pressure": [0.4, 1.0]},
             "outcomes": ["flourishing_gain", "data_integrity"]}
    path = folder / "bench.yaml"
    path.write_text(yaml.safe_dump(sweep))
    return make_plan(load(path))


CPU: dict[str, list[float]] = {}     # this process's CPU seconds per mode (the work of the in-process modes)


def timed(fn, name: str | None = None) -> float:
    """Wall-clock seconds of fn(); with a name, also this process's CPU seconds, kept in CPU."""
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    if name:
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return time.perf_counter() - started


def through_store(plan: Plan, folder: Path, name: str, file: str, **how) -> tuple[float, pd.DataFrame]:
    """Seconds to make and store the whole sweep into a fresh store, and what was stored."""
    url = f"sqlite:///{folder / (file + '.db')}"
    with Store(url) as store:
        seconds = timed(lambda: stored.run_sweep(store, plan, **how), name)
        frame = stored.frame(store, plan.sweep_id).drop(columns="run_id")
    return seconds, frame.sort_values(["point", "lever", "seed"]).reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--citizens", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=1, help="repeat each mode and keep the fastest")
    parser.add_argument("--out", default="results/bench_sweep.json")
    args = parser.parse_args()

    from dask.distributed import LocalCluster
    load_before = os.getloadavg()
    cpu_before = time.process_time()
    with tempfile.TemporaryDirectory(prefix="hlssim-bench-") as tmp:
        folder = Path(tmp)
        plan = bench_plan(folder, args.runs, args.weeks, args.citizens)
        specs = plan.specs
        list(run_each(specs[:2], jobs=2))                 # start the joblib worker pool (not timed)
        cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                               host="127.0.0.1")
        seconds: dict[str, list[float]] = {}
        frames = {}
        try:
            modes = [("simulate", None), ("runner, 1 worker", {"jobs": 1}), ("runner, 2 workers", {"jobs": 2}),
                     ("dask, 2 workers", {"scheduler": cluster.scheduler_address})]
            for repeat in range(args.repeats):
                # Each repeat runs the modes in the reverse order of the last, so a change in the machine's load
                # during the benchmark does not always fall on the same mode.
                for i, (name, how) in enumerate(modes if repeat % 2 == 0 else modes[::-1]):
                    if how is None:
                        took = timed(lambda: [simulate(None, seed=s.seed, weeks=s.weeks, overrides=s.overrides)
                                              for s in specs], name)
                    else:
                        took, frames[name] = through_store(plan, folder, name, f"mode{i}-repeat{repeat}", **how)
                    seconds.setdefault(name, []).append(took)
        finally:
            cluster.close()
    best = {name: min(values) for name, values in seconds.items()}
    first = next(iter(frames.values()))
    same = all(first.equals(frame) for frame in frames.values())

    n = len(specs)
    print(f"sweep of {n} runs: {args.citizens:,} citizens, {args.weeks} weeks, NPM and HLS at "
          f"{n // 2} LHS points; fastest of {args.repeats}")
    print(f"{'mode':<20} {'seconds':>8} {'runs/s':>7}")
    for name, took in best.items():
        print(f"{name:<20} {took:8.1f} {n / took:7.2f}")
    speedup = best["runner, 1 worker"] / best["runner, 2 workers"]
    overhead = best["runner, 1 worker"] / best["simulate"] - 1
    cpu = {name: min(values) for name, values in CPU.items()}
    cpu_overhead = cpu["runner, 1 worker"] / cpu["simulate"] - 1
    dask_ratio = best["dask, 2 workers"] / best["runner, 2 workers"]
    print(f"\n2 workers / 1 worker:           {speedup:.2f}x   (target >= 1.8x)")
    print(f"runner overhead over simulate:  {cpu_overhead:+.1%} of CPU time, {overhead:+.1%} of wall time (target < 10%; "
          f"{(cpu['runner, 1 worker'] - cpu['simulate']) / n * 1000:.0f} ms of CPU a run)")
    print(f"dask / joblib, 2 workers:       {dask_ratio:.2f}    (target within 15%: <= 1.15)")
    print(f"same numbers stored by every mode: {'yes' if same else 'NO'}")
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores: anything else running "
          "moves these numbers)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runs": n, "weeks": args.weeks, "citizens": args.citizens, "seconds": seconds,
                               "best": best, "cpu_seconds": CPU, "speedup_2_workers": speedup,
                               "runner_overhead_wall": overhead, "runner_overhead_cpu": cpu_overhead,
                               "dask_over_joblib": dask_ratio, "same_numbers": same, "git_commit": git_commit(),
                               "load_before": load_before, "load_after": load_after,
                               "cpu_seconds_this_process": time.process_time() - cpu_before}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":       # Dask's worker processes re-import this file
    main()
