"""Public-facing work: how a worker's week is spent and what support each case gets.

Standard pathways (NPM) pick support by presenting need from average evidence;
bespoke practice (HLS) treats each act of support as an experiment chosen from
what the pair has learnt (a contextual bandit seeded by team knowledge). Under
targets the proxy enters the same choices, so effort substitution and parking
emerge from incentives (Holmström & Milgrom 1991; Kerr 1975).
"""

from __future__ import annotations

import numpy as np

from . import market
from .state import TIER_NAMES

PARKED_SHARE_OF_FAIR = 0.25  # a case getting under a quarter of its fair share of time...
PARKED_WEEKS = 4             # ...for this many weeks in a row is parked
NEED_FLOOR = 0.02            # every case keeps a sliver of priority


def allocate_time(model, active: np.ndarray) -> None:
    """Split each worker's week: recording, learning, then relational time shared across the caseload."""
    c, w, p, mech, led = model.citizens, model.workers, model.params, model.mechanisms, model.ledger
    wk = c.worker[active]
    caseload = np.bincount(wk, minlength=w.count)
    w.admin_hours = np.minimum(p.caseload.fixed_admin_hours + mech.recording_hours * caseload, p.workforce.hours_per_week)
    investment = 2.0 * model.providers.investment[market.worker_provider(model)]   # 1 when neutral
    learning = np.minimum(mech.learning_hours * investment, p.workforce.hours_per_week - w.admin_hours)
    w.relational_hours = p.workforce.hours_per_week - w.admin_hours - learning
    led.add("admin_hours", float(w.admin_hours.sum()))
    led.add("worker_hours", p.workforce.hours_per_week * w.count)
    c.hours[:] = 0.0
    if active.size == 0:
        return

    # What the worker weighs: the citizen's need as the worker sees it, against the case's
    # chance of a proxy success (progress so far, and how able the citizen is to act).
    perceived = np.einsum("nd,nd->n", c.perceived_weights[active], c.wellbeing[active])
    need = 1.0 - perceived
    measured_now = c.wellbeing[active][:, list(mech.measured)].mean(axis=1)
    progress = np.clip((measured_now - c.case_proxy[active]) / p.targets.success_gain, 0.0, 1.0)
    chance = (0.5 * progress + 0.5 * c.agency[active]) * mech.price_relative[c.intake_tier[active]]
    alpha = w.extrinsic[wk]
    # Parking: a case whose expected payment is far below the caseload's gets the bare minimum;
    # how far below depends on how selective the provider is.
    selective = 2.0 * model.providers.selectivity[market.worker_provider(model)[wk]]
    mean_chance = np.bincount(wk, weights=chance, minlength=w.count) / np.maximum(caseload, 1)
    not_worth_it = chance < alpha * selective * mean_chance[wk]
    share = np.where(not_worth_it, NEED_FLOOR, (1 - alpha) * need + alpha * chance + NEED_FLOOR)
    total = np.bincount(wk, weights=share, minlength=w.count)
    hours = w.relational_hours[wk] * share / total[wk]
    c.hours[active] = hours
    led.add("smd_relational_hours", float(hours[c.smd_start[active]].sum()))

    fair = w.relational_hours[wk] / caseload[wk]
    starved = hours < PARKED_SHARE_OF_FAIR * fair
    c.low_hours_weeks[active] = np.where(starved, c.low_hours_weeks[active] + 1, 0)
    parked = c.low_hours_weeks[active] >= PARKED_WEEKS
    led.add("parked", int(parked.sum()))
    led.add("active", active.size)
    tier = c.intake_tier[active]
    for k, name in enumerate(TIER_NAMES):
        mine = tier == k
        led.add(f"hours_{name}", float(hours[mine].sum()))
        led.add(f"case_weeks_{name}", int(mine.sum()))
        led.add(f"parked_{name}", int(parked[mine].sum()))


def headroom(wellbeing: np.ndarray, effect: np.ndarray) -> np.ndarray:
    """Gains shrink near the top, harms near the bottom."""
    return np.where(effect >= 0, 1.0 - wellbeing, wellbeing)


