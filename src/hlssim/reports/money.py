"""Money and numbers for people: ``pounds`` to a few significant figures with thousands separators
(£4,480,000,000, £54, -£231), never ``54.267``, since a simulated figure is not known to the pound;
``fmt`` for a table's plain numbers (three decimals for shares and rates). Files and JSON keep every digit."""

from __future__ import annotations

import math


def fmt(value: float) -> str:
    """A number as people read it: three decimals for shares and rates, thousands for money."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    if abs(value) < 10:
        return f"{value:,.3f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def pounds(value: float, digits: int = 3) -> str:
    """``value`` in pounds to ``digits`` significant figures (whole pounds at least); 'n/a' if undefined."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "£0"
    rounded = round(value, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{'-' if rounded < 0 else ''}£{abs(rounded):,.0f}"


def pounds_interval(median: float, low: float, high: float, digits: int = 3) -> str:
    """'£4,810 (£4,620 to £5,010)': a median and its 10th-90th percentiles."""
    return f"{pounds(median, digits)} ({pounds(low, digits)} to {pounds(high, digits)})"
