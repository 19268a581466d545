"""Providers' own books: what each payment group's cases cost and bring in, and what a provider does
about a group it loses money on (docs/ODD.md, section 7.13a).

A provider is paid a block (its budget less the share at risk) and, under payment by results, a price
per recorded outcome by payment group at intake; it pays for its workers' time and the services its
cases use. Where a group's expected outcome payments fall short of the share at risk of what its cases
cost, each such case loses the provider money. Work Programme providers answered exactly this by
spending less on the groups least likely to pay (about £690 per ESA claimant against £1,170 planned,
NAO 2014) and by concentrating on those most likely to (Rees, Whitworth & Carter 2014; Carter &
Whitworth 2015: designed in by the payment structure). Here a provider takes such a group on less
readily at the front door (creaming), and gives the cases it has less service money and less of its
workers' time (parking), in proportion to the loss it expects. Nothing here is a rule to cream or
park: both follow from the provider's margins, and vanish when nothing is at risk, when prices cover
the costs, or with ``market.margin_steering`` at 0.
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import Citizens, Providers, Teams, Workers, worker_provider
from ..state.citizens import TIER_NAMES
from ..util.compiled import kernel
from .contract import writes

GROUPS = len(TIER_NAMES)   # payment groups at intake: stable, complex, SMD


@writes()
def expected_margin(pr: Providers, p: Params, s: Settings) -> np.ndarray:
    """Each provider's expected margin on a case of each payment group (P, 3), as a share of what such a
    case costs it: expected outcome payment (its own recorded success rate, times the price) less the
    share at risk of the case's cost. 0 until the provider has books to read.

    Each estimate (success rate, cost per case-week, weeks per case) counts the provider's average over
    all groups as ``market.margin_prior_cases`` cases, so a group it has seen little of is read as typical."""
    b = pr.books
    return _margins(b["case_weeks"], b["cost"], b["closures"], b["closed_weeks"], b["recorded"],
                    np.asarray(s.outcome_prices, dtype=float), float(s.share_at_risk), p.market.margin_prior_cases)


@kernel
def _shrunk(total, count, k, g, prior):
    """A group's estimate counting the provider's all-group average as ``prior`` observations."""
    all_total = total[k, 0] + total[k, 1] + total[k, 2]
    all_count = count[k, 0] + count[k, 1] + count[k, 2]
    overall = all_total / all_count if all_count > 0 else 0.0
    return (total[k, g] + prior * overall) / (count[k, g] + prior)


@kernel
def _margins(case_weeks, cost, closures, closed_weeks, recorded, prices, share_at_risk, prior):
    """expected_margin's arithmetic, provider by provider and group by group (P x 3 cells)."""
    margin = np.zeros(closures.shape)
    for k in range(closures.shape[0]):
        if closures[k, 0] + closures[k, 1] + closures[k, 2] == 0:
            continue                               # no books to read yet
        for g in range(GROUPS):
            per_case = _shrunk(cost, case_weeks, k, g, prior) * _shrunk(closed_weeks, closures, k, g, prior)
            if per_case > 0:
                payment = _shrunk(recorded, closures, k, g, prior) * prices[g]
                margin[k, g] = (payment - share_at_risk * per_case) / per_case
    return margin


@writes("providers.steer")
def steer(pr: Providers, p: Params, s: Settings) -> None:
    """How fully each provider takes on and resources each payment group this week (1 = as need and the
    plan say). A place on a caseload could go to a case of the group that pays best (or, if every group
    loses money, to nobody): a group is cut in proportion to how far its expected margin falls short of
    that (the opportunity cost of the place), as far as the provider is selective (``2 x selectivity``,
    1 when neutral) and margins steer it (``market.margin_steering``). Nothing to steer by where nothing
    is paid by results and nothing is at risk."""
    if p.market.margin_steering == 0 or (s.share_at_risk == 0 and not s.outcome_prices.any()):
        return
    margin = expected_margin(pr, p, s)
    shortfall = np.maximum(margin.max(axis=1, keepdims=True), 0.0) - margin
    strength = p.market.margin_steering * 2.0 * pr.selectivity[:, None]
    pr.steer = np.clip(1.0 - strength * shortfall, 0.0, 1.0)


@writes()
def front_door_acceptance(pr: Providers) -> np.ndarray:
    """The chance an eligible asker of each payment group is taken on (3,): a referral reaches a provider
    in proportion to its budget share, and that provider takes the group on as fully as it steers."""
    return pr.budget_share @ pr.steer


@writes("providers.books")
def book_week(pr: Providers, c: Citizens, w: Workers, teams: Teams, active: np.ndarray, staff_cost: float,
              relational_hours: float, case_spend: np.ndarray) -> None:
    """Add the week's open cases to their providers' books by payment group: a case-week each, and its
    cost (its relational hours at the week's staff cost per relational hour, plus the service money
    spent on it, ``case_spend``, one entry per open case)."""
    if active.size == 0:
        return
    hour_cost = staff_cost / relational_hours if relational_hours > 0 else 0.0
    _book_cases(active, c.worker, worker_provider(w, teams), c.intake_tier, c.hours, case_spend, hour_cost,
                pr.books["case_weeks"], pr.books["cost"])


@kernel
def _book_cases(active, worker, provider_of, tier, hours, case_spend, hour_cost, case_weeks, cost):
    """book_week's sums in one pass over the open cases, written into ``case_weeks`` and ``cost``."""
    for a in range(active.size):
        i = active[a]
        k, g = provider_of[worker[i]], tier[i]
        case_weeks[k, g] += 1.0
        cost[k, g] += hours[i] * hour_cost + case_spend[a]


@writes("providers.books")
def book_closures(pr: Providers, provider: np.ndarray, tier: np.ndarray, recorded: np.ndarray,
                  weeks_open: np.ndarray) -> None:
    """Add the week's closed cases to their providers' books: a closure each, how long it ran, and
    whether it was recorded as a success (what the provider's books say, not what happened)."""
    cell, size = provider * GROUPS + tier, pr.count * GROUPS
    for name, weights in (("closures", None), ("closed_weeks", weeks_open), ("recorded", recorded)):
        pr.books[name] += np.bincount(cell, weights=weights, minlength=size).reshape(pr.count, GROUPS)


@writes("providers.books", "providers.steer")
def open_books(pr: Providers, entrants: np.ndarray) -> None:
    """New providers start with empty books and resource every group fully."""
    for book in pr.books.values():
        book[entrants] = 0.0
    pr.steer[entrants] = 1.0

