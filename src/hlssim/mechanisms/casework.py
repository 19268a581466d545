"""Public-facing work: how a worker's week is spent and what support each case gets
(docs/ODD.md, sections 7.4-7.6).

Standard pathways (NPM) pick support by presenting need from average evidence;
bespoke practice (HLS) treats each act of support as an experiment chosen from
what the pair has learnt (a contextual bandit seeded by team knowledge). Under
targets the proxy enters the same choices, so effort substitution and parking
emerge from incentives (Holmström & Milgrom 1991; Kerr 1975).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import N_DOMAINS, N_OPTIONS, Params
from ..params.practices import Settings
from ..state import TIER_NAMES, Citizens, Evidence, Ledger, Providers, Teams, Workers, worker_provider
from ..util.compiled import kernel
from .contract import writes
from .measurement import measured_level


@dataclass
class Support:
    gain: np.ndarray            # (A, D) this week's wellbeing gain from support, one row per open case
    chosen_effect: np.ndarray   # (A, D) what the chosen option truly does, per unit of support, for each open case
    intensity: np.ndarray       # (A,) how much support each case got: gain = intensity x effect x headroom


@kernel
def _share_time(active, worker, perceived, wellbeing, case_proxy, agency, tier, smd, price_relative, measured,
                success_gain, progress_weight, alpha, selective, caseload, relational, floor, parked_share_of_fair,
                parked_weeks, low_hours_weeks, hours):
    """Share each worker's relational hours across their cases (see :func:`allocate_time`); returns the
    week's sums: SMD hours, then hours, case-weeks and parked cases by intake tier, then all parked."""
    n_cases, d = active.size, N_DOMAINS
    n_workers = relational.size
    need = np.empty(n_cases)
    chance = np.empty(n_cases)
    share = np.empty(n_cases)
    mean_chance = np.zeros(n_workers)
    for a in range(n_cases):
        i = active[a]
        seen = 0.0
        for j in range(d):
            seen += perceived[i, j] * wellbeing[i, j]
        need[a] = 1.0 - seen
        progress = min(max((measured_level(wellbeing, i, measured) - case_proxy[i]) / success_gain, 0.0), 1.0)
        chance[a] = (progress_weight * progress + (1 - progress_weight) * agency[i]) * price_relative[tier[i]]
        mean_chance[worker[i]] += chance[a]
    total = np.zeros(n_workers)
    for a in range(n_cases):
        k = worker[active[a]]
        if chance[a] < alpha[k] * selective[k] * mean_chance[k] / max(caseload[k], 1):
            share[a] = floor            # parked: not worth the time to someone weighing the proxy
        else:
            share[a] = (1 - alpha[k]) * need[a] + alpha[k] * chance[a] + floor
        total[k] += share[a]
    sums = np.zeros(11)
    for a in range(n_cases):
        i = active[a]
        k = worker[i]
        h = relational[k] * share[a] / total[k]
        hours[i] = h
        if smd[i]:
            sums[0] += h
        if h < parked_share_of_fair * relational[k] / caseload[k]:
            low_hours_weeks[i] += 1
        else:
            low_hours_weeks[i] = 0
        parked = low_hours_weeks[i] >= parked_weeks
        sums[1 + tier[i]] += h
        sums[4 + tier[i]] += 1.0
        if parked:
            sums[7 + tier[i]] += 1.0
            sums[10] += 1.0
    return sums


