"""The funders' figure: what each contract design pays per unit of real flourishing gain, and how much
of its spend reaches the hardest tier, against business as usual on the same seeds.

Drawn from :func:`hlssim.experiments.commissioning.compare_designs`. A seed whose spend bought no net
gain has no cost per gain (NaN, docs/metrics.md): it is counted in the row's label, not drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..experiments.commissioning import PairedRun
from ..experiments.provenance import git_commit
from ..outputs.stats import spread
from . import keys as K
from .style import Caption, Chart, dots_and_intervals, figure_function, finish, money_ticks, new_figure

PANELS = ("cost_per_flourishing_gain", "hardest_tier_spend_share")
BASELINE = "business as usual (NPM)"


def funder_seeds(designs: dict[str, Sequence[PairedRun]]) -> pd.DataFrame:
    """Long frame: design, seed, metric, value; business as usual from the first design's paired baselines."""
    rows = []
    first = next(iter(designs.values()), [])
    for name, runs in [(BASELINE, [(r.seed, r.baseline.summary) for r in first]),
                       *[(n, [(r.seed, r.summary) for r in runs]) for n, runs in designs.items()]]:
        rows += [{"design": name, "seed": seed, "metric": m, "value": float(s[m])} for seed, s in runs for m in PANELS]
    return pd.DataFrame(rows)


@figure_function
def funders_chart(designs: dict[str, Sequence[PairedRun]], weeks: int) -> Chart:
    seeds = funder_seeds(designs)
    order = list(dict.fromkeys(seeds.design))
    fig, axes = new_figure(11.0, 0.42 * len(order) + 2.2, 1, len(PANELS), sharey=True)
    parts = []
    for ax, metric in zip(axes[0], PANELS, strict=True):
        mine = seeds[seeds.metric == metric]
        rows = []
        for design in order:
            values = mine[mine.design == design].value
            undefined = int(values.isna().sum())
            rows.append({"design": design, "metric": metric, **spread(values)._asdict(),
                         "undefined": undefined, "seeds": len(values)})
        rows = pd.DataFrame(rows)
        parts.append(rows)
        dots_and_intervals(ax, rows.assign(label=rows.design), mine.dropna().assign(label=mine.design))
        ax.set_title(K.label(metric))
        ax.set_xlabel(K.unit(metric))
        if K.unit(metric).startswith("£"):
            money_ticks(ax, "x")
        for y, r in enumerate(rows.itertuples()):
            if r.undefined:
                ax.annotate(f"{r.undefined} of {r.seeds} seeds bought no net gain", (1, y),
                            xycoords=("axes fraction", "data"), xytext=(-4, 9), textcoords="offset points",
                            ha="right", fontsize=7.5, color="#555555")
    all_seeds = sorted(set(seeds.seed))
    caption = Caption(f"funders' presets ({', '.join(order[1:])}) against {BASELINE}, each paired with it on the "
                      "same world and seeds", all_seeds, str(weeks), [git_commit() or ""],
                      "dot: median across seeds; bar: 10th-90th percentile; grey: each seed",
                      "cost per gain: funder spend / total flourishing gain, undefined when the gain is not positive")
    return finish("funders", fig, "Which contract design buys real flourishing, and does its money reach the "
                  "people who need it most?", caption, pd.concat(parts, ignore_index=True),
                  legend=axes[0][0].get_legend_handles_labels(), legend_columns=3)
