"""What each summary key and weekly column means to a reader: a short label and its unit.

The definitions are in docs/metrics.md; this is the reader's shorthand for axes, tables and
sentences. ``tests/test_reports.py`` checks that every summary key and weekly column has one.
"""

from __future__ import annotations

import math

# Units, spelt once so keys sharing a unit share a panel.
INDEX = "index 0-1"
POINTS = "index points"
SHARE = "share (0-1)"
SHARE_POINTS = "share points"
CORRELATION = "correlation (-1 to 1)"
GBP_CITIZEN = "£ per citizen per year"
GBP_SMD = "£ per SMD citizen per year"
GBP_GAIN = "£ per flourishing point"
GBP_WEEK = "£ per week"
LEAVERS = "leavers per worker per year"
HOURS = "hours per case-week"
WEEKS = "weeks"
CITIZENS = "citizens"
COUNT = "count"
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
    "requests": ("requests for help", COUNT),
    "turned_away": ("requests turned away", COUNT),
    "failure_demand": ("failure demand requests", COUNT),
    "cases_opened": ("cases opened", COUNT),
    "closures": ("cases closed", COUNT),
    "reported_successes": ("closures recorded as successes", COUNT),
    "true_successes": ("closures that were true successes", COUNT),
    "misreports": ("misreported closures", COUNT),
    "detected": ("misreports caught", COUNT),
    "closed_early": ("closed early to score", COUNT),
    "parked_share": ("parked open cases", SHARE),
    "measured_effort_share": ("effort on measured domains", SHARE),
    "admin_share": ("administration share of hours", SHARE),
    "trust_mean": ("trust in the worker", INDEX),
    "knowledge_accuracy": ("knowledge of what matters", INDEX),
    "worker_motivation_mean": ("worker motivation", INDEX),
    "burnout_share": ("burnt-out workers", SHARE),
    "leavers": ("workers who left", COUNT),
    "relationships_broken": ("relationships broken by a leaver", COUNT),
    "target_mean": ("team target success rate", SHARE),
    "exploration_mean": ("chance of trying another option", PROBABILITY),
    "crisis_cost": ("crisis cost", GBP_WEEK),
    "crisis_cost_smd_start": ("crisis cost, SMD at start", GBP_WEEK),
    "staff_cost": ("staff cost", GBP_WEEK),
    "service_spend": ("service spend", GBP_WEEK),
    "outcome_payments": ("outcome payments", GBP_WEEK),
    "withheld": ("withheld at risk", GBP_WEEK),
    "service_retained": ("service money kept by providers", GBP_WEEK),
    "followup_cost": ("independent follow-up", GBP_WEEK),
    "hardest_tier_spend_share": ("service resources reaching the hardest tier", SHARE),
    "provider_concentration": ("provider concentration", HHI),
    "gaming_provider_share": ("budget held by gaming providers", SHARE),
    "teams_moved": ("teams moved by re-commissioning", COUNT),
    "chasing_requests": ("requests chasing a place", COUNT),
    "dropped_out": ("gave up waiting", COUNT),
    "closed_at_review": ("closed at review", COUNT),
    "bad_practice_share": ("workers in bad practice", SHARE),
    "true_success_rate": ("true success rate", SHARE),
    "reported_success_rate": ("reported success rate", SHARE),
}

# Weekly columns driven by the mechanism behind a summary key: where that key is n/a, so are they
# (hlssim.outputs.applicability). Columns named like a summary key map to it. The service's own
# activity maps to a key that is n/a exactly when there is no service.
_NO_SERVICE = "true_success_rate"
WEEKLY_AS_SUMMARY = {
    "misreports": "misreport_rate", "detected": "misreport_rate", "closed_early": "closed_early_share",
    "turned_away": "turned_away_share", "failure_demand": "failure_demand_share", "dropped_out": "dropout_share",
    "closed_at_review": "closed_at_review_share", "reported_successes": "reported_success_rate",
    "true_successes": "true_success_rate", "waiting": "waiting_mean", "chasing_requests": "waiting_mean",
    "teams_moved": "provider_concentration",
    **dict.fromkeys(("closures", "active_cases", "requests", "cases_opened", "leavers", "relationships_broken",
                     "target_mean", "exploration_mean", "staff_cost", "service_spend", "outcome_payments",
                     "withheld", "service_retained", "followup_cost"), _NO_SERVICE),
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
