"""How big the live page's worlds are, and how fast it plays: small enough that a room watches
weeks go by, with the page saying so (a what-if here is a sketch; `hlssim run` is the study)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    citizens: int = 2_000         # per side: a week of both regimes steps in milliseconds
    horizon: int = 260            # the run's length (as `hlssim run`'s): Step and Play stop here
    opening_weeks: int = 13       # a run starts played to one target period, so a room sees lines at once
    whatif_weeks: int = 104       # a what-if runs two years...
    whatif_max_seeds: int = 5     # ...on at most this many seeds, so it answers in seconds
    play_seconds: float = 0.1     # pause between frames while playing


SIZES = Sizes()
