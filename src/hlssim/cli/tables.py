"""Tables for people: run summaries, spreads over seeds, paired comparisons."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from ..outputs.applicability import NOTE
from ..outputs.metrics import SUMMARY_KEYS
from ..outputs.stats import HIGH, LOW, spread
from ..reports.money import fmt
from ..util.jsonsafe import json_safe


NA = "n/a"


def ordered_keys(keys: Iterable[str]) -> list[str]:
    """The contract's summary keys first, in their documented order, then any diagnostics."""
    present = list(dict.fromkeys(keys))
    return [k for k in SUMMARY_KEYS if k in present] + [k for k in present if k not in SUMMARY_KEYS]


def _footnote(used: bool) -> str:
    return f"\n{NOTE}" if used else ""


def headline_table(summaries: dict[str, dict], not_applicable: dict[str, Iterable[str]] | None = None) -> str:
    """The contract's summary keys as rows, one column per run; keys a run's mechanisms cannot move show n/a."""
    na = {name: set((not_applicable or {}).get(name, ())) for name in summaries}
    frame = pd.DataFrame({name: {k: NA if k in na[name] else fmt(s.get(k, math.nan)) for k in SUMMARY_KEYS}
                          for name, s in summaries.items()})
    return frame.to_string() + _footnote(any(na[name] & set(SUMMARY_KEYS) for name in na))


def summary_table(groups: dict[str, list[dict]], not_applicable: dict[str, Iterable[str]] | None = None) -> str:
    """One column per group of runs; a single run shows its value, several show median [p10, p90];
    keys whose mechanism cannot act in a group show n/a, with a footnote."""
    keys = ordered_keys(k for runs in groups.values() for s in runs for k in s)
    columns: dict[str, dict[str, str]] = {}
    used = False
    for name, runs in groups.items():
        na = set((not_applicable or {}).get(name, ()))
        cells = {}
        for key in keys:
            values = [s.get(key, math.nan) for s in runs]
            if key in na:
                cells[key], used = NA, True
            elif len(runs) == 1:
                cells[key] = fmt(values[0])
            else:
                mid, low, high = spread(values)
                cells[key] = f"{fmt(mid)} [{fmt(low)}, {fmt(high)}]"
        header = name if len(runs) == 1 else f"{name} (n={len(runs)})"
        columns[header] = cells
    frame = pd.DataFrame(columns).reindex(keys)
    note = "" if all(len(r) == 1 for r in groups.values()) else \
        f"\nmedian [{LOW}th, {HIGH}th percentile] over seeds"
    return frame.to_string() + note + _footnote(used)


def summary_stats(groups: dict[str, list[dict]]) -> dict[str, dict[str, dict[str, float | None]]]:
    """Median, p10 and p90 of every summary key for each group: the JSON form of summary_table."""
    out = {}
    for name, runs in groups.items():
        keys = ordered_keys(k for s in runs for k in s)
        stats = {"median": {}, f"p{LOW}": {}, f"p{HIGH}": {}}
        for key in keys:
            mid, low, high = spread([s.get(key, math.nan) for s in runs])
            stats["median"][key], stats[f"p{LOW}"][key], stats[f"p{HIGH}"][key] = json_safe([mid, low, high])
        out[name] = stats
    return out


def comparison_table(diffs: pd.DataFrame, na_a: Iterable[str] = (), na_b: Iterable[str] = (),
                     apart: dict[str, str] | None = None) -> str:
    """Paired differences as text; where a key is n/a on either side, its differences are n/a too; where the two
    sides cannot be compared on a key (``apart``: key -> why), its differences say 'not compared'."""
    na_a, na_b, apart = set(na_a), set(na_b), apart or {}
    text = pd.DataFrame(index=diffs.index, columns=diffs.columns, dtype=object)
    for key, row in diffs.iterrows():
        for column, value in row.items():
            side_na = (column == "A" and key in na_a) or (column == "B" and key in na_b) or \
                      (column not in ("A", "B") and key in na_a | na_b)
            if side_na:
                text.loc[key, column] = NA
            elif key in apart and column not in ("A", "B"):
                text.loc[key, column] = "not compared"
            elif column == "B>A share":
                text.loc[key, column] = "nan" if math.isnan(value) else f"{value:.0%}"
            else:
                text.loc[key, column] = fmt(value)
    shown = [k for k in apart if k in diffs.index]
    note = f"\nnot compared: {', '.join(shown)}: {apart[shown[0]]}" if shown else ""
    return text.to_string() + _footnote(bool(set(diffs.index) & (na_a | na_b))) + note
