"""Running counts and sums, for this week and the whole run, under names declared here.

Mechanisms book what they did (cases opened, hours spent, £ paid); the outputs layer reads
the books. Every name is declared in :data:`LEDGER_KEYS`, so a misspelt name fails at once
instead of reading as 0.
"""

from __future__ import annotations

from .citizens import TIER_NAMES

LEDGER_KEYS = (
    # front door and queue
    "requests", "failure_demand", "turned_away", "declined_by_margin", "cases_opened", "weeks_waited", "moved_away_in_case",
    "chasing_requests", "dropped_out", "deteriorating_waits", "waiting_weeks",
    # time and attention
    "worker_hours", "admin_hours", "relational_hours", "smd_relational_hours", "measured_effort",
    "active", "parked",
    *(f"{kind}_{tier}" for kind in ("hours", "case_weeks", "parked") for tier in TIER_NAMES),
    # records
    "closures", "reported_successes", "true_successes", "misreports", "detected", "closed_early",
    "closed_at_review", "independent_accounts",
    # money (£)
    "staff_cost", "service_spend", "service_spend_smd", "service_retained", "withheld", "outcome_payments",
    "outcome_payments_smd", "followup_cost",
    "crisis_cost", "crisis_cost_smd", "smd_start_citizen_weeks",
    # workforce
    "worker_weeks", "burnt_out_worker_weeks", "leavers", "relationships_broken",
    "bad_practice_worker_weeks", "bad_practice_caught",
    # learning and the market
    "pathway_changes", "teams_moved", "provider_entries",
)


class Ledger:
    """``week`` and ``total`` map every declared name to a running sum; ``add`` books to both."""

    def __init__(self):
        self.total: dict[str, float] = dict.fromkeys(LEDGER_KEYS, 0.0)
        self.week: dict[str, float] = dict.fromkeys(LEDGER_KEYS, 0.0)

    def new_week(self) -> None:
        self.week = dict.fromkeys(LEDGER_KEYS, 0.0)

    def add(self, name: str, value: float) -> None:
        if name not in self.week:
            raise KeyError(f"ledger: {name!r} is not a declared ledger key (state/ledger.py, LEDGER_KEYS)")
        self.week[name] += value
        self.total[name] += value
