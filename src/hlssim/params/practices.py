"""How the six practices of Figure 1 set each mechanism (docs/ODD.md, section 7.0).

A practice's degree runs from 0 (New Public Management) to 1 (Human Learning
Systems). This module is the one place that says which practice drives which
mechanism, so a hybrid is simply a mix of degrees and the seed's claim that
practices reinforce each other can be tested rather than assumed. Mechanisms
read the resulting :class:`Settings`, never the practice degrees themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .groups import DOMAINS, Params
from .sizes import provider_count


def _lerp(npm: float, hls: float, degree: float) -> float:
    return npm + (hls - npm) * degree


@dataclass(frozen=True, eq=False)
class Settings:
    """What the practice mix sets, mechanism by mechanism; fixed for a run."""

    # public-facing practice
    bespoke: float               # weight on the pair's own learning vs the standard pathway
    conversation: float          # how much contact reveals of what matters
    eligibility_threshold: float  # presenting need must be below this to be served
    pathway_limit: float         # weeks before a case is closed (inf = closes when the citizen is ready)
    discretion: float            # how far workers decide for each case (public-facing and resource allocation)
    # leadership
    control: float               # felt control that can crowd out motivation
    error_sharing: float         # share of failed experiments brought to learning sessions
    # resource allocation
    devolved_share: float        # share of case spending decided by worker and citizen
    outcome_prices: np.ndarray   # £ per reported success, by intake tier (stable, complex, smd)
    share_at_risk: float         # share of the service budget withheld and paid back per reported outcome
    # What a recorded success is worth to the worker who writes it: one term for each decision that reads
    # the record (docs/ODD.md 7.12). Where nothing reads it, its term is 0 because nothing reads it.
    target_weight: float         # toward the team target, scaled by target pressure and the felt gap
    paid_worth: float            # mean over intake tiers of a success paid by results
    renewal_worth: float         # toward the provider's renewal, as far as re-commissioning reads the record
    price_relative: np.ndarray   # worth of a success by intake tier over the mean worth (ones when nothing is paid)
    # learning and evaluation
    team_learning: float         # how strongly learning cycles update team knowledge
    learning_hours: float        # hours a worker a week of learning and reflection
    central_evaluation: bool     # pathways re-chosen from reported data
    # operational management
    caseload_cap: int
    # governance and accountability
    target_pressure: float       # how much rides on the proxy
    inspection_rate: float       # detection probability of a misreport
    recording_hours: float       # hours a case a week of recording and reporting
    learning_records: float      # 0 = records are the proxy, 1 = records are what the citizen says changed
    measured: tuple[int, ...]    # indices of measured domains


def renewal_reads(p: Params) -> float:
    """How far re-commissioning reads the success a worker records: not at all where budget cannot move
    (one provider, or no competition) or where the funder counts activity (closures, not successes); in
    full for reported outcomes; for learning accounts, as far as the funder reads providers' own reports
    rather than hearing citizens directly (``contract.report_weight``)."""
    if provider_count(p) < 2 or p.market.competition == 0:
        return 0.0
    return {"reported_outcomes": 1.0, "activity": 0.0, "learning_accounts": p.contract.report_weight}[p.contract.measure]


def settings_for(p: Params) -> Settings:
    """Translate practice degrees (and the parameters they mix) into mechanism settings."""
    g = p.practices
    c = p.contract
    prices = np.array([c.price_stable, c.price_complex, c.price_smd])
    by_results = 1.0 - g.resource_allocation   # payment by results is the NPM end of resource allocation
    # What a recorded success is worth to a worker, by intake tier: one term per decision that reads
    # the record. The team target counts every success alike (as far as targets press); payment by
    # results adds the tier's price, in proportion to the share at risk; re-commissioning adds the
    # provider's renewal, as far as it reads the record (priced by tier when it reads priced outcomes).
    relative_price = prices / prices.mean() if prices.mean() > 0 else np.ones(3)
    target_pressure = p.targets.pressure * (1.0 - g.governance)
    paid = p.incentives.reward_per_success * 2 * c.share_at_risk * by_results * relative_price
    renewal = p.incentives.renewal_weight * renewal_reads(p) * (relative_price if c.measure == "reported_outcomes"
                                                                 else np.ones(3))
    worth = p.incentives.target_weight * target_pressure + paid + renewal
    return Settings(
        bespoke=g.public_facing,
        discretion=(g.public_facing + g.resource_allocation) / 2,
        conversation=_lerp(p.learning.conversation_npm, p.learning.conversation_hls, g.public_facing),
        eligibility_threshold=_lerp(p.pathways.eligibility_threshold, 1.0, g.public_facing)
        if p.pathways.eligibility_threshold > 0 else 1.0,
        pathway_limit=p.pathways.length_weeks / (1.0 - g.public_facing) if g.public_facing < 1 else float("inf"),
        control=1.0 - (g.leadership + g.operational_management) / 2,
        error_sharing=_lerp(p.learning.error_sharing_npm, 1.0, g.leadership),
        devolved_share=g.resource_allocation,
        outcome_prices=prices * by_results,
        share_at_risk=c.share_at_risk * by_results,
        target_weight=p.incentives.target_weight,
        paid_worth=float(paid.mean()),
        renewal_worth=float(renewal.mean()),
        price_relative=worth / worth.mean() if worth.mean() > 0 else np.ones(3),
        team_learning=g.learning,
        learning_hours=p.learning.session_hours * g.learning,
        central_evaluation=p.learning.central_evaluation and g.learning < 0.5,
        caseload_cap=round(_lerp(p.caseload.npm_cap, p.caseload.hls_cap, g.operational_management)),
        target_pressure=target_pressure,
        inspection_rate=p.incentives.inspection_rate * (1.0 - g.governance),
        recording_hours=_lerp(p.caseload.recording_npm_hours, p.caseload.recording_hls_hours, g.governance),
        learning_records=g.governance,
        measured=tuple(DOMAINS.index(d) for d in p.targets.measured_domains),
    )
