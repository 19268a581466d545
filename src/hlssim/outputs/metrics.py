"""The weekly time series and the end-of-run summary: truth and record side by side.

Every summary key is defined in docs/metrics.md; the names are a contract. Everything here
reads the state and the ledger and writes nothing.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import mechanisms
from ..params import N_DOMAINS, Params
from ..state import NO_WORKER, TIER_NAMES, State
from ..util.compiled import kernel
from .market import concentration, gaming_share

SUMMARY_KEYS = (
    "flourishing_mean", "flourishing_gain", "flourishing_gain_smd", "equity_gap",
    "true_success_rate", "reported_success_rate", "goodhart_gap", "report_true_corr",
    "data_integrity", "cost_per_citizen_year", "crisis_cost_per_citizen_year",
    "crisis_cost_per_smd_citizen_year", "admin_share", "turned_away_share",
    "failure_demand_share", "parked_share", "trust_mean", "knowledge_accuracy",
    "worker_motivation_mean", "worker_turnover_rate", "burnout_share",
)
FUNDER_KEYS = (
    "spend_per_citizen_year", "cost_per_flourishing_gain", "crisis_cost_avoided_per_smd_citizen_year",
    "hardest_tier_spend_share", "parked_share", "goodhart_gap", "provider_concentration",
    "gaming_provider_share", "reported_success_rate", "true_success_rate", "declined_share", "provider_margin_share",
)


def _share(num: float, den: float) -> float:
    return float(num / den) if den > 0 else 0.0


class Readings(NamedTuple):
    """Sums over citizens at the end of a week (see :func:`_citizen_readings`)."""

    flourishing: float        # summed over all citizens
    flourishing_smd: float    # summed over citizens who started with SMD
    smd: float                # citizens who started with SMD
    low3: float               # citizens with 3+ low domains now
    served: float             # citizens with an open case
    waiting: float            # citizens on the waiting list
    trust: float              # trust summed over the served
    knows: float              # how well their worker knows what matters (1 - total variation), summed over the served


@kernel
def _citizen_readings(weights, wellbeing, perceived, smd_start, worker, waiting_since, trust, threshold):
    """One pass over citizens: sums of flourishing (all, SMD at start), counts (SMD at start, 3+ low
    domains now, served, waiting), and over the served, trust and how well their worker knows what
    matters (1 - total variation distance)."""
    n, d = wellbeing.shape[0], N_DOMAINS
    # Running sums in local variables, not array cells: the compiler keeps them in registers.
    total = smd_total = smd = low3 = served = waiting = trust_sum = knows = 0.0
    for i in range(n):
        flourishing = 0.0
        low = 0
        for j in range(d):
            flourishing += weights[i, j] * wellbeing[i, j]
            if wellbeing[i, j] < threshold:
                low += 1
        total += flourishing
        if smd_start[i]:
            smd_total += flourishing
            smd += 1
        if low >= 3:
            low3 += 1
        if waiting_since[i] >= 0:
            waiting += 1
        if worker[i] != NO_WORKER:
            served += 1
            trust_sum += trust[i]
            distance = 0.0
            for j in range(d):
                distance += abs(perceived[i, j] - weights[i, j])
            knows += 1.0 - 0.5 * distance
    return Readings(total, smd_total, smd, low3, served, waiting, trust_sum, knows)


def spend(led) -> float:
    """What the funder pays: every book its mechanism declares as paid (``spend=+1``: staff, the service money
    spent on cases or kept by providers, outcome payments, independent follow-up ...), less what is withheld
    (``spend=-1``: the share at risk). The formula in docs/metrics.md is generated from the same declarations."""
    # fsum: correctly rounded whatever the order the modules declare their books in.
    return math.fsum(book.spend * led[book.name] for book in mechanisms.books() if book.spend)


def crisis_cost(led) -> float:
    """The cost of crisis services: every book declared as crisis cost."""
    return math.fsum(led[book.name] for book in mechanisms.books() if book.crisis)


def paid_to_providers(led) -> float:
    """What the funder pays providers: its spend less what it pays others (independent follow-up)."""
    return spend(led) - led["followup_cost"]


def provider_margin(led) -> float:
    """What providers are paid for the service less what it costs them (staff and the service money they
    spend): money kept, less money withheld at risk, plus outcome payments (negative: a loss)."""
    return led["service_retained"] - led["withheld"] + led["outcome_payments"]


def hardest_tier_spend(led) -> float:
    """What reaches citizens who started with SMD: their share of relational time (at staff cost) and
    the service money spent on their cases."""
    staff = led["staff_cost"] * _share(led["smd_relational_hours"], led["relational_hours"])
    return staff + led["service_spend_smd"]


def service_resources(led) -> float:
    """What the service deploys on cases: staff and the service money spent on cases."""
    return led["staff_cost"] + led["service_spend"]


def week_row(state: State, p: Params) -> dict:
    """This week's measures: one row of the time series."""
    c, w, t, led = state.citizens, state.workers, state.teams, state.ledger.week
    sums = _citizen_readings(c.weights, c.wellbeing, c.perceived_weights, c.smd_start, c.worker, c.waiting_since,
                             c.trust, p.crisis.low_threshold)
    served = int(sums.served)
    row = {
        "week": state.week,
        "flourishing_mean": float(sums.flourishing / c.count),
        "flourishing_smd_start": float(sums.flourishing_smd / sums.smd) if sums.smd else math.nan,
        "smd_share": float(sums.low3 / c.count),
        "active_cases": served,
        "waiting": int(sums.waiting),
        "parked_share": _share(led["parked"], led["active"]),
        "measured_effort_share": _share(led["measured_effort"], led["relational_hours"]),
        "admin_share": _share(led["admin_hours"], led["worker_hours"]),
        "trust_mean": float(sums.trust / served) if served else math.nan,
        "knowledge_accuracy": float(sums.knows / served) if served else math.nan,
        "worker_motivation_mean": float(w.motivation.mean()) if p.service.enabled else math.nan,
        "burnout_share": _share(led["burnt_out_worker_weeks"], led["worker_weeks"]),
        "target_mean": float(t.target.mean()),
        "exploration_mean": float(t.exploration.mean()),
        "hardest_tier_spend_share": _share(hardest_tier_spend(led), service_resources(led)),
        "provider_concentration": concentration(state.providers.budget_share),
        "gaming_provider_share": gaming_share(state.providers, p.measurement.gaming_threshold),
        "bad_practice_share": _share(led["bad_practice_worker_weeks"], led["worker_weeks"]),
    }
    # The week's books that mechanisms declare as shown (state/books.py): a count, or £.
    for book in mechanisms.books():
        if book.shown is not None:
            row[book.column] = int(led[book.name]) if book.shown.integer else float(led[book.name])
    return row


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if a.size < 3 or np.std(a) == 0 or np.std(b) == 0:
        return math.nan
    return float(np.corrcoef(a, b)[0, 1])