@writes("workers.admin_hours", "workers.relational_hours", "citizens.hours", "citizens.low_hours_weeks", "ledger")
def allocate_time(c: Citizens, w: Workers, teams: Teams, providers: Providers, p: Params, s: Settings,
                  active: np.ndarray, ledger: Ledger) -> None:
    """Split each worker's week: recording, learning, then relational time shared across the caseload.

    What the worker weighs: the citizen's need as the worker sees it, against the case's chance of
    a proxy success (progress so far, and how able the citizen is to act), in proportion to the
    weight the worker puts on the proxy. Parking: a case whose expected payment is far below the
    caseload's gets the bare minimum; how far below depends on how selective the provider is.
    Writes ``w.admin_hours``, ``w.relational_hours``, ``c.hours`` and ``c.low_hours_weeks`` (parking)."""
    caseload = c.caseload(w.count)
    week_hours = p.workforce.hours_per_week
    w.admin_hours = np.minimum(p.caseload.fixed_admin_hours + s.recording_hours * caseload, week_hours)
    provider_of = worker_provider(w, teams)
    investment = 2.0 * providers.investment[provider_of]   # 1 when neutral
    learning = np.minimum(s.learning_hours * investment, week_hours - w.admin_hours)
    w.relational_hours = week_hours - w.admin_hours - learning
    ledger.add("admin_hours", float(w.admin_hours.sum()))
    ledger.add("worker_hours", week_hours * w.count)
    c.hours[:] = 0.0
    if active.size == 0:
        return
    m = p.measurement
    sums = _share_time(active, c.worker, c.perceived_weights, c.wellbeing, c.case_proxy, c.agency, c.intake_tier,
                       c.smd_start, s.price_relative, np.asarray(s.measured), m.success_gain,
                       p.incentives.progress_weight, w.extrinsic, 2.0 * providers.selectivity[provider_of], caseload,
                       w.relational_hours, p.caseload.need_floor, m.parked_share_of_fair, m.parked_weeks,
                       c.low_hours_weeks, c.hours)
    ledger.add("smd_relational_hours", float(sums[0]))
    ledger.add("parked", int(sums[10]))
    ledger.add("active", active.size)
    for k, name in enumerate(TIER_NAMES):
        ledger.add(f"hours_{name}", float(sums[1 + k]))
        ledger.add(f"case_weeks_{name}", int(sums[4 + k]))
        ledger.add(f"parked_{name}", int(sums[7 + k]))


@kernel
def _room(wellbeing, effect):
    """Headroom: gains shrink near the top, harms near the bottom."""
    return 1.0 - wellbeing if effect >= 0.0 else wellbeing


@kernel
def _choose(active, worker, team_of, knowledge, perceived, wellbeing, residual, pathway_option, exploration,
            bespoke, explore_draw, explore_pick, option_primary, measured_domain, extrinsic, hours, option, split,
            proxy_option):
    """Each case's option this week (see :func:`choose_support`); returns hours on measured domains and all hours."""
    n_opt, d = N_OPTIONS, N_DOMAINS
    own = np.empty(n_opt)
    on_measured = 0.0
    total_hours = 0.0
    for a in range(active.size):
        i = active[a]
        k = worker[i]
        t = team_of[k]
        best = pathway_option[i]
        if bespoke > 0.0:
            largest = 0.0
            for o in range(n_opt):
                value = residual[i, o]
                for j in range(d):
                    value += perceived[i, j] * knowledge[t, o, j] * _room(wellbeing[i, j], knowledge[t, o, j])
                own[o] = value
                largest = max(largest, abs(value))
            largest = max(largest, 1e-9)
            top = -np.inf
            for o in range(n_opt):
                score = bespoke * own[o] / largest + ((1 - bespoke) if o == pathway_option[i] else 0.0)
                if score > top:
                    top = score
                    best = o
        if explore_draw[a] < exploration[t] * bespoke:
            best = explore_pick[a]
        option[i] = best
        primary = option_primary[best]
        already = primary >= 0 and measured_domain[primary]
        split[i] = 0.0 if already else extrinsic[k]
        if split[i] > 0.0:      # the option that best moves the measured domains, for the diverted hours
            top = -np.inf
            for o in range(n_opt):
                value = 0.0
                for j in range(d):
                    if measured_domain[j]:
                        value += knowledge[t, o, j] * _room(wellbeing[i, j], knowledge[t, o, j])
                if value > top:
                    top = value
                    proxy_option[i] = o
        on_measured += hours[i] if already else hours[i] * split[i]
        total_hours += hours[i]
    return on_measured, total_hours


