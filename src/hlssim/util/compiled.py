"""Compiled kernels: numba's ``njit``, cached on disk, for the weekly step's heavy loops.

A mechanism keeps its random draws in numpy (so the streams, and common random numbers, are
exactly as before) and hands the arithmetic of a whole pass over citizens to one kernel, which
fuses what would otherwise be a dozen numpy passes over large arrays.
"""

from __future__ import annotations

import numba


def kernel(fn):
    """Compile ``fn`` to machine code on first call (and cache it in __pycache__ for later processes)."""
    return numba.njit(cache=True, nogil=True, error_model="numpy")(fn)
