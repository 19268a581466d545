"""Public-facing work: how a worker's week is spent and what support each case gets
(docs/ODD.md, sections 7.4-7.6).

Standard pathways (NPM) pick support by presenting need from average evidence;
bespoke practice (HLS) treats each act of support as an experiment chosen from
what the pair has learnt (a contextual bandit seeded by team knowledge). Under
targets the proxy enters the same choices, so effort substitution and parking
emerge from incentives (Holmström & Milgrom 1991; Kerr 1975).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..params import N_DOMAINS, N_OPTIONS, Params
from ..params.practices import Settings
from ..state import TIER_NAMES, Citizens, Evidence, Ledger, Providers, Teams, Workers, worker_provider
from ..state.books import money, tally
from ..util.compiled import kernel
from .contract import writes
from .measurement import measured_level

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    tally("worker_hours", "hours", "contracted hours of all workers"),
    tally("admin_hours", "hours", "hours of fixed administration and recording"),
    tally("relational_hours", "hours", "relational hours given to open cases"),
    tally("smd_relational_hours", "hours", "relational hours given to citizens who started with SMD"),
    tally("measured_effort", "hours", "relational hours spent on the measured domains"),
    tally("active", "case-weeks", "open cases, each week"),
    tally("parked", "case-weeks", "open cases parked this week"),
    *(tally(f"{kind}_{tier}", unit, f"{what}, intake tier {tier}")
      for kind, unit, what in (("hours", "hours", "relational hours"), ("case_weeks", "case-weeks", "open cases"),
                               ("parked", "case-weeks", "parked open cases"))
      for tier in TIER_NAMES),
    money("service_spend", "Service spend this week.", spend=+1, label="service spend"),
    money("service_retained", "Service money paid for open cases this week that providers kept rather than spend "
          "(ODD.md 7.13a).", spend=+1, label="service money kept by providers"),
    tally("service_spend_smd", "£", "service money spent on cases of citizens who started with SMD"),
)


@dataclass
class Support:
    gain: np.ndarray            # (A, D) this week's wellbeing gain from support, one row per open case
    chosen_effect: np.ndarray   # (A, D) what the chosen option truly does, per unit of support, for each open case
    intensity: np.ndarray       # (A,) how much support each case got: gain = intensity x effect x headroom
    spend: np.ndarray           # (A,) £ of service money spent on each open case this week


class TimeCases(NamedTuple):
    """The citizen arrays :func:`_share_time` reads (and, for ``low_hours_weeks`` and ``hours``, writes)."""

    worker: np.ndarray
    perceived: np.ndarray
    wellbeing: np.ndarray
    case_proxy: np.ndarray
    agency: np.ndarray
    tier: np.ndarray
    smd: np.ndarray
    low_hours_weeks: np.ndarray   # written: consecutive weeks below a fair share
    hours: np.ndarray             # written: this week's relational hours


class TimeWorkers(NamedTuple):
    """The worker arrays :func:`_share_time` reads, one entry per worker slot."""

    alpha: np.ndarray        # weight on the record against the citizen
    selective: np.ndarray    # how selective the worker's provider is (1 when neutral)
    caseload: np.ndarray
    relational: np.ndarray   # relational hours this week
    provider: np.ndarray


class TimeRules(NamedTuple):
    price_relative: np.ndarray   # (3,) what a success of each intake tier is worth to a worker, over the mean
    success_gain: float
    outcome_level: float
    progress_weight: float
    floor: float
    parked_share_of_fair: float
    parked_weeks: int


class TimeSums(NamedTuple):
    """The week's sums over open cases."""

    smd_hours: float            # relational hours of citizens who started with SMD
    hours: np.ndarray           # (3,) relational hours by intake tier
    case_weeks: np.ndarray      # (3,) open cases by intake tier
    parked: np.ndarray          # (3,) parked cases by intake tier
    parked_all: int


