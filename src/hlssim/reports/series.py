"""Weekly figures: truth against record, and chosen measures, each scenario as a median line with a
10th-90th percentile band across seeds.

Success rates are read over a rolling window of closures (a target period, 13 weeks, by default):
weekly rates are too noisy to read and a cumulative rate hides change late in a run.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..outputs.stats import spread
from . import keys as K
from .choices import CHOICES
from .runs import Group
from .style import (Caption, Chart, band, figure_function, finish, line_kwargs, money_ticks, new_figure)

RATES = {"true_success_rate": "true_successes", "reported_success_rate": "reported_successes"}
DEFAULT_KEYS = CHOICES.weekly_keys
TRUTH, RECORD = 0, 1       # series styles: the truth solid black, the record dashed


def success_rates(frame: pd.DataFrame, window: int = CHOICES.window) -> pd.DataFrame:
    """The frame with ``true_success_rate`` and ``reported_success_rate`` over the last ``window`` weeks of
    each run (``seed`` column, if any): successes / closures; NaN where nothing closed in the window."""
    if frame.empty:                     # nothing has run yet (the live page at week 0)
        return frame.assign(**dict.fromkeys(RATES, float("nan")))
    frame = frame.sort_values([c for c in ("seed", "week") if c in frame])
    runs = frame.groupby("seed") if "seed" in frame else frame.groupby(lambda _: 0)
    sums = runs[["closures", *RATES.values()]].transform(lambda s: s.rolling(window, min_periods=1).sum())
    closed = sums.closures.where(sums.closures > 0)
    return frame.assign(**{rate: sums[count] / closed for rate, count in RATES.items()})


def not_applicable(groups: Sequence[Group], keys: Sequence[str]) -> dict[str, list[str]]:
    """Per group, the weekly keys whose mechanism cannot act in its runs (their zeros are not findings)."""
    return {g.label: [k for k in keys if K.summary_key_of(k) in g.not_applicable] for g in groups}


def bands(groups: Sequence[Group], keys: Sequence[str], window: int = CHOICES.window) -> pd.DataFrame:
    """Long frame: group, key, week, median, low (10th), high (90th percentile) across seeds.

    Keys a group does not have, or whose mechanism cannot act in its runs, are left out."""
    parts = []
    na = not_applicable(groups, keys)
    for group in groups:
        if group.timeseries.empty:
            continue
        frame = success_rates(group.timeseries, window) if set(RATES) & set(keys) else group.timeseries
        for key in keys:
            if key not in frame or key in na[group.label]:
                continue
            by_week = frame.groupby("week")[key].agg(lambda v: tuple(spread(v)))
            part = pd.DataFrame(by_week.tolist(), columns=["median", "low", "high"], index=by_week.index)
            parts.append(part.reset_index().assign(group=group.label, key=key))
    columns = ["group", "key", "week", "median", "low", "high"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def na_note(groups: Sequence[Group], keys: Sequence[str]) -> str:
    """The caption's word on what is not drawn because its mechanism cannot act."""
    parts = [f"{label}: {', '.join(found)}" for label, found in not_applicable(groups, keys).items() if found]
    return f"not drawn, the mechanism cannot act (n/a) in {'; '.join(parts)}" if parts else ""


def caption_for(groups: Sequence[Group], reading: str = "", extra: str = "") -> Caption:
    """What was run, from the groups themselves."""
    names = " · ".join(f"{g.label} ({'AB'[i]})" if len(groups) == 2 else g.label for i, g in enumerate(groups))
    seeds = sorted({s for g in groups for s in g.seeds})
    weeks = sorted({w for g in groups for w in g.weeks})
    commits = sorted({c for g in groups for c in g.commits})
    one_seed = all(len(g.seeds) == 1 for g in groups)
    reading = reading or ("one seed each: no band across seeds" if one_seed else Caption.reading)
    return Caption(names, seeds, "/".join(str(w) for w in weeks), commits, reading, extra)


