"""Stored runs as files for other tools: runs (metadata, summary, parameters) and weekly series, CSV or Parquet.

Everything is read from the store first, then written into a temporary folder beside ``out`` and
moved into place: a failure at any point leaves no new folder and no half-written file, and the
files of an earlier export stay as they were until the new ones replace them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreInputError

if TYPE_CHECKING:
    import pandas as pd

    from .runs import Store

FORMATS = ("csv", "parquet")


def export(store: Store, run_ids: Sequence[int], fmt: str, out: Path) -> list[Path]:
    """Write ``runs.FORMAT`` and ``timeseries.FORMAT`` into ``out``, each replaced whole."""
    import pandas as pd
    if fmt not in FORMATS:
        raise StoreInputError(f"--format {fmt!r}: allowed: {', '.join(FORMATS)}")
    frame = store.runs(run_ids=run_ids, status=None, with_params=True)
    frame = frame.rename(columns={c: f"params.{c}" for c in frame.columns if "." in str(c)})
    series = store.timeseries(frame.run_id.tolist()) if len(frame) else pd.DataFrame(columns=["run_id", "week"])
    tables = {f"runs.{fmt}": frame, f"timeseries.{fmt}": series}
    return _write_whole(out, {name: _writer(table, fmt) for name, table in tables.items()})


def _writer(table: pd.DataFrame, fmt: str):
    if fmt == "csv":
        return lambda path: table.to_csv(path, index=False)
    return lambda path: table.to_parquet(path, index=False)


def _write_whole(out: Path, writers: dict) -> list[Path]:
    """Write every file in a temporary folder, then move it into place (the folder itself if ``out`` is new)."""
    made = [p for p in [out.parent, *out.parent.parents] if not p.exists()]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
        why = f"{blocker} is a file, not a folder" if blocker else err.strerror or str(err)
        raise StoreInputError(f"--out {out}: cannot create the folder: {why}") from None
    staging = out.parent / f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    staging.mkdir()                              # made as any folder is, so it keeps the usual permissions
    try:
        for name, write in writers.items():
            write(staging / name)
        if not out.exists():
            staging.rename(out)
        else:
            for name in writers:
                (staging / name).replace(out / name)
    except BaseException:
        for folder in [staging, *made]:          # leave nothing behind: no empty folder, no half-written file
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in writers]
