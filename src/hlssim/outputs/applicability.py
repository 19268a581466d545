"""Which outputs a run's mechanisms could not move: a 0 there is a fact about the setup, not a finding.

A key is *not applicable* when the mechanism behind it cannot act at all: under the run's parameters
(nothing reads a record, so nothing rides on it and nobody misreports; no eligibility threshold and
no provider losing money on a group, so nobody is turned away; one provider, so no market; no
service, so no cases), or, where the run's own summary is given, because what the key measures never
happened in it (nobody ever waited, so nobody could give up waiting). One rule serves every table,
figure, sweep report and JSON ``not_applicable`` list. Each key comes with its reason, so a reader
is told *why* (docs/metrics.md, "Not applicable").

The rule never hides a finding: a key that is n/a in a run holds the value its mechanism leaves when it
cannot act (0, or undefined; 1 for the concentration of a market of one, :data:`INERT`), never a value
that moved (``tests/test_not_applicable.py`` checks this over the shipped scenarios).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from .. import mechanisms
from ..params import ParameterError, Params, resolve
from ..params.practices import Settings, settings_for
from ..params.sizes import provider_count

SERVICE_KEYS = (
    "true_success_rate", "reported_success_rate", "goodhart_gap", "report_true_corr", "data_integrity",
    "admin_share", "turned_away_share", "failure_demand_share", "parked_share", "trust_mean", "knowledge_accuracy",
    "worker_motivation_mean", "worker_turnover_rate", "burnout_share", "misreport_rate", "measured_effort_share",
    "closed_early_share", "spend_per_citizen_year", "cost_per_flourishing_gain", "hardest_tier_spend_share",
    "provider_concentration", "gaming_provider_share", "hours_per_case_week_stable", "hours_per_case_week_complex",
    "hours_per_case_week_smd", "parked_share_stable", "parked_share_complex", "parked_share_smd", "wait_weeks_mean",
    "between_worker_share", "dropout_share", "closed_at_review_share", "bad_practice_share", "waiting_mean",
    "smd_resources_per_smd_citizen_year", "provider_margin_share", "declined_share", "easier_closure_share",
)
# Keys whose mechanism is a worker's stake in a recorded success: nothing reads the record, nothing rides on it.
STAKE_KEYS = ("misreport_rate", "closed_early_share", "gaming_provider_share")

# The value a key holds when its mechanism cannot act, where that is not 0: one provider holds everything.
INERT = {"provider_concentration": 1.0}

CANNOT_ACT = "the mechanism behind this key cannot act under these practices and parameters"
NEEDS_BASELINE = "this key is a difference against a paired baseline run (a comparison or a funders' table fills it in)"
DID_NOT_HAPPEN = "what this key measures never happened in this run"
NOTE = "n/a: the mechanism behind this key cannot act under these practices and parameters (docs/metrics.md)"
NOTES = {reason: f"n/a: {reason} (docs/metrics.md)" for reason in (CANNOT_ACT, NEEDS_BASELINE, DID_NOT_HAPPEN)}


def reads_records(s: Settings) -> bool:
    """Whether any decision reads a worker's recorded successes with something riding on it: the team
    target (as far as targets press), payment by results, or a provider's renewal."""
    return s.target_pressure * s.target_weight > 0 or s.paid_worth > 0 or s.renewal_worth > 0


