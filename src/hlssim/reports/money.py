"""Money for people: pounds to a few significant figures with thousands separators (£4,480,000,000,
£54, -£231), never ``54.267``. A simulated figure is not known to the pound; files and JSON keep
every digit."""

from __future__ import annotations

import math


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
