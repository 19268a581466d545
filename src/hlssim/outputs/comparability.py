"""Which summary keys two runs cannot be compared on: a difference there is a fact about the setup, not a finding.

A rate over closed cases depends on when cases close. Where one side closes a case at a time limit
and the other when the person no longer needs the service (or at reviews on another rhythm), the
two sides' closed cases are different people at different points of their lives: a higher true
success rate under HLS is partly built in by when it closes cases (docs/metrics.md, "Reading the
metrics: cautions"). Such keys are flagged wherever two selections are compared, never stated as
findings; flourishing gain, the equity gap and the costs count everyone over the same weeks and
stay comparable.
"""

from __future__ import annotations

from typing import Any

from ..params import ParameterError, Params, resolve
from ..params.practices import settings_for

# Keys whose level is set by when cases close (their denominator, or the count itself, is closed cases).
CLOSING_KEYS = ("true_success_rate", "reported_success_rate", "cases_closed")


def closing_rule(p: Params) -> dict[str, Any]:
    """When a case closes under ``p``: the time limit (inf: when the person is ready), readiness and reviews."""
    return {"time limit": settings_for(p).pathway_limit, "ready at flourishing": p.pathways.ready_flourishing,
            "review every (weeks)": p.pathways.review_weeks, "review minimum gain": p.pathways.review_min_gain}


def not_comparable(a: Params, b: Params) -> dict[str, str]:
    """The keys A and B cannot be compared on, each with the reason in words (empty when they can be)."""
    rule_a, rule_b = closing_rule(a), closing_rule(b)
    differ = [name for name in rule_a if rule_a[name] != rule_b[name]]
    if not differ:
        return {}
    reason = ("the two sides close cases by different rules (" + "; ".join(
        f"{name}: {_shown(name, rule_a[name])} against {_shown(name, rule_b[name])}" for name in differ) +
        "), so their closed cases are not the same people at the same point: see docs/metrics.md, "
        "'Reading the metrics: cautions'")
    return dict.fromkeys(CLOSING_KEYS, reason)


def not_comparable_flat(a: dict[str, Any], b: dict[str, Any]) -> dict[str, str]:
    """The same for stored parameters (dotted keys); none for parameters this version cannot read."""
    try:
        return not_comparable(resolve(None, a), resolve(None, b))
    except ParameterError:
        return {}


def _shown(name: str, value: Any) -> str:
    if value == float("inf"):
        return "none, a case closes when the person is ready"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} weeks" if name == "time limit" else text
