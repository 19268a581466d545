"""Values made safe for JSON and databases: NaN and infinities become null, numpy scalars plain numbers."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any


def json_safe(value: Any) -> Any:
    """A copy of ``value`` that ``json.dumps`` and a JSON column accept, with NaN as None."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):   # numpy scalar
        return json_safe(value.item())
    if isinstance(value, (dt.datetime, dt.date, Path)):
        return str(value)
    return value
