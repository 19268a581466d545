"""What managers do: targets, monitoring and ratchets (NPM); learning cycles (HLS).

NPM: each target period a manager compares the team's reported success rate with
its target, sanctions a miss, and ratchets the target up after a hit; the gap is
the pressure workers feel. Central evaluation re-chooses standard pathways from
the *reported* data. HLS: learning sessions pool the team's experiments into
shared knowledge, connect it across teams, and adjust how the team learns
(double-loop). Seed: Figure 1, "Learning Cycles", "Organising for learning".
"""

from __future__ import annotations

import numpy as np

TARGET_CEILING = 0.95
EXPLORATION_BOUNDS = (0.02, 0.5)
KNOWLEDGE_SHRINK = 5.0     # observations that count as much as the team's prior belief
CENTRAL_MIN_CASES = 5      # cases a trial arm needs in a cell before central evaluation reads its rate
CENTRAL_PRIOR_CASES = 10   # the pathway's own rate counts as this many cases in a trial arm's estimate


def set_incentives(model) -> None:
    """What a reported success is worth to each worker, and how much that weighs against the citizen."""
    w, t, mech = model.workers, model.teams, model.mechanisms
    push = 2.0 * model.providers.push[t.provider[w.team]]     # 1 for a neutral provider
    w.stake = mech.target_pressure * (1.0 + t.gap[w.team]) * mech.reward_weight * push
    w.extrinsic = w.stake / (w.stake + w.motivation)


def review_targets(model) -> None:
    t, p = model.teams, model.params
    if model.week % p.targets.period_weeks:
        return
    has = t.period_closed > 0
    achieved = np.where(has, t.period_reported / np.maximum(t.period_closed, 1), t.target)
    t.gap = np.clip((t.target - achieved) / np.maximum(t.target, 1e-9), 0.0, 1.0)
    t.sanctioned = has & (achieved < t.target) & (model.mechanisms.target_pressure > 0)
    over = (achieved > t.target) & (model.mechanisms.target_pressure > 0)
    t.target = np.where(over, np.minimum(TARGET_CEILING, t.target + p.targets.ratchet * (achieved - t.target)), t.target)
    t.period_closed[:] = 0
    t.period_reported[:] = 0


def learning_cycle(model) -> None:
    """Team learning session: pool experiments, connect across teams, and learn how to learn."""
    t, p, mech = model.teams, model.params, model.mechanisms
    if model.week % p.learning.cycle_weeks:
        return
    if mech.team_learning <= 0:   # nobody makes sense of this cycle's experiments
        reset_cycle(t)
        return
    seen = t.obs_sum / np.maximum(t.obs_count, 1e-9)[:, :, None]
    weight = (mech.team_learning * t.obs_count / (t.obs_count + KNOWLEDGE_SHRINK))[:, :, None]
    t.knowledge += weight * (seen - t.knowledge)
    # Connected learning cycles across system scales: teams within their organisation,
    # then organisations across the place (seed, "System scales", Figure 7).
    within = p.learning.cross_team * mech.team_learning
    n_prov = model.providers.count
    members = np.bincount(t.provider, minlength=n_prov).astype(float)
    org_sum = np.zeros((n_prov,) + t.knowledge.shape[1:])
    np.add.at(org_sum, t.provider, t.knowledge)
    org_mean = org_sum / np.maximum(members, 1)[:, None, None]
    t.knowledge += within * (org_mean[t.provider] - t.knowledge)
    across = p.learning.cross_provider * mech.team_learning
    t.knowledge += across * (org_mean[members > 0].mean(axis=0, keepdims=True) - t.knowledge)

    if p.learning.double_loop:
        error = t.error_sum / np.maximum(t.error_count, 1)
        known = ~np.isnan(t.last_error) & (t.error_count > 0)
        factor = np.where(error > t.last_error, 1.25, 0.9)
        t.exploration = np.where(known, np.clip(t.exploration * factor, *EXPLORATION_BOUNDS), t.exploration)
        t.last_error = np.where(t.error_count > 0, error, t.last_error)
    reset_cycle(t)


def reset_cycle(t) -> None:
    for pool in (t.obs_sum, t.obs_count, t.error_sum, t.error_count):
        pool[:] = 0


def central_evaluation(model) -> None:
    """Evaluators re-pick each presenting need's pathway by its *reported* success rate."""
    p, mech, log = model.params, model.mechanisms, model.case_log
    if not mech.central_evaluation or model.week % p.learning.central_eval_weeks or len(log) == 0:
        return
    closed = log.column("closed")
    recent = closed > model.week - p.learning.central_eval_weeks
    presenting = log.column("presenting")[recent]
    option = log.column("option")[recent]
    success = log.column("recorded_success")[recent].astype(float)
    n_dom, n_opt = model.pathway_table.size, model.option_primary.size
    cell = presenting * n_opt + option
    count = np.bincount(cell, minlength=n_dom * n_opt).reshape(n_dom, n_opt)
    wins = np.bincount(cell, weights=success, minlength=n_dom * n_opt).reshape(n_dom, n_opt)
    # Each option's reported rate, shrunk toward the current pathway's: a trial arm must show a
    # clearly better record, on enough cases, before it replaces the standard pathway.
    rows = np.arange(n_dom)
    current = model.pathway_table
    base = wins[rows, current] / np.maximum(count[rows, current], 1)
    rate = (wins + CENTRAL_PRIOR_CASES * base[:, None]) / (count + CENTRAL_PRIOR_CASES)
    rate = np.where(count >= CENTRAL_MIN_CASES, rate, -1.0)
    rate[rows, current] = np.where(count[rows, current] > 0, base, -1.0)
    best = rate.argmax(axis=1)
    model.pathway_table = np.where(rate.max(axis=1) >= 0, best, current)
    model.ledger.add("pathway_changes", int((model.pathway_table != current).sum()))
