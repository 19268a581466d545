"""A design search's figures: the Pareto set in parallel coordinates, the main trade-off, and convergence.

- ``pareto``: one vertical axis per lever (its range, bottom to top; options listed) and per objective (scaled
  from the worst to the best value among the front and the presets, better upward, the values written at each
  end). Each design on the front is a grey line, the three named designs stand out in line style and marker,
  and the presets are drawn on the same axes where their levers and objectives fall;
- ``tradeoff``: the first objective's reading against the first cost to lower (means over the worlds, with
  their 10th-90th percentile bars on the front), every design tried behind in grey, the front shaded by the
  next objective (a colour map of rising lightness, so it reads in greyscale), presets and business as usual
  marked and named;
- ``convergence``: the optimiser's epsilon progress, and the front's hypervolume and size, against designs
  evaluated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..experiments.design import readings as rd
from ..experiments.design.file import column
from ..experiments.provenance import git_commit
from .design_report import BASELINE, ROLES, DesignSearch, Pick
from .design_words import lever_value
from .funders import short_pounds
from .style import Caption, Chart, figure_function, finish, new_figure, series_style

PRESET_STYLE = {"color": "#6b6b6b", "linestyle": (0, (1, 1.5)), "linewidth": 1.3}


def _caption(search: DesignSearch, reading: str, extra: str = "") -> Caption:
    d, b = search.design, search.budget
    worlds = f"posterior {search.posterior}" if search.posterior else "no posterior"
    return Caption(f"design search {search.search_id} ({d.where}) on {d.base.name}, {b.citizens:,} citizens; "
                   f"{len(search.result.evaluations):,} designs; {worlds}", list(range(1, b.seeds + 1)),
                   str(b.weeks), [git_commit() or ""], reading, extra)


def _named(chosen: list[Pick], search: DesignSearch) -> list[tuple[int, str]]:
    """Each named design once, with every role it was named for: (design, 'design N: the best ... and ...')."""
    first = rd.READINGS[rd.reading(search.design.objectives[0].reading).key]
    roles: dict[int, list[str]] = {}
    for pick in chosen:
        roles.setdefault(pick.design, []).append(ROLES[pick.role].format(what=first.short))
    return [(n, f"design {n}: " + " and ".join(r)) for n, r in roles.items()]


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label heights moved apart, in their order, so no two are closer than ``gap``."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed: dict[int, float] = {}
    last = -float("inf")
    for i in order:
        placed[i] = max(ys[i], last + gap)
        last = placed[i]
    return [placed[i] for i in range(len(ys))]


def _end_label(col: str):
    """How an axis end is written: pounds for money, a signed index against business as usual, else 3 figures."""
    reading = rd.reading(col.split("__")[0])
    if (reading is not None and reading.money) or col.startswith("contract.price_"):
        return short_pounds
    if reading is not None:
        return (lambda v: f"{v:+.3f}") if reading.against_bau else (lambda v: f"{v:.3g}")
    return lever_value


@figure_function
def pareto_chart(search: DesignSearch, front: pd.DataFrame, presets: pd.DataFrame, chosen: list[Pick]) -> Chart:
    d = search.design
    axes_spec = []               # (label, column, low, high, tick texts) per vertical axis; values scaled to 0-1
    for lv in d.levers:
        if lv.choices:
            axes_spec.append((lv.key, lv.key, None, None, [str(c) for c in lv.choices]))
        else:
            axes_spec.append((lv.key, lv.key, lv.low, lv.high, None))
    everything = pd.concat([front, presets], ignore_index=True)
    for o in d.objectives:
        for col in o.columns:
            values = everything[col].astype(float)
            low, high = float(values.min()), float(values.max())
            if o.better == "lower":
                low, high = high, low         # better upward
            short = rd.reading(o.reading).short.replace(" against business as usual", "\nagainst BAU")
            axes_spec.append((f"{short}\n{col.split('__')[1]} (better ↑)", col, low, high, None))

    def scaled(row: pd.Series) -> list[float]:
        out = []
        for _, col, low, high, options in axes_spec:
            value = row.get(col)
            if options is not None:
                out.append(options.index(str(value)) / max(len(options) - 1, 1) if str(value) in options else np.nan)
            elif value is None or pd.isna(value):
                out.append(np.nan)
            else:
                out.append(0.5 if high == low else (float(value) - low) / (high - low))
        return out

    n = len(axes_spec)
    fig, axes = new_figure(max(11.0, 0.8 * n + 1.5), 7.6)
    ax = axes[0][0]
    x = np.arange(n)
    for _, row in front.iterrows():
        ax.plot(x, scaled(row), color="#b8b8b8", linewidth=0.9, zorder=1, label="a design on the front")
    ends = []
    for _, row in presets.iterrows():
        ys = scaled(row)
        ax.plot(x, ys, **PRESET_STYLE, zorder=2, label="a shipped preset or business as usual (named at the right)")
        ends.append((row["name"], ys[-1]))
    for (name, _), y in zip(ends, _spread([y for _, y in ends], 0.045), strict=True):
        ax.annotate(name, (x[-1], y), xytext=(6, 0), textcoords="offset points", fontsize=7, va="center",
                    color="#444444", annotation_clip=False)
    by_number = front.set_index("design") if len(front) else front
    for i, (number, label) in enumerate(_named(chosen, search)):
        s = series_style(i + 1)
        ax.plot(x, scaled(by_number.loc[number]), color=s["color"], linestyle=s["linestyle"], marker=s["marker"],
                linewidth=2.2, markersize=5, zorder=3, label=label)
    for i, (label, col, low, high, options) in enumerate(axes_spec):
        ax.axvline(i, color="#333333", linewidth=0.8, zorder=0)
        if options is not None:
            for j, option in enumerate(options):
                ax.annotate(option.replace("_", " "), (i, j / max(len(options) - 1, 1)), xytext=(3, 0),
                            textcoords="offset points", fontsize=6.5, va="center", color="#333333")
        else:
            fmt = _end_label(col)
            for y, v in ((0.0, low), (1.0, high)):
                ax.annotate(fmt(v), (i, y), xytext=(0, -9 if y == 0 else 4), textcoords="offset points",
                            fontsize=6.5, ha="center", color="#333333")
    ax.set_xticks(x, [a[0].replace(".", ".\n", 1) if "\n" not in a[0] else a[0] for a in axes_spec], rotation=40,
                  ha="right", rotation_mode="anchor", fontsize=7)
    ax.set_yticks([])
    ax.set_ylim(-0.08, 1.08)
    ax.set_xlim(-0.3, n + 0.6)
    ax.grid(False)
    ax.axvspan(len(d.levers) - 0.5, n - 0.5, color="#f2f2f2", zorder=-1)
    handles, labels = ax.get_legend_handles_labels()
    caption = _caption(search, "levers: each from its low (bottom) to its high end; objectives: from the worst to the "
                       "best value among the front and the presets, better upward (shaded)")
    shorts = list(dict.fromkeys(rd.READINGS[rd.reading(o.reading).key].short for o in d.objectives))
    wanted = ", ".join(shorts[:-1]) + f" and {shorts[-1]}" if len(shorts) > 1 else shorts[0]
    return finish("pareto", fig, f"Which designs give the best trade-offs of {wanted} across plausible worlds, and "
                  "where do the presets sit?", caption,
                  front, legend=(handles, labels), legend_columns=2)


@figure_function
def tradeoff_chart(search: DesignSearch, front: pd.DataFrame, presets: pd.DataFrame, chosen: list[Pick]) -> Chart:
    d = search.design
    y_reading = d.objectives[0].reading
    money = next((o.reading for o in d.objectives if rd.reading(o.reading).money), None)
    x_reading = money or (d.objectives[1].reading if len(d.objectives) > 1 else y_reading)
    shade = next((o for o in d.objectives if o.reading not in (x_reading, y_reading)), None)
    xc, yc = column(x_reading, "mean"), column(y_reading, "mean")
    every = search.result.frame()
    tried = pd.DataFrame([{xc: rd.statistic(e.worlds[x_reading], "mean"), yc: rd.statistic(e.worlds[y_reading], "mean"),
                           "feasible": e.violation == 0} for e in search.result.evaluations])
    fig, axes = new_figure(9.5, 6.8)
    ax = axes[0][0]
    ax.scatter(tried[tried.feasible][xc], tried[tried.feasible][yc], s=9, color="#cfcfcf", zorder=1,
               label="a design tried that meets the constraints")
    ax.scatter(tried[~tried.feasible][xc], tried[~tried.feasible][yc], s=12, marker="x", color="#d9d9d9",
               linewidths=0.8, zorder=1, label="a design tried that breaks a constraint")
    if len(front):
        ax.errorbar(front[xc], front[yc], xerr=[front[xc] - front[column(x_reading, "p10")],
                                                 front[column(x_reading, "p90")] - front[xc]],
                    yerr=[front[yc] - front[column(y_reading, "p10")], front[column(y_reading, "p90")] - front[yc]],
                    fmt="none", ecolor="#9a9a9a", elinewidth=0.7, zorder=2)
        colour = front[shade.columns[0]] if shade is not None else "black"
        dots = ax.scatter(front[xc], front[yc], c=colour, cmap="cividis", s=46, edgecolors="black", linewidths=0.8,
                          zorder=3, label="a design on the front (bars: 10th-90th percentile over the worlds)")
        if shade is not None:
            bar = fig.colorbar(dots, ax=ax, shrink=0.8, pad=0.01)
            bar.set_label(shade.columns[0].replace("__", " "), fontsize=8)
    by_number = front.set_index("design") if len(front) else front
    for i, (number, label) in enumerate(_named(chosen, search)):
        s = series_style(i + 1)
        row = by_number.loc[number]
        ax.scatter([row[xc]], [row[yc]], s=170, facecolors="none", edgecolors=s["color"], linewidths=2.2,
                   marker=s["marker"], zorder=4, label=label)
    for i, (_, p) in enumerate(presets.iterrows()):
        marker = "P" if p["name"] == BASELINE else ("s", "D", "^", "v", "<", ">")[i % 6]
        ax.scatter([p[xc]], [p[yc]], s=60, marker=marker, color="white", edgecolors="#222222", linewidths=1.4,
                   zorder=5, label=None)
        ax.annotate(p["name"] + ("" if p["meets_constraints"] else " (breaks a constraint)"), (p[xc], p[yc]),
                    xytext=(7, 4), textcoords="offset points", fontsize=7.5, color="#222222")
    xr, yr = rd.reading(x_reading), rd.reading(y_reading)
    ax.set_xlabel(f"{xr.short.replace('against business as usual', 'against BAU')}, mean over the worlds "
                  f"({xr.unit}; lower is better)")
    ax.set_ylabel(f"{yr.short.replace('against business as usual', 'against BAU')}, mean over the worlds\n"
                  f"({yr.unit}; higher is better)")
    if xr.money:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.xaxis.set_major_formatter(FuncFormatter(short_pounds))
    if xr.against_bau:
        ax.axvline(0, color="#444444", linewidth=0.8, linestyle="--")
    if yr.against_bau:
        ax.axhline(0, color="#444444", linewidth=0.8, linestyle="--")
    handles, labels = ax.get_legend_handles_labels()
    caption = _caption(search, "means over the worlds; open markers: shipped presets and business as usual "
                       "(dashed lines: business as usual's level)")
    what = rd.READINGS[yr.key].short
    cost = rd.READINGS[xr.key].short
    return finish("tradeoff", fig, f"How much more {what} does each design buy, and at what {cost}, across "
                  "plausible worlds?",
                  caption, front if len(front) else every, legend=(handles, labels), legend_columns=2)


@figure_function
def convergence_chart(search: DesignSearch) -> Chart:
    table = search.convergence
    fig, axes = new_figure(10.5, 4.4, 1, 2)
    left, right = axes[0]
    s0, s1, s2 = series_style(0), series_style(1), series_style(2)
    left.plot(table.evaluations, table.epsilon_progress, color=s0["color"], linestyle=s0["linestyle"],
              marker=s0["marker"], markersize=3, label="epsilon progress (new epsilon boxes found)")
    left.set_title("Is the optimiser still finding new ground?")
    left.set_xlabel("designs evaluated")
    left.set_ylabel("epsilon progress (count)")
    left.set_ylim(bottom=0)
    right.plot(table.evaluations, table.hypervolume, color=s1["color"], linestyle=s1["linestyle"],
               marker=s1["marker"], markersize=3, label="hypervolume of the front (share of the box)")
    right.set_ylim(0, 1)
    right.set_title("Is the front still growing?")
    right.set_xlabel("designs evaluated")
    right.set_ylabel("hypervolume (0-1)")
    twin = right.twinx()
    twin.plot(table.evaluations, table.front, color=s2["color"], linestyle=s2["linestyle"], marker=s2["marker"],
              markersize=3, label="designs on the front")
    twin.set_ylabel("designs on the front")
    twin.set_ylim(bottom=0)
    twin.grid(False)
    handles = [h for a in (left, right, twin) for h in a.get_legend_handles_labels()[0]]
    labels = [lb for a in (left, right, twin) for lb in a.get_legend_handles_labels()[1]]
    caption = _caption(search, "per generation", search.verdict.text)
    return finish("convergence", fig, "Has the design search settled on a front?", caption, table,
                  legend=(handles, labels), legend_columns=3)