def choose_support(model, active: np.ndarray) -> None:
    """Pick each case's support option this week: pathway, the pair's best guess, or an experiment.

    Under targets the worker also splits the case's hours toward the option that best moves the
    measured domains, in proportion to the weight the worker puts on the proxy (multitask
    effort substitution, Holmström & Milgrom 1991, linearised).
    """
    c, w, mech, teams = model.citizens, model.workers, model.mechanisms, model.teams
    n_opt = c.residual.shape[1]
    if active.size == 0:
        return
    u = model.streams.choice.random(active.size)
    explore_pick = model.streams.choice.integers(0, n_opt, size=active.size)
    wk = c.worker[active]
    team = w.team[wk]
    well = c.wellbeing[active][:, None, :]                       # (A, 1, D)
    meas_idx = list(mech.measured)

    if mech.bespoke > 0:   # the pair's own estimate of what each option would do for what matters
        knowledge = teams.knowledge[team]                        # (A, K, D)
        own = np.einsum("ad,akd->ak", c.perceived_weights[active], knowledge * headroom(well, knowledge))
        own += c.residual[active]
        own /= np.maximum(np.abs(own).max(axis=1, keepdims=True), 1e-9)
        pathway = np.zeros_like(own)
        pathway[np.arange(active.size), c.pathway_option[active]] = 1.0
        choice = ((1 - mech.bespoke) * pathway + mech.bespoke * own).argmax(axis=1)
    else:                  # a standard pathway: the option is set by the presenting need
        choice = c.pathway_option[active]
    explore = u < teams.exploration[team] * mech.bespoke
    option = np.where(explore, explore_pick, choice)
    c.option[active] = option
    already_measured = np.isin(model.option_primary[option], meas_idx)
    split = np.where(already_measured, 0.0, w.extrinsic[wk])
    c.proxy_split[active] = split
    if split.any():        # the option that best moves the measured domains, for the diverted hours
        known = teams.knowledge[:, :, meas_idx][team]            # (A, K, M)
        measured = (known * headroom(well[:, :, meas_idx], known)).sum(axis=2)
        c.proxy_option[active] = measured.argmax(axis=1)
    hours = c.hours[active]
    on_measured = np.where(already_measured, hours, hours * c.proxy_split[active])
    model.ledger.add("measured_effort", float(on_measured.sum()))
    model.ledger.add("relational_hours", float(hours.sum()))


def true_effect(model, idx: np.ndarray, option: np.ndarray) -> np.ndarray:
    """What an option really does for these citizens now (N, D): average plus their own deviation."""
    c = model.citizens
    return model.true_average[option] + c.personal_effect[idx, option]


def support_gain(model, active: np.ndarray, spend_per_case: float) -> np.ndarray:
    """Weekly wellbeing gain from relational time and spending; devolved money follows the pair's choice."""
    c, w, p, mech = model.citizens, model.workers, model.params, model.mechanisms
    gain = np.zeros_like(c.wellbeing)
    if active.size == 0:
        return gain
    wk = c.worker[active]
    well = c.wellbeing[active]
    option, split = c.option[active], c.proxy_split[active]
    chosen = true_effect(model, active, option)
    model.chosen_effect = chosen            # what the pair will see this option did (relationships.py)
    diverted = split > 0
    proxy = np.zeros_like(chosen)
    proxy[diverted] = true_effect(model, active[diverted], c.proxy_option[active[diverted]])
    on_menu = c.pathway_option[active]
    menu = chosen if np.array_equal(on_menu, option) else true_effect(model, active, on_menu)
    spend_hours = spend_per_case / p.funding.spend_per_support_hour
    half = p.caseload.dose_half_hours

    def dose(h):
        return h / (h + half)

    effort = 0.6 + 0.4 * w.motivation[wk]
    engagement = 1.0 - p.trust.engagement + p.trust.engagement * c.trust[active]
    capacity = 0.4 + 1.2 * c.agency[active]
    scale = (effort * engagement * capacity)[:, None]
    devolved = mech.devolved_share
    hours = c.hours[active]
    total = (dose(hours)[:, None] * ((1 - split)[:, None] * chosen + split[:, None] * proxy)
             + dose(spend_hours) * (devolved * chosen + (1 - devolved) * menu))
    gain[active] = scale * total * headroom(well, total)
    model.ledger.add("service_spend", spend_per_case * active.size)
    model.ledger.add("service_spend_smd", spend_per_case * float(c.smd_start[active].sum()))
    return gain
