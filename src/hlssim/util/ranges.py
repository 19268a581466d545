"""Numbers for people: a list of ids or seeds as short ranges."""

from __future__ import annotations

from collections.abc import Iterable


def ranges(ids: Iterable[int]) -> str:
    """[1, 2, 3, 5] -> '1-3, 5'."""
    parts, start, prev = [], None, None
    for i in ids:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            parts.append(f"{start}-{prev}" if prev > start else f"{start}")
            start = prev = i
    if start is not None:
        parts.append(f"{start}-{prev}" if prev > start else f"{start}")
    return ", ".join(parts)
