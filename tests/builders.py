"""Small hand-built states for unit tests of single mechanisms: a few citizens, one or two workers."""

from __future__ import annotations

import dataclasses

import numpy as np

import hlssim
from hlssim.mechanisms.population import make_evidence
from hlssim import mechanisms
from hlssim.params.practices import settings_for
from hlssim.state import CaseLog, Citizens, Ledger, Providers, Teams, Workers

D = 6   # life domains
K = 8   # support options


def params(regime: str = "npm", **overrides):
    """Validated parameters from keyword overrides written with ``__`` for the dot."""
    return hlssim.resolve(regime, {k.replace("__", "."): v for k, v in overrides.items()})


def settings(p, **changes):
    """The practice settings of ``p``, with any field replaced (they are frozen)."""
    return dataclasses.replace(settings_for(p), **changes)


def citizens(wellbeing, weights=None, agency=0.5, smd=False) -> Citizens:
    """Citizens with the given wellbeing (n, D); equal weights, no spillover, no personal effects."""
    well = np.array(wellbeing, dtype=float).reshape(-1, D)
    n = well.shape[0]
    w = np.full((n, D), 1.0 / D) if weights is None else np.array(weights, dtype=float).reshape(n, D)
    agency = np.full(n, float(agency))
    return Citizens(wellbeing=well, circumstances=well.copy(), structural=well.copy(), weights=w,
                    spill=np.zeros((n, D, D)), personal_effect=np.zeros((n, K, D)), agency=agency,
                    agency_start=agency.copy(), flourishing_start=(w * well).sum(axis=1),
                    smd_start=np.full(n, bool(smd)))


def workers(count=1, motivation=0.7, honesty=0.6, stress=0.3, team=None) -> Workers:
    m = np.full(count, float(motivation))
    return Workers(team=np.zeros(count, dtype=np.int64) if team is None else np.asarray(team), motivation=m,
                   motivation_start=m.copy(), honesty=np.full(count, float(honesty)),
                   stress=np.full(count, float(stress)), hired_week=np.zeros(count, dtype=np.int64),
                   sensitivity=np.ones(count))


def evidence(p=None):
    return make_evidence(p or params())


def teams(count=1, target=0.4, exploration=0.0) -> Teams:
    known = evidence().known
    return Teams(knowledge=np.repeat(known[None], count, axis=0), provider=np.zeros(count, dtype=np.int64),
                 target=np.full(count, float(target)), exploration=np.full(count, float(exploration)))


def providers(count=1) -> Providers:
    half = np.full(count, 0.5)
    return Providers(budget_share=np.full(count, 1.0 / count), push=half.copy(), selectivity=half.copy(),
                     investment=half.copy())


def open_case(c: Citizens, idx, worker=0, opened=0) -> None:
    """Put citizens in a case with a worker, baselines taken from now."""
    idx = np.atleast_1d(idx)
    c.worker[idx] = worker
    c.case_start[idx] = opened
    c.case_flourishing[idx] = c.flourishing()[idx]


def no_events():
    """A week without life events or movers."""
    from hlssim.mechanisms.life import LifeEvents
    none = np.zeros(0, dtype=np.int64)
    return LifeEvents(hit=none, domain=none, severity=np.zeros(0), movers=none)


def ledger() -> Ledger:
    return Ledger(mechanisms.book_names())


def case_log() -> CaseLog:
    return CaseLog()


def rng(seed=0) -> np.random.Generator:
    return np.random.default_rng(seed)