@writes("citizens.option", "citizens.proxy_split", "citizens.proxy_option", "ledger")
def choose_support(c: Citizens, w: Workers, teams: Teams, evidence: Evidence, s: Settings, active: np.ndarray,
                   rng: np.random.Generator, ledger: Ledger) -> None:
    """Pick each case's support option this week: pathway, the pair's best guess, or an experiment.

    The pair's own estimate of an option is what team knowledge says it does for what the worker
    thinks matters, with headroom, corrected by what the pair has learnt (a contextual bandit); a
    standard pathway is the option for the presenting need; the practice mixes the two. Under
    targets the worker also splits the case's hours toward the option that best moves the
    measured domains, in proportion to the weight the worker puts on the proxy (multitask effort
    substitution, Holmström & Milgrom 1991, linearised).
    Writes ``c.option``, ``c.proxy_split`` and ``c.proxy_option``.
    """
    if active.size == 0:
        return
    explore_draw = rng.random(active.size)
    explore_pick = rng.integers(0, c.residual.shape[1], size=active.size)
    measured_domain = np.zeros(c.wellbeing.shape[1], dtype=np.bool_)
    measured_domain[list(s.measured)] = True
    on_measured, hours = _choose(active, c.worker, w.team, teams.knowledge, c.perceived_weights, c.wellbeing,
                                 c.residual, c.pathway_option, teams.exploration, s.bespoke, explore_draw,
                                 explore_pick, evidence.option_primary, measured_domain, w.extrinsic, c.hours, c.option,
                                 c.proxy_split, c.proxy_option)
    ledger.add("measured_effort", float(on_measured))
    ledger.add("relational_hours", float(hours))


@writes()
def worker_effectiveness(w: Workers, p: Params, s: Settings) -> np.ndarray:
    """How effective each worker's support is (M,): skill (narrowed by standard pathways), burnout, bad practice."""
    wf = p.workforce
    shown = wf.pathway_spread + (1 - wf.pathway_spread) * s.discretion
    skill = np.maximum(0.1, 1.0 + wf.skill_sd * shown * w.skill)
    burnt = w.stress > wf.burnout_threshold
    return skill * (1 - wf.burnout_effectiveness_loss * burnt) * (1 - p.quality.harm * w.bad_practice)


