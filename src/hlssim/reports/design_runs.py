"""A design search's runs: every design, business as usual and the shipped presets on the same worlds, each run
through the one runner and kept in the results store.

World ``s`` is seed ``s`` with the particle it draws from the posterior: every design, business as usual (the
npm preset on the same place, ``funding.pair``) and every preset meet the same citizens, life events and
parameters there (common random numbers). A design's runs are named ``design:NAME`` after the design file and
keyed like any run (scenario, parameters, seed, weeks, code, posterior), so a design the optimiser meets again,
or a search run again after a stop, finds its runs stored and makes none twice (``store.batch.run_missing``).

The search's progress is kept beside the results store (``design-searches/ID.json``, written whole after every
generation) for ``hlssim design --status``; the runs themselves are the store's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiments.design import readings as rd
from ..experiments.design.file import Budget, DesignFile
from ..experiments.runner import RunSpec, digest
from ..params import scenarios as scen
from ..store import Store
from ..store.batch import run_missing
from ..util.files import replace_files
from .funding import pair

# Read for every design and shown in the report, whatever the file optimises.
SHOWN = ("flourishing_gain_smd", "flourishing_gain_smd_vs_bau", "cost_per_citizen_year", "cost_per_citizen_year_vs_bau",
         "spend_per_citizen_year", "data_integrity")


def search_id(design: DesignFile, budget: Budget, posterior, code: str) -> str:
    """The search's name, budget and a hash of what it computes: the file, the budget, the posterior and the code."""
    import hashlib
    text = hashlib.sha256(design.source.encode()).hexdigest()
    drawn = posterior.sha256 if posterior is not None else None
    return f"{design.name}-{budget.name}-" + digest({"file": text, "budget": dataclasses.asdict(budget),
                                                     "posterior": drawn, "code": code})[:10]


class RunFailed(RuntimeError):
    """A run of the search failed (its error is stored with it)."""


