"""Stored runs as files for other tools: runs (metadata, summary, parameters) and weekly series, CSV or Parquet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..util.files import replace_files
from .errors import StoreInputError
from .runs import Store

FORMATS = ("csv", "parquet")


def export(store: Store, run_ids: Sequence[int], fmt: str, out: Path) -> list[Path]:
    """Write ``runs.FORMAT`` and ``timeseries.FORMAT`` into ``out``, each replaced whole."""
    if fmt not in FORMATS:
        raise StoreInputError(f"--format {fmt!r}: allowed: {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    frame = store.runs(run_ids=run_ids, status=None, with_params=True)
    frame = frame.rename(columns={c: f"params.{c}" for c in frame.columns if "." in str(c)})
    series = store.timeseries(frame.run_id.tolist()) if len(frame) else pd.DataFrame(columns=["run_id", "week"])

    def writer(table: pd.DataFrame):
        if fmt == "csv":
            return lambda path: table.to_csv(path, index=False)
        return lambda path: table.to_parquet(path, index=False)

    return replace_files([out / f"runs.{fmt}", out / f"timeseries.{fmt}"], [writer(frame), writer(series)])
