"""ServiceModel: one place's public service for its citizens, one step a week.

The model builds the state (``hlssim.state``), owns the Mesa agents that are views onto it,
and runs the weekly schedule in :meth:`ServiceModel.step`: a numbered list of mechanism calls
(docs/ODD.md, section 3; docs/architecture.md). Values one step hands to a later one are
returned and passed, so the order can be read off the code.
"""

from __future__ import annotations

import mesa
import numpy as np

from .. import mechanisms
from ..mechanisms import (accountability, casework, crises, demand, finances, funding, learning, life, market,
                          population, quality, queue, relationships, targets, workforce)
from ..outputs.metrics import week_row
from ..params import Params
from ..params.practices import Settings, settings_for
from ..state import (NO_WORKER, TIER_NAMES, CaseLog, Citizens, Ledger, Newcomers, Providers, State, Streams, Teams,
                     Workers, tier_of)
from .agents import Citizen, Funder, Manager, Provider, Worker, create_views, replace_views


class ServiceModel(mesa.Model):
    """Citizens, workers in teams, managers, providers and a funder under a mix of NPM and HLS practices."""

    def __init__(self, params: Params | None = None, rng: int | None = None):
        super().__init__(rng=rng)
        self.params = params or Params()
        self.settings: Settings = settings_for(self.params)
        self.streams = Streams(self.rng)
        p = self.params
        evidence = population.make_evidence(p)
        citizens = population.make_citizens(p, self.streams.population)
        workers = population.make_workers(p, self.streams.workforce, self.streams.practice)
        teams = population.make_teams(p, workers.count, evidence.known)
        providers = market.make_providers(p, self.streams.market, teams.count)
        self.state = State(citizens=citizens, workers=workers, teams=teams, providers=providers, evidence=evidence,
                           funder=funding.make_funder(p, citizens.count, workers.count, teams.count),
                           ledger=Ledger(mechanisms.book_names()), case_log=CaseLog(), newcomers=Newcomers())
        self.rows: list[dict] = []
        self.citizen_agents = create_views(Citizen, self, citizens.count)
        self.worker_agents = create_views(Worker, self, workers.count)
        self.manager_agents = create_views(Manager, self, teams.count)
        self.provider_agents = create_views(Provider, self, providers.count)
        self.funder = Funder(self)

    # --- the state, as users and tests read it: model.citizens is model.state.citizens ----
    week = property(lambda self: self.state.week, doc="The week just run (0 before the first step).")
    citizens: Citizens = property(lambda self: self.state.citizens)
    workers: Workers = property(lambda self: self.state.workers)
    teams: Teams = property(lambda self: self.state.teams)
    providers: Providers = property(lambda self: self.state.providers)
    ledger: Ledger = property(lambda self: self.state.ledger)
    case_log: CaseLog = property(lambda self: self.state.case_log)

    # --- the weekly schedule -------------------------------------------------------------
    def step(self) -> None:
        st, p, s, rng = self.state, self.params, self.settings, self.streams
        c, w, teams, providers, evidence, led = st.citizens, st.workers, st.teams, st.providers, st.evidence, st.ledger
        st.week = week = self.steps
        led.new_week()
        # 1. Life: drift, life events, and residents who move away (newcomers take their places).
        events = life.drift_and_events(c, evidence, p.world, p.population.turnover, rng.life_events, week)
        if events.movers.size:
            led.add("moved_away_in_case", int(np.count_nonzero(c.worker[events.movers] != NO_WORKER)))
            population.arrive(c, events.movers, p, rng.arrivals, st.newcomers)
            self._replace_citizen_agents(events.movers)
            events.drop(events.movers)
        # 2. What each provider's books say each payment group brings in; help-seeking and the front door
        # (nobody asks when there is no service); 3. intake from the queue, and a week's wait for those
        # still on it.
        finances.steer(providers, p, s)
        if p.service.enabled:
            demand.seek_help(c, p, s, finances.front_door_acceptance(providers), rng.demand, rng.assessment, led,
                             week)
        demand.intake(c, w, teams, providers, evidence, p, s, rng.choice, led, week)
        queue.wait_a_week(c, p, rng.queue, led, week)
        active = c.served()
        # 4. What a reported success is worth to each worker, with the period's tally and deadline in view.
        targets.set_incentives(w, teams, providers, p, s, week)
        # 5. Time use and parking (with no service there are no staff to spend it); 6. support choice and
        # effort substitution.
        if p.service.enabled:
            casework.allocate_time(c, w, teams, providers, p, s, active, led)
        casework.choose_support(c, w, teams, evidence, s, active, rng.choice, led)
        # 7. The funder's spend per open case; 8. what support does.
        st.funder.spend_per_case = funding.spend_per_case(st.funder, active.size, p.funding.max_spend_per_case_week)
        support = casework.support_gain(c, w, teams, providers, evidence, p, s, active, st.funder.spend_per_case, led,
                                        week)
        finances.book_week(providers, c, w, teams, active, st.funder.staff_cost_per_week, led.week["relational_hours"],
                           support.spend)
        # 9. Support, shocks and recovery move wellbeing, spilling across domains.
        before, before_rows = c.flourishing_of(active), c.wellbeing.take(active, axis=0)   # take: 2x faster than []
        life.apply_change(c, p.world, active, support.gain, events)
        # 10. What the pair takes the support to have done; trust, what matters, agency, and learning.
        seen = relationships.perceived_effect(c, p, active, support, before_rows)
        relationships.update(c, w, teams, p, s, active, before, seen, rng.observation)
        # 11. Crises (next week's referrals); 12. staff cost and money withheld at risk.
        crises.crises(c, p.crisis, rng.crisis, led)
        funding.book_staff_and_withholding(st.funder, s, led)
        # 13. Closing cases and writing the record; what answers to the record.
        open_now = c.served()
        if open_now.size:
            draws = accountability.Draws.for_cases(open_now.size, p.measurement.proxy_noise_sd, rng)
            closed = accountability.close_cases(c, w, teams, p, s, open_now, draws, led, st.case_log, week)
            if closed is not None:
                workforce.after_detection(w, closed.caught, p)
                targets.count_closures(teams, closed.team, closed.recorded)
                funding.pay_outcomes(closed.recorded, closed.tier, c.smd_start[closed.citizen], s, led)
                market.record_closures(providers, teams.provider[closed.team], closed.recorded,
                                       s.price_relative[closed.tier], closed.misreported, closed.voiced)
                finances.book_closures(providers, teams.provider[closed.team], closed.tier, closed.recorded,
                                       closed.weeks_open)
        # 14. Targets and the ratchet; 15. team learning; 16. central evaluation.
        targets.review_targets(teams, p, s, week)
        learning.learning_cycle(teams, providers.count, p, s, week)
        learning.central_evaluation(evidence, st.case_log, p, s, led, week)
        # 17. Re-commissioning of providers.
        market.recommission(providers, teams, w, c, p, rng.market, led, week)
        # 18. Motivation, stress, burnout and turnover; bad practice creeping in and being caught (staff only
        # where there is a service).
        if p.service.enabled:
            leavers = workforce.step(w, teams, c, p, s, c.caseload(w.count), rng.turnover, rng.workforce,
                                     rng.practice, led, week)
            self._replace_worker_agents(leavers)
            quality.drift_and_catch(w, p, s, rng.practice, led, week)
        # 19. The week's row of the time series.
        self.rows.append(week_row(st, p))

    # --- agents follow the rows they view --------------------------------------------------
    def _replace_worker_agents(self, slots: np.ndarray) -> None:
        """A leaver's Mesa agent goes; a new Worker agent takes the slot."""
        replace_views(Worker, self, self.worker_agents, slots.tolist())

    def _replace_citizen_agents(self, indices: np.ndarray) -> None:
        """A resident who moved away leaves; the new resident is a new Citizen agent."""
        replace_views(Citizen, self, self.citizen_agents, indices.tolist())

    def tiers(self) -> np.ndarray:
        """Complexity tier of each citizen now: stable (no low domain), complex (1-2), smd (3+)."""
        return np.array(TIER_NAMES)[tier_of(self.citizens.wellbeing, self.params.crisis.low_threshold)]
