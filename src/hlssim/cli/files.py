"""Files for people and spreadsheets: a run's or a comparison's summaries, series and provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..util.files import replace_files

if TYPE_CHECKING:
    import pandas as pd

COMPARISON_FILES = ("summary.csv", "timeseries.csv", "provenance.json")
RUN_FILES = ("summary.csv", "summary_stats.csv", "timeseries.csv", "provenance.json")
PAIRED_FILE = "comparison.csv"


def write_comparison(results: dict, out: Path) -> list[Path]:
    """Write summary, time series and provenance for each run; files are replaced whole."""
    import pandas as pd
    out.mkdir(parents=True, exist_ok=True)
    summary = pd.DataFrame({name: r.summary for name, r in results.items()}).T
    summary.index.name = "regime"
    timeseries = pd.concat([r.timeseries.assign(regime=name) for name, r in results.items()])
    provenance = {name: r.provenance for name, r in results.items()}
    paths = [out / name for name in COMPARISON_FILES]
    return replace_files(paths, [summary.to_csv, lambda p: timeseries.to_csv(p, index=False),
                                 lambda p: p.write_text(json.dumps(provenance, indent=2, default=str))])


def write_runs(runs: pd.DataFrame, stats: dict, timeseries: pd.DataFrame, provenance: dict, out: Path,
               comparison: pd.DataFrame | None = None, not_applicable: dict | None = None) -> list[Path]:
    """Write stored runs for people: one summary row per run, the medians and percentiles per group,
    the weekly series of every run, the provenance and, if given, the paired comparison.
    A ``not_applicable`` column lists, per run or group, the keys its mechanisms cannot move.
    Files are replaced whole."""
    import pandas as pd
    out.mkdir(parents=True, exist_ok=True)
    na = {group: ";".join(keys) for group, keys in (not_applicable or {}).items()}
    if "group" in runs:
        runs = runs.assign(not_applicable=runs.group.map(na).fillna(""))
    stats_rows = [{"group": group, "statistic": stat, **values, "not_applicable": na.get(group, "")}
                  for group, by_stat in stats.items() for stat, values in by_stat.items()]
    paths = [out / name for name in RUN_FILES]
    writers = [
        lambda p: runs.to_csv(p, index=False),
        lambda p: pd.DataFrame(stats_rows).to_csv(p, index=False),
        lambda p: timeseries.to_csv(p, index=False),
        lambda p: p.write_text(json.dumps(provenance, indent=2, default=str)),
    ]
    if comparison is not None:
        paths.append(out / PAIRED_FILE)
        writers.append(lambda p: comparison.rename_axis("key").to_csv(p))
    return replace_files(paths, writers)
