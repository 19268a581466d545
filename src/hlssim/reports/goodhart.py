"""The trainers' figure: each of Manheim & Garrabrant's four Goodhart variants against target pressure.

Drawn from :func:`hlssim.experiments.goodhart.sweep` (one row per seed and pressure): per pressure,
the median across seeds and a 10th-90th percentile band. ``VARIANTS`` holds the one-line reading
of each variant, shared with the live page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..experiments.goodhart import TARGETS_ONLY
from ..experiments.provenance import git_commit
from ..outputs.applicability import not_applicable
from ..outputs.stats import spread
from ..params import resolve
from .style import Caption, Chart, band, figure_function, finish, line_kwargs, new_figure


__all__ = ["VARIANTS", "goodhart_bands", "goodhart_chart"]

@dataclass(frozen=True)
class Variant:
    name: str
    line: str                                   # what it means, in one line
    question: str                               # the panel's title
    unit: str                                   # the y axis
    indicators: tuple[tuple[str, str], ...]     # (column of the sweep, legend label)


VARIANTS = (
    Variant("causal", "effort moves to what is measured: the honest proxy rises while true success does not",
            "Causal: does effort move to what is measured?", "share (of closed cases; effort: of hours)",
            (("causal.proxy_success_rate", "proxy success (honest record)"),
             ("causal.true_success_rate", "true success"),
             ("causal.measured_effort_share", "effort on measured domains"))),
    Variant("adversarial", "once rewarded, the record itself is bent: misreports, and records that disagree "
            "with lives", "Adversarial: is the record manipulated?", "share of closed cases",
            (("adversarial.misreport_rate", "misreported"), ("adversarial.data_integrity", "record matches truth"))),
    Variant("regressional", "the cases that look best on the proxy were partly lucky: their true gain is "
            "less outstanding", "Regressional: were the best-looking cases lucky?",
            "top 10% on the proxy: s.d. above the mean",
            (("regressional.top_proxy_z", "standing on the proxy"),
             ("regressional.top_true_z", "standing on the truth"))),
    Variant("extremal", "the proxy tracks the truth on average but not among the extremes",
            "Extremal: does the relation hold in the tail?", "correlation of proxy and true gain",
            (("extremal.corr_all", "all closed cases"), ("extremal.corr_extreme", "top 10% on the proxy"))),
)
PRESSURE = "targets.pressure"


def not_applicable_at(pressure: float) -> tuple[str, ...]:
    """The sweep's columns whose mechanism cannot act at this pressure under NPM (e.g. no stake, no misreport)."""
    na = not_applicable(resolve("npm", {PRESSURE: float(pressure), **TARGETS_ONLY}))
    return tuple(column for v in VARIANTS for column, _ in v.indicators if column.partition(".")[2] in na)


def goodhart_bands(sweep: pd.DataFrame) -> pd.DataFrame:
    """Long frame: variant, indicator, pressure, median, low, high across seeds; n/a points left out."""
    rows = []
    for variant in VARIANTS:
        for column, _ in variant.indicators:
            for pressure, values in sweep.groupby(PRESSURE)[column]:
                if column in not_applicable_at(pressure):
                    continue
                rows.append({"variant": variant.name, "indicator": column, "pressure": float(pressure),
                             **spread(values)._asdict()})
    return pd.DataFrame(rows)


@figure_function
def goodhart_chart(sweep: pd.DataFrame, weeks: int, citizens: int, seeds: Sequence[int] | None = None) -> Chart:
    data = goodhart_bands(sweep)
    fig, axes = new_figure(10.5, 8.0, 2, 2, sharex=True)
    for ax, variant in zip(axes.flat, VARIANTS, strict=True):
        for i, (column, label) in enumerate(variant.indicators):
            part = data[data.indicator == column]
            band(ax, part.pressure, part.low, part.high, i)
            ax.plot(part.pressure, part["median"], label=label, markersize=6, linewidth=1.8, **line_kwargs(i))
        ax.set_title(variant.question)
        ax.set_ylabel(variant.unit)
        ax.legend(loc="best", frameon=True)
    for ax in axes[-1]:
        ax.set_xlabel("target pressure (targets.pressure, 0-1)")
    seeds = sorted(set(sweep.seed)) if seeds is None else list(seeds)
    na = sorted({f"{c.partition('.')[2]} at pressure {p:g}"
                 for p in set(sweep[PRESSURE]) for c in not_applicable_at(p)})
    caption = Caption(f"goodhart sweep: NPM with targets alone (nothing paid by results) on the default world, "
                      f"{citizens:,} citizens, targets.pressure "
                      f"{', '.join(f'{p:g}' for p in sorted(set(sweep[PRESSURE])))}", seeds, str(weeks),
                      [git_commit() or ""], extra=f"n/a, not drawn: {'; '.join(na)}" if na else "")
    return finish("goodhart_variants", fig, "When a measure becomes a target: what happens to it as the "
                  "pressure rises? Four Goodhart variants under NPM", caption, data)
