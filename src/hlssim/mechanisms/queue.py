"""What waiting costs: people on the list deteriorate after a while, and some give up
(docs/ODD.md, section 7.3; Reichert & Jacobs 2018; HSCIC 2014; RCPsych 2020).

Chasing (people already waiting asking again) is counted at the front door (``demand.seek_help``).
"""

from __future__ import annotations

import numpy as np

from ..params import N_DOMAINS, Params
from ..state import Citizens, Ledger
from ..state.books import count, tally
from ..util.compiled import kernel
from .contract import writes

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    count("dropped_out", "citizens", "Citizens who gave up on the waiting list this week (`queue.dropout_rate`); "
          "each leaves with need unmet.", "gave up waiting", na_with="dropout_share"),
    tally("deteriorating_waits", "citizens", "people on the list whose lowest domain eroded this week"),
    tally("waiting_weeks", "citizen-weeks", "weeks spent on the waiting list"),
)


@kernel
def _wait(waiting, give_up, wellbeing, waiting_since, last_exit, week, deterioration, after_weeks):
    """For each citizen waiting: a wait longer than ``after_weeks`` erodes their lowest domain; those
    who give up leave the list (need unmet). Returns how many waits eroded and how many gave up."""
    worse = 0
    gone = 0
    for a in range(waiting.size):
        i = waiting[a]
        if deterioration > 0 and week - waiting_since[i] > after_weeks:
            lowest = 0
            for j in range(1, N_DOMAINS):
                if wellbeing[i, j] < wellbeing[i, lowest]:
                    lowest = j
            wellbeing[i, lowest] = max(0.0, wellbeing[i, lowest] - deterioration)
            worse += 1
        if give_up[a]:
            waiting_since[i] = -1
            last_exit[i] = week
            gone += 1
    return worse, gone


@writes("citizens.wellbeing", "citizens.waiting_since", "citizens.last_exit", "ledger")
def wait_a_week(c: Citizens, p: Params, rng: np.random.Generator, ledger: Ledger, week: int) -> None:
    """Everyone still on the list after intake waits another week: long waits erode the lowest domain,
    and some people give up (need unmet, so their next request is failure demand)."""
    waiting = np.flatnonzero(c.waiting_since >= 0)
    if waiting.size == 0:
        return
    q = p.queue
    give_up = rng.random(waiting.size) < q.dropout_rate      # the queue's own stream: drawn for those waiting
    worse, gone = _wait(waiting, give_up, c.wellbeing, c.waiting_since, c.last_exit, week, q.deterioration,
                        q.deterioration_after_weeks)
    if q.deterioration > 0:
        ledger.add("deteriorating_waits", worse)
    ledger.add("dropped_out", gone)
    ledger.add("waiting_weeks", waiting.size)