@kernel
def _share_time(active, cases, workers, steer, measured, rules):
    """Share each worker's relational hours across their cases (see :func:`allocate_time`), writing
    ``cases.hours`` and ``cases.low_hours_weeks``; ``steer`` (P, 3) is how fully each provider resources
    each payment group. Returns the week's sums."""
    n_cases, d = active.size, N_DOMAINS
    n_workers = workers.relational.size
    need = np.empty(n_cases)
    chance = np.empty(n_cases)
    share = np.empty(n_cases)
    mean_chance = np.zeros(n_workers)
    for a in range(n_cases):
        i = active[a]
        seen = 0.0
        for j in range(d):
            seen += cases.perceived[i, j] * cases.wellbeing[i, j]
        need[a] = 1.0 - seen
        level = measured_level(cases.wellbeing, i, measured)
        progress = min(max((level - cases.case_proxy[i]) / rules.success_gain, 0.0), 1.0)
        if rules.outcome_level > 0.0:         # and how near the level an outcome needs
            progress = min(progress, max(level / rules.outcome_level, 0.0))
        chance[a] = ((rules.progress_weight * progress + (1 - rules.progress_weight) * cases.agency[i])
                     * rules.price_relative[cases.tier[i]])
        mean_chance[cases.worker[i]] += chance[a]
    total = np.zeros(n_workers)
    for a in range(n_cases):
        i = active[a]
        k = cases.worker[i]
        alpha = workers.alpha[k]
        if chance[a] < alpha * workers.selective[k] * mean_chance[k] / max(workers.caseload[k], 1):
            share[a] = rules.floor      # parked: not worth the time to someone weighing the record
        else:
            # The provider's steer scales the time a payment group gets beyond the floor every case keeps.
            share[a] = ((1 - alpha) * need[a] + alpha * chance[a]) * steer[workers.provider[k], cases.tier[i]] + rules.floor
        total[k] += share[a]
    smd_hours = 0.0
    hours = np.zeros(3)
    case_weeks = np.zeros(3)
    parked = np.zeros(3)
    parked_all = 0
    for a in range(n_cases):
        i = active[a]
        k = cases.worker[i]
        h = workers.relational[k] * share[a] / total[k]
        cases.hours[i] = h
        if cases.smd[i]:
            smd_hours += h
        if h < rules.parked_share_of_fair * workers.relational[k] / workers.caseload[k]:
            cases.low_hours_weeks[i] += 1
        else:
            cases.low_hours_weeks[i] = 0
        tier = cases.tier[i]
        hours[tier] += h
        case_weeks[tier] += 1.0
        if cases.low_hours_weeks[i] >= rules.parked_weeks:
            parked[tier] += 1.0
            parked_all += 1
    return TimeSums(smd_hours, hours, case_weeks, parked, parked_all)


@writes("workers.admin_hours", "workers.relational_hours", "citizens.hours", "citizens.low_hours_weeks", "ledger")
def allocate_time(c: Citizens, w: Workers, teams: Teams, providers: Providers, p: Params, s: Settings,
                  active: np.ndarray, ledger: Ledger) -> None:
    """Split each worker's week: recording, learning, then relational time shared across the caseload.

    What the worker weighs: the citizen's need as the worker sees it, against the case's chance of
    a proxy success (progress so far, and how able the citizen is to act), in proportion to the
    weight the worker puts on the record. Parking: a case whose expected payment is far below the
    caseload's gets the bare minimum; how far below depends on how selective the provider is. The
    provider's finances scale each payment group's time as fully as it resources that group
    (``providers.steer``, 7.13a).
    Writes ``w.admin_hours``, ``w.relational_hours``, ``c.hours`` and ``c.low_hours_weeks`` (parking)."""
    caseload = c.caseload(w.count)
    week_hours = p.workforce.hours_per_week
    w.admin_hours = np.minimum(p.caseload.fixed_admin_hours + s.recording_hours * caseload, week_hours)
    provider_of = worker_provider(w, teams)
    investment = 2.0 * providers.investment[provider_of]   # 1 when neutral
    learning = np.minimum(s.learning_hours * investment, week_hours - w.admin_hours)
    w.relational_hours = week_hours - w.admin_hours - learning
    ledger.add("admin_hours", float(w.admin_hours.sum()))
    ledger.add("worker_hours", week_hours * w.count)
    c.hours[:] = 0.0
    if active.size == 0:
        return
    m = p.measurement
    cases = TimeCases(worker=c.worker, perceived=c.perceived_weights, wellbeing=c.wellbeing, case_proxy=c.case_proxy,
                      agency=c.agency, tier=c.intake_tier, smd=c.smd_start, low_hours_weeks=c.low_hours_weeks,
                      hours=c.hours)
    staff = TimeWorkers(alpha=w.extrinsic, selective=2.0 * providers.selectivity[provider_of], caseload=caseload,
                        relational=w.relational_hours, provider=provider_of)
    rules = TimeRules(price_relative=s.price_relative, success_gain=m.success_gain,
                      outcome_level=p.targets.outcome_level, progress_weight=p.incentives.progress_weight,
                      floor=p.caseload.need_floor, parked_share_of_fair=m.parked_share_of_fair,
                      parked_weeks=m.parked_weeks)
    sums = _share_time(active, cases, staff, providers.steer, np.asarray(s.measured), rules)
    ledger.add("smd_relational_hours", sums.smd_hours)
    ledger.add("parked", sums.parked_all)
    ledger.add("active", active.size)
    for k, name in enumerate(TIER_NAMES):
        ledger.add(f"hours_{name}", float(sums.hours[k]))
        ledger.add(f"case_weeks_{name}", int(sums.case_weeks[k]))
        ledger.add(f"parked_{name}", int(sums.parked[k]))


