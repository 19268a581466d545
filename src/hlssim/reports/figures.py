"""Figures for a sweep report, drawn to files only (matplotlib's Agg canvas, no window).

Each figure's title states the question it answers, every axis names its unit, and a caption line
gives the sweep, its size, seeds and weeks, and the code (hlssim version, git commit). They are
readable in greyscale: a colour map whose lightness rises steadily, numbers printed in heatmap
cells, and levers told apart by marker, line style and hatching rather than by colour. A value that
is undefined (NaN) is left out, never drawn as zero: an empty heatmap cell is hatched.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..experiments.sweeps.outcomes import unit
from ..params import bounds, field_info
from .choices import CHOICES
from .style import LOOK

GREYS = ("0.1", "0.45", "0.7", "0.88", "0.3", "0.6")     # fills: dark to light, told apart by hatches too
LINE_GREYS = ("0.0", "0.3", "0.5", "0.62", "0.15", "0.4")  # lines: dark enough to see on white
MARKERS = ("o", "s", "^", "D", "v", "P")
LINES = ("-", "--", ":", "-.", (0, (5, 1)), (0, (1, 3)))
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "++")


def parameter_label(key: str) -> str:
    """A parameter's name with its unit: '0-1' for dials and shares, else the first words of its description."""
    info = field_info(key)
    if info is None:
        return key
    limits = bounds(info)
    if info.annotation is float and limits.get("ge") == 0.0 and limits.get("le") == 1.0:
        return f"{key} (0-1)"
    words = re.split(r"[,;:(]", info.description or "")[0].strip()
    return f"{key}\n({textwrap.shorten(words, 40, placeholder='...')})" if words else key


def outcome_label(key: str) -> str:
    return f"{key}\n({unit(key)})"


def caption(info: dict[str, Any], record: dict[str, Any], stored: int) -> str:
    """One line of provenance: which sweep, how big, seeds and weeks, what was fixed, and which code."""
    fixed = ", ".join(f"{k}={v}" for k, v in info["fixed"].items()) or "nothing fixed"
    commit = (record.get("git_commit") or "unknown")[:10]
    return (f"Sweep {info['name']} ({record['id']}): {info['design']} design, {info['design_points']} points x "
            f"{len(info['levers'])} lever(s) x {len(info['bases'])} base(s) x seeds 1-{info['seeds']} = "
            f"{info['runs']} runs ({stored} stored), {info['weeks']} weeks; {fixed}. hlssim "
            f"{record.get('hlssim_version')}, git {commit}, code {record.get('code_version')}; "
            f"file {Path(str(info['file'])).name}.")


def _figure(width: float, height: float) -> Figure:
    import seaborn as sns
    sns.set_theme(style="whitegrid", context="paper")
    return Figure(figsize=(width, height), dpi=LOOK.sweep_dpi, layout="constrained")


def _finish(fig: Figure, title: str, note: str, path: Path) -> Path:
    """Title (the question) on top, the caption line(s) at the bottom, then the file."""
    width = fig.get_figwidth()
    title = textwrap.fill(title, int(width * 9))
    note = textwrap.fill(note, int(width * 17))
    fig.suptitle(title, fontsize=12, fontweight="bold")
    fig.supxlabel(note, x=0.01, ha="left", fontsize=6.5, color="0.2")     # laid out like a title, so nothing overlaps
    fig.savefig(path, format="png")
    return path


def bins(values: pd.Series, span: tuple[float, float]) -> tuple[pd.Series, list[float]]:
    """Each value's place on a heatmap or response axis, and every place on that axis: the values themselves
    when the design repeats a few (a grid, Morris levels, a short whole-number range), else the centres of
    equal bins of the parameter's range (an empty bin keeps its place)."""
    distinct = values.dropna().unique()
    if len(distinct) <= CHOICES.exact_values and values.duplicated().any():
        return values, sorted(distinct)
    low, high = span
    edges = np.linspace(low, high, CHOICES.bins + 1)
    centres = np.array([float(f"{c:.3g}") for c in (edges[:-1] + edges[1:]) / 2])
    cut = pd.cut(values, edges, include_lowest=True, labels=False)
    return pd.Series(centres[cut.to_numpy(dtype=int)], index=values.index), list(centres)


def heatmap_table(frame: pd.DataFrame, value: str, x: str, y: str, spans: dict[str, tuple]) -> pd.DataFrame:
    """Mean of ``value`` in each cell of x by y (rows: y from high to low); NaN where a cell has no value."""
    (at_x, xs), (at_y, ys) = bins(frame[x], spans[x]), bins(frame[y], spans[y])
    cells = pd.DataFrame({"x": at_x, "y": at_y, "v": frame[value]})
    table = cells.groupby(["y", "x"])["v"].mean().unstack("x")
    return table.reindex(index=ys[::-1], columns=xs)


def heatmap(panels: list[tuple[str, pd.DataFrame]], x: str, y: str, value_label: str, title: str, note: str,
            path: Path) -> Path:
    """One heatmap per panel (e.g. one per lever compared with the baseline), on a shared scale."""
    import seaborn as sns
    fig = _figure(5.2 * len(panels) + 1.0, 5.2)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    finite = np.concatenate([t.to_numpy(dtype=float).ravel() for _, t in panels])
    finite = finite[np.isfinite(finite)]
    vmin, vmax = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    for ax, (name, table) in zip(axes, panels, strict=True):
        ax.set_facecolor("white")
        ax.patch.set_hatch("////")
        ax.patch.set_edgecolor("0.8")
        sns.heatmap(table, ax=ax, cmap="cividis", vmin=vmin, vmax=vmax, annot=True, fmt=".3g",
                    annot_kws={"fontsize": 7}, linewidths=0.5, linecolor="white",
                    cbar=ax is axes[-1], cbar_kws={"label": textwrap.fill(value_label, 40)})
        ax.set_title(name, fontsize=10)
        ax.set_xlabel(parameter_label(x))
        ax.set_ylabel(parameter_label(y))
    return _finish(fig, title, note + " Hatched cells: no design point there. Cells: mean over the design "
                   "points in the cell (other parameters vary).", path)


