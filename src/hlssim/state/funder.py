"""The funder's books: the place's budget, what staff cost, and this week's spend per open case."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FunderState:
    budget_per_week: float        # £ the funder holds for the place each week
    staff_cost_per_week: float    # £ a week of workers' and managers' loaded salaries
    spend_per_case: float = 0.0   # £ this week for each open case (the funder's weekly decision)
