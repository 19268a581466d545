"""ServiceModel: one place's public service for its citizens, one step a week.

The model owns the state arrays and runs the weekly schedule; each mechanism
lives in its own module. See docs/ODD.md for the process overview.
"""

from __future__ import annotations

import mesa
import numpy as np

from . import accountability, casework, demand, life, management, market, relationships, workforce
from .agents import Citizen, Funder, Manager, Provider, Worker
from .caselog import CaseLog
from .ledger import Ledger
from .metrics import week_row
from .params import SUPPORT_OPTIONS, Params
from .population import average_effects, make_citizens, make_teams, make_workers
from .regime import mechanisms
from .state import TIER_NAMES, tier_of
from .streams import Streams



class ServiceModel(mesa.Model):
    """Citizens, workers in teams, managers and a funder under a mix of NPM and HLS practices."""

    def __init__(self, params: Params | None = None, rng: int | None = None):
        super().__init__(rng=rng)
        self.params = params or Params()
        self.mechanisms = mechanisms(self.params)
        self.streams = Streams(self.rng)
        self.week = 0

        # The evidence base: what works on average, as known at the start; the truth then drifts.
        self.evidence = average_effects()
        self.true_average = self.evidence.copy()
        self.option_primary = self.evidence.argmax(axis=1)
        self.option_primary[SUPPORT_OPTIONS.index("listening_and_advocacy")] = -1
        self.pathway_table = self.evidence.argmax(axis=0)      # presenting domain -> standard option

        self.citizens = make_citizens(self.params, self.streams.population)
        self.workers = make_workers(self.params, self.streams.workforce)
        self.teams = make_teams(self.params, self.workers.count, self.evidence)
        self.providers = market.make_providers(self.params, self.streams.market, self.teams.count)
        self.crisis_this_week = np.zeros(self.citizens.count, dtype=bool)
        self.ledger = Ledger()
        self.case_log = CaseLog()
        self.rows: list[dict] = []

        p = self.params
        self.staff_cost_per_week = (self.workers.count * p.workforce.salary_per_year
                                    + self.teams.count * p.workforce.manager_salary_per_year) / 52.0
        yearly = p.funding.budget_per_citizen_year
        if yearly is None:
            yearly = self.staff_cost_per_week * 52.0 / self.citizens.count + p.funding.service_pot_per_citizen_year
        self.funder = Funder(self, budget_per_week=yearly * self.citizens.count / 52.0)
        self.citizen_agents = list(Citizen.create_agents(self, self.citizens.count, list(range(self.citizens.count))))
        self.worker_agents = list(Worker.create_agents(self, self.workers.count, list(range(self.workers.count))))
        self.manager_agents = list(Manager.create_agents(self, self.teams.count, list(range(self.teams.count))))
        self.provider_agents = list(Provider.create_agents(self, self.providers.count, list(range(self.providers.count))))

    # --- the weekly schedule -------------------------------------------------------------
    def step(self) -> None:
        self.week = self.steps
        self.ledger.new_week()
        shock = life.drift_and_events(self)
        demand.seek_help(self)
        demand.intake(self)
        active = np.flatnonzero(self.citizens.in_case())
        management.set_incentives(self)
        casework.allocate_time(self, active)
        casework.choose_support(self, active)
        self.agents_by_type[Funder].do("step")
        gain = casework.support_gain(self, active, self.funder.spend_per_case)
        before = self.citizens.flourishing()
        life.apply_change(self, gain, shock)
        relationships.update(self, active, before)
        crisis_cost = life.crises(self)
        self.ledger.add("crisis_cost", float(crisis_cost.sum()))
        self.ledger.add("crisis_cost_smd", float(crisis_cost[self.citizens.smd_start].sum()))
        self.ledger.add("smd_start_citizen_weeks", int(self.citizens.smd_start.sum()))
        self.ledger.add("staff_cost", self.staff_cost_per_week)
        week = self.ledger.week
        self.ledger.add("withheld", self.mechanisms.share_at_risk * (week["staff_cost"] + week["service_spend"]))
        accountability.close_cases(self, np.flatnonzero(self.citizens.in_case()))
        management.review_targets(self)
        management.learning_cycle(self)
        management.central_evaluation(self)
        self.providers.period["team_weeks"] += np.bincount(self.teams.provider, minlength=self.providers.count)
        market.recommission(self)
        caseload = np.bincount(self.citizens.worker[self.citizens.in_case()], minlength=self.workers.count)
        workforce.step(self, caseload)
        self.rows.append(week_row(self))

    # --- helpers used by mechanisms and views -------------------------------------------
    def replace_workers(self, slots: np.ndarray) -> None:
        """A leaver's Mesa agent goes; a new Worker agent takes the slot."""
        for slot in slots.tolist():
            self.worker_agents[slot].remove()
            self.worker_agents[slot] = Worker(self, slot)

    def replace_citizens(self, indices: np.ndarray) -> None:
        """A resident who moved away leaves; the new resident is a new Citizen agent."""
        for i in indices.tolist():
            self.citizen_agents[i].remove()
            self.citizen_agents[i] = Citizen(self, i)

    def tiers(self) -> np.ndarray:
        """Complexity tier of each citizen now: stable (no low domain), complex (1-2), smd (3+)."""
        return np.array(TIER_NAMES)[tier_of(self.citizens.wellbeing, self.params.crisis.low_threshold)]
