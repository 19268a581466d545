"""The run-selector language of ``hlssim compare``: which stored runs a word on the command line means.

A run id (``7``), a series id or its prefix (``8c8ce738c1``), or a scenario name or file with
an optional ``@npm``/``@hls``/``@mix`` (its most recent series). Completed runs only.
"""

from __future__ import annotations

import pandas as pd

from ..params.scenarios import load as load_scenario
from ..store import Store, StoreInputError
from ..store.schema import COMPLETE


def select(store: Store, selector: str) -> tuple[str, pd.DataFrame]:
    """A label for people and the chosen runs (``Store.runs`` frame)."""
    text = str(selector).strip()
    if text.isdigit():
        frame = store.runs(run_ids=[int(text)], status=None)
        if frame.empty:
            raise StoreInputError(f"no run {text} in {store.url}; `hlssim list` shows the stored runs")
        if frame.status.iloc[0] != COMPLETE:
            raise StoreInputError(f"run {text} is {frame.status.iloc[0]}: {frame.error.iloc[0]}")
        return f"run {text}", frame
    name, _, regime = text.partition("@")
    if name.endswith((".yaml", ".yml")):
        name = load_scenario(name).name
    frame = store.runs(scenario=name)
    if regime:
        frame = frame[frame.regime == regime]
    if not frame.empty:
        latest = frame.sort_values("finished_at").series_key.iloc[-1]
        chosen = frame[frame.series_key == latest]
        return f"{text} (series {latest[:10]})", chosen.reset_index(drop=True)
    if len(text) >= 6 and all(c in "0123456789abcdef" for c in text):
        frame = store.runs(series=text)
        if frame.series_key.nunique() > 1:
            raise StoreInputError(f"series {text!r} is ambiguous; give more characters")
        if not frame.empty:
            return f"series {text}", frame
    raise StoreInputError(f"{text!r}: no completed runs of that scenario{' under ' + regime if regime else ''}, "
                          f"no such run id and no such series in {store.url}; `hlssim list` shows what is stored")
