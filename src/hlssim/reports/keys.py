"""What each summary key and weekly column means to a reader: a short label and its unit.

The definitions are in docs/metrics.md; this is the reader's shorthand for axes, tables and
sentences. ``tests/test_reports.py`` checks that every summary key and weekly column has one.
"""

from __future__ import annotations

import math

from .. import mechanisms
from ..state.books import COUNT, NO_SERVICE

# Units, spelt once so keys sharing a unit share a panel (the weekly books' units come from state/books.py).
INDEX = "index 0-1"
POINTS = "index points"
SHARE = "share (0-1)"
SHARE_POINTS = "share points"
CORRELATION = "correlation (-1 to 1)"
GBP_CITIZEN = "£ per citizen per year"
GBP_SMD = "£ per SMD citizen per year"
GBP_GAIN = "£ per flourishing point"
LEAVERS = "leavers per worker per year"
HOURS = "hours per case-week"
WEEKS = "weeks"
CITIZENS = "citizens"
HHI = "Herfindahl index"
PROBABILITY = "probability"

SUMMARY = {
    "flourishing_mean": ("flourishing at the end", INDEX),
    "flourishing_gain": ("flourishing gain", POINTS),
    "flourishing_gain_smd": ("flourishing gain, SMD at start", POINTS),
    "equity_gap": ("equity gap (others minus SMD)", POINTS),
    "true_success_rate": ("true success rate", SHARE),
    "reported_success_rate": ("reported success rate", SHARE),
    "goodhart_gap": ("Goodhart gap (reported minus true)", SHARE_POINTS),
    "report_true_corr": ("record-truth correlation", CORRELATION),
    "data_integrity": ("data integrity", SHARE),
    "cost_per_citizen_year": ("whole public cost", GBP_CITIZEN),
    "crisis_cost_per_citizen_year": ("crisis cost", GBP_CITIZEN),
    "crisis_cost_per_smd_citizen_year": ("crisis cost, SMD at start", GBP_SMD),
    "admin_share": ("administration share of hours", SHARE),
    "turned_away_share": ("requests turned away", SHARE),
    "failure_demand_share": ("failure demand", SHARE),
    "parked_share": ("parked case-weeks", SHARE),
    "trust_mean": ("trust in the worker", INDEX),
    "knowledge_accuracy": ("knowledge of what matters", INDEX),
    "worker_motivation_mean": ("worker motivation", INDEX),
    "worker_turnover_rate": ("worker turnover", LEAVERS),
    "burnout_share": ("burnt-out worker-weeks", SHARE),
    "misreport_rate": ("misreported closures", SHARE),
    "measured_effort_share": ("effort on measured domains", SHARE),
    "closed_early_share": ("cases closed early to score", SHARE),
    "cases_closed": ("cases closed", COUNT),
    "waiting_mean": ("waiting list", CITIZENS),
    "spend_per_citizen_year": ("funder spend", GBP_CITIZEN),
    "cost_per_flourishing_gain": ("funder cost per flourishing point", GBP_GAIN),
    "crisis_cost_avoided_per_smd_citizen_year": ("crisis cost avoided against A, SMD at start", GBP_SMD),
    "hardest_tier_spend_share": ("service resources reaching the hardest tier", SHARE),
    "public_service_use_per_smd_citizen_year": ("public service use, SMD at start", GBP_SMD),
    "smd_resources_per_smd_citizen_year": ("service resources reaching each citizen with SMD at start", GBP_SMD),
    "provider_margin_share": ("providers' margin on what they are paid", SHARE),
    "declined_share": ("requests declined: payment group loses money", SHARE),
    "easier_closure_share": ("closed cases from the two easier tiers", SHARE),
    "provider_concentration": ("provider concentration", HHI),
    "gaming_provider_share": ("budget held by gaming providers", SHARE),
    "hours_per_case_week_stable": ("hours per case-week, stable", HOURS),
    "hours_per_case_week_complex": ("hours per case-week, complex", HOURS),
    "hours_per_case_week_smd": ("hours per case-week, SMD", HOURS),
    "parked_share_stable": ("parked case-weeks, stable", SHARE),
    "parked_share_complex": ("parked case-weeks, complex", SHARE),
    "parked_share_smd": ("parked case-weeks, SMD", SHARE),
    "wait_weeks_mean": ("weeks waited before a case opened", WEEKS),
    "moved_away_in_case": ("moved away with a case open", COUNT),
    "between_worker_share": ("share of outcome variance between workers", SHARE),
    "dropout_share": ("gave up waiting", SHARE),
    "closed_at_review_share": ("closed at review", SHARE),
    "bad_practice_share": ("worker-weeks in bad practice", SHARE),
}