@kernel
def _room(wellbeing, effect):
    """Headroom: gains shrink near the top, harms near the bottom."""
    return 1.0 - wellbeing if effect >= 0.0 else wellbeing


class ChoiceCases(NamedTuple):
    """The citizen arrays :func:`_choose` reads, and the three it writes (``option``, ``split``,
    ``proxy_option``)."""

    worker: np.ndarray
    perceived: np.ndarray
    wellbeing: np.ndarray
    residual: np.ndarray
    pathway_option: np.ndarray
    hours: np.ndarray
    option: np.ndarray          # written: this week's option
    split: np.ndarray           # written: share of hours diverted to the proxy option
    proxy_option: np.ndarray    # written: the option that best moves the measured domains


class ChoiceTeams(NamedTuple):
    """What :func:`_choose` reads of workers and their teams."""

    team: np.ndarray            # (M,) each worker slot's team
    extrinsic: np.ndarray       # (M,) each worker's weight on the record
    knowledge: np.ndarray       # (T, K, D) what each team believes each option does
    exploration: np.ndarray     # (T,) each team's chance of trying another option


class ChoiceRules(NamedTuple):
    bespoke: float
    proxy_read: float            # how far the record decisions read is the proxy (1 - learning_records)
    option_primary: np.ndarray   # (K,) each option's main domain (NO_DOMAIN for none)
    measured_domain: np.ndarray  # (D,) bool, the domains the proxy measures
    explore_draw: np.ndarray     # (A,) one uniform draw per open case
    explore_pick: np.ndarray     # (A,) the option an experiment would try


class ChoiceSums(NamedTuple):
    on_measured: float          # relational hours spent on the measured domains
    hours: float                # all relational hours


