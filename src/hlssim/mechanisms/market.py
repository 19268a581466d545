"""Provider organisations competing for the funder's budget (docs/ODD.md, section 7.14).

System scales (seed, "System scales"): citizens are served by workers in teams,
teams belong to providers, providers are funded by a commissioner for a place.
At each re-commissioning the funder ranks providers on its measure and moves
budget (and so teams) toward the best-scoring; weaker providers copy the top
scorer's strategy, and all strategies drift a little. Nobody decides to cheat:
where the measure is gameable, selection alone can spread gaming (Smaldino &
McElreath 2016; Braganza 2022, "Proxyeconomics").
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import STRATEGIES, Citizens, Ledger, Providers, Teams, Workers
from ..state.books import count, tally
from ..util.compiled import kernel
from .contract import writes
from .finances import open_books
from .relationships import start_relationship

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    count("teams_moved", "teams", "Teams moved between providers by re-commissioning this week.",
          "teams moved by re-commissioning", na_with="provider_concentration"),
    tally("provider_entries", "providers", "providers replaced by entrants at a contract's end"),
)

NEUTRAL = 0.5


def make_providers(p: Params, rng: np.random.Generator, n_teams: int) -> Providers:
    count = min(p.market.providers, n_teams)
    shares = np.bincount(np.arange(n_teams) % count, minlength=count) / n_teams
    if count == 1:   # a single provider: the engine's own behaviour, no strategy of its own
        strategy = {name: np.full(1, NEUTRAL) for name in STRATEGIES}
    else:
        a = p.market.strategy_concentration
        strategy = {name: rng.beta(a, a, size=count) for name in STRATEGIES}
    return Providers(budget_share=shares, **strategy)


@writes()
def caseload_caps(w: Workers, teams: Teams, providers: Providers, s: Settings) -> np.ndarray:
    """Each worker's caseload cap: the management practice's cap, scaled by the provider's investment."""
    return _caps(w.team, teams.provider, providers.investment, s.caseload_cap)


@kernel
def _caps(team, team_provider, investment, cap):
    """Each worker's cap (at least 1); a provider's investment x enters as 1.5 - x (1 when neutral)."""
    caps = np.empty(team.size, dtype=np.int64)
    for k in range(team.size):
        caps[k] = int(max(1.0, np.rint(cap * (1.5 - investment[team_provider[team[k]]]))))
    return caps


@writes()
def free_slots(c: Citizens, w: Workers, teams: Teams, providers: Providers, s: Settings) -> np.ndarray:
    """One entry per free place on a caseload: worker slot k appears (cap_k - caseload_k) times, where
    the cap is the management practice's, scaled by the provider's investment (at least 1)."""
    return _free_slots(caseload_caps(w, teams, providers, s), c.caseload(w.count))


@kernel
def _free_slots(caps, caseload):
    """np.repeat(np.arange(M), max(caps - caseload, 0)) in one pass."""
    slots = np.empty(np.maximum(caps - caseload, 0).sum(), dtype=np.int64)
    at = 0
    for k in range(caps.size):
        for _ in range(caps[k] - caseload[k]):
            slots[at] = k
            at += 1
    return slots


@writes()
def score(pr: Providers, measure: str, report_weight: float) -> np.ndarray:
    """What the funder reads off each provider this period, per team-week of budget."""
    per = pr.period
    weeks = np.maximum(per["team_weeks"], 1)
    if measure == "reported_outcomes":
        return per["reported_value"] / weeks
    if measure == "activity":
        return per["closures"] / weeks
    # learning accounts, per case closed: what citizens say changed, heard by the funder in dialogue, and
    # as far as the funder reads them, the providers' own learning reports (the accounts they recorded).
    told = report_weight * per["reported"] + (1.0 - report_weight) * per["voiced"]
    return told / np.maximum(per["closures"], 1)


@writes("providers.*", "teams.provider", "citizens.trust", "citizens.perceived_weights", "citizens.residual",
        "citizens.low_hours_weeks", "ledger")
