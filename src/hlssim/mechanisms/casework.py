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

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import TIER_NAMES, Citizens, Evidence, Ledger, Providers, Teams, Workers, worker_provider
from .contract import writes
from .measurement import measured_level


@dataclass
class Support:
    gain: np.ndarray            # (N, D) this week's wellbeing gain from support
    chosen_effect: np.ndarray   # (A, D) what the chosen option truly does, per unit of support, for each open case
    intensity: np.ndarray       # (A,) how much support each case got: gain = intensity x effect x headroom


@writes("workers.admin_hours", "workers.relational_hours", "citizens.hours", "citizens.low_hours_weeks", "ledger")
def allocate_time(c: Citizens, w: Workers, teams: Teams, providers: Providers, p: Params, s: Settings,
                  active: np.ndarray, ledger: Ledger) -> None:
    """Split each worker's week: recording, learning, then relational time shared across the caseload.

    Writes ``w.admin_hours``, ``w.relational_hours``, ``c.hours`` and ``c.low_hours_weeks`` (parking)."""
    wk = c.worker[active]
    caseload = c.caseload(w.count)
    w.admin_hours = np.minimum(p.caseload.fixed_admin_hours + s.recording_hours * caseload, p.workforce.hours_per_week)
    provider_of = worker_provider(w, teams)
    investment = 2.0 * providers.investment[provider_of]   # 1 when neutral
    learning = np.minimum(s.learning_hours * investment, p.workforce.hours_per_week - w.admin_hours)
    w.relational_hours = p.workforce.hours_per_week - w.admin_hours - learning
    ledger.add("admin_hours", float(w.admin_hours.sum()))
    ledger.add("worker_hours", p.workforce.hours_per_week * w.count)
    c.hours[:] = 0.0
    if active.size == 0:
        return

    # What the worker weighs: the citizen's need as the worker sees it, against the case's
    # chance of a proxy success (progress so far, and how able the citizen is to act).
    perceived = np.einsum("nd,nd->n", c.perceived_weights[active], c.wellbeing[active])
    need = 1.0 - perceived
    measured_now = measured_level(c.wellbeing[active], s.measured)
    progress = np.clip((measured_now - c.case_proxy[active]) / p.measurement.success_gain, 0.0, 1.0)
    k = p.incentives.progress_weight
    chance = (k * progress + (1 - k) * c.agency[active]) * s.price_relative[c.intake_tier[active]]
    alpha = w.extrinsic[wk]
    # Parking: a case whose expected payment is far below the caseload's gets the bare minimum;
    # how far below depends on how selective the provider is.
    selective = 2.0 * providers.selectivity[provider_of[wk]]
    mean_chance = np.bincount(wk, weights=chance, minlength=w.count) / np.maximum(caseload, 1)
    not_worth_it = chance < alpha * selective * mean_chance[wk]
    floor = p.caseload.need_floor
    share = np.where(not_worth_it, floor, (1 - alpha) * need + alpha * chance + floor)
    total = np.bincount(wk, weights=share, minlength=w.count)
    hours = w.relational_hours[wk] * share / total[wk]
    c.hours[active] = hours
    ledger.add("smd_relational_hours", float(hours[c.smd_start[active]].sum()))

    fair = w.relational_hours[wk] / caseload[wk]
    starved = hours < p.measurement.parked_share_of_fair * fair
    c.low_hours_weeks[active] = np.where(starved, c.low_hours_weeks[active] + 1, 0)
    parked = c.low_hours_weeks[active] >= p.measurement.parked_weeks
    ledger.add("parked", int(parked.sum()))
    ledger.add("active", active.size)
    tier = c.intake_tier[active]
    for k, name in enumerate(TIER_NAMES):
        mine = tier == k
        ledger.add(f"hours_{name}", float(hours[mine].sum()))
        ledger.add(f"case_weeks_{name}", int(mine.sum()))
        ledger.add(f"parked_{name}", int(parked[mine].sum()))


