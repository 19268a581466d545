"""Citizens asking for help, the front door that may turn them away, the queue and intake
(docs/ODD.md, section 7.3).

Need not met comes back: a request from someone whose last contact ended with
their need unmet counts as failure demand (seed, "Relational Public Service":
"a filtering mechanism which turns people away who do not meet your criteria").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..params import N_DOMAINS, Params
from ..params.practices import Settings
from ..state import NO_WORKER, Citizens, Evidence, Ledger, Providers, Teams, Workers, tier_of_low, weighted_row, worker_provider
from ..state.books import count, tally
from ..util.compiled import kernel
from ..util.sorting import stable_argsort, stable_ranks
from .contract import writes
from .market import free_slots
from .measurement import measured_level
from .noise import below, coarse_uniform
from .relationships import start_afresh

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    count("requests", "requests", "Requests for help this week, new and chasing.", "requests for help"),
    count("failure_demand", "requests", "Requests this week from citizens with an unmet exit in the previous "
          "`measurement.failure_demand_window_weeks` weeks, plus chasing requests.", "failure demand requests",
          na_with="failure_demand_share"),
    count("chasing_requests", "requests", "Requests this week from citizens already on the waiting list (chance "
          "`queue.chasing` × the usual chance of asking). Each is also counted in `requests` and `failure_demand`; "
          "it changes nothing else.", "requests chasing a place", na_with="waiting_mean"),
    count("turned_away", "requests", "Requests turned away at the front door this week: not eligible, or eligible "
          "and declined by a provider's margins (`declined_share`).", "requests turned away",
          na_with="turned_away_share"),
    tally("declined_by_margin", "requests", "eligible askers a provider's front door declined (its margins)"),
    count("cases_opened", "cases", "Cases opened from the waiting list this week.", "cases opened"),
    tally("weeks_waited", "weeks", "weeks the cases opened this week had waited"),
)


@kernel
def _askers(wellbeing, worker, waiting_since, in_crisis, draw, threshold, help_seeking, crisis_referral, chasing):
    """Who asks for help this week (ascending), and how many already waiting ask again."""
    n, d = wellbeing.shape[0], N_DOMAINS
    asks = np.empty(n, dtype=np.int64)
    count = 0
    chasers = 0
    # Written without branches on the citizen (whether in need, waiting or served): those are
    # unpredictable, and the loop runs twice as fast without them.
    for i in range(n):
        lowest = wellbeing[i, 0]
        for j in range(1, d):
            lowest = min(lowest, wellbeing[i, j])
        chance = (help_seeking if lowest < threshold else 0.0) + (crisis_referral if in_crisis[i] else 0.0)
        waiting = waiting_since[i] >= 0
        asked = below(draw[i], chance * chasing if waiting else chance)
        chasers += waiting and asked
        asks[count] = i
        count += (not waiting) and worker[i] == NO_WORKER and asked
    return asks[:count], chasers


class FrontDoor(NamedTuple):
    """How the front door reads an asker (scalars and the providers' acceptance for :func:`_assess`)."""

    threshold: float           # a domain below it is low
    eligibility: float         # the assessed lowest domain must be below it to be served
    week: int
    window: int                # weeks after an exit with need unmet within which a request is failure demand
    acceptance: np.ndarray     # (3,) chance an eligible asker of each payment group is taken on


class Assessed(NamedTuple):
    failure: int               # asked again soon after leaving with need unmet (failure demand)
    turned_away: int           # not eligible, or eligible and not taken on
    declined: int              # of those, eligible but not taken on: the group loses the provider money


@kernel
def _assess(idx, wellbeing, noise, measured, accept_draw, door, last_exit, presenting, intake_tier, assessed_proxy,
            urgency, waiting_since):
    """Assess each asker (``idx``): their need as the front door reads it (wellbeing plus ``noise``,
    clipped to [0, 1], kept in ``noise``'s place), and whether they may wait for a place or are turned
    away: not eligible, or eligible but in a payment group a provider takes on only in part
    (``door.acceptance``, compared with ``accept_draw``). Writes the assessment into the citizen arrays."""
    failure = 0
    turned = 0
    declined = 0
    for a in range(idx.size):
        i = idx[a]
        if door.week - last_exit[i] <= door.window:
            failure += 1
        lowest = 0
        low = 0
        for j in range(N_DOMAINS):
            value = min(max(wellbeing[i, j] + noise[a, j], 0.0), 1.0)
            noise[a, j] = value                      # the assessed level, kept in place of its noise
            if value < noise[a, lowest]:
                lowest = j
            if value < door.threshold:
                low += 1
        presenting[i] = lowest
        tier = tier_of_low(low)
        intake_tier[i] = tier
        assessed_proxy[i] = measured_level(noise, a, measured)
        urgency[i] = door.threshold - noise[a, lowest]
        eligible = noise[a, lowest] < door.eligibility
        taken = eligible and accept_draw[a] < door.acceptance[tier]
        if taken:
            waiting_since[i] = door.week
        else:
            last_exit[i] = door.week
            turned += 1
            declined += eligible
    return Assessed(failure, turned, declined)


@writes("citizens.presenting", "citizens.intake_tier", "citizens.assessed_proxy", "citizens.urgency", "citizens.last_exit",
        "citizens.waiting_since", "ledger")
def seek_help(c: Citizens, p: Params, s: Settings, acceptance: np.ndarray, ask_rng: np.random.Generator,
              assess_rng: np.random.Generator, ledger: Ledger, week: int) -> None:
    """Citizens in need who are not served or waiting ask for help; the front door sorts them.

    People already waiting may ask again (chasing): each such request is failure demand.
    ``acceptance`` (3,) is the chance an eligible asker of each payment group is taken on
    (``finances.front_door_acceptance``: below 1 where a group loses providers money).
    Reads ``c.in_crisis`` (last week's crises); writes the assessment (``c.presenting``,
    ``c.intake_tier``, ``c.assessed_proxy``, ``c.urgency``), ``c.waiting_since`` and, for those
    turned away, ``c.last_exit``."""
    ask_draw = coarse_uniform(ask_rng, c.count)   # citizens' own choice: drawn for everyone, every week
    pop = p.population
    idx, chasers = _askers(c.wellbeing, c.worker, c.waiting_since, c.in_crisis, ask_draw, p.crisis.low_threshold,
                           pop.help_seeking, pop.crisis_referral, p.queue.chasing)
    if chasers:
        ledger.add("requests", chasers)
        ledger.add("failure_demand", chasers)
        ledger.add("chasing_requests", chasers)
    if idx.size == 0:
        return
    # Assessment reads the presenting need: the lowest domain, with error.
    noise = assess_rng.normal(0.0, p.pathways.assessment_noise, size=(idx.size, c.wellbeing.shape[1]))
    # A provider's front door weighs what an eligible asker's payment group is expected to bring in;
    # the draw is made only when some group is taken on in part, so other runs' draws stay as they were.
    steered = bool((acceptance < 1.0).any())
    accept_draw = assess_rng.random(idx.size) if steered else np.zeros(idx.size)
    door = FrontDoor(threshold=p.crisis.low_threshold, eligibility=float(s.eligibility_threshold), week=week,
                     window=p.measurement.failure_demand_window_weeks, acceptance=np.asarray(acceptance, dtype=float))
    counts = _assess(idx, c.wellbeing, noise, np.asarray(s.measured), accept_draw, door, c.last_exit, c.presenting,
                     c.intake_tier, c.assessed_proxy, c.urgency, c.waiting_since)
    ledger.add("requests", idx.size)
    ledger.add("failure_demand", counts.failure)
    ledger.add("turned_away", counts.turned_away)
    ledger.add("declined_by_margin", counts.declined)


@writes("citizens.worker", "citizens.waiting_since", "citizens.case_start", "citizens.case_flourishing",
        "citizens.case_proxy", "citizens.pathway_option", "citizens.trust", "citizens.perceived_weights",
        "citizens.residual", "citizens.low_hours_weeks", "ledger")
def intake(c: Citizens, w: Workers, teams: Teams, providers: Providers, evidence: Evidence, p: Params,
           s: Settings, rng: np.random.Generator, ledger: Ledger, week: int) -> None:
    """Fill free caseload slots from the queue; under targets, the easiest cases first.

    Reads workers' weight on the proxy and providers' selectivity; opens cases (:func:`open_cases`)."""
    waiting = np.flatnonzero(c.waiting_since >= 0)
    if waiting.size == 0:
        return
    slots = rng.permutation(free_slots(c, w, teams, providers, s))
    if slots.size == 0:
        return

    # Priority: longest wait first, or the most urgent as far as the service triages; unless the
    # proxy pays, when the likeliest and best-paid successes jump the queue (cream-skimming
    # emerges from the weight put on the proxy).
    fair = _rank(week - c.waiting_since[waiting])
    if p.queue.triage > 0:
        fair = (1 - p.queue.triage) * fair + p.queue.triage * _rank(c.urgency[waiting])
    if w.extrinsic.any():
        # What the front door can see: the assessed measured domains and the payment group.
        tier = c.intake_tier[waiting]
        ease = (c.assessed_proxy[waiting] + p.incentives.cream_tier_weight * (2 - tier)) * s.price_relative[tier]
        ease_rank = _rank(ease)
    else:   # nothing rides on the record: nobody looks at how easy a case is
        ease_rank = np.zeros(waiting.size)
    provider_of = worker_provider(w, teams)
    slot_provider = provider_of[slots]
    taken = np.zeros(waiting.size, dtype=bool)
    left = waiting.size
    for k in rng.permutation(providers.count):
        mine = slots[slot_provider == k]
        if mine.size == 0 or left == 0:
            continue
        lam = min(1.0, float(w.extrinsic[provider_of == k].mean()) * 2.0 * providers.selectivity[k])
        if mine.size * mine.size <= left:      # a few places among many waiting: one pass picks them
            pick = _first_by_priority(fair, ease_rank, taken, lam, mine.size)
        else:                                  # many places (the pass would be quadratic): sort who is left
            rest = np.flatnonzero(~taken)
            priority = (1 - lam) * fair[rest] + lam * ease_rank[rest]
            pick = rest[stable_argsort(-priority)[: mine.size]]
            taken[pick] = True
        left -= pick.size
        open_cases(c, waiting[pick], mine[: pick.size], evidence, p, s, rng, ledger, week)


def _rank(values: np.ndarray) -> np.ndarray:
    """Each value's place in the order, scaled to [0, 1] (the inverse of a stable argsort: ties keep
    their order, the same on every CPU)."""
    return stable_ranks(values) / max(1, values.size - 1)


@kernel
def _first_by_priority(fair, ease_rank, taken, lam, count):
    """The ``count`` waiting citizens not yet taken with the highest priority, (1 - lam) x fair rank +
    lam x ease rank, highest first and ties in queue order (as a stable sort would give them), found
    in one pass without sorting everyone; marks them taken."""
    best = np.empty(count, dtype=np.int64)
    value = np.empty(count)
    kept = 0
    for position in range(fair.size if count > 0 else 0):
        if taken[position]:
            continue
        priority = (1 - lam) * fair[position] + lam * ease_rank[position]
        if kept == count and not priority > value[count - 1]:
            continue                      # no better than the last kept: later in the queue, so after it
        j = kept if kept < count else count - 1
        kept = min(kept + 1, count)
        while j > 0 and value[j - 1] < priority:
            best[j], value[j] = best[j - 1], value[j - 1]
            j -= 1
        best[j], value[j] = position, priority
    for position in best[:kept]:
        taken[position] = True
    return best[:kept]


class OpeningCases(NamedTuple):
    """The citizen arrays :func:`_open` reads, and the six it writes (``worker`` to ``pathway_option``)."""

    worker: np.ndarray            # written: the citizen's worker slot
    waiting_since: np.ndarray     # written: -1, off the list
    case_start: np.ndarray        # written: this week
    case_flourishing: np.ndarray  # written: the baseline for the truth
    case_proxy: np.ndarray        # written: the baseline for the proxy
    pathway_option: np.ndarray    # written: the standard pathway (or a trial's arm)
    presenting: np.ndarray
    weights: np.ndarray
    wellbeing: np.ndarray


class Relationship(NamedTuple):
    """The citizen arrays a fresh relationship resets (written by :func:`relationships.start_afresh`)."""

    trust: np.ndarray
    perceived: np.ndarray
    residual: np.ndarray
    low_hours_weeks: np.ndarray


class Opening(NamedTuple):
    """How this week's cases open (for :func:`_open`)."""

    week: int
    trials: bool                  # evaluators run trials: a share of new cases get a random option
    trial: np.ndarray             # (A,) bool, the case is in a trial (empty without trials)
    arm: np.ndarray               # (A,) the trial's option for the case
    initial_trust: float
    trust_loss: float             # share of starting trust lost by a year's wait
    pathway_table: np.ndarray     # (D,) presenting domain -> standard option
    measured: np.ndarray          # the measured domains


@kernel
def _open(citizens, workers, cases, relationship, opening):
    """Give each citizen their worker (``workers``, one per citizen), with the case's baselines for truth and
    proxy, the standard pathway for their presenting need (or, in an evaluators' trial, the trial's arm)
    and a fresh relationship whose trust a long wait has worn, written into ``cases`` and
    ``relationship``; returns how long each waited."""
    waited = np.empty(citizens.size, dtype=np.int64)
    trust_now = np.empty(citizens.size)
    week, initial_trust, trust_loss = opening.week, opening.initial_trust, opening.trust_loss
    for a in range(citizens.size):
        i = citizens[a]
        cases.worker[i] = workers[a]
        waited[a] = week - cases.waiting_since[i]
        cases.waiting_since[i] = -1
        cases.case_start[i] = week
        cases.case_flourishing[i] = weighted_row(cases.weights, cases.wellbeing, i)
        cases.case_proxy[i] = measured_level(cases.wellbeing, i, opening.measured)
        cases.pathway_option[i] = (opening.arm[a] if opening.trials and opening.trial[a]
                                   else opening.pathway_table[cases.presenting[i]])
        # A long wait costs trust before the first meeting (none lost with queue.trust_loss at 0).
        trust_now[a] = (initial_trust * (1 - trust_loss * min(1.0, waited[a] / 52.0)) if trust_loss != 0.0
                        else initial_trust)
    start_afresh(citizens, trust_now, relationship.trust, relationship.perceived, relationship.residual,
                 relationship.low_hours_weeks)
    return waited


@writes("citizens.worker", "citizens.waiting_since", "citizens.case_start", "citizens.case_flourishing",
        "citizens.case_proxy", "citizens.pathway_option", "citizens.trust", "citizens.perceived_weights",
        "citizens.residual", "citizens.low_hours_weeks", "ledger")
def open_cases(c: Citizens, citizens: np.ndarray, workers: np.ndarray, evidence: Evidence, p: Params,
               s: Settings, rng: np.random.Generator, ledger: Ledger, week: int) -> None:
    """Give these citizens these workers: baselines for truth and proxy, the pathway, a new relationship."""
    trials = s.central_evaluation and p.learning.trial_share > 0
    if trials:
        # Evaluators' trials: a random share of new cases get a random option, so options can be compared.
        trial = rng.random(citizens.size) < p.learning.trial_share
        arm = rng.integers(0, evidence.option_primary.size, size=citizens.size)
    else:
        trial, arm = np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    cases = OpeningCases(worker=c.worker, waiting_since=c.waiting_since, case_start=c.case_start,
                         case_flourishing=c.case_flourishing, case_proxy=c.case_proxy, pathway_option=c.pathway_option,
                         presenting=c.presenting, weights=c.weights, wellbeing=c.wellbeing)
    relationship = Relationship(trust=c.trust, perceived=c.perceived_weights, residual=c.residual,
                                low_hours_weeks=c.low_hours_weeks)
    opening = Opening(week=week, trials=bool(trials), trial=trial, arm=arm, initial_trust=p.trust.initial,
                      trust_loss=p.queue.trust_loss, pathway_table=evidence.pathway_table,
                      measured=np.asarray(s.measured))
    waited = _open(citizens, workers, cases, relationship, opening)
    ledger.add("weeks_waited", float(waited.sum()))
    ledger.add("cases_opened", citizens.size)
