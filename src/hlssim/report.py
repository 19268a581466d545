"""Tables and files that present results to people: run summaries, distributions over seeds, comparisons."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .metrics import SUMMARY_KEYS

LOW, HIGH = 10, 90   # the percentiles shown beside each median


def fmt(value: float) -> str:
    """A number as people read it: three decimals for shares and rates, thousands for money."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    if abs(value) < 10:
        return f"{value:,.3f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def ordered_keys(keys: Iterable[str]) -> list[str]:
    """The contract's summary keys first, in their documented order, then any diagnostics."""
    present = list(dict.fromkeys(keys))
    return [k for k in SUMMARY_KEYS if k in present] + [k for k in present if k not in SUMMARY_KEYS]


def headline_table(summaries: dict[str, dict]) -> str:
    """The contract's summary keys as rows, one column per run."""
    frame = pd.DataFrame({name: {k: s.get(k, math.nan) for k in SUMMARY_KEYS} for name, s in summaries.items()})
    return frame.to_string(float_format=fmt)


def distribution(values: Sequence[float]) -> tuple[float, float, float]:
    """Median and the 10th and 90th percentiles, ignoring NaN (all NaN gives NaN)."""
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return math.nan, math.nan, math.nan
    low, mid, high = np.percentile(arr, [LOW, 50, HIGH])
    return float(mid), float(low), float(high)


def summary_table(groups: dict[str, list[dict]]) -> str:
    """One column per group of runs; a single run shows its value, several show median [p10, p90]."""
    keys = ordered_keys(k for runs in groups.values() for s in runs for k in s)
    columns: dict[str, dict[str, str]] = {}
    for name, runs in groups.items():
        cells = {}
        for key in keys:
            values = [s.get(key, math.nan) for s in runs]
            if len(runs) == 1:
                cells[key] = fmt(values[0])
            else:
                mid, low, high = distribution(values)
                cells[key] = f"{fmt(mid)} [{fmt(low)}, {fmt(high)}]"
        header = name if len(runs) == 1 else f"{name} (n={len(runs)})"
        columns[header] = cells
    frame = pd.DataFrame(columns).reindex(keys)
    note = "" if all(len(r) == 1 for r in groups.values()) else \
        f"\nmedian [{LOW}th, {HIGH}th percentile] over seeds"
    return frame.to_string() + note


def summary_stats(groups: dict[str, list[dict]]) -> dict[str, dict[str, dict[str, float | None]]]:
    """Median, p10 and p90 of every summary key for each group: the JSON form of summary_table."""
    out = {}
    for name, runs in groups.items():
        keys = ordered_keys(k for s in runs for k in s)
        stats = {"median": {}, f"p{LOW}": {}, f"p{HIGH}": {}}
        for key in keys:
            mid, low, high = distribution([s.get(key, math.nan) for s in runs])
            stats["median"][key], stats[f"p{LOW}"][key], stats[f"p{HIGH}"][key] = (
                _none(mid), _none(low), _none(high))
        out[name] = stats
    return out


def paired_differences(a: pd.DataFrame, b: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Per summary key: medians of A and B and the distribution of B - A over the seeds both have.

    ``a`` and ``b`` are indexed by seed and hold the same seeds in the same order.
    """
    rows = {}
    for key in keys:
        diff = (b[key] - a[key]).to_numpy(dtype=float)
        mid, low, high = distribution(diff)
        valid = diff[~np.isnan(diff)]
        rows[key] = {
            "A": distribution(a[key])[0],
            "B": distribution(b[key])[0],
            "B-A median": mid,
            f"B-A p{LOW}": low,
            f"B-A p{HIGH}": high,
            "B>A share": float((valid > 0).mean()) if valid.size else math.nan,
        }
    return pd.DataFrame(rows).T


def comparison_table(diffs: pd.DataFrame) -> str:
    frame = diffs.copy()
    if len(frame.columns) and "B>A share" in frame:
        frame["B>A share"] = frame["B>A share"].map(lambda v: "nan" if math.isnan(v) else f"{v:.0%}")
    return frame.to_string(float_format=fmt)


def _none(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def write_comparison(results: dict, out: Path) -> list[Path]:
    """Write summary, time series and provenance for each run; files are replaced whole."""
    out.mkdir(parents=True, exist_ok=True)
    summary = pd.DataFrame({name: r.summary for name, r in results.items()}).T
    summary.index.name = "regime"
    timeseries = pd.concat([r.timeseries.assign(regime=name) for name, r in results.items()])
    provenance = {name: r.provenance for name, r in results.items()}
    paths = [out / "summary.csv", out / "timeseries.csv", out / "provenance.json"]
    return _replace(paths, [summary.to_csv, lambda p: timeseries.to_csv(p, index=False),
                            lambda p: p.write_text(json.dumps(provenance, indent=2, default=str))])


def write_runs(runs: pd.DataFrame, stats: dict, timeseries: pd.DataFrame, provenance: dict, out: Path,
               comparison: pd.DataFrame | None = None) -> list[Path]:
    """Write stored runs for people: one summary row per run, the medians and percentiles per group,
    the weekly series of every run, the provenance and, if given, the paired comparison.
    Files are replaced whole."""
    out.mkdir(parents=True, exist_ok=True)
    stats_rows = [{"group": group, "statistic": stat, **values}
                  for group, by_stat in stats.items() for stat, values in by_stat.items()]
    paths = [out / "summary.csv", out / "summary_stats.csv", out / "timeseries.csv", out / "provenance.json"]
    writers = [
        lambda p: runs.to_csv(p, index=False),
        lambda p: pd.DataFrame(stats_rows).to_csv(p, index=False),
        lambda p: timeseries.to_csv(p, index=False),
        lambda p: p.write_text(json.dumps(provenance, indent=2, default=str)),
    ]
    if comparison is not None:
        paths.append(out / "comparison.csv")
        writers.append(lambda p: comparison.rename_axis("key").to_csv(p))
    return _replace(paths, writers)


def _replace(paths: list[Path], writers: list) -> list[Path]:
    tmp = [p.with_suffix(p.suffix + ".tmp") for p in paths]
    for write, t in zip(writers, tmp, strict=True):
        write(t)
    for t, p in zip(tmp, paths, strict=True):
        t.replace(p)
    return paths


def progress_bar(iterable, total: int, description: str = "runs"):
    """A rich progress bar on stderr around an iterable of finished runs (stdout stays for results)."""
    from rich.console import Console
    from rich.progress import track
    return track(iterable, total=total, description=description, console=Console(stderr=True), transient=True)
