"""Crises and their £ costs: low wellbeing tips into A&E, police, emergency housing (docs/ODD.md, section 7.2).

Draws only from the ``crisis`` stream, one 16-bit number per citizen and domain every week.
"""

from __future__ import annotations

import numpy as np

from ..params.groups import N_DOMAINS, Crisis
from ..state import Citizens, Ledger
from ..state.books import GBP_WEEK, Book, Shown, money, tally
from ..util.compiled import kernel
from .contract import writes
from .noise import below, coarse_uniform

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    money("crisis_cost", "Crisis cost of all citizens this week.", crisis=True, label="crisis cost", na_with=None),
    Book("crisis_cost_smd", "£", "crisis cost of citizens who started with SMD",
         shown=Shown("crisis cost, SMD at start", GBP_WEEK, "Crisis cost of citizens SMD at start this week. Summing "
                     "weeks 1-13, dividing by the number SMD at start and multiplying by 52/13 approximates the "
                     "calibration target (the summary key divides by resident-years instead).",
                     column="crisis_cost_smd_start", na_with=None, integer=False)),
    tally("smd_start_citizen_weeks", "citizen-weeks", "residents who started with SMD, each week"),
)

CRISIS_DOMAIN_COSTS = ("cost_housing", "cost_health", "cost_income_work",
                       "cost_relationships", "cost_safety", "cost_purpose")


@kernel
def _strike(wellbeing, draws, threshold, base_rate, harm, unit_cost, in_crisis, cost):
    """Each low domain tips into crisis with probability base_rate x deficit^1.5; a crisis costs its
    domain's unit cost and lowers wellbeing by ``harm``."""
    n, d = wellbeing.shape[0], N_DOMAINS
    for i in range(n):
        for j in range(d):
            x = wellbeing[i, j]
            if x < threshold:
                deficit = (threshold - x) / threshold
                if below(draws[i * d + j], base_rate * deficit * np.sqrt(deficit)):
                    wellbeing[i, j] = max(x - harm, 0.0)
                    in_crisis[i] = True
                    cost[i] += unit_cost[j]


@writes("citizens.wellbeing", "citizens.in_crisis", "ledger")
def crises(c: Citizens, cr: Crisis, rng: np.random.Generator, ledger: Ledger) -> np.ndarray:
    """Strike this week's crises; returns £ per citizen.

    Writes ``c.wellbeing`` (the harm), ``c.in_crisis`` (read by next week's help-seeking) and
    books crisis costs, overall and for citizens who started with SMD."""
    draws = coarse_uniform(rng, c.wellbeing.size)
    c.in_crisis = np.zeros(c.count, dtype=bool)
    cost = np.zeros(c.count)
    if cr.enabled:
        unit_cost = np.array([getattr(cr, name) for name in CRISIS_DOMAIN_COSTS])
        _strike(c.wellbeing, draws, cr.low_threshold, cr.base_rate, cr.harm, unit_cost, c.in_crisis, cost)
    ledger.add("crisis_cost", float(cost.sum()))
    ledger.add("crisis_cost_smd", float(cost[c.smd_start].sum()))
    ledger.add("smd_start_citizen_weeks", int(c.smd_start.sum()))
    return cost