class Worlds:
    """Designs, business as usual and presets run on the search's worlds, through the runner and the store."""

    def __init__(self, store: Store, design: DesignFile, budget: Budget, posterior=None, jobs: int | None = None,
                 scheduler: str | None = None):
        self.store, self.design, self.budget, self.posterior = store, design, budget, posterior
        self.jobs, self.scheduler = jobs, scheduler
        self.place = self.in_place(design.base)
        versus = [o.reading if o.reading.endswith(rd.VS_BAU) else o.reading + rd.VS_BAU for o in design.objectives]
        self.wanted = list(dict.fromkeys([*SHOWN, *design.readings, *versus]))
        self.new_runs = 0                  # runs made in this sitting
        self.found_runs = 0                # runs asked for that the store already held (a design met again, a resume)
        self.run_ids: set[int] = set()
        self._baseline: dict[int, pd.Series] = {}

    def in_place(self, scenario: scen.Scenario) -> scen.Scenario:
        """A scenario in the budget's place: the file's fixed keys and the budget's citizens on top."""
        return scenario.with_changes(overrides={**self.design.fixed, "population.citizens": self.budget.citizens},
                                     source=self.design.where)

    def seeds(self, holdout: bool = False) -> list[int]:
        """The search's worlds (seeds 1..S), or as many fresh ones after them, which the search never saw."""
        start = self.budget.seeds + 1 if holdout else 1
        return list(range(start, start + self.budget.seeds))

    # ----------------------------------------------------------------- running

    def _run(self, specs: list[RunSpec]) -> pd.DataFrame:
        done = run_missing(self.store, specs, jobs=self.jobs, scheduler=self.scheduler)
        failed = [d for d in done if d.error]
        if failed:
            first = failed[0]
            raise RunFailed(f"{len(failed)} of {len(done)} run(s) failed; first: run {first.run_id} "
                            f"({first.spec.scenario}, seed {first.spec.seed}): {first.error}")
        ids = [d.run_id for d in done]
        new = {d.run_id for d in done if not d.reused}
        self.new_runs += len(new)
        self.found_runs += len(ids) - len(new)
        self.run_ids.update(ids)
        summaries = self.store.runs(run_ids=sorted(set(ids))).set_index("run_id")
        return summaries.loc[ids].assign(run_id=ids).reset_index(drop=True)

    def baseline(self, seeds: list[int]) -> dict[int, pd.Series]:
        """Business as usual on each world (run once, or read from the store)."""
        todo = [s for s in seeds if s not in self._baseline]
        if todo:
            specs = [pair(self.place, s, self.budget.weeks, self.posterior).baseline for s in todo]
            for seed, (_, row) in zip(todo, self._run(specs).iterrows(), strict=True):
                self._baseline[seed] = row
        return {s: self._baseline[s] for s in seeds}

    def design_spec(self, values: dict[str, Any], seed: int) -> RunSpec:
        """The run of one design (lever key -> value) on one world."""
        scenario = self.design.base.with_changes(overrides=self.design.overrides(self.budget, values),
                                                 source=self.design.where)
        spec = RunSpec.from_scenario(scenario, seed, self.budget.weeks, posterior=self.posterior)
        words = "; ".join(f"{k}={v}" for k, v in values.items())
        return dataclasses.replace(spec, scenario=f"design:{self.design.name}",
                                   description=f"A design from the search {self.design.name!r} "
                                               f"({self.design.where}) on {self.design.base.name}: {words}")

    def _read(self, specs: list[RunSpec], groups: int, seeds: list[int]) -> list[pd.DataFrame]:
        """Run ``specs`` (``groups`` designs, each on ``seeds`` in turn) and read each design on each world."""
        baseline = self.baseline(seeds)
        rows = self._run(specs)
        frames = []
        for g in range(groups):
            mine = rows.iloc[g * len(seeds):(g + 1) * len(seeds)]
            frames.append(pd.DataFrame([
                {"seed": s, "run_id": int(r.run_id), "baseline_run": int(baseline[s].run_id),
                 **rd.on_one_world(r, baseline[s], self.wanted)}
                for s, (_, r) in zip(seeds, mine.iterrows(), strict=True)]))
        return frames

    def __call__(self, designs: list[dict[str, Any]], holdout: bool = False) -> list[pd.DataFrame]:
        """Each design's readings on every world (one row per seed): what the search's ``evaluate`` needs."""
        seeds = self.seeds(holdout)
        specs = [self.design_spec(values, s) for values in designs for s in seeds]
        return self._read(specs, len(designs), seeds)

    def presets(self, holdout: bool = False) -> dict[str, pd.DataFrame]:
        """The shipped designs the file compares, and business as usual, read on the same worlds."""
        seeds = self.seeds(holdout)
        chosen = [self.in_place(s) for s in self.design.compare]
        specs = [pair(s, seed, self.budget.weeks, self.posterior).design for s in chosen for seed in seeds]
        frames = self._read(specs, len(chosen), seeds) if chosen else []
        baseline = self.baseline(seeds)
        bau = pd.DataFrame([{"seed": s, "run_id": int(baseline[s].run_id), "baseline_run": int(baseline[s].run_id),
                             **rd.on_one_world(baseline[s], baseline[s], self.wanted)} for s in seeds])
        return {"business-as-usual": bau, **{s.name: f for s, f in zip(self.design.compare, frames, strict=True)}}

    def preset_levers(self) -> dict[str, dict[str, Any]]:
        """Where each preset (and business as usual) sits on the file's levers: its own parameter values (for
        ``practices``, the mean of the six), so the presets can be drawn among the designs."""
        from ..experiments.commissioning import business_as_usual
        from ..params import PRACTICES, resolve
        places = {"business-as-usual": resolve("npm", business_as_usual(self.place.overrides)).flat(),
                  **{s.name: self.in_place(s).params.flat() for s in self.design.compare}}
        out = {}
        for name, flat in places.items():
            out[name] = {lv.key: (sum(flat[f"practices.{p}"] for p in PRACTICES) / len(PRACTICES)
                                  if lv.key == "practices" else flat[lv.key]) for lv in self.design.levers}
        return out


# --------------------------------------------------------------------------- progress beside the store


def journal_path(db: str | None, search: str) -> Path:
    """Where a search's progress is kept: ``<store folder>/design-searches/ID.json`` for a SQLite store; for a
    server store (PostgreSQL) ``results/design-searches/ID.json`` here, on the machine that runs the search."""
    import sqlalchemy as sa

    from ..store.database import database_url, sqlite_file
    found = sqlite_file(sa.make_url(database_url(db)))
    return (found.parent if found is not None else Path("results")) / "design-searches" / f"{search}.json"


def write_journal(path: Path, state: dict[str, Any]) -> None:
    """The search's progress, written whole (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stamped = {**state, "updated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    replace_files([path], [lambda p: p.write_text(json.dumps(stamped, indent=2, default=str), encoding="utf-8")])


def read_journal(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