def recommission(pr: Providers, teams: Teams, w: Workers, c: Citizens, p: Params, rng: np.random.Generator,
                 ledger: Ledger, week: int) -> None:
    """Book the week's team-weeks; at re-commissioning, move budget by the funder's measure, then let
    strategies spread by imitation and drift.

    Writes the providers' arrays, ``teams.provider`` (teams follow budget) and, where a move
    breaks relationships, the moved citizens' relationships."""
    pr.period["team_weeks"] += np.bincount(teams.provider, minlength=pr.count)
    if week % p.contract.recommission_weeks:
        return
    pr.score = score(pr, p.contract.measure, p.contract.report_weight)
    pr.misreport_share = pr.period["misreported"] / np.maximum(pr.period["reported"], 1)
    if pr.count < 2:   # a sole provider is reviewed but keeps its contract
        pr.reset_period()
        return
    draws = rng.random(pr.count)
    noise = rng.normal(0.0, 1.0, size=(len(STRATEGIES), pr.count))
    # Only providers that delivered this period are ranked; one without teams has nothing to show.
    ranked = pr.period["team_weeks"] > 0
    scores = pr.score[ranked]
    spread = scores.std() if scores.size else 0.0
    z = np.zeros(pr.count)
    if spread > 0:
        z[ranked] = (scores - scores.mean()) / spread
    share = pr.budget_share * np.exp(p.market.competition * 0.5 * z)
    pr.budget_share = share / share.sum()

    best = int(np.flatnonzero(ranked)[scores.argmax()]) if scores.size else 0
    copy = ranked & (pr.score < (np.median(scores) if scores.size else 0.0)) & (draws < p.market.imitation)
    for k, name in enumerate(STRATEGIES):
        values = getattr(pr, name)
        values = np.where(copy, values[best], values) + p.market.mutation * noise[k]
        setattr(pr, name, np.clip(values, 0.0, 1.0))

    if week % p.contract.length_weeks == 0:
        exiting = np.flatnonzero(pr.budget_share < p.market.exit_share)
        for name in STRATEGIES:   # new entrants bring fresh strategies
            getattr(pr, name)[exiting] = rng.beta(p.market.strategy_concentration, p.market.strategy_concentration,
                                                  size=exiting.size)
        if exiting.size:   # and win a fair share of the new contracts, with books of their own
            pr.budget_share[exiting] = 1.0 / pr.count
            pr.budget_share /= pr.budget_share.sum()
            open_books(pr, exiting)
            ledger.add("provider_entries", exiting.size)
    reassign_teams(pr, teams, w, c, p, ledger)
    pr.reset_period()


@writes("teams.provider", "citizens.trust", "citizens.perceived_weights", "citizens.residual",
        "citizens.low_hours_weeks", "ledger")
def reassign_teams(pr: Providers, teams: Teams, w: Workers, c: Citizens, p: Params, ledger: Ledger) -> None:
    """Give each provider the number of teams its budget share buys (largest remainder)."""
    n_teams = teams.count
    want = pr.budget_share * n_teams
    counts = np.floor(want).astype(int)
    counts[np.argsort(-(want - counts), kind="stable")[: n_teams - counts.sum()]] += 1
    have = np.bincount(teams.provider, minlength=pr.count)
    surplus = [np.flatnonzero(teams.provider == k)[: have[k] - counts[k]] for k in range(pr.count) if have[k] > counts[k]]
    freed = np.concatenate(surplus) if surplus else np.array([], dtype=np.int64)
    gaining = np.repeat(np.arange(pr.count), np.clip(counts - have, 0, None))
    if freed.size == 0:
        return
    teams.provider[freed] = gaining
    ledger.add("teams_moved", freed.size)
    if p.market.transfer_breaks_relationships:
        moved_workers = np.flatnonzero(np.isin(w.team, freed))
        orphaned = c.served_by(moved_workers, w.count)
        start_relationship(c, orphaned, p.trust.initial)
        ledger.add("relationships_broken", orphaned.size)


@writes("providers.period")
def record_closures(pr: Providers, prov: np.ndarray, recorded: np.ndarray, value: np.ndarray,
                    misreported: np.ndarray, voiced: np.ndarray) -> None:
    """Add this week's closures to each provider's period: what the funder will score it on."""
    per = pr.period
    per["closures"] += np.bincount(prov, minlength=pr.count)
    per["reported"] += np.bincount(prov, weights=recorded, minlength=pr.count)
    per["reported_value"] += np.bincount(prov, weights=recorded * value, minlength=pr.count)
    per["misreported"] += np.bincount(prov, weights=misreported, minlength=pr.count)
    per["voiced"] += np.bincount(prov, weights=voiced, minlength=pr.count)

