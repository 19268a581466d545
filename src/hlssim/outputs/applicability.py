"""Which outputs a run's mechanisms could not move: a 0 there is a fact about the setup, not a finding.

A key is *not applicable* when, under the run's parameters, the mechanism behind it cannot act at
all (no stake in the proxy means no misreporting; no eligibility threshold means nobody is turned
away; no service means no cases). Tables print such keys as ``n/a`` with a footnote; JSON keeps
the number and lists the keys under ``"not_applicable"`` (docs/metrics.md).
"""

from __future__ import annotations

from typing import Any

from ..params import ParameterError, Params, resolve
from ..params.practices import settings_for

SERVICE_KEYS = (
    "true_success_rate", "reported_success_rate", "goodhart_gap", "report_true_corr", "data_integrity",
    "admin_share", "turned_away_share", "failure_demand_share", "parked_share", "trust_mean", "knowledge_accuracy",
    "worker_motivation_mean", "worker_turnover_rate", "burnout_share", "misreport_rate", "measured_effort_share",
    "closed_early_share", "spend_per_citizen_year", "cost_per_flourishing_gain", "hardest_tier_spend_share",
    "provider_concentration", "gaming_provider_share", "hours_per_case_week_stable", "hours_per_case_week_complex",
    "hours_per_case_week_smd", "parked_share_stable", "parked_share_complex", "parked_share_smd", "wait_weeks_mean",
    "between_worker_share", "dropout_share", "closed_at_review_share", "bad_practice_share", "waiting_mean",
)
STAKE_KEYS = ("misreport_rate", "closed_early_share", "parked_share", "parked_share_stable", "parked_share_complex",
              "parked_share_smd")
NOTE = "n/a: the mechanism behind this key cannot act under these practices and parameters (docs/metrics.md)"


def not_applicable(p: Params) -> tuple[str, ...]:
    """The summary keys whose mechanism cannot act under ``p`` (in the order of SERVICE_KEYS and the rest)."""
    if not p.service.enabled:
        return SERVICE_KEYS + ("crisis_cost_avoided_per_smd_citizen_year",)
    s = settings_for(p)
    out: list[str] = []
    no_stake = s.target_pressure == 0 or s.reward_weight == 0
    if no_stake:
        out += STAKE_KEYS
    if s.eligibility_threshold >= 1:
        out.append("turned_away_share")
    if s.eligibility_threshold <= p.crisis.low_threshold:
        # Only a case with an assessed domain below the eligibility threshold is served, and that
        # domain is low: no stable-tier (intake tier 0) case can open.
        out += ["hours_per_case_week_stable", "parked_share_stable"]
    # Failure demand needs someone to leave with need unmet: turned away, timed out, closed early to
    # bank a proxy success, closed at a review, given up waiting, asked again, or left by a leaver.
    unmet_exits = (s.eligibility_threshold < 1 or s.pathway_limit != float("inf") or not no_stake
                   or p.pathways.review_weeks > 0 or p.queue.dropout_rate > 0 or p.queue.chasing > 0
                   or not p.workforce.reassignment)
    if not unmet_exits:
        out.append("failure_demand_share")
    if p.queue.dropout_rate == 0:
        out.append("dropout_share")
    if p.pathways.review_weeks == 0:
        out.append("closed_at_review_share")
    if p.quality.drift_rate == 0:
        out.append("bad_practice_share")
    out.append("crisis_cost_avoided_per_smd_citizen_year")   # needs a baseline run (experiments/commissioning.py)
    return tuple(dict.fromkeys(out))


def not_applicable_flat(params: dict[str, Any]) -> tuple[str, ...]:
    """The same for stored parameters (dotted keys); none for parameters this version cannot read."""
    try:
        return not_applicable(resolve(None, params))
    except ParameterError:
        return ()
