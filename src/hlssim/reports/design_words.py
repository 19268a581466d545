"""Contract designs in plain words: what a funder would write in a specification, and which terms cannot act.

A design is a value for each lever of its design file. Here each lever becomes a phrase ("40% of the budget
at risk on reported outcomes, 60% block"), and a phrase says so when the design's other terms stop it from
acting (ODD 7.13, 7.14): nothing is paid by results under fully devolved budgets, the weight given to
providers' own learning reports matters only when renewal reads learning accounts, and with one provider
there is no market to re-commission. A lever this module has no words for is shown as ``key = value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .money import pounds

MEASURES = {"reported_outcomes": "reported outcomes", "activity": "activity (cases closed)",
            "learning_accounts": "learning accounts"}


def way_of_working(value: float) -> str:
    if value <= 0.0:
        return "NPM ways of working (targets, standard pathways, payment by results)"
    if value >= 1.0:
        return "HLS ways of working (bespoke support, devolved budgets, learning cycles, governing for learning)"
    return f"a mix of ways of working, {value:.0%} of the way from NPM to HLS on all six practices"


def phrase(key: str, value: Any, context: Mapping[str, Any]) -> str:
    """One lever of a design in words. ``context`` is the design's resolved parameters (dotted keys), so a phrase
    can say what the design's other terms make of it: money paid by results scales with the share of resource
    allocation still NPM (ODD 7.13), learning reports count only when renewal reads learning accounts, and one
    provider means no market (ODD 7.14)."""
    by_results = 1.0 - float(context.get("practices.resource_allocation", 0.0))
    effect = ""
    if key == "contract.share_at_risk" or key.startswith("contract.price_"):
        shown = (lambda v: f"{v:.0%}") if key == "contract.share_at_risk" else pounds
        if by_results <= 0.0:
            effect = " (does not act: fully devolved budgets pay nothing by results)"
        elif by_results < 1.0 and value:
            effect = f" ({shown(value * by_results)} in effect: budgets are {1 - by_results:.0%} devolved)"
    if key == "contract.report_weight" and context.get("contract.measure") != "learning_accounts":
        effect = " (does not act: renewal does not read learning accounts)"
    if key in ("contract.recommission_weeks", "contract.measure", "contract.report_weight") \
            and context.get("market.providers", 2) == 1:
        effect = " (does not act: one provider, no market)"
    words = {
        "practices": way_of_working,
        "contract.share_at_risk": lambda v: f"{v:.0%} of the budget at risk on outcomes, the rest block",
        "contract.price_stable": lambda v: f"{pounds(v)} per outcome for people with no low domain",
        "contract.price_complex": lambda v: f"{pounds(v)} per outcome for people with one or two low domains",
        "contract.price_smd": lambda v: f"{pounds(v)} per outcome for people with SMD",
        "contract.measure": lambda v: f"renewal reads {MEASURES.get(v, v)}",
        "contract.report_weight": lambda v: f"providers' own learning reports weigh {v:.0%} of what renewal hears "
                                            f"(citizens' accounts {1 - v:.0%})",
        "contract.recommission_weeks": lambda v: f"budgets re-commissioned every {v} weeks",
        "contract.length_weeks": lambda v: f"contracts of {v} weeks",
        "market.providers": lambda v: "one provider" if v == 1 else f"{v} providers competing",
        "learning.session_hours": lambda v: f"{v:g} hours of learning time a cycle",
        "measurement.independent_followup": lambda v: f"{v:.0%} of accounts followed up independently",
        "incentives.inspection_rate": lambda v: f"{v:.0%} of claims checked",
        "targets.pressure": lambda v: f"target pressure {v:.2f} (0 = nothing rides on targets, 1 = everything)",
    }
    said = words[key](value) if key in words else f"{key} = {value}"
    return said + effect


def design_in_words(values: Mapping[str, Any], context: Mapping[str, Any]) -> list[str]:
    """Every lever of a design (lever key -> value, in the design file's order) as a phrase."""
    return [phrase(k, v, context) for k, v in values.items()]


def lever_value(value: Any) -> str:
    """A lever's value in a table cell: options as written, numbers without trailing zeros."""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)