def headroom(wellbeing: np.ndarray, effect: np.ndarray) -> np.ndarray:
    """Gains shrink near the top, harms near the bottom."""
    return np.where(effect >= 0, 1.0 - wellbeing, wellbeing)


@writes("citizens.option", "citizens.proxy_split", "citizens.proxy_option", "ledger")
def choose_support(c: Citizens, w: Workers, teams: Teams, evidence: Evidence, s: Settings, active: np.ndarray,
                   rng: np.random.Generator, ledger: Ledger) -> None:
    """Pick each case's support option this week: pathway, the pair's best guess, or an experiment.

    Under targets the worker also splits the case's hours toward the option that best moves the
    measured domains, in proportion to the weight the worker puts on the proxy (multitask
    effort substitution, Holmström & Milgrom 1991, linearised).
    Writes ``c.option``, ``c.proxy_split`` and ``c.proxy_option``.
    """
    n_opt = c.residual.shape[1]
    if active.size == 0:
        return
    u = rng.random(active.size)
    explore_pick = rng.integers(0, n_opt, size=active.size)
    wk = c.worker[active]
    team = w.team[wk]
    well = c.wellbeing[active][:, None, :]                       # (A, 1, D)
    meas_idx = list(s.measured)

    if s.bespoke > 0:   # the pair's own estimate of what each option would do for what matters
        knowledge = teams.knowledge[team]                        # (A, K, D)
        own = np.einsum("ad,akd->ak", c.perceived_weights[active], knowledge * headroom(well, knowledge))
        own += c.residual[active]
        own /= np.maximum(np.abs(own).max(axis=1, keepdims=True), 1e-9)
        pathway = np.zeros_like(own)
        pathway[np.arange(active.size), c.pathway_option[active]] = 1.0
        choice = ((1 - s.bespoke) * pathway + s.bespoke * own).argmax(axis=1)
    else:               # a standard pathway: the option is set by the presenting need
        choice = c.pathway_option[active]
    explore = u < teams.exploration[team] * s.bespoke
    option = np.where(explore, explore_pick, choice)
    c.option[active] = option
    already_measured = np.isin(evidence.option_primary[option], meas_idx)
    split = np.where(already_measured, 0.0, w.extrinsic[wk])
    c.proxy_split[active] = split
    if split.any():     # the option that best moves the measured domains, for the diverted hours
        known = teams.knowledge[:, :, meas_idx][team]            # (A, K, M)
        measured = (known * headroom(well[:, :, meas_idx], known)).sum(axis=2)
        c.proxy_option[active] = measured.argmax(axis=1)
    hours = c.hours[active]
    on_measured = np.where(already_measured, hours, hours * c.proxy_split[active])
    ledger.add("measured_effort", float(on_measured.sum()))
    ledger.add("relational_hours", float(hours.sum()))


@writes()
def true_effect(c: Citizens, evidence: Evidence, idx: np.ndarray, option: np.ndarray) -> np.ndarray:
    """What an option really does for these citizens now (n, D): average plus their own deviation."""
    return evidence.true_average[option] + c.personal_effect[idx, option]


@writes()
def worker_effectiveness(w: Workers, p: Params, s: Settings) -> np.ndarray:
    """How effective each worker's support is (M,): skill (narrowed by standard pathways), burnout, bad practice."""
    wf = p.workforce
    shown = wf.pathway_spread + (1 - wf.pathway_spread) * s.discretion
    skill = np.maximum(0.1, 1.0 + wf.skill_sd * shown * w.skill)
    burnt = w.stress > wf.burnout_threshold
    return skill * (1 - wf.burnout_effectiveness_loss * burnt) * (1 - p.quality.harm * w.bad_practice)


