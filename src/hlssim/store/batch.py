"""Running what is not yet stored: a batch of specs through the one runner, each run stored as it finishes.

Runs already stored complete are reused (idempotent by run key), the same run asked for twice
is made once, and a batch that is killed part way keeps every run that finished. Where each run
departs from its scenario file is read off the file when the batch starts, so an edit to the
file while the runs go does not change what they record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..experiments.runner import RunSpec, run_each
from .runs import Store, spec_file
from .schema import COMPLETE
from .series import spec_departures


@dataclass
class Done:
    """A spec that is now in the store: its id and whether it was computed now or found there."""

    spec: RunSpec
    run_id: int
    reused: bool
    error: str | None = None


def run_missing(store: Store, specs: Sequence[RunSpec], jobs: int | None = None,
                progress: bool = False, scheduler: str | None = None) -> list[Done]:
    """Make every spec not yet stored, in parallel when there are several, and store each as it finishes.

    ``scheduler`` (a Dask address) sends the runs to a Dask cluster instead of local processes.
    Returns one Done per spec, in order."""
    done: dict[int, Done] = {}
    todo: list[int] = []
    seen: dict[str, int] = {}
    for i, spec in enumerate(specs):
        key = spec.run_key
        found = store.find(key)
        if found is not None and found[1] == COMPLETE:
            done[i] = Done(spec, found[0], reused=True)
        elif key not in seen:            # the same run asked for twice is made once
            seen[key] = i
            todo.append(i)
    memo: dict[tuple[int, str | None], dict | None] = {}      # a sweep's seeds share one params dict
    diffs = {}
    for i in todo:
        where = (id(specs[i].params), spec_file(specs[i]))
        if where not in memo:
            memo[where] = spec_departures(specs[i].params, where[1], specs[i].drawn)
        diffs[i] = memo[where]
    for j, outcome in run_each([specs[i] for i in todo], jobs, progress, scheduler=scheduler):
        i = todo[j]
        run_id, _ = store.save(specs[i], outcome, diffs[i])
        done[i] = Done(specs[i], run_id, reused=False, error=outcome.error)
    ordered = []
    for i, spec in enumerate(specs):
        if i not in done:                # a duplicate of an earlier spec
            first = done[seen[spec.run_key]]
            done[i] = Done(spec, first.run_id, reused=True, error=first.error)
        ordered.append(done[i])
    return ordered
