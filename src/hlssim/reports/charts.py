"""The standard figures for groups of runs: the same set for ``hlssim plot``, the report and the live page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from .differences import differences_chart
from .runs import Comparison, Group
from .choices import CHOICES
from .series import DEFAULT_KEYS, success_rates_chart, timeseries_chart
from .style import Chart, save


def chart_plan(groups: Sequence[Group], comparison: Comparison | None = None, keys: Sequence[str] = DEFAULT_KEYS,
               window: int = CHOICES.window) -> list[Callable[[], Chart]]:
    """What to draw, each a call that draws one chart (so a caller can show progress): truth against
    record and the chosen weekly measures for every group; with a comparison, its paired differences."""
    plan = [functools.partial(success_rates_chart, groups, window),
            functools.partial(timeseries_chart, groups, keys, window)]
    if comparison is not None:
        plan.append(functools.partial(differences_chart, comparison))
    return plan


def standard_charts(groups: Sequence[Group], comparison: Comparison | None = None,
                    keys: Sequence[str] = DEFAULT_KEYS, window: int = CHOICES.window) -> list[Chart]:
    return [make() for make in chart_plan(groups, comparison, keys, window)]


def write_charts(charts: Sequence[Chart], folder: Path) -> list[Path]:
    """Each chart as PNG and SVG in ``folder``, every file written whole."""
    return [path for chart in charts for path in save(chart, folder)]