# Weekly columns (docs/metrics.md, "Weekly time series"); the two success rates are derived
# (see hlssim.reports.series.success_rates).
WEEKLY = {
    "flourishing_mean": ("flourishing, all citizens", INDEX),
    "flourishing_smd_start": ("flourishing, SMD at start", INDEX),
    "smd_share": ("citizens with SMD now", SHARE),
    "active_cases": ("open cases", COUNT),
    "waiting": ("waiting list", CITIZENS),
    "parked_share": ("parked open cases", SHARE),
    "measured_effort_share": ("effort on measured domains", SHARE),
    "admin_share": ("administration share of hours", SHARE),
    "trust_mean": ("trust in the worker", INDEX),
    "knowledge_accuracy": ("knowledge of what matters", INDEX),
    "worker_motivation_mean": ("worker motivation", INDEX),
    "burnout_share": ("burnt-out workers", SHARE),
    "target_mean": ("team target success rate", SHARE),
    "exploration_mean": ("chance of trying another option", PROBABILITY),
    "hardest_tier_spend_share": ("service resources reaching the hardest tier", SHARE),
    "provider_concentration": ("provider concentration", HHI),
    "gaming_provider_share": ("budget held by gaming providers", SHARE),
    "bad_practice_share": ("workers in bad practice", SHARE),
    "true_success_rate": ("true success rate", SHARE),
    "reported_success_rate": ("reported success rate", SHARE),
}

# Weekly columns the mechanisms declare (their books, state/books.py): labels, units and n/a come from there.
_DECLARED = {book.column: book.shown for book in mechanisms.books() if book.shown is not None}
WEEKLY.update({column: (shown.label, shown.unit) for column, shown in _DECLARED.items()})

# Weekly columns driven by the mechanism behind a summary key: where that key is n/a, so are they
# (hlssim.outputs.applicability). Columns named like a summary key map to it; a declared column maps to
# the key it names (or to itself, when its own mechanism says when it cannot act).
WEEKLY_AS_SUMMARY = {
    "waiting": "waiting_mean", "active_cases": NO_SERVICE, "target_mean": NO_SERVICE,
    "exploration_mean": NO_SERVICE,
    **{column: shown.na_with for column, shown in _DECLARED.items() if shown.na_with is not None},
}


def summary_key_of(weekly_key: str) -> str:
    return WEEKLY_AS_SUMMARY.get(weekly_key, weekly_key)


def label(key: str, weekly: bool = False) -> str:
    return (WEEKLY if weekly else SUMMARY).get(key, (key.replace("_", " "), ""))[0]


def unit(key: str, weekly: bool = False) -> str:
    return (WEEKLY if weekly else SUMMARY).get(key, ("", "value"))[1]


def words(key: str, value: float, difference: bool = False, with_unit: bool = True) -> str:
    """A value, or a difference, as a reader says it: '£1,234 per citizen per year', '31.2%',
    '+5.0 percentage points', '0.031 index points'; ``with_unit=False`` leaves the unit off (ranges)."""
    if value is None or math.isnan(value):
        return "not defined"
    u = unit(key)
    sign = "+" if difference and value > 0 else ("−" if value < 0 else "")
    size = abs(value)
    if u.startswith("£"):
        number, suffix = f"£{size:,.0f}", u.removeprefix("£ ")
    elif u in (SHARE, SHARE_POINTS) and (difference or u == SHARE_POINTS):
        number, suffix = f"{size * 100:.1f}", "percentage points"
    elif u == SHARE:
        number, suffix = f"{size:.1%}", ""
    elif u in (COUNT, CITIZENS):
        number, suffix = f"{size:,.0f}", u
    else:
        number = f"{size:,.0f}" if size >= 100 else f"{size:.3g}" if size >= 1 else f"{size:.3f}"
        suffix = {INDEX: "(index 0-1)", CORRELATION: "(correlation)", HHI: "(Herfindahl index)"}.get(u, u)
    return f"{sign}{number} {suffix}".rstrip() if with_unit else f"{sign}{number}"


def number(key: str, value: float, difference: bool = False) -> str:
    """A value for a table whose unit column names the unit: '£4,809', '0.242', '+0.488', '10,173'."""
    if value is None or math.isnan(value):
        return "nan"
    sign = "+" if difference and value > 0 else ("−" if value < 0 else "")
    size, u = abs(value), unit(key)
    if u.startswith("£"):
        return f"{sign}£{size:,.0f}"
    if u in (COUNT, CITIZENS) or size >= 1000:
        return f"{sign}{size:,.0f}"
    return f"{sign}{size:,.3f}" if size < 10 else f"{sign}{size:,.1f}"