@kernel
def _choose(active, cases, staff, rules):
    """Each case's option this week (see :func:`choose_support`), written into ``cases.option``,
    ``cases.split`` and ``cases.proxy_option``; returns the hours on measured domains and all hours."""
    n_opt, d = N_OPTIONS, N_DOMAINS
    own = np.empty(n_opt)
    on_measured = 0.0
    total_hours = 0.0
    bespoke = rules.bespoke
    knowledge = staff.knowledge
    for a in range(active.size):
        i = active[a]
        k = cases.worker[i]
        t = staff.team[k]
        best = cases.pathway_option[i]
        if bespoke > 0.0:
            largest = 0.0
            for o in range(n_opt):
                value = cases.residual[i, o]
                for j in range(d):
                    value += (cases.perceived[i, j] * knowledge[t, o, j]
                              * _room(cases.wellbeing[i, j], knowledge[t, o, j]))
                own[o] = value
                largest = max(largest, abs(value))
            largest = max(largest, 1e-9)
            top = -np.inf
            for o in range(n_opt):
                score = bespoke * own[o] / largest + ((1 - bespoke) if o == cases.pathway_option[i] else 0.0)
                if score > top:
                    top = score
                    best = o
        if rules.explore_draw[a] < staff.exploration[t] * bespoke:
            best = rules.explore_pick[a]
        cases.option[i] = best
        primary = rules.option_primary[best]
        already = primary >= 0 and rules.measured_domain[primary]
        cases.split[i] = 0.0 if already else staff.extrinsic[k] * rules.proxy_read
        if cases.split[i] > 0.0:      # the option that best moves the measured domains, for the diverted hours
            top = -np.inf
            for o in range(n_opt):
                value = 0.0
                for j in range(d):
                    if rules.measured_domain[j]:
                        value += knowledge[t, o, j] * _room(cases.wellbeing[i, j], knowledge[t, o, j])
                if value > top:
                    top = value
                    cases.proxy_option[i] = o
        h = cases.hours[i]
        on_measured += h if already else h * cases.split[i]
        total_hours += h
    return ChoiceSums(on_measured, total_hours)


@writes("citizens.option", "citizens.proxy_split", "citizens.proxy_option", "ledger")
def choose_support(c: Citizens, w: Workers, teams: Teams, evidence: Evidence, s: Settings, active: np.ndarray,
                   rng: np.random.Generator, ledger: Ledger) -> None:
    """Pick each case's support option this week: pathway, the pair's best guess, or an experiment.

    The pair's own estimate of an option is what team knowledge says it does for what the worker
    thinks matters, with headroom, corrected by what the pair has learnt (a contextual bandit); a
    standard pathway is the option for the presenting need; the practice mixes the two. Where
    something rides on a record that is the proxy, the worker also splits the case's hours toward the
    option that best moves the measured domains, in proportion to the weight they put on the record and
    as far as the record is the proxy (multitask effort substitution, Holmström & Milgrom 1991,
    linearised; where the record is what citizens say, moving the measured domains earns nothing).
    Writes ``c.option``, ``c.proxy_split`` and ``c.proxy_option``.
    """
    if active.size == 0:
        return
    explore_draw = rng.random(active.size)
    explore_pick = rng.integers(0, c.residual.shape[1], size=active.size)
    measured_domain = np.zeros(c.wellbeing.shape[1], dtype=np.bool_)
    measured_domain[list(s.measured)] = True
    cases = ChoiceCases(worker=c.worker, perceived=c.perceived_weights, wellbeing=c.wellbeing, residual=c.residual,
                        pathway_option=c.pathway_option, hours=c.hours, option=c.option, split=c.proxy_split,
                        proxy_option=c.proxy_option)
    staff = ChoiceTeams(team=w.team, extrinsic=w.extrinsic, knowledge=teams.knowledge, exploration=teams.exploration)
    rules = ChoiceRules(bespoke=float(s.bespoke), proxy_read=1.0 - float(s.learning_records),
                        option_primary=evidence.option_primary,
                        measured_domain=measured_domain, explore_draw=explore_draw, explore_pick=explore_pick)
    sums = _choose(active, cases, staff, rules)
    ledger.add("measured_effort", float(sums.on_measured))
    ledger.add("relational_hours", float(sums.hours))


@writes()
def worker_effectiveness(w: Workers, p: Params, s: Settings) -> np.ndarray:
    """How effective each worker's support is (M,): skill (narrowed by standard pathways), burnout, bad practice."""
    wf = p.workforce
    shown = wf.pathway_spread + (1 - wf.pathway_spread) * s.discretion
    skill = np.maximum(0.1, 1.0 + wf.skill_sd * shown * w.skill)
    burnt = w.stress > wf.burnout_threshold
    return skill * (1 - wf.burnout_effectiveness_loss * burnt) * (1 - p.quality.harm * w.bad_practice)


