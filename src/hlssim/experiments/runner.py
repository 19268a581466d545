"""The one runner: what to run (``RunSpec``), running it (``execute``), and running many in parallel.

Every batch of runs in hlssim goes through :func:`run_each`: ``hlssim run``, sweeps, the funders'
comparisons and scale-up, the sensitivity analysis and the Goodhart demo. Runs go to local
processes (joblib) or, given a scheduler's address, to a Dask cluster (dask.distributed); a run
is a pure function of its spec, so both give the same numbers. It knows nothing of the results
store; callers that store results do so as outcomes arrive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..params import regime_preset, resolve
from ..util.jsonsafe import json_safe
from ..util.progress import progress_bar
from .provenance import code_version, environment


def digest(payload: dict) -> str:
    """A stable hash of a JSON-able payload: what run keys, series keys and sweep ids are made of."""
    text = json.dumps(json_safe(payload), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RunSpec:
    """One run to make: a named set of parameters, a seed and a length. Picklable for worker processes."""

    scenario: str
    overrides: dict[str, Any]      # dotted keys that, on the defaults, give ``params`` (regime included)
    params: dict[str, Any]         # the resolved parameters, flat
    seed: int
    weeks: int
    regime: str | None = None      # npm, hls or mix: a label read off the practices
    description: str = ""
    scenario_file: str | None = None
    chain: tuple[str, ...] = ()
    code: str = field(default_factory=code_version)
    with_cases: bool = False       # also bring back the case log (not stored)
    # The posterior draw this run took (Posterior.record: name, file, sha256, particle, drawn values), or None
    # for a run at the parameters as given. The drawn values are in ``overrides`` and ``params`` too.
    posterior: dict[str, Any] | None = None

    @classmethod
    def from_scenario(cls, scenario, seed: int, weeks: int, posterior=None) -> RunSpec:
        spec = cls(scenario=scenario.name, overrides=dict(scenario.overrides), params=scenario.params.flat(),
                   seed=seed, weeks=weeks, regime=scenario.regime, description=scenario.description,
                   scenario_file=str(scenario.path) if scenario.path else None,
                   chain=tuple(str(p) for p in scenario.chain))
        return spec.with_posterior(posterior) if posterior is not None else spec

    @classmethod
    def build(cls, name: str, regime: str | None, overrides: dict[str, Any] | None, seed: int, weeks: int,
              with_cases: bool = False, posterior=None) -> RunSpec:
        """A run from a regime preset and overrides (validated now, so a bad key fails before any work); with a
        ``posterior``, the particle ``seed`` draws fills every key the preset and overrides leave unset."""
        from ..params.scenarios import regime_label
        merged = {**regime_preset(regime), **(overrides or {})}
        params = resolve(None, merged)
        spec = cls(scenario=name, overrides=merged, params=params.flat(), seed=seed, weeks=weeks,
                   regime=regime_label(params), with_cases=with_cases)
        return spec.with_posterior(posterior) if posterior is not None else spec

    def with_posterior(self, posterior, seed: int | None = None) -> RunSpec:
        """This run (on ``seed``, default its own) with the particle that seed draws from ``posterior`` (a
        ``posterior.Posterior``) under everything the run sets explicitly, which wins."""
        from ..params.scenarios import regime_label
        seed = self.seed if seed is None else seed
        explicit = {k: v for k, v in self.overrides.items() if k not in self.drawn}
        overrides, taken = posterior.apply(seed, explicit)
        params = resolve(None, overrides)
        return replace(self, seed=seed, overrides=overrides, params=params.flat(), regime=regime_label(params),
                       posterior=posterior.record(seed, taken))

    @property
    def drawn(self) -> dict[str, Any]:
        """The values this run took from a posterior draw (none without one)."""
        return dict((self.posterior or {}).get("drawn") or {})

    @property
    def run_key(self) -> str:
        """A run's identity: the same scenario, parameters, seed, weeks and code give the same key (and, for a
        run drawn from a posterior, the same posterior file)."""
        payload = {"scenario": self.scenario, "params": self.params, "seed": self.seed, "weeks": self.weeks,
                   "code": self.code}
        if self.posterior is not None:
            payload["posterior"] = self.posterior["sha256"]
        return digest(payload)

    @property
    def series_key(self) -> str:
        """What a run is, less its seed: runs of one series differ only by seed. A run drawn from a posterior
        differs from its neighbours in the drawn values too, so its series is the parameters it did not draw
        and the posterior file it drew them from: never the same series as runs at the parameters as given."""
        if self.posterior is None:
            return digest({"scenario": self.scenario, "params": self.params, "weeks": self.weeks, "code": self.code})
        given = {k: v for k, v in self.params.items() if k not in self.drawn}
        return digest({"scenario": self.scenario, "params": given, "weeks": self.weeks, "code": self.code,
                       "posterior": self.posterior["sha256"], "drawn_keys": sorted(self.drawn)})

    def with_seed(self, seed: int) -> RunSpec:
        """This run on another seed (drawing that seed's particle again if it drew from a posterior)."""
        if self.posterior is not None:
            from .posterior import load_posterior
            return self.with_posterior(load_posterior(self.posterior["file"]), seed)
        return replace(self, seed=seed)


@dataclass
class Outcome:
    """What a run produced, or the error that stopped it."""

    summary: dict[str, float] | None
    timeseries: pd.DataFrame | None
    provenance: dict[str, Any]
    started_at: dt.datetime
    finished_at: dt.datetime
    error: str | None = None
    cases: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _provenance(spec: RunSpec, engine: dict[str, Any]) -> dict[str, Any]:
    drawn = {"posterior": spec.posterior} if spec.posterior is not None else {}
    return json_safe({**engine, "regime": spec.regime, "scenario": spec.scenario,
                      "scenario_file": spec.scenario_file, "extends_chain": list(spec.chain),
                      "code_version": spec.code, **drawn, **environment()})


def execute(spec: RunSpec) -> Outcome:
    """Run one spec in this process; an exception becomes a failed outcome, not a crash."""
    from . import simulate as simulation   # looked up at call time, so tests can break the engine
    started = _now()
    if spec.code != code_version():          # e.g. a cluster worker with another hlssim installed
        return Outcome(None, None, _provenance(spec, {}), started, _now(),
                       f"this process runs hlssim code {code_version()} but the run was planned with {spec.code}; "
                       "install the same hlssim where the runs execute")
    try:
        result = simulation.simulate(regime=None, seed=spec.seed, weeks=spec.weeks, overrides=spec.overrides)
    except Exception as err:  # noqa: BLE001 - kept as the run's error
        return Outcome(None, None, _provenance(spec, {}), started, _now(), f"{type(err).__name__}: {err}")
    if result.params.flat() != spec.params:
        return Outcome(None, None, _provenance(spec, result.provenance), started, _now(),
                       "resolved parameters differ from the scenario's; the run would not be what was asked")
    return Outcome(result.summary, result.timeseries, _provenance(spec, result.provenance), started, _now(),
                   cases=result.cases if spec.with_cases else None)


def worker_count(jobs: int | None, runs: int) -> int:
    """Processes to use: ``jobs`` (default one per core), never more than there are runs."""
    return max(1, min(runs, jobs or os.cpu_count() or 1))


def leave_with_parent(parent: int, every_seconds: float = 0.5) -> None:
    """A local worker process's initializer: it ends when the process that started it has gone, even one killed
    with SIGKILL (which cannot tidy up), rather than wait minutes for its idle timeout; the resource trackers
    then see their pipes close and end too. Ctrl-C is left to the parent, which stops the workers itself.

    A thread watches the parent id rather than prctl(PR_SET_PDEATHSIG): that signal follows the *thread* that
    started the worker, which may end long before the process (e.g. a thread of the live page)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="hlssim-leave-with-parent", daemon=True).start()


class ClusterError(RuntimeError):
    """A Dask scheduler that cannot be reached, or whose workers run other hlssim code."""


def _on_dask(function: Callable[[Any], Any], items: Sequence[Any], address: str,
             connect_seconds: float) -> Iterator[Any]:
    """``function`` of each item on a Dask cluster's workers, results handed back in order."""
    from dask.distributed import Client
    try:
        client = Client(address, timeout=connect_seconds, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"cannot reach a Dask scheduler at {address}: {err}") from None
    with client:
        try:
            versions = client.run(code_version)
        except Exception as err:  # noqa: BLE001 - a worker that cannot import hlssim
            raise ClusterError(f"the Dask workers at {address} cannot run hlssim: {err}") from None
        other = sorted({v for v in versions.values() if v != code_version()})
        if other:
            raise ClusterError(f"Dask workers at {address} run hlssim code {', '.join(other)}, this machine "
                               f"{code_version()}; install the same hlssim on every worker")
        futures = client.map(function, list(items), pure=False)
        try:
            for future in futures:
                yield future.result()
                future.release()
        finally:
            client.cancel([f for f in futures if not f.done()])


def map_each(function: Callable[[Any], Any], items: Sequence[Any], jobs: int | None = None, progress: bool = False,
             description: str = "runs", scheduler: str | None = None,
             connect_seconds: float = 20.0) -> Iterator[tuple[int, Any]]:
    """``function`` (a picklable, top-level function) of every item, in parallel processes when there are
    several, yielding (index, result) in order: the runner's pool, for work that is more than one run (a
    calibration's candidate runs several). With ``scheduler`` (a Dask address such as ``tcp://host:8786``) the
    work goes to that cluster's workers instead of local processes (waiting ``connect_seconds`` to reach it),
    and ``jobs`` is not used. With ``progress``, a bar on stderr counts finished items (two or more)."""
    if not items:
        return
    if scheduler:
        results = _on_dask(function, items, scheduler, connect_seconds)
    elif worker_count(jobs, len(items)) == 1:
        results = (function(item) for item in items)
    else:
        from joblib import Parallel, delayed
        # Stopping early (Ctrl-C) cancels the work not yet back; joblib's warning about it is for programmers.
        warnings.filterwarnings("ignore", message=r"\d+ tasks which were still being processed by the workers "
                                "have been cancelled", category=UserWarning)
        results = Parallel(n_jobs=worker_count(jobs, len(items)), return_as="generator", backend="loky",
                           initializer=leave_with_parent, initargs=(os.getpid(),))(
            delayed(function)(item) for item in items)
    if progress and len(items) >= 2:
        results = progress_bar(results, total=len(items), description=description)
    yield from enumerate(results)


def run_each(specs: Sequence[RunSpec], jobs: int | None = None, progress: bool = False,
             description: str = "runs", scheduler: str | None = None,
             connect_seconds: float = 20.0) -> Iterator[tuple[int, Outcome]]:
    """Run every spec, in parallel processes when there are several, yielding (index, outcome) in order.

    With ``scheduler`` (a Dask address such as ``tcp://host:8786``) the runs go to that cluster's
    workers instead of local processes (waiting ``connect_seconds`` to reach it), and ``jobs`` is not used. With ``progress``, a bar on
    stderr counts finished runs (only when there are two or more)."""
    yield from map_each(execute, specs, jobs, progress, description, scheduler, connect_seconds)


def run_all(specs: Sequence[RunSpec], jobs: int | None = None, progress: bool = False,
            description: str = "runs") -> list[Outcome]:
    """Every spec's outcome, in order; raises if any run failed (for analyses that need them all)."""
    outcomes = [outcome for _, outcome in run_each(specs, jobs, progress, description)]
    failed = [(spec, o) for spec, o in zip(specs, outcomes, strict=True) if not o.ok]
    if failed:
        spec, outcome = failed[0]
        raise RuntimeError(f"{len(failed)} of {len(specs)} run(s) failed; first: {spec.scenario}, "
                           f"seed {spec.seed}: {outcome.error}")
    return outcomes
