"""The run-selector language of ``hlssim compare``: which stored runs a word on the command line means.

A run id (``7``), a series id or its prefix (``8c8ce738c1``, from ``hlssim list --series``), or a
scenario name or file with an optional ``@npm``/``@hls``/``@mix`` (its most recent series).
Completed runs only. Commands that only read open the store with :func:`open_to_read`, which
never creates one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..params.scenarios import load as load_scenario
from ..store.errors import StoreInputError, StoreMissing

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store
    from ..store.series import Identity


@contextmanager
def open_to_read(db: str | os.PathLike | None, doing: str) -> Iterator[Store]:
    """The store, opened to read: never created; with none there, one line that starts with ``doing``."""
    from ..store import Store
    try:
        store = Store(db, create=False)
    except StoreMissing as err:
        raise StoreInputError(f"{doing}: {err}") from None
    with store:
        yield store


def select(store: Store, selector: str, posterior: str | None = None) -> tuple[str, pd.DataFrame]:
    """A label for people and the chosen runs (``Store.runs`` frame). A scenario name picks its latest series
    at the parameters as given, or, with ``posterior`` (``NAME@HASH``), its latest series drawn from it."""
    from ..store.schema import COMPLETE
    from ..store.series import series_id
    text = str(selector).strip()
    frame = store.runs(run_ids=[int(text)], status=None) if text.isdigit() else None
    if frame is not None and frame.empty and not _could_be_series(text):
        raise StoreInputError(f"no run {text} in {store.url}; `hlssim list` shows the stored runs")
    if frame is not None and not frame.empty:      # a run id; else digits may start a series id (6% of prefixes do)
        if frame.status.iloc[0] != COMPLETE:
            raise StoreInputError(f"run {text} is {frame.status.iloc[0]}: {frame.error.iloc[0]}")
        return f"run {text} ({frame.scenario.iloc[0]}, series {series_id(frame.series_key.iloc[0])})", frame
    name, _, regime = text.partition("@")
    if name.endswith((".yaml", ".yml")):
        name = load_scenario(name).name
    frame = store.runs(scenario=name)
    if regime:
        frame = frame[frame.regime == regime]
    if not frame.empty:
        everything = frame
        frame = _drawn_from(store, frame, posterior)
        if frame.empty:
            other = "a posterior" if posterior is None else "another posterior or none"
            raise StoreInputError(f"{text!r}: its stored series all drew from {other}, not "
                                  f"{'the parameters as given' if posterior is None else posterior}; "
                                  + ("add --posterior NAME" if posterior is None else
                                     f"run it with --posterior first (`hlssim run {name} --posterior ... --seeds N`)")
                                  + f" ({everything.series_key.nunique()} series stored)")
        latest = frame.sort_values("finished_at").series_key.iloc[-1]
        chosen = frame[frame.series_key == latest]
        return f"{text} (series {series_id(latest)})", chosen.reset_index(drop=True)
    if _could_be_series(text):
        frame = store.runs(series=text)
        if frame.series_key.nunique() > 1:
            raise StoreInputError(f"series {text!r} is ambiguous; give more characters")
        if not frame.empty:
            return f"{frame.scenario.iloc[0]} (series {series_id(frame.series_key.iloc[0])})", frame
    raise StoreInputError(f"{text!r}: no completed runs of that scenario{' under ' + regime if regime else ''}, "
                          f"no such run id and no such series in {store.url}; `hlssim list --series` shows what "
                          "is stored")


def _drawn_from(store: Store, frame: pd.DataFrame, posterior: str | None) -> pd.DataFrame:
    """The runs of the series that drew from ``posterior`` (``NAME@HASH``), or from none when it is None."""
    firsts = frame.groupby("series_key").run_id.min()
    keep = {key for key, run_id in firsts.items() if store.identity(int(run_id)).posterior == posterior}
    return frame[frame.series_key.isin(keep)]


def _could_be_series(text: str) -> bool:
    """Whether ``text`` could be a series id or its prefix (6+ hexadecimal characters, digits included)."""
    return len(text) >= 6 and all(c in "0123456789abcdef" for c in text)


def identity(store: Store, runs: pd.DataFrame) -> Identity:
    """What the chosen runs are (a selection is one series, or one run)."""
    return store.identity(int(runs.run_id.iloc[0]))
