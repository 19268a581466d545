"""Mesa agents: the citizens, workers, managers, providers and funder users see and query.

Each agent is a view onto its row of the model's state (``hlssim.state``), so users
can inspect ``citizen.flourishing`` or ``worker.caseload`` while the weekly step
runs vectorised over everyone at once. No agent has a ``step``: what agents do each
week is in ``hlssim.mechanisms``, run by ``ServiceModel.step``.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..params import DOMAINS
from ..state import NO_WORKER, STRATEGIES


class Citizen(mesa.Agent):
    """A person whose life is a complex system; the truth of their flourishing lives here."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

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


class Worker(mesa.Agent):
    """A front-line worker in a slot; when they leave, a new Worker takes the slot."""

    def __init__(self, model, slot: int):
        super().__init__(model)
        self.slot = slot

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


class Manager(mesa.Agent):
    """One per team: holds its targets (NPM) or runs its learning cycles (HLS)."""

    def __init__(self, model, team: int):
        super().__init__(model)
        self.team = team

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


class Provider(mesa.Agent):
    """A provider organisation: its teams, budget share and the strategy the market selected."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

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