def between_worker_share(worker: np.ndarray, outcome: np.ndarray, min_cases: int = 2) -> float:
    """Share of the variance in cases' true gain that lies between workers: the intraclass correlation
    of a one-way random-effects ANOVA, over workers who closed at least ``min_cases`` cases (0 if
    workers differ no more than chance allows, NaN with fewer than two such workers)."""
    if outcome.size == 0:
        return math.nan
    ids, group, counts = np.unique(worker, return_inverse=True, return_counts=True)
    keep = counts[group] >= min_cases
    ids, group, counts = np.unique(worker[keep], return_inverse=True, return_counts=True)
    y = outcome[keep].astype(float)
    k, n = ids.size, y.size
    if k < 2 or n <= k:
        return math.nan
    means = np.bincount(group, weights=y) / counts
    between = float((counts * (means - y.mean()) ** 2).sum()) / (k - 1)
    within = float(((y - means[group]) ** 2).sum()) / (n - k)
    n0 = (n - (counts**2).sum() / n) / (k - 1)
    var_between = max(0.0, (between - within) / n0)
    total = var_between + within
    return float(var_between / total) if total > 0 else math.nan


def _per_smd_year(tot, amount: float) -> float:
    """£ per year of a resident who started with SMD; undefined (NaN) where nobody did."""
    years = tot["smd_start_citizen_weeks"] / 52.0
    return amount / years if years > 0 else math.nan


def _per_case_week(timeseries: pd.DataFrame, column: str) -> float:
    """A weekly mean over open cases, averaged over the run with each case-week counted once."""
    if not len(timeseries):
        return math.nan
    weight = timeseries["active_cases"].to_numpy(dtype=float)
    values = timeseries[column].to_numpy(dtype=float)
    ok = weight > 0
    return float(np.average(values[ok], weights=weight[ok])) if ok.any() else math.nan


