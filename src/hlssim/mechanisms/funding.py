"""The funder: the place's budget, spend per open case, money withheld at risk and outcome payments
(docs/ODD.md, section 7.13).

Each week the funder pays staff, spends what is left of the weekly budget on the open cases
(up to a cap per case), withholds the share at risk, and pays for recorded outcomes at the
contract's prices (payment by results, the NPM end of resource allocation).
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import FunderState, Ledger
from ..state.books import money, tally
from .contract import writes

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    money("staff_cost", "Staff cost this week.", spend=+1, label="staff cost"),
    money("withheld", "The share of this week's staff and service money withheld at risk (`contract.share_at_risk × "
          "(1 − practices.resource_allocation)`), paid back only per reported outcome.", spend=-1,
          label="withheld at risk"),
    money("outcome_payments", "Outcome payments this week.", spend=+1, label="outcome payments"),
    tally("outcome_payments_smd", "£", "outcome payments for citizens who started with SMD"),
)


def make_funder(p: Params, n_citizens: int, n_workers: int, n_teams: int) -> FunderState:
    """Staff cost from the workforce; the budget is given, or staff cost plus the service pot.
    With no service (``service.enabled`` false) nothing is spent at all."""
    if not p.service.enabled:
        return FunderState(budget_per_week=0.0, staff_cost_per_week=0.0)
    staff = (n_workers * p.workforce.salary_per_year + n_teams * p.workforce.manager_salary_per_year) / 52.0
    yearly = p.funding.budget_per_citizen_year
    if yearly is None:
        yearly = staff * 52.0 / n_citizens + p.funding.service_pot_per_citizen_year
    return FunderState(budget_per_week=yearly * n_citizens / 52.0, staff_cost_per_week=staff)


@writes()
def spend_per_case(funder: FunderState, open_cases: int, cap: float) -> float:
    """This week's spend on each open case: what the budget leaves after staff, shared, up to the cap."""
    left = funder.budget_per_week - funder.staff_cost_per_week
    return 0.0 if open_cases == 0 else float(np.clip(left / open_cases, 0.0, cap))


@writes("ledger")
def book_staff_and_withholding(funder: FunderState, s: Settings, ledger: Ledger) -> None:
    """Book the week's staff cost, and withhold the share at risk of what the funder pays for staff and
    services (the service money providers spent on cases and what they kept)."""
    ledger.add("staff_cost", funder.staff_cost_per_week)
    week = ledger.week
    ledger.add("withheld", s.share_at_risk * (week["staff_cost"] + week["service_spend"] + week["service_retained"]))


@writes("ledger")
def pay_outcomes(recorded: np.ndarray, tier: np.ndarray, smd_start: np.ndarray, s: Settings, ledger: Ledger) -> None:
    """Pay the contract's price for each recorded success, by payment group (nothing under a block contract)."""
    payments = recorded * s.outcome_prices[tier]
    ledger.add("outcome_payments", float(payments.sum()))
    ledger.add("outcome_payments_smd", float(payments[smd_start].sum()))
