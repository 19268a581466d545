"""Every mechanism keeps its contract: in whole simulations it changes only the state its ``@writes`` declares.

Each marked function is wrapped (in its own module and wherever it was imported) so that every
call compares a snapshot of the whole state before and after. Several worlds between them
call every mechanism: NPM and HLS, residents moving, workers leaving, and a provider market
re-commissioning often.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import sys

import numpy as np
import pytest

import hlssim
from helpers import switched_on
from hlssim import mechanisms
from hlssim.model.service import ServiceModel

STATE_TYPES = {"Citizens", "Workers", "Teams", "Providers", "Evidence", "FunderState", "Ledger", "CaseLog"}
GROUPS = ("citizens", "workers", "teams", "providers", "evidence", "funder")
WORLDS = {
    "npm": ("npm", {"population.turnover": 0.02, "workforce.turnover_base": 0.5}),
    "hls": ("hls", {"population.turnover": 0.02, "workforce.turnover_base": 0.5, "workforce.reassignment": False}),
    "market": ("npm", {"market.providers": 3, "workforce.team_size": 2, "contract.recommission_weeks": 8,
                       "contract.length_weeks": 16, "learning.central_eval_weeks": 8, "market.exit_share": 0.34}),
    # Every mechanism a default switches off, switched on (found from the parameter table), in both regimes.
    "npm switched on": ("npm", {**switched_on(), "workforce.team_size": 2, "contract.recommission_weeks": 8}),
    "hls switched on": ("hls", {**switched_on(), "workforce.team_size": 2, "contract.recommission_weeks": 8}),
}


def mechanism_functions():
    for info in pkgutil.iter_modules(mechanisms.__path__):
        module = importlib.import_module(f"hlssim.mechanisms.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__:
                yield module, name, fn


def takes_state(fn) -> bool:
    return any(str(p.annotation).split("|")[0].strip() in STATE_TYPES
               for p in inspect.signature(fn).parameters.values())


def test_every_mechanism_that_takes_state_declares_what_it_writes():
    undeclared = [f"{m.__name__}.{name}" for m, name, fn in mechanism_functions()
                  if takes_state(fn) and not hasattr(fn, "writes")]
    assert not undeclared, f"mechanisms without @writes: {undeclared}"


def snapshot(state) -> dict:
    out = {}
    for group in GROUPS:
        obj = getattr(state, group)
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            out[f"{group}.{f.name}"] = ({k: v.copy() for k, v in value.items()} if isinstance(value, dict)
                                        else np.array(value, copy=True))
    out["ledger"] = dict(state.ledger.week)
    out["case_log"] = len(state.case_log)
    return out


def same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return a.shape == np.shape(b) and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    return a == b


def allowed(name: str, declared: frozenset) -> bool:
    return name in declared or f"{name.split('.')[0]}.*" in declared


class Watch:
    def __init__(self):
        self.state = None
        self.calls: dict[str, int] = {}
        self.breaches: list[str] = []

    def wrap(self, label, fn):
        def watched(*args, **kwargs):
            before = snapshot(self.state)
            result = fn(*args, **kwargs)
            after = snapshot(self.state)
            changed = [k for k in before if not same(before[k], after[k])]
            self.breaches += [f"{label} changed {k}" for k in changed if not allowed(k, fn.writes)]
            self.calls[label] = self.calls.get(label, 0) + 1
            return result
        return watched


def watch_worlds(worlds: dict, also=None) -> tuple[Watch, set[str]]:
    """Run each world for 40 weeks with every marked mechanism watched; ``also`` (a marked function of the
    citizens and the parameters) runs, watched, at the end of each week as if it were in the schedule."""
    w = Watch()
    patches = []
    marked = {id(fn): (fn, f"{m.__name__.rsplit('.', 1)[1]}.{name}") for m, name, fn in mechanism_functions()
              if hasattr(fn, "writes")}
    for module in [m for n, m in list(sys.modules.items()) if n.startswith("hlssim.")]:
        for attr, value in list(vars(module).items()):
            if callable(value) and id(value) in marked and marked[id(value)][0] is value:
                patches.append((module, attr, value))
                setattr(module, attr, w.wrap(marked[id(value)][1], value))
    try:
        for regime, overrides in worlds.values():
            model = ServiceModel(hlssim.resolve(regime, {"population.citizens": 300, **overrides}), rng=3)
            w.state = model.state
            for _ in range(40):
                model.step()
                if also is not None:
                    w.wrap(also.__name__, also)(model.citizens, model.params)
        return w, {label for _, label in marked.values()}
    finally:
        for module, attr, value in patches:
            setattr(module, attr, value)


@pytest.fixture(scope="module")
def watch():
    return watch_worlds(WORLDS)


def test_the_watch_sees_an_undeclared_write():
    from hlssim.mechanisms.contract import writes

    @writes("citizens.agency")
    def sloppy(c):
        c.trust[:] = 0.99

    model = ServiceModel(hlssim.resolve("hls", {"population.citizens": 50}), rng=1)
    w = Watch()
    w.state = model.state
    w.wrap("sloppy", sloppy)(model.citizens)
    assert w.breaches == ["sloppy changed citizens.trust"]


def test_no_mechanism_changes_state_it_did_not_declare(watch):
    w, _ = watch
    assert not w.breaches, "\n".join(sorted(set(w.breaches)))


def test_the_worlds_catch_an_undeclared_write_in_a_mechanism_that_is_off_by_default():
    """A mechanism off by default never runs its body in default worlds; the switched-on worlds (found from
    the parameter table) run it, so its undeclared write is caught there."""
    from hlssim.mechanisms.contract import writes

    @writes("citizens.agency")
    def followup_that_touches_trust(c, p):
        if p.measurement.independent_followup > 0:     # off by default
            c.trust *= 0.999

    defaults = {name: world for name, world in WORLDS.items() if "switched on" not in name}
    assert not watch_worlds(defaults, also=followup_that_touches_trust)[0].breaches
    caught = watch_worlds(WORLDS, also=followup_that_touches_trust)[0].breaches
    assert "followup_that_touches_trust changed citizens.trust" in caught


def test_the_worlds_call_every_mechanism(watch):
    w, marked = watch
    pure = {"funding.spend_per_case", "market.score", "market.caseload_caps", "market.free_slots"}
    missed = sorted(marked - set(w.calls) - pure)
    assert not missed, f"mechanisms the contract test never saw run: {missed}"