def sensitivity_bars(table: pd.DataFrame, measure_label: str, title: str, note: str, path: Path) -> Path:
    """Bars per parameter, one panel per outcome, one hatch and shade per comparison; a missing value is
    marked n/a at zero rather than drawn, and a panel with none says why."""
    from matplotlib.patches import Patch
    outcomes = list(dict.fromkeys(table["outcome"]))
    groups = list(dict.fromkeys(table["comparison"]))
    params = list(dict.fromkeys(table["parameter"]))
    cols = min(len(outcomes), 2)
    rows = -(-len(outcomes) // cols)
    legend = 2.8 if len(groups) > 1 else 0.0
    fig = _figure(5.2 * cols + 0.5 + legend, (0.2 * len(params) * len(groups) + 1.4) * rows + 1.2)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    height = 0.8 / len(groups)
    for ax, outcome in zip(axes, outcomes, strict=False):
        part = table[table.outcome == outcome]
        for g, group in enumerate(groups):
            mine = part[part.comparison == group].set_index("parameter").reindex(params)
            ys = np.arange(len(params)) + (g - (len(groups) - 1) / 2) * height
            ok = mine["value"].notna().to_numpy()
            conf = mine["conf"].to_numpy()[ok]
            ax.barh(ys[ok], mine["value"].to_numpy()[ok], height=height, color=GREYS[g % len(GREYS)],
                    hatch=HATCHES[g % len(HATCHES)], edgecolor="0.1", linewidth=0.6,
                    xerr=conf if np.isfinite(conf).any() else None, error_kw={"elinewidth": 0.8, "capsize": 2})
            for y in ys[~ok]:
                ax.text(0, y, " n/a", va="center", ha="left", fontsize=6, color="0.3")
        ax.set_yticks(np.arange(len(params)), params, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(left=0)
        alone = groups[0] if len(groups) == 1 and groups[0] != "level" else None
        ax.set_title(f"{outcome} ({alone})" if alone else outcome, fontsize=10)
        ax.set_xlabel(measure_label, fontsize=8)
        notes = [n for n in part["note"].dropna().unique() if n]
        if notes and part["value"].isna().all():
            ax.text(0.5, 0.5, textwrap.fill(notes[0], 40), transform=ax.transAxes, ha="center", va="center",
                    fontsize=8, color="0.2")
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    if len(groups) > 1:
        handles = [Patch(facecolor=GREYS[g % len(GREYS)], hatch=HATCHES[g % len(HATCHES)], edgecolor="0.1",
                         label=group) for g, group in enumerate(groups)]
        fig.legend(handles=handles, loc="outside right upper", fontsize=8, title="comparison", title_fontsize=8)
    return _finish(fig, title, note + " Error bars: SALib's confidence interval where the method gives one; n/a: "
                   "the measure is undefined there (too few values).", path)


def response(means: pd.DataFrame, outcomes: list[str], params: list[str], levers: list[str],
             spans: dict[str, tuple], title: str, note: str, path: Path) -> Path:
    """Each outcome (rows) against each uncertain parameter (columns): one line per lever, each marker the
    median over the design points in that bin, error bars their 10th-90th percentiles."""
    fig = _figure(2.7 * len(params) + 2.8, 2.4 * len(outcomes) + 1.4)
    axes = fig.subplots(len(outcomes), len(params), squeeze=False)
    for r, outcome in enumerate(outcomes):
        for c, key in enumerate(params):
            ax = axes[r, c]
            placed = means.assign(at=bins(means[key], spans[key])[0])
            for i, lever in enumerate(levers):
                mine = placed[placed.lever == lever].groupby("at")[outcome]
                centre = mine.median()
                low, high = mine.quantile(0.1), mine.quantile(0.9)
                shift = (i - (len(levers) - 1) / 2) * 0.012 * (spans[key][1] - spans[key][0])
                ax.errorbar(centre.index + shift, centre, yerr=[centre - low, high - centre], label=lever,
                            color=LINE_GREYS[i % len(LINE_GREYS)], marker=MARKERS[i % len(MARKERS)],
                            markerfacecolor=GREYS[i % len(GREYS)], linestyle=LINES[i % len(LINES)], markersize=4.5,
                            linewidth=1.2, capsize=2, elinewidth=0.7, markeredgecolor="0.0")
            values = means[outcome].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            wide = values.size and values.min() > 0 and values.max() / values.min() > 100
            if wide:
                ax.set_yscale("log")       # a ratio that explodes where its denominator nears zero
            ax.set_xlabel(parameter_label(key) if r == len(outcomes) - 1 else "", fontsize=7)
            ax.set_ylabel((outcome_label(outcome) + (", log scale" if wide else "")) if c == 0 else "", fontsize=7)
            ax.tick_params(labelsize=6)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", fontsize=8, title="lever", title_fontsize=8)
    return _finish(fig, title, note + " Each marker: median over the design points in that bin of the parameter "
                   "(the other parameters vary); bars: their 10th-90th percentiles; undefined values left out.", path)