def summarize(state: State, p: Params, timeseries: pd.DataFrame) -> dict[str, float]:
    """The run's summary: every key in docs/metrics.md, truth and record side by side."""
    c, tot = state.citizens, state.ledger.total
    n, years = c.count, max(state.week, 1) / 52.0
    flourishing = c.flourishing()
    gain = flourishing - c.flourishing_start
    smd = c.smd_start
    log = state.case_log
    recorded = log.column("recorded_success").astype(float)
    true_success = log.column("true_success").astype(float)
    true_gain = log.column("true_gain").astype(float)
    closures = len(log)
    total_cost = spend(tot) + crisis_cost(tot)
    reported_rate = float(recorded.mean()) if closures else math.nan
    true_rate = float(true_success.mean()) if closures else math.nan
    summary = {
        "flourishing_mean": float(flourishing.mean()),
        "flourishing_gain": float(gain.mean()),
        "flourishing_gain_smd": float(gain[smd].mean()) if smd.any() else math.nan,
        "equity_gap": float(flourishing[~smd].mean() - flourishing[smd].mean()) if smd.any() and (~smd).any() else math.nan,
        "true_success_rate": true_rate,
        "reported_success_rate": reported_rate,
        "goodhart_gap": reported_rate - true_rate if closures else math.nan,
        "report_true_corr": _corr(recorded, true_gain),
        "data_integrity": float((recorded == true_success).mean()) if closures else math.nan,
        "cost_per_citizen_year": total_cost / (n * years),
        "crisis_cost_per_citizen_year": crisis_cost(tot) / (n * years),
        "crisis_cost_per_smd_citizen_year": _per_smd_year(tot, tot["crisis_cost_smd"]),
        "admin_share": _share(tot["admin_hours"], tot["worker_hours"]),
        "turned_away_share": _share(tot["turned_away"], tot["requests"]),
        "failure_demand_share": _share(tot["failure_demand"], tot["requests"]),
        "parked_share": _share(tot["parked"], tot["active"]),
        "trust_mean": _per_case_week(timeseries, "trust_mean"),
        "knowledge_accuracy": _per_case_week(timeseries, "knowledge_accuracy"),
        "worker_motivation_mean": float(state.workers.motivation.mean()) if p.service.enabled else math.nan,
        "worker_turnover_rate": tot["leavers"] / (state.workers.count * years),
        "burnout_share": _share(tot["burnt_out_worker_weeks"], tot["worker_weeks"]),
        # Diagnostics beyond the contract: how the record parts from the truth.
        "misreport_rate": _share(tot["misreports"], closures),
        "measured_effort_share": _share(tot["measured_effort"], tot["relational_hours"]),
        "closed_early_share": _share(tot["closed_early"], closures),
        "cases_closed": float(closures),
        "waiting_mean": float(timeseries["waiting"].mean()) if len(timeseries) else math.nan,
        # What a funder reads off (docs/metrics.md, "Funders").
        "spend_per_citizen_year": spend(tot) / (n * years),
        "cost_per_flourishing_gain": spend(tot) / gain.sum() if gain.sum() > 0 else math.nan,
        "crisis_cost_avoided_per_smd_citizen_year": math.nan,   # needs a baseline: experiments/commissioning.py
        "hardest_tier_spend_share": _share(hardest_tier_spend(tot), service_resources(tot)),
        "public_service_use_per_smd_citizen_year": _per_smd_year(tot, tot["crisis_cost_smd"] + hardest_tier_spend(tot)),
        "smd_resources_per_smd_citizen_year": _per_smd_year(tot, hardest_tier_spend(tot)),
        "provider_margin_share": _share(provider_margin(tot), paid_to_providers(tot)),
        "declined_share": _share(tot["declined_by_margin"], tot["requests"]),
        "easier_closure_share": float((log.column("intake_tier") < 2).mean()) if closures else math.nan,
        "provider_concentration": concentration(state.providers.budget_share),
        "gaming_provider_share": gaming_share(state.providers, p.measurement.gaming_threshold),
        **{f"hours_per_case_week_{t}": _share(tot[f"hours_{t}"], tot[f"case_weeks_{t}"]) for t in TIER_NAMES},
        **{f"parked_share_{t}": _share(tot[f"parked_{t}"], tot[f"case_weeks_{t}"]) for t in TIER_NAMES},
        "wait_weeks_mean": _share(tot["weeks_waited"], tot["cases_opened"]),
        "moved_away_in_case": float(tot["moved_away_in_case"]),
        # Both paradigms' failure modes (docs/metrics.md, "Failure modes").
        "between_worker_share": between_worker_share(log.column("worker_id"), true_gain),
        "dropout_share": _share(tot["dropped_out"], tot["dropped_out"] + tot["cases_opened"]),
        "closed_at_review_share": _share(tot["closed_at_review"], closures),
        "bad_practice_share": _share(tot["bad_practice_worker_weeks"], tot["worker_weeks"]),
    }
    return summary
