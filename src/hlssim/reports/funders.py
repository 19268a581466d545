"""The funders' figure: what each contract design buys for people with SMD and what it costs, against
business as usual on the same seeds (drawn from :class:`hlssim.reports.funding.FundingComparison`).

Four panels, one row per design: the SMD flourishing gain and the whole public cost (business as
usual drawn too, as a level), then two readings against business as usual (the extra public cost per
extra point of SMD flourishing, and the crisis cost avoided), each with a line at 0 where business
as usual stands. Money is labelled in thousands (£12k) on a few ticks, so labels never run into each
other; a seed on which a reading is undefined is counted beside its row, not drawn.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..experiments.provenance import git_commit
from ..outputs.stats import HIGH, LOW
from .funding import BASELINE, MEASURES, FundingComparison, across_seeds
from .style import Caption, Chart, dots_and_intervals, figure_function, finish, new_figure

PANELS = ("flourishing_gain_smd", "cost_per_citizen_year", "cost_per_smd_flourishing_point",
          "crisis_cost_avoided_per_smd_citizen_year")


def short_pounds(value: float, _position=None) -> str:
    """An axis label for money: £950, £12k, £1.2m (minus signs kept)."""
    sign, size = ("-" if value < 0 else ""), abs(value)
    if size >= 1e6:
        return f"{sign}£{size / 1e6:.3g}m"
    if size >= 1e4:
        return f"{sign}£{size / 1e3:.0f}k"
    if size >= 1e3:
        return f"{sign}£{size / 1e3:.3g}k"
    return f"{sign}£{size:.0f}"


def panel_rows(comparison: FundingComparison, measure: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of one panel (label, median, low, high, undefined seeds) and its seeds (label, value)."""
    paired = MEASURES[measure][2]
    frame = comparison.by_seed
    names = [n for n in dict.fromkeys(frame.design) if not (paired and n.startswith(BASELINE))]
    rows = []
    for name in names:
        values = frame.loc[frame.design == name, measure]
        rows.append({"label": name, **across_seeds(values)._asdict(), "undefined": int(values.isna().sum()),
                     "seeds": len(values)})
    rows = pd.DataFrame(rows)
    drawn = list(rows.label[rows["median"].notna()])     # a row undefined on most seeds draws no seeds either
    seeds = frame[frame.design.isin(drawn)][["design", measure]].dropna()
    return rows, seeds.rename(columns={"design": "label", measure: "value"})


@figure_function
def funders_chart(comparison: FundingComparison) -> Chart:
    order = [n for n in dict.fromkeys(comparison.by_seed.design)]
    fig, axes = new_figure(11.5, 0.5 * len(order) * 2 + 3.4, 2, 2)
    parts = []
    for ax, measure in zip(axes.flat, PANELS, strict=True):
        meaning, unit, paired = MEASURES[measure]
        rows, seeds = panel_rows(comparison, measure)
        parts.append(rows.assign(measure=measure))
        dots_and_intervals(ax, rows, seeds)
        ax.set_title(meaning + ("\nagainst business as usual, seed by seed" if paired else "\neach design's own level"))
        ax.set_xlabel(unit)
        ax.axvline(0, color="#444444", linestyle="--" if paired else "-", linewidth=1,
                   label="business as usual" if paired else None)
        if unit.startswith("£"):
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
            ax.xaxis.set_major_formatter(FuncFormatter(short_pounds))
        for y, r in enumerate(rows.itertuples()):
            if r.undefined:
                ax.annotate(f"undefined on {r.undefined} of {r.seeds} seeds: no extra SMD flourishing", (1, y),
                            xycoords=("axes fraction", "data"), xytext=(-4, -12), textcoords="offset points",
                            ha="right", va="center", fontsize=7.5, color="#555555")
        ax.set_xlim(*_from_zero(ax.get_xlim()))
        ax.set_ylim(len(rows) - 0.4, -0.6)
    caption = Caption(f"{', '.join(comparison.designs)} against {BASELINE} on the same world and seeds",
                      comparison.seeds, str(comparison.weeks), [git_commit() or ""],
                      f"dot: median across seeds; bar: {LOW}th-{HIGH}th percentile; grey: each seed",
                      "extra public cost of people with SMD (crisis costs and spend on them, over the run) per extra "
                      "point of their flourishing gain; negative: cost less and bought more")
    legend = [h for ax in axes.flat for h in zip(*ax.get_legend_handles_labels(), strict=True)]
    handles, labels = zip(*dict((label, (handle, label)) for handle, label in legend).values(), strict=True)
    return finish("funders", fig, "Which contract design buys the most flourishing for people with severe multiple "
                  "disadvantage, and at what public cost?", caption, pd.concat(parts, ignore_index=True),
                  legend=(list(handles), list(labels)), legend_columns=4)


def _from_zero(limits: tuple[float, float]) -> tuple[float, float]:
    """Limits that include 0, so a level is read against nothing and a difference against business as usual."""
    low, high = limits
    return min(low, 0.0), max(high, 0.0)