@writes("teams.pathway_case_weeks", "ledger")
def support_gain(c: Citizens, w: Workers, teams: Teams, evidence: Evidence, p: Params, s: Settings,
                 active: np.ndarray, spend_per_case: float, ledger: Ledger, week: int) -> Support:
    """Weekly wellbeing gain from relational time and spending; devolved money follows the pair's choice.

    Relational hours act through the option chosen (and the proxy option for diverted hours);
    in a bespoke case's first weeks part of them goes on discovery; a standard pathway delivered
    as scripted by a team that has delivered it often does more. Service money buys the menu
    option, or as far as budgets are devolved the pair's choice, shared by insistence as far as
    devolved money is captured, and partly misspent on the worker's own favourite.
    Books service spend and the team's pathway experience; returns the gain and what was done.
    """
    gain = np.zeros_like(c.wellbeing)
    if active.size == 0:
        return Support(gain, np.zeros((0, c.wellbeing.shape[1])), np.zeros(0))
    wk = c.worker[active]
    team = w.team[wk]
    well = c.wellbeing[active]
    option, split = c.option[active], c.proxy_split[active]
    chosen = true_effect(c, evidence, active, option)
    diverted = split > 0
    proxy = np.zeros_like(chosen)
    proxy[diverted] = true_effect(c, evidence, active[diverted], c.proxy_option[active[diverted]])
    on_menu = c.pathway_option[active]
    menu = chosen if np.array_equal(on_menu, option) else true_effect(c, evidence, active, on_menu)
    half = p.caseload.dose_half_hours

    def dose(h):
        return h / (h + half)

    km, ka = p.workforce.motivation_effect, p.agency.support_effect
    effort = (1 - km) + km * w.motivation[wk]
    engagement = 1.0 - p.trust.engagement + p.trust.engagement * c.trust[active]
    capacity = (1 - ka) + 2 * ka * c.agency[active]
    scale = effort * engagement * capacity * worker_effectiveness(w, p, s)[wk]
    devolved = s.devolved_share
    hours = c.hours[active]
    if p.caseload.discovery_share > 0 and s.bespoke > 0:   # finding out what matters takes time first
        new = week - c.case_start[active] < p.caseload.discovery_weeks
        hours = hours * (1 - p.caseload.discovery_share * s.bespoke * new)
    scripted = (1 - s.bespoke) * (option == on_menu)
    if p.pathways.script_gain > 0 and scripted.any():       # a well-rehearsed pathway does more per hour
        practice = teams.pathway_case_weeks
        cell = team * practice.shape[1] + option
        practised = 1 - np.exp(-practice.reshape(-1)[cell] / p.pathways.script_learning_case_weeks)
        gain_share = p.pathways.script_gain * scripted * practised
        delivered = chosen + gain_share[:, None] * evidence.true_average[option]
        practice += np.bincount(cell, weights=scripted, minlength=practice.size).reshape(practice.shape)
    else:
        delivered = chosen
    # Devolved money: shared by how insistent each citizen is, and partly spent on the worker's favourite.
    share = np.ones(active.size)
    if devolved > 0 and p.funding.devolved_capture > 0:
        agency = c.agency[active]
        share = 1 + p.funding.devolved_capture * devolved * (agency / agency.mean() - 1)
    bought = devolved * chosen
    if devolved > 0 and p.funding.devolved_misuse > 0:
        favourite = true_effect(c, evidence, active, w.favourite[wk])
        bought = devolved * ((1 - p.funding.devolved_misuse) * chosen + p.funding.devolved_misuse * favourite)
    spend_hours = spend_per_case * share / p.funding.spend_per_support_hour
    total = (dose(hours)[:, None] * ((1 - split)[:, None] * delivered + split[:, None] * proxy)
             + dose(spend_hours)[:, None] * (bought + (1 - devolved) * menu))
    gain[active] = scale[:, None] * total * headroom(well, total)
    ledger.add("service_spend", spend_per_case * active.size)
    ledger.add("service_spend_smd", spend_per_case * float(share[c.smd_start[active]].sum()))
    return Support(gain, chosen, scale * dose(hours))