class SupportCases(NamedTuple):
    """The citizen arrays :func:`_support` reads."""

    worker: np.ndarray
    option: np.ndarray
    split: np.ndarray
    proxy_option: np.ndarray
    pathway_option: np.ndarray
    personal: np.ndarray
    wellbeing: np.ndarray
    trust: np.ndarray
    agency: np.ndarray
    hours: np.ndarray
    case_start: np.ndarray
    smd: np.ndarray
    tier: np.ndarray


class SupportWorkers(NamedTuple):
    """The worker arrays :func:`_support` reads, one entry per worker slot."""

    team: np.ndarray
    provider: np.ndarray
    motivation: np.ndarray
    effectiveness: np.ndarray
    favourite: np.ndarray


class SupportRules(NamedTuple):
    week: int
    dose_half: float
    motivation_effect: float
    engagement: float
    agency_effect: float
    devolved: float
    capture: float
    mean_agency: float
    misuse: float
    spend_hours: float        # the week's service money per case, in hours of relational support it matches
    discovery_share: float
    discovery_weeks: int
    bespoke: float
    script_gain: float
    script_case_weeks: float


class SupportDone(NamedTuple):
    gain: np.ndarray          # (A, D) this week's gain from support
    chosen: np.ndarray        # (A, D) what the chosen option truly does, per unit of support
    intensity: np.ndarray     # (A,) how much relational support each case got
    money: np.ndarray         # (A,) each case's service money, as a share of the week's spend per case
    kept: float               # the money providers kept rather than spend on these cases (same unit)
    smd_money: float          # the service money spent on cases of citizens who started with SMD (same unit)


@kernel
def _support(active, cases, workers, true_average, steer, rules, pathway_case_weeks):
    """Each open case's gain this week (see :func:`support_gain`); ``steer`` (P, 3) is how fully each
    provider resources each payment group. Adds this week's scripted delivery to ``pathway_case_weeks``
    (T, K) in place, to count from next week."""
    n_cases, d = active.size, N_DOMAINS
    gain = np.empty((n_cases, d))
    chosen = np.empty((n_cases, d))
    intensity = np.empty(n_cases)
    money = np.empty(n_cases)
    kept = 0.0
    smd_money = 0.0
    bespoke = rules.bespoke
    # How practised each team is at each pathway: one exponential per team and option, not per case.
    practice = 1 - np.exp(-pathway_case_weeks / rules.script_case_weeks)
    for a in range(n_cases):
        i = active[a]
        k = cases.worker[i]
        t = workers.team[k]
        o = cases.option[i]
        menu = cases.pathway_option[i]
        scale = (((1 - rules.motivation_effect) + rules.motivation_effect * workers.motivation[k])
                 * (1.0 - rules.engagement + rules.engagement * cases.trust[i])
                 * ((1 - rules.agency_effect) + 2 * rules.agency_effect * cases.agency[i]) * workers.effectiveness[k])
        h = cases.hours[i]
        if rules.discovery_share > 0.0 and bespoke > 0.0 and rules.week - cases.case_start[i] < rules.discovery_weeks:
            h *= 1 - rules.discovery_share * bespoke     # finding out what matters takes time first
        scripted = (1 - bespoke) if o == menu else 0.0
        practised = 0.0
        if rules.script_gain > 0.0 and scripted > 0.0:   # a well-rehearsed pathway does more per hour
            practised = rules.script_gain * scripted * practice[t, o]
        share = 1.0
        if rules.devolved > 0.0 and rules.capture > 0.0:  # devolved money follows the insistent
            share = 1 + rules.capture * rules.devolved * (cases.agency[i] / rules.mean_agency - 1)
        allowed = steer[workers.provider[k], cases.tier[i]]  # what the provider lets the case have
        kept += share * (1.0 - allowed)
        share *= allowed
        money[a] = share
        if cases.smd[i]:
            smd_money += share
        dose_hours = h / (h + rules.dose_half)
        spent = rules.spend_hours * share
        dose_money = spent / (spent + rules.dose_half)
        intensity[a] = scale * dose_hours
        for j in range(d):
            effect = true_average[o, j] + cases.personal[i, o, j]
            chosen[a, j] = effect
            delivered = effect + practised * true_average[o, j]
            proxy = (true_average[cases.proxy_option[i], j] + cases.personal[i, cases.proxy_option[i], j]
                     if cases.split[i] > 0.0 else 0.0)
            on_menu = true_average[menu, j] + cases.personal[i, menu, j]
            bought = rules.devolved * effect
            if rules.devolved > 0.0 and rules.misuse > 0.0:
                liked = true_average[workers.favourite[k], j] + cases.personal[i, workers.favourite[k], j]
                bought = rules.devolved * ((1 - rules.misuse) * effect + rules.misuse * liked)
            total = (dose_hours * ((1 - cases.split[i]) * delivered + cases.split[i] * proxy)
                     + dose_money * (bought + (1 - rules.devolved) * on_menu))
            gain[a, j] = scale * total * _room(cases.wellbeing[i, j], total)
    if rules.script_gain > 0.0 and bespoke < 1.0:        # this week's practice counts from next week
        for a in range(n_cases):
            i = active[a]
            if cases.option[i] == cases.pathway_option[i]:
                pathway_case_weeks[workers.team[cases.worker[i]], cases.option[i]] += 1 - bespoke
    return SupportDone(gain, chosen, intensity, money, kept, smd_money)


