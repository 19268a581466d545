"""Crises and their £ costs: low wellbeing tips into A&E, police, emergency housing (docs/ODD.md, section 7.2).

Draws only from the ``crisis`` stream, one number per citizen and domain every week.
"""

from __future__ import annotations

import numpy as np

from ..params.groups import Crisis
from ..state import Citizens, Ledger
from .contract import writes

CRISIS_DOMAIN_COSTS = ("cost_housing", "cost_health", "cost_income_work",
                       "cost_relationships", "cost_safety", "cost_purpose")


@writes("citizens.wellbeing", "citizens.in_crisis", "ledger")
def crises(c: Citizens, cr: Crisis, rng: np.random.Generator, ledger: Ledger) -> np.ndarray:
    """Strike this week's crises; returns £ per citizen.

    Writes ``c.wellbeing`` (the harm), ``c.in_crisis`` (read by next week's help-seeking) and
    books crisis costs, overall and for citizens who started with SMD."""
    n_dom = c.wellbeing.shape[1]
    draws = rng.random(c.wellbeing.size, dtype=np.float32)
    c.in_crisis = np.zeros(c.count, dtype=bool)
    if not cr.enabled:
        cost = np.zeros(c.count)
    else:
        # Only low domains can tip into crisis: work on those cells alone.
        flat = c.wellbeing.reshape(-1)
        low = np.flatnonzero(flat < cr.low_threshold)
        deficit = (cr.low_threshold - flat[low]) / cr.low_threshold
        cells = low[draws[low] < cr.base_rate * deficit * np.sqrt(deficit)]
        flat[cells] = np.maximum(flat[cells] - cr.harm, 0.0)
        who, domain = np.divmod(cells, n_dom)
        c.in_crisis[who] = True
        costs = np.array([getattr(cr, name) for name in CRISIS_DOMAIN_COSTS])
        cost = np.bincount(who, weights=costs[domain], minlength=c.count)
    ledger.add("crisis_cost", float(cost.sum()))
    ledger.add("crisis_cost_smd", float(cost[c.smd_start].sum()))
    ledger.add("smd_start_citizen_weeks", int(c.smd_start.sum()))
    return cost
