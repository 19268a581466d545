"""What a figure or a report is drawn from: a group of runs (one scenario on several seeds) and
the paired comparison of two groups, seed by seed.

A group comes from the results store (``Group.from_store``) or straight from the runner
(``Group.from_outcomes``, for the live page); everything downstream reads the same fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..experiments.runner import Outcome, RunSpec
from ..outputs.applicability import not_applicable_in_all
from ..outputs.comparability import not_comparable_flat
from ..outputs.stats import paired_differences
from ..params import Params
from ..store import Store
from ..store.schema import META_COLUMNS
from ..util.ranges import ranges

# Counterfactual keys a single run leaves undefined and a comparison fills in: the key, the key it
# is read off, and how (A's value minus B's: what B avoided against A, on the same seed).
COUNTERFACTUALS = {"crisis_cost_avoided_per_smd_citizen_year": "crisis_cost_per_smd_citizen_year"}


def fill_counterfactuals(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    """Fill in, in place, the counterfactual keys of two frames paired by seed (same index): A against
    itself avoids nothing (0), B avoids A's value minus its own. Returns the keys filled."""
    filled = [k for k, base in COUNTERFACTUALS.items() if k in a and k in b and base in a and base in b]
    for key in filled:
        base = COUNTERFACTUALS[key]
        a[key], b[key] = 0.0, a[base] - b[base]
    return filled


def in_comparison(not_applicable) -> list[str]:
    """The n/a keys that stay n/a when two groups are compared: a comparison fills the counterfactuals."""
    return [k for k in not_applicable if k not in COUNTERFACTUALS]


class NothingInCommon(ValueError):
    """Two groups that share no seed cannot be compared pair by pair."""


@dataclass
class Group:
    """One scenario's runs: a summary row and a weekly series per seed, and the shared parameters."""

    label: str
    scenario: str
    description: str
    regime: str
    summaries: pd.DataFrame                 # index: seed; columns: summary keys
    timeseries: pd.DataFrame                # columns: seed, week, then the weekly measures
    params: dict[str, Any]                  # flat (dotted keys), as every run of the group has them
    weeks: tuple[int, ...]
    commits: tuple[str, ...] = ()
    run_ids: tuple[int, ...] = ()

    @property
    def seeds(self) -> list[int]:
        return sorted(int(s) for s in self.summaries.index)

    @property
    def not_applicable(self) -> tuple[str, ...]:
        """Keys whose mechanism cannot act in these runs: drawn nowhere, never as zeros."""
        return not_applicable_in_all(self.params, self.summaries.to_dict("records"))

    def changed_params(self) -> dict[str, Any]:
        """Parameters that differ from the documented defaults."""
        defaults = Params().flat()
        return {k: v for k, v in self.params.items() if defaults.get(k, object()) != v}

    @classmethod
    def from_store(cls, store: Store, label: str, runs: pd.DataFrame) -> Group:
        """A group from a ``Store.runs`` frame (e.g. what ``hlssim compare``'s selectors chose)."""
        runs = runs.sort_values("seed").drop_duplicates("seed", keep="last")
        ids = [int(i) for i in runs.run_id]
        first = store.load(ids[0])
        seed_of = dict(zip(ids, runs.seed.astype(int), strict=True))
        series = store.timeseries(ids)
        series.insert(0, "seed", series.pop("run_id").map(seed_of))
        keys = [c for c in runs.columns if c not in META_COLUMNS]
        return cls(label=label, scenario=first.scenario, description=first.description or "",
                   regime=first.regime or "", summaries=runs.set_index(runs.seed.astype(int))[keys].astype(float),
                   timeseries=series, params=first.params_dict, weeks=tuple(sorted(set(runs.weeks.astype(int)))),
                   commits=tuple(sorted({c for c in runs.git_commit if c})), run_ids=tuple(ids))

    @classmethod
    def from_outcomes(cls, label: str, specs: Sequence[RunSpec], outcomes: Sequence[Outcome]) -> Group:
        """A group from runs made now and not stored (the live page's what-if)."""
        seeds = [s.seed for s in specs]
        series = pd.concat([o.timeseries.assign(seed=s) for s, o in zip(seeds, outcomes, strict=True)],
                           ignore_index=True)
        series.insert(0, "seed", series.pop("seed"))
        first = specs[0]
        return cls(label=label, scenario=first.scenario, description=first.description, regime=first.regime or "",
                   summaries=pd.DataFrame([o.summary for o in outcomes], index=pd.Index(seeds, name="seed")),
                   timeseries=series, params=dict(first.params), weeks=tuple(sorted({s.weeks for s in specs})),
                   commits=tuple(sorted({o.provenance.get("git_commit") or "" for o in outcomes} - {""})))


@dataclass
class Comparison:
    """B against A on the seeds both have: per seed B - A, and its median and 10th-90th percentiles.

    Counterfactual keys (``COUNTERFACTUALS``) are filled in: A against itself avoids nothing (0),
    B avoids A's value minus its own, so their B - A is what B avoided, seed by seed. Keys the two sides
    cannot be compared on (``outputs.comparability``) keep their numbers but are never stated as findings."""

    a: Group
    b: Group
    seeds: list[int]
    differences: pd.DataFrame               # index: seed; columns: keys; B - A
    table: pd.DataFrame                     # index: keys; A, B, B-A median, B-A p10, B-A p90, B>A share
    not_applicable: tuple[str, ...]         # keys n/a on either side: no difference shown
    notes: list[str] = field(default_factory=list)
    not_comparable: dict[str, str] = field(default_factory=dict)   # key -> why A and B cannot be compared on it

    @classmethod
    def of(cls, a: Group, b: Group) -> Comparison:
        seeds = sorted(set(a.seeds) & set(b.seeds))
        if not seeds:
            raise NothingInCommon(f"{a.label} has seeds {ranges(a.seeds)} and {b.label} has seeds {ranges(b.seeds)}: "
                                  "none in common; run both on the same seeds (e.g. --seeds 5) to compare them")
        keys = [k for k in a.summaries.columns if k in b.summaries.columns]
        fa, fb = a.summaries.loc[seeds, keys].copy(), b.summaries.loc[seeds, keys].copy()
        fill_counterfactuals(fa, fb)
        na = tuple(in_comparison(dict.fromkeys((*a.not_applicable, *b.not_applicable))))
        notes = []
        if set(a.weeks) != set(b.weeks):
            notes.append(f"A ran {ranges(a.weeks)} weeks and B {ranges(b.weeks)}: differences mix the "
                         "regime's effect with the run's length")
        return cls(a, b, seeds, (fb - fa), paired_differences(fa, fb, keys), na, notes,
                   {k: why for k, why in not_comparable_flat(a.params, b.params).items() if k in keys})

    def shown_keys(self, keys: Sequence[str] | None = None) -> list[str]:
        """Keys with a defined difference: not n/a on either side, and not NaN on every seed."""
        wanted = list(keys) if keys is not None else list(self.table.index)
        return [k for k in wanted if k in self.table.index and k not in self.not_applicable
                and self.differences[k].notna().any()]