def reasons(p: Params, summary: Mapping[str, float] | None = None) -> dict[str, str]:
    """Each summary key that is n/a under ``p`` (and, given the run's ``summary``, in that run), with why."""
    if not p.service.enabled:
        return {**dict.fromkeys(SERVICE_KEYS, CANNOT_ACT), **dict.fromkeys(_declared_columns(), CANNOT_ACT),
                "crisis_cost_avoided_per_smd_citizen_year": NEEDS_BASELINE}
    s = settings_for(p)
    out: dict[str, str] = {}
    stake = reads_records(s)
    if not stake:
        out.update(dict.fromkeys(STAKE_KEYS, CANNOT_ACT))
    # A provider declines a payment group only when its books can make one group look worse than another
    # or than breaking even: something paid by results or held at risk, and its finances steering it.
    by_results = s.share_at_risk > 0 or bool((s.outcome_prices > 0).any())
    declines = by_results and p.market.margin_steering > 0
    if not declines:
        out["declined_share"] = CANNOT_ACT
    if not by_results:
        out["provider_margin_share"] = CANNOT_ACT      # paid as they spend: no margin to make or lose
    if s.eligibility_threshold >= 1 and not declines:
        out["turned_away_share"] = CANNOT_ACT
    if s.eligibility_threshold <= p.crisis.low_threshold:
        # Only a case with an assessed domain below the eligibility threshold is served, and that
        # domain is low: no stable-tier (intake tier 0) case can open.
        out.update(dict.fromkeys(("hours_per_case_week_stable", "parked_share_stable"), CANNOT_ACT))
    # Failure demand needs someone to leave with need unmet: turned away, timed out, closed early to
    # bank a recorded success, closed at a review, given up waiting, asked again, or left by a leaver.
    unmet_exits = (s.eligibility_threshold < 1 or declines or s.pathway_limit != float("inf") or stake
                   or p.pathways.review_weeks > 0 or p.queue.dropout_rate > 0 or p.queue.chasing > 0
                   or not p.workforce.reassignment)
    if not unmet_exits:
        out["failure_demand_share"] = CANNOT_ACT
    if p.queue.dropout_rate == 0:
        out["dropout_share"] = CANNOT_ACT
    if p.pathways.review_weeks == 0 or s.pathway_limit <= p.pathways.review_weeks:
        out["closed_at_review_share"] = CANNOT_ACT     # every case times out before its first review
    if p.quality.drift_rate == 0:
        out["bad_practice_share"] = CANNOT_ACT
    if provider_count(p) < 2:
        out["provider_concentration"] = CANNOT_ACT     # one provider holds everything: no market
    if summary is not None and _never(summary, "waiting_mean"):
        out.setdefault("dropout_share", DID_NOT_HAPPEN)   # nobody ever waited, so nobody could give up
    for book in mechanisms.books():   # a weekly column whose own mechanism says when it is switched off
        if book.shown is not None and book.shown.cannot_act is not None and book.shown.cannot_act(p):
            out[book.column] = CANNOT_ACT
    out["crisis_cost_avoided_per_smd_citizen_year"] = NEEDS_BASELINE
    return out


def _declared_columns() -> list[str]:
    """The weekly columns that answer for themselves whether they can act (no summary key to follow)."""
    return [b.column for b in mechanisms.books() if b.shown is not None and b.shown.cannot_act is not None]


def _never(summary: Mapping[str, float], key: str) -> bool:
    value = summary.get(key)
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value == 0


def not_applicable(p: Params, summary: Mapping[str, float] | None = None) -> tuple[str, ...]:
    """The summary keys whose mechanism cannot act under ``p`` (or, given the run's ``summary``, did not in it)."""
    return tuple(reasons(p, summary))


def _resolved(params: dict[str, Any]) -> Params | None:
    try:
        return resolve(None, params)
    except ParameterError:
        return None


def not_applicable_flat(params: dict[str, Any], summary: Mapping[str, float] | None = None) -> tuple[str, ...]:
    """The same for stored parameters (dotted keys); none for parameters this version cannot read."""
    p = _resolved(params)
    return () if p is None else not_applicable(p, summary)


def not_applicable_each(params: dict[str, Any], summaries: Iterable[Mapping[str, float]]) -> list[tuple[str, ...]]:
    """For runs that share their parameters, each run's n/a keys (its summary can say what never happened)."""
    p = _resolved(params)
    return [() if p is None else not_applicable(p, summary) for summary in summaries]


def not_applicable_in_all(params: dict[str, Any], summaries: Iterable[Mapping[str, float]]) -> tuple[str, ...]:
    """The keys n/a in every one of a group's runs (same parameters, one summary per seed): a key that one
    run could move is shown for the group."""
    p = _resolved(params)
    if p is None:
        return ()
    runs = [set(not_applicable(p, summary)) for summary in summaries] or [set(not_applicable(p))]
    common = set.intersection(*runs)
    return tuple(k for k in not_applicable(p) + tuple(sorted(set().union(*runs) - set(not_applicable(p))))
                 if k in common)

