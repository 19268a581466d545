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
    reward_weight: float         # mean worth of a reported success to a worker: outcome payment plus target
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


def settings_for(p: Params) -> Settings:
    """Translate practice degrees (and the parameters they mix) into mechanism settings."""
    g = p.practices
    c = p.contract
    prices = np.array([c.price_stable, c.price_complex, c.price_smd])
    paid = 1.0 - g.resource_allocation   # payment by results is the NPM end of resource allocation
    # What a reported success is worth to a worker, by intake tier: the team target counts every
    # success alike; payment by results adds the tier's price, in proportion to the share at risk.
    relative_price = prices / prices.mean() if prices.mean() > 0 else np.ones(3)
    worth = p.incentives.target_weight + p.incentives.reward_per_success * 2 * c.share_at_risk * paid * relative_price
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
        outcome_prices=prices * paid,
        share_at_risk=c.share_at_risk * paid,
        reward_weight=float(worth.mean()),
        price_relative=worth / worth.mean() if worth.mean() > 0 else np.ones(3),
        team_learning=g.learning,
        learning_hours=p.learning.session_hours * g.learning,
        central_evaluation=p.learning.central_evaluation and g.learning < 0.5,
        caseload_cap=round(_lerp(p.caseload.npm_cap, p.caseload.hls_cap, g.operational_management)),
        target_pressure=p.targets.pressure * (1.0 - g.governance),
        inspection_rate=p.incentives.inspection_rate * (1.0 - g.governance),
        recording_hours=_lerp(p.caseload.recording_npm_hours, p.caseload.recording_hls_hours, g.governance),
        learning_records=g.governance,
        measured=tuple(DOMAINS.index(d) for d in p.targets.measured_domains),
    )