def _line(ax, part: pd.DataFrame, style: int, label: str) -> None:
    every = max(1, len(part) // 10)
    band(ax, part.week, part.low, part.high, style)
    ax.plot(part.week, part["median"], label=label, markevery=every, markersize=5, linewidth=1.6,
            **line_kwargs(style))


def weeks_axis(ax, data: pd.DataFrame, horizon: int | None = None) -> None:
    """Weeks from 0 to the run's horizon (or the last week drawn): never a sliver around one week."""
    last = horizon or (int(data.week.max()) if len(data) else 1)
    ax.set_xlim(0, max(last, 1))


def from_zero(ax) -> None:
    """A level's axis starts at 0 (or below, for a negative level), so the gap between two lines is read
    against the whole level, not magnified by an axis that starts just under the lowest line."""
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, 0.0), high)


@figure_function
def success_rates_chart(groups: Sequence[Group], window: int = CHOICES.window, horizon: int | None = None) -> Chart:
    """One panel per scenario: the reported and the true success rate; the space between is the Goodhart gap.
    ``horizon``: the week the x-axis runs to (the live page: the run's length), else the last week drawn."""
    data = bands(groups, list(RATES), window)
    fig, axes = new_figure(4.2 * len(groups) + 0.6, 4.2, 1, len(groups), sharex=True, sharey=True)
    for ax, group in zip(axes[0], groups, strict=True):
        mine = data[data.group == group.label]
        if mine.empty:
            ax.text(0.5, 0.5, "n/a: no case closes in these runs", transform=ax.transAxes, ha="center")
        else:
            _line(ax, mine[mine.key == "reported_success_rate"], RECORD, "reported (the record)")
            _line(ax, mine[mine.key == "true_success_rate"], TRUTH, "true (citizens' own lives)")
        ax.set_title(f"{group.label} ({group.regime})")
        ax.set_xlabel("week")
        ax.set_ylim(0, 1)
        weeks_axis(ax, data, horizon)
    axes[0][0].set_ylabel(f"share of closed cases (last {window} weeks)")
    caption = caption_for(groups, extra=f"rate = successes / closures over the last {window} weeks "
                                        "(fewer at the start); no line where nothing closed")
    return finish("success_rates", fig, "Does the record match the truth? Reported and true success rates, "
                  "week by week", caption, data, legend=axes[0][0].get_legend_handles_labels(), legend_columns=2)


@figure_function
def timeseries_chart(groups: Sequence[Group], keys: Sequence[str] = DEFAULT_KEYS, window: int = CHOICES.window) -> Chart:
    """One panel per weekly measure, one line and band per scenario."""
    data = bands(groups, keys, window)
    shown = [k for k in keys if k in set(data.key)]
    ncols = min(3, len(shown)) or 1
    nrows = -(-len(shown) // ncols) or 1
    fig, axes = new_figure(3.7 * ncols + 0.4, 2.9 * nrows + 0.9, nrows, ncols, sharex=True)
    flat = [ax for row in axes for ax in row]
    for ax, key in zip(flat, shown, strict=False):
        for i, group in enumerate(groups):
            part = data[(data.group == group.label) & (data.key == key)]
            _line(ax, part, i, group.label)
        ax.set_title(K.label(key, weekly=True))
        ax.set_ylabel(K.unit(key, weekly=True))
        if K.unit(key, weekly=True).startswith("£"):
            money_ticks(ax)
        from_zero(ax)
        weeks_axis(ax, data)
    for ax in axes[-1]:
        ax.set_xlabel("week")
    for ax in flat[len(shown):]:
        ax.set_visible(False)
    names = " and ".join(g.label for g in groups)
    missing = [k for k in keys if not any(k in g.timeseries for g in groups) and k not in RATES]
    extra = "; ".join(filter(None, [na_note(groups, keys),
                                    f"not in these runs' series: {', '.join(missing)}" if missing else ""]))
    return finish("timeseries", fig, f"How do {names} move week by week?", caption_for(groups, extra=extra), data,
                  legend=flat[0].get_legend_handles_labels(), legend_columns=len(groups))
