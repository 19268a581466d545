"""How the service learns: team learning cycles (HLS) and central evaluation of reports (NPM)
(docs/ODD.md, sections 7.10 and 7.11).

HLS: learning sessions pool the team's experiments into shared knowledge, connect it
across teams and organisations, and adjust how the team learns (double loop).
NPM: evaluators re-choose standard pathways from the *reported* data.
Seed: Figure 1, "Learning Cycles", "Organising for learning".
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import CaseLog, Evidence, Ledger, Teams
from ..state.books import tally
from .contract import writes

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    tally("pathway_changes", "pathways", "standard pathways central evaluation changed"),
)


@writes("teams.knowledge", "teams.exploration", "teams.last_error", "teams.obs_sum", "teams.obs_count",
        "teams.error_sum", "teams.error_count")
def learning_cycle(teams: Teams, n_providers: int, p: Params, s: Settings, week: int) -> None:
    """Team learning session: pool experiments, connect across teams, and learn how to learn.

    Writes ``teams.knowledge``, ``teams.exploration``, ``teams.last_error`` and empties the pools."""
    t = teams
    if week % p.learning.cycle_weeks:
        return
    if s.team_learning <= 0:   # nobody makes sense of this cycle's experiments
        reset_cycle(t)
        return
    seen = t.obs_sum / np.maximum(t.obs_count, 1e-9)[:, :, None]
    weight = (s.team_learning * t.obs_count / (t.obs_count + p.learning.prior_weight_cases))[:, :, None]
    t.knowledge += weight * (seen - t.knowledge)
    # Connected learning cycles across system scales: teams within their organisation,
    # then organisations across the place (seed, "System scales", Figure 7).
    within = p.learning.cross_team * s.team_learning
    members = np.bincount(t.provider, minlength=n_providers).astype(float)
    org_sum = np.zeros((n_providers,) + t.knowledge.shape[1:])
    np.add.at(org_sum, t.provider, t.knowledge)
    org_mean = org_sum / np.maximum(members, 1)[:, None, None]
    t.knowledge += within * (org_mean[t.provider] - t.knowledge)
    across = p.learning.cross_provider * s.team_learning
    t.knowledge += across * (org_mean[members > 0].mean(axis=0, keepdims=True) - t.knowledge)

    if p.learning.double_loop:
        error = t.error_sum / np.maximum(t.error_count, 1)
        known = ~np.isnan(t.last_error) & (t.error_count > 0)
        lp = p.learning
        factor = np.where(error > t.last_error, lp.explore_up, lp.explore_down)
        t.exploration = np.where(known, np.clip(t.exploration * factor, lp.exploration_min, lp.exploration_max),
                                 t.exploration)
        t.last_error = np.where(t.error_count > 0, error, t.last_error)
    reset_cycle(t)


@writes("teams.obs_sum", "teams.obs_count", "teams.error_sum", "teams.error_count")
def reset_cycle(t: Teams) -> None:
    for pool in (t.obs_sum, t.obs_count, t.error_sum, t.error_count):
        pool[:] = 0


@writes("evidence.pathway_table", "ledger")
def central_evaluation(evidence: Evidence, case_log: CaseLog, p: Params, s: Settings, ledger: Ledger,
                       week: int) -> None:
    """Evaluators re-pick each presenting need's pathway by its *reported* success rate.

    Reads the case log; writes ``evidence.pathway_table``."""
    if not s.central_evaluation or week % p.learning.central_eval_weeks or len(case_log) == 0:
        return
    closed = case_log.column("closed")
    recent = closed > week - p.learning.central_eval_weeks
    presenting = case_log.column("presenting")[recent]
    option = case_log.column("option")[recent]
    success = case_log.column("recorded_success")[recent].astype(float)
    n_dom, n_opt = evidence.pathway_table.size, evidence.option_primary.size
    cell = presenting * n_opt + option
    count = np.bincount(cell, minlength=n_dom * n_opt).reshape(n_dom, n_opt)
    wins = np.bincount(cell, weights=success, minlength=n_dom * n_opt).reshape(n_dom, n_opt)
    # Each option's reported rate, shrunk toward the current pathway's: a trial arm must show a
    # clearly better record, on enough cases, before it replaces the standard pathway.
    rows = np.arange(n_dom)
    current = evidence.pathway_table
    base = wins[rows, current] / np.maximum(count[rows, current], 1)
    prior = p.learning.central_prior_cases
    rate = (wins + prior * base[:, None]) / (count + prior)
    rate = np.where(count >= p.learning.central_min_cases, rate, -1.0)
    rate[rows, current] = np.where(count[rows, current] > 0, base, -1.0)
    best = rate.argmax(axis=1)
    evidence.pathway_table = np.where(rate.max(axis=1) >= 0, best, current)
    ledger.add("pathway_changes", int((evidence.pathway_table != current).sum()))
