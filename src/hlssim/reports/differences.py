"""Paired differences B - A, seed by seed, as a dot-and-interval chart: one panel per unit.

Each row is a summary key: the grey dots are the seeds, the black dot the median difference and
the bar its 10th-90th percentiles; the row's label says in how many seeds B was higher. Keys
whose mechanism cannot act on either side (n/a) are listed in the caption, never drawn as 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..outputs.metrics import FUNDER_KEYS, SUMMARY_KEYS
from ..outputs.stats import HIGH, LOW
from . import keys as K
from .runs import Comparison
from .series import caption_for
from .style import LOOK, Chart, dots_and_intervals, figure_function, finish, money_ticks, new_figure

DEFAULT_KEYS = tuple(dict.fromkeys((*SUMMARY_KEYS, *FUNDER_KEYS)))


def difference_rows(comparison: Comparison, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per key with a defined difference: label, unit, median and percentiles of B - A, seeds
    where B is higher, seeds with a defined difference."""
    rows = []
    for key in comparison.shown_keys(keys if keys is not None else DEFAULT_KEYS):
        t = comparison.table.loc[key]
        defined = int(comparison.differences[key].notna().sum())
        rows.append({"key": key, "label": K.label(key), "unit": K.unit(key), "median": t["B-A median"],
                     "low": t[f"B-A p{LOW}"], "high": t[f"B-A p{HIGH}"],
                     "b_higher": int(round(t["B>A share"] * defined)), "seeds": defined})
    return pd.DataFrame(rows, columns=["key", "label", "unit", "median", "low", "high", "b_higher", "seeds"])


@figure_function
def differences_chart(comparison: Comparison, keys: Sequence[str] | None = None) -> Chart:
    a, b = comparison.a.label, comparison.b.label
    data = difference_rows(comparison, keys)
    units = list(dict.fromkeys(data.unit))
    sizes = [int((data.unit == u).sum()) for u in units]
    fig, axes = new_figure(8.5, LOOK.row_inches * sum(sizes) + 0.75 * len(units) + 1.3, max(1, len(units)), 1,
                           gridspec_kw={"height_ratios": [n + 1.6 for n in sizes] or [1]})
    for ax, u in zip(axes[:, 0], units, strict=True):
        rows = data[data.unit == u].reset_index(drop=True)
        seeds = comparison.differences[rows.key].melt(var_name="key", value_name="value").dropna()
        dots_and_intervals(ax, rows, seeds.assign(label=seeds.key.map(K.label)))
        ax.axvline(0, color="#444444", linestyle="--", linewidth=1, label="no difference")
        ax.set_xlabel(f"{b} − {a}, {u}")
        if u.startswith("£"):
            money_ticks(ax, "x")
        share = ax.twinx()       # how often B was higher, on the right of each row
        share.set_ylim(ax.get_ylim())
        share.set_yticks(range(len(rows)), [f"{r.b_higher}/{r.seeds}" for r in rows.itertuples()])
        share.grid(False)
        share.set_ylabel("seeds B higher", fontsize=8)
    na = [k for k in (keys if keys is not None else DEFAULT_KEYS) if k in comparison.not_applicable]
    extra = "; ".join(filter(None, [
        f"n/a on either side, not drawn: {', '.join(na)}" if na else "",
        *comparison.notes,
        f"paired on {len(comparison.seeds)} seed(s): the same citizens and life events under both"]))
    caption = caption_for([comparison.a, comparison.b], reading="dot: median of B − A; bar: "
                          f"{LOW}th-{HIGH}th percentile; grey: each seed", extra=extra)
    return finish("differences", fig, f"What changes from {a} (A) to {b} (B)? B − A, seed by seed",
                  caption, data, legend=axes[0][0].get_legend_handles_labels(), legend_columns=4)

