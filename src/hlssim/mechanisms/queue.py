"""What waiting costs: people on the list deteriorate after a while, and some give up
(docs/ODD.md, section 7.3; Reichert & Jacobs 2018; HSCIC 2014; RCPsych 2020).

Chasing (people already waiting asking again) is counted at the front door (``demand.seek_help``).
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..state import Citizens, Ledger
from .contract import writes


@writes("citizens.wellbeing", "citizens.waiting_since", "citizens.last_exit", "ledger")
def wait_a_week(c: Citizens, p: Params, rng: np.random.Generator, ledger: Ledger, week: int) -> None:
    """Everyone still on the list after intake waits another week: long waits erode the lowest domain,
    and some people give up (need unmet, so their next request is failure demand)."""
    waiting = np.flatnonzero(c.waiting_since >= 0)
    if waiting.size == 0:
        return
    q = p.queue
    give_up = rng.random(waiting.size) < q.dropout_rate      # the queue's own stream: drawn for those waiting
    if q.deterioration > 0:
        long = waiting[week - c.waiting_since[waiting] > q.deterioration_after_weeks]
        lowest = c.wellbeing[long].argmin(axis=1)
        c.wellbeing[long, lowest] = np.maximum(0.0, c.wellbeing[long, lowest] - q.deterioration)
        ledger.add("deteriorating_waits", long.size)
    gone = waiting[give_up]
    c.waiting_since[gone] = -1
    c.last_exit[gone] = week
    ledger.add("dropped_out", gone.size)
    ledger.add("waiting_weeks", waiting.size)
