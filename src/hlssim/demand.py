"""Citizens asking for help, the front door that may turn them away, and the queue.

Need not met comes back: a request from someone whose last contact ended with
their need unmet counts as failure demand (seed, "Relational Public Service":
"a filtering mechanism which turns people away who do not meet your criteria").
"""

from __future__ import annotations

import numpy as np

from . import market
from .state import NO_WORKER, tier_of

FAILURE_WINDOW_WEEKS = 52  # a request within a year of an unmet exit is failure demand


def seek_help(model) -> None:
    """Citizens in need who are not served or waiting ask for help; the front door sorts them."""
    c, p, mech, led = model.citizens, model.params, model.mechanisms, model.ledger
    ask_draw = model.streams.demand.random(c.count)   # citizens' own choice: drawn for everyone, every week

    in_need = c.low_domains(p.crisis.low_threshold) > 0
    free = (c.worker == NO_WORKER) & (c.waiting_since < 0)
    chance = p.population.help_seeking * in_need + p.population.crisis_referral * model.crisis_this_week
    asks = free & (ask_draw < chance)
    idx = np.flatnonzero(asks)
    if idx.size == 0:
        return
    failure = model.week - c.last_exit[idx] <= FAILURE_WINDOW_WEEKS
    led.add("requests", idx.size)
    led.add("failure_demand", int(failure.sum()))

    # Assessment reads the presenting need: the lowest domain, with error.
    noise = model.streams.assessment.normal(0.0, p.pathways.assessment_noise, size=(idx.size, c.wellbeing.shape[1]))
    assessed = np.clip(c.wellbeing[idx] + noise, 0, 1)
    c.presenting[idx] = assessed.argmin(axis=1)
    c.intake_tier[idx] = tier_of(assessed, p.crisis.low_threshold)
    c.assessed_proxy[idx] = assessed[:, list(mech.measured)].mean(axis=1)
    eligible = assessed.min(axis=1) < mech.eligibility_threshold
    turned = idx[~eligible]
    led.add("turned_away", turned.size)
    c.last_exit[turned] = model.week
    c.waiting_since[idx[eligible]] = model.week


def intake(model) -> None:
    """Fill free caseload slots from the queue; under targets, the easiest cases first."""
    c, w, mech = model.citizens, model.workers, model.mechanisms
    waiting = np.flatnonzero(c.waiting_since >= 0)
    if waiting.size == 0:
        return
    caseload = np.bincount(c.worker[c.worker >= 0], minlength=w.count)
    free = np.clip(market.caseload_caps(model) - caseload, 0, None)
    slots = model.streams.choice.permutation(np.repeat(np.arange(w.count), free))
    if slots.size == 0:
        return

    # Priority: longest wait first, unless the proxy pays, when the likeliest and best-paid
    # successes jump the queue (cream-skimming emerges from the weight put on the proxy).
    waited = model.week - c.waiting_since[waiting]
    wait_rank = waited.argsort().argsort() / max(1, waiting.size - 1)
    if w.extrinsic.any():
        # What the front door can see: the assessed measured domains and the payment group.
        ease = (c.assessed_proxy[waiting] + 0.2 * (2 - c.intake_tier[waiting])) * mech.price_relative[c.intake_tier[waiting]]
        ease_rank = ease.argsort().argsort() / max(1, waiting.size - 1)
    else:   # nothing rides on the proxy: nobody looks at how easy a case is
        ease_rank = np.zeros(waiting.size)
    worker_provider = market.worker_provider(model)
    slot_provider = worker_provider[slots]
    providers = model.providers
    taken = np.zeros(waiting.size, dtype=bool)
    for k in model.streams.choice.permutation(providers.count):
        mine = slots[slot_provider == k]
        left = np.flatnonzero(~taken)
        if mine.size == 0 or left.size == 0:
            continue
        lam = min(1.0, float(w.extrinsic[worker_provider == k].mean()) * 2.0 * providers.selectivity[k])
        priority = (1 - lam) * wait_rank[left] + lam * ease_rank[left]
        pick = left[np.argsort(-priority, kind="stable")[: mine.size]]
        taken[pick] = True
        open_cases(model, waiting[pick], mine[: pick.size])


def open_cases(model, citizens: np.ndarray, workers: np.ndarray) -> None:
    c, p, mech = model.citizens, model.params, model.mechanisms
    c.worker[citizens] = workers
    model.ledger.add("weeks_waited", float((model.week - c.waiting_since[citizens]).sum()))
    c.waiting_since[citizens] = -1
    c.case_start[citizens] = model.week
    c.case_flourishing[citizens] = c.flourishing()[citizens]
    c.case_proxy[citizens] = c.wellbeing[citizens][:, list(mech.measured)].mean(axis=1)
    c.pathway_option[citizens] = model.pathway_table[c.presenting[citizens]]
    if mech.central_evaluation and p.learning.trial_share > 0:
        # Evaluators' trials: a random share of new cases get a random option, so options can be compared.
        trial = model.streams.choice.random(citizens.size) < p.learning.trial_share
        arm = model.streams.choice.integers(0, model.option_primary.size, size=citizens.size)
        c.pathway_option[citizens] = np.where(trial, arm, c.pathway_option[citizens])
    start_relationship(model, citizens)
    model.ledger.add("cases_opened", citizens.size)


def start_relationship(model, citizens: np.ndarray) -> None:
    """A new worker knows nothing of this person: trust, what matters and what works start afresh."""
    c, p = model.citizens, model.params
    c.trust[citizens] = p.trust.initial
    c.perceived_weights[citizens] = 1.0 / c.weights.shape[1]
    c.residual[citizens] = 0.0
    c.low_hours_weeks[citizens] = 0