@writes("teams.pathway_case_weeks", "ledger")
def support_gain(c: Citizens, w: Workers, teams: Teams, providers: Providers, evidence: Evidence, p: Params,
                 s: Settings, active: np.ndarray, spend_per_case: float, ledger: Ledger, week: int) -> Support:
    """Weekly wellbeing gain from relational time and spending; devolved money follows the pair's choice.

    Relational hours act through the option chosen (and the proxy option for diverted hours);
    in a bespoke case's first weeks part of them goes on discovery; a standard pathway delivered
    as scripted by a team that has delivered it often does more. Service money buys the menu
    option, or as far as budgets are devolved the pair's choice, shared by insistence as far as
    devolved money is captured, and partly misspent on the worker's own favourite; a provider
    spends on each payment group as fully as it resources it (``providers.steer``, 7.13a) and keeps
    the rest. Effort, engagement, the citizen's agency and the worker's effectiveness scale it;
    headroom shrinks it. Books service spend, what providers kept, and the team's pathway
    experience; returns the gain and what was done.
    """
    if active.size == 0:
        empty = np.zeros((0, c.wellbeing.shape[1]))
        return Support(empty, empty, np.zeros(0), np.zeros(0))
    cases = SupportCases(worker=c.worker, option=c.option, split=c.proxy_split, proxy_option=c.proxy_option,
                         pathway_option=c.pathway_option, personal=c.personal_effect, wellbeing=c.wellbeing,
                         trust=c.trust, agency=c.agency, hours=c.hours, case_start=c.case_start, smd=c.smd_start,
                         tier=c.intake_tier)
    staff = SupportWorkers(team=w.team, provider=worker_provider(w, teams), motivation=w.motivation,
                           effectiveness=worker_effectiveness(w, p, s), favourite=w.favourite)
    rules = SupportRules(week=week, dose_half=p.caseload.dose_half_hours, motivation_effect=p.workforce.motivation_effect,
                         engagement=p.trust.engagement, agency_effect=p.agency.support_effect,
                         devolved=float(s.devolved_share), capture=p.funding.devolved_capture,
                         mean_agency=float(c.agency[active].mean()), misuse=p.funding.devolved_misuse,
                         spend_hours=spend_per_case / p.funding.spend_per_support_hour,
                         discovery_share=p.caseload.discovery_share, discovery_weeks=p.caseload.discovery_weeks,
                         bespoke=float(s.bespoke), script_gain=p.pathways.script_gain,
                         script_case_weeks=p.pathways.script_learning_case_weeks)
    done = _support(active, cases, staff, evidence.true_average, providers.steer, rules, teams.pathway_case_weeks)
    ledger.add("service_spend", spend_per_case * float(done.money.sum()))
    ledger.add("service_retained", spend_per_case * done.kept)
    ledger.add("service_spend_smd", spend_per_case * done.smd_money)
    return Support(done.gain, done.chosen, done.intensity, spend_per_case * done.money)
