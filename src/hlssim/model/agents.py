"""Mesa agents: the citizens, workers, managers, providers and funder users see and query.

Each agent is a view onto its row of the model's state (``hlssim.state``), so users
can inspect ``citizen.flourishing`` or ``worker.caseload`` while the weekly step
runs vectorised over everyone at once. No agent has a ``step``: what agents do each
week is in ``hlssim.mechanisms``, run by ``ServiceModel.step``.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

import mesa
import numpy as np

from ..params import DOMAINS
from ..state import NO_WORKER, STRATEGIES


def create_views[A: mesa.Agent](cls: type[A], model: mesa.Model, count: int) -> list[A]:
    """``count`` agents of ``cls`` viewing rows 0..count-1, registered with the model in one go.

    Mesa registers agents one at a time (a signal and a log line each: about 8 µs an agent), which
    for a million citizens is most of the model's build time. The end state is the same as
    ``cls.create_agents``: each agent has its model, a fresh unique id and its row, and sits in
    ``model.agents`` and ``model.agents_by_type[cls]``; no agent-added signal is sent (nothing in
    hlssim listens to it). Falls back to Mesa's own path where an agent class uses datasets.
    """
    if cls._datasets or not hasattr(model, "_all_agents"):
        return list(cls.create_agents(model, count, list(range(count))))
    return _register(cls, model, range(count))


def replace_views[A: mesa.Agent](cls: type[A], model: mesa.Model, agents: list[A], rows: list[int]) -> None:
    """The agents viewing ``rows`` leave the model, and new agents of ``cls`` take their rows, in one go.

    The end state is that of ``agents[row].remove(); agents[row] = cls(model, row)`` row by row
    (the same unique ids, the same order in the model's agent sets), without a signal per agent:
    a million residents see about two thousand move every week."""
    if cls._datasets or not hasattr(model, "_all_agents"):
        for row in rows:
            agents[row].remove()
            agents[row] = cls(model, row)
        return
    leaving = [agents[row] for row in rows]
    for agent_set in (model._all_agents, model._agents_by_type[cls]):
        for agent in leaving:
            del agent_set._agents[agent]
    for row, agent in zip(rows, _register(cls, model, rows), strict=True):
        agents[row] = agent


@contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector while a batch of agents is made: creating a million objects
    sets it off again and again, each time scanning every live object (a third of a 1,000,000-citizen
    build), and none of them is garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _register[A: mesa.Agent](cls: type[A], model: mesa.Model, rows) -> list[A]:
    """New agents of ``cls`` viewing ``rows``, with fresh unique ids, added to the model's agent sets."""
    with _cyclic_gc_paused():
        new, first = object.__new__, model.agent_id_counter
        agents = [new(cls) for _ in rows]
        for k, (row, agent) in enumerate(zip(rows, agents, strict=True)):
            agent.model, agent.unique_id, agent.row = model, first + k, row
        model.agent_id_counter = first + len(agents)
        model._all_agents._agents.update(dict.fromkeys(agents))
        if cls in model._agents_by_type:
            model._agents_by_type[cls]._agents.update(dict.fromkeys(agents))
        else:
            model._agents_by_type[cls] = type(model._all_agents)(agents, random=model.random)
    return agents


class RowView(mesa.Agent):
    """An agent that views one row of the model's arrays (its ``row``)."""

    pos = None     # no space: hlssim's citizens live in arrays, not on a grid

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = row


class Citizen(RowView):
    """A person whose life is a complex system; the truth of their flourishing lives here."""

    @property
    def index(self) -> int:
        return self.row

    @property
    def wellbeing(self) -> dict[str, float]:
        return dict(zip(DOMAINS, self.model.citizens.wellbeing[self.index].tolist(), strict=True))

    @property
    def what_matters(self) -> dict[str, float]:
        return dict(zip(DOMAINS, self.model.citizens.weights[self.index].tolist(), strict=True))

    @property
    def flourishing(self) -> float:
        c = self.model.citizens
        return float(c.weights[self.index] @ c.wellbeing[self.index])

    @property
    def tier(self) -> str:
        return self.model.tiers()[self.index]

    @property
    def agency(self) -> float:
        return float(self.model.citizens.agency[self.index])

    @property
    def trust(self) -> float | None:
        return float(self.model.citizens.trust[self.index]) if self.worker is not None else None

    @property
    def worker(self) -> Worker | None:
        slot = int(self.model.citizens.worker[self.index])
        return None if slot == NO_WORKER else self.model.worker_agents[slot]


class Worker(RowView):
    """A front-line worker in a slot; when they leave, a new Worker takes the slot."""

    @property
    def slot(self) -> int:
        return self.row

    @property
    def team(self) -> int:
        return int(self.model.workers.team[self.slot])

    @property
    def caseload(self) -> int:
        return int((self.model.citizens.worker == self.slot).sum())

    @property
    def citizens(self) -> list[Citizen]:
        idx = np.flatnonzero(self.model.citizens.worker == self.slot)
        return [self.model.citizen_agents[i] for i in idx]

    @property
    def motivation(self) -> float:
        return float(self.model.workers.motivation[self.slot])

    @property
    def stress(self) -> float:
        return float(self.model.workers.stress[self.slot])

    @property
    def hours(self) -> dict[str, float]:
        w = self.model.workers
        total = self.model.params.workforce.hours_per_week
        return {
            "relational": float(w.relational_hours[self.slot]),
            "recording": float(w.admin_hours[self.slot]),
            "learning": float(total - w.relational_hours[self.slot] - w.admin_hours[self.slot]),
        }


class Manager(RowView):
    """One per team: holds its targets (NPM) or runs its learning cycles (HLS)."""

    @property
    def team(self) -> int:
        return self.row

    @property
    def target(self) -> float:
        return float(self.model.teams.target[self.team])

    @property
    def exploration(self) -> float:
        return float(self.model.teams.exploration[self.team])

    @property
    def knowledge(self) -> np.ndarray:
        """The team's belief about each option's average effect on each domain (K, D)."""
        return self.model.teams.knowledge[self.team].copy()


class Provider(RowView):
    """A provider organisation: its teams, budget share and the strategy the market selected."""

    @property
    def index(self) -> int:
        return self.row

    @property
    def budget_share(self) -> float:
        return float(self.model.providers.budget_share[self.index])

    @property
    def teams(self) -> list[int]:
        return np.flatnonzero(self.model.teams.provider == self.index).tolist()

    @property
    def strategy(self) -> dict[str, float]:
        pr = self.model.providers
        return {name: float(getattr(pr, name)[self.index]) for name in STRATEGIES}


class Funder(mesa.Agent):
    """Holds the place's budget and pays for staff, services and outcomes (``mechanisms.funding``)."""

    @property
    def budget_per_week(self) -> float:
        return self.model.state.funder.budget_per_week

    @property
    def spend_per_case(self) -> float:
        """This week's spend on each open case."""
        return self.model.state.funder.spend_per_case
