"""Tables and files that present results to people: the headline comparison."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from .metrics import SUMMARY_KEYS


def headline_table(summaries: dict[str, dict]) -> str:
    """The contract's summary keys as rows, one column per run."""
    frame = pd.DataFrame({name: {k: s.get(k, math.nan) for k in SUMMARY_KEYS} for name, s in summaries.items()})
    return frame.to_string(float_format=lambda v: f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}")


def write_comparison(results: dict, out: Path) -> list[Path]:
    """Write summary, time series and provenance for each run; files are replaced whole."""
    out.mkdir(parents=True, exist_ok=True)
    summary = pd.DataFrame({name: r.summary for name, r in results.items()}).T
    summary.index.name = "regime"
    timeseries = pd.concat([r.timeseries.assign(regime=name) for name, r in results.items()])
    provenance = {name: r.provenance for name, r in results.items()}
    paths = [out / "summary.csv", out / "timeseries.csv", out / "provenance.json"]
    tmp = [p.with_suffix(p.suffix + ".tmp") for p in paths]
    summary.to_csv(tmp[0])
    timeseries.to_csv(tmp[1], index=False)
    tmp[2].write_text(json.dumps(provenance, indent=2, default=str))
    for t, p in zip(tmp, paths, strict=True):
        t.replace(p)
    return paths