@kernel
def _support(active, worker, team_of, option, split, proxy_option, pathway_option, true_average, personal, wellbeing,
             motivation, trust, agency, effectiveness, hours, case_start, favourite, smd, week, dose_half,
             motivation_effect, engagement, agency_effect, devolved, capture, mean_agency, misuse, spend_hours,
             discovery_share, discovery_weeks, bespoke, script_gain, script_case_weeks, pathway_case_weeks):
    """Each open case's gain this week (see :func:`support_gain`); returns the gain, the chosen option's
    true effect, the intensity of relational support, and the SMD cases' share of service money."""
    n_cases, d = active.size, N_DOMAINS
    gain = np.empty((n_cases, d))
    chosen = np.empty((n_cases, d))
    intensity = np.empty(n_cases)
    smd_money = 0.0
    # How practised each team is at each pathway: one exponential per team and option, not per case.
    practice = 1 - np.exp(-pathway_case_weeks / script_case_weeks)
    for a in range(n_cases):
        i = active[a]
        k = worker[i]
        t = team_of[k]
        o = option[i]
        menu = pathway_option[i]
        scale = (((1 - motivation_effect) + motivation_effect * motivation[k])
                 * (1.0 - engagement + engagement * trust[i])
                 * ((1 - agency_effect) + 2 * agency_effect * agency[i]) * effectiveness[k])
        h = hours[i]
        if discovery_share > 0.0 and bespoke > 0.0 and week - case_start[i] < discovery_weeks:
            h *= 1 - discovery_share * bespoke          # finding out what matters takes time first
        scripted = (1 - bespoke) if o == menu else 0.0
        practised = 0.0
        if script_gain > 0.0 and scripted > 0.0:        # a well-rehearsed pathway does more per hour
            practised = script_gain * scripted * practice[t, o]
        share = 1.0
        if devolved > 0.0 and capture > 0.0:            # devolved money follows the insistent
            share = 1 + capture * devolved * (agency[i] / mean_agency - 1)
        if smd[i]:
            smd_money += share
        dose_hours = h / (h + dose_half)
        money = spend_hours * share
        dose_money = money / (money + dose_half)
        intensity[a] = scale * dose_hours
        for j in range(d):
            effect = true_average[o, j] + personal[i, o, j]
            chosen[a, j] = effect
            delivered = effect + practised * true_average[o, j]
            proxy = true_average[proxy_option[i], j] + personal[i, proxy_option[i], j] if split[i] > 0.0 else 0.0
            on_menu = true_average[menu, j] + personal[i, menu, j]
            bought = devolved * effect
            if devolved > 0.0 and misuse > 0.0:
                liked = true_average[favourite[k], j] + personal[i, favourite[k], j]
                bought = devolved * ((1 - misuse) * effect + misuse * liked)
            total = (dose_hours * ((1 - split[i]) * delivered + split[i] * proxy)
                     + dose_money * (bought + (1 - devolved) * on_menu))
            gain[a, j] = scale * total * _room(wellbeing[i, j], total)
    if script_gain > 0.0 and bespoke < 1.0:             # this week's practice counts from next week
        for a in range(n_cases):
            i = active[a]
            if option[i] == pathway_option[i]:
                pathway_case_weeks[team_of[worker[i]], option[i]] += 1 - bespoke
    return gain, chosen, intensity, smd_money


@writes("teams.pathway_case_weeks", "ledger")
def support_gain(c: Citizens, w: Workers, teams: Teams, evidence: Evidence, p: Params, s: Settings,
                 active: np.ndarray, spend_per_case: float, ledger: Ledger, week: int) -> Support:
    """Weekly wellbeing gain from relational time and spending; devolved money follows the pair's choice.

    Relational hours act through the option chosen (and the proxy option for diverted hours);
    in a bespoke case's first weeks part of them goes on discovery; a standard pathway delivered
    as scripted by a team that has delivered it often does more. Service money buys the menu
    option, or as far as budgets are devolved the pair's choice, shared by insistence as far as
    devolved money is captured, and partly misspent on the worker's own favourite. Effort,
    engagement, the citizen's agency and the worker's effectiveness scale it; headroom shrinks it.
    Books service spend and the team's pathway experience; returns the gain and what was done.
    """
    if active.size == 0:
        empty = np.zeros((0, c.wellbeing.shape[1]))
        return Support(empty, empty, np.zeros(0))
    devolved = s.devolved_share
    gain, chosen, intensity, smd_money = _support(
        active, c.worker, w.team, c.option, c.proxy_split, c.proxy_option, c.pathway_option, evidence.true_average,
        c.personal_effect, c.wellbeing, w.motivation, c.trust, c.agency, worker_effectiveness(w, p, s), c.hours,
        c.case_start, w.favourite, c.smd_start, week, p.caseload.dose_half_hours, p.workforce.motivation_effect,
        p.trust.engagement, p.agency.support_effect, devolved, p.funding.devolved_capture,
        float(c.agency[active].mean()), p.funding.devolved_misuse, spend_per_case / p.funding.spend_per_support_hour,
        p.caseload.discovery_share, p.caseload.discovery_weeks, s.bespoke, p.pathways.script_gain,
        p.pathways.script_learning_case_weeks, teams.pathway_case_weeks)
    ledger.add("service_spend", spend_per_case * active.size)
    ledger.add("service_spend_smd", spend_per_case * smd_money)
    return Support(gain, chosen, intensity)
